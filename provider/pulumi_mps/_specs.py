"""What differs between the task resources: API action, request model, dedup window, delete policy, detail part.

A task kind is one :class:`TaskSpec` here plus a provider class and a resource class that name it; the evidence
for each kind's values is noted beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import models

if TYPE_CHECKING:
    from .models import MpsModel


class RequestSpec:
    """What a resource kind knows of the request it sends: ``request``, the request model's name."""

    request: str

    @property
    def model(self) -> type[MpsModel]:
        """The request model (loads the model classes and pydantic on first use)."""
        model: type[MpsModel] = getattr(models, self.request)
        return model

    @property
    def fields(self) -> tuple[str, ...]:
        """The request's fields (snake_case, API order), without loading the models."""
        return tuple(f.name for f in models.FIELDS[self.request])


@dataclass(frozen=True)
class TaskSpec(RequestSpec):
    kind: str
    action: str
    request: str  # the request model's name (models.FIELDS[request] lists its fields without loading it)
    dedup_window: timedelta
    list_task_types: tuple[str, ...]  # DescribeTasks' TaskType spellings of this kind's tasks
    # DescribeTaskDetail's parts for this kind (a task with ScheduleId: ScheduleTask), named as its TaskType
    # ("WorkflowTask", "EditMediaTask", "LiveStreamProcessTask", "ScheduleTask", ...) names the task.
    detail_keys: tuple[str, ...]
    abort_on_delete: bool
    abortable: frozenset[str]
    # Statuses in which the task's detail does not change: while a DescribeTasks listing of its status still
    # holds the task, refresh keeps its outputs (a media task's subtasks progress while PROCESSING; a live
    # task's detail is its status, error and URL).
    steady: frozenset[str]
    # How the detail part's results are read: (subtasks, output paths of what succeeded).
    results: Callable[[dict[str, Any]], tuple[list[dict[str, Any]], list[str]]] = field(
        default=lambda part: _result_sets(part)
    )
    # Error codes the action may answer a repeated SessionId with besides InvalidParameterValue.SessionId;
    # on one of them the provider looks for the task and, finding none, reports the error as it came.
    possible_duplicate_codes: frozenset[str] = frozenset()

    def summarize(self, detail: dict[str, Any]) -> dict[str, Any]:
        """The resource's status outputs from a DescribeTaskDetail answer.

        The task's own ErrCode is non-zero only when the source fails ("源异常时返回非0错误码，返回0 时请使用各个
        具体任务的 ErrCode", api.json WorkflowTask.ErrCode); otherwise ``err_code`` and ``message`` are those of
        the first failed sub-task.
        """
        part: dict[str, Any] = next(
            (detail[key] for key in self.detail_keys if isinstance(detail.get(key), dict)), {}
        )
        subtasks, output_paths = self.results(part)
        failed = next((s for s in subtasks if s["status"] == "FAIL"), None)
        err_code, message = int(part.get("ErrCode") or 0), part.get("Message") or ""
        if not err_code and failed is not None:
            err_code, message = failed["err_code"], failed["message"]
        return {
            "status": detail.get("Status") or part.get("Status") or "",
            "create_time": _time(detail.get("CreateTime")),
            "begin_process_time": _time(detail.get("BeginProcessTime")),
            "finish_time": _time(detail.get("FinishTime")),
            "err_code": err_code,
            "message": message,
            "subtasks": subtasks,
            "output_paths": output_paths,
        }


def _result_sets(part: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every result member of a part: the ``*ResultSet`` lists, the single results (``AiQualityControlTaskResult``,
    ``SmartEraseTaskResult``, ...), ``SmartSubtitlesTaskResult`` and a schedule task's ``ActivityResultSet``."""
    subtasks = [s for key, value in part.items() if key not in _NOT_RESULTS for s in _results(key, value)]
    return subtasks, [p for s in subtasks if s["status"] == "SUCCESS" for p in s["output_paths"]]


def _edit_output(part: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """EditMediaTask: no sub-tasks; ``Output.Path`` once the task finished with ErrCode 0 (api.json,
    ``EditMediaTask``: Status PROCESSING | FINISH, ErrCode "0：成功；其他值：失败", Output.Path "编辑后的视频文件路径")."""
    path = (part.get("Output") or {}).get("Path")
    done = part.get("Status") == "FINISH" and not int(part.get("ErrCode") or 0)
    return [], [path] if done and isinstance(path, str) and path else []


# Result lists whose entries' Type is the sub-task type as it stands (Transcode, ImageSprites, ...).
_PLAIN = frozenset({"MediaProcess", "Activity"})
# Members of a task part that are not sub-task results.
_NOT_RESULTS = frozenset({"TaskId", "Status", "ErrCode", "Message", "InputInfo", "MetaData", "Url"})


def _time(value: str | None) -> str:
    return "" if not value or value.startswith("0000") else value


def _paths(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("Path") and isinstance(item, str) and item:
                found.append(item)
            elif key.endswith("PathSet") and isinstance(item, list):
                found.extend(x for x in item if isinstance(x, str) and x)
            else:
                found.extend(_paths(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_paths(item))
    return found


def _results(key: str, value: Any) -> list[dict[str, Any]]:
    """The sub-tasks of one result member, whatever its shape.

    A result is a dict carrying ``Status``. It sits directly in the member (``AiQualityControlTaskResult``), or
    in the entries of a list, each entry naming its type (``{"Type": "Transcode", "TranscodeTask": {...}}``,
    ``{"ActivityType": "Transcode", "ActivityResItem": {"TranscodeTask": {...}}}``).
    """
    default = key.removesuffix("Set").removesuffix("Result").removesuffix("Task")
    items = value if isinstance(value, list) else [value]
    found: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if "Status" in item:
            found.append(_subtask(default, item))
            continue
        kind = item.get("Type") or item.get("ActivityType") or default
        if default not in _PLAIN and kind != default:
            kind = f"{default}.{kind}"  # AiRecognition.AsrFullTextRecognition, SmartSubtitles.AsrFullTextRecognition
        found.extend(_subtask(kind, body) for body in _bodies(item))
    return found


def _bodies(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The results (dicts with ``Status``) inside one result entry, one level of wrapping deep at most."""
    bodies: list[dict[str, Any]] = []
    for value in item.values():
        if isinstance(value, dict):
            bodies.extend(
                [value]
                if "Status" in value
                else [v for v in value.values() if isinstance(v, dict) and "Status" in v]
            )
    return bodies


def _subtask(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """One sub-task result: ``{Status, ErrCode, ErrCodeExt, Message, Input, Output}``."""
    err_code = int(body.get("ErrCode") or 0)
    if not err_code and body.get("Status") == "FAIL":
        err_code = -1  # results without an ErrCode member (SmartErase, AIDubbing) fail through ErrCodeExt
    return {
        "type": kind,
        "status": body.get("Status") or "",
        "err_code": err_code,
        "message": body.get("Message") or body.get("ErrCodeExt") or "",
        "output_paths": _paths(body.get("Output") or {}),
    }


MEDIA = TaskSpec(
    kind="MediaProcessTask",
    action="ProcessMedia",
    request="ProcessMediaRequest",
    dedup_window=timedelta(days=3),
    # ProcessMedia with ScheduleId or Activities runs a schedule: DescribeTaskDetail's TaskType ScheduleTask
    # ("ScheduleTask：编排处理任务", api.json DescribeTaskDetailResponse.TaskType), data under ScheduleTask.
    # How DescribeTasks spells it is not documented (TaskSimpleInfo.TaskType lists WorkflowTask, EditMediaTask,
    # LiveProcessTask): both spellings are candidates for adoption.
    list_task_types=("WorkflowTask", "ScheduleTask"),
    detail_keys=("WorkflowTask", "ScheduleTask"),
    abort_on_delete=False,
    abortable=frozenset({"WAITING"}),
    steady=frozenset({"WAITING"}),
)

LIVE = TaskSpec(
    kind="LiveStreamProcessTask",
    action="ProcessLiveStream",
    request="ProcessLiveStreamRequest",
    dedup_window=timedelta(days=7),
    list_task_types=("LiveProcessTask",),
    detail_keys=("LiveStreamProcessTask", "LiveScheduleTask"),
    abort_on_delete=True,
    abortable=frozenset({"WAITING", "PROCESSING"}),
    steady=frozenset({"WAITING", "PROCESSING"}),
)

# EditMedia (api.json at the pinned tccli): SessionId "如果三天内曾有过相同的识别码的请求，则本次的请求会返回错误" (3 days);
# DescribeTasks names edit tasks "EditMediaTask" (TaskSimpleInfo.TaskType), and so does DescribeTaskDetail, whose
# ``EditMediaTask`` part holds the result; ManageTask aborts tasks other than live ones only while WAITING.
# EditMedia's SDK error list (tencentcloud-sdk-go mps/v20190612/client.go) names FailedOperation.GenerateResource,
# FailedOperation.InvalidMpsUser, InternalError and InvalidParameter but no SessionId code, so a repeated SessionId
# may come back as plain InvalidParameter.
EDIT = TaskSpec(
    kind="EditMediaTask",
    action="EditMedia",
    request="EditMediaRequest",
    dedup_window=timedelta(days=3),
    list_task_types=("EditMediaTask",),
    detail_keys=("EditMediaTask",),
    abort_on_delete=False,
    abortable=frozenset({"WAITING"}),
    steady=frozenset({"WAITING"}),
    results=_edit_output,
    possible_duplicate_codes=frozenset({"InvalidParameter"}),
)


KINDS = (MEDIA, LIVE, EDIT)


def kind_of(detail: dict[str, Any]) -> tuple[str, TaskSpec | None]:
    """(the TaskType of a DescribeTaskDetail answer, the spec whose resource adopts such a task or None). Without
    a TaskType, the part the answer holds names it."""
    task_type = detail.get("TaskType") or next(
        (key for spec in KINDS for key in spec.detail_keys if isinstance(detail.get(key), dict)), ""
    )
    return task_type, next((spec for spec in KINDS if task_type in spec.detail_keys), None)


@dataclass(frozen=True)
class ConfigSpec(RequestSpec):
    """What differs between the configuration resources (templates, workflows, schedules).

    One generated row per kind (``_config_specs.py``, rendered by ``tools/gen_kinds.py`` from the API schema and
    ``tools/config_kinds.py``): the actions, the members that identify and name the object, the listing's page
    size, and which members ``modify`` cannot change.
    """

    kind: str
    request: str  # the Create request model's name
    create: str
    modify: str
    delete: str
    describe: str
    id_member: str  # Definition, WorkflowId, ScheduleId
    id_field: str  # its snake_case input and output: definition, workflow_id, schedule_id
    ids_filter: str  # Definitions, WorkflowIds, ScheduleIds
    name_member: str
    name_field: str
    name_max_length: int  # the schema's "长度限制：64 个字符" / "最多128字符"
    list_member: str  # <X>TemplateSet, WorkflowInfoSet, ScheduleInfoSet
    page_limit: int  # the Describe action's maximum Limit ("最大值：100", 50 for two families)
    name_filter: bool  # Describe takes Name (templates); otherwise a search pages through the whole listing
    custom_filter: bool  # Describe's Type takes Preset / Custom (not for the watermark families)
    # Create members Modify cannot change, as snake_case paths without list indexes (``std_ext_info``, nested
    # ``*ForUpdate`` differences as ``a.b``): a change replaces the object.
    immutable: tuple[str, ...]
    outputs: tuple[str, ...]  # the members Describe reports for one object, snake_case
    modify_members: tuple[str, ...]  # the API members Modify takes besides the id
    enable: str = ""
    disable: str = ""
    modify_is_reset: bool = False  # Modify replaces the whole object (ResetWorkflow)
    modify_requires_disabled: bool = False  # ResetWorkflow: "重新设置一个已经存在且处于禁用状态的工作流"
    delete_requires_disabled: bool = False  # DeleteWorkflow: "对于已启用的工作流，需要禁用后才能删除"
    unique_name: bool = False
