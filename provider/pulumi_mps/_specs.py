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


@dataclass(frozen=True)
class TaskSpec:
    kind: str
    action: str
    request: str  # the request model's name (models.FIELDS[request] lists its fields without loading it)
    dedup_window: timedelta
    list_task_type: str
    detail_key: str
    abort_on_delete: bool
    abortable: frozenset[str]
    # How the detail part's results are read: (subtasks, output paths of what succeeded).
    results: Callable[[dict[str, Any]], tuple[list[dict[str, Any]], list[str]]] = field(
        default=lambda part: _result_sets(part))
    # Error codes the action may answer a repeated SessionId with besides InvalidParameterValue.SessionId;
    # on one of them the provider looks for the task and, finding none, reports the error as it came.
    possible_duplicate_codes: frozenset[str] = frozenset()

    @property
    def model(self) -> type[MpsModel]:
        """The request model (loads the model classes and pydantic on first use)."""
        model: type[MpsModel] = getattr(models, self.request)
        return model

    @property
    def fields(self) -> tuple[str, ...]:
        """The request's fields (snake_case, API order), without loading the models."""
        return tuple(f.name for f in models.FIELDS[self.request])

    def summarize(self, detail: dict[str, Any]) -> dict[str, Any]:
        """The resource's status outputs from a DescribeTaskDetail answer."""
        part = detail.get(self.detail_key) or {}
        subtasks, output_paths = self.results(part)
        return {
            "status": detail.get("Status") or part.get("Status") or "",
            "create_time": _time(detail.get("CreateTime")),
            "begin_process_time": _time(detail.get("BeginProcessTime")),
            "finish_time": _time(detail.get("FinishTime")),
            "err_code": int(part.get("ErrCode") or 0),
            "message": part.get("Message") or "",
            "subtasks": subtasks,
            "output_paths": output_paths,
        }


def _result_sets(part: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """A part with ``*ResultSet`` lists of sub-task results (WorkflowTask, LiveStreamProcessTask)."""
    subtasks = [_subtask(item) for key, items in part.items() if key.endswith("ResultSet") and items
                for item in items if isinstance(item, dict)]
    return subtasks, [p for s in subtasks if s["status"] == "SUCCESS" for p in s["output_paths"]]


def _edit_output(part: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """EditMediaTask: no sub-tasks; ``Output.Path`` once the task finished with ErrCode 0 (api.json,
    ``EditMediaTask``: Status PROCESSING | FINISH, ErrCode "0：成功；其他值：失败", Output.Path "编辑后的视频文件路径")."""
    path = (part.get("Output") or {}).get("Path")
    done = part.get("Status") == "FINISH" and not int(part.get("ErrCode") or 0)
    return [], [path] if done and isinstance(path, str) and path else []


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


def _subtask(item: dict[str, Any]) -> dict[str, Any]:
    """One entry of a result set: ``{"Type": "Transcode", "TranscodeTask": {Status, ErrCode, Message, Output}}``."""
    body = next((v for k, v in item.items() if k != "Type" and isinstance(v, dict)), {})
    output = {k: v for k, v in body.items() if k not in ("Input",)}
    return {
        "type": item.get("Type") or "",
        "status": body.get("Status") or "",
        "err_code": int(body.get("ErrCode") or 0),
        "message": body.get("Message") or "",
        "output_paths": _paths(output.get("Output") or {}),
    }


MEDIA = TaskSpec(
    kind="MediaProcessTask",
    action="ProcessMedia",
    request="ProcessMediaRequest",
    dedup_window=timedelta(days=3),
    list_task_type="WorkflowTask",
    detail_key="WorkflowTask",
    abort_on_delete=False,
    abortable=frozenset({"WAITING"}),
)

LIVE = TaskSpec(
    kind="LiveStreamProcessTask",
    action="ProcessLiveStream",
    request="ProcessLiveStreamRequest",
    dedup_window=timedelta(days=7),
    list_task_type="LiveProcessTask",
    detail_key="LiveStreamProcessTask",
    abort_on_delete=True,
    abortable=frozenset({"WAITING", "PROCESSING"}),
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
    list_task_type="EditMediaTask",
    detail_key="EditMediaTask",
    abort_on_delete=False,
    abortable=frozenset({"WAITING"}),
    results=_edit_output,
    possible_duplicate_codes=frozenset({"InvalidParameter"}),
)
