"""The ``EditMediaTask`` part of DescribeTaskDetail for an EditMedia request (clip or compose).

api.json: ``EditMediaTask`` has TaskId, Status (PROCESSING | FINISH), ErrCode (0 = success), Message, Input
(``FileInfoSet``: the request's FileInfos) and Output (OutputStorage, Path, MetaData). A request with a non-empty
ComposeConfig is a compose task, otherwise a clip ("当其不为空时，认为是合成任务，否则按剪辑任务处理").

Output path: the request's OutputObjectPath with ``{format}`` filled in by the container (clip:
``OutputConfig.Container``, compose: ``ComposeConfig.TargetInfo.Container``, both "默认是 mp4"). The docs do not
say what a path ending in ``/`` (the compose examples' ``/your/output/dir/``) becomes; the emulator writes
``{that dir}{first input's basename}_edit.{format}`` there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._kinds import media_source

_DURATION = 60.0


def is_compose(request: Mapping[str, Any]) -> bool:
    return bool(request.get("ComposeConfig"))


def output_path(request: Mapping[str, Any]) -> str:
    if is_compose(request):
        container = ((request.get("ComposeConfig") or {}).get("TargetInfo") or {}).get("Container") or "mp4"
    else:
        container = (request.get("OutputConfig") or {}).get("Container") or "mp4"
    path = str(request.get("OutputObjectPath") or "/")
    if path.endswith("/"):
        files = request.get("FileInfos") or [{}]
        name = media_source(files[0].get("InputInfo") or {}).rsplit("/", 1)[-1].rsplit(".", 1)[0] or "media"
        path += f"{name}_edit.{{format}}"
    return path.replace("{format}", container)


def edit_part(task_id: str, request: Mapping[str, Any], status: str, code: int, message: str) -> dict[str, Any]:
    """The EditMediaTask member; ``status`` is the task's (WAITING reads PROCESSING here, as the part has no
    WAITING)."""
    done = status == "FINISH" and code == 0
    container = "mp3" if output_path(request).endswith(".mp3") else "mp4"
    return {
        "TaskId": task_id,
        "Status": "FINISH" if status == "FINISH" else "PROCESSING",
        "ErrCode": code,
        "Message": message if status == "FINISH" and code else ("SUCCESS" if done else ""),
        "Input": {"FileInfoSet": list(request.get("FileInfos") or [])},
        "Output": {
            "OutputStorage": request.get("OutputStorage"),
            "Path": output_path(request),
            "MetaData": {"Size": 4_194_304, "Container": container, "Bitrate": 1_200_000, "Height": 720,
                         "Width": 1280, "Duration": _DURATION, "Rotate": 0, "VideoStreamSet": [],
                         "AudioStreamSet": [], "VideoDuration": _DURATION, "AudioDuration": _DURATION},
        } if done else None,
    }
