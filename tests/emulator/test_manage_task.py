"""ManageTask Abort: live tasks while WAITING or PROCESSING, other tasks only while WAITING."""

from __future__ import annotations

from pulumi_mps.emulator import ABORTED_ERROR_CODE, ABORTED_ERROR_MESSAGE

from .helpers import UNSET, call, detail, expect_error, live_params, media_params


def _abort(client, task_id: str) -> dict:
    return call(client, "ManageTask", {"OperationType": "Abort", "TaskId": task_id})


def test_a_waiting_media_task_can_be_aborted(mps_client, admin):
    task_id = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    assert set(_abort(mps_client, task_id)) == {"RequestId"}
    answer = detail(mps_client, task_id)
    assert (
        answer["Status"] == "FINISH" and answer["BeginProcessTime"] == UNSET and answer["FinishTime"] != UNSET
    )
    workflow = answer["WorkflowTask"]
    assert (workflow["ErrCode"], workflow["Message"]) == (ABORTED_ERROR_CODE, ABORTED_ERROR_MESSAGE)
    assert {r["TranscodeTask"]["Status"] for r in workflow["MediaProcessResultSet"]} == {"FAIL"}
    assert admin.task(task_id)["Aborted"] is True
    admin.advance_clock(60)
    assert detail(mps_client, task_id)["WorkflowTask"]["ErrCode"] == ABORTED_ERROR_CODE


def test_a_processing_media_task_cannot_be_aborted(mps_client, admin):
    task_id = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    admin.advance_clock(6)
    error = expect_error(
        mps_client,
        "ManageTask",
        {"OperationType": "Abort", "TaskId": task_id},
        "InvalidParameterValue.NotProcessingTask",
    )
    assert "PROCESSING" in error.get_message()
    assert detail(mps_client, task_id)["Status"] == "PROCESSING"
    assert admin.task(task_id)["Aborted"] is False


def test_a_processing_live_task_can_be_aborted(mps_client, admin):
    task_id = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]
    admin.advance_clock(3600)
    _abort(mps_client, task_id)
    answer = detail(mps_client, task_id)
    assert answer["Status"] == "FINISH" and answer["BeginProcessTime"] != UNSET
    live = answer["LiveStreamProcessTask"]
    assert (live["Status"], live["ErrCode"], live["Message"]) == (
        "FINISH",
        ABORTED_ERROR_CODE,
        ABORTED_ERROR_MESSAGE,
    )
    assert admin.task(task_id)["Aborted"] is True
    task_ids = [t["TaskId"] for t in call(mps_client, "DescribeTasks", {"Status": "FINISH"})["TaskSet"]]
    assert task_ids == [task_id]


def test_a_waiting_live_task_can_be_aborted(mps_client):
    task_id = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]
    _abort(mps_client, task_id)
    assert detail(mps_client, task_id)["Status"] == "FINISH"


def test_finished_tasks_cannot_be_aborted(mps_client, admin):
    media = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    live = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]
    _abort(mps_client, live)
    admin.advance_clock(60)
    for task_id in (media, live):
        expect_error(
            mps_client,
            "ManageTask",
            {"OperationType": "Abort", "TaskId": task_id},
            "InvalidParameterValue.NotProcessingTask",
        )


def test_aborting_an_unknown_task(mps_client):
    expect_error(
        mps_client,
        "ManageTask",
        {"OperationType": "Abort", "TaskId": "1250000000-WorkflowTask-" + "b" * 32},
        "InvalidParameterValue.TaskId",
    )
