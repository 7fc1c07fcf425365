"""The backend without any socket: the rules are plain Python."""

from __future__ import annotations

import pytest

from pulumi_mps import ApiError
from pulumi_mps.emulator import DEFAULT_APPID, Account, Backend, Controls, Durations, EmulatorError
from pulumi_mps.emulator import _errors as errors
from pulumi_mps.emulator._backend import DEFAULT_ACCOUNT, derive_appid
from pulumi_mps.emulator._clock import format_iso, parse_iso
from pulumi_mps.emulator._controls import RateLimiter

from .helpers import media_params


@pytest.fixture
def backend():
    b = Backend(durations=Durations(media_waiting=1, media_processing=2))
    yield b
    b.close()


@pytest.fixture
def controls(backend):
    return Controls(backend)


def test_custom_durations_drive_the_lifecycle(backend, controls):
    task_id = backend.call("ProcessMedia", media_params(), DEFAULT_ACCOUNT)["TaskId"]

    def status() -> str:
        return backend.call("DescribeTaskDetail", {"TaskId": task_id}, DEFAULT_ACCOUNT)["Status"]

    assert status() == "WAITING"
    controls.advance_clock(1.5)
    assert status() == "PROCESSING"
    controls.advance_clock(2)
    assert status() == "FINISH"


def test_validation_errors_are_api_errors(backend):
    with pytest.raises(EmulatorError) as info:
        backend.call("ProcessMedia", {"InputInfo": {"Type": "COS"}}, DEFAULT_ACCOUNT)
    assert (info.value.code, "InputInfo.CosInputInfo" in info.value.message) == ("MissingParameter", True)
    assert backend.store.all_tasks() == []


def test_latency_rules_stack_with_one_outcome(controls):
    controls.faults.add({"action": "ProcessMedia", "latency_ms": 100, "count": 1})
    controls.faults.add({"action": "*", "latency_ms": 50, "count": 1})
    controls.faults.add({"action": "ProcessMedia", "code": "InternalError", "count": 1})
    controls.faults.add({"action": "ProcessMedia", "mode": "accept_then_drop", "count": 1})
    first = controls.admit("ProcessMedia", DEFAULT_ACCOUNT)
    assert (round(first.latency, 3), first.error.code if first.error else None, first.drop) == (
        0.15,
        "InternalError",
        False,
    )
    second = controls.admit("ProcessMedia", DEFAULT_ACCOUNT)
    assert (second.latency, second.error, second.drop) == (0.0, None, True)
    assert controls.faults.describe() == []


def test_token_bucket_refills_with_time():
    now = [0.0]
    limiter = RateLimiter(2, monotonic=lambda: now[0])
    assert [limiter.allow("k") for _ in range(3)] == [True, True, False]
    assert limiter.allow("other")
    now[0] += 0.5
    assert limiter.allow("k") and not limiter.allow("k")
    limiter.reset(0)
    assert all(limiter.allow("k") for _ in range(100))


def test_accounts_parse_with_or_without_app_id():
    assert Account.parse("AKID1:key:1250000042") == Account("AKID1", "key", 1250000042)
    assert Account.parse("AKID1:k:e:y") == Account("AKID1", "k:e:y", derive_appid("AKID1"))
    assert derive_appid("AKID1") == derive_appid("AKID1") != derive_appid("AKID2")
    assert len(str(derive_appid("AKID1"))) == 10
    assert DEFAULT_ACCOUNT.appid == DEFAULT_APPID
    with pytest.raises(ValueError):
        Account.parse("AKIDONLY")


def test_iso_times_round_trip():
    assert format_iso(None) == "0000-00-00T00:00:00Z"
    assert format_iso(parse_iso("2026-11-23T10:00:00Z")) == "2026-11-23T10:00:00Z"
    assert parse_iso("2026-11-23T18:00:00+08:00") == parse_iso("2026-11-23T10:00:00Z")
    with pytest.raises(ValueError):
        parse_iso("tomorrow")


def test_each_refusal_is_its_named_error_class(backend, controls):
    def refusal(action: str, params: dict) -> EmulatorError:
        with pytest.raises(EmulatorError) as info:
            backend.call(action, params, DEFAULT_ACCOUNT)
        return info.value

    unknown = refusal("DescribeTaskDetail", {"TaskId": "nope"})
    assert (type(unknown), unknown.code) == (errors.TaskNotFound, "ResourceNotFound")
    unknown = refusal("ManageTask", {"TaskId": "nope", "OperationType": "Abort"})
    assert (type(unknown), unknown.code) == (errors.TaskIdNotFound, "InvalidParameterValue.TaskId")
    task_id = backend.call("ProcessMedia", media_params(SessionId="once"), DEFAULT_ACCOUNT)["TaskId"]
    duplicate = refusal("ProcessMedia", media_params(SessionId="once"))
    assert (type(duplicate), duplicate.code) == (errors.DuplicateSession, "InvalidParameterValue.SessionId")
    controls.advance_clock(1.5)
    busy = refusal("ManageTask", {"TaskId": task_id, "OperationType": "Abort"})
    assert (type(busy), busy.code) == (errors.NotProcessingTask, "InvalidParameterValue.NotProcessingTask")
    missing = refusal("ProcessMedia", {})
    assert (type(missing), missing.code) == (errors.MissingParameter, "MissingParameter")
    assert not issubclass(EmulatorError, ApiError)


def test_a_reset_of_the_controls_resets_the_model(backend, controls):
    backend.call("ProcessMedia", media_params(), DEFAULT_ACCOUNT)
    controls.advance_clock(3600)
    controls.faults.add({"action": "*", "code": "InternalError"})
    controls.reset()
    assert (backend.store.all_tasks(), backend.clock.offset, controls.faults.describe()) == ([], 0.0, [])
