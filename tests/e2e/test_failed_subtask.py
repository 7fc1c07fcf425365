"""One failed sub-task, end to end with the real CLI: refresh reports it, wait_for_completion fails by name."""

from __future__ import annotations

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
from pulumi_mps import LiveStreamProcessTask, MediaProcessTask

config = pulumi.Config()
media = MediaProcessTask(
    "qc",
    input_info={"type": "COS", "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing",
                                                  "object": "/in/fail-aiqualitycontrol.mov"}},
    media_process_task={"transcode_task_set": [{"definition": 20}]},
    ai_quality_control_task={"definition": 10},
    wait_for_completion=config.get_bool("wait") or False,
    wait_timeout_seconds=60,
)
live = LiveStreamProcessTask(
    "live",
    url="https://cdn.example.com/live/fail-stream",
    task_notify_config={"notify_type": "CMQ", "cmq_model": "Queue", "cmq_region": "gz", "queue_name": "q"},
    ai_recognition_task={"definition": 10},
    output_dir="out",
)
pulumi.export("media_task_id", media.task_id)
"""


def test_a_failed_sub_task_is_reported_and_fails_the_wait(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "failed", "failed", PROGRAM), env=mps_env)
    # The live URL without .m3u8/.flv, the relative OutputDir and NotifyType CMQ pass the preview with warnings.
    preview = stack.preview()
    for path in (
        "LiveStreamProcessTask url:",
        "LiveStreamProcessTask output_dir:",
        "LiveStreamProcessTask task_notify_config.notify_type:",
    ):
        assert path in preview.output, preview.output
    stack.up()
    assert len(admin.tasks()) == 2

    admin.advance_clock(120)
    stack.refresh()
    outputs = {r["urn"].rsplit("::", 1)[1]: r["outputs"] for r in stack.resources("ProcessTask")}
    media, live = outputs["qc"], outputs["live"]
    assert (media["status"], media["err_code"], media["message"]) == (
        "FINISH",
        70000,
        "emulator: sub-task failed",
    )
    assert [(s["type"], s["status"]) for s in media["subtasks"]] == [
        ("Transcode", "SUCCESS"),
        ("AiQualityControl", "FAIL"),
    ]
    assert media["output_paths"] == ["/in/fail-aiqualitycontrol_transcode_20.mp4"]
    # A live task has no sub-task results in DescribeTaskDetail: its own ErrCode is the failure.
    assert (live["status"], live["err_code"], live["subtasks"]) == ("FINISH", 30010, [])

    # wait_for_completion is a setting (no API call on update): a replacement runs the create that waits. Same
    # inputs, same SessionId: the create adopts the finished task and its wait fails at once.
    stack.set_config("wait", "true")
    failed = stack.up("--replace", next(r["urn"] for r in stack.resources("MediaProcessTask")), check=False)
    assert len(admin.tasks()) == 2
    assert failed.returncode != 0
    assert "failed AiQualityControl sub-task" in failed.output and "ErrCode 70000" in failed.output
