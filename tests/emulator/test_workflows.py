"""Workflows and schedules through the real SDK: created disabled, unique names, Enable/Disable, ResetWorkflow and
DeleteWorkflow only when disabled, ModifySchedule merges, triggers checked, listings filtered and paged."""

from __future__ import annotations

from typing import Any

from pulumi_mps.emulator import Emulator

from .helpers import (
    OTHER_SECRET_ID,
    OTHER_SECRET_KEY,
    REGION,
    TEST_ACCOUNTS,
    assert_schema_shape,
    call,
    checked_call,
    detail,
    expect_error,
    make_client,
    media_params,
)

BUCKET = "media-1250000000"


def cos_trigger(
    folder: str = "/in/", formats: list[str] | None = None, bucket: str = BUCKET
) -> dict[str, Any]:
    rule: dict[str, Any] = {"Bucket": bucket, "Region": REGION, "Dir": folder}
    if formats is not None:
        rule["Formats"] = formats
    return {"Type": "CosFileUpload", "CosFileUploadTrigger": rule}


def workflow_body(name: str = "transcode-uploads", **extra: Any) -> dict[str, Any]:
    return {
        "WorkflowName": name,
        "Trigger": cos_trigger(),
        "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 100010}, {"Definition": 100210}]},
        "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
        "TaskPriority": 5,
        **extra,
    }


def schedule_body(name: str = "schedule-uploads", **extra: Any) -> dict[str, Any]:
    return {
        "ScheduleName": name,
        "Trigger": cos_trigger(),
        "Activities": [
            {"ActivityType": "input", "ReardriveIndex": [1]},
            {
                "ActivityType": "action-trans",
                "ReardriveIndex": [2],
                "ActivityPara": {"TranscodeTask": {"Definition": 10}},
            },
            {"ActivityType": "output"},
        ],
        **extra,
    }


def create_workflow(client: Any, **extra: Any) -> int:
    return int(checked_call(client, "CreateWorkflow", workflow_body(**extra))["WorkflowId"])


def workflows(client: Any, **params: Any) -> dict[str, Any]:
    return checked_call(client, "DescribeWorkflows", params)


def only_workflow(client: Any, workflow_id: int) -> dict[str, Any]:
    (item,) = workflows(client, WorkflowIds=[workflow_id])["WorkflowInfoSet"]
    return item


def test_a_workflow_is_created_disabled_and_listed_as_created(mps_client):
    workflow_id = create_workflow(mps_client)
    item = only_workflow(mps_client, workflow_id)
    assert (item["WorkflowName"], item["Status"], item["TaskPriority"]) == (
        "transcode-uploads",
        "Disabled",
        5,
    )
    assert item["Trigger"]["CosFileUploadTrigger"] == {
        "Bucket": BUCKET,
        "Region": REGION,
        "Dir": "/in/",
        "Formats": None,
    }
    assert item["MediaProcessTask"]["TranscodeTaskSet"][0]["Definition"] == 100010
    assert item["OutputStorage"] is None and item["AiAnalysisTask"] is None


def test_enable_and_disable_switch_the_status_and_filter_the_listing(mps_client):
    first = create_workflow(mps_client, name="one")
    second = create_workflow(mps_client, name="two")
    assert set(call(mps_client, "EnableWorkflow", {"WorkflowId": first})) == {"RequestId"}
    assert only_workflow(mps_client, first)["Status"] == "Enabled"
    enabled = workflows(mps_client, Status="Enabled")
    assert [w["WorkflowId"] for w in enabled["WorkflowInfoSet"]] == [first] and enabled["TotalCount"] == 1
    assert [w["WorkflowId"] for w in workflows(mps_client)["WorkflowInfoSet"]] == [second, first]
    page = workflows(mps_client, Offset=1, Limit=1)
    assert [w["WorkflowId"] for w in page["WorkflowInfoSet"]] == [first] and page["TotalCount"] == 2
    call(mps_client, "DisableWorkflow", {"WorkflowId": first})
    assert workflows(mps_client, Status="Enabled")["TotalCount"] == 0
    expect_error(mps_client, "DescribeWorkflows", {"Limit": 101}, "InvalidParameterValue")
    expect_error(mps_client, "DescribeWorkflows", {"Status": "On"}, "InvalidParameterValue")


def test_names_are_unique_per_account(mps_client, client_for):
    create_workflow(mps_client, name="same")
    expect_error(mps_client, "CreateWorkflow", workflow_body(name="same"), "InvalidParameterValue")
    assert create_workflow(client_for(OTHER_SECRET_ID, OTHER_SECRET_KEY), name="same")
    other = create_workflow(mps_client, name="other")
    expect_error(
        mps_client,
        "ResetWorkflow",
        {"WorkflowId": other, "WorkflowName": "same", "Trigger": cos_trigger()},
        "InvalidParameterValue",
    )
    expect_error(mps_client, "CreateWorkflow", workflow_body(name="n" * 129), "InvalidParameterValue")
    call(mps_client, "CreateSchedule", schedule_body(name="same"))  # workflows and schedules are apart
    expect_error(mps_client, "CreateSchedule", schedule_body(name="same"), "InvalidParameterValue")


def test_reset_and_delete_take_only_a_disabled_workflow(mps_client, admin):
    workflow_id = create_workflow(mps_client)
    call(mps_client, "EnableWorkflow", {"WorkflowId": workflow_id})
    reset = {"WorkflowId": workflow_id, "WorkflowName": "reset", "Trigger": cos_trigger("/other/")}
    expect_error(mps_client, "ResetWorkflow", reset, "InvalidParameterValue")
    expect_error(mps_client, "DeleteWorkflow", {"WorkflowId": workflow_id}, "InvalidParameterValue")
    call(mps_client, "DisableWorkflow", {"WorkflowId": workflow_id})
    admin.advance_clock(30)
    call(mps_client, "ResetWorkflow", reset)
    item = only_workflow(mps_client, workflow_id)
    # A reset replaces the whole workflow: what it leaves out is gone.
    assert item["WorkflowName"] == "reset" and item["Trigger"]["CosFileUploadTrigger"]["Dir"] == "/other/"
    assert (
        item["MediaProcessTask"] is None and item["TaskNotifyConfig"] is None and item["TaskPriority"] is None
    )
    assert item["UpdateTime"] > item["CreateTime"] and item["Status"] == "Disabled"
    call(mps_client, "DeleteWorkflow", {"WorkflowId": workflow_id})
    assert workflows(mps_client)["TotalCount"] == 0
    for action in ("DeleteWorkflow", "EnableWorkflow", "DisableWorkflow"):
        expect_error(mps_client, action, {"WorkflowId": workflow_id}, "ResourceNotFound.TemplateNotExist")
    expect_error(mps_client, "ResetWorkflow", reset, "ResourceNotFound.TemplateNotExist")


def test_triggers_are_checked_as_documented(mps_client):
    aws = {
        "Type": "AwsS3FileUpload",
        "AwsS3FileUploadTrigger": {"S3Bucket": "media", "S3Region": "us-east-1", "S3SecretKey": "s3-secret"},
    }
    expect_error(mps_client, "CreateWorkflow", workflow_body(Trigger=aws), "InvalidParameterValue")
    expect_error(
        mps_client, "CreateWorkflow", workflow_body(Trigger={"Type": "CosFileUpload"}), "MissingParameter"
    )
    expect_error(
        mps_client, "CreateWorkflow", workflow_body(Trigger={"Type": "Ftp"}), "InvalidParameterValue"
    )
    expect_error(
        mps_client, "CreateWorkflow", workflow_body(Trigger=cos_trigger("in")), "InvalidParameterValue"
    )
    expect_error(
        mps_client,
        "CreateWorkflow",
        workflow_body(Trigger=cos_trigger(formats=["m p4"])),
        "InvalidParameterValue",
    )
    expect_error(mps_client, "CreateWorkflow", workflow_body(OutputDir="out"), "InvalidParameterValue")
    expect_error(mps_client, "CreateWorkflow", workflow_body(TaskPriority=11), "InvalidParameterValue")
    # Schedules take AWS triggers; the secret key is never shown.
    schedule_id = call(mps_client, "CreateSchedule", schedule_body(Trigger=aws))["ScheduleId"]
    (item,) = call(mps_client, "DescribeSchedules", {"ScheduleIds": [schedule_id]})["ScheduleInfoSet"]
    assert item["Trigger"]["AwsS3FileUploadTrigger"]["S3SecretKey"] is None
    assert item["Trigger"]["AwsS3FileUploadTrigger"]["S3Bucket"] == "media"


def test_schedules_are_created_disabled_modified_by_merging_and_filtered_by_trigger(mps_client, admin):
    schedule_id = call(mps_client, "CreateSchedule", schedule_body(OutputDir="/out/"))["ScheduleId"]
    answer = call(mps_client, "DescribeSchedules", {"ScheduleIds": [schedule_id]})
    assert_schema_shape(answer, "DescribeSchedulesResponse")
    (item,) = answer["ScheduleInfoSet"]
    assert (item["ScheduleName"], item["Status"], item["Type"], item["OutputDir"]) == (
        "schedule-uploads",
        "Disabled",
        "Custom",
        "/out/",
    )
    assert [a["ActivityType"] for a in item["Activities"]] == ["input", "action-trans", "output"]
    call(
        mps_client,
        "ModifySchedule",
        {"ScheduleId": schedule_id, "ScheduleName": "renamed", "Activities": [{"ActivityType": "input"}]},
    )
    (item,) = call(mps_client, "DescribeSchedules", {"ScheduleIds": [schedule_id]})["ScheduleInfoSet"]
    assert item["ScheduleName"] == "renamed" and item["OutputDir"] == "/out/"  # left out: unchanged
    assert [a["ActivityType"] for a in item["Activities"]] == ["input"]  # lists are replaced whole
    assert item["Trigger"]["CosFileUploadTrigger"]["Bucket"] == BUCKET
    assert call(mps_client, "DescribeSchedules", {"TriggerType": "CosFileUpload"})["TotalCount"] == 1
    assert call(mps_client, "DescribeSchedules", {"TriggerType": "AwsS3FileUpload"})["TotalCount"] == 0
    call(mps_client, "EnableSchedule", {"ScheduleId": schedule_id})
    assert call(mps_client, "DescribeSchedules", {"Status": "Enabled"})["TotalCount"] == 1
    expect_error(mps_client, "DescribeSchedules", {"Limit": 101}, "InvalidParameter")
    # The docs ask nothing of a schedule's state for ModifySchedule and DeleteSchedule.
    call(mps_client, "ModifySchedule", {"ScheduleId": schedule_id, "OutputDir": ""})
    call(mps_client, "DeleteSchedule", {"ScheduleId": schedule_id})
    expect_error(
        mps_client, "DeleteSchedule", {"ScheduleId": schedule_id}, "ResourceNotFound.TemplateNotExist"
    )
    assert admin.templates("Schedule") == []


def test_faults_and_accounts_apply_to_workflow_actions(mps_client, client_for, admin):
    admin.add_fault("CreateWorkflow", count=1, code="InternalError")
    expect_error(mps_client, "CreateWorkflow", workflow_body(), "InternalError")
    assert admin.templates("Workflow") == []
    workflow_id = create_workflow(mps_client)
    other = client_for(OTHER_SECRET_ID, OTHER_SECRET_KEY)
    expect_error(other, "EnableWorkflow", {"WorkflowId": workflow_id}, "ResourceNotFound.TemplateNotExist")
    assert workflows(other)["TotalCount"] == 0


def test_workflows_survive_a_restart(tmp_path):
    db = tmp_path / "mps.sqlite"
    with Emulator(db=db, accounts=TEST_ACCOUNTS) as first:
        client = make_client(first.endpoint)
        workflow_id = create_workflow(client)
        call(client, "EnableWorkflow", {"WorkflowId": workflow_id})
    with Emulator(db=db, accounts=TEST_ACCOUNTS) as second:
        assert only_workflow(make_client(second.endpoint), workflow_id)["Status"] == "Enabled"


def test_process_media_with_a_schedule_id_runs_that_schedules_activities(mps_client, admin):
    schedule_id = call(mps_client, "CreateSchedule", schedule_body())["ScheduleId"]
    task_id = call(mps_client, "ProcessMedia", media_params(MediaProcessTask=None, ScheduleId=schedule_id))[
        "TaskId"
    ]
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert answer["TaskType"] == "ScheduleTask"
    (result,) = answer["ScheduleTask"]["ActivityResultSet"]
    assert (result["ActivityType"], result["ActivityResItem"]["TranscodeTask"]["Input"]["Definition"]) == (
        "Transcode",
        10,
    )
