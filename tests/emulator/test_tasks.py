"""Task creation, lifecycle on the virtual clock, result shapes, failures and the 7-day visibility."""

from __future__ import annotations

import json
import re

from pulumi_mps.emulator import (
    MEDIA_PROCESSING_SECONDS,
    MEDIA_WAITING_SECONDS,
    SOURCE_ERROR_CODE,
    SOURCE_ERROR_MESSAGE,
)

from .helpers import (
    ISO,
    OTHER_SECRET_ID,
    OTHER_SECRET_KEY,
    UNSET,
    assert_schema_shape,
    call,
    detail,
    expect_error,
    live_params,
    media_params,
)

ALL_MEDIA_TASKS = {
    "TranscodeTaskSet": [{"Definition": 10}],
    "AdaptiveDynamicStreamingTaskSet": [{"Definition": 10}],
    "SnapshotByTimeOffsetTaskSet": [{"Definition": 10, "TimeOffsetSet": [1000, 5000]}],
    "SampleSnapshotTaskSet": [{"Definition": 10}],
    "ImageSpriteTaskSet": [{"Definition": 10}],
    "AnimatedGraphicTaskSet": [{"Definition": 10001, "StartTimeOffset": 0, "EndTimeOffset": 3}],
}


def test_task_ids_have_the_documented_shapes(mps_client):
    media = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    live = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]
    assert re.fullmatch(r"1250000000-WorkflowTask-[0-9a-f]{32}", media)
    assert re.fullmatch(r"1250000000-live-procedure-[0-9a-f]{32}", live)


def test_media_task_moves_waiting_processing_finish_on_the_virtual_clock(mps_client, admin):
    params = media_params(SessionId="lifecycle-1", SessionContext="ctx", TasksPriority=3)
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    first = detail(mps_client, task_id)
    assert (first["TaskType"], first["Status"]) == ("WorkflowTask", "WAITING")
    assert re.match(ISO, first["CreateTime"])
    assert first["BeginProcessTime"] == UNSET and first["FinishTime"] == UNSET
    assert (first["SessionId"], first["SessionContext"], first["TasksPriority"]) == ("lifecycle-1", "ctx", 3)
    assert first["WorkflowTask"]["Status"] == "PROCESSING"  # a nested task is PROCESSING or FINISH
    assert first["WorkflowTask"]["MediaProcessResultSet"][0]["TranscodeTask"]["Status"] == "PROCESSING"
    assert_schema_shape(first, "DescribeTaskDetailResponse")

    admin.advance_clock(MEDIA_WAITING_SECONDS + 0.5)
    second = detail(mps_client, task_id)
    assert second["Status"] == "PROCESSING"
    assert re.match(ISO, second["BeginProcessTime"]) and second["FinishTime"] == UNSET
    assert second["WorkflowTask"]["MetaData"]["Duration"] > 0
    transcode = second["WorkflowTask"]["MediaProcessResultSet"][0]["TranscodeTask"]
    assert (
        transcode["Status"] == "PROCESSING"
        and 0 < transcode["Progress"] < 100
        and transcode["Output"] is None
    )

    admin.advance_clock(MEDIA_PROCESSING_SECONDS)
    third = detail(mps_client, task_id)
    assert third["Status"] == "FINISH" and third["WorkflowTask"]["Status"] == "FINISH"
    assert re.match(ISO, third["FinishTime"])
    assert third["CreateTime"] <= third["BeginProcessTime"] <= third["FinishTime"]
    assert third["WorkflowTask"]["ErrCode"] == 0
    results = third["WorkflowTask"]["MediaProcessResultSet"]
    assert [r["TranscodeTask"]["Status"] for r in results] == ["SUCCESS", "SUCCESS"]
    assert [r["TranscodeTask"]["Output"]["Path"] for r in results] == [
        "/movie/201907/WildAnimal_transcode_10.mp4",
        "/movie/201907/WildAnimal_transcode_20.mp4",
    ]


def test_finished_results_cover_every_media_sub_task_and_follow_the_schema(mps_client, admin):
    task_id = call(mps_client, "ProcessMedia", media_params(MediaProcessTask=ALL_MEDIA_TASKS))["TaskId"]
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    by_type = {r["Type"]: r for r in answer["WorkflowTask"]["MediaProcessResultSet"]}
    assert set(by_type) == {
        "Transcode",
        "AdaptiveDynamicStreaming",
        "SnapshotByTimeOffset",
        "SampleSnapshot",
        "ImageSprites",
        "AnimatedGraphics",
    }
    base = "/movie/201907/WildAnimal"
    assert by_type["Transcode"]["TranscodeTask"]["Output"]["Path"] == f"{base}_transcode_10.mp4"
    assert by_type["Transcode"]["TranscodeTask"]["Output"]["OutputStorage"]["CosOutputStorage"]["Bucket"] == (
        "media-1250000000"
    )
    assert by_type["AdaptiveDynamicStreaming"]["AdaptiveDynamicStreamingTask"]["Output"]["Path"] == (
        f"{base}_adaptiveDynamicStreaming_10.m3u8"
    )
    pics = by_type["SnapshotByTimeOffset"]["SnapshotByTimeOffsetTask"]["Output"]["PicInfoSet"]
    assert [p["TimeOffset"] for p in pics] == [1000, 5000]
    assert pics[1]["Path"] == f"{base}_snapshotByTimeOffset_10_1.jpg"
    assert len(by_type["SampleSnapshot"]["SampleSnapshotTask"]["Output"]["ImagePathSet"]) == 3
    sprite = by_type["ImageSprites"]["ImageSpriteTask"]["Output"]
    assert sprite["WebVttPath"] == f"{base}_imageSprite_10.vtt" and sprite["ImagePathSet"]
    assert (
        by_type["AnimatedGraphics"]["AnimatedGraphicTask"]["Output"]["Path"]
        == f"{base}_animatedGraphic_10001.gif"
    )
    for result in by_type.values():
        sub = next(v for k, v in result.items() if k != "Type" and v is not None)
        assert (sub["Status"], sub["ErrCode"], sub["Input"]["Definition"]) == (
            "SUCCESS",
            0,
            sub["Output"]["Definition"],
        )


def test_output_dir_and_output_object_path_decide_where_outputs_go(mps_client, admin):
    tasks = {
        "TranscodeTaskSet": [
            {"Definition": 10},
            {"Definition": 20, "OutputObjectPath": "{inputName}-hd-{definition}.{format}"},
        ]
    }
    params = media_params(OutputDir="/out/2026/", MediaProcessTask=tasks)
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    admin.advance_clock(60)
    paths = [
        r["TranscodeTask"]["Output"]["Path"]
        for r in detail(mps_client, task_id)["WorkflowTask"]["MediaProcessResultSet"]
    ]
    assert paths == ["/out/2026/WildAnimal_transcode_10.mp4", "/out/2026/WildAnimal-hd-20.mp4"]


def test_input_marked_fail_finishes_with_every_sub_task_failed(mps_client, admin):
    params = media_params(obj="/movie/fail-corrupt.mov", MediaProcessTask=ALL_MEDIA_TASKS)
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    admin.advance_clock(MEDIA_WAITING_SECONDS + 1)
    assert detail(mps_client, task_id)["WorkflowTask"]["ErrCode"] == 0
    admin.advance_clock(MEDIA_PROCESSING_SECONDS)
    answer = detail(mps_client, task_id)
    assert answer["Status"] == "FINISH"
    workflow = answer["WorkflowTask"]
    assert (workflow["ErrCode"], workflow["Message"]) == (SOURCE_ERROR_CODE, SOURCE_ERROR_MESSAGE)
    assert workflow["MetaData"] is None
    subs = [
        next(v for k, v in r.items() if k != "Type" and v is not None)
        for r in workflow["MediaProcessResultSet"]
    ]
    assert len(subs) == 6
    assert {(s["Status"], s["ErrCode"], s["Message"]) for s in subs} == {
        ("FAIL", 30010, SOURCE_ERROR_MESSAGE)
    }
    assert all(s["Output"] is None for s in subs)
    assert admin.task(task_id)["Failing"] is True


def test_url_input_with_the_marker_fails_too(mps_client, admin):
    params = media_params(
        InputInfo={"Type": "URL", "UrlInputInfo": {"Url": "https://x.example.com/fail-a.mp4"}},
        OutputStorage={"Type": "COS", "CosOutputStorage": {"Bucket": "o", "Region": "r"}},
    )
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    admin.advance_clock(60)
    assert detail(mps_client, task_id)["WorkflowTask"]["ErrCode"] == SOURCE_ERROR_CODE


def test_live_task_processes_until_twelve_hours_pass(mps_client, admin):
    task_id = call(mps_client, "ProcessLiveStream", live_params(SessionId="live-1"))["TaskId"]
    answer = detail(mps_client, task_id)
    assert answer["TaskType"] == "LiveStreamProcessTask" and answer["Status"] == "WAITING"
    assert answer["WorkflowTask"] is None
    assert answer["TaskNotifyConfig"]["NotifyUrl"] == "https://hooks.example.com/mps"
    admin.advance_clock(6)
    live = detail(mps_client, task_id)["LiveStreamProcessTask"]
    assert live == {
        "TaskId": task_id,
        "Status": "PROCESSING",
        "ErrCode": 0,
        "Message": "",
        "Url": "rtmp://live.example.com/live/stream1",
    }
    admin.advance_clock(11 * 3600)
    assert detail(mps_client, task_id)["Status"] == "PROCESSING"
    admin.advance_clock(3600)
    finished = detail(mps_client, task_id)
    assert finished["Status"] == "FINISH" and finished["LiveStreamProcessTask"]["Status"] == "FINISH"
    assert_schema_shape(finished, "DescribeTaskDetailResponse")


def test_live_stream_marked_fail_finishes_with_an_error(mps_client, admin):
    task_id = call(mps_client, "ProcessLiveStream", live_params(url="rtmp://l.example.com/live/fail-x"))[
        "TaskId"
    ]
    admin.advance_clock(60)
    live = detail(mps_client, task_id)["LiveStreamProcessTask"]
    assert (live["Status"], live["ErrCode"], live["Message"]) == (
        "FINISH",
        SOURCE_ERROR_CODE,
        SOURCE_ERROR_MESSAGE,
    )


def test_tasks_older_than_seven_days_are_gone(mps_client, admin):
    task_id = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    admin.advance_clock(6 * 86400)
    assert detail(mps_client, task_id)["Status"] == "FINISH"
    admin.advance_clock(86400 + 1)
    expect_error(mps_client, "DescribeTaskDetail", {"TaskId": task_id}, "ResourceNotFound")
    assert call(mps_client, "DescribeTasks", {"Status": "FINISH"})["TotalCount"] == 0
    assert admin.task(task_id)["Expired"] is True


def test_unknown_and_foreign_tasks_are_not_found(mps_client, client_for):
    expect_error(
        mps_client,
        "DescribeTaskDetail",
        {"TaskId": "1250000000-WorkflowTask-" + "a" * 32},
        "ResourceNotFound",
    )
    task_id = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    other = client_for(OTHER_SECRET_ID, OTHER_SECRET_KEY)
    expect_error(other, "DescribeTaskDetail", {"TaskId": task_id}, "ResourceNotFound")


def test_secrets_are_never_echoed_stored_or_logged_in_plain_text(mps_client, admin):
    params = media_params(
        InputInfo={
            "Type": "AWS-S3",
            "S3InputInfo": {
                "S3Bucket": "b",
                "S3Region": "us-east-1",
                "S3Object": "/a.mov",
                "S3SecretId": "AKS3PLAINID",
                "S3SecretKey": "PLAINS3SECRET",
            },
        },
        TaskNotifyConfig={
            "NotifyType": "URL",
            "NotifyUrl": "https://h.example.com",
            "NotifyKey": "PLAINNOTIFYKEY",
        },
    )
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    answer = detail(mps_client, task_id)
    assert answer["WorkflowTask"]["InputInfo"]["S3InputInfo"]["S3Bucket"] == "b"
    assert answer["WorkflowTask"]["InputInfo"]["S3InputInfo"]["S3SecretKey"] is None
    everything = json.dumps([answer, admin.tasks(), admin.requests()])
    for secret in ("AKS3PLAINID", "PLAINS3SECRET", "PLAINNOTIFYKEY"):
        assert secret not in everything
    stored = admin.task(task_id)["Request"]
    assert stored["InputInfo"]["S3InputInfo"]["S3SecretKey"] == "***"
    assert admin.requests("ProcessMedia")[0]["Params"]["TaskNotifyConfig"]["NotifyKey"] == "***"
