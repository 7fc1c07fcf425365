"""How stored tasks look in answers: status at a given virtual time, DescribeTaskDetail and TaskSimpleInfo.

Every answer is pruned to the members the schema's response objects have, so nothing outside the API shape
is ever emitted. Output paths follow ``{OutputDir or the input's directory}{basename}.{kind}_{Definition}...``
(``transcode_10.mp4``, ``adaptive_10.m3u8``, ``snapshotByTimeOffset_10_0.jpg``, ``sampleSnapshot_10_0.jpg``,
``imageSprite_10_0.jpg`` + ``imageSprite_10.vtt``, ``animatedGraphic_10.gif``); a sub-task's own
``OutputObjectPath`` wins, with ``{inputName}``, ``{definition}``, ``{format}`` and ``{number}`` filled in.
Result ``Type`` values are spelled as the SDK documents them: Transcode, AdaptiveDynamicStreaming,
SnapshotByTimeOffset, SampleSnapshot, ImageSprites, AnimatedGraphics. Outputs appear once a sub-task
succeeded; AI result sets are empty lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlparse

from ._clock import format_iso
from ._edit import edit_part
from ._kinds import KINDS
from ._secrets import strip
from ._store import TaskRecord

MEDIA_ACTION = "ProcessMedia"
LIVE_ACTION = "ProcessLiveStream"

SOURCE_ERROR_CODE = 30010
SOURCE_ERROR_CODE_EXT = "InvalidParameterValue.SrcFile"
SOURCE_ERROR_MESSAGE = "emulator: source media is corrupt"
ABORTED_ERROR_CODE = 30020
ABORTED_ERROR_CODE_EXT = "FailedOperation"
ABORTED_ERROR_MESSAGE = "emulator: task aborted by ManageTask"

_AI_TASKS = ("AiContentReviewTask", "AiAnalysisTask", "AiRecognitionTask", "AiQualityControlTask",
             "SmartSubtitlesTask", "SmartEraseTask", "AIDubbingTask")
_MEDIA_DURATION = 60.0


def task_status(task: TaskRecord, now: float) -> str:
    """WAITING, PROCESSING or FINISH at virtual time ``now``."""
    if task.finish_at <= now:
        return "FINISH"
    if task.begin_at is not None and task.begin_at <= now:
        return "PROCESSING"
    return "WAITING"


def sub_task_types(action: str, request: Mapping[str, Any]) -> list[str]:
    """``SubTaskTypes`` of TaskSimpleInfo: one name per kind of sub-task the request asked for."""
    media = (request.get("MediaProcessTask") or {}) if action == MEDIA_ACTION else {}
    names = [type_name for key, type_name, _, _ in _MEDIA_SETS if media.get(key)]
    return names + [key.removesuffix("Task") for key in _AI_TASKS if request.get(key)]


class ResultBuilder:
    """Builds answers from stored tasks; ``secrets`` are the member names never echoed back."""

    def __init__(self, schema: Mapping[str, Any], secrets: frozenset[str]) -> None:
        self._members = {name: {m["name"]: m for m in obj["members"]} for name, obj in schema["objects"].items()}
        self._secrets = secrets

    def simple(self, task: TaskRecord, now: float) -> dict[str, Any]:
        """A TaskSimpleInfo of DescribeTasks (live tasks are spelled ``LiveProcessTask`` there)."""
        times = _times(task, now)
        return self.conform("TaskSimpleInfo", {
            "TaskId": task.task_id,
            "TaskType": KINDS[task.action].list_task_type,
            "CreateTime": times["create"],
            "BeginProcessTime": times["begin"],
            "FinishTime": times["finish"],
            "SubTaskTypes": sub_task_types(task.action, task.request),
        })

    def detail(self, task: TaskRecord, now: float) -> dict[str, Any]:
        """The DescribeTaskDetail answer (without RequestId)."""
        request = strip(task.request, self._secrets)
        status = task_status(task, now)
        times = _times(task, now)
        answer: dict[str, Any] = {
            "Status": status,
            "CreateTime": times["create"],
            "BeginProcessTime": times["begin"],
            "FinishTime": times["finish"],
            "SessionId": task.session_id,
            "SessionContext": request.get("SessionContext", ""),
            "TasksPriority": request.get("TasksPriority", 0),
            "TaskNotifyConfig": request.get("TaskNotifyConfig"),
            "ExtInfo": "",
        }
        code, ext, message = _outcome(task, status)
        kind = KINDS[task.action]
        answer["TaskType"] = kind.task_type
        if task.action == MEDIA_ACTION:
            answer[kind.task_type] = self._workflow(task, request, status, now, code, ext, message)
        elif task.action == LIVE_ACTION:
            answer[kind.task_type] = {
                "TaskId": task.task_id, "Status": status, "ErrCode": code, "Message": message,
                "Url": request.get("Url", ""),
            }
        else:
            answer[kind.task_type] = edit_part(task.task_id, request, status, code, message)
        return self.conform("DescribeTaskDetailResponse", answer)

    def conform(self, object_name: str, value: Mapping[str, Any]) -> dict[str, Any]:
        """``value`` without nulls and without any member the schema's ``object_name`` does not have."""
        members = self._members[object_name]
        out: dict[str, Any] = {}
        for key, item in value.items():
            member = members.get(key)
            if member is None or item is None:
                continue
            element = member.get("member")
            if member["type"] == "object" and isinstance(item, dict):
                item = self.conform(element, item)
            elif member["type"] == "list" and element in self._members and isinstance(item, list):
                item = [self.conform(element, x) for x in item if isinstance(x, dict)]
            out[key] = item
        return out

    def _workflow(self, task: TaskRecord, request: Mapping[str, Any], status: str, now: float, code: int,
                  ext: str, message: str) -> dict[str, Any]:
        input_info = request.get("InputInfo") or {}
        out_dir, base, input_storage = _locate(input_info)
        out_dir = request.get("OutputDir") or out_dir
        storage = request.get("OutputStorage") or input_storage
        started = task.begin_at is not None and task.begin_at <= now
        sub = _SubState(task, status, now, code, ext, message)
        results = []
        for key, type_name, member, output in _MEDIA_SETS:
            for item in (request.get("MediaProcessTask") or {}).get(key) or []:
                place = _Place(out_dir, base, item.get("OutputStorage") or storage, item)
                results.append({"Type": type_name, member: sub.result(item, output(place) if sub.ok else None,
                                                                      progress=member == "TranscodeTask")})
        return {
            "TaskId": task.task_id,
            "Status": status,
            "ErrCode": code,
            "Message": message,
            "InputInfo": input_info,
            "MetaData": _metadata() if started and not task.failing else None,
            "MediaProcessResultSet": results,
            "AiContentReviewResultSet": [],
            "AiAnalysisResultSet": [],
            "AiRecognitionResultSet": [],
        }


class _SubState:
    """The shared state of every sub-task of one task at one instant."""

    def __init__(self, task: TaskRecord, status: str, now: float, code: int, ext: str, message: str) -> None:
        self.ok = status == "FINISH" and code == 0
        self.status = {"WAITING": "WAITING", "PROCESSING": "PROCESSING"}.get(status, "SUCCESS" if self.ok else "FAIL")
        self.code, self.ext, self.message = code, ext, message if not self.ok else "SUCCESS"
        if status != "FINISH":
            self.message = ""
        self.progress = 100 if self.ok else 0
        if status == "PROCESSING" and task.begin_at is not None:
            span = max(task.finish_at - task.begin_at, 1e-9)
            self.progress = min(99, max(1, int(100 * (now - task.begin_at) / span)))
        times = _times(task, now)
        self.begin, self.finish = times["begin"], times["finish"]

    def result(self, item: Mapping[str, Any], output: dict[str, Any] | None, progress: bool) -> dict[str, Any]:
        result: dict[str, Any] = {
            "Status": self.status, "ErrCodeExt": self.ext, "ErrCode": self.code, "Message": self.message,
            "Input": item, "Output": output, "BeginProcessTime": self.begin, "FinishTime": self.finish,
        }
        if progress:
            result["Progress"] = self.progress
        return result


class _Place:
    """Where one sub-task writes: directory, input basename, storage and its own OutputObjectPath."""

    def __init__(self, out_dir: str, base: str, storage: Any, item: Mapping[str, Any]) -> None:
        self.dir = out_dir if out_dir.endswith("/") else out_dir + "/"
        self.base = base
        self.storage = storage
        self.definition = item.get("Definition", 0)
        self.object_path = item.get("OutputObjectPath") or ""
        self.item = item

    def path(self, kind: str, fmt: str, number: int | None = None) -> str:
        if self.object_path:
            path = (self.object_path.replace("{inputName}", self.base)
                    .replace("{definition}", str(self.definition)).replace("{format}", fmt)
                    .replace("{number}", str(number or 0)))
            return path if path.startswith("/") else self.dir + path
        suffix = "" if number is None else f"_{number}"
        return f"{self.dir}{self.base}.{kind}_{self.definition}{suffix}.{fmt}"


def _transcode(place: _Place) -> dict[str, Any]:
    path = place.path("transcode", "mp4")
    return {"OutputStorage": place.storage, "Path": path, "Definition": place.definition, "Bitrate": 1_200_000,
            "Height": 720, "Width": 1280, "Size": 9_000_000, "Duration": _MEDIA_DURATION, "Container": "mp4",
            "Md5": _md5(path), "AudioStreamSet": [], "VideoStreamSet": []}


def _animated(place: _Place) -> dict[str, Any]:
    path = place.path("animatedGraphic", "gif")
    return {"Storage": place.storage, "Path": path, "Definition": place.definition, "Container": "gif",
            "Height": 240, "Width": 320, "Bitrate": 500_000, "Size": 400_000, "Md5": _md5(path),
            "StartTimeOffset": place.item.get("StartTimeOffset", 0.0),
            "EndTimeOffset": place.item.get("EndTimeOffset", 0.0)}


def _snapshot_by_time(place: _Place) -> dict[str, Any]:
    offsets = list(place.item.get("TimeOffsetSet") or [])
    offsets += [_ext_offset(x) for x in place.item.get("ExtTimeOffsetSet") or []]
    pics = [{"TimeOffset": float(t), "Path": place.path("snapshotByTimeOffset", "jpg", i), "WaterMarkDefinition": []}
            for i, t in enumerate(offsets or [0.0])]
    return {"Definition": place.definition, "PicInfoSet": pics, "Storage": place.storage}


def _sample_snapshot(place: _Place) -> dict[str, Any]:
    return {"Definition": place.definition, "SampleType": "Percent", "Interval": 10, "Storage": place.storage,
            "ImagePathSet": [place.path("sampleSnapshot", "jpg", i) for i in range(3)], "WaterMarkDefinition": []}


def _image_sprite(place: _Place) -> dict[str, Any]:
    return {"Definition": place.definition, "Height": 80, "Width": 142, "TotalCount": 1,
            "ImagePathSet": [place.path("imageSprite", "jpg", 0)], "WebVttPath": place.path("imageSprite", "vtt"),
            "Storage": place.storage}


def _adaptive(place: _Place) -> dict[str, Any]:
    return {"Definition": place.definition, "Package": "HLS", "Path": place.path("adaptive", "m3u8"),
            "Storage": place.storage}


_MEDIA_SETS: tuple[tuple[str, str, str, Callable[[_Place], dict[str, Any]]], ...] = (
    ("TranscodeTaskSet", "Transcode", "TranscodeTask", _transcode),
    ("AnimatedGraphicTaskSet", "AnimatedGraphics", "AnimatedGraphicTask", _animated),
    ("SnapshotByTimeOffsetTaskSet", "SnapshotByTimeOffset", "SnapshotByTimeOffsetTask", _snapshot_by_time),
    ("SampleSnapshotTaskSet", "SampleSnapshot", "SampleSnapshotTask", _sample_snapshot),
    ("ImageSpriteTaskSet", "ImageSprites", "ImageSpriteTask", _image_sprite),
    ("AdaptiveDynamicStreamingTaskSet", "AdaptiveDynamicStreaming", "AdaptiveDynamicStreamingTask", _adaptive),
)


def _outcome(task: TaskRecord, status: str) -> tuple[int, str, str]:
    if status != "FINISH":
        return 0, "", ""
    if task.aborted_at is not None:
        return ABORTED_ERROR_CODE, ABORTED_ERROR_CODE_EXT, ABORTED_ERROR_MESSAGE
    if task.failing:
        return SOURCE_ERROR_CODE, SOURCE_ERROR_CODE_EXT, SOURCE_ERROR_MESSAGE
    return 0, "", ""


def _times(task: TaskRecord, now: float) -> dict[str, str]:
    begin = task.begin_at if task.begin_at is not None and task.begin_at <= now else None
    return {"create": format_iso(task.created), "begin": format_iso(begin),
            "finish": format_iso(task.finish_at if task.finish_at <= now else None)}


def _locate(input_info: Mapping[str, Any]) -> tuple[str, str, dict[str, Any] | None]:
    """The input's directory, its basename without extension, and the storage outputs inherit."""
    kind = input_info.get("Type")
    storage: dict[str, Any] | None = None
    obj = ""
    if kind == "COS":
        cos = input_info.get("CosInputInfo") or {}
        obj = cos.get("Object", "")
        storage = {"Type": "COS", "CosOutputStorage": {"Bucket": cos.get("Bucket"), "Region": cos.get("Region")}}
    elif kind == "URL":
        obj = urlparse((input_info.get("UrlInputInfo") or {}).get("Url", "")).path
    elif kind == "AWS-S3":
        s3 = input_info.get("S3InputInfo") or {}
        obj = s3.get("S3Object", "")
        storage = {"Type": "AWS-S3", "S3OutputStorage": {"S3Bucket": s3.get("S3Bucket"),
                                                         "S3Region": s3.get("S3Region")}}
    elif kind == "VOD":
        vod = input_info.get("VODInputInfo") or {}
        obj = vod.get("Object") or vod.get("FileId") or ""
        storage = {"Type": "VOD", "VODOutputStorage": {k: vod[k] for k in ("Bucket", "Region", "SubAppId")
                                                       if k in vod}}
    folder, _, filename = obj.rpartition("/")
    folder = folder.strip("/")
    base = filename.rsplit(".", 1)[0] if "." in filename else filename
    return (f"/{folder}/" if folder else "/"), base or "media", storage


def _metadata() -> dict[str, Any]:
    return {"Size": 10_485_760, "Container": "mov,mp4,m4a,3gp,3g2,mj2", "Bitrate": 1_400_000, "Height": 1080,
            "Width": 1920, "Duration": _MEDIA_DURATION, "Rotate": 0, "VideoStreamSet": [], "AudioStreamSet": [],
            "VideoDuration": _MEDIA_DURATION, "AudioDuration": _MEDIA_DURATION}


def _md5(path: str) -> str:
    return hashlib.md5(path.encode("utf-8")).hexdigest()


def _ext_offset(text: Any) -> float:
    """Milliseconds of an ExtTimeOffsetSet item such as ``"3s"`` (percentages and others read as 0)."""
    if isinstance(text, str) and text.endswith("s"):
        try:
            return float(text[:-1]) * 1000
        except ValueError:
            return 0.0
    return 0.0
