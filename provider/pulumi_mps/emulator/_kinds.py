"""The task kinds the emulator models, one row each, mirroring ``pulumi_mps._specs``.

Each field of :class:`TaskKind` is something that differs between kinds; the backend and the result builder
read it here instead of branching on the action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DAY = 86400.0


def media_source(info: Mapping[str, Any]) -> str:
    """The object path or URL of one ``MediaInputInfo``."""
    parts = [
        (info.get("CosInputInfo") or {}).get("Object"),
        (info.get("UrlInputInfo") or {}).get("Url"),
        (info.get("S3InputInfo") or {}).get("S3Object"),
        (info.get("VODInputInfo") or {}).get("Object"),
        (info.get("VODInputInfo") or {}).get("FileId"),
    ]
    return " ".join(str(p) for p in parts if p)


@dataclass(frozen=True)
class TaskKind:
    action: str
    task_type: str  # DescribeTaskDetail.TaskType, and the name of its detail part
    list_task_type: str  # TaskSimpleInfo.TaskType (DescribeTasks)
    id_infix: str  # {AppId}-{id_infix}-{32 hex}
    dedup_window: float
    abortable: frozenset[str]
    durations: tuple[str, str]  # the Durations fields of its WAITING and PROCESSING spans
    source: Callable[[Mapping[str, Any]], str]
    label: str  # how ManageTask's refusal names it
    part: str  # the ResultBuilder part builder of its DescribeTaskDetail part: "workflow", "live" or "edit"
    # ``fail-<kind>`` fails only that kind of sub-task (else the marker fails the source).
    sub_task_faults: bool


KINDS: dict[str, TaskKind] = {
    kind.action: kind
    for kind in (
        # ProcessMedia: SessionId "三天内" (3 days); TaskId "2600007696-WorkflowTask-..." in the docs.
        TaskKind(
            "ProcessMedia",
            "WorkflowTask",
            "WorkflowTask",
            "WorkflowTask",
            3 * DAY,
            frozenset({"WAITING"}),
            ("media_waiting", "media_processing"),
            lambda p: media_source(p.get("InputInfo") or {}),
            "media",
            "workflow",
            True,
        ),
        # ProcessLiveStream: SessionId "七天内" (7 days); DescribeTasks spells it LiveProcessTask; ManageTask aborts it
        # while WAITING or PROCESSING.
        # TaskId "125xxxxxx07-live-procedure-..." in the docs' example.
        TaskKind(
            "ProcessLiveStream",
            "LiveStreamProcessTask",
            "LiveProcessTask",
            "live-procedure",
            7 * DAY,
            frozenset({"WAITING", "PROCESSING"}),
            ("live_waiting", "live_processing"),
            lambda p: str(p.get("Url") or ""),
            "live stream",
            "live",
            False,
        ),
        # EditMedia: SessionId "如果三天内曾有过相同的识别码的请求，则本次的请求会返回错误" (3 days); TaskType
        # "EditMediaTask" in both DescribeTasks and DescribeTaskDetail; TaskId "125xxx88-EditMedia-bffb15f0..." in
        # the EditMedia examples; ManageTask aborts task types other than live ones only while WAITING.
        TaskKind(
            "EditMedia",
            "EditMediaTask",
            "EditMediaTask",
            "EditMedia",
            3 * DAY,
            frozenset({"WAITING"}),
            ("edit_waiting", "edit_processing"),
            lambda p: " ".join(media_source(f.get("InputInfo") or {}) for f in p.get("FileInfos") or []),
            "edit",
            "edit",
            False,
        ),
    )
}

# ProcessMedia with ScheduleId or Activities runs a schedule ("Activities优先级大于ScheduleId"): DescribeTaskDetail's
# TaskType "ScheduleTask：编排处理任务" with the results under ScheduleTask.ActivityResultSet. How DescribeTasks
# spells it is not documented (TaskSimpleInfo.TaskType lists WorkflowTask, EditMediaTask, LiveProcessTask): the
# emulator says ScheduleTask. Same action, so the same SessionId dedup as ProcessMedia.
SCHEDULE = TaskKind(
    "ProcessMedia",
    "ScheduleTask",
    "ScheduleTask",
    "ScheduleTask",
    3 * DAY,
    frozenset({"WAITING"}),
    ("media_waiting", "media_processing"),
    KINDS["ProcessMedia"].source,
    "schedule",
    "workflow",
    True,
)


def kind_of(action: str, params: Mapping[str, Any]) -> TaskKind:
    """The kind of task a request of ``action`` with ``params`` creates."""
    if action == SCHEDULE.action and (params.get("Activities") or params.get("ScheduleId")):
        return SCHEDULE
    return KINDS[action]
