"""EditMediaTask end to end: every EditMedia request example of the API docs deployed with the real CLI."""

from __future__ import annotations

import json

import pytest

from pulumi_mps.models import API_TO_SNAKE
from tests.api_examples import request_examples
from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

EXAMPLES = request_examples("EditMedia")
REQUEST_KEYS = API_TO_SNAKE["EditMediaRequest"]

PROGRAM = """
import json
import pulumi
from pulumi_mps import EditMediaTask

examples = json.loads(open("examples.json", encoding="utf-8").read())
for index, params in enumerate(examples):
    task = EditMediaTask(f"example-{index}", **params)
    pulumi.export(f"example-{index}", {"task_id": task.task_id, "status": task.status,
                                       "output_paths": task.output_paths})
EditMediaTask(
    "from-s3",
    file_infos=[{"input_info": {"type": "AWS-S3", "s3_input_info": {
        "s3_bucket": "media", "s3_region": "us-east-1", "s3_object": "/in.mov",
        "s3_secret_id": "AKIAS3EDITSECRETID", "s3_secret_key": "s3-edit-secret-key-plaintext"}}}],
    output_storage={"type": "AWS-S3", "s3_output_storage": {"s3_bucket": "out", "s3_region": "us-east-1"}},
    output_object_path="/clips/in.{format}",
)
"""
SECRETS = ("AKIAS3EDITSECRETID", "s3-edit-secret-key-plaintext")


def test_every_docs_example_deploys_refreshes_and_is_stable(make_stack, tmp_path, mps_env, mps_emulator):
    # The docs' own PascalCase payloads, each top-level key as the resource's snake_case keyword.
    examples = [{REQUEST_KEYS[key]: value for key, value in params.items()} for _, params in EXAMPLES]
    project = new_project(
        tmp_path / "edit", "edit", PROGRAM, {"examples.json": json.dumps(examples, ensure_ascii=False)}
    )
    stack = make_stack(project, env=mps_env)
    preview = stack.preview("--diff")
    total = len(EXAMPLES) + 1
    assert preview.stdout.count("+ pulumi-python:dynamic/mps:EditMediaTask") == total
    stack.up()
    tasks = mps_emulator.admin.tasks()
    assert len(tasks) == total and {t["Action"] for t in tasks} == {"EditMedia"}
    assert len({t["SessionId"] for t in tasks}) == total
    state = json.dumps(stack.export())
    assert not any(secret in state for secret in SECRETS)
    mps_emulator.admin.advance_clock(60)
    stack.refresh()
    refreshed = {r["urn"].rsplit("::", 1)[1]: r["outputs"] for r in stack.resources("mps:EditMediaTask")}
    assert len(refreshed) == total
    for out in refreshed.values():
        assert out["status"] == "FINISH" and out["err_code"] == 0 and len(out["output_paths"]) == 1, out
    assert refreshed["example-0"]["output_paths"] == ["/clip_result/clip_WildAnimal.mp4"]
    stack.up()  # re-running submits nothing
    stack.preview("--expect-no-changes")
    assert len(mps_emulator.admin.tasks()) == total
    state = json.dumps(stack.export())
    assert not any(secret in state for secret in SECRETS)
    stack.destroy()
    assert len(mps_emulator.admin.requests("EditMedia")) == total
