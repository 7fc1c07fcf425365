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


def test_a_restart_keeps_the_notifications_but_not_the_notify_key(tmp_path):
    import hashlib

    from tests.receiver import Receiver

    db = tmp_path / "mps.sqlite"
    with Receiver() as receiver:
        config = {"NotifyType": "URL", "NotifyUrl": receiver.url, "NotifyKey": "kept-in-memory-only"}
        with Emulator(db=db, accounts=TEST_ACCOUNTS) as first:
            client = make_client(first.endpoint)
            done = call(client, "ProcessMedia", media_params(TaskNotifyConfig=config))["TaskId"]
            EmulatorAdmin(first.url).advance_clock(60)
            pending = call(client, "ProcessMedia", media_params(TaskNotifyConfig=config))["TaskId"]
        assert "kept-in-memory-only" not in db.read_bytes().decode("utf-8", "replace")
        with Emulator(db=db, accounts=TEST_ACCOUNTS) as second:
            admin = EmulatorAdmin(second.url)
            admin.advance_clock(60)
            assert [(d["TaskId"], d["State"]) for d in admin.notifications()] == [
                (done, "delivered"),
                (pending, "delivered"),
            ]
        first_event, later_event = receiver.events
    assert (
        first_event["Sign"]
        == hashlib.md5(f"{first_event['Timestamp']}kept-in-memory-only".encode()).hexdigest()
    )
    assert later_event["Sign"] == hashlib.md5(str(later_event["Timestamp"]).encode()).hexdigest()
