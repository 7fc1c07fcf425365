"""Workflows and schedules end to end: the docs' examples as resources, and the whole pipeline rehearsed offline
from an upload to its output (the real Pulumi CLI, the provider process and the emulator)."""

from __future__ import annotations

import json

import pytest

from pulumi_mps._config_specs import CONFIG_SPECS
from pulumi_mps.models import api_to_snake
from tests.api_examples import request_examples
from tests.emulator.helpers import call, make_client
from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

EXAMPLES_PROGRAM = """
import json
import pulumi_mps

for kind, index, params in json.load(open("examples.json")):
    getattr(pulumi_mps, kind)(f"{kind}-{index}", **params)
"""


def listed(client, kind: str) -> list[dict]:
    spec = CONFIG_SPECS[kind]
    return list(call(client, spec.describe, {"Limit": spec.page_limit})[spec.list_member])


def test_every_create_workflow_and_schedule_example_deploys(make_stack, tmp_path, mps_env, mps_emulator):
    """Each CreateWorkflow and CreateSchedule request example (query strings unflattened) is one resource."""
    examples = [
        [kind, index, {api_to_snake(k): v for k, v in params.items()}]
        for kind in ("Workflow", "Schedule")
        for index, (_title, params) in enumerate(request_examples(CONFIG_SPECS[kind].create))
    ]
    assert {e[0] for e in examples} == {"Workflow", "Schedule"}
    project = new_project(
        tmp_path / "examples", "examples", EXAMPLES_PROGRAM, {"examples.json": json.dumps(examples)}
    )
    stack = make_stack(project, env=mps_env)
    stack.up()
    client = make_client(mps_emulator.endpoint)
    made = listed(client, "Workflow") + listed(client, "Schedule")
    assert len(made) == len(examples)
    assert {item["Status"] for item in made} == {"Enabled"}  # a declared pipeline runs
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert listed(client, "Workflow") == [] and listed(client, "Schedule") == []


BUCKET = "media-1250000000"
PIPELINE = f"""
import pulumi
from pulumi_mps import TranscodeTemplate, Workflow

config = pulumi.Config()
hd = TranscodeTemplate(
    "hd",
    container="mp4",
    video_template={{"codec": "libx264", "fps": 25, "bitrate": 2000}},
    audio_template={{"codec": "libfdk_aac", "bitrate": 64, "sample_rate": 44100}},
)
flow = Workflow(
    "movies",
    trigger={{"type": "CosFileUpload",
              "cos_file_upload_trigger": {{"bucket": "{BUCKET}", "region": "ap-chongqing", "dir": "/movie/"}}}},
    output_storage={{"type": "COS", "cos_output_storage": {{"bucket": "{BUCKET}", "region": "ap-chongqing"}}}},
    output_dir="/transcoded/",
    media_process_task={{"transcode_task_set": [{{"definition": hd.definition}}]}},
    enabled=config.get_bool("enabled") if config.get_bool("enabled") is not None else True,
)
pulumi.export("definition", hd.definition)
pulumi.export("workflow_id", flow.workflow_id)
pulumi.export("status", flow.status)
"""


def test_the_pipeline_rehearsed_from_upload_to_output(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    stack = make_stack(new_project(tmp_path / "pipeline", "pipeline", PIPELINE), env=mps_env)
    # 1. A template and a workflow on a COS directory that uses it.
    stack.up()
    outputs = stack.outputs()
    assert outputs["status"] == "Enabled"
    stack.preview("--expect-no-changes")
    # 2. An upload under that directory starts one WorkflowTask, whose transcode result carries the Definition.
    started = admin.upload(BUCKET, "ap-chongqing", "/movie/trailer.mp4")
    (task_id,) = started["TaskIds"]
    assert started["Triggered"][0]["Id"] == outputs["workflow_id"]
    admin.advance_clock(60)
    detail = call(client, "DescribeTaskDetail", {"TaskId": task_id})
    assert detail["TaskType"] == "WorkflowTask" and detail["Status"] == "FINISH"
    (result,) = detail["WorkflowTask"]["MediaProcessResultSet"]
    assert result["TranscodeTask"]["Input"]["Definition"] == outputs["definition"]
    assert result["TranscodeTask"]["Status"] == "SUCCESS"
    assert result["TranscodeTask"]["Output"]["Path"].startswith("/transcoded/trailer_transcode_")
    # 3. An upload elsewhere starts nothing.
    assert admin.upload(BUCKET, "ap-chongqing", "/photos/cat.mp4")["TaskIds"] == []
    # 4. Disabled: an upload starts nothing; the change is an update, the workflow stays.
    stack.set_config("enabled", "false")
    preview = stack.preview("--diff")
    assert "~ pulumi-python:dynamic/mps:Workflow" in preview.stdout and "(replace)" not in preview.stdout
    stack.up()
    assert stack.outputs()["status"] == "Disabled"
    assert stack.outputs()["workflow_id"] == outputs["workflow_id"]
    assert admin.upload(BUCKET, "ap-chongqing", "/movie/second.mp4")["TaskIds"] == []
    # 5. Destroy removes the workflow, then the template.
    admin.clear_requests()
    stack.destroy()
    deletes = [r["Action"] for r in admin.requests() if r["Action"].startswith("Delete")]
    assert deletes == ["DeleteWorkflow", "DeleteTranscodeTemplate"]
    assert listed(client, "Workflow") == [] and admin.templates() == []


DRIFT = """
from pulumi_mps import Workflow

Workflow(
    "flow",
    trigger={"type": "CosFileUpload",
             "cos_file_upload_trigger": {"bucket": "b-1250000000", "region": "ap-chongqing", "dir": "/in/"}},
    media_process_task={"transcode_task_set": [{"definition": 100010}]},
    output_dir="/out/",
)
"""


def test_workflow_drift_lost_answers_and_deletion_outside(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    admin.add_fault("CreateWorkflow", count=1, mode="accept_then_drop")
    stack = make_stack(new_project(tmp_path / "drift", "drift", DRIFT), env=mps_env)
    stack.up()
    (workflow,) = listed(client, "Workflow")  # the lost answer's workflow, adopted: no duplicate
    workflow_id = workflow["WorkflowId"]
    # Drift made outside Pulumi (disabled, reset with another output directory) shows and is put back.
    call(client, "DisableWorkflow", {"WorkflowId": workflow_id})
    call(
        client,
        "ResetWorkflow",
        {
            "WorkflowId": workflow_id,
            "WorkflowName": workflow["WorkflowName"],
            "Trigger": workflow["Trigger"],
            "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 100010}]},
            "OutputDir": "/elsewhere/",
        },
    )
    drift = stack.preview("--refresh", "--diff")
    assert "~ pulumi-python:dynamic/mps:Workflow" in drift.stdout
    stack.up("--refresh")
    (workflow,) = listed(client, "Workflow")
    assert (workflow["OutputDir"], workflow["Status"]) == ("/out/", "Enabled")
    stack.preview("--refresh", "--expect-no-changes")
    # Deleted outside Pulumi: created again by the next `up`.
    call(client, "DisableWorkflow", {"WorkflowId": workflow_id})
    call(client, "DeleteWorkflow", {"WorkflowId": workflow_id})
    stack.refresh()
    stack.up()
    (again,) = listed(client, "Workflow")
    assert again["WorkflowId"] != workflow_id and again["Status"] == "Enabled"
    stack.destroy()
    assert listed(client, "Workflow") == []


SECRETS = """
from pulumi_mps import Schedule, Workflow

Schedule(
    "aws",
    trigger={"type": "AwsS3FileUpload", "aws_s3_file_upload_trigger": {
        "s3_bucket": "media", "s3_region": "us-east-1", "dir": "/in/",
        "s3_secret_id": "AKIASCHEDULESECRETID", "s3_secret_key": "schedule-s3-secret-plaintext"}},
    activities=[{"activity_type": "input", "reardrive_index": [1]},
                {"activity_type": "action-trans", "reardrive_index": [2],
                 "activity_para": {"transcode_task": {"definition": 100010}}},
                {"activity_type": "output"}],
    output_storage={"type": "AWS-S3", "s3_output_storage": {"s3_bucket": "out", "s3_region": "us-east-1",
                                                            "s3_secret_key": "output-s3-secret-plaintext"}},
    task_notify_config={"notify_type": "URL", "notify_url": "http://127.0.0.1:9/hook",
                        "notify_key": "notify-key-plaintext"},
)
Workflow(
    "notified",
    trigger={"type": "CosFileUpload",
             "cos_file_upload_trigger": {"bucket": "b-1250000000", "region": "ap-chongqing", "dir": "/in/"}},
    media_process_task={"transcode_task_set": [{"definition": 100010}]},
    task_notify_config={"notify_type": "URL", "notify_url": "http://127.0.0.1:9/hook",
                        "notify_key": "workflow-notify-key-plaintext"},
)
"""
PLAINTEXTS = (
    "schedule-s3-secret-plaintext",
    "AKIASCHEDULESECRETID",
    "output-s3-secret-plaintext",
    "notify-key-plaintext",
    "workflow-notify-key-plaintext",
)


def test_secrets_of_workflows_and_schedules_never_reach_the_state(
    make_stack, tmp_path, mps_env, mps_emulator
):
    stack = make_stack(new_project(tmp_path / "secrets", "secrets", SECRETS), env=mps_env)
    # Made but not enabled: each is kept in the state as not initialized, with its outputs, secrets included.
    mps_emulator.admin.add_fault("EnableWorkflow", count=1, code="AuthFailure.UnauthorizedOperation")
    mps_emulator.admin.add_fault("EnableSchedule", count=1, code="AuthFailure.UnauthorizedOperation")
    failed = stack.up(check=False)
    assert failed.returncode != 0 and len(stack.resources("Workflow") + stack.resources("Schedule")) == 2
    results = [failed]
    for secret in PLAINTEXTS:
        assert secret not in json.dumps(stack.export()), secret
    results += [stack.up(), stack.preview("--expect-no-changes"), stack.refresh(), stack.preview("--diff")]
    exported = json.dumps(stack.export())
    for secret in PLAINTEXTS:
        assert secret not in exported, secret
        for result in results:
            assert secret not in result.output, secret
        assert secret not in json.dumps(mps_emulator.admin.templates())
    stack.destroy()


def test_a_workflow_made_but_not_enabled_is_kept_and_enabled_by_the_next_up(
    make_stack, tmp_path, mps_env, mps_emulator
):
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    program = DRIFT.replace('    "flow",\n', '    "flow",\n    workflow_name="nightly",\n')
    stack = make_stack(new_project(tmp_path / "enable", "enable", program), env=mps_env)
    admin.add_fault("EnableWorkflow", count=1, code="AuthFailure.UnauthorizedOperation")
    failed = stack.up(check=False)
    assert failed.returncode != 0 and "Traceback" not in failed.output
    (workflow,) = listed(client, "Workflow")
    assert workflow["Status"] == "Disabled"
    assert (
        f"Workflow WorkflowId {workflow['WorkflowId']} was created and is kept in the state" in failed.output
    )
    (resource,) = stack.resources("Workflow")
    assert resource["id"] == str(workflow["WorkflowId"]) and resource.get("initErrors")

    stack.up()
    (again,) = listed(client, "Workflow")
    assert (again["WorkflowId"], again["Status"]) == (workflow["WorkflowId"], "Enabled")
    assert len(admin.requests("CreateWorkflow")) == 1
    stack.preview("--expect-no-changes")


def test_a_template_replaced_under_a_workflow_is_swapped_in_place(
    make_stack, tmp_path, mps_env, mps_emulator
):
    """The new template is made first, the workflow is reset to it (the same workflow), and the old template is
    deleted once nothing uses it; the next upload runs with the new template."""
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    program = PIPELINE.replace(
        '    container="mp4",\n', '    container="mp4",\n    triggers={"rev": config.get("rev")},\n', 1
    )
    stack = make_stack(new_project(tmp_path / "swap", "swap", program), env=mps_env)
    stack.up()
    first = stack.outputs()
    stack.set_config("rev", "2")
    preview = stack.preview("--diff")
    assert "+-pulumi-python:dynamic/mps:TranscodeTemplate: (replace)" in preview.stdout
    assert "~ pulumi-python:dynamic/mps:Workflow" in preview.stdout
    admin.clear_requests()
    stack.up()
    second = stack.outputs()
    assert second["definition"] != first["definition"] and second["workflow_id"] == first["workflow_id"]
    assert second["status"] == "Enabled"
    steps = [r["Action"] for r in admin.requests() if not r["Action"].startswith("Describe")]
    assert steps == [
        "CreateTranscodeTemplate",
        "DisableWorkflow",
        "ResetWorkflow",
        "EnableWorkflow",
        "DeleteTranscodeTemplate",
    ]
    assert [t["Id"] for t in admin.templates("TranscodeTemplate")] == [second["definition"]]
    (task_id,) = admin.upload(BUCKET, "ap-chongqing", "/movie/after.mp4")["TaskIds"]
    admin.advance_clock(60)
    detail = call(client, "DescribeTaskDetail", {"TaskId": task_id})
    (result,) = detail["WorkflowTask"]["MediaProcessResultSet"]
    assert result["TranscodeTask"]["Input"]["Definition"] == second["definition"]
    stack.preview("--expect-no-changes")
