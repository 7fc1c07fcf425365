"""MpsApi over a fake ``send`` and a fake clock, no emulator: retries, the deadline, the retry budget, the
limiter's record of refusals, the search behind a duplicate SessionId, and destroy's abort."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pulumi_mps import _client
from pulumi_mps._adoption import KnownTasks
from pulumi_mps._client import STATUSES, MpsApi, ProcessState, forget_known_tasks, format_time, state_of
from pulumi_mps._errors import ApiError, DuplicateNotFound
from pulumi_mps._providers import LiveStreamProcessTaskProvider
from pulumi_mps._rate import RateLimiter
from pulumi_mps._retry import Retrier, RetryPolicy, RetryQuota
from pulumi_mps._settings import Settings
from pulumi_mps._specs import MEDIA
from tests.unit.test_retry import FakeClock

SETTINGS = Settings(
    "AKIDUNITTEST", "unit-key", region="ap-chongqing", scheme="http", host="mps.test", rate_limit=0
)


def scripted(*answers: Any):
    """A ``send`` giving each answer in turn (an ApiError is raised), recording the calls."""
    calls: list[tuple[str, dict]] = []

    def send(action: str, params: dict[str, Any]) -> dict[str, Any]:
        calls.append((action, params))
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, ApiError):
            raise answer
        return answer

    send.calls = calls  # type: ignore[attr-defined]
    return send


def api_with(
    send, clock: FakeClock, *, settings: Settings = SETTINGS, quota: RetryQuota | None = None, **policy: float
) -> MpsApi:
    retrier = Retrier(
        RetryPolicy(**policy), quota or RetryQuota(), clock=clock, sleep=clock.sleep, rand=lambda: 1.0
    )
    state = ProcessState(settings, limiter=RateLimiter(clock=clock, sleep=clock.sleep))
    return MpsApi(settings, retrier, send=send, state=state)


def failure(code: str, answered: bool = False) -> ApiError:
    return ApiError("ProcessMedia", code, "failed", answered=answered)


def test_a_retryable_failure_is_retried_until_the_call_succeeds():
    clock = FakeClock()
    send = scripted(failure("ServerNetworkError"), failure("InternalError", answered=True), {"TaskId": "t-1"})
    api = api_with(send, clock, base_s=0.2)
    assert api.submit("ProcessMedia", {"SessionId": "s-1"}) == "t-1"
    assert api.calls == {"ProcessMedia": 3} and clock.sleeps == [0.2, 0.4]
    assert [params for _, params in send.calls] == [{"SessionId": "s-1"}] * 3  # the same params each time
    assert api.state.adoption.known.get("t-1") == "s-1"


def test_a_failure_no_retry_can_fix_ends_the_call_at_once():
    clock = FakeClock()
    api = api_with(scripted(failure("InvalidParameterValue.SessionId", answered=True)), clock)
    with pytest.raises(ApiError) as err:
        api.submit("ProcessMedia", {"SessionId": "taken"})
    assert err.value.code == "InvalidParameterValue.SessionId" and err.value.earlier == ()
    assert api.calls == {"ProcessMedia": 1} and clock.sleeps == []


def test_no_retry_starts_after_the_deadline():
    clock = FakeClock()
    api = api_with(scripted(failure("ClientNetworkError")), clock, deadline_s=1.0, base_s=0.4)
    with pytest.raises(ApiError, match="retry deadline is reached") as err:
        api.call("DescribeTasks", {"Status": "WAITING"})
    assert clock.sleeps == [0.4]  # the next wait (0.8 s) would end past the deadline
    assert api.calls == {"DescribeTasks": 2} and err.value.earlier == ("ClientNetworkError",)


def test_once_the_retry_budget_is_spent_calls_fail_at_their_first_error():
    clock = FakeClock()
    quota = RetryQuota(RetryQuota.TRANSPORT_RETRY_COST)  # one transport retry
    api = api_with(scripted(failure("ClientNetworkError")), clock, quota=quota)
    for expected_calls in (2, 3, 4):
        with pytest.raises(ApiError, match="retry budget is spent"):
            api.call("DescribeTasks", {"Status": "WAITING"})
        assert api.calls["DescribeTasks"] == expected_calls
    assert len(clock.sleeps) == 1 and quota.available == 0


def test_a_throttled_answer_slows_that_action_and_other_failures_do_not():
    clock = FakeClock()
    settings = Settings(
        "AKIDUNITTEST", "unit-key", region="ap-chongqing", scheme="http", host="mps.test", rate_limit=10
    )
    submits = scripted(
        *[{"TaskId": f"t-{n}"} for n in range(20)],
        failure("ClientNetworkError"),
        failure("RequestLimitExceeded", answered=True),
        {"TaskId": "t-last"},
    )

    def send(action: str, params: dict[str, Any]) -> dict[str, Any]:
        return submits(action, params) if action == "ProcessMedia" else {"TaskSet": []}

    api = api_with(send, clock, settings=settings)
    key = (settings.secret_id, settings.region, settings.host)
    for n in range(20):
        api.submit("ProcessMedia", {"SessionId": f"s-{n}"})
    api.call("DescribeTasks", {"Status": "WAITING"})
    limiter = api.state.limiter
    assert limiter.rate((*key, "ProcessMedia")) == limiter.rate((*key, "DescribeTasks")) == 10
    assert clock.now - 1000.0 >= 1.8  # 21 calls paced at 10 a second
    api.submit("ProcessMedia", {"SessionId": "s-last"})  # a lost answer, then refused, then accepted
    assert api.calls["ProcessMedia"] == 23
    assert limiter.rate((*key, "ProcessMedia")) < 10
    assert limiter.rate((*key, "DescribeTasks")) == 10


def test_the_state_is_one_object_per_settings_and_a_reset_makes_new_ones():
    first = state_of(SETTINGS)
    assert MpsApi(SETTINGS).state is first is state_of(Settings(**vars(SETTINGS)))
    assert state_of(Settings("AKIDOTHER", "other-key")) is not first
    forget_known_tasks()
    fresh = state_of(SETTINGS)
    assert fresh is not first and fresh.retrier is not first.retrier and fresh.limiter is not first.limiter
    assert fresh.adoption is not first.adoption and fresh.transport is not first.transport


# -- the search behind a duplicate SessionId ------------------------------------------------------------------

NOW = datetime.now(timezone.utc).replace(microsecond=0)


class FakeMps:
    """DescribeTasks (pages of ``Limit``, newest first, ScrollToken) and DescribeTaskDetail over a task list."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        self.tasks = tasks
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((action, params))
        if action == "DescribeTaskDetail":
            task = next((t for t in self.tasks if t["TaskId"] == params["TaskId"]), None)
            if task is None:
                raise ApiError(action, "ResourceNotFound", "no such task", answered=True)
            return {**task, "RequestId": "r"}
        assert action == "DescribeTasks"
        listed = sorted(
            (
                t
                for t in self.tasks
                if t["Status"] == params["Status"]
                and params.get("StartTime", "") <= t["CreateTime"] <= params.get("EndTime", "9")
            ),
            key=lambda t: t["CreateTime"],
            reverse=True,
        )
        offset = int(params.get("ScrollToken") or 0)
        page = listed[offset : offset + params["Limit"]]
        more = offset + params["Limit"] < len(listed)
        return {
            "TaskSet": [{k: t[k] for k in ("TaskId", "TaskType", "Status", "CreateTime")} for t in page],
            "ScrollToken": str(offset + params["Limit"]) if more else "",
            "TotalCount": len(listed),
        }

    def described(self) -> list[str]:
        return [params["TaskId"] for action, params in self.calls if action == "DescribeTaskDetail"]


def task(
    n: int, created: datetime, status: str = "WAITING", task_type: str = "WorkflowTask"
) -> dict[str, Any]:
    return {
        "TaskId": f"task-{n}",
        "TaskType": task_type,
        "Status": status,
        "CreateTime": format_time(created),
        "SessionId": f"session-{n}",
    }


def search(mps: FakeMps, session_id: str, submitted_at: datetime, api: MpsApi | None = None) -> str:
    api = api or api_with(mps, FakeClock())
    return api.find_by_session(session_id, MEDIA.list_task_types, MEDIA.dedup_window, submitted_at)


def burst(count: int, second: datetime, first: int = 0) -> list[dict[str, Any]]:
    """``count`` tasks created in ``second``, in every status."""
    return [task(first + n, second, STATUSES[n % 3]) for n in range(count)]


def test_the_task_accepted_behind_a_lost_answer_is_described_first():
    submitted_at = NOW - timedelta(seconds=30)
    tasks = (
        burst(40, submitted_at - timedelta(seconds=5))
        + [task(99, submitted_at)]
        + burst(40, submitted_at + timedelta(seconds=5), first=100)
    )
    mps = FakeMps(tasks)
    assert search(mps, "session-99", submitted_at + timedelta(seconds=0.5)) == "task-99"
    assert mps.described() == ["task-99"]


def test_a_task_of_an_earlier_apply_is_found_in_the_older_listing_newest_first_each_described_once():
    tasks = [task(n, NOW - timedelta(hours=n), "FINISH") for n in range(1, 250)]  # 3 pages, beyond the window
    tasks += burst(30, NOW - timedelta(seconds=20), first=1000)
    tasks.append(task(5000, NOW - timedelta(days=1), "FINISH", task_type="LiveProcessTask"))  # another kind
    mps = FakeMps(tasks)
    assert search(mps, "session-30", NOW) == "task-30"
    described = mps.described()
    assert described[:30] != [f"task-{n}" for n in range(1, 31)]  # the recent tasks come first
    assert described[30:] == [f"task-{n}" for n in range(1, 31)]
    assert max(Counter(described).values()) == 1


def test_tasks_this_process_knows_are_not_described_and_an_absent_session_raises():
    tasks = burst(12, NOW - timedelta(seconds=10))
    tasks += [task(n, NOW - timedelta(days=1, minutes=n)) for n in range(50, 60)]
    tasks.append(task(70, NOW - timedelta(seconds=10), task_type="LiveProcessTask"))
    mps = FakeMps(tasks)
    api = api_with(mps, FakeClock())
    for n in range(4):
        api.state.adoption.known.remember(f"task-{n}", f"session-{n}")
    with pytest.raises(DuplicateNotFound, match="none of the 22 WorkflowTask/ScheduleTask tasks"):
        search(mps, "session-absent", NOW, api)
    described = mps.described()
    assert sorted(described) == sorted(f"task-{n}" for n in [*range(4, 12), *range(50, 60)])
    mps.calls.clear()
    with pytest.raises(DuplicateNotFound):
        search(mps, "session-absent", NOW, api)
    assert mps.described() == []  # every candidate's SessionId is known now


def test_concurrent_searches_describe_a_task_once():
    known = KnownTasks()
    release = threading.Event()
    described: list[str] = []

    def describe() -> str:
        described.append("task-1")
        release.wait(5)
        return "session-1"

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = [pool.submit(known.session_of, "task-1", describe) for _ in range(4)]
        while not described:
            time.sleep(0.001)
        time.sleep(0.05)  # the other three wait for the one call
        release.set()
        assert [a.result(5) for a in answers] == ["session-1"] * 4
    assert described == ["task-1"]


# -- destroy: the abort goes through the calls' retries, nothing of its own ------------------------------------


class Provider(LiveStreamProcessTaskProvider):
    def __init__(self, api: MpsApi) -> None:
        self.api = api

    def _api(self) -> MpsApi:
        return self.api


def live_task(status: str) -> dict[str, Any]:
    return {
        "TaskId": "live-1",
        "TaskType": "LiveProcessTask",
        "Status": status,
        "SessionId": "own",
        "CreateTime": format_time(NOW),
    }


def test_an_abort_whose_first_attempts_fail_is_retried_by_the_call():
    clock = FakeClock()
    aborts = scripted(
        failure("InternalError", answered=True), failure("ClientNetworkError"), {"RequestId": "r"}
    )

    def send(action: str, params: dict[str, Any]) -> dict[str, Any]:
        return aborts(action, params) if action == "ManageTask" else live_task("PROCESSING")

    api = api_with(send, clock)
    Provider(api).delete("live-1", {"abort_on_delete": True, "session_id": "own"})
    assert api.calls == {"DescribeTaskDetail": 1, "ManageTask": 3} and len(clock.sleeps) == 2


def test_an_abort_refused_because_the_task_finished_meanwhile_is_quiet():
    clock = FakeClock()
    details = scripted(live_task("PROCESSING"), live_task("FINISH"))

    def send(action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "ManageTask":
            raise ApiError(action, "FailedOperation.InvalidStatus", "finished", answered=True)
        return details(action, params)

    api = api_with(send, clock)
    Provider(api).delete("live-1", {"abort_on_delete": True, "session_id": "own"})
    assert api.calls == {"DescribeTaskDetail": 2, "ManageTask": 1} and clock.sleeps == []


def test_the_sdk_client_is_built_before_a_token_is_taken(monkeypatch):
    # Built after, the calls waiting for it would hold their tokens and go out together.
    events: list[str] = []

    class Transport:
        def __init__(self, settings: Settings) -> None:
            events.append("client")

        def send(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
            events.append("send")
            return {"TaskId": "t-1"}

    class Limiter(RateLimiter):
        def acquire(self, key: Any, ceiling: float) -> Any:
            events.append("token")
            return super().acquire(key, ceiling)

    assert _client.Transport(SETTINGS).client is not None  # a transport holds its SDK client from the start
    monkeypatch.setattr(_client, "Transport", Transport)
    MpsApi(SETTINGS, state=ProcessState(SETTINGS, limiter=Limiter())).call("ProcessMedia", {})
    assert events == ["client", "token", "send"]
