"""Tencent's Node.js SDK (npm ``tencentcloud-sdk-nodejs-mps``, pinned in tests/clients/node/package-lock.json)
against the emulator, configured as its README says (``endpoint: "HOST:PORT"``, ``protocol: "http://"``), in
every form it sends: POST JSON and GET with TC3-HMAC-SHA256, POST form and GET with HmacSHA1 / HmacSHA256."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.clients.node_sdk import run_calls

from .helpers import REGION, live_params, media_params

FORMS = [
    (req_method, sign_method)
    for req_method in ("POST", "GET")
    for sign_method in ("TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256")
]


def node_calls(
    node: str,
    endpoint: str,
    calls: list[tuple[str, dict[str, Any]]],
    req_method: str = "POST",
    sign_method: str = "TC3-HMAC-SHA256",
    secret_id: str = DEFAULT_SECRET_ID,
    secret_key: str = DEFAULT_SECRET_KEY,
) -> list[dict[str, Any]]:
    spec = {
        "endpoint": endpoint,
        "secretId": secret_id,
        "secretKey": secret_key,
        "region": REGION,
        "signMethod": sign_method,
        "reqMethod": req_method,
        "calls": [{"action": action, "params": params} for action, params in calls],
    }
    return run_calls(node, spec)


@pytest.mark.parametrize(("req_method", "sign_method"), FORMS, ids=[f"{m}-{s}" for m, s in FORMS])
def test_the_node_sdk_works_in_every_form(node, emulator, admin, req_method, sign_method):
    media = media_params(SessionContext="a b&c=d/中文+%", TasksPriority=-3)
    live = live_params(SessionId="node-live-1")
    answers = node_calls(
        node,
        emulator.endpoint,
        [
            ("ProcessMedia", media),
            ("DescribeTaskDetail", {"TaskId": "$0.TaskId"}),
            ("ProcessLiveStream", live),
            ("ManageTask", {"OperationType": "Abort", "TaskId": "$2.TaskId"}),
            ("DescribeTasks", {"Status": "FINISH", "Limit": 5}),
            ("DescribeTasks", {"Status": "NOPE"}),
        ],
        req_method,
        sign_method,
    )
    media_task, detail, live_task, abort, finished, invalid = answers
    task_id = media_task["response"]["TaskId"]
    assert task_id.startswith("1250000000-WorkflowTask-")
    assert admin.task(task_id)["Request"] == media
    assert detail["response"]["WorkflowTask"]["TaskId"] == task_id
    assert detail["response"]["SessionContext"] == media["SessionContext"]
    assert admin.task(live_task["response"]["TaskId"])["Request"] == live
    assert "error" not in abort and admin.task(live_task["response"]["TaskId"])["Aborted"] is True
    assert [t["TaskId"] for t in finished["response"]["TaskSet"]] == [live_task["response"]["TaskId"]]
    assert invalid["error"]["code"] == "InvalidParameterValue" and invalid["error"]["requestId"]


@pytest.mark.parametrize(("req_method", "sign_method"), FORMS, ids=[f"{m}-{s}" for m, s in FORMS])
def test_the_node_sdk_gets_the_same_auth_errors(node, emulator, admin, req_method, sign_method):
    wrong_key, unknown_id = (
        node_calls(
            node, emulator.endpoint, [("DescribeTasks", {"Status": "WAITING"})], req_method, sign_method, **kw
        )[0]
        for kw in ({"secret_key": "wrong"}, {"secret_id": "AKIDNOBODYKNOWSTHISID000000000000000"})
    )
    assert wrong_key["error"]["code"] == "AuthFailure.SignatureFailure"
    assert unknown_id["error"]["code"] == "AuthFailure.SecretIdNotFound"


def test_the_node_sdk_at_localhost(node, emulator):
    (answer,) = node_calls(node, f"localhost:{emulator.port}", [("DescribeTasks", {"Status": "WAITING"})])
    assert answer["response"]["TotalCount"] == 0


def test_the_node_sdk_parses_a_notification(node, emulator):
    content = {
        "EventType": "WorkflowTask",
        "SessionId": "s",
        "SessionContext": "c",
        "Timestamp": 1,
        "Sign": "x",
    }
    (answer,) = node_calls(node, emulator.endpoint, [("ParseNotification", {"Content": json.dumps(content)})])
    assert {k: answer["response"][k] for k in content} == content
