"""One failed sub-task, end to end with the real CLI: refresh reports it, wait_for_completion fails by name."""

from __future__ import annotations

import re

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

    # Turning wait_for_completion on waits for the task (an update: no new task). It finished with a failed
    # sub-task, so the `up` fails naming it, and keeps the resource and its task.
    stack.set_config("wait", "true")
    failed = stack.up(check=False)
    assert len(admin.tasks()) == 2
    assert failed.returncode != 0
    assert "failed AiQualityControl sub-task" in failed.output and "ErrCode 70000" in failed.output
    (media,) = stack.resources("MediaProcessTask")
    assert media["id"] == outputs["qc"]["task_id"] and media.get("initErrors")
    # A refresh warns about it; every `up` fails the same way until the spec or `triggers` change.
    refreshed = stack.refresh()
    assert "unhealthy" in refreshed.output and "failed AiQualityControl sub-task" in refreshed.output
    assert "failed AiQualityControl sub-task" in stack.up(check=False).output
    assert len(admin.tasks()) == 2


WAITING_PROGRAM = """
from pulumi_mps import LiveStreamProcessTask, MediaProcessTask

LiveStreamProcessTask("live", url="rtmp://live.example.com/live/channel-9",
    task_notify_config={"notify_type": "URL", "notify_url": "https://hooks.example.com/mps"},
    ai_content_review_task={"definition": 10}, wait_for_completion=True, wait_timeout_seconds=3)
"""


def test_a_wait_that_times_out_keeps_its_task_in_the_state(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "waiting", "waiting", WAITING_PROGRAM), env=mps_env)
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert re.search(r"is still (WAITING|PROCESSING) after 3\.0 s \(wait_timeout_seconds 3\)", failed.output)
    (task,) = admin.tasks()
    (live,) = stack.resources("LiveStreamProcessTask")
    assert live["id"] == task["TaskId"] and live["outputs"]["task_id"] == task["TaskId"]

    admin.advance_clock(30)
    refreshed = stack.refresh()  # follows it; the engine warns that it is not done
    assert "is still PROCESSING (wait_for_completion)" in refreshed.output
    assert stack.resources("LiveStreamProcessTask")[0]["outputs"]["status"] == "PROCESSING"
    destroyed = stack.destroy()  # acts on it: a live task's abort_on_delete default aborts it
    assert admin.task(task["TaskId"])["Aborted"] is True and len(admin.tasks()) == 1
    assert "error" not in destroyed.output.lower()
