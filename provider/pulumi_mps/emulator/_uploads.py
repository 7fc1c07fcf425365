"""Objects arriving in storage (``POST /_emulator/uploads``): every enabled workflow or schedule whose trigger
matches starts a task, as MPS does for a file uploaded "到该对象" its trigger names.

The body: ``{"type": "COS" | "AWS-S3", "bucket": B, "region": R, "object": "/movie/a.mp4", "appid": N}`` (``type``
defaults to COS, ``appid`` is optional). A trigger matches when its Type is that storage's (``CosFileUpload`` /
``AwsS3FileUpload``), its bucket and region are the object's, the object lies under its ``Dir`` (a prefix; "不填代表
根目录`/`") and its extension is one of its ``Formats``:

- ``CosFileUploadTrigger.Formats``: "`*`：支持任意文件格式"; "不传或者传空列表：支持系统预设文件格式" (the 24 video, audio and
  subtitle extensions of ``SYSTEM_FORMATS``); "扩展名传入时带不带`.`都可以". Extensions compare case-insensitively.
- ``AwsS3FileUploadTrigger.Formats``: "不填代表所有格式的文件都可以触发工作流".

Which account: a bucket belongs to one account (COS names end in ``-<AppId>``), so every account's workflows and
schedules are matched, and ``appid``, when given, keeps only that account's.

Each match starts its task through the backend's ProcessMedia path (validation, templates, lifecycle, results,
DescribeTasks / DescribeTaskDetail, and whatever else task creation does): a workflow with its MediaProcessTask,
AI tasks, OutputStorage, OutputDir, TaskNotifyConfig and TaskPriority (as TasksPriority), a schedule with its
ScheduleId, Activities, OutputStorage, OutputDir, TaskNotifyConfig and ResourceId (a ``ScheduleTask`` with an
``ActivityResultSet``). The InputInfo is the object (``CosInputInfo`` / ``S3InputInfo``); outputs go where the
trigger's storage and the object's directory say when the workflow names none ("不填则继承 Trigger 中的存储位置",
"如果不填，表示与触发文件所在的目录一致"). The answer: ``{"TaskIds": [...], "Triggered": [{"TaskId", "AppId", "Kind"
("Workflow" / "Schedule"), "Id", "Name"}]}`` (a match whose task ProcessMedia refuses has ``"Error": {"Code",
"Message"}`` instead of a TaskId). A disabled workflow or schedule starts nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._errors import EmulatorError
from ._store import ConfigRecord

if TYPE_CHECKING:
    from ._backend import Backend

# CosFileUploadTrigger.Formats: "不传或者传空列表：支持系统预设文件格式（视频：`.mp4`、`.ts`、`.flv`、`.wmv`、`.asf`、`.rm`、
# `.rmvb`、`.mpg`、`.mpeg`、`.3gp`、`.mov`、`.webm`、`.mkv`、`.avi`、`.m4v`，音频：`.mp3`、`.m4a`、`.flac`、`.ogg`、`.wav`、
# `.amr`、`.aac`，字幕：`.vtt`、`.srt`）".
SYSTEM_FORMATS = frozenset(
    "mp4 ts flv wmv asf rm rmvb mpg mpeg 3gp mov webm mkv avi m4v mp3 m4a flac ogg wav amr aac vtt srt".split()
)
_KEYS = {"type", "bucket", "region", "object", "appid"}
# The media process members a workflow passes on to its tasks as they are.
_WORKFLOW_MEMBERS = (
    "OutputStorage",
    "OutputDir",
    "MediaProcessTask",
    "AiContentReviewTask",
    "AiAnalysisTask",
    "AiRecognitionTask",
    "TaskNotifyConfig",
)
_SCHEDULE_MEMBERS = ("Activities", "OutputStorage", "OutputDir", "TaskNotifyConfig", "ResourceId")


@dataclass(frozen=True)
class _Storage:
    """One kind of storage: its trigger's Type and rule, the rule's bucket/region members, the input it makes."""

    trigger: str
    rule: str
    bucket: str
    region: str
    any_when_empty: bool  # empty Formats: any file (AWS) or the system formats (COS)

    def input_info(self, kind: str, bucket: str, region: str, path: str) -> dict[str, Any]:
        if kind == "COS":
            return {"Type": "COS", "CosInputInfo": {"Bucket": bucket, "Region": region, "Object": path}}
        return {"Type": "AWS-S3", "S3InputInfo": {"S3Bucket": bucket, "S3Region": region, "S3Object": path}}


_STORAGES = {
    "COS": _Storage("CosFileUpload", "CosFileUploadTrigger", "Bucket", "Region", False),
    "AWS-S3": _Storage("AwsS3FileUpload", "AwsS3FileUploadTrigger", "S3Bucket", "S3Region", True),
}


def upload(backend: Backend, data: Mapping[str, Any]) -> dict[str, Any]:
    """Start the tasks of every enabled workflow and schedule the object triggers; ValueError on a bad body."""
    unknown = set(data) - _KEYS
    if unknown:
        raise ValueError(f"unknown upload keys: {sorted(unknown)}")
    kind = data.get("type") or "COS"
    storage = _STORAGES.get(kind)
    if storage is None:
        raise ValueError(f"type must be one of {sorted(_STORAGES)}, got {kind!r}")
    bucket, region, path = (data.get(key) for key in ("bucket", "region", "object"))
    if not all(isinstance(value, str) and value for value in (bucket, region, path)):
        raise ValueError("bucket, region and object must be non-empty strings")
    assert isinstance(bucket, str) and isinstance(region, str) and isinstance(path, str)
    path = path if path.startswith("/") else "/" + path
    appid = data.get("appid")
    if appid is not None and (isinstance(appid, bool) or not isinstance(appid, int)):
        raise ValueError("appid must be an integer")
    started = []
    for config_kind, start in (("Workflow", _workflow_task), ("Schedule", _schedule_task)):
        for record in backend.store.list_configs(config_kind):
            if record.status != "Enabled" or (appid is not None and record.appid != str(appid)):
                continue
            if not _matches(storage, record.body.get("Trigger") or {}, bucket, region, path):
                continue
            account = next((a for a in backend.accounts.values() if str(a.appid) == record.appid), None)
            if account is None:  # the account is no longer served
                continue
            params = start(record, storage.input_info(kind, bucket, region, path))
            match: dict[str, Any] = {"AppId": int(record.appid), "Kind": config_kind, "Id": record.id}
            try:
                match["TaskId"] = backend.call("ProcessMedia", params, account)["TaskId"]
            except (
                EmulatorError
            ) as exc:  # what ProcessMedia would have answered (a rate-limit-free internal call)
                match["Error"] = {"Code": exc.code, "Message": exc.message}
            started.append({**match, "Name": record.name})
    return {"TaskIds": [s["TaskId"] for s in started if "TaskId" in s], "Triggered": started}


def _matches(storage: _Storage, trigger: Mapping[str, Any], bucket: str, region: str, path: str) -> bool:
    rule = trigger.get(storage.rule)
    if trigger.get("Type") != storage.trigger or not isinstance(rule, dict):
        return False
    if (rule.get(storage.bucket), rule.get(storage.region)) != (bucket, region):
        return False
    if not path.startswith(rule.get("Dir") or "/"):
        return False
    formats = {str(f).lower().lstrip(".") for f in rule.get("Formats") or []}
    if not formats:
        return storage.any_when_empty or _extension(path) in SYSTEM_FORMATS
    return "*" in formats or _extension(path) in formats


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _workflow_task(record: ConfigRecord, input_info: dict[str, Any]) -> dict[str, Any]:
    params = _copy(record.body, _WORKFLOW_MEMBERS, input_info)
    if record.body.get("TaskPriority") is not None:
        params["TasksPriority"] = record.body["TaskPriority"]
    return params


def _schedule_task(record: ConfigRecord, input_info: dict[str, Any]) -> dict[str, Any]:
    return {**_copy(record.body, _SCHEDULE_MEMBERS, input_info), "ScheduleId": record.id}


def _copy(body: Mapping[str, Any], members: tuple[str, ...], input_info: dict[str, Any]) -> dict[str, Any]:
    params = {"InputInfo": input_info, **{m: body[m] for m in members if body.get(m) not in (None, "", [])}}
    if "OutputDir" in params:  # a schedule may hold a relative one (CreateSchedule's example: "output/")
        params["OutputDir"] = "/" + str(params["OutputDir"]).strip("/") + "/"
    return params
