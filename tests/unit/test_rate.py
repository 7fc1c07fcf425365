"""The adaptive rate limiter in virtual time: pacing, the decrease on refusals, the probe back up, and several
processes sharing one account's limit."""

from __future__ import annotations

import pytest

from pulumi_mps import _rate
from pulumi_mps._rate import BETA, RateLimiter, Ticket
from tests.rate_model import KEY, shared_account, summary


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock: Clock) -> RateLimiter:
    return RateLimiter(clock=clock, sleep=clock.sleep)


def send(
    limiter: RateLimiter, clock: Clock, count: int, ceiling: float = 95, refused: bool = False
) -> list[Ticket]:
    tickets = [limiter.acquire(KEY, ceiling) for _ in range(count)]
    for ticket in tickets:
        limiter.record(ticket, throttled=refused)
    return tickets


def test_alone_it_paces_at_the_ceiling_from_the_first_call(limiter, clock):
    start = clock.now
    send(limiter, clock, 96)
    assert clock.now - start == pytest.approx(95 / 95)
    assert limiter.rate(KEY) == 95


def test_after_a_pause_it_catches_up_with_a_seconds_worth_of_calls_at_most(limiter, clock):
    send(limiter, clock, 10)
    clock.now += 5
    start = clock.now
    send(limiter, clock, 95)
    assert clock.now == start
    send(limiter, clock, 1)
    assert clock.now == pytest.approx(start + 1 / 95)


def test_no_ceiling_means_no_pacing(limiter, clock):
    start = clock.now
    send(limiter, clock, 1000, ceiling=0)
    assert clock.now == start
    assert limiter.rate(KEY) is None


def test_a_refusal_lowers_the_rate_to_beta_times_what_was_accepted(limiter, clock):
    send(limiter, clock, 20, ceiling=20)  # 20 accepted within the last second
    send(limiter, clock, 1, ceiling=20, refused=True)
    assert limiter.rate(KEY) == pytest.approx(BETA * 20)
    start = clock.now
    limiter.acquire(KEY, 20)
    assert clock.now - start == pytest.approx(1 / (BETA * 20))


def test_refusals_of_calls_sent_before_the_decrease_do_not_lower_it_again(limiter, clock):
    send(limiter, clock, 10)
    in_flight = [limiter.acquire(KEY, 95) for _ in range(4)]
    limiter.record(in_flight[0], throttled=True)
    lowered = limiter.rate(KEY)
    for ticket in in_flight[1:]:
        limiter.record(ticket, throttled=True)
    assert limiter.rate(KEY) == lowered
    send(limiter, clock, 1, refused=True)  # sent after the decrease: a new episode
    assert limiter.rate(KEY) < lowered


def test_accepted_calls_probe_back_up_to_the_ceiling(limiter, clock):
    send(limiter, clock, 30, ceiling=40)
    send(limiter, clock, 1, ceiling=40, refused=True)
    lowered = limiter.rate(KEY)
    rates = []
    for _ in range(20):
        clock.now += 0.5
        send(limiter, clock, 10, ceiling=40)
        rates.append(limiter.rate(KEY))
    assert lowered < rates[0] and rates == sorted(rates)
    assert rates[-1] == 40
    start = clock.now  # back on the fixed limiter: a second's worth of calls in a burst again
    clock.now += 2
    send(limiter, clock, 40, ceiling=40)
    assert clock.now == start + 2


def test_the_rate_never_grows_past_twice_what_is_sent(limiter, clock):
    send(limiter, clock, 30, ceiling=60)
    send(limiter, clock, 1, ceiling=60, refused=True)
    for _ in range(30):  # one call a second for 30 s: the curve alone would be back at the ceiling
        clock.now += 1
        send(limiter, clock, 1, ceiling=60)
    assert limiter.rate(KEY) <= 2 * 1 + 1e-9


def test_each_key_has_its_own_pace(limiter, clock):
    other = (*KEY[:3], "DescribeTaskDetail")
    send(limiter, clock, 20)
    send(limiter, clock, 1, refused=True)
    assert limiter.rate(KEY) < 95
    limiter.acquire(other, 95)
    assert limiter.rate(other) == 95


def test_a_lower_ceiling_applies_at_once(limiter, clock):
    send(limiter, clock, 5, ceiling=95)
    limiter.acquire(KEY, 10)
    assert limiter.rate(KEY) == 10


@pytest.mark.parametrize("starts", [(0.0, 0.0, 0.0), (0.0, 0.3, 0.6), (0.0, 1.0, 2.0)])
@pytest.mark.parametrize("round_trip", [0.01, 0.03])
def test_three_stacks_share_an_account_with_few_refusals(starts, round_trip):
    result = summary(shared_account(3, 60, 20, starts, round_trip))
    assert result["calls"] - result["refused"] == 180
    assert result["refused_share"] <= 0.12
    assert result["aggregate_share"] >= 0.85


def test_without_adapting_the_same_stacks_are_mostly_refused(monkeypatch):
    # The fixed limiter the provider had: each process at 95/s, blind to the others.
    monkeypatch.setattr(_rate._Pace, "throttled", lambda self, ticket, now: None)
    result = summary(shared_account(3, 60, 20, (0.0, 0.3, 0.6), 0.01))
    assert result["refused_share"] > 0.5
