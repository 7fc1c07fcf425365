"""A transcoding template and the workflow that applies it to every video uploaded under /movie/."""

import pulumi

from pulumi_mps import TranscodeTemplate, Workflow

config = pulumi.Config()
bucket = config.get("bucket") or "media-1250000000"
region = config.get("region") or "ap-chongqing"

hd = TranscodeTemplate(
    "hd",
    container="mp4",
    video_template={"codec": "libx264", "fps": 25, "bitrate": 2000, "height": 720},
    audio_template={"codec": "libfdk_aac", "bitrate": 128, "sample_rate": 44100},
)
movies = Workflow(
    "movies",
    trigger={
        "type": "CosFileUpload",
        "cos_file_upload_trigger": {"bucket": bucket, "region": region, "dir": "/movie/"},
    },
    output_storage={"type": "COS", "cos_output_storage": {"bucket": bucket, "region": region}},
    output_dir="/transcoded/",
    media_process_task={"transcode_task_set": [{"definition": hd.definition}]},
    enabled=config.get_bool("enabled") is not False,
)

pulumi.export("definition", hd.definition)
pulumi.export("workflow_id", movies.workflow_id)
pulumi.export("workflow_name", movies.workflow_name)
pulumi.export("status", movies.status)
