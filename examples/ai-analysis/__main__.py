"""AI analysis (tags, cover, highlights) and recognition (faces, speech) of an AWS S3 object.

The S3 keys are read from stack config as secrets (`pulumi config set --secret s3SecretKey ...`): they are
submitted to MPS but stored encrypted in the state and never printed.
"""

import pulumi

from pulumi_mps import MediaProcessTask

config = pulumi.Config()
s3_secret_id = config.get_secret("s3SecretId") or pulumi.Output.secret("AKIAEXAMPLEEXAMPLE")
s3_secret_key = config.get_secret("s3SecretKey") or pulumi.Output.secret("example-s3-secret-key")

analysis = MediaProcessTask(
    "interview-analysis",
    input_info={
        "type": "AWS-S3",
        "s3_input_info": {
            "s3_bucket": "media-archive",
            "s3_region": "us-east-1",
            "s3_object": "/interviews/2026/ep-42.mp4",
            "s3_secret_id": s3_secret_id,
            "s3_secret_key": s3_secret_key,
        },
    },
    output_storage={
        "type": "AWS-S3",
        "s3_output_storage": {
            "s3_bucket": "media-insights",
            "s3_region": "us-east-1",
            "s3_secret_id": s3_secret_id,
            "s3_secret_key": s3_secret_key,
        },
    },
    output_dir="/insights/ep-42/",
    ai_analysis_task={"definition": 30},
    ai_recognition_task={"definition": 10},
    task_type="Offline",
)

pulumi.export("task_id", analysis.task_id)
pulumi.export("status", analysis.status)
