"""GitOps: one MediaProcessTask per entry of tasks.yaml, for a pipeline that previews pull requests and applies on
merge (.github/workflows/media-tasks.yml)."""

from pathlib import Path

import pulumi
import yaml

from pulumi_mps import MediaProcessTask

config = pulumi.Config()
bucket = config.get("bucket") or "media-1250000000"
region = config.get("bucketRegion") or "ap-guangzhou"
manifest = yaml.safe_load(Path(__file__).with_name("tasks.yaml").read_text(encoding="utf-8"))

for entry in manifest["transcodes"]:
    task = MediaProcessTask(
        entry["name"],
        input_info={
            "type": "COS",
            "cos_input_info": {"bucket": bucket, "region": region, "object": entry["object"]},
        },
        output_dir=f"/transcoded/{entry['name']}/",
        media_process_task={"transcode_task_set": [{"definition": d} for d in entry["definitions"]]},
        triggers=entry.get("triggers"),
    )
    pulumi.export(f"{entry['name']}_task_id", task.task_id)
