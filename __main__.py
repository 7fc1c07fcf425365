"""The quickstart stack: the ProcessMedia API docs' own example, as a Pulumi resource.

Run it against the embedded MPS emulator with `scripts/dev quickstart` (no cloud account needed), or against
MPS with your credentials (see README.md, "Configuration").
"""

import pulumi

from pulumi_mps import MediaProcessTask

# Copied unchanged from the ProcessMedia API docs ("Initiating a transcoding task"): PascalCase works as is.
transcode = MediaProcessTask(
    "transcode-wild-animal",
    input_info={
        "Type": "COS",
        "CosInputInfo": {
            "Region": "ap-chongqing",
            "Object": "/movie/201907/WildAnimal.mov",
            "Bucket": "TopRankVideo-125xxx88",
        },
    },
    media_process_task={
        "TranscodeTaskSet": [{"Definition": "30"}, {"Definition": "20"}, {"Definition": "40"}],
    },
)

pulumi.export("task_id", transcode.task_id)
pulumi.export("session_id", transcode.session_id)
pulumi.export("status", transcode.status)
