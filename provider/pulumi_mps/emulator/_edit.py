"""The ``EditMediaTask`` part of DescribeTaskDetail for an EditMedia request (clip or compose).

Its members come from api.json's ``EditMediaTask``; where the output goes is described in the README's emulator
section.
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


def edit_part(
    task_id: str, request: Mapping[str, Any], status: str, code: int, message: str
) -> dict[str, Any]:
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
            "MetaData": {
                "Size": 4_194_304,
                "Container": container,
                "Bitrate": 1_200_000,
                "Height": 720,
                "Width": 1280,
                "Duration": _DURATION,
                "Rotate": 0,
                "VideoStreamSet": [],
                "AudioStreamSet": [],
                "VideoDuration": _DURATION,
                "AudioDuration": _DURATION,
            },
        }
        if done
        else None,
    }
