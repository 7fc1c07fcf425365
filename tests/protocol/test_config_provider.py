"""The configuration provider (templates, workflows) driven through the real dynamic-provider server over gRPC,
against the emulator: exactly-once creates, in-place updates, replacements, drift, adoption, gone objects."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from pulumi_mps._config import BATCHES
from pulumi_mps._errors import ApiError
from pulumi_mps._providers import ScheduleProvider, TranscodeTemplateProvider, WorkflowProvider
from tests.emulator.helpers import call, make_client
from tests.provider_harness import ProviderServer, from_struct

pytestmark = pytest.mark.protocol

MARKER = "s1-" + "c" * 32
HD = {
    "container": "mp4",
    "video_template": {"codec": "libx264", "fps": 25, "bitrate": 2000},
    "audio_template": {"codec": "libfdk_aac", "bitrate": 64, "sample_rate": 44100},
    "resource_identity": "proj/dev/hd",
    "stack_marker": MARKER,
}
FLOW = {
    "trigger": {
        "type": "CosFileUpload",
        "cos_file_upload_trigger": {"bucket": "b-1250000000", "region": "ap-chongqing", "dir": "/movie/"},
    },
    "media_process_task": {"transcode_task_set": [{"definition": 100010}]},
    "resource_identity": "proj/dev/flow",
    "stack_marker": MARKER,
}


@pytest.fixture
def client(mps_emulator):
    return make_client(mps_emulator.endpoint)


@pytest.fixture
def templates(mps_env):
    with ProviderServer(TranscodeTemplateProvider(), env=mps_env) as srv:
        yield srv


@pytest.fixture
def workflows(mps_env):
    with ProviderServer(WorkflowProvider(), env=mps_env) as srv:
        yield srv


def checked(server, props, olds=None):
    inputs, failures = server.check(props, olds)
    assert failures == []
    return inputs


def custom(client, name=None):
    params = {"Type": "Custom", "Limit": 100}
    if name:
        params["Name"] = name
    return list(call(client, "DescribeTranscodeTemplates", params)["TranscodeTemplateSet"])


def test_create_read_update_delete(templates, client, mps_emulator):
    inputs = checked(templates, HD)
    name = inputs["name"]
    id_, outs = templates.create(inputs)
    assert outs["definition"] == int(id_) and outs["name"] == name and outs["type"] == "Custom"
    assert outs["create_time"] and outs["adopted"] is False
    assert [t["Name"] for t in custom(client)] == [name]
    # A member Modify takes: one Modify call, the Definition stays.
    mps_emulator.admin.clear_requests()
    news = checked(templates, {**HD, "video_template": {**HD["video_template"], "fps": 30}}, inputs)
    diff = templates.diff(outs, news, id_)
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    after = templates.update(id_, outs, news)
    assert after["definition"] == int(id_) and after["video_template"]["fps"] == 30
    assert [r["Action"] for r in mps_emulator.admin.requests() if r["Action"].startswith("Modify")] == [
        "ModifyTranscodeTemplate"
    ]
    assert templates.diff(after, news, id_).changes == diff.DIFF_NONE
    # A member Modify cannot change: a replacement.
    diff = templates.diff(after, checked(templates, {**HD, "std_ext_info": "{}"}, inputs), id_)
    assert list(diff.replaces) == ["std_ext_info"]
    templates.delete(id_, after)
    assert custom(client) == []
    templates.delete(id_, after)  # already gone: deleted


def test_drift_made_outside_shows_and_is_put_back(templates, client):
    inputs = checked(templates, HD)
    id_, outs = templates.create(inputs)
    call(
        client,
        "ModifyTranscodeTemplate",
        {"Definition": int(id_), "VideoTemplate": {"Fps": 50}, "Comment": "x"},
    )
    read = templates.read(id_, outs)
    refreshed = {k: v for k, v in from_struct(read.properties).items() if k != "__provider"}
    assert refreshed["video_template"]["fps"] == 50
    diff = templates.diff(refreshed, inputs, id_)
    assert (
        diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    )  # comment is not the program's: no diff
    after = templates.update(id_, refreshed, inputs)
    assert after["video_template"]["fps"] == 25
    assert templates.diff(after, inputs, id_).changes == diff.DIFF_NONE


def test_a_template_deleted_outside_reads_as_gone(templates, client):
    id_, outs = templates.create(checked(templates, HD))
    call(client, "DeleteTranscodeTemplate", {"Definition": int(id_)})
    assert templates.read(id_, outs).id == ""


def test_a_lost_create_answer_makes_one_template(templates, client, mps_emulator):
    mps_emulator.admin.add_fault("CreateTranscodeTemplate", count=1, mode="accept_then_drop")
    inputs = checked(templates, HD)
    id_, outs = templates.create(inputs)
    assert outs["adopted"] is True
    assert [int(t["Definition"]) for t in custom(client)] == [int(id_)]


def test_a_create_after_a_killed_up_adopts_the_earlier_attempt(templates, client):
    inputs = checked(templates, HD)
    earlier, _ = templates.create(inputs)  # the state never recorded it
    id_, outs = templates.create(checked(templates, {**HD, "comment": "now"}))
    assert id_ == earlier and outs["adopted"] is True and outs["comment"] == "now"
    assert len(custom(client)) == 1


def test_an_explicit_name_is_never_adopted(templates, client, mps_emulator):
    mps_emulator.admin.add_fault("CreateTranscodeTemplate", count=1, mode="accept_then_drop")
    with pytest.raises(grpc.RpcError) as caught:
        templates.create(checked(templates, {**HD, "name": "shared-name"}))
    assert "shared-name" in caught.value.details() and "definition=" in caught.value.details()
    assert len(custom(client, "shared-name")) == 1


def test_adoption_and_presets(templates, client):
    made = call(client, "CreateTranscodeTemplate", {"Container": "mp4", "RemoveVideo": 1, "Name": "console"})
    inputs = checked(templates, {**HD, "definition": made["Definition"]})
    id_, outs = templates.create(inputs)
    assert int(id_) == made["Definition"] and outs["adopted"] is True
    # The next `up` brings it to the declared spec.
    assert templates.diff(outs, inputs, id_).changes
    _, failures = templates.check({**HD, "definition": 100010})
    assert [path for path, _ in failures] == ["definition"] and "preset" in failures[0][1]


def test_a_workflow_is_enabled_reset_while_disabled_and_switched(workflows, client, mps_emulator):
    inputs = checked(workflows, FLOW)
    assert inputs["workflow_name"].startswith("flow-") and inputs["enabled"] is True
    id_, outs = workflows.create(inputs)
    assert outs["workflow_id"] == int(id_) and outs["status"] == "Enabled"
    mps_emulator.admin.clear_requests()
    news = checked(workflows, {**FLOW, "output_dir": "/out/"}, inputs)
    assert workflows.diff(outs, news, id_).changes
    after = workflows.update(id_, outs, news)
    assert after["status"] == "Enabled" and after["output_dir"] == "/out/"
    assert [r["Action"] for r in mps_emulator.admin.requests() if r["Action"] != "DescribeWorkflows"] == [
        "DisableWorkflow",
        "ResetWorkflow",
        "EnableWorkflow",
    ]
    off = checked(workflows, {**FLOW, "output_dir": "/out/", "enabled": False}, news)
    assert workflows.update(id_, after, off)["status"] == "Disabled"
    workflows.delete(id_, after)
    workflows.delete(id_, after)
    assert call(client, "DescribeWorkflows", {"WorkflowIds": [int(id_)]})["WorkflowInfoSet"] == []


def test_a_workflow_name_clash_is_reported_before_anything_is_created(workflows, client):
    call(
        client,
        "CreateWorkflow",
        {
            "WorkflowName": "taken",
            "Trigger": {"Type": "CosFileUpload", "CosFileUploadTrigger": {"Bucket": "b", "Region": "r"}},
        },
    )
    with pytest.raises(grpc.RpcError) as caught:
        workflows.create(checked(workflows, {**FLOW, "workflow_name": "taken"}))
    assert "taken" in caught.value.details() and "workflow_id=" in caught.value.details()
    assert call(client, "DescribeWorkflows", {"Limit": 100})["TotalCount"] == 1


def test_refresh_of_many_templates_shares_describe_calls(templates, mps_emulator):
    """However few Reads the engine runs at once, they share one listing: N templates cost ceil(N/100) calls."""
    made = [
        templates.create(checked(templates, {**HD, "resource_identity": f"proj/dev/t{i}"}))
        for i in range(120)
    ]
    mps_emulator.admin.clear_requests()
    reads = [templates.read(id_, outs) for id_, outs in made]  # one at a time
    assert all(r.id for r in reads)
    assert len(mps_emulator.admin.requests("DescribeTranscodeTemplates")) <= 2 + 3


def test_creates_running_together_share_the_describe_of_their_new_templates(templates, mps_emulator):
    """One Describe by ids of a kind is in flight at a time; the new templates asked for while it is go together in
    the next one, whatever their number."""
    inputs = [checked(templates, {**HD, "resource_identity": f"proj/dev/g{i}"}) for i in range(9)]
    templates.create(inputs[0])  # the process's listing of names is read here, once
    mps_emulator.admin.clear_requests()
    mps_emulator.admin.add_fault("DescribeTranscodeTemplates", count=1, latency_ms=1500)
    with ThreadPoolExecutor(len(inputs) - 1) as pool:
        made = list(pool.map(templates.create, inputs[1:]))
    assert len({id_ for id_, _ in made}) == 8
    assert all(outs["definition"] == int(id_) and outs["create_time"] for id_, outs in made)
    assert len(mps_emulator.admin.requests("CreateTranscodeTemplate")) == 8
    assert len(mps_emulator.admin.requests("DescribeTranscodeTemplates")) <= 2


def test_a_create_refused_or_made_leaves_no_describe_waiting_for_it(mps_env, mps_emulator, monkeypatch):
    """Each create sent is either described or settled, so no later describe lingers for it."""
    for key, value in mps_env.items():
        monkeypatch.setenv(key, value)
    provider = TranscodeTemplateProvider()
    spec = provider.spec
    inputs = provider.check({}, HD).inputs
    api = provider._api()
    mps_emulator.admin.add_fault("CreateTranscodeTemplate", count=1, code="LimitExceeded.TooMuchTemplate")
    with pytest.raises(ApiError, match="LimitExceeded.TooMuchTemplate"):
        provider.create(inputs)
    assert BATCHES.batches.unsettled(api, spec) == 0
    made = provider.create(inputs)
    assert made.outs["definition"] == int(made.id) and made.outs["create_time"]
    assert BATCHES.batches.unsettled(api, spec) == 0


def test_a_workflow_reset_that_fails_leaves_it_enabled_as_it_was(workflows, client, mps_emulator):
    inputs = checked(workflows, FLOW)
    id_, outs = workflows.create(inputs)
    news = checked(workflows, {**FLOW, "output_dir": "/out/"}, inputs)
    mps_emulator.admin.add_fault("ResetWorkflow", count=1, code="AuthFailure.UnauthorizedOperation")
    with pytest.raises(grpc.RpcError) as caught:
        workflows.update(id_, outs, news)
    assert "AuthFailure.UnauthorizedOperation" in caught.value.details()
    (workflow,) = call(client, "DescribeWorkflows", {"WorkflowIds": [int(id_)]})["WorkflowInfoSet"]
    assert workflow["Status"] == "Enabled" and workflow.get("OutputDir") in (None, "")
    assert [r["Action"] for r in mps_emulator.admin.requests() if r["Action"].endswith("Workflow")][-3:] == [
        "DisableWorkflow",
        "ResetWorkflow",
        "EnableWorkflow",
    ]


SCHEDULE = {
    "trigger": {
        "type": "CosFileUpload",
        "cos_file_upload_trigger": {"bucket": "b-1250000000", "region": "ap-chongqing", "dir": "/in/"},
    },
    "activities": [
        {"activity_type": "input", "reardrive_index": [1]},
        {
            "activity_type": "action-trans",
            "reardrive_index": [2],
            "activity_para": {"transcode_task": {"definition": 100010}},
        },
        {"activity_type": "output"},
    ],
    "resource_identity": "proj/dev/schedule",
    "stack_marker": MARKER,
}


@pytest.mark.parametrize("kind", ["Workflow", "Schedule"])
def test_a_lost_create_answer_makes_one_workflow_or_schedule(mps_env, client, mps_emulator, kind):
    """Neither Create takes an idempotency key and neither Describe filters by name: the search pages the listing."""
    provider = WorkflowProvider() if kind == "Workflow" else ScheduleProvider()
    with ProviderServer(provider, env=mps_env) as server:
        mps_emulator.admin.add_fault(f"Create{kind}", count=1, mode="accept_then_drop")
        id_, outs = server.create(checked(server, FLOW if kind == "Workflow" else SCHEDULE))
    assert outs["adopted"] is True and outs["status"] == "Enabled"
    listed = call(client, f"Describe{kind}s", {"Limit": 100})
    assert [item[f"{kind}Id"] for item in listed[f"{kind}InfoSet"]] == [int(id_)]
    assert len(mps_emulator.admin.requests(f"Create{kind}")) == 1
