"""What differs between the task resources: API action, request model, dedup window, delete policy, detail part."""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def model(self) -> type[MpsModel]:
        """The request model (loads the model classes and pydantic on first use)."""
        return getattr(models, self.request)

    @property
    def fields(self) -> tuple[str, ...]:
        """The request's fields (snake_case, API order), without loading the models."""
        return tuple(f.name for f in models.FIELDS[self.request])

    def summarize(self, detail: dict[str, Any]) -> dict[str, Any]:
        """The resource's status outputs from a DescribeTaskDetail answer."""
        part = detail.get(self.detail_key) or {}
        subtasks = [_subtask(item) for key, items in part.items() if key.endswith("ResultSet") and items
                    for item in items if isinstance(item, dict)]
        return {
            "status": detail.get("Status") or part.get("Status") or "",
            "create_time": _time(detail.get("CreateTime")),
            "begin_process_time": _time(detail.get("BeginProcessTime")),
            "finish_time": _time(detail.get("FinishTime")),
            "err_code": int(part.get("ErrCode") or 0),
            "message": part.get("Message") or "",
            "subtasks": subtasks,
            "output_paths": [p for s in subtasks if s["status"] == "SUCCESS" for p in s["output_paths"]],
        }


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
