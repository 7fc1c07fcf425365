"""Refresh (Read) over gRPC against the emulator: outputs stay right while the calls are only those a change needs.

Each refresh runs in a provider process of its own, as the CLI starts one per command (and one per phase of
`pulumi refresh`); the emulator's request log counts the calls. Tasks stay in each status for 100 s (virtual) and
the tests move the emulator's clock, so that no status changes while a test runs unless the test says so.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest

from pulumi_mps._providers import LiveStreamProcessTaskProvider, MediaProcessTaskProvider
from pulumi_mps.emulator import (
    ABORTED_ERROR_CODE,
    ABORTED_ERROR_MESSAGE,
    SOURCE_ERROR_CODE,
    SOURCE_ERROR_MESSAGE,
    Durations,
    Emulator,
)
from tests.protocol.test_live_provider import LIVE
from tests.protocol.test_media_provider import SEED_SNAKE, checked, sdk
from tests.provider_harness import PROVIDER_KEY, ProviderServer, from_struct

pytestmark = pytest.mark.protocol

FAILING = {
    **SEED_SNAKE,
    "resource_identity": "quickstart/dev/corrupt",
    "input_info": {
        "type": "COS",
        "cos_input_info": {
            "bucket": "b-1250000000",
            "region": "ap-chongqing",
            "object": "/movie/fail-corrupt.mov",
        },
    },
}


STEP = 100.0


@pytest.fixture
def mps_emulator():
    with Emulator(
        port=0, durations=Durations(media_waiting=STEP, media_processing=STEP, live_waiting=STEP)
    ) as emu:
        yield emu


def plain(struct: Any) -> dict[str, Any]:
    return {k: v for k, v in from_struct(struct).items() if k != PROVIDER_KEY}


class Refresher:
    """Reads every resource, each refresh in a fresh provider process; the API calls each refresh made."""

    def __init__(self, provider: Any, env: dict[str, str], emulator: Any) -> None:
        self.provider, self.env, self.admin = provider, env, emulator.admin
        self.inputs: dict[str, dict[str, Any]] = {}
        self.states: dict[str, dict[str, Any]] = {}

    def create(self, *many: dict[str, Any]) -> list[str]:
        created = []
        with ProviderServer(self.provider, env=self.env) as server:
            for props in many:
                inputs = checked(server, props)
                task_id, state = server.create(inputs)
                self.inputs[task_id], self.states[task_id] = inputs, state
                created.append(task_id)
        return created

    def refresh(self, threads: int = 1) -> Counter:
        self.admin.clear_requests()
        with ProviderServer(self.provider, env=self.env) as server:
            results: dict[str, Any] = {}

            def read(task_id: str) -> None:
                results[task_id] = server.read(task_id, self.states[task_id])

            workers = [
                threading.Thread(target=lambda ids=ids: [read(i) for i in ids])
                for ids in (list(self.states)[n::threads] for n in range(threads))
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            for task_id, resp in results.items():
                assert resp.id == task_id
                assert not resp.HasField("inputs")  # the engine keeps the inputs it holds
                self.states[task_id] = plain(resp.properties)
                assert (
                    server.diff(self.states[task_id], self.inputs[task_id], task_id).changes == 1
                )  # DIFF_NONE
        return Counter(r["Action"] for r in self.admin.requests())


@pytest.fixture
def media(mps_env, mps_emulator) -> Refresher:
    return Refresher(MediaProcessTaskProvider(), mps_env, mps_emulator)


@pytest.fixture
def live(mps_env, mps_emulator) -> Refresher:
    return Refresher(LiveStreamProcessTaskProvider(), mps_env, mps_emulator)


def test_tasks_followed_to_their_end_then_refreshed_at_no_cost(media, mps_emulator):
    ok, bad = media.create(SEED_SNAKE, FAILING)
    assert media.refresh() == {"DescribeTaskDetail": 2}  # the state has not seen a detail yet
    assert all(s["status"] == "WAITING" and s["create_time"] for s in media.states.values())
    waiting = dict(media.states)

    assert media.refresh() == {"DescribeTasks": 1}  # both still listed as WAITING
    assert media.states == waiting

    mps_emulator.admin.advance_clock(STEP)
    assert media.refresh() == {"DescribeTasks": 1, "DescribeTaskDetail": 2}  # no longer listed as WAITING
    assert {s["status"] for s in media.states.values()} == {"PROCESSING"}
    assert all(s["begin_process_time"] for s in media.states.values())
    assert media.refresh() == {"DescribeTaskDetail": 2}  # a media task's subtasks progress while PROCESSING

    mps_emulator.admin.advance_clock(STEP)
    assert media.refresh() == {"DescribeTaskDetail": 2}
    done, failed = media.states[ok], media.states[bad]
    assert done["status"] == "FINISH" and done["finish_time"] and done["err_code"] == 0
    assert done["output_paths"] and {s["status"] for s in done["subtasks"]} == {"SUCCESS"}
    assert failed["status"] == "FINISH" and failed["output_paths"] == []
    assert failed["err_code"] == SOURCE_ERROR_CODE and failed["message"] == SOURCE_ERROR_MESSAGE
    assert {(s["status"], s["err_code"]) for s in failed["subtasks"]} == {("FAIL", SOURCE_ERROR_CODE)}
    finished = dict(media.states)

    assert media.refresh() == {}  # FINISH in the state: nothing to ask MPS
    assert media.states == finished
    mps_emulator.admin.advance_clock(8 * 24 * 3600)  # and once MPS has forgotten them
    assert media.refresh() == {}
    assert media.states == finished


def test_the_second_phase_of_a_refresh_reuses_what_the_first_saw_finish(media, mps_emulator, monkeypatch):
    (task_id,) = media.create(SEED_SNAKE)
    mps_emulator.admin.advance_clock(2 * STEP)
    before = dict(media.states)
    assert media.refresh() == {"DescribeTaskDetail": 1}  # the preview
    previewed = media.states[task_id]
    assert previewed["status"] == "FINISH"
    media.states = dict(before)  # the update starts again from the state as it was
    assert media.refresh() == {}
    assert media.states[task_id] == previewed

    monkeypatch.setitem(media.env, "MPS_CACHE_DIR", "")  # nothing kept: described again
    media.states = dict(before)
    assert media.refresh() == {"DescribeTaskDetail": 1}
    assert media.states[task_id] == previewed


def test_concurrent_reads_share_one_listing_page_per_hundred_tasks(media, mps_emulator):
    media.create(*({**SEED_SNAKE, "resource_identity": f"quickstart/dev/task-{n}"} for n in range(120)))
    assert media.refresh(threads=8) == {"DescribeTaskDetail": 120}
    assert media.refresh(threads=8) == {"DescribeTasks": 2}  # 120 WAITING tasks: two pages, read once


def test_a_live_task_aborted_outside_pulumi_while_processing(live, mps_emulator):
    (task_id,) = live.create(LIVE)
    mps_emulator.admin.advance_clock(STEP)
    assert live.refresh() == {"DescribeTaskDetail": 1}
    processing = live.states[task_id]
    assert processing["status"] == "PROCESSING" and processing["begin_process_time"]
    assert live.refresh() == {"DescribeTasks": 1}  # still listed as PROCESSING: nothing changed
    assert live.states[task_id] == processing

    sdk(mps_emulator).call_json("ManageTask", {"OperationType": "Abort", "TaskId": task_id})
    assert live.refresh() == {"DescribeTasks": 1, "DescribeTaskDetail": 1}
    aborted = live.states[task_id]
    assert aborted["status"] == "FINISH" and aborted["finish_time"]
    assert aborted["err_code"] == ABORTED_ERROR_CODE and aborted["message"] == ABORTED_ERROR_MESSAGE
    assert live.refresh() == {}
    assert live.states[task_id] == aborted
