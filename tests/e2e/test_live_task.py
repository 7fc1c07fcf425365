"""LiveStreamProcessTask end to end: up, no-change preview, refresh, destroy that aborts or leaves, adoption."""

from __future__ import annotations

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
from pulumi_mps import LiveStreamProcessTask

config = pulumi.Config()
task = LiveStreamProcessTask(
    "moderation",
    url="rtmp://live.example.com/live/channel-1",
    task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
    ai_content_review_task={"Definition": 10},
    abort_on_delete=config.get_bool("abortOnDelete"),
)
pulumi.export("task_id", task.task_id)
pulumi.export("session_id", task.session_id)
"""


def live_stack(make_stack, tmp_path, mps_env):
    return make_stack(new_project(tmp_path / "live", "live", PROGRAM), env=mps_env)


def state_of(stack) -> dict:
    (resource,) = stack.resources("LiveStreamProcessTask")
    return resource["outputs"]


def test_live_task_lifecycle_and_abort_on_destroy(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    stack = live_stack(make_stack, tmp_path, mps_env)
    stack.up()
    (task,) = admin.tasks()
    assert task["Action"] == "ProcessLiveStream" and stack.outputs()["task_id"] == task["TaskId"]
    stack.preview("--expect-no-changes")

    admin.advance_clock(30)
    stack.refresh()
    assert state_of(stack)["status"] == "PROCESSING"
    stack.preview("--expect-no-changes")

    stack.destroy()
    assert admin.task(task["TaskId"])["Aborted"] is True
    assert admin.task(task["TaskId"])["Status"] == "FINISH"


def test_destroy_leaves_the_stream_running_when_asked(make_stack, tmp_path, mps_env, mps_emulator):
    stack = live_stack(make_stack, tmp_path, mps_env)
    stack.set_config("abortOnDelete", "false")
    stack.up()
    (task,) = mps_emulator.admin.tasks()
    stack.destroy()
    assert mps_emulator.admin.task(task["TaskId"])["Aborted"] is False
    assert not any(r["Action"] == "ManageTask" for r in mps_emulator.admin.requests())


def test_duplicate_session_id_is_adopted(make_stack, tmp_path, mps_env, mps_emulator):
    # As after an interrupted `up`: MPS holds the task, derived with this stack's marker, that the state lost.
    stack = live_stack(make_stack, tmp_path, mps_env)
    stack.up()
    earlier, session_id = stack.outputs()["task_id"], stack.outputs()["session_id"]
    assert session_id.startswith("pmps2-")
    (resource,) = stack.resources("LiveStreamProcessTask")
    stack.run("state", "delete", resource["urn"], "--yes")
    assert stack.resources("LiveStreamProcessTask") == []

    stack.up()
    assert stack.outputs() == {"task_id": earlier, "session_id": session_id}
    assert len(mps_emulator.admin.tasks()) == 1
