"""MediaProcessTask end to end: the real Pulumi CLI, the provider process and the emulator."""

from __future__ import annotations

import json
import re

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
from pulumi_mps import MediaProcessTask

config = pulumi.Config()
definitions = config.get_object("definitions") or [20, 30, 40]
tasks = {}
for name in ("alpha", "beta"):
    tasks[name] = MediaProcessTask(
        name,
        input_info={"Type": "COS", "CosInputInfo": {"Bucket": "TopRankVideo-125xxx88", "Region": "ap-chongqing",
                                                    "Object": f"/movie/201907/{name}.mov"}},
        media_process_task={"TranscodeTaskSet": [{"Definition": d} for d in
                                                 (definitions if name == "alpha" else [20, 30, 40])]},
        output_dir="/out/",
    )
secret = MediaProcessTask(
    "from-s3",
    input_info={"type": "AWS-S3", "s3_input_info": {"s3_bucket": "media", "s3_region": "us-east-1",
                                                    "s3_object": "/in.mov", "s3_secret_id": "AKIAS3SECRETIDVALUE",
                                                    "s3_secret_key": "s3-secret-key-plaintext-value"}},
    output_storage={"type": "AWS-S3", "s3_output_storage": {"s3_bucket": "out", "s3_region": "us-east-1",
                                                            "s3_secret_key": "s3-output-secret-plaintext"}},
    media_process_task={"transcode_task_set": [{"definition": 100010}]},
)
for name, task in {**tasks, "from-s3": secret}.items():
    pulumi.export(f"{name}_task_id", task.task_id)
    pulumi.export(f"{name}_status", task.status)
"""


@pytest.fixture
def stack(make_stack, tmp_path, mps_env):
    stack = make_stack(new_project(tmp_path / "media", "media", PROGRAM), env=mps_env)
    return stack


def test_media_tasks_lifecycle(stack, mps_emulator):
    admin = mps_emulator.admin
    preview = stack.preview("--diff")
    assert preview.stdout.count("+ pulumi-python:dynamic/mps:MediaProcessTask") == 3
    # A new stack's SessionIds depend on the stack marker its first `up` draws.
    assert preview.stdout.count("+ pulumi-python:dynamic/mps:StackMarker") == 1
    assert preview.stdout.count("session_id") >= 3
    assert admin.tasks() == []

    stack.up()
    tasks = admin.tasks()
    assert len(tasks) == 3
    assert len({t["SessionId"] for t in tasks}) == 3
    outputs = stack.outputs()
    assert sorted(outputs[f"{n}_task_id"] for n in ("alpha", "beta", "from-s3")) == sorted(
        t["TaskId"] for t in tasks
    )

    stack.preview("--expect-no-changes")

    stack.set_config("definitions", "[20, 30, 100040]")
    edited = stack.preview("--diff")
    assert "+-pulumi-python:dynamic/mps:MediaProcessTask: (replace)" in edited.stdout
    assert edited.stdout.count("(replace)") == 1
    assert "transcode_task_set" in edited.stdout
    assert re.search(r'session_id\s*: "pmps2-[0-9a-f]{40}" => "pmps2-[0-9a-f]{40}"', edited.stdout), (
        edited.stdout
    )
    stack.up()
    assert len(admin.tasks()) == 4
    stack.preview("--expect-no-changes")

    admin.advance_clock(120)
    stack.refresh()
    refreshed = {r["urn"].rsplit("::", 1)[1]: r["outputs"] for r in stack.resources("MediaProcessTask")}
    assert refreshed["alpha"]["status"] == "FINISH"
    assert refreshed["alpha"]["output_paths"] == [f"/out/alpha_transcode_{d}.mp4" for d in (20, 30, 100040)]
    stack.preview("--expect-no-changes")

    state = json.dumps(stack.export())
    for secret in (
        "s3-secret-key-plaintext-value",
        "AKIAS3SECRETIDVALUE",
        "s3-output-secret-plaintext",
        "mps-emulator-default-secret-key",
    ):
        assert secret not in state
    assert all(
        "***" in json.dumps(t["Request"])
        for t in admin.tasks()
        if t["Request"]["InputInfo"]["Type"] == "AWS-S3"
    )

    stack.destroy()
    assert stack.resources("MediaProcessTask") == []
    assert len(admin.tasks()) == 4
    assert not any(t["Aborted"] for t in admin.tasks())


def test_lost_answer_still_gives_one_task_with_the_right_id(stack, mps_emulator):
    admin = mps_emulator.admin
    admin.add_fault("ProcessMedia", count=3, mode="accept_then_drop")
    stack.up()
    tasks = admin.tasks()
    assert len(tasks) == 3
    outputs = stack.outputs()
    assert sorted(outputs[f"{n}_task_id"] for n in ("alpha", "beta", "from-s3")) == sorted(
        t["TaskId"] for t in tasks
    )
    assert any(r.get("Dropped") for r in admin.requests("ProcessMedia"))
