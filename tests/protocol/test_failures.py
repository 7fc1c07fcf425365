"""Failures no retry can fix end at once and say why; the others are retried within one budget per process.

The API client and the provider over real HTTP: to a closed port, to an emulator answering web pages or failing
ManageTask (fault injection in the emulator), with wrong credentials.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime

import grpc
import pytest

from pulumi_mps import _retry
from pulumi_mps._client import MpsApi, forget_known_tasks
from pulumi_mps._errors import ApiError, TaskFailed
from pulumi_mps._providers import LiveStreamProcessTaskProvider, MediaProcessTaskProvider
from pulumi_mps._retry import Retrier, RetryPolicy, RetryQuota
from pulumi_mps._settings import Settings, parse_endpoint
from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.emulator.helpers import media_params
from tests.protocol.test_live_provider import LIVE
from tests.protocol.test_media_provider import SEED_SNAKE, checked
from tests.provider_harness import ProviderServer

pytestmark = pytest.mark.protocol

QUICK = RetryPolicy(max_attempts=4, base_s=0.01, cap_s=0.05)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


def api_at(url: str, quota: RetryQuota | None = None, secret_key: str = DEFAULT_SECRET_KEY) -> MpsApi:
    scheme, host = parse_endpoint(url)
    settings = Settings(
        DEFAULT_SECRET_ID, secret_key, region="ap-chongqing", scheme=scheme, host=host, rate_limit=0
    )
    return MpsApi(settings, Retrier(QUICK, quota or RetryQuota()))


@pytest.fixture(autouse=True)
def fresh_process():
    forget_known_tasks()
    yield
    forget_known_tasks()


def test_a_closed_port_is_retried_briefly_and_named():
    url = f"http://127.0.0.1:{closed_port()}"
    api = api_at(url)
    with pytest.raises(ApiError) as err:
        api.call("DescribeTasks", {"Status": "WAITING"})
    assert err.value.code == "ClientNetworkError"
    assert f"cannot reach MPS at {url}: connection refused" in str(err.value)
    assert "gave up after 4 attempts" in str(err.value) and api.calls["DescribeTasks"] == 4


def test_calls_against_a_dead_endpoint_share_one_budget_and_then_fail_at_once():
    url = f"http://127.0.0.1:{closed_port()}"
    quota = RetryQuota(100)  # ten transport retries
    api = api_at(url, quota)
    started = time.monotonic()
    for _ in range(50):
        with pytest.raises(ApiError):
            api.call("DescribeTasks", {"Status": "WAITING"})
    assert api.calls["DescribeTasks"] <= 50 + 10
    assert time.monotonic() - started < 10
    with pytest.raises(ApiError, match="retry budget is spent"):
        api.call("DescribeTasks", {"Status": "WAITING"})


@pytest.mark.parametrize("status", [200, 404])
def test_an_endpoint_answering_a_web_page_fails_at_once_naming_it(mps_emulator, status):
    mps_emulator.admin.add_fault("*", count=10, mode="not_mps", http_status=status)
    api = api_at(mps_emulator.url)
    started = time.monotonic()
    with pytest.raises(ApiError) as err:
        api.submit("ProcessMedia", media_params(SessionId="web-page"))
    assert time.monotonic() - started < 2 and api.calls["ProcessMedia"] == 1
    assert err.value.code == "ClientError.NotMps"
    text = str(err.value)
    assert (
        mps_emulator.url in text
        and f"HTTP {status}" in text
        and "text/html" in text
        and "mps:endpoint" in text
    )
    assert "Expecting value" not in text


def test_a_gateway_error_is_retried(mps_emulator):
    mps_emulator.admin.add_fault("ProcessMedia", count=2, mode="not_mps", http_status=502)
    api = api_at(mps_emulator.url)
    task_id = api.submit("ProcessMedia", media_params(SessionId="behind-a-gateway"))
    assert [t["TaskId"] for t in mps_emulator.admin.tasks()] == [task_id]
    assert api.calls["ProcessMedia"] == 3


def test_wrong_credentials_fail_at_once_naming_the_endpoint_and_keys(mps_emulator):
    api = api_at(mps_emulator.url, secret_key="not-the-key")
    with pytest.raises(ApiError) as err:
        api.call("DescribeTasks", {"Status": "WAITING"})
    assert err.value.code.startswith("AuthFailure") and api.calls["DescribeTasks"] == 1
    assert mps_emulator.url in str(err.value) and "tencentcloud:secretKey" in str(err.value)


def test_a_failed_abort_reports_the_apis_code_and_message_without_nested_retries(
    mps_env, mps_emulator, monkeypatch
):
    for key, value in mps_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(_retry, "DEFAULT_POLICY", QUICK)
    provider = LiveStreamProcessTaskProvider()
    with ProviderServer(provider, env=mps_env) as server:
        inputs = checked(server, LIVE)
        task_id, outs = server.create(inputs)
    mps_emulator.admin.add_fault(
        "ManageTask", probability=1.0, code="InternalError", message="ManageTask is down for maintenance"
    )
    started = time.monotonic()
    with pytest.raises(TaskFailed) as err:
        provider.delete(task_id, outs)
    assert time.monotonic() - started < 5
    text = str(err.value)
    assert f"could not abort task {task_id}" in text and "stays WAITING" in text
    assert "InternalError: ManageTask is down for maintenance" in text and "RequestId" in text
    assert len(mps_emulator.admin.requests("ManageTask")) == QUICK.max_attempts
    assert mps_emulator.admin.task(task_id)["Aborted"] is False


def test_an_abort_refused_because_the_task_moved_on_is_quiet(mps_env, mps_emulator, monkeypatch):
    for key, value in mps_env.items():
        monkeypatch.setenv(key, value)
    provider = MediaProcessTaskProvider()
    with ProviderServer(provider, env=mps_env) as server:
        task_id, outs = server.create(checked(server, {**SEED_SNAKE, "abort_on_delete": True}))
    # Described WAITING, then PROCESSING by the time the abort arrives: MPS refuses it, and none is needed.
    mps_emulator.admin.add_fault("ManageTask", count=1, latency_ms=800)
    ticker = threading.Timer(0.3, lambda: mps_emulator.admin.advance_clock(10))
    ticker.start()
    provider.delete(task_id, outs)
    ticker.join()
    assert [r["Error"] for r in mps_emulator.admin.requests("ManageTask")] == [
        "InvalidParameterValue.NotProcessingTask"
    ]
    assert mps_emulator.admin.task(task_id)["Status"] == "PROCESSING"


def test_wait_for_completion_waits_the_whole_timeout_and_reports_it(mps_env, mps_emulator):
    with ProviderServer(LiveStreamProcessTaskProvider(), env=mps_env) as server:
        inputs = checked(server, {**LIVE, "wait_for_completion": True, "wait_timeout_seconds": 2.5})
        with pytest.raises(grpc.RpcError) as err:
            server.create(inputs)
    assert "is still WAITING after 2.5 s (wait_timeout_seconds 2.5)" in err.value.details()
    polls = [
        datetime.fromisoformat(r["Time"].replace("Z", "+00:00"))
        for r in mps_emulator.admin.requests("DescribeTaskDetail")
    ]
    assert (polls[-1] - polls[0]).total_seconds() >= 2.4
