"""Fault injection through the admin API: errors, accept-then-drop, latency, probabilistic rules."""

from __future__ import annotations

import time

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from pulumi_mps.emulator import EmulatorAdminError

from .helpers import call, expect_error, media_params


def test_the_next_n_calls_fail_with_the_given_code(mps_client, admin):
    admin.add_fault("ProcessMedia", count=2, code="InternalError", message="injected boom")
    for _ in range(2):
        error = expect_error(mps_client, "ProcessMedia", media_params(), "InternalError")
        assert error.get_message() == "injected boom"
    assert call(mps_client, "DescribeTasks", {"Status": "WAITING"})["TotalCount"] == 0
    assert call(mps_client, "ProcessMedia", media_params())["TaskId"]
    assert len(admin.tasks()) == 1
    assert admin.faults() == []
    assert [r["Error"] for r in admin.requests("ProcessMedia")] == ["InternalError", "InternalError", None]


def test_faults_only_hit_their_action(mps_client, admin):
    admin.add_fault("DescribeTasks", count=1, code="FailedOperation")
    assert call(mps_client, "ProcessMedia", media_params())["TaskId"]
    expect_error(mps_client, "DescribeTasks", {"Status": "WAITING"}, "FailedOperation")


def test_a_wildcard_fault_hits_any_action(mps_client, admin):
    admin.add_fault("*", count=1, code="RequestLimitExceeded")
    expect_error(mps_client, "DescribeTasks", {"Status": "WAITING"}, "RequestLimitExceeded")
    assert call(mps_client, "DescribeTasks", {"Status": "WAITING"})["TotalCount"] == 0


def test_accept_then_drop_creates_the_task_but_answers_nothing(mps_client, admin):
    admin.add_fault("ProcessMedia", count=1, mode="accept_then_drop")
    with pytest.raises(TencentCloudSDKException) as info:
        call(mps_client, "ProcessMedia", media_params(SessionId="dropped-1"))
    assert info.value.get_code() == "ClientNetworkError"
    tasks = admin.tasks()
    assert [t["SessionId"] for t in tasks] == ["dropped-1"]
    assert admin.requests("ProcessMedia")[-1]["Dropped"] is True
    expect_error(
        mps_client, "ProcessMedia", media_params(SessionId="dropped-1"), "InvalidParameterValue.SessionId"
    )
    assert call(mps_client, "ProcessMedia", media_params(SessionId="dropped-2"))["TaskId"]
    assert len(admin.tasks()) == 2


def test_latency_delays_the_next_calls(mps_client, admin):
    admin.add_fault("DescribeTasks", count=1, latency_ms=1000)
    started = time.monotonic()
    call(mps_client, "DescribeTasks", {"Status": "WAITING"})
    slow = time.monotonic() - started
    started = time.monotonic()
    call(mps_client, "DescribeTasks", {"Status": "WAITING"})
    fast = time.monotonic() - started
    assert slow >= 1.0 and fast < 0.6  # wide apart, so that a loaded machine never blurs them


def _pattern(client, admin, seed: int) -> list[bool]:
    admin.clear_faults()
    admin.add_fault("DescribeTasks", probability=0.5, code="InternalError", seed=seed)
    outcomes = []
    for _ in range(30):
        try:
            call(client, "DescribeTasks", {"Status": "WAITING"})
            outcomes.append(True)
        except TencentCloudSDKException as exc:
            assert exc.get_code() == "InternalError"
            outcomes.append(False)
    return outcomes


def test_probabilistic_faults_are_deterministic_with_a_seed(mps_client, admin):
    first = _pattern(mps_client, admin, seed=7)
    second = _pattern(mps_client, admin, seed=7)
    other = _pattern(mps_client, admin, seed=8)
    assert first == second
    assert first != other
    assert 3 <= first.count(False) <= 27


def test_probabilistic_faults_last_until_cleared(mps_client, admin):
    admin.add_fault("ProcessMedia", probability=1.0, mode="accept_then_drop")
    for _ in range(3):
        with pytest.raises(TencentCloudSDKException):
            call(mps_client, "ProcessMedia", media_params())
    assert len(admin.tasks()) == 3
    assert admin.faults()[0]["fired"] == 3
    admin.clear_faults()
    assert call(mps_client, "ProcessMedia", media_params())["TaskId"]


@pytest.mark.parametrize(
    "spec",
    [
        {"action": "NoSuchAction", "code": "InternalError"},
        {"action": "ProcessMedia"},
        {"action": "ProcessMedia", "code": "InternalError", "count": 0},
        {"action": "ProcessMedia", "code": "InternalError", "probability": 2},
        {"action": "ProcessMedia", "mode": "explode"},
        {"action": "ProcessMedia", "code": "InternalError", "colour": "red"},
    ],
)
def test_bad_fault_specs_are_refused(admin, spec):
    with pytest.raises(EmulatorAdminError) as info:
        admin._call("POST", "faults", spec)
    assert info.value.status == 400
    assert admin.faults() == []


@pytest.mark.parametrize("status", [200, 404, 502])
def test_not_mps_answers_a_web_page_and_runs_nothing(mps_client, admin, status):
    admin.add_fault("ProcessMedia", count=1, mode="not_mps", http_status=status)
    response = mps_client._call("ProcessMedia", media_params(SessionId="web-page"))  # the raw HTTP answer
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html" and b"<html>" in response.content
    assert admin.tasks() == []
    assert call(mps_client, "ProcessMedia", media_params(SessionId="web-page"))["TaskId"]


def test_http_status_goes_with_not_mps_only(admin):
    for spec in ({"mode": "error", "http_status": 404}, {"mode": "not_mps", "http_status": 99}):
        with pytest.raises(EmulatorAdminError):
            admin.add_fault("ProcessMedia", count=1, **spec)
