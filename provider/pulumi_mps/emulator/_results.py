"""How stored tasks look in answers: status at a given virtual time, DescribeTaskDetail and TaskSimpleInfo.

Every answer has exactly the members of the schema's response object, absent ones as explicit ``null``, as
MPS answers (tccli examples.json, DescribeTaskDetail). The per-kind facts of the results sit in one table,
``RESULT_KINDS``: where the request asks for a sub-task, the ``SubTaskTypes`` spelling, where its result goes
in a WorkflowTask and in a ScheduleTask's ``ActivityResultSet``, and the ``fail-<marker>`` that makes it fail.
Outputs are built from the schema's result objects (every member present); paths follow the docs' defaults,
``{OutputDir or the input's directory}{inputName}_transcode_{definition}.{format}`` and so on, or the
sub-task's own ``OutputObjectPath`` with ``{inputName}``, ``{definition}``, ``{format}``, ``{number}`` filled in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from ._clock import format_iso
from ._edit import edit_part
from ._faults import (
    SOURCE_ERROR_CODE,
    SOURCE_ERROR_CODE_EXT,
    SOURCE_ERROR_MESSAGE,
    SUBTASK_ERROR_CODE,
    SUBTASK_ERROR_CODE_EXT,
    SUBTASK_ERROR_MESSAGE,
    marked,
)
from ._kinds import TaskKind, kind_of
from ._secrets import strip
from ._store import TaskRecord
from ._validate import as_number

ABORTED_ERROR_CODE = 30020
ABORTED_ERROR_CODE_EXT = "FailedOperation"
ABORTED_ERROR_MESSAGE = "emulator: task aborted by ManageTask"
# A sub-task naming a template that does not exist: ErrCodeExt "InvalidInput.DefinitionNotExist" ("输入参数不合法：指定的
# 模板 ID 不存在", the docs' 媒体处理类错误码 862/50369, the list ErrCodeExt refers to); the number is the emulator's.
MISSING_TEMPLATE_ERROR = (40000, "InvalidInput.DefinitionNotExist", "emulator: the template does not exist")

_MEDIA_DURATION = 60.0


@dataclass(frozen=True)
class ResultKind:
    """One kind of sub-task: how it is asked for, listed, reported and made to fail."""

    marker: str  # ``fail-<marker>`` in the input path or URL makes only this kind fail
    request: str  # the request member asking for it; in MediaProcessTask when ``in_media``
    in_media: bool
    sub_task_type: str  # TaskSimpleInfo.SubTaskTypes (examples.json: "action-trans"; Activity.ActivityType)
    activity_type: str  # ActivityResult.ActivityType
    activity_slot: str  # ActivityResItem member holding the result
    member: str  # WorkflowTask member holding the result
    entry_type: str | None  # the list entry's ``Type``; None when ``member`` is the result itself
    slot: str | None  # the list entry's member holding the result
    output: Callable[[_Place], dict[str, Any]] | None = None  # paths and sizes over the schema's Output shape


def _transcode(place: _Place) -> dict[str, Any]:
    container = place.container()
    fmt = {"hls": "m3u8", "dash": "mpd"}.get(container, container)
    path = place.path("transcode", fmt)
    return {
        "OutputStorage": place.storage,
        "Path": path,
        "Definition": place.definition,
        "Bitrate": 1_200_000,
        "Height": 720,
        "Width": 1280,
        "Size": 9_000_000,
        "Duration": _MEDIA_DURATION,
        "Container": "hls,applehttp" if fmt == "m3u8" else container,
        "Md5": _md5(path),
    }


def _animated(place: _Place) -> dict[str, Any]:
    path = place.path("animatedGraphic", "gif")
    return {
        "Storage": place.storage,
        "Path": path,
        "Definition": place.definition,
        "Container": "gif",
        "Height": 240,
        "Width": 320,
        "Bitrate": 500_000,
        "Size": 400_000,
        "Md5": _md5(path),
        "StartTimeOffset": place.item.get("StartTimeOffset", 0.0),
        "EndTimeOffset": place.item.get("EndTimeOffset", 0.0),
    }


def _snapshot_by_time(place: _Place) -> dict[str, Any]:
    offsets = [as_number("float", t) for t in place.item.get("TimeOffsetSet") or []]
    offsets += [_ext_offset(x) for x in place.item.get("ExtTimeOffsetSet") or []]
    pics = [
        {
            "TimeOffset": float(t),
            "Path": place.path("snapshotByTimeOffset", "jpg", i),
            "WaterMarkDefinition": [],
        }
        for i, t in enumerate(offsets or [0.0])
    ]
    return {"Definition": place.definition, "PicInfoSet": pics, "Storage": place.storage}


def _sample_snapshot(place: _Place) -> dict[str, Any]:
    return {
        "Definition": place.definition,
        "SampleType": "Percent",
        "Interval": 10,
        "Storage": place.storage,
        "ImagePathSet": [place.path("sampleSnapshot", "jpg", i) for i in range(3)],
        "WaterMarkDefinition": [],
    }


def _image_sprite(place: _Place) -> dict[str, Any]:
    return {
        "Definition": place.definition,
        "Height": 80,
        "Width": 142,
        "TotalCount": 1,
        "ImagePathSet": [place.path("imageSprite", "jpg", 0)],
        "WebVttPath": place.path("imageSprite", "vtt"),
        "Storage": place.storage,
    }


def _adaptive(place: _Place) -> dict[str, Any]:
    return {
        "Definition": place.definition,
        "Package": "HLS",
        "Path": place.path("adaptiveDynamicStreaming", "m3u8"),
        "Storage": place.storage,
    }


def _erase(place: _Place) -> dict[str, Any]:
    return {"Path": place.path("smartErase", "mp4"), "OutputStorage": place.storage}


def _dubbing(place: _Place) -> dict[str, Any]:
    return {"VideoPath": place.path("aiDubbing", "mp4"), "OutputStorage": place.storage}


RESULT_KINDS: tuple[ResultKind, ...] = (
    ResultKind(
        "transcode",
        "TranscodeTaskSet",
        True,
        "action-trans",
        "Transcode",
        "TranscodeTask",
        "MediaProcessResultSet",
        "Transcode",
        "TranscodeTask",
        _transcode,
    ),
    ResultKind(
        "animatedgraphics",
        "AnimatedGraphicTaskSet",
        True,
        "action-animated-graphics",
        "AnimatedGraphics",
        "AnimatedGraphicTask",
        "MediaProcessResultSet",
        "AnimatedGraphics",
        "AnimatedGraphicTask",
        _animated,
    ),
    ResultKind(
        "snapshotbytimeoffset",
        "SnapshotByTimeOffsetTaskSet",
        True,
        "action-snapshotByTimeOffset",
        "SnapshotByTimeOffset",
        "SnapshotByTimeOffsetTask",
        "MediaProcessResultSet",
        "SnapshotByTimeOffset",
        "SnapshotByTimeOffsetTask",
        _snapshot_by_time,
    ),
    ResultKind(
        "samplesnapshot",
        "SampleSnapshotTaskSet",
        True,
        "action-samplesnapshot",
        "SampleSnapshot",
        "SampleSnapshotTask",
        "MediaProcessResultSet",
        "SampleSnapshot",
        "SampleSnapshotTask",
        _sample_snapshot,
    ),
    ResultKind(
        "imagesprites",
        "ImageSpriteTaskSet",
        True,
        "action-image-sprite",
        "ImageSprites",
        "ImageSpriteTask",
        "MediaProcessResultSet",
        "ImageSprites",
        "ImageSpriteTask",
        _image_sprite,
    ),
    ResultKind(
        "adaptivedynamicstreaming",
        "AdaptiveDynamicStreamingTaskSet",
        True,
        "action-adaptive-substream",
        "AdaptiveDynamicStreaming",
        "AdaptiveDynamicStreamingTask",
        "MediaProcessResultSet",
        "AdaptiveDynamicStreaming",
        "AdaptiveDynamicStreamingTask",
        _adaptive,
    ),
    ResultKind(
        "aicontentreview",
        "AiContentReviewTask",
        False,
        "action-aiReview",
        "AiContentReview",
        "ReviewTask",
        "AiContentReviewResultSet",
        "Porn",
        "PornTask",
    ),
    ResultKind(
        "aianalysis",
        "AiAnalysisTask",
        False,
        "action-AIAnalysis",
        "AIAnalysis",
        "AnalysisTask",
        "AiAnalysisResultSet",
        "Tag",
        "TagTask",
    ),
    ResultKind(
        "airecognition",
        "AiRecognitionTask",
        False,
        "action-AIRecognition",
        "AIRecognition",
        "RecognitionTask",
        "AiRecognitionResultSet",
        "AsrFullTextRecognition",
        "AsrFullTextTask",
    ),
    ResultKind(
        "aiqualitycontrol",
        "AiQualityControlTask",
        False,
        "action-AIQualityControl",
        "AiQualityControl",
        "QualityControlTask",
        "AiQualityControlTaskResult",
        None,
        None,
    ),
    ResultKind(
        "smartsubtitles",
        "SmartSubtitlesTask",
        False,
        "action-SmartSubtitles",
        "SmartSubtitles",
        "SmartSubtitlesTask",
        "SmartSubtitlesTaskResult",
        "AsrFullTextRecognition",
        "AsrFullTextTask",
    ),
    ResultKind(
        "smarterase",
        "SmartEraseTask",
        False,
        "action-SmartErase",
        "SmartErase",
        "SmartEraseTask",
        "SmartEraseTaskResult",
        None,
        None,
        _erase,
    ),
    ResultKind(
        "aidubbing",
        "AIDubbingTask",
        False,
        "action-AIDubbing",
        "Dubbing",
        "AIDubbingTask",
        "AiDubbingTaskResult",
        None,
        None,
        _dubbing,
    ),
)
_BY_SUB_TASK_TYPE = {k.sub_task_type: k for k in RESULT_KINDS}
_MARKERS = frozenset(k.marker for k in RESULT_KINDS)


def failing_kind(kind: TaskKind, request: Mapping[str, Any]) -> tuple[bool, str | None]:
    """Whether the task fails, and which kind of sub-task alone fails (None: the source, so all of them)."""
    return marked(kind.source(request), _MARKERS if kind.sub_task_faults else ())


def task_status(task: TaskRecord, now: float) -> str:
    """WAITING, PROCESSING or FINISH at virtual time ``now``."""
    if task.finish_at <= now:
        return "FINISH"
    if task.begin_at is not None and task.begin_at <= now:
        return "PROCESSING"
    return "WAITING"


def task_kind(task: TaskRecord) -> TaskKind:
    return kind_of(task.action, task.request)


def asked(request: Mapping[str, Any]) -> list[tuple[ResultKind, Mapping[str, Any]]]:
    """Each sub-task the request asks for, with its input, in the kinds' order."""
    if request.get("Activities"):
        found: list[tuple[ResultKind, Mapping[str, Any]]] = []
        for activity in request["Activities"]:
            kind = _BY_SUB_TASK_TYPE.get(activity.get("ActivityType", ""))
            if kind is not None:
                para = activity.get("ActivityPara") or {}
                found.append((kind, para.get(kind.request) or para.get(kind.activity_slot) or {}))
        return found
    media = request.get("MediaProcessTask") or {}
    found = []
    for kind in RESULT_KINDS:
        if kind.in_media:
            found += [(kind, item) for item in media.get(kind.request) or [] if isinstance(item, dict)]
        elif isinstance(request.get(kind.request), dict):
            found.append((kind, request[kind.request]))
    return found


def sub_task_types(request: Mapping[str, Any]) -> list[str]:
    """``SubTaskTypes`` of TaskSimpleInfo: one name per kind of sub-task the request asked for."""
    return list(dict.fromkeys(kind.sub_task_type for kind, _ in asked(request)))


class ResultBuilder:
    """Builds answers from stored tasks; ``secrets`` are the member names never echoed back."""

    def __init__(self, schema: Mapping[str, Any], secrets: frozenset[str]) -> None:
        self._members = {
            name: {m["name"]: m for m in obj["members"]} for name, obj in schema["objects"].items()
        }
        self._secrets = secrets
        self._parts: dict[str, Callable[..., dict[str, Any]]] = {
            "workflow": self._workflow,
            "live": self._live,
            "edit": self._edit,
        }

    def simple(self, task: TaskRecord, now: float) -> dict[str, Any]:
        """A TaskSimpleInfo of DescribeTasks (live tasks are spelled ``LiveProcessTask`` there)."""
        times = _times(task, now)
        return self.conform(
            "TaskSimpleInfo",
            {
                "TaskId": task.task_id,
                "TaskType": task_kind(task).list_task_type,
                "CreateTime": times["create"],
                "BeginProcessTime": times["begin"],
                "FinishTime": times["finish"],
                "SubTaskTypes": sub_task_types(task.request),
            },
        )

    def detail(
        self, task: TaskRecord, now: float, templates: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The DescribeTaskDetail answer (without RequestId); ``templates``: what the task's creation kept of the
        templates it names (``Configs.task_templates``)."""
        request = strip(task.request, self._secrets)
        status = task_status(task, now)
        times = _times(task, now)
        kind = task_kind(task)
        answer: dict[str, Any] = {
            "TaskType": kind.task_type,
            "Status": status,
            "CreateTime": times["create"],
            "BeginProcessTime": times["begin"],
            "FinishTime": times["finish"],
            "SessionId": task.session_id,
            "SessionContext": request.get("SessionContext", ""),
            "TasksPriority": as_number("int64", request.get("TasksPriority", 0)),
            "TaskNotifyConfig": request.get("TaskNotifyConfig"),
            "ExtInfo": "",
        }
        code, ext, message = _outcome(task, status)
        nested = "PROCESSING" if status == "WAITING" else status  # a nested task is PROCESSING or FINISH
        part = self._parts[kind.part](task, request, status, now, code, ext, message, templates or {})
        answer[kind.task_type] = {**part, "Status": nested}
        return {
            k: v for k, v in self.conform("DescribeTaskDetailResponse", answer).items() if k != "RequestId"
        }

    def conform(self, object_name: str, value: Mapping[str, Any]) -> dict[str, Any]:
        """``value`` with exactly the members of the schema's ``object_name``, absent ones as ``None``."""
        out: dict[str, Any] = {}
        for key, member in self._members[object_name].items():
            item = value.get(key)
            element = member.get("member")
            if member["type"] == "list" and element in self._members and isinstance(item, dict):
                item = [item]  # a schedule activity's Output is a list of the results a workflow holds singly
            if member["type"] == "object" and isinstance(item, dict):
                item = self.conform(element, item)
            elif member["type"] == "list" and element in self._members and isinstance(item, list):
                item = [self.conform(element, x) for x in item if isinstance(x, dict)]
            elif member["type"] not in ("object", "list"):
                item = _as_scalar(element, item)
            out[key] = item
        return out

    def _live(
        self,
        task: TaskRecord,
        request: Mapping[str, Any],
        status: str,
        now: float,
        code: int,
        ext: str,
        message: str,
        templates: Mapping[str, Any],
    ) -> dict[str, Any]:
        return {"TaskId": task.task_id, "ErrCode": code, "Message": message, "Url": request.get("Url", "")}

    def _edit(
        self,
        task: TaskRecord,
        request: Mapping[str, Any],
        status: str,
        now: float,
        code: int,
        ext: str,
        message: str,
        templates: Mapping[str, Any],
    ) -> dict[str, Any]:
        return edit_part(task.task_id, request, status, code, message)

    def _workflow(
        self,
        task: TaskRecord,
        request: Mapping[str, Any],
        status: str,
        now: float,
        code: int,
        ext: str,
        message: str,
        templates: Mapping[str, Any],
    ) -> dict[str, Any]:
        input_info = request.get("InputInfo") or {}
        out_dir, base, input_storage = _locate(input_info)
        out_dir = request.get("OutputDir") or out_dir
        storage = request.get("OutputStorage") or input_storage
        started = task.begin_at is not None and task.begin_at <= now
        _, failing = failing_kind(task_kind(task), task.request)
        schedule = "ActivityResultSet" in self._members[task_kind(task).task_type]
        part: dict[str, Any] = {
            "TaskId": task.task_id,
            "ErrCode": code,
            "Message": message,
            "InputInfo": input_info,
            "MetaData": _metadata() if started and not (task.failing and failing is None) else None,
        }
        if schedule:
            part["ActivityResultSet"] = []
        else:
            part.update({k.member: [] for k in RESULT_KINDS if k.entry_type is not None})
        missing = {(marker, definition) for marker, definition in templates.get("missing", [])}
        containers = templates.get("containers", {})
        activities = templates.get("activities")  # a ScheduleId's stored schedule
        for kind, item in asked({**request, "Activities": activities} if activities else request):
            fails = task.failing and (failing is None or failing == kind.marker)
            definition = as_number("int64", item.get("Definition"))
            error = MISSING_TEMPLATE_ERROR if (kind.marker, definition) in missing else None
            sub = _SubState(task, status, now, code, ext, message, fails or error is not None, error)
            place = _Place(
                out_dir, base, item.get("OutputStorage") or storage, item, containers.get(str(definition))
            )
            built = (kind.output(place) if kind.output is not None else {}) if sub.ok else None
            result = sub.result(item, built)
            if schedule:
                part["ActivityResultSet"].append(
                    {"ActivityType": kind.activity_type, "ActivityResItem": {kind.activity_slot: result}}
                )
            elif kind.entry_type is None:
                part[kind.member] = result
            else:
                part[kind.member].append({"Type": kind.entry_type, kind.slot: result})
        return part


class _SubState:
    """The state of one sub-task of a task at one instant: PROCESSING, SUCCESS or FAIL (never WAITING)."""

    def __init__(
        self,
        task: TaskRecord,
        status: str,
        now: float,
        code: int,
        ext: str,
        message: str,
        fails: bool,
        error: tuple[int, str, str] | None = None,
    ) -> None:
        finished = status == "FINISH"
        if finished and not code and fails:
            code, ext, message = error or (SUBTASK_ERROR_CODE, SUBTASK_ERROR_CODE_EXT, SUBTASK_ERROR_MESSAGE)
        self.ok = finished and code == 0
        self.status = "PROCESSING" if not finished else "SUCCESS" if self.ok else "FAIL"
        self.code, self.ext = (code, ext) if finished and not self.ok else (0, "SUCCESS" if self.ok else "")
        self.message = message if finished and not self.ok else "SUCCESS" if self.ok else ""
        self.progress = 100 if self.ok else 0
        if status == "PROCESSING" and task.begin_at is not None:
            span = max(task.finish_at - task.begin_at, 1e-9)
            self.progress = min(99, max(1, int(100 * (now - task.begin_at) / span)))
        times = _times(task, now)
        self.begin, self.finish = times["begin"], times["finish"]

    def result(self, item: Mapping[str, Any], output: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "Status": self.status,
            "ErrCodeExt": self.ext,
            "ErrCode": self.code,
            "Message": self.message,
            "Input": item,
            "Output": output,
            "Progress": self.progress,
            "BeginProcessTime": self.begin,
            "FinishTime": self.finish,
        }


class _Place:
    """Where one sub-task writes: directory, input basename, storage and its own OutputObjectPath."""

    def __init__(
        self, out_dir: str, base: str, storage: Any, item: Mapping[str, Any], container: str | None = None
    ) -> None:
        self.dir = out_dir if out_dir.endswith("/") else out_dir + "/"
        self.template_container = container
        self.base = base
        self.storage = storage
        self.definition = as_number("int64", item.get("Definition", 0))
        self.object_path = item.get("OutputObjectPath") or ""
        self.item = item

    def container(self) -> str:
        """The transcode container: the raw parameters' Container, else the template's (kept when the task was
        created), else by the preset template's family.

        Preset transcode templates 210-240 (and 100210-100240) are HLS, as the docs' DescribeTaskDetail
        example shows (Definition 210 -> ``.m3u8``, Container ``hls,applehttp``); the others MP4.
        """
        raw = (self.item.get("RawParameter") or {}).get("Container") or self.template_container
        if raw:
            return str(raw).lower()
        return "hls" if isinstance(self.definition, int) and 200 <= self.definition % 1000 < 300 else "mp4"

    def path(self, kind: str, fmt: str, number: int | None = None) -> str:
        """The docs' default ``{inputName}_{kind}_{definition}[_{number}].{format}`` or OutputObjectPath."""
        if self.object_path:
            path = (
                self.object_path.replace("{inputName}", self.base)
                .replace("{definition}", str(self.definition))
                .replace("{format}", fmt)
                .replace("{number}", str(number or 0))
            )
            return path if path.startswith("/") else self.dir + path
        suffix = "" if number is None else f"_{number}"
        return f"{self.dir}{self.base}_{kind}_{self.definition}{suffix}.{fmt}"


def _as_scalar(kind: str, value: Any) -> Any:
    """``value`` in the schema's type: a number written as a string, or a number the schema writes as a string
    (TranscodeTemplate.Definition)."""
    if kind == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return as_number(kind, value)


def _outcome(task: TaskRecord, status: str) -> tuple[int, str, str]:
    """The task's own ErrCode: non-zero only when the task was aborted or its source fails."""
    if status != "FINISH":
        return 0, "", ""
    if task.aborted_at is not None:
        return ABORTED_ERROR_CODE, ABORTED_ERROR_CODE_EXT, ABORTED_ERROR_MESSAGE
    if task.failing and failing_kind(task_kind(task), task.request)[1] is None:
        return SOURCE_ERROR_CODE, SOURCE_ERROR_CODE_EXT, SOURCE_ERROR_MESSAGE
    return 0, "", ""


def _times(task: TaskRecord, now: float) -> dict[str, str]:
    begin = task.begin_at if task.begin_at is not None and task.begin_at <= now else None
    return {
        "create": format_iso(task.created),
        "begin": format_iso(begin),
        "finish": format_iso(task.finish_at if task.finish_at <= now else None),
    }


def _locate(input_info: Mapping[str, Any]) -> tuple[str, str, dict[str, Any] | None]:
    """The input's directory, its basename without extension, and the storage outputs inherit."""
    kind = input_info.get("Type")
    storage: dict[str, Any] | None = None
    obj = ""
    if kind == "COS":
        cos = input_info.get("CosInputInfo") or {}
        obj = cos.get("Object", "")
        storage = {
            "Type": "COS",
            "CosOutputStorage": {"Bucket": cos.get("Bucket"), "Region": cos.get("Region")},
        }
    elif kind == "URL":
        obj = urlparse((input_info.get("UrlInputInfo") or {}).get("Url", "")).path
    elif kind == "AWS-S3":
        s3 = input_info.get("S3InputInfo") or {}
        obj = s3.get("S3Object", "")
        storage = {
            "Type": "AWS-S3",
            "S3OutputStorage": {"S3Bucket": s3.get("S3Bucket"), "S3Region": s3.get("S3Region")},
        }
    elif kind == "VOD":
        vod = input_info.get("VODInputInfo") or {}
        obj = vod.get("Object") or vod.get("FileId") or ""
        storage = {
            "Type": "VOD",
            "VODOutputStorage": {k: vod[k] for k in ("Bucket", "Region", "SubAppId") if k in vod},
        }
    folder, _, filename = obj.rpartition("/")
    folder = folder.strip("/")
    base = filename.rsplit(".", 1)[0] if "." in filename else filename
    return (f"/{folder}/" if folder else "/"), base or "media", storage


def _metadata() -> dict[str, Any]:
    return {
        "Size": 10_485_760,
        "Container": "mov,mp4,m4a,3gp,3g2,mj2",
        "Bitrate": 1_400_000,
        "Height": 1080,
        "Width": 1920,
        "Duration": _MEDIA_DURATION,
        "Rotate": 0,
        "VideoStreamSet": [],
        "AudioStreamSet": [],
        "VideoDuration": _MEDIA_DURATION,
        "AudioDuration": _MEDIA_DURATION,
    }


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
