"""LiveStreamProcessTask's provider over gRPC against the emulator: the same core with the live spec."""

from __future__ import annotations

import grpc
import pytest

from pulumi_mps._providers import LiveStreamProcessTaskProvider
from tests.protocol.test_media_provider import MARKER, checked, sdk
from tests.provider_harness import ProviderServer, from_struct, init_failure

pytestmark = pytest.mark.protocol

LIVE = {
    "url": "rtmp://live.example.com/app/stream",
    "task_notify_config": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
    "ai_content_review_task": {"Definition": 10},
    "resource_identity": "live/prod/moderation",
}


@pytest.fixture
def server(mps_env):
    with ProviderServer(LiveStreamProcessTaskProvider(), env=mps_env) as srv:
        yield srv


@pytest.mark.parametrize(
    "url",
    [
        "rtmp://live.example.com/app/stream",
        "http://live.example.com/app/s.m3u8",
        "https://live.example.com/app/s.flv?token=1",
        "srt://live.example.com:9000",
    ],
)
def test_live_urls_accepted(server, url):
    _, failures = server.check({**LIVE, "url": url})
    assert failures == []


@pytest.mark.parametrize("url", ["ftp://live.example.com/s", "https://live.example.com/video.mp4", "stream"])
def test_other_urls_pass_the_check(server, url, mps_emulator):
    """The docs' list of live addresses ends in "等" (and others): a recommendation, a warning, never a failure."""
    _, failures = server.check({**LIVE, "url": url})
    assert failures == []
    assert mps_emulator.admin.requests() == []


def test_notify_config_required_with_the_fields_its_type_needs(server):
    without = {k: v for k, v in LIVE.items() if k != "task_notify_config"}
    assert server.check(without)[1] == [("task_notify_config", "field required")]
    _, failures = server.check({**LIVE, "task_notify_config": {"notify_type": "URL"}})
    assert failures == [("task_notify_config.notify_url", "required when notify_type is URL")]


def test_create_then_destroy_aborts_the_running_task(server, mps_emulator):
    task_id, outs = server.create(checked(server, LIVE))
    assert "-live-procedure-" in task_id
    mps_emulator.admin.advance_clock(10)
    resp = server.read(task_id, outs)
    assert from_struct(resp.properties)["status"] == "PROCESSING"
    server.delete(task_id, outs)
    assert mps_emulator.admin.task(task_id)["Aborted"] is True


def test_destroy_leaves_the_task_running_when_asked(server, mps_emulator):
    task_id, outs = server.create(checked(server, {**LIVE, "abort_on_delete": False}))
    server.delete(task_id, outs)
    task = mps_emulator.admin.task(task_id)
    assert task["Aborted"] is False and task["Status"] in ("WAITING", "PROCESSING")


@pytest.mark.parametrize("advance", [13 * 3600, 8 * 24 * 3600])
def test_destroy_is_quiet_for_finished_or_expired_tasks(server, mps_emulator, advance):
    task_id, outs = server.create(checked(server, LIVE))
    mps_emulator.admin.advance_clock(advance)
    server.delete(task_id, outs)
    assert [r["Action"] for r in mps_emulator.admin.requests()][-1] == "DescribeTaskDetail"


def test_duplicate_session_id_adopts_the_live_task(server, mps_emulator):
    inputs = checked(server, {**LIVE, "stack_marker": MARKER})
    first = sdk(mps_emulator).call_json(
        "ProcessLiveStream",
        {
            "Url": LIVE["url"],
            "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
            "SessionId": inputs["session_id"],
        },
    )["Response"]["TaskId"]
    mps_emulator.admin.advance_clock(4 * 24 * 3600)
    task_id, _ = server.create(inputs)
    assert task_id == first and len(mps_emulator.admin.tasks()) == 1
    listed = [r["Params"].get("Status") for r in mps_emulator.admin.requests("DescribeTasks")]
    assert listed and set(listed) <= {"WAITING", "PROCESSING", "FINISH"}


def test_a_wait_that_times_out_records_the_task_and_the_next_up_waits_again(server, mps_emulator):
    inputs = checked(server, {**LIVE, "wait_for_completion": True, "wait_timeout_seconds": 2})
    with pytest.raises(grpc.RpcError) as err:
        server.create(inputs)
    (task,) = mps_emulator.admin.tasks()
    task_id, outs, (reason,) = init_failure(err.value)
    assert task_id == task["TaskId"] and outs["status"] in ("WAITING", "PROCESSING") and outs["__provider"]
    assert f"task {task_id} is still {outs['status']} after 2.0 s (wait_timeout_seconds 2)" in reason
    outs.pop("__provider")

    # A refresh follows it, and still reports it unfinished (the engine warns and keeps the resource failed).
    mps_emulator.admin.advance_clock(10)
    with pytest.raises(grpc.RpcError) as err:
        server.read(task_id, outs)
    _, refreshed, (reason,) = init_failure(err.value)
    assert refreshed["status"] == "PROCESSING" and "is still PROCESSING (wait_for_completion)" in reason

    # The next `up` updates it: the wait runs again (and times out again: a live task runs until aborted).
    with pytest.raises(grpc.RpcError) as err:
        server.update(task_id, outs, inputs)
    assert "still PROCESSING after 2.0 s" in init_failure(err.value)[2][0]
    assert len(mps_emulator.admin.tasks()) == 1

    # Destroy acts on it: abort_on_delete (a live task's default) aborts it.
    server.delete(task_id, refreshed)
    assert mps_emulator.admin.task(task_id)["Aborted"] is True


def test_without_wait_for_completion_a_task_is_never_reported_unfinished(server, mps_emulator):
    task_id, outs = server.create(checked(server, LIVE))
    mps_emulator.admin.advance_clock(10)
    assert from_struct(server.read(task_id, outs).properties)["status"] == "PROCESSING"
    assert (
        server.update(task_id, outs, checked(server, {**LIVE, "abort_on_delete": False}))["status"]
        == "WAITING"
    )
    assert [r["Action"] for r in mps_emulator.admin.requests()].count("DescribeTaskDetail") == 1


# -- replacements (README, "The SessionId contract"): a re-run, never the replaced task, never an abort of one's own


def test_a_replacement_deleted_first_runs_the_task_again(server, mps_emulator):
    from pulumi_mps._session import derive_rerun_session_id

    inputs = checked(server, {**LIVE, "stack_marker": MARKER})
    first, outs = server.create(inputs)
    # `pulumi up --replace`: the inputs are checked again as for a new resource (the same SessionId), the old
    # resource is deleted (its live task aborted), then the replacement is created.
    again = checked(server, {**LIVE, "stack_marker": MARKER})
    assert again["session_id"] == inputs["session_id"]
    server.delete(first, outs)
    second, replaced = server.create(again)
    assert second != first and mps_emulator.admin.task(first)["Aborted"] is True
    assert mps_emulator.admin.task(second)["Aborted"] is False
    assert replaced["session_id"] == derive_rerun_session_id(inputs["session_id"], first)
    assert mps_emulator.admin.task(second)["SessionId"] == replaced["session_id"]
    assert replaced["requested_session_id"] == inputs["session_id"] and replaced["adopted"] is False
    # Later `up`s see no change, and an update keeps the task's own SessionId.
    assert server.diff(replaced, again, second).changes == 1  # DIFF_NONE
    updated = server.update(second, replaced, {**again, "abort_on_delete": True})
    assert updated["session_id"] == replaced["session_id"] and updated["task_id"] == second
    # Replaced again: a third task.
    server.delete(second, updated)
    third, _ = server.create(checked(server, {**LIVE, "stack_marker": MARKER}))
    assert third not in (first, second) and len(mps_emulator.admin.tasks()) == 3


def test_a_resumed_replacement_finds_the_task_it_submitted(mps_env, mps_emulator):
    """An `up` killed after the replaced task was deleted: the next one diffs the resource (its state still names
    the old task) and creates the replacement, with the re-run SessionId the killed one may have submitted."""
    from pulumi_mps._session import derive_rerun_session_id

    with ProviderServer(LiveStreamProcessTaskProvider(), env=mps_env) as first_run:
        inputs = checked(first_run, {**LIVE, "stack_marker": MARKER})
        first, outs = first_run.create(inputs)
        first_run.delete(first, outs)
    rerun = derive_rerun_session_id(inputs["session_id"], first)
    submitted = sdk(mps_emulator).call_json(
        "ProcessLiveStream",
        {
            "Url": LIVE["url"],
            "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://h.example.com/m"},
            "SessionId": rerun,
        },
    )["Response"]["TaskId"]
    with ProviderServer(LiveStreamProcessTaskProvider(), env=mps_env) as next_run:
        next_run.diff(outs, inputs, first)
        task_id, replaced = next_run.create(checked(next_run, {**LIVE, "stack_marker": MARKER}))
    assert task_id == submitted and replaced["session_id"] == rerun and len(mps_emulator.admin.tasks()) == 2


@pytest.mark.parametrize("adopt", ["task_id", "duplicate"])
def test_a_replacement_created_first_keeps_the_task_and_never_aborts_it(server, mps_emulator, adopt):
    inputs = checked(server, {**LIVE, "stack_marker": MARKER})
    first, outs = server.create(inputs)
    again = {**LIVE, "stack_marker": MARKER, **({"task_id": first} if adopt == "task_id" else {})}
    task_id, _ = server.create(checked(server, again))
    server.delete(first, outs)  # the replaced resource, deleted after its replacement adopted the task
    assert task_id == first and mps_emulator.admin.task(first)["Aborted"] is False
    assert len(mps_emulator.admin.tasks()) == 1


def test_a_replacement_cannot_rerun_under_an_explicit_session_id(server, mps_emulator):
    inputs = checked(server, {**LIVE, "session_id": "my-live-session"})
    first, outs = server.create(inputs)
    server.delete(first, outs)
    with pytest.raises(grpc.RpcError) as err:
        server.create(checked(server, {**LIVE, "session_id": "my-live-session"}))
    details = err.value.details()
    assert f"session_id my-live-session, the SessionId of task {first}, which it replaces" in details
    assert "another session_id" in details and len(mps_emulator.admin.tasks()) == 1


def test_a_spec_edited_back_runs_again_rather_than_adopting_the_task_it_replaced(
    server, mps_env, mps_emulator
):
    """A → B replaces (and aborts) A's task; B → A, a later `up`, derives A's SessionId again, whose task was
    aborted: the resource remembers the tasks it held (`replaced_tasks`) and runs A again."""
    spec_a = {**LIVE, "stack_marker": MARKER}
    spec_b = {**spec_a, "ai_content_review_task": {"Definition": 30}}
    a = checked(server, spec_a)
    first, outs_a = server.create(a)
    b = checked(server, spec_b, olds=a)
    assert server.diff(
        outs_a, b, first
    ).replaces  # an edit: the engine deletes the old one first, then creates
    server.delete(first, outs_a)
    second, outs_b = server.create(checked(server, spec_b))
    assert outs_b["replaced_tasks"] == {a["session_id"]: first}

    with ProviderServer(LiveStreamProcessTaskProvider(), env=mps_env) as later:  # the next `up`
        back = checked(later, spec_a, olds=b)
        assert back["session_id"] == a["session_id"]
        later.diff(outs_b, back, second)
        later.delete(second, outs_b)
        third, outs = later.create(checked(later, spec_a))
    assert third not in (first, second) and mps_emulator.admin.task(third)["Aborted"] is False
    assert outs["replaced_tasks"] == {a["session_id"]: first, b["session_id"]: second}
    assert [t["Aborted"] for t in mps_emulator.admin.tasks()] == [True, True, False]
