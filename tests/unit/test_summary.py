"""The status outputs the provider reads from DescribeTaskDetail, for every kind of result MPS reports.

The answers come from the emulator's backend (plain Python, no socket), whose shapes are built from the schema
and checked against tccli's examples in tests/emulator/test_examples.py."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mps._specs import LIVE, MEDIA
from pulumi_mps.emulator import RESULT_KINDS, SUBTASK_ERROR_CODE, SUBTASK_ERROR_MESSAGE, Backend
from pulumi_mps.emulator._backend import DEFAULT_ACCOUNT

from ..emulator.helpers import live_params, media_params
from ..emulator.test_results import EVERY_KIND


@pytest.fixture(scope="module")
def backend():
    b = Backend()
    yield b
    b.close()


def finished(backend: Backend, action: str, params: dict[str, Any]) -> dict[str, Any]:
    task_id = backend.call(action, params, DEFAULT_ACCOUNT)["TaskId"]
    backend.clock.advance(13 * 3600)
    return backend.call("DescribeTaskDetail", {"TaskId": task_id}, DEFAULT_ACCOUNT)


def test_every_kind_of_result_is_a_subtask(backend):
    summary = MEDIA.summarize(finished(backend, "ProcessMedia", media_params(**EVERY_KIND)))
    assert (summary["status"], summary["err_code"], summary["message"]) == ("FINISH", 0, "")
    assert len(summary["subtasks"]) == len(RESULT_KINDS)
    assert {s["status"] for s in summary["subtasks"]} == {"SUCCESS"}
    assert "/movie/201907/WildAnimal_transcode_10.mp4" in summary["output_paths"]
    assert "/movie/201907/WildAnimal_aiDubbing_10.mp4" in summary["output_paths"]


@pytest.mark.parametrize("kind", RESULT_KINDS, ids=[k.marker for k in RESULT_KINDS])
def test_one_failed_kind_is_reported_with_its_code_while_the_others_keep_their_outputs(backend, kind):
    params = media_params(obj=f"/in/fail-{kind.marker}.mov", **EVERY_KIND)
    summary = MEDIA.summarize(finished(backend, "ProcessMedia", params))
    failed = [s for s in summary["subtasks"] if s["status"] == "FAIL"]
    assert len(failed) == 1 and summary["status"] == "FINISH"
    with_err_code = kind.member not in ("SmartEraseTaskResult", "AiDubbingTaskResult")  # no ErrCode member
    assert failed[0]["err_code"] == (SUBTASK_ERROR_CODE if with_err_code else -1)
    assert (summary["err_code"], summary["message"]) == (failed[0]["err_code"], failed[0]["message"])
    assert failed[0]["message"] == SUBTASK_ERROR_MESSAGE
    section = kind.member.removesuffix("Set").removesuffix("Result").removesuffix("Task")
    expected = {"MediaProcess": kind.entry_type}.get(section) or (
        f"{section}.{kind.entry_type}" if kind.entry_type else section
    )
    assert failed[0]["type"] == expected
    succeeded = [s for s in summary["subtasks"] if s["status"] == "SUCCESS"]
    assert len(succeeded) == len(RESULT_KINDS) - 1
    assert summary["output_paths"] == [p for s in succeeded for p in s["output_paths"]]
    assert summary["output_paths"] and not failed[0]["output_paths"]


def test_a_schedule_task_is_read_from_its_activity_results(backend):
    params = media_params(
        obj="/in/fail-transcode.mov",
        ScheduleId=30000,
        MediaProcessTask={
            "TranscodeTaskSet": [{"Definition": 10}],
            "ImageSpriteTaskSet": [{"Definition": 10}],
        },
    )
    summary = MEDIA.summarize(finished(backend, "ProcessMedia", params))
    assert [(s["type"], s["status"]) for s in summary["subtasks"]] == [
        ("Transcode", "FAIL"),
        ("ImageSprites", "SUCCESS"),
    ]
    assert summary["err_code"] == SUBTASK_ERROR_CODE
    assert summary["output_paths"] == [
        "/in/fail-transcode_imageSprite_10_0.jpg",
        "/in/fail-transcode_imageSprite_10.vtt",
    ]


def test_a_failed_source_is_the_task_error(backend):
    summary = MEDIA.summarize(finished(backend, "ProcessMedia", media_params(obj="/in/fail-corrupt.mov")))
    assert summary["err_code"] == 30010 and all(s["status"] == "FAIL" for s in summary["subtasks"])


def test_a_live_task_reports_its_own_error(backend):
    summary = LIVE.summarize(finished(backend, "ProcessLiveStream", live_params(url="rtmp://l/live/fail-x")))
    assert (summary["status"], summary["err_code"], summary["subtasks"]) == ("FINISH", 30010, [])
