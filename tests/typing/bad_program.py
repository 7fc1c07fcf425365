"""A program type checkers must reject, on exactly the lines marked ``# error``
(checked by tests/test_types.py, never run)."""

from pulumi_mps import (
    LiveStreamProcessTask,
    MediaProcessTask,
    MediaProcessTaskArgs,
    TranscodeTemplate,
    Workflow,
)
from pulumi_mps.models import CosInputInfo, MediaInputInfo

info = {"type": "COS", "cos_input_info": {"bucket": "b", "region": "r", "object": "/o"}}

MediaProcessTask("not-an-object", input_info=42)  # error
MediaProcessTask("misspelt", input_infoo={"type": "COS"})  # error
MediaProcessTask("priority", input_info={"type": "COS"}, tasks_priority="high")  # error
MediaProcessTask("unknown-type", input_info={"type": "CSO"})  # error
MediaProcessTask("nested-key", input_info={"type": "COS", "cos_input_info": {"buckett": "b"}})  # error
MediaProcessTask("missing-required")  # error
MediaProcessTaskArgs(input_info={"type": "COS"}, tasks_priority="high")  # error
LiveStreamProcessTask("live", url="rtmp://x/y")  # error
MediaInputInfo(Type="COS")  # error
CosInputInfo(bucket="b", region="r", object=3)  # error
MediaProcessTask("fine", input_info={"type": "COS"}).task_id.apply(lambda task_id: task_id + 1)  # error
TranscodeTemplate("no-container")  # error
TranscodeTemplate("bad-container", container=4)  # error
Workflow("bad-enabled", trigger={"type": "CosFileUpload"}, enabled="yes")  # error
