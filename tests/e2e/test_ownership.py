"""A task belongs to the resource that submitted (or explicitly adopted) it: a stack created under a renamed stack's
old name, or a second resource given the same session_id, never takes it over, and destroying them never aborts it."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.e2e.test_interrupted import kill_everything, wait_for_tasks
from tests.pulumi_harness import new_project, tasks_program

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
from pulumi_mps import LiveStreamProcessTask, MediaProcessTask

session = pulumi.Config().get("session")
live = LiveStreamProcessTask(
    "moderation",
    url="rtmp://live.example.com/live/channel-1",
    task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
    ai_content_review_task={"Definition": 10},
    session_id=session,
)
media = MediaProcessTask(
    "transcode",
    input_info={"Type": "COS", "CosInputInfo": {"Bucket": "b-1250000000", "Region": "ap-chongqing",
                                                "Object": "/movie.mov"}},
    media_process_task={"TranscodeTaskSet": [{"Definition": 20}]},
    abort_on_delete=True,
)
pulumi.export("live", live.task_id)
pulumi.export("media", media.task_id)
"""


def select(stack, name: str) -> None:
    stack.run("stack", "select", name)


def test_a_stack_created_under_a_renamed_stacks_name_submits_its_own_tasks(
    make_stack, tmp_path, mps_env, mps_emulator
):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "rename", "rename", PROGRAM), name="dev", env=mps_env)
    stack.up()
    prod_tasks = stack.outputs()
    admin.advance_clock(10)  # the live task is PROCESSING, the media task too: neither is WAITING any more

    stack.run("stack", "rename", "prod")
    stack.run("stack", "init", "dev")
    stack.up()
    dev_tasks = stack.outputs()
    assert set(dev_tasks.values()).isdisjoint(prod_tasks.values())
    assert len(admin.tasks()) == 4
    assert len({t["SessionId"] for t in admin.tasks()}) == 4
    assert admin.requests("DescribeTasks") == []  # no duplicate SessionId, so no search for a task to adopt

    stack.destroy()
    assert admin.task(dev_tasks["live"])["Aborted"] is True
    assert admin.task(prod_tasks["live"])["Aborted"] is False
    assert admin.task(prod_tasks["live"])["Status"] == "PROCESSING"
    assert admin.task(prod_tasks["media"])["Aborted"] is False
    select(stack, "prod")
    stack.refresh()
    states = {r["urn"].rsplit("::", 1)[1]: r["outputs"] for r in stack.resources("Task")}
    assert states["moderation"]["status"] == "PROCESSING" and states["moderation"]["err_code"] == 0
    stack.preview("--expect-no-changes")


def test_an_explicit_session_id_owned_by_the_renamed_stack_fails_the_new_stacks_up(
    make_stack, tmp_path, mps_env, mps_emulator
):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "explicit", "explicit", PROGRAM), name="dev", env=mps_env)
    stack.set_config("session", "channel-1-moderation")
    stack.up()
    prod_live = stack.outputs()["live"]

    stack.run("stack", "rename", "prod")
    stack.run("stack", "init", "dev")
    stack.set_config("session", "channel-1-moderation")
    failed = stack.up(check=False)
    assert failed.returncode != 0
    assert re.search(rf"channel-1-moderation as already used by task {prod_live}", failed.output), (
        failed.output
    )
    assert f'task_id="{prod_live}"' in failed.output and "mps:adoptDuplicates" in failed.output
    assert "Traceback" not in failed.output and "TaskNotOwned" not in failed.output
    assert all(r["outputs"].get("task_id") != prod_live for r in stack.resources("Task"))

    stack.destroy()
    assert admin.task(prod_live)["Aborted"] is False
    assert not [r for r in admin.requests("ManageTask") if r["Params"].get("TaskId") == prod_live]


def test_two_resources_given_one_session_id_fail_at_preview_naming_both(
    make_stack, tmp_path, mps_env, mps_emulator
):
    program = PROGRAM.replace(
        "    abort_on_delete=True,\n", "    abort_on_delete=True,\n    session_id=session,\n"
    )
    stack = make_stack(new_project(tmp_path / "shared", "shared", program), env=mps_env)
    stack.set_config("session", "one-session-for-two")
    result = stack.preview(check=False)
    assert result.returncode != 0
    errors = [
        line for line in result.output.splitlines() if "error:" in line and "one-session-for-two" in line
    ]
    assert errors, result.output
    assert any(
        "LiveStreamProcessTask 'moderation'" in line and "resource 'transcode'" in line for line in errors
    )
    assert "Traceback" not in result.output
    assert mps_emulator.admin.requests() == []


def test_a_killed_first_up_without_checkpoints_is_reported_then_adopted_on_request(
    make_stack, tmp_path, mps_env, mps_emulator
):
    """With PULUMI_SKIP_CHECKPOINTS the killed first `up` leaves no state at all, so the next one cannot show the
    tasks are its own: it names them instead of submitting them again, and `mps:adoptDuplicates` adopts them."""
    admin = mps_emulator.admin
    resources = 4
    env = {**mps_env, "PULUMI_SKIP_CHECKPOINTS": "true"}
    stack = make_stack(
        new_project(tmp_path / "nocheck", "nocheck", tasks_program(resources, "ep", "b-1250000000")), env=env
    )
    admin.add_fault("ProcessMedia", count=1000, latency_ms=1500)  # slow submissions: the kill lands mid-`up`
    proc = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--parallel=1"],
        cwd=stack.workdir,
        env=stack.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_tasks(admin, 2, proc)
    finally:
        kill_everything(proc)
    admin.clear_faults()
    accepted = {t["TaskId"] for t in admin.tasks()}
    assert stack.resources() == []  # nothing was saved

    stack.run("cancel", "--yes")
    reported = stack.up(check=False)
    assert reported.returncode != 0 and "mps:adoptDuplicates" in reported.output
    assert all(task_id in reported.output for task_id in accepted)
    assert {t["TaskId"] for t in admin.tasks()} >= accepted

    stack.set_config("mps:adoptDuplicates", "true")
    stack.up()
    tasks = admin.tasks()
    assert len(tasks) == resources and accepted <= {t["TaskId"] for t in tasks}
    assert {r["id"] for r in stack.resources("MediaProcessTask")} == {t["TaskId"] for t in tasks}

    # The first `up` with checkpoints gives the stack a random marker; the recorded SessionIds stay.
    stack.run("config", "rm", "mps:adoptDuplicates")
    stack.env["PULUMI_SKIP_CHECKPOINTS"] = "false"
    stack.up()
    (marker,) = stack.resources("StackMarker")
    assert marker["outputs"]["nonce"].startswith("s1-")
    stack.preview("--expect-no-changes")
    assert len(admin.tasks()) == resources


ONE_NAME_TWO_PARENTS = """
import pulumi
from pulumi_mps import LiveStreamProcessTask, TranscodeTemplate


class Channel(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("example:index:Channel", name, None, opts)
        if templates:
            TranscodeTemplate("hd", container="mp4", remove_video=1, opts=pulumi.ResourceOptions(parent=self))
        LiveStreamProcessTask(
            "live",
            url="rtmp://live.example.com/live/" + name,
            task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
            ai_content_review_task={"Definition": 10},
            opts=pulumi.ResourceOptions(parent=self),
        )


templates = pulumi.Config().get_bool("templates")  # which kind is declared twice: templates, else tasks
Channel("channel-1")
if templates:
    TranscodeTemplate("hd", container="mp4", remove_video=1)
else:
    LiveStreamProcessTask(
        "live",
        url="rtmp://live.example.com/live/channel-1",
        task_notify_config={"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
        ai_content_review_task={"Definition": 10},
    )
"""


def test_two_resources_of_one_kind_and_name_under_different_parents_fail_at_preview(
    make_stack, tmp_path, mps_env, mps_emulator
):
    """Pulumi allows them (their URNs differ by the parent's type), but they would derive one SessionId or name."""
    stack = make_stack(new_project(tmp_path / "twice", "twice", ONE_NAME_TWO_PARENTS), env=mps_env)
    for kind, name in (("TranscodeTemplate", "hd"), ("LiveStreamProcessTask", "live")):
        stack.set_config("templates", str(kind == "TranscodeTemplate").lower())
        result = stack.preview(check=False)  # a preview stops at its first error
        assert result.returncode != 0 and "Traceback" not in result.output
        assert any(
            f"another {kind} named '{name}' is declared in this stack (under example:index:Channel 'channel-1'; "
            "this one at the top of the stack)" in line
            for line in result.output.splitlines()
        ), result.output
    assert mps_emulator.admin.requests() == []
