"""Refresh end to end (the real CLI, the provider process, the emulator): outputs follow the tasks, no diff, and
the calls are only those a change needs, as the emulator's request log counts them.

`pulumi refresh --yes` runs a preview and an update, each in a provider process of its own. Tasks stay in each
status for 100 s (virtual) and the tests move the emulator's clock.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pulumi_mps.emulator import (
    ABORTED_ERROR_CODE,
    ABORTED_ERROR_MESSAGE,
    SOURCE_ERROR_CODE,
    Durations,
    Emulator,
)
from tests.protocol.test_media_provider import sdk
from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

STEP = 100.0
MEDIA = """
from pulumi_mps import MediaProcessTask

for name in ("alpha", "beta", "fail-gamma"):
    MediaProcessTask(name, output_dir="/out/",
                     input_info={"type": "COS", "cos_input_info": {"bucket": "media-1250000000",
                                                                   "region": "ap-chongqing", "object": f"/in/{name}.mov"}},
                     media_process_task={"transcode_task_set": [{"definition": 20}, {"definition": 30}]})
"""
LIVE = """
from pulumi_mps import LiveStreamProcessTask

LiveStreamProcessTask("moderation", url="rtmp://live.example.com/live/channel-1",
                      task_notify_config={"notify_type": "URL", "notify_url": "https://hooks.example.com/mps"},
                      ai_content_review_task={"definition": 10})
"""


@pytest.fixture
def mps_emulator():
    with Emulator(
        port=0, durations=Durations(media_waiting=STEP, media_processing=STEP, live_waiting=STEP)
    ) as emu:
        yield emu


def calls(emulator, run) -> Counter:
    emulator.admin.clear_requests()
    run()
    return Counter(r["Action"] for r in emulator.admin.requests())


def outputs(stack) -> dict[str, dict]:
    """The tasks' outputs in the state, by resource name (``__provider`` is encrypted afresh on every write)."""
    return {
        r["urn"].rsplit("::", 1)[1]: {k: v for k, v in r["outputs"].items() if k != "__provider"}
        for r in stack.resources("ProcessTask")
    }


def test_media_tasks_refreshed_until_they_finish_then_at_no_cost(make_stack, tmp_path, mps_env, mps_emulator):
    stack = make_stack(new_project(tmp_path / "media", "media", MEDIA), env=mps_env)

    def refresh() -> None:  # a preview, then the update
        stack.run("refresh", "--yes")

    stack.up()
    assert {o["status"] for o in outputs(stack).values()} == {"WAITING"}

    assert calls(mps_emulator, refresh) == {"DescribeTaskDetail": 6}  # once per task and phase
    waiting = outputs(stack)
    assert all(o["status"] == "WAITING" and o["create_time"] for o in waiting.values())
    assert calls(mps_emulator, refresh) == {"DescribeTasks": 2}  # still listed as WAITING, in each phase
    assert outputs(stack) == waiting

    mps_emulator.admin.advance_clock(2 * STEP)
    # The preview lists WAITING (none is) and describes the three tasks; the update reuses what it saw finish.
    assert calls(mps_emulator, refresh) == {"DescribeTasks": 1, "DescribeTaskDetail": 3}
    done = outputs(stack)
    assert {o["status"] for o in done.values()} == {"FINISH"}
    assert done["alpha"]["output_paths"] == ["/out/alpha_transcode_20.mp4", "/out/alpha_transcode_30.mp4"]
    assert done["fail-gamma"]["output_paths"] == [] and done["fail-gamma"]["err_code"] == SOURCE_ERROR_CODE
    assert {s["status"] for s in done["fail-gamma"]["subtasks"]} == {"FAIL"}

    assert calls(mps_emulator, refresh) == {}
    assert calls(mps_emulator, lambda: stack.preview("--refresh", "--expect-no-changes")) == {}
    assert outputs(stack) == done


def test_a_live_task_aborted_outside_pulumi_while_processing(make_stack, tmp_path, mps_env, mps_emulator):
    stack = make_stack(new_project(tmp_path / "live", "live", LIVE), env=mps_env)
    stack.up()
    (task,) = mps_emulator.admin.tasks()
    mps_emulator.admin.advance_clock(STEP)
    stack.refresh()
    processing = outputs(stack)["moderation"]
    assert processing["status"] == "PROCESSING" and processing["begin_process_time"]
    assert calls(mps_emulator, stack.refresh) == {"DescribeTasks": 1}  # still listed as PROCESSING
    assert outputs(stack)["moderation"] == processing

    sdk(mps_emulator).call_json("ManageTask", {"OperationType": "Abort", "TaskId": task["TaskId"]})
    assert calls(mps_emulator, lambda: stack.run("refresh", "--yes")) == {
        "DescribeTasks": 1,
        "DescribeTaskDetail": 1,
    }
    aborted = outputs(stack)["moderation"]
    assert aborted["status"] == "FINISH" and aborted["finish_time"]
    assert aborted["err_code"] == ABORTED_ERROR_CODE and aborted["message"] == ABORTED_ERROR_MESSAGE
    stack.preview("--refresh", "--expect-no-changes")
    assert outputs(stack)["moderation"] == aborted
