"""Results of every kind of sub-task, one kind failing while the others succeed, and schedule tasks."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mps.emulator import RESULT_KINDS, SUBTASK_ERROR_CODE

from .helpers import assert_schema_shape, call, detail, media_params

EVERY_KIND: dict[str, Any] = {
    "MediaProcessTask": {
        "TranscodeTaskSet": [{"Definition": 10}],
        "AnimatedGraphicTaskSet": [{"Definition": 10001, "StartTimeOffset": 0, "EndTimeOffset": 3}],
        "SnapshotByTimeOffsetTaskSet": [{"Definition": 10, "TimeOffsetSet": [1000]}],
        "SampleSnapshotTaskSet": [{"Definition": 10}],
        "ImageSpriteTaskSet": [{"Definition": 10}],
        "AdaptiveDynamicStreamingTaskSet": [{"Definition": 10}],
    },
    "AiContentReviewTask": {"Definition": 10},
    "AiAnalysisTask": {"Definition": 30},
    "AiRecognitionTask": {"Definition": 10},
    "AiQualityControlTask": {"Definition": 10},
    "SmartSubtitlesTask": {"Definition": 100},
    "SmartEraseTask": {"Definition": 101},
    "AIDubbingTask": {"Definition": 10},
}


def results(part: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each kind's result in a WorkflowTask, by the kind's marker."""
    found = {}
    for kind in RESULT_KINDS:
        value = part[kind.member]
        if kind.entry_type is None:
            found[kind.marker] = value
        else:
            entry = next(e for e in value if e["Type"] == kind.entry_type and e.get(kind.slot))
            found[kind.marker] = entry[kind.slot]
    return found


def test_every_kind_of_result_is_emitted_in_the_schema_shape(mps_client, admin):
    task_id = call(mps_client, "ProcessMedia", media_params(**EVERY_KIND))["TaskId"]
    waiting = detail(mps_client, task_id)
    assert {r["Status"] for r in results(waiting["WorkflowTask"]).values()} == {"PROCESSING"}
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    found = results(answer["WorkflowTask"])
    assert set(found) == {k.marker for k in RESULT_KINDS}
    assert {r["Status"] for r in found.values()} == {"SUCCESS"}
    assert found["smarterase"]["Output"]["Path"] == "/movie/201907/WildAnimal_smartErase_101.mp4"
    subtask_types = call(mps_client, "DescribeTasks", {"Status": "FINISH"})["TaskSet"][0]["SubTaskTypes"]
    assert subtask_types == [k.sub_task_type for k in RESULT_KINDS]


@pytest.mark.parametrize("kind", RESULT_KINDS, ids=[k.marker for k in RESULT_KINDS])
def test_one_kind_fails_while_the_others_succeed(mps_client, admin, kind):
    params = media_params(obj=f"/movie/fail-{kind.marker}.mov", **EVERY_KIND)
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    workflow = answer["WorkflowTask"]
    assert (answer["Status"], workflow["Status"], workflow["ErrCode"]) == ("FINISH", "FINISH", 0)
    assert workflow["MetaData"] is not None
    found = results(workflow)
    assert found[kind.marker]["Status"] == "FAIL" and found[kind.marker]["Output"] is None
    assert found[kind.marker].get("ErrCode", SUBTASK_ERROR_CODE) == SUBTASK_ERROR_CODE
    assert found[kind.marker]["ErrCodeExt"] == "InternalError"
    assert {m: r["Status"] for m, r in found.items() if m != kind.marker} == {
        m: "SUCCESS" for m in found if m != kind.marker
    }
    assert admin.task(task_id)["Failing"] is True
    failed = call(mps_client, "DescribeTasks", {"Status": "FINISH", "SubTaskHasFailed": True})
    assert [t["TaskId"] for t in failed["TaskSet"]] == [task_id]


@pytest.mark.parametrize(
    "params",
    [
        {"ScheduleId": 30000, "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 10}]}},
        {
            "Activities": [
                {"ActivityType": "input"},
                {"ActivityType": "action-trans", "ActivityPara": {"TranscodeTask": {"Definition": 10}}},
                {"ActivityType": "action-AIQualityControl", "ActivityPara": {"QualityControlTask": {}}},
                {"ActivityType": "output"},
            ]
        },
    ],
    ids=["ScheduleId", "Activities"],
)
def test_a_schedule_request_runs_as_a_schedule_task(mps_client, admin, params):
    """DescribeTaskDetail's TaskType "ScheduleTask：编排处理任务", its data under ScheduleTask.ActivityResultSet."""
    task_id = call(mps_client, "ProcessMedia", media_params(obj="/movie/fail-transcode.mov", **params))[
        "TaskId"
    ]
    assert "-ScheduleTask-" in task_id
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    assert (answer["TaskType"], answer["WorkflowTask"]) == ("ScheduleTask", None)
    schedule = answer["ScheduleTask"]
    assert (schedule["TaskId"], schedule["Status"], schedule["ErrCode"]) == (task_id, "FINISH", 0)
    activities = schedule["ActivityResultSet"]
    assert activities[0]["ActivityType"] == "Transcode"
    transcode = activities[0]["ActivityResItem"]["TranscodeTask"]
    assert (transcode["Status"], transcode["ErrCode"]) == ("FAIL", SUBTASK_ERROR_CODE)
    if "Activities" in params:
        assert activities[1]["ActivityType"] == "AiQualityControl"
        assert activities[1]["ActivityResItem"]["QualityControlTask"]["Status"] == "SUCCESS"
    listed = call(mps_client, "DescribeTasks", {"Status": "FINISH"})["TaskSet"][0]
    assert (listed["TaskId"], listed["TaskType"]) == (task_id, "ScheduleTask")
