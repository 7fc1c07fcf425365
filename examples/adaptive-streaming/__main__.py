"""Adaptive bitrate (HLS) packaging of a COS object, with time-offset snapshots and an image sprite."""

import pulumi

from pulumi_mps import MediaProcessTask
from pulumi_mps.inputs import MediaInputInfoArgsDict

# Typed, so that a type checker checks the dict here, where it is written, as it checks a keyword's value.
source: MediaInputInfoArgsDict = {
    "type": "COS",
    "cos_input_info": {
        "bucket": "vod-source-1250000000",
        "region": "ap-guangzhou",
        "object": "/uploads/keynote.mp4",
    },
}

abr = MediaProcessTask(
    "keynote-abr",
    input_info=source,
    output_storage={
        "type": "COS",
        "cos_output_storage": {"bucket": "vod-cdn-1250000000", "region": "ap-guangzhou"},
    },
    output_dir="/keynote/",
    media_process_task={
        "adaptive_dynamic_streaming_task_set": [{"definition": 10}],
        "snapshot_by_time_offset_task_set": [{"definition": 10, "ext_time_offset_set": ["1s", "30s", "60s"]}],
        "image_sprite_task_set": [{"definition": 10}],
    },
    tasks_priority=5,
    task_notify_config={"notify_type": "URL", "notify_url": "https://hooks.example.com/mps/vod"},
)

pulumi.export("task_id", abr.task_id)
pulumi.export("output_paths", abr.output_paths)
