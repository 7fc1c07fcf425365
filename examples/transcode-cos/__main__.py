"""Transcode a COS object with the preset templates 20, 30 and 40 (the ProcessMedia API docs' example)."""

import pulumi

from pulumi_mps import MediaProcessTask

config = pulumi.Config()
bucket = config.get("bucket") or "TopRankVideo-125xxx88"

task = MediaProcessTask(
    "transcode",
    input_info={
        "type": "COS",
        "cos_input_info": {
            "bucket": bucket,
            "region": "ap-chongqing",
            "object": "/movie/201907/WildAnimal.mov",
        },
    },
    output_storage={"type": "COS", "cos_output_storage": {"bucket": bucket, "region": "ap-chongqing"}},
    output_dir="/movie/201907/transcoded/",
    media_process_task={"transcode_task_set": [{"definition": 20}, {"definition": 30}, {"definition": 40}]},
)

pulumi.export("task_id", task.task_id)
pulumi.export("session_id", task.session_id)
pulumi.export("status", task.status)
pulumi.export("output_paths", task.output_paths)
