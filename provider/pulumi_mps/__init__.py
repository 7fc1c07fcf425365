"""Tencent Cloud MPS (Media Processing Service) processing tasks as Pulumi resources.

    from pulumi_mps import EditMediaTask, MediaProcessTask

    MediaProcessTask("transcode", input_info={...}, media_process_task={...})
    EditMediaTask("clip", file_infos=[{...}], output_storage={...}, output_object_path="/clips/a.{format}")

Public names are loaded on first use, so that ``python -m pulumi_mps.emulator`` and the provider process do not
pay for what they do not use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "MediaProcessTask": ".resources",
    "MediaProcessTaskArgs": ".resources",
    "LiveStreamProcessTask": ".resources",
    "EditMediaTask": ".resources",
    "EditMediaTaskArgs": ".resources",
    "LiveStreamProcessTaskArgs": ".resources",
    "ProcessMediaRequest": ".models",
    "EditMediaRequest": ".models",
    "EditMediaFileInfo": ".models",
    "EditMediaOutputConfig": ".models",
    "ComposeMediaConfig": ".models",
    "ProcessLiveStreamRequest": ".models",
    "MediaInputInfo": ".models",
    "TaskOutputStorage": ".models",
    "MediaProcessTaskInput": ".models",
    "TaskNotifyConfig": ".models",
    "LiveStreamTaskNotifyConfig": ".models",
    "MpsError": "._errors",
    "ApiError": "._errors",
    "MissingCredentials": "._errors",
    "TaskNotFound": "._errors",
    "DuplicateNotFound": "._errors",
    "TaskNotOwned": "._errors",
    "ConfigError": "._errors",
    "TaskFailed": "._errors",
    "WrongTaskKind": "._errors",
}

__all__ = [
    "ApiError",
    "ComposeMediaConfig",
    "ConfigError",
    "DuplicateNotFound",
    "EditMediaFileInfo",
    "EditMediaOutputConfig",
    "EditMediaRequest",
    "EditMediaTask",
    "EditMediaTaskArgs",
    "LiveStreamProcessTask",
    "LiveStreamProcessTaskArgs",
    "LiveStreamTaskNotifyConfig",
    "MediaInputInfo",
    "MediaProcessTask",
    "MediaProcessTaskArgs",
    "MediaProcessTaskInput",
    "MissingCredentials",
    "MpsError",
    "ProcessLiveStreamRequest",
    "ProcessMediaRequest",
    "TaskFailed",
    "TaskNotFound",
    "TaskNotOwned",
    "TaskNotifyConfig",
    "TaskOutputStorage",
    "WrongTaskKind",
]
assert sorted(_EXPORTS) == __all__

if TYPE_CHECKING:
    from ._errors import (
        ApiError,
        ConfigError,
        DuplicateNotFound,
        MissingCredentials,
        MpsError,
        TaskFailed,
        TaskNotFound,
        TaskNotOwned,
        WrongTaskKind,
    )
    from .models import (
        ComposeMediaConfig,
        EditMediaFileInfo,
        EditMediaOutputConfig,
        EditMediaRequest,
        LiveStreamTaskNotifyConfig,
        MediaInputInfo,
        MediaProcessTaskInput,
        ProcessLiveStreamRequest,
        ProcessMediaRequest,
        TaskNotifyConfig,
        TaskOutputStorage,
    )
    from .resources import (
        EditMediaTask,
        EditMediaTaskArgs,
        LiveStreamProcessTask,
        LiveStreamProcessTaskArgs,
        MediaProcessTask,
        MediaProcessTaskArgs,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_mps' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
