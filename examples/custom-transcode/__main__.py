"""A custom transcoding template and a text watermark, declared beside the task that uses them."""

import pulumi

from pulumi_mps import MediaProcessTask, TranscodeTemplate, WatermarkTemplate

config = pulumi.Config()
bucket = config.get("bucket") or "TopRankVideo-125xxx88"

hd = TranscodeTemplate(
    "hd",
    container="mp4",
    comment="1080p H.264, AAC",
    video_template={
        "codec": "libx264",
        "fps": 25,
        "bitrate": 3000,
        "height": 1080,
        "resolution_adaptive": "open",
    },
    audio_template={"codec": "libfdk_aac", "bitrate": 128, "sample_rate": 44100, "audio_channel": 2},
)
logo = WatermarkTemplate(
    "logo",
    type="text",
    coordinate_origin="TopRight",
    x_pos="5%",
    y_pos="5%",
    text_template={
        "font_type": "arial.ttf",
        "font_size": "24px",
        "font_color": "0xFFFFFF",
        "font_alpha": 0.8,
    },
)

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
    output_dir="/movie/201907/hd/",
    media_process_task={
        "transcode_task_set": [
            {"definition": hd.definition, "watermark_set": [{"definition": logo.definition}]}
        ]
    },
)

pulumi.export("transcode_definition", hd.definition)
pulumi.export("watermark_definition", logo.definition)
pulumi.export("task_id", task.task_id)
pulumi.export("output_paths", task.output_paths)
