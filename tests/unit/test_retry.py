"""The retry policy, the shared retry budget and polling, with a fake clock and no emulator."""

from __future__ import annotations

import itertools

import pytest

from pulumi_mps._errors import WHAT_TO_DO, ApiError
from pulumi_mps._retry import Retrier, RetryPolicy, RetryQuota, is_retryable, may_have_run, poll


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def retrier(clock: FakeClock, quota: RetryQuota | None = None, **policy) -> Retrier:
    return Retrier(
        RetryPolicy(**policy), quota or RetryQuota(), clock=clock, sleep=clock.sleep, rand=lambda: 1.0
    )


def failing(codes: list[str], result: str = "ok", answered: bool = False):
    """An attempt that fails with each code in turn, then returns ``result``."""
    calls = []

    def attempt() -> str:
        calls.append(len(calls))
        if len(calls) <= len(codes):
            raise ApiError("ProcessMedia", codes[len(calls) - 1], "failed", answered=answered)
        return result

    attempt.calls = calls  # type: ignore[attr-defined]
    return attempt


@pytest.mark.parametrize(
    ("code", "retryable", "ran"),
    [
        ("ClientNetworkError", True, True),
        ("ServerNetworkError", True, True),
        ("InternalError", True, True),
        ("InternalError.DbError", True, True),
        ("RequestLimitExceeded", True, False),
        ("ClientError.NotMps", False, False),
        ("ClientError.InvalidEndpoint", False, False),
        ("AuthFailure.SignatureFailure", False, False),
        ("InvalidParameterValue.SessionId", False, False),
    ],
)
def test_which_codes_are_retried_and_which_may_have_run(code, retryable, ran):
    assert is_retryable(code) is retryable
    assert may_have_run(code) is ran


def test_backoff_is_full_jitter_doubling_to_a_cap():
    policy = RetryPolicy(base_s=0.2, cap_s=10.0)
    assert [policy.delay(n, lambda: 1.0) for n in range(1, 9)] == [0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10.0, 10.0]
    assert policy.delay(3, lambda: 0.5) == 0.4


def test_a_retried_call_returns_and_records_nothing_against_the_budget():
    clock = FakeClock()
    quota = RetryQuota(50)
    attempt = failing(["InternalError", "ClientNetworkError"])
    assert retrier(clock, quota).run(attempt) == "ok"
    assert len(attempt.calls) == 3 and clock.sleeps == [0.2, 0.4]
    assert quota.available == 50 - 5  # took 5 + 10, the success gave back the last retry's 10


def test_attempts_are_bounded_and_the_error_says_why_retrying_stopped():
    clock = FakeClock()
    with pytest.raises(ApiError) as err:
        retrier(clock, max_attempts=3).run(failing(["InternalError"] * 5))
    assert err.value.code == "InternalError" and err.value.earlier == ("InternalError", "InternalError")
    assert "gave up after 3 attempts" in str(err.value) and "3 attempts made" in str(err.value)


def test_no_retry_starts_after_the_deadline():
    clock = FakeClock()
    with pytest.raises(ApiError) as err:
        retrier(clock, max_attempts=100, deadline_s=5.0, cap_s=2.0).run(failing(["InternalError"] * 100))
    assert sum(clock.sleeps) <= 5.0 and "deadline" in str(err.value)


def test_an_error_retrying_cannot_fix_fails_at_once():
    clock = FakeClock()
    attempt = failing(["ClientError.NotMps"])
    with pytest.raises(ApiError) as err:
        retrier(clock).run(attempt)
    assert len(attempt.calls) == 1 and clock.sleeps == []
    assert "gave up" not in str(err.value)


@pytest.mark.parametrize(
    ("code", "advice"),
    [
        ("LimitExceeded.TooMuchTemplate", "a quota of the account is reached"),
        ("InvalidParameterValue.Definition", "correct what its message names"),
        ("ResourceNotFound.TemplateNotExist", "check the id and tencentcloud:region"),
        ("UnauthorizedOperation", "grant it the MPS actions it needs in CAM"),
        ("ResourceUnavailable.NotActivated", "MPS is not available to the account"),
    ],
)
def test_an_error_mps_answered_that_no_retry_changes_says_what_to_do(code, advice):
    with pytest.raises(ApiError) as err:
        retrier(FakeClock()).run(failing([code], answered=True))
    text = str(err.value)
    assert text.startswith(f"MPS ProcessMedia failed: {code}: failed. ") and advice in text
    assert err.value.message == "failed"  # what callers that word their own errors take stays MPS's alone


@pytest.mark.parametrize(
    ("code", "answered"),
    [("InternalError", True), ("ClientError.NotMps", False), ("AuthFailure.SignatureFailure", True)],
)
def test_no_advice_where_it_would_be_wrong_or_is_given_elsewhere(code, answered):
    with pytest.raises(ApiError) as err:
        retrier(FakeClock(), max_attempts=1).run(failing([code], answered=answered))
    assert not any(advice in str(err.value) for advice in WHAT_TO_DO.values())


def test_the_earlier_attempts_of_a_duplicate_are_recorded():
    clock = FakeClock()
    with pytest.raises(ApiError) as err:
        retrier(clock).run(failing(["ClientNetworkError", "InvalidParameterValue.SessionId"], answered=True))
    assert err.value.code == "InvalidParameterValue.SessionId" and err.value.earlier == (
        "ClientNetworkError",
    )


def test_once_the_shared_budget_is_spent_every_call_fails_at_its_first_error():
    clock = FakeClock()
    quota = RetryQuota(100)
    shared = retrier(clock, quota)
    down = ["ClientNetworkError"] * 100
    for _ in range(3):  # 10 transport retries spend the budget
        with pytest.raises(ApiError):
            shared.run(failing(down))
    assert quota.available < quota.TRANSPORT_RETRY_COST
    attempt = failing(down)
    started = clock.now
    with pytest.raises(ApiError) as err:
        shared.run(attempt)
    assert len(attempt.calls) == 1 and clock.now == started
    assert "retry budget is spent" in str(err.value)
    # Answers put capacity back: a success a little, an answered error (MPS is up) too.
    shared.run(failing([]))
    with pytest.raises(ApiError):
        shared.run(failing(["InvalidParameterValue"], answered=True))
    assert quota.available >= 2


def test_the_budget_never_exceeds_its_capacity():
    quota = RetryQuota(10)
    assert quota.acquire(5) and not quota.acquire(6)
    quota.release(100)
    assert quota.available == 10
    quota.acquire(10)
    quota.reset()
    assert quota.available == 10


def test_poll_waits_the_whole_timeout_and_polls_at_the_deadline():
    clock = FakeClock()
    seen: list[float] = []

    def never() -> None:
        seen.append(clock.now - 1000.0)

    result, waited = poll(never, 18.0, clock=clock, sleep=clock.sleep)
    assert result is None and waited == 18.0
    assert seen[0] == 0.0 and seen[-1] == 18.0
    assert seen == sorted(seen) and all(b - a <= 30.0 for a, b in itertools.pairwise(seen))


def test_poll_returns_when_the_condition_holds_before_the_deadline():
    clock = FakeClock()
    result, waited = poll(
        lambda: "done" if clock.now - 1000.0 >= 15.0 else None, 18.0, clock=clock, sleep=clock.sleep
    )
    assert result == "done" and 15.0 <= waited <= 18.0


def test_poll_backs_off_to_the_cap():
    clock = FakeClock()
    poll(lambda: None, 200.0, clock=clock, sleep=clock.sleep)
    assert clock.sleeps[:4] == [1.0, 1.5, 2.25, 3.375]
    assert max(clock.sleeps) == 30.0 and sum(clock.sleeps) == 200.0
