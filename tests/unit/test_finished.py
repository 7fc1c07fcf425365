"""The on-disk record of finished tasks' outputs, shared by the provider processes of one refresh."""

from __future__ import annotations

import json
import os

import pytest

from pulumi_mps import _finished
from pulumi_mps._core import SUMMARY
from pulumi_mps._finished import KEPT_S, FinishedTasks
from pulumi_mps._settings import Settings

ACCOUNT = Settings("AKIDONE", "secret-one", region="ap-guangzhou", host="mps.tencentcloudapi.com")
OTHER = Settings("AKIDTWO", "secret-two", region="ap-guangzhou", host="mps.tencentcloudapi.com")
TASK = "1250000000-WorkflowTask-0123456789abcdef0123456789abcdef"
OUTPUTS = {
    "status": "FINISH",
    "create_time": "2026-12-01T10:00:00Z",
    "begin_process_time": "2026-12-01T10:00:05Z",
    "finish_time": "2026-12-01T10:00:15Z",
    "err_code": 0,
    "message": "",
    "output_paths": ["/out/a.mp4"],
    "subtasks": [
        {
            "type": "Transcode",
            "status": "SUCCESS",
            "err_code": 0,
            "message": "SUCCESS",
            "output_paths": ["/out/a.mp4"],
        }
    ],
}


@pytest.fixture
def clock():
    return [1_000_000.0]


@pytest.fixture
def finished(tmp_path, clock):
    return FinishedTasks(SUMMARY, directory=lambda: tmp_path, clock=lambda: clock[0])


def test_a_finished_task_is_read_back_by_its_account_only(finished, tmp_path):
    assert finished.get(ACCOUNT, TASK) is None
    finished.put(ACCOUNT, TASK, OUTPUTS)
    assert finished.get(ACCOUNT, TASK) == OUTPUTS
    assert finished.get(OTHER, TASK) is None
    (record,) = tmp_path.glob("*/*.json")
    assert "secret-one" not in record.read_text() and "AKIDONE" not in str(record)
    assert oct(record.parent.stat().st_mode & 0o777) == oct(0o700)


def test_records_expire_after_a_day_and_are_removed(finished, tmp_path, clock):
    finished.put(ACCOUNT, TASK, OUTPUTS)
    (record,) = tmp_path.glob("*/*.json")
    os.utime(record, (clock[0], clock[0]))
    clock[0] += KEPT_S
    assert finished.get(ACCOUNT, TASK) is None
    later = FinishedTasks(SUMMARY, directory=lambda: tmp_path, clock=lambda: clock[0])  # a new process prunes
    later.put(ACCOUNT, TASK.replace("0123", "4567"), OUTPUTS)
    assert not record.exists() and len(list(tmp_path.glob("*/*.json"))) == 1


def test_only_whole_records_of_finished_tasks_are_kept_or_believed(finished, tmp_path):
    finished.put(ACCOUNT, TASK, {**OUTPUTS, "status": "PROCESSING"})
    assert finished.get(ACCOUNT, TASK) is None
    finished.put(ACCOUNT, TASK, {k: v for k, v in OUTPUTS.items() if k != "subtasks"})
    finished.put(ACCOUNT, "../escape", OUTPUTS)
    assert list(tmp_path.rglob("*.json")) == []
    finished.put(ACCOUNT, TASK, OUTPUTS)
    (record,) = tmp_path.glob("*/*.json")
    record.write_text(json.dumps({"format": 0, "outputs": OUTPUTS}))
    assert finished.get(ACCOUNT, TASK) is None
    record.write_text("{not json")
    assert finished.get(ACCOUNT, TASK) is None


def test_an_unwritable_directory_keeps_nothing_and_raises_nothing(tmp_path, clock):
    blocked = tmp_path / "file"
    blocked.write_text("")
    finished = FinishedTasks(SUMMARY, directory=lambda: blocked / "finished", clock=lambda: clock[0])
    finished.put(ACCOUNT, TASK, OUTPUTS)
    assert finished.get(ACCOUNT, TASK) is None


def test_where_records_go(monkeypatch, tmp_path):
    monkeypatch.setenv("MPS_CACHE_DIR", str(tmp_path))
    assert _finished.default_directory() == tmp_path / "finished"
    monkeypatch.setenv("MPS_CACHE_DIR", "")
    assert _finished.default_directory() is None
    monkeypatch.delenv("MPS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _finished.default_directory() == tmp_path / "pulumi-mps" / "finished"
