"""Clip seconds 60 to 120 of a COS object into a new file (the EditMedia API docs' clip example)."""

import pulumi

from pulumi_mps import EditMediaTask

config = pulumi.Config()
bucket = config.get("bucket") or "TopRankVideo-125xxx88"

clip = EditMediaTask(
    "clip",
    file_infos=[
        {
            "input_info": {
                "type": "COS",
                "cos_input_info": {
                    "bucket": bucket,
                    "region": "ap-chongqing",
                    "object": "/movie/201907/WildAnimal.mov",
                },
            },
            "start_time_offset": 60,
            "end_time_offset": 120,
        }
    ],
    output_storage={"type": "COS", "cos_output_storage": {"bucket": bucket, "region": "ap-chongqing"}},
    output_object_path="/clip_result/clip_WildAnimal.{format}",
    output_config={"container": "mp4"},
)

pulumi.export("task_id", clip.task_id)
pulumi.export("session_id", clip.session_id)
pulumi.export("status", clip.status)
pulumi.export("output_paths", clip.output_paths)
