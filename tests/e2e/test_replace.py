"""Replacements (README, "The SessionId contract"): `pulumi up --replace` runs the task again, and no way of
replacing a resource leaves it holding the task it replaces aborted, or takes a task of another kind."""

from __future__ import annotations

import pytest

from tests.protocol.test_media_provider import sdk
from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

LIVE = """
import pulumi
from pulumi_mps import LiveStreamProcessTask

task = LiveStreamProcessTask(
    "live",
    url="rtmp://live.example.com/live/channel-1",
    task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
    ai_content_review_task={"Definition": 10},
    {extra}
)
pulumi.export("task_id", task.task_id)
pulumi.export("session_id", task.session_id)
"""

MEDIA = """
import pulumi
from pulumi_mps import MediaProcessTask

task = MediaProcessTask(
    "transcode",
    input_info={"type": "COS", "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing",
                                                  "object": "/movie.mov"}},
    media_process_task={"transcode_task_set": [{"definition": 20}]},
    abort_on_delete=True,
)
pulumi.export("task_id", task.task_id)
"""


def program(extra: str = "") -> str:
    return LIVE.replace("{extra}", extra)


def urn_of(stack, kind: str) -> str:
    (resource,) = stack.resources(kind)
    return resource["urn"]


def test_replace_runs_a_live_task_again(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "live", "live", program()), env=mps_env)
    stack.up()
    first = stack.outputs()
    admin.advance_clock(30)

    stack.up("--replace", urn_of(stack, "LiveStreamProcessTask"))
    second = stack.outputs()
    assert second["task_id"] != first["task_id"] and second["session_id"] != first["session_id"]
    tasks = {t["TaskId"]: t for t in admin.tasks()}
    assert len(tasks) == 2 and tasks[first["task_id"]]["Aborted"] is True  # the replaced one: aborted
    assert (
        tasks[second["task_id"]]["Aborted"] is False
        and tasks[second["task_id"]]["SessionId"] == second["session_id"]
    )
    # The stream's processing runs: later `up`s and previews report no change and submit nothing.
    stack.preview("--expect-no-changes")
    stack.up("--expect-no-changes")
    admin.advance_clock(30)
    stack.refresh()
    assert stack.resources("LiveStreamProcessTask")[0]["outputs"]["status"] == "PROCESSING"
    stack.preview("--expect-no-changes")
    # Replaced again: a third task; destroy aborts the one the stack holds.
    stack.up("--replace", urn_of(stack, "LiveStreamProcessTask"))
    third = stack.outputs()["task_id"]
    assert third not in tasks and len(admin.tasks()) == 3
    stack.destroy()
    assert all(t["Aborted"] for t in admin.tasks())


def test_replace_of_a_waiting_media_task_aborted_on_delete(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "media", "media", MEDIA), env=mps_env)
    stack.up()
    first = stack.outputs()["task_id"]
    admin.advance_clock(-60)  # a media task is WAITING for 5 s: keep it so, however slow this machine is
    stack.up("--replace", urn_of(stack, "MediaProcessTask"))
    second = stack.outputs()["task_id"]
    assert second != first
    assert admin.task(first)["Aborted"] is True and admin.task(second)["Aborted"] is False
    assert admin.task(second)["Status"] == "WAITING"
    stack.preview("--expect-no-changes")


def test_replace_of_an_adopted_task_keeps_it_running(make_stack, tmp_path, mps_env, mps_emulator):
    submitted = sdk(mps_emulator).call_json(
        "ProcessLiveStream",
        {
            "Url": "rtmp://live.example.com/live/channel-1",
            "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
        },
    )["Response"]["TaskId"]
    stack = make_stack(
        new_project(tmp_path / "adopt", "adopt", program(f'task_id="{submitted}",')), env=mps_env
    )
    stack.up()
    # A task named by `task_id` cannot run again: the replacement adopts it again, and the replaced resource's
    # delete leaves it running.
    stack.up("--replace", urn_of(stack, "LiveStreamProcessTask"))
    assert stack.outputs()["task_id"] == submitted
    assert [(t["TaskId"], t["Aborted"]) for t in mps_emulator.admin.tasks()] == [(submitted, False)]
    stack.preview("--expect-no-changes")


PARENTED = """
import pulumi
from pulumi_mps import LiveStreamProcessTask


class Channel(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("example:index:Channel", name, None, opts)


channel = Channel("channel")
task = LiveStreamProcessTask(
    "live",
    url="rtmp://live.example.com/live/channel-1",
    task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
    ai_content_review_task={"Definition": 10},
    opts=pulumi.ResourceOptions(parent=channel{aliases}),
)
pulumi.export("task_id", task.task_id)
pulumi.export("session_id", task.session_id)
"""


def test_a_new_urn_for_the_same_task_never_aborts_it(make_stack, tmp_path, mps_env, mps_emulator):
    """Moved under a parent without an alias, a resource is a new one (created, then the old one deleted) with
    the same name and spec, hence the same SessionId: it adopts the task, which the old one's delete leaves alone.
    Moved back with an alias, it is the same resource: no change."""
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "moved", "moved", program()), env=mps_env)
    stack.up()
    first = stack.outputs()
    (stack.workdir / "__main__.py").write_text(PARENTED.replace("{aliases}", ""))
    moved = stack.up()
    assert "deleted" in moved.output and stack.outputs() == first
    assert [(t["TaskId"], t["Aborted"]) for t in admin.tasks()] == [(first["task_id"], False)]
    stack.preview("--expect-no-changes")

    # Renamed, with an alias to its old URN: the same resource, no change at all.
    old_urn = urn_of(stack, "LiveStreamProcessTask")
    renamed = PARENTED.replace('"live",\n    url', '"live-renamed",\n    url').replace(
        "{aliases}", f", aliases=[{old_urn!r}]"
    )
    (stack.workdir / "__main__.py").write_text(renamed)
    stack.up("--expect-no-changes")
    assert stack.outputs() == first and len(admin.tasks()) == 1
    stack.up("--replace", urn_of(stack, "LiveStreamProcessTask"))  # a re-run under its new name
    assert stack.outputs()["task_id"] != first["task_id"] and len(admin.tasks()) == 2
    assert admin.task(first["task_id"])["Aborted"] is True


WRONG_KIND = """
from pulumi_mps import MediaProcessTask

MediaProcessTask("adopted", task_id="{task_id}",
                 input_info={{"type": "COS", "cos_input_info": {{"bucket": "b-1250000000", "region": "ap-chongqing",
                                                               "object": "/movie.mov"}}}})
"""


def test_task_id_of_another_kind_fails_the_up(make_stack, tmp_path, mps_env, mps_emulator):
    live = sdk(mps_emulator).call_json(
        "ProcessLiveStream",
        {
            "Url": "rtmp://live.example.com/live/channel-1",
            "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
        },
    )["Response"]["TaskId"]
    sdk(mps_emulator).call_json("ManageTask", {"OperationType": "Abort", "TaskId": live})
    stack = make_stack(new_project(tmp_path / "kind", "kind", WRONG_KIND.format(task_id=live)), env=mps_env)
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert (
        f"cannot adopt task {live} as a MediaProcessTask: it is a LiveStreamProcessTask task" in failed.output
    )
    assert f"LiveStreamProcessTask(task_id='{live}')" in failed.output
    assert stack.resources("MediaProcessTask") == []


EDITABLE = """
import pulumi
from pulumi_mps import LiveStreamProcessTask

task = LiveStreamProcessTask(
    "live",
    url="rtmp://live.example.com/live/channel-1",
    task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
    ai_content_review_task={"Definition": pulumi.Config().get_int("definition") or 10},
)
pulumi.export("task_id", task.task_id)
"""


def test_a_live_spec_edited_back_runs_again(make_stack, tmp_path, mps_env, mps_emulator):
    """Edited, the live task is replaced (its task aborted); edited back within the 7 days MPS keeps SessionIds,
    the spec derives its first SessionId again: it runs again rather than adopting the task the edit aborted."""
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "edited", "edited", EDITABLE), env=mps_env)
    stack.up()
    first = stack.outputs()["task_id"]
    stack.set_config("definition", "30")
    stack.up()
    second = stack.outputs()["task_id"]
    stack.run("config", "rm", "definition")
    stack.up()
    third = stack.outputs()["task_id"]
    assert len({first, second, third}) == 3
    assert [admin.task(t)["Aborted"] for t in (first, second, third)] == [True, True, False]
    stack.preview("--expect-no-changes")
