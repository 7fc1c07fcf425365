"""EditMediaTask's provider driven through the real dynamic-provider server over gRPC, against the emulator."""

from __future__ import annotations

import base64
import threading

import grpc
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_mps._providers import EditMediaTaskProvider
from tests.api_examples import request_examples
from tests.protocol.test_media_provider import MARKER
from tests.provider_harness import ProviderServer, from_struct
from tests.unit.test_session import CLIP_REQUEST, GOLDEN

pytestmark = pytest.mark.protocol

CLIP = {**CLIP_REQUEST, "resource_identity": "clips/dev/clip"}
FAILING = {
    **CLIP,
    "file_infos": [
        {
            "input_info": {
                "type": "COS",
                "cos_input_info": {
                    "bucket": "b-1",
                    "region": "ap-chongqing",
                    "object": "/movie/fail-corrupt.mov",
                },
            }
        }
    ],
}


@pytest.fixture
def server(mps_env):
    with ProviderServer(EditMediaTaskProvider(), env=mps_env) as srv:
        yield srv


def checked(server, props, olds=None):
    inputs, failures = server.check(props, olds)
    assert failures == []
    return inputs


def test_pickled_provider_is_a_reference_with_no_state():
    blob = base64.b64decode(serialize_provider(EditMediaTaskProvider()))
    assert b"pulumi_mps._providers" in blob and b"EditMediaTaskProvider" in blob and len(blob) < 100
    assert EditMediaTaskProvider().__dict__ == {}


def test_the_docs_examples_check_in_their_api_form(server):
    """Every EditMedia request example of the API docs, written as the docs write it, passes preview."""
    for title, params in request_examples("EditMedia"):
        props = {
            "file_infos": params["FileInfos"],
            "output_storage": params["OutputStorage"],
            "output_object_path": params["OutputObjectPath"],
            "resource_identity": f"p/s/{title}",
        }
        if "ComposeConfig" in params:
            props["compose_config"] = params["ComposeConfig"]
        inputs = checked(server, props)
        assert inputs["session_id"].startswith("pmps1-")


def test_check_derives_the_golden_session_id_and_reports_bad_input_by_path(server, mps_emulator):
    assert checked(server, CLIP)["session_id"] == GOLDEN[-1][1]
    _, failures = server.check(
        {
            **CLIP,
            "output_config": {"container": "mkv"},
            "tasks_priority": 11,
            "compose_config": {"tracks": [{"type": "Sticker", "items": []}]},
        }
    )
    reasons = dict(failures)
    assert "output_config.container" in reasons
    assert reasons["tasks_priority"] == "must be between -10 and 10"
    assert "compose_config.tracks[0].type" in reasons
    _, missing = server.check({k: v for k, v in CLIP.items() if k != "output_object_path"})
    assert [path for path, _ in missing] == ["output_object_path"]
    assert mps_emulator.admin.requests() == []


def test_create_refresh_and_output_path(server, mps_emulator):
    inputs = checked(server, CLIP)
    task_id, outs = server.create(inputs)
    (task,) = mps_emulator.admin.tasks()
    assert (
        task["TaskId"] == task_id
        and task["Action"] == "EditMedia"
        and task["SessionId"] == inputs["session_id"]
    )
    assert task["Request"]["FileInfos"][0]["StartTimeOffset"] == 60
    mps_emulator.admin.advance_clock(60)
    refreshed = from_struct(server.read(task_id, outs).properties)
    assert refreshed["status"] == "FINISH" and refreshed["err_code"] == 0
    assert refreshed["output_paths"] == ["/clip_result/clip_WildAnimal.mp4"]
    assert refreshed["subtasks"] == []


def test_a_lost_answer_and_a_duplicate_session_id_adopt_the_one_task(server, mps_emulator):
    mps_emulator.admin.add_fault("EditMedia", count=1, mode="accept_then_drop")
    inputs = checked(
        server, {**CLIP, "stack_marker": MARKER}
    )  # the stack's marker proves the re-run's duplicate
    task_id, _ = server.create(inputs)
    assert [t["TaskId"] for t in mps_emulator.admin.tasks()] == [task_id]
    again, outs = server.create(inputs)  # an interrupted apply running the create again
    assert again == task_id and outs["adopted"] is False
    assert len(mps_emulator.admin.tasks()) == 1


def test_a_plain_invalid_parameter_is_reported_as_it_came_when_no_task_has_the_session_id(
    server, mps_emulator
):
    mps_emulator.admin.add_fault("EditMedia", count=1, code="InvalidParameter", message="bad track")
    with pytest.raises(grpc.RpcError) as err:
        server.create(checked(server, CLIP))
    assert "InvalidParameter" in err.value.details() and "bad track" in err.value.details()
    assert mps_emulator.admin.tasks() == []


def test_delete_aborts_only_a_waiting_task_and_only_when_asked(server, mps_emulator):
    task_id, outs = server.create(checked(server, CLIP))
    server.delete(task_id, outs)
    assert mps_emulator.admin.task(task_id)["Aborted"] is False
    task_id, outs = server.create(checked(server, {**CLIP, "abort_on_delete": True, "triggers": 1}))
    server.delete(task_id, outs)
    assert mps_emulator.admin.task(task_id)["Aborted"] is True


def test_wait_for_completion_reports_the_edit_failure(server, mps_emulator):
    inputs = checked(server, {**FAILING, "wait_for_completion": True, "wait_timeout_seconds": 20})
    clock = threading.Timer(
        0.5, mps_emulator.admin.advance_clock, (30,)
    )  # the task finishes while create waits
    clock.start()
    with pytest.raises(grpc.RpcError) as err:
        server.create(inputs)
    clock.join()
    assert "30010" in err.value.details() and "corrupt" in err.value.details()
