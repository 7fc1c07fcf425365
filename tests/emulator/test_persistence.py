"""With --db, a restart keeps tasks, dedup records and the clock offset."""

from __future__ import annotations

from pulumi_mps.emulator import Emulator, EmulatorAdmin

from .helpers import TEST_ACCOUNTS, call, detail, expect_error, make_client, media_params


def test_a_restart_on_the_same_file_keeps_tasks_dedup_and_clock(tmp_path):
    db = tmp_path / "mps.sqlite"
    with Emulator(db=db, accounts=TEST_ACCOUNTS) as first:
        client = make_client(first.endpoint)
        task_id = call(client, "ProcessMedia", media_params(SessionId="persisted"))["TaskId"]
        EmulatorAdmin(first.url).advance_clock(3600)
        before = detail(client, task_id)
    with Emulator(db=db, accounts=TEST_ACCOUNTS) as second:
        client = make_client(second.endpoint)
        admin = EmulatorAdmin(second.url)
        assert 3599 < admin.clock()["offset_seconds"] < 3601
        after = detail(client, task_id)
        assert after["Status"] == "FINISH"
        assert (after["CreateTime"], after["FinishTime"]) == (before["CreateTime"], before["FinishTime"])
        expect_error(
            client, "ProcessMedia", media_params(SessionId="persisted"), "InvalidParameterValue.SessionId"
        )
        assert [t["TaskId"] for t in admin.tasks()] == [task_id]


def test_memory_mode_starts_empty(tmp_path):
    with Emulator(accounts=TEST_ACCOUNTS) as first:
        call(make_client(first.endpoint), "ProcessMedia", media_params(SessionId="gone"))
    with Emulator(accounts=TEST_ACCOUNTS) as second:
        assert EmulatorAdmin(second.url).tasks() == []
        assert call(make_client(second.endpoint), "ProcessMedia", media_params(SessionId="gone"))["TaskId"]
