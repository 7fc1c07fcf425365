"""``POST /_emulator/uploads``: an object arriving in storage starts the tasks of every enabled workflow and
schedule whose trigger matches, through the same path as ProcessMedia."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mps.emulator import EmulatorAdminError

from .helpers import OTHER_APPID, OTHER_SECRET_ID, OTHER_SECRET_KEY, REGION, assert_schema_shape, call, detail
from .test_workflows import BUCKET, cos_trigger, create_workflow, schedule_body


def enabled_workflow(client: Any, **extra: Any) -> int:
    workflow_id = create_workflow(client, **extra)
    call(client, "EnableWorkflow", {"WorkflowId": workflow_id})
    return workflow_id


def test_an_enabled_workflow_starts_a_workflow_task_with_its_tasks(mps_client, admin):
    workflow_id = enabled_workflow(mps_client, OutputDir="/out/")
    started = admin.upload(BUCKET, REGION, "/in/2026/movie.mp4")
    (task_id,) = started["TaskIds"]
    assert started["Triggered"] == [
        {
            "TaskId": task_id,
            "AppId": 1250000000,
            "Kind": "Workflow",
            "Id": workflow_id,
            "Name": "transcode-uploads",
        }
    ]
    answer = detail(mps_client, task_id)
    assert (answer["TaskType"], answer["TasksPriority"]) == ("WorkflowTask", 5)
    assert answer["TaskNotifyConfig"]["NotifyUrl"] == "https://hooks.example.com/mps"
    assert answer["WorkflowTask"]["InputInfo"] == {
        "Type": "COS",
        "CosInputInfo": {"Bucket": BUCKET, "Region": REGION, "Object": "/in/2026/movie.mp4"},
        "UrlInputInfo": None,
        "S3InputInfo": None,
        "VODInputInfo": None,
    }
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    outputs = [r["TranscodeTask"] for r in answer["WorkflowTask"]["MediaProcessResultSet"]]
    assert [(o["Input"]["Definition"], o["Status"]) for o in outputs] == [
        (100010, "SUCCESS"),
        (100210, "SUCCESS"),
    ]
    assert [o["Output"]["Path"] for o in outputs] == [
        "/out/movie_transcode_100010.mp4",
        "/out/movie_transcode_100210.m3u8",
    ]
    (listed,) = call(mps_client, "DescribeTasks", {"Status": "FINISH"})["TaskSet"]
    assert (listed["TaskId"], listed["TaskType"], listed["SubTaskTypes"]) == (
        task_id,
        "WorkflowTask",
        ["action-trans"],
    )
    assert admin.task(task_id)["Request"]["TasksPriority"] == 5


@pytest.mark.parametrize(
    ("bucket", "region", "path"),
    [
        ("other-1250000000", REGION, "/in/movie.mp4"),
        (BUCKET, "ap-guangzhou", "/in/movie.mp4"),
        (BUCKET, REGION, "/elsewhere/movie.mp4"),
        (BUCKET, REGION, "/in/notes.txt"),  # no Formats: only the system formats
        (BUCKET, REGION, "/in/movie"),
    ],
)
def test_objects_the_trigger_does_not_name_start_nothing(mps_client, admin, bucket, region, path):
    enabled_workflow(mps_client)
    assert admin.upload(bucket, region, path) == {"TaskIds": [], "Triggered": []}
    assert admin.tasks() == []


def test_formats_and_directories(mps_client, admin):
    enabled_workflow(mps_client, name="any", Trigger=cos_trigger("/any/", ["*"]))
    enabled_workflow(mps_client, name="listed", Trigger=cos_trigger("/listed/", [".MOV", "flv"]))
    enabled_workflow(mps_client, name="root", Trigger=cos_trigger("/", None, bucket="root-1250000000"))
    assert len(admin.upload(BUCKET, REGION, "/any/notes.txt")["TaskIds"]) == 1
    assert len(admin.upload(BUCKET, REGION, "/listed/clip.mov")["TaskIds"]) == 1
    assert len(admin.upload(BUCKET, REGION, "/listed/clip.flv")["TaskIds"]) == 1
    assert admin.upload(BUCKET, REGION, "/listed/clip.mp4")["TaskIds"] == []
    assert len(admin.upload("root-1250000000", REGION, "deep/down/song.mp3")["TaskIds"]) == 1


def test_a_disabled_workflow_starts_nothing(mps_client, admin):
    workflow_id = create_workflow(mps_client)
    assert admin.upload(BUCKET, REGION, "/in/movie.mp4")["TaskIds"] == []
    call(mps_client, "EnableWorkflow", {"WorkflowId": workflow_id})
    assert len(admin.upload(BUCKET, REGION, "/in/movie.mp4")["TaskIds"]) == 1
    call(mps_client, "DisableWorkflow", {"WorkflowId": workflow_id})
    assert admin.upload(BUCKET, REGION, "/in/movie.mp4")["TaskIds"] == []
    assert len(admin.tasks()) == 1


def test_a_schedule_starts_a_schedule_task_with_its_activities(mps_client, admin):
    schedule_id = call(mps_client, "CreateSchedule", schedule_body(OutputDir="output/"))["ScheduleId"]
    call(mps_client, "EnableSchedule", {"ScheduleId": schedule_id})
    workflow_id = enabled_workflow(mps_client)
    started = admin.upload(BUCKET, REGION, "/in/movie.mp4")
    assert [(t["Kind"], t["Id"]) for t in started["Triggered"]] == [
        ("Workflow", workflow_id),
        ("Schedule", schedule_id),
    ]
    task_id = started["Triggered"][1]["TaskId"]
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    assert answer["TaskType"] == "ScheduleTask" and answer["WorkflowTask"] is None
    (result,) = answer["ScheduleTask"]["ActivityResultSet"]
    assert result["ActivityType"] == "Transcode"
    transcode = result["ActivityResItem"]["TranscodeTask"]
    assert transcode["Status"] == "SUCCESS" and transcode["Input"]["Definition"] == 10
    assert transcode["Output"]["Path"] == "/output/movie_transcode_10.mp4"
    assert admin.task(task_id)["Request"]["ScheduleId"] == schedule_id


def test_an_aws_schedule_takes_aws_uploads(mps_client, admin):
    trigger = {
        "Type": "AwsS3FileUpload",
        "AwsS3FileUploadTrigger": {"S3Bucket": "media", "S3Region": "us-east-1"},
    }
    schedule_id = call(mps_client, "CreateSchedule", schedule_body(Trigger=trigger))["ScheduleId"]
    call(mps_client, "EnableSchedule", {"ScheduleId": schedule_id})
    assert admin.upload("media", "us-east-1", "/in/movie.mp4")["TaskIds"] == []  # COS by default
    (task_id,) = admin.upload("media", "us-east-1", "/any/notes.txt", type="AWS-S3")["TaskIds"]  # any format
    assert (
        detail(mps_client, task_id)["ScheduleTask"]["InputInfo"]["S3InputInfo"]["S3Object"]
        == "/any/notes.txt"
    )


def test_every_account_matches_unless_appid_says_which(mps_client, client_for, admin):
    enabled_workflow(mps_client)
    enabled_workflow(client_for(OTHER_SECRET_ID, OTHER_SECRET_KEY))
    both = admin.upload(BUCKET, REGION, "/in/movie.mp4")
    assert sorted(t["AppId"] for t in both["Triggered"]) == [1250000000, OTHER_APPID]
    only = admin.upload(BUCKET, REGION, "/in/movie.mp4", appid=OTHER_APPID)
    assert [t["AppId"] for t in only["Triggered"]] == [OTHER_APPID]


def test_a_template_deleted_under_a_workflow_fails_that_sub_task(mps_client, admin):
    mine = call(mps_client, "CreateTranscodeTemplate", {"Container": "flv", "Name": "mine"})["Definition"]
    enabled_workflow(
        mps_client, MediaProcessTask={"TranscodeTaskSet": [{"Definition": mine}, {"Definition": 20}]}
    )
    (kept,) = admin.upload(BUCKET, REGION, "/in/a.mp4")["TaskIds"]
    call(mps_client, "DeleteTranscodeTemplate", {"Definition": mine})  # the docs refuse nothing here
    (lost,) = admin.upload(BUCKET, REGION, "/in/b.mp4")["TaskIds"]
    admin.advance_clock(60)
    kept_results = [
        r["TranscodeTask"] for r in detail(mps_client, kept)["WorkflowTask"]["MediaProcessResultSet"]
    ]
    assert [r["Status"] for r in kept_results] == ["SUCCESS", "SUCCESS"]
    assert kept_results[0]["Output"]["Path"].endswith(f"a_transcode_{mine}.flv")
    lost_results = [
        r["TranscodeTask"] for r in detail(mps_client, lost)["WorkflowTask"]["MediaProcessResultSet"]
    ]
    assert [(r["Status"], r["ErrCodeExt"]) for r in lost_results] == [
        ("FAIL", "InvalidInput.DefinitionNotExist"),
        ("SUCCESS", "SUCCESS"),
    ]


def test_a_bad_upload_body_is_a_400(admin):
    with pytest.raises(EmulatorAdminError) as info:
        admin.upload(BUCKET, REGION, "/in/a.mp4", type="FTP")
    assert info.value.status == 400
    with pytest.raises(EmulatorAdminError):
        admin._call("POST", "uploads", {"bucket": BUCKET, "region": REGION, "object": "/a.mp4", "size": 1})
