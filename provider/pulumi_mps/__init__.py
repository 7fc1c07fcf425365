"""Tencent Cloud MPS (Media Processing Service) processing tasks as Pulumi resources.

    from pulumi_mps import MediaProcessTask

    MediaProcessTask("transcode", input_info={...}, media_process_task={...})
"""

from ._errors import ApiError, DuplicateNotFound, MissingCredentials, MpsError, TaskFailed, TaskNotFound
from .models import LiveStreamTaskNotifyConfig, MediaInputInfo, ProcessLiveStreamRequest, ProcessMediaRequest
from .resources import LiveStreamProcessTask, MediaProcessTask

__all__ = [
    "ApiError",
    "DuplicateNotFound",
    "LiveStreamProcessTask",
    "LiveStreamTaskNotifyConfig",
    "MediaInputInfo",
    "MediaProcessTask",
    "MissingCredentials",
    "MpsError",
    "ProcessLiveStreamRequest",
    "ProcessMediaRequest",
    "TaskFailed",
    "TaskNotFound",
]
