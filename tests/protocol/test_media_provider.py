"""MediaProcessTask's provider driven through the real dynamic-provider server over gRPC, against the emulator."""

from __future__ import annotations

import grpc
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.mps.v20190612.mps_client import MpsClient

from pulumi_mps._providers import MediaProcessTaskProvider
from pulumi_mps._stack import derived_marker
from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.provider_harness import UNKNOWN, ProviderServer, from_struct, init_failure
from tests.unit.test_session import GOLDEN

pytestmark = pytest.mark.protocol

IDENTITY = "quickstart/dev/transcode"
MARKER = "s1-" + "0" * 32  # a stack's random marker
SEED = {
    "input_info": {
        "Type": "COS",
        "CosInputInfo": {
            "Region": "ap-chongqing",
            "Object": "/movie/201907/WildAnimal.mov",
            "Bucket": "TopRankVideo-125xxx88",
        },
    },
    "media_process_task": {
        "TranscodeTaskSet": [{"Definition": "20"}, {"Definition": 30.0}, {"Definition": 40}]
    },
    "resource_identity": IDENTITY,
}
SEED_SNAKE = {
    "media_process_task": {
        "transcode_task_set": [{"definition": 20}, {"definition": 30}, {"definition": 40}]
    },
    "input_info": {
        "type": "COS",
        "cos_input_info": {
            "bucket": "TopRankVideo-125xxx88",
            "object": "/movie/201907/WildAnimal.mov",
            "region": "ap-chongqing",
        },
    },
    "resource_identity": IDENTITY,
}


@pytest.fixture
def server(mps_env):
    with ProviderServer(MediaProcessTaskProvider(), env=mps_env) as srv:
        yield srv


def sdk(emu) -> MpsClient:
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=emu.endpoint))
    return MpsClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-chongqing", profile)


def checked(server, props, olds=None):
    inputs, failures = server.check(props, olds)
    assert failures == []
    return inputs


def test_pickled_provider_is_a_reference_with_no_state():
    blob = serialize_provider(MediaProcessTaskProvider())
    assert len(blob) < 400
    assert MediaProcessTaskProvider().__dict__ == {}


def test_check_canonicalizes_and_derives_the_golden_session_id(server):
    pascal = checked(server, SEED)
    snake = checked(server, SEED_SNAKE)
    assert pascal == snake
    assert pascal["media_process_task"]["transcode_task_set"][0] == {"definition": 20}
    assert pascal["session_id"] == GOLDEN[0][1]


def test_empty_values_change_nothing(server):
    """An empty string, list or object is an absent member: the same SessionId (the golden one), no diff against
    a state that holds it, none against one recorded before empty members were left out."""
    empties = {
        **SEED,
        "session_context": "",
        "output_dir": "",
        "ai_analysis_task": {},
        "media_process_task": {**SEED["media_process_task"], "SnapshotByTimeOffsetTaskSet": []},
    }
    inputs = checked(server, empties)
    assert inputs == checked(server, SEED) and inputs["session_id"] == GOLDEN[0][1]
    recorded = {
        **inputs,
        "session_context": "",
        "media_process_task": {**inputs["media_process_task"], "snapshot_by_time_offset_task_set": []},
    }
    assert server.diff(recorded, inputs).changes == 1  # DIFF_NONE
    assert checked(server, empties, olds=recorded)["session_id"] == GOLDEN[0][1]
    _, failures = server.check({**SEED, "session_id": ""})
    ((path, reason),) = failures
    assert path == "session_id" and "an empty SessionId as no deduplication" in reason


def test_check_reports_every_problem_by_path_and_calls_no_api(server, mps_emulator):
    bad = {
        **SEED_SNAKE,
        "tasks_priority": 11,
        "media_process_task": {"transcode_task_set": [{"definition": 20}, {"definiton": 30}]},
        "output_dir": "movie",
        "abort_on_delete": "yes",
    }
    _, failures = server.check(bad)
    reasons = dict(failures)
    assert reasons["tasks_priority"] == "must be between -10 and 10"
    assert "media_process_task.transcode_task_set[1].definiton" in reasons
    assert reasons["output_dir"] == "must start and end with /"
    assert reasons["abort_on_delete"] == "must be a boolean"
    assert mps_emulator.admin.requests() == []


def test_check_tolerates_unknowns_and_leaves_the_session_id_unknown(server):
    inputs, failures = server.check({**SEED_SNAKE, "input_info": {"type": "COS", "cos_input_info": UNKNOWN}})
    assert failures == []
    assert isinstance(inputs["session_id"], Unknown)


def test_session_id_override_wins_and_is_checked(server):
    assert checked(server, {**SEED_SNAKE, "session_id": "mine"})["session_id"] == "mine"
    _, failures = server.check({**SEED_SNAKE, "session_id": "x" * 51})
    assert failures == [("session_id", "must be 1 to 50 characters")]


def test_create_submits_once_with_the_session_id(server, mps_emulator):
    inputs = checked(server, SEED)
    task_id, outs = server.create(inputs)
    (task,) = mps_emulator.admin.tasks()
    assert task["TaskId"] == task_id == outs["task_id"]
    assert task["SessionId"] == inputs["session_id"]
    assert outs["status"] == "WAITING" and outs["adopted"] is False
    assert task["Request"]["MediaProcessTask"]["TranscodeTaskSet"] == [
        {"Definition": 20},
        {"Definition": 30},
        {"Definition": 40},
    ]


def test_create_retries_errors_and_lost_answers_without_a_second_task(server, mps_emulator):
    mps_emulator.admin.add_fault("ProcessMedia", count=2, code="InternalError")
    mps_emulator.admin.add_fault("ProcessMedia", count=1, mode="accept_then_drop")
    inputs = checked(server, SEED)
    task_id, _ = server.create(inputs)
    tasks = mps_emulator.admin.tasks()
    assert [t["TaskId"] for t in tasks] == [task_id]
    assert len(mps_emulator.admin.requests("ProcessMedia")) >= 2


def test_create_adopts_the_task_behind_a_duplicate_session_id(server, mps_emulator):
    # Its stack's random marker is in the SessionId: only this stack (an interrupted apply) can have submitted it.
    inputs = checked(server, {**SEED, "stack_marker": MARKER})
    assert inputs["session_id"].startswith("pmps2-")
    client = sdk(mps_emulator)
    for i in range(3):
        client.call_json(
            "ProcessMedia",
            {
                "InputInfo": {"Type": "URL", "UrlInputInfo": {"Url": f"https://x/{i}.mp4"}},
                "OutputStorage": {
                    "Type": "COS",
                    "CosOutputStorage": {"Bucket": "b-1250000000", "Region": "ap-chongqing"},
                },
            },
        )
    first = client.call_json(
        "ProcessMedia",
        {
            "InputInfo": {
                "Type": "COS",
                "CosInputInfo": {
                    "Bucket": "TopRankVideo-125xxx88",
                    "Region": "ap-chongqing",
                    "Object": "/movie/201907/WildAnimal.mov",
                },
            },
            "SessionId": inputs["session_id"],
        },
    )["Response"]["TaskId"]
    task_id, _ = server.create(inputs)
    assert task_id == first
    assert len(mps_emulator.admin.tasks()) == 4


def submit_with(emu, session_id: str, name: str = "other.mov") -> str:
    return sdk(emu).call_json(
        "ProcessMedia",
        {
            "InputInfo": {
                "Type": "COS",
                "CosInputInfo": {"Bucket": "b-1250000000", "Region": "ap-chongqing", "Object": f"/{name}"},
            },
            "SessionId": session_id,
        },
    )["Response"]["TaskId"]


@pytest.mark.parametrize(
    "props",
    [
        {**SEED, "session_id": "chosen-by-hand"},  # explicit: another stack may choose it too
        SEED,  # pmps1-, derived without a stack marker
        {**SEED, "stack_marker": derived_marker("quickstart/dev")},  # a marker any stack named dev derives
    ],
    ids=["explicit", "no-marker", "derived-marker"],
)
def test_a_duplicate_not_shown_to_be_its_own_is_never_taken_over(server, mps_emulator, props):
    inputs = checked(server, props)
    theirs = submit_with(mps_emulator, inputs["session_id"])
    with pytest.raises(grpc.RpcError) as err:
        server.create(inputs)
    details = err.value.details()
    assert inputs["session_id"] in details and theirs in details
    assert f'task_id="{theirs}"' in details and "mps:adoptDuplicates" in details and "triggers" in details
    assert [t["TaskId"] for t in mps_emulator.admin.tasks()] == [theirs]


SECRET_SESSION = "my-secret-session-0042"


def test_errors_at_up_never_show_a_secret_session_id(server, mps_emulator):
    inputs = checked(server, {**SEED, "session_id": SECRET_SESSION, "secret_inputs": ["session_id"]})
    theirs = submit_with(mps_emulator, SECRET_SESSION)
    with pytest.raises(grpc.RpcError) as err:
        server.create(inputs)
    details = err.value.details()
    assert f"MPS reports SessionId [secret] as already used by task {theirs}" in details
    assert SECRET_SESSION not in details and "secret-session" not in details
    # A duplicate no listed task carries, and an API error that quotes the request's values.
    mps_emulator.admin.add_fault("ProcessMedia", count=1, code="InvalidParameterValue.SessionId")
    other = {**inputs, "session_id": SECRET_SESSION + "-2"}
    with pytest.raises(grpc.RpcError) as err:
        server.create(other)
    assert "MPS rejected SessionId [secret] as already used" in err.value.details()
    mps_emulator.admin.add_fault(
        "ProcessMedia", count=1, code="InvalidParameterValue", message=f"bad SessionId {SECRET_SESSION}-3"
    )
    with pytest.raises(grpc.RpcError) as err:
        server.create({**inputs, "session_id": SECRET_SESSION + "-3"})
    assert "bad SessionId [secret]" in err.value.details() and "0042" not in err.value.details()


def test_adopt_duplicates_config_adopts_what_cannot_be_shown_to_be_its_own(mps_env, mps_emulator):
    with ProviderServer(MediaProcessTaskProvider(), env={**mps_env, "MPS_ADOPT_DUPLICATES": "true"}) as srv:
        inputs = checked(srv, SEED)
        theirs = submit_with(mps_emulator, inputs["session_id"])
        task_id, outs = srv.create(inputs)
    assert task_id == theirs and outs["task_id"] == theirs
    assert len(mps_emulator.admin.tasks()) == 1


def test_two_stacks_of_the_same_name_derive_different_session_ids_and_tasks(server, mps_emulator):
    # A stack renamed away keeps its marker; the stack created under its old name draws another one.
    prod = checked(server, {**SEED, "stack_marker": MARKER})
    dev = checked(server, {**SEED, "stack_marker": "s1-" + "1" * 32})
    assert prod["session_id"] != dev["session_id"]
    prod_task, _ = server.create(prod)
    dev_task, _ = server.create(dev)
    assert prod_task != dev_task and len(mps_emulator.admin.tasks()) == 2


def test_adoption_failure_says_what_to_do(server, mps_emulator):
    inputs = checked(server, SEED)
    mps_emulator.admin.add_fault("ProcessMedia", count=1, code="InvalidParameterValue.SessionId")
    with pytest.raises(grpc.RpcError) as err:
        server.create(inputs)
    assert "triggers" in err.value.details() and "task_id" in err.value.details()
    assert mps_emulator.admin.tasks() == []


def test_read_fills_status_and_leaves_the_inputs_to_the_engine(server, mps_emulator):
    inputs = checked(server, SEED)
    task_id, outs = server.create(inputs)
    mps_emulator.admin.advance_clock(60)
    resp = server.read(task_id, outs)
    refreshed = {k: v for k, v in from_struct(resp.properties).items() if k != "__provider"}
    assert resp.id == task_id
    assert refreshed["status"] == "FINISH"
    assert refreshed["create_time"] and refreshed["finish_time"]
    assert refreshed["output_paths"] and all("transcode" in p for p in refreshed["output_paths"])
    assert not resp.HasField("inputs")  # the engine keeps the inputs it holds
    assert server.diff(refreshed, inputs, task_id).changes == 1  # DIFF_NONE: a refresh never creates a diff


def test_read_keeps_a_task_mps_no_longer_reports(server, mps_emulator):
    inputs = checked(server, SEED)
    task_id, outs = server.create(inputs)
    mps_emulator.admin.advance_clock(8 * 24 * 3600)
    resp = server.read(task_id, outs)
    assert resp.id == task_id
    kept = from_struct(resp.properties)
    assert kept["task_id"] == task_id and kept["status"] == "WAITING"


def test_diff_replaces_on_request_changes_and_updates_settings_in_place(server):
    inputs = checked(server, SEED)
    outs = {**inputs, "task_id": "t", "status": "WAITING"}
    same = server.diff(outs, checked(server, SEED_SNAKE, inputs))
    assert same.changes == 1  # DIFF_NONE
    edited = {
        **SEED_SNAKE,
        "media_process_task": {
            "transcode_task_set": [{"definition": 20}, {"definition": 31}, {"definition": 40}]
        },
    }
    changed = server.diff(outs, checked(server, edited, inputs))
    assert changed.changes == 2  # DIFF_SOME
    assert list(changed.replaces) == ["media_process_task.transcode_task_set[1].definition", "session_id"]
    setting = server.diff(outs, checked(server, {**SEED_SNAKE, "abort_on_delete": True}, inputs))
    assert setting.changes == 2 and list(setting.replaces) == []
    retrigger = server.diff(outs, checked(server, {**SEED_SNAKE, "triggers": [1]}, inputs))
    assert list(retrigger.replaces) == ["session_id", "triggers"]


def test_update_returns_complete_outputs(server, mps_emulator):
    inputs = checked(server, SEED)
    task_id, outs = server.create(inputs)
    news = checked(server, {**SEED_SNAKE, "abort_on_delete": True}, inputs)
    updated = server.update(task_id, outs, news)
    assert updated["task_id"] == task_id and updated["abort_on_delete"] is True
    assert updated["session_id"] == outs["session_id"] and updated["status"] == outs["status"]
    assert len(mps_emulator.admin.requests()) == 1


def test_delete_leaves_the_task_by_default(server, mps_emulator):
    task_id, outs = server.create(checked(server, SEED))
    server.delete(task_id, outs)
    assert mps_emulator.admin.task(task_id)["Aborted"] is False
    assert [r["Action"] for r in mps_emulator.admin.requests()] == ["ProcessMedia"]


def test_delete_aborts_a_waiting_task_when_asked(server, mps_emulator):
    task_id, outs = server.create(checked(server, {**SEED_SNAKE, "abort_on_delete": True}))
    server.delete(task_id, outs)
    assert mps_emulator.admin.task(task_id)["Aborted"] is True


def test_delete_leaves_a_running_task_even_when_asked(server, mps_emulator):
    task_id, outs = server.create(checked(server, {**SEED_SNAKE, "abort_on_delete": True}))
    mps_emulator.admin.advance_clock(6)
    server.delete(task_id, outs)
    assert mps_emulator.admin.task(task_id)["Aborted"] is False


def test_adopting_a_task_id_submits_nothing(server, mps_emulator):
    existing = sdk(mps_emulator).call_json(
        "ProcessMedia",
        {
            "InputInfo": {
                "Type": "COS",
                "CosInputInfo": {"Bucket": "b-1", "Region": "ap-chongqing", "Object": "/a.mp4"},
            }
        },
    )["Response"]["TaskId"]
    task_id, outs = server.create(checked(server, {**SEED_SNAKE, "task_id": existing}))
    assert task_id == existing and outs["adopted"] is True
    assert len(mps_emulator.admin.tasks()) == 1


def test_a_task_id_of_another_kind_is_not_adopted(server, mps_emulator):
    live = sdk(mps_emulator).call_json(
        "ProcessLiveStream",
        {
            "Url": "rtmp://live.example.com/app/stream",
            "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
        },
    )["Response"]["TaskId"]
    sdk(mps_emulator).call_json("ManageTask", {"OperationType": "Abort", "TaskId": live})
    with pytest.raises(grpc.RpcError) as err:
        server.create(checked(server, {**SEED_SNAKE, "task_id": live}))
    details = err.value.details()
    assert f"cannot adopt task {live} as a MediaProcessTask: it is a LiveStreamProcessTask task" in details
    assert f"adopt it with LiveStreamProcessTask(task_id='{live}') instead" in details
    assert [r["Action"] for r in mps_emulator.admin.requests()][-1] == "DescribeTaskDetail"


def test_wait_for_completion_reports_a_failed_subtask(mps_env, mps_emulator):
    failing = {
        **SEED_SNAKE,
        "input_info": {
            "type": "COS",
            "cos_input_info": {
                "bucket": "b-1",
                "region": "ap-chongqing",
                "object": "/movie/fail-corrupt.mov",
            },
        },
        "wait_for_completion": True,
        "wait_timeout_seconds": 20,
    }
    mps_emulator.admin.advance_clock(0)
    with ProviderServer(MediaProcessTaskProvider(), env=mps_env) as server:
        inputs = checked(server, failing)
        import threading

        ticker = threading.Timer(0.5, lambda: mps_emulator.admin.advance_clock(30))
        ticker.start()
        with pytest.raises(grpc.RpcError) as err:
            server.create(inputs)
        ticker.join()
    assert "30010" in err.value.details() and "corrupt" in err.value.details()
    (task,) = mps_emulator.admin.tasks()
    # The task exists: the engine records it (a resource created but not initialized) with its outputs.
    task_id, outs, reasons = init_failure(err.value)
    assert task_id == task["TaskId"] and outs["task_id"] == task_id and outs["status"] == "FINISH"
    assert outs["err_code"] == 30010 and outs["__provider"] and outs["session_id"] == inputs["session_id"]
    assert reasons == [
        f"task {task_id} finished with a failed Transcode sub-task (3 of 3 failed): ErrCode 30010: {outs['message']}"
    ]


def test_credentials_from_stack_config(mps_emulator):
    with ProviderServer(MediaProcessTaskProvider(), env={"MPS_ENDPOINT": mps_emulator.url}) as server:
        server.configure(
            {
                "tencentcloud:secretId": DEFAULT_SECRET_ID,
                "tencentcloud:secretKey": DEFAULT_SECRET_KEY,
                "tencentcloud:region": "ap-chongqing",
            }
        )
        task_id, _ = server.create(checked(server, SEED))
    assert mps_emulator.admin.task(task_id)["SecretId"] == DEFAULT_SECRET_ID


def test_missing_credentials_name_the_keys(mps_emulator):
    env = {"MPS_ENDPOINT": mps_emulator.url, "TENCENTCLOUD_SECRET_ID": "", "TENCENTCLOUD_SECRET_KEY": ""}
    with ProviderServer(MediaProcessTaskProvider(), env=env) as server, pytest.raises(grpc.RpcError) as err:
        server.create(checked(server, SEED))
    assert (
        "tencentcloud:secretKey" in err.value.details() and "TENCENTCLOUD_SECRET_KEY" in err.value.details()
    )


def test_a_renamed_stack_keeps_the_recorded_session_id(server):
    before = checked(server, SEED)
    renamed = checked(server, {**SEED, "resource_identity": "quickstart/prod/transcode"}, before)
    assert renamed["session_id"] == before["session_id"]
    assert server.diff({**before, "task_id": "t"}, renamed).changes == 1  # DIFF_NONE
    edited = checked(
        server, {**SEED, "resource_identity": "quickstart/prod/transcode", "tasks_priority": 1}, before
    )
    assert edited["session_id"] != before["session_id"]


def test_wait_for_completion_returns_the_finished_task(server, mps_emulator):
    import threading

    inputs = checked(server, {**SEED_SNAKE, "wait_for_completion": True, "wait_timeout_seconds": 30})
    ticker = threading.Timer(0.5, lambda: mps_emulator.admin.advance_clock(30))
    ticker.start()
    _, outs = server.create(inputs)
    ticker.join()
    assert outs["status"] == "FINISH" and outs["err_code"] == 0
    assert len(outs["output_paths"]) == 3 and outs["finish_time"]


def test_temporary_credentials_from_stack_config(mps_emulator):
    with ProviderServer(MediaProcessTaskProvider(), env={"MPS_ENDPOINT": mps_emulator.url}) as server:
        server.configure(
            {
                "tencentcloud:secretId": DEFAULT_SECRET_ID,
                "tencentcloud:secretKey": DEFAULT_SECRET_KEY,
                "tencentcloud:securityToken": "temporary-session-token",
            }
        )
        task_id, _ = server.create(checked(server, SEED))
    assert mps_emulator.admin.task(task_id)["SessionId"].startswith("pmps1-")
    assert all(r["Token"] for r in mps_emulator.admin.requests())


def test_waiting_creates_do_not_hold_the_servers_four_threads(server, mps_emulator):
    import threading
    import time

    server.configure({})
    waiting = [
        checked(
            server,
            {**SEED_SNAKE, "output_dir": f"/w{i}/", "wait_for_completion": True, "wait_timeout_seconds": 60},
        )
        for i in range(5)
    ]
    threads = [threading.Thread(target=server.create, args=(props,), daemon=True) for props in waiting]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(mps_emulator.admin.tasks()) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    started = time.monotonic()
    checked(server, SEED)
    assert time.monotonic() - started < 2
    mps_emulator.admin.advance_clock(60)
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)


def test_a_netrc_entry_for_the_endpoint_does_not_replace_the_signature(mps_env, mps_emulator, tmp_path):
    # `requests` applies ~/.netrc (or $NETRC) credentials as Basic auth over the request's Authorization header
    # when it trusts the environment; the provider's client does not, so the TC3 signature reaches MPS intact.
    host = mps_emulator.url.split("//", 1)[1].split(":", 1)[0]
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {host}\nlogin someone\npassword something\n")
    netrc.chmod(0o600)
    with ProviderServer(MediaProcessTaskProvider(), env={**mps_env, "NETRC": str(netrc)}) as srv:
        task_id, _ = srv.create(checked(srv, SEED))
    assert [t["TaskId"] for t in mps_emulator.admin.tasks()] == [task_id]
    assert "AuthFailure" not in {r["Error"] for r in mps_emulator.admin.requests("ProcessMedia")}


def _marked(obj: str, **extra):
    return {
        **SEED_SNAKE,
        "input_info": {
            "type": "COS",
            "cos_input_info": {"bucket": "b-1", "region": "ap-chongqing", "object": obj},
        },
        "media_process_task": {
            "transcode_task_set": [{"definition": 20}],
            "image_sprite_task_set": [{"definition": 10}],
        },
        "ai_quality_control_task": {"definition": 10},
        **extra,
    }


@pytest.mark.parametrize(
    ("marker", "kind", "code"),
    [("transcode", "Transcode", 70000), ("aiqualitycontrol", "AiQualityControl", 70000)],
)
def test_one_failed_sub_task_fails_the_wait_and_is_reported_on_refresh(
    mps_env, mps_emulator, marker, kind, code
):
    """WorkflowTask.ErrCode stays 0 when only a sub-task fails; the provider reads each sub-task's ErrCode."""
    import threading

    with ProviderServer(MediaProcessTaskProvider(), env=mps_env) as server:
        inputs = checked(
            server, _marked(f"/movie/fail-{marker}.mov", wait_for_completion=True, wait_timeout_seconds=20)
        )
        ticker = threading.Timer(0.5, lambda: mps_emulator.admin.advance_clock(30))
        ticker.start()
        with pytest.raises(grpc.RpcError) as err:
            server.create(inputs)
        ticker.join()
        assert f"failed {kind} sub-task" in err.value.details() and f"ErrCode {code}" in err.value.details()
        (task,) = mps_emulator.admin.tasks()
        outs = {**inputs, "task_id": task["TaskId"]}
        # Asked to wait for it, the refresh reports it failed still (the engine warns, the next `up` fails).
        with pytest.raises(grpc.RpcError) as err:
            server.read(task["TaskId"], outs)
        _, refreshed, (reason,) = init_failure(err.value)
        assert f"failed {kind} sub-task" in reason
        plain = from_struct(server.read(task["TaskId"], {**outs, "wait_for_completion": False}).properties)
    assert plain["subtasks"] == refreshed["subtasks"]
    assert (refreshed["status"], refreshed["err_code"]) == ("FINISH", code)
    assert refreshed["message"] == "emulator: sub-task failed"
    failed = [s for s in refreshed["subtasks"] if s["status"] == "FAIL"]
    assert [s["type"] for s in failed] == [kind]
    assert len(refreshed["subtasks"]) == 3
    kept = {"transcode": "_imageSprite_10", "aiqualitycontrol": "_transcode_20"}[marker]
    assert refreshed["output_paths"] and any(kept in p for p in refreshed["output_paths"])
    assert not any(f"_{marker}" in p.lower() for p in refreshed["output_paths"])


@pytest.mark.parametrize(
    "code", ["ResourceNotFound", "InvalidParameterValue", "InvalidParameterValue.TaskId"]
)
def test_read_keeps_the_task_whatever_not_found_code_mps_gives(server, mps_emulator, code):
    """DescribeTaskDetail's error list in the SDK names ResourceNotFound and InvalidParameterValue."""
    task_id, outs = server.create(checked(server, SEED))
    mps_emulator.admin.add_fault("DescribeTaskDetail", count=5, code=code)
    kept = from_struct(server.read(task_id, outs).properties)
    assert kept["task_id"] == task_id and kept["status"] == "WAITING"


def test_a_schedule_task_is_adopted_after_a_duplicate_session_id(server, mps_emulator):
    inputs = checked(server, {**SEED_SNAKE, "schedule_id": 30000})
    mps_emulator.admin.add_fault("ProcessMedia", count=1, mode="accept_then_drop")
    mps_emulator.admin.add_fault("ProcessMedia", count=3, code="InternalError")
    task_id, outs = server.create(inputs)
    assert "-ScheduleTask-" in task_id and len(mps_emulator.admin.tasks()) == 1
    assert mps_emulator.admin.requests("DescribeTasks")  # found through the listings, as ScheduleTask
    mps_emulator.admin.advance_clock(60)
    refreshed = from_struct(server.read(task_id, outs).properties)
    assert refreshed["status"] == "FINISH" and [s["type"] for s in refreshed["subtasks"]] == ["Transcode"] * 3
    assert len(refreshed["output_paths"]) == 3
