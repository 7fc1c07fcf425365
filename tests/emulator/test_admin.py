"""Admin endpoints: request log, clock, reset, config, and errors of the admin API itself."""

from __future__ import annotations

import pytest

from pulumi_mps.emulator import DEFAULT_SECRET_ID, EmulatorAdminError

from .helpers import OTHER_SECRET_ID, call, detail, expect_error, make_client, media_params


def test_the_request_log_records_action_account_params_and_outcome(emulator, mps_client, admin):
    call(mps_client, "ProcessMedia", media_params(SessionId="logged"))
    expect_error(mps_client, "DescribeTaskDetail", {"TaskId": "nope"}, "ResourceNotFound")
    expect_error(
        make_client(emulator.endpoint, OTHER_SECRET_ID, "bad-key"),
        "DescribeTasks",
        {"Status": "WAITING"},
        "AuthFailure.SignatureFailure",
    )
    log = admin.requests()
    assert [(r["Action"], r["SecretId"], r["Error"]) for r in log] == [
        ("ProcessMedia", DEFAULT_SECRET_ID, None),
        ("DescribeTaskDetail", DEFAULT_SECRET_ID, "ResourceNotFound"),
        ("DescribeTasks", OTHER_SECRET_ID, "AuthFailure.SignatureFailure"),
    ]
    assert log[0]["Params"]["SessionId"] == "logged"
    assert all(r["RequestId"] and r["Time"].endswith("Z") for r in log)
    assert [r["Action"] for r in admin.requests("DescribeTaskDetail")] == ["DescribeTaskDetail"]
    admin.clear_requests()
    assert admin.requests() == []


def test_the_tasks_endpoint_shows_account_status_and_request(mps_client, admin):
    task_id = call(mps_client, "ProcessMedia", media_params(SessionId="seen", TasksPriority=2))["TaskId"]
    task = admin.task(task_id)
    assert task["AppId"] == 1250000000 and task["SecretId"] == DEFAULT_SECRET_ID
    assert (task["Action"], task["SessionId"], task["Status"], task["Aborted"]) == (
        "ProcessMedia",
        "seen",
        "WAITING",
        False,
    )
    assert task["Request"]["TasksPriority"] == 2


def test_the_clock_can_be_set_and_advanced(mps_client, admin):
    assert abs(admin.clock()["offset_seconds"]) < 1e-6
    state = admin.set_clock("2027-01-02T03:04:05Z")
    assert state["now"] == "2027-01-02T03:04:05Z"
    task_id = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    assert detail(mps_client, task_id)["CreateTime"] in ("2027-01-02T03:04:05Z", "2027-01-02T03:04:06Z")
    assert admin.advance_clock(60)["now"] in ("2027-01-02T03:05:05Z", "2027-01-02T03:05:06Z")
    assert detail(mps_client, task_id)["FinishTime"] in ("2027-01-02T03:04:20Z", "2027-01-02T03:04:21Z")


def test_reset_forgets_everything(mps_client, admin):
    call(mps_client, "ProcessMedia", media_params(SessionId="again"))
    admin.advance_clock(3600)
    admin.add_fault("DescribeTasks", probability=0.5, code="InternalError")
    admin.set_rate_limit(3)
    admin.reset()
    assert admin.tasks() == [] and admin.faults() == [] and admin.requests() == []
    assert abs(admin.clock()["offset_seconds"]) < 1e-6
    assert admin.config() == {"rate_limit": 100}
    assert call(mps_client, "ProcessMedia", media_params(SessionId="again"))["TaskId"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "nothing-here", None, 404),
        ("POST", "tasks", {}, 404),
        ("POST", "clock", {"advance_seconds": "soon"}, 400),
        ("POST", "clock", {"set": "not a time"}, 400),
        ("POST", "clock", {}, 400),
        ("POST", "config", {"rate_limit": -1}, 400),
        ("POST", "config", {"speed": 1}, 400),
    ],
)
def test_admin_errors(admin, method, path, body, status):
    with pytest.raises(EmulatorAdminError) as info:
        admin._call(method, path, body)
    assert info.value.status == status


def test_health(admin):
    health = admin.health()
    assert health["ok"] is True
    assert "ProcessMedia" in health["actions"]
