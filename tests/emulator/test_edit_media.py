"""EditMedia in the emulator: every request example of the API docs, the task's lifecycle and detail part,
DescribeTasks, dedup, abort, validation and failure injection."""

from __future__ import annotations

import copy
import re

import pytest

from pulumi_mps.emulator import (
    DEFAULT_APPID,
    EDIT_PROCESSING_SECONDS,
    EDIT_WAITING_SECONDS,
    SOURCE_ERROR_CODE,
    SOURCE_ERROR_MESSAGE,
)
from tests.api_examples import request_examples

from .helpers import assert_schema_shape, call, detail, expect_error, without_nulls

EXAMPLES = request_examples("EditMedia")
CLIP = next(params for title, params in EXAMPLES if not params.get("ComposeConfig"))


def test_the_docs_give_clip_and_compose_examples():
    assert len(EXAMPLES) == 5
    assert sum(1 for _, params in EXAMPLES if params.get("ComposeConfig")) == 4


@pytest.mark.parametrize(("title", "params"), EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_every_docs_example_is_accepted_and_finishes(mps_client, admin, title, params):
    task_id = call(mps_client, "EditMedia", params)["TaskId"]
    assert re.fullmatch(rf"{DEFAULT_APPID}-EditMedia-[0-9a-f]{{32}}", task_id), task_id
    waiting = detail(mps_client, task_id)
    assert (waiting["TaskType"], waiting["Status"]) == ("EditMediaTask", "WAITING")
    assert waiting["EditMediaTask"]["Status"] == "PROCESSING"  # the part knows PROCESSING and FINISH only
    admin.advance_clock(EDIT_WAITING_SECONDS + EDIT_PROCESSING_SECONDS + 1)
    done = detail(mps_client, task_id)
    answer = {k: v for k, v in done.items() if k != "RequestId"}
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    part = done["EditMediaTask"]
    assert (done["Status"], part["Status"], part["ErrCode"]) == ("FINISH", "FINISH", 0)
    assert part["TaskId"] == task_id
    assert without_nulls(part["Input"]["FileInfoSet"]) == params["FileInfos"]
    assert without_nulls(part["Output"]["OutputStorage"]) == params["OutputStorage"]
    assert part["Output"]["Path"].endswith(".mp4")
    assert done["WorkflowTask"] is None


def test_clip_output_path_fills_in_the_format(mps_client, admin):
    task_id = call(mps_client, "EditMedia", CLIP)["TaskId"]
    admin.advance_clock(60)
    assert (
        detail(mps_client, task_id)["EditMediaTask"]["Output"]["Path"] == "/clip_result/clip_WildAnimal.mp4"
    )
    hls = {**CLIP, "OutputConfig": {"Container": "hls", "Type": "fast"}}
    task_id = call(mps_client, "EditMedia", hls)["TaskId"]
    admin.advance_clock(60)
    assert (
        detail(mps_client, task_id)["EditMediaTask"]["Output"]["Path"] == "/clip_result/clip_WildAnimal.hls"
    )


def test_describe_tasks_lists_edit_tasks_as_edit_media_task(mps_client, admin):
    task_id = call(mps_client, "EditMedia", CLIP)["TaskId"]
    listed = call(mps_client, "DescribeTasks", {"Status": "WAITING"})["TaskSet"]
    assert [(t["TaskId"], t["TaskType"]) for t in listed] == [(task_id, "EditMediaTask")]


def test_a_session_id_is_deduplicated_for_three_days(mps_client, admin):
    params = {**CLIP, "SessionId": "clip-once"}
    call(mps_client, "EditMedia", params)
    expect_error(mps_client, "EditMedia", params, "InvalidParameterValue.SessionId")
    admin.advance_clock(3 * 86400 - 60)
    expect_error(mps_client, "EditMedia", params, "InvalidParameterValue.SessionId")
    admin.advance_clock(120)
    assert call(mps_client, "EditMedia", params)["TaskId"]
    assert len([t for t in admin.tasks() if t["SessionId"] == "clip-once"]) == 2


def test_abort_only_while_waiting(mps_client, admin):
    waiting = call(mps_client, "EditMedia", CLIP)["TaskId"]
    call(mps_client, "ManageTask", {"OperationType": "Abort", "TaskId": waiting})
    aborted = detail(mps_client, waiting)
    assert aborted["Status"] == "FINISH" and aborted["EditMediaTask"]["ErrCode"] != 0
    assert aborted["EditMediaTask"].get("Output") is None
    running = call(mps_client, "EditMedia", CLIP)["TaskId"]
    admin.advance_clock(EDIT_WAITING_SECONDS + 1)
    expect_error(
        mps_client,
        "ManageTask",
        {"OperationType": "Abort", "TaskId": running},
        "InvalidParameterValue.NotProcessingTask",
    )


def test_a_failing_source_fails_the_task(mps_client, admin):
    params = copy.deepcopy(CLIP)
    params["FileInfos"][0]["InputInfo"]["CosInputInfo"]["Object"] = "/movie/fail-corrupt.mov"
    task_id = call(mps_client, "EditMedia", params)["TaskId"]
    admin.advance_clock(60)
    part = detail(mps_client, task_id)["EditMediaTask"]
    assert (part["Status"], part["ErrCode"], part["Message"]) == (
        "FINISH",
        SOURCE_ERROR_CODE,
        SOURCE_ERROR_MESSAGE,
    )
    assert part.get("Output") is None


def test_an_injected_fault_fails_edit_media_only(mps_client, admin):
    admin.add_fault("EditMedia", count=1, code="FailedOperation.GenerateResource")
    expect_error(mps_client, "EditMedia", CLIP, "FailedOperation.GenerateResource")
    assert call(mps_client, "EditMedia", CLIP)["TaskId"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"OutputConfig": {"Container": "mkv"}}, "InvalidParameterValue"),
        ({"ComposeConfig": {"Tracks": [{"Type": "Sticker", "Items": []}]}}, "InvalidParameterValue"),
        ({"OutputObjectPath": None}, "MissingParameter"),
        ({"SessionId": "x" * 51}, "InvalidParameter"),
    ],
)
def test_rules_from_the_docs_reject_bad_requests(mps_client, admin, change, code):
    params = {k: v for k, v in {**CLIP, **change}.items() if v is not None}
    expect_error(mps_client, "EditMedia", params, code)
    assert admin.tasks() == []
