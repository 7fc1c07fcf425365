"""A program type checkers must accept: every documented input form, typed outputs (checked by tests/test_types.py,
never run)."""

import pulumi

from pulumi_mps import (
    LiveStreamProcessTask,
    MediaProcessTask,
    MediaProcessTaskArgs,
    TranscodeTemplate,
    TranscodeTemplateArgs,
    Workflow,
)
from pulumi_mps.inputs import MediaInputInfoArgsDict, TaskOutputStorageApiDict
from pulumi_mps.models import CosInputInfo, MediaInputInfo, TranscodeTaskInput

config = pulumi.Config()
secret: pulumi.Output[str] = config.require_secret("s3SecretKey")

# The models, by their snake_case names (the README's own example).
model = MediaInputInfo(
    type="COS",
    cos_input_info=CosInputInfo(bucket="b-125xxx88", region="ap-chongqing", object="/movie/WildAnimal.mov"),
)
# snake_case dicts, with Inputs and Outputs as values, and a model nested in a dict.
snake: MediaInputInfoArgsDict = {
    "type": "AWS-S3",
    "s3_input_info": {"s3_bucket": "b", "s3_region": "us-east-1", "s3_object": "/o", "s3_secret_key": secret},
}
# PascalCase dicts as the API docs write them, integers as strings included.
pascal: TaskOutputStorageApiDict = {
    "Type": "COS",
    "CosOutputStorage": {"Bucket": "b", "Region": "ap-chongqing"},
}

first = MediaProcessTask(
    "first",
    input_info=model,
    output_storage=pascal,
    media_process_task={"TranscodeTaskSet": [{"Definition": "30"}, {"Definition": 20}]},
    tasks_priority=config.get_int("priority") or 0,
    triggers={"rerun": 2},
    wait_for_completion=True,
    opts=pulumi.ResourceOptions(protect=True),
)
second = MediaProcessTask(
    "second",
    MediaProcessTaskArgs(
        input_info=snake,
        media_process_task={
            "transcode_task_set": [TranscodeTaskInput(definition=10), {"definition": first.err_code}]
        },
    ),
    pulumi.ResourceOptions(depends_on=[first]),
)
live = LiveStreamProcessTask(
    "live",
    url="rtmp://live.example.com/live/1",
    task_notify_config={"notify_type": "URL", "notify_url": "https://hooks.example.com/mps"},
    ai_content_review_task={"definition": 10},
    abort_on_delete=False,
)

task_id: pulumi.Output[str] = first.task_id
status: pulumi.Output[str] = second.status
err_code: pulumi.Output[int] = live.err_code
paths: pulumi.Output[list[str]] = first.output_paths
failed = first.subtasks.apply(lambda subtasks: [s["type"] for s in subtasks if s["status"] == "FAIL"])
pulumi.export("failed", failed)

# A template and a workflow of the same stack, named by their outputs.
hd = TranscodeTemplate(
    "hd",
    container="mp4",
    video_template={"codec": "libx264", "fps": 25, "bitrate": 2000},
    audio_template={"Codec": "libfdk_aac", "Bitrate": "64", "SampleRate": 44100},
)
sd = TranscodeTemplate("sd", TranscodeTemplateArgs(container="mp4", remove_audio=1, triggers=1))
definition: pulumi.Output[int] = hd.definition
flow = Workflow(
    "flow",
    trigger={
        "type": "CosFileUpload",
        "cos_file_upload_trigger": {"bucket": "b", "region": "r", "dir": "/m/"},
    },
    media_process_task={"transcode_task_set": [{"definition": hd.definition}, {"definition": sd.definition}]},
    enabled=False,
)
workflow_id: pulumi.Output[int] = flow.workflow_id
flow_status: pulumi.Output[str] = flow.status
