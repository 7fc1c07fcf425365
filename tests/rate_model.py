"""A model of provider processes sharing one account's rate limit, in virtual time: each process has its own
:class:`~pulumi_mps._rate.RateLimiter`, runs 8 creates at a time (the engine's default parallelism) and retries
refused calls after a jittered backoff, as the provider does; the account admits calls as MPS and the emulator
do (a token bucket). Used by tests/unit/test_rate.py and bench/rate_model.py."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Iterator

from pulumi_mps._rate import RateLimiter, Ticket

KEY = ("AKID", "ap-guangzhou", "mps.tencentcloudapi.com", "ProcessMedia")
CEILING = 95.0
PARALLEL = 8


class Account:
    """The account's limit as MPS and the emulator apply it: a token bucket of ``rate`` a second, bursts of as
    many."""

    def __init__(self, rate: float) -> None:
        self.rate, self.tokens, self.stamp = rate, rate, 0.0
        self.log: list[tuple[float, bool]] = []

    def admit(self, now: float) -> bool:
        self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        accepted = self.tokens >= 1
        self.tokens -= accepted
        self.log.append((now, accepted))
        return accepted


def shared_account(
    stacks: int, tasks: int, limit: float, starts: tuple[float, ...], round_trip: float, seed: int = 0
) -> Account:
    """``stacks`` processes, the k-th starting at ``starts[k]``, submit ``tasks`` each; every call takes
    ``round_trip`` seconds and reaches the account half way. The account's log holds (time, accepted) of every
    call."""
    now = [0.0]
    queue: list[tuple[float, int, Iterator[float]]] = []
    order = itertools.count()
    account = Account(limit)
    rng = random.Random(seed)

    def create(limiter: RateLimiter, todo: list[int]) -> Iterator[float]:
        while todo[0] > 0:
            todo[0] -= 1
            attempt = 0
            while True:
                wait = limiter.reserve(KEY, CEILING)
                if wait > 0:
                    yield wait
                    continue
                ticket = Ticket(KEY, now[0])
                yield round_trip / 2
                accepted = account.admit(now[0])
                yield round_trip / 2
                limiter.record(ticket, throttled=not accepted)
                if accepted:
                    break
                yield rng.uniform(0, min(10.0, 0.2 * 2**attempt))
                attempt += 1

    for stack in range(stacks):
        limiter, todo = RateLimiter(clock=lambda: now[0]), [tasks]
        for _ in range(PARALLEL):
            heapq.heappush(queue, (starts[stack], next(order), create(limiter, todo)))
    while queue:
        now[0], _, process = heapq.heappop(queue)
        delay = next(process, None)
        if delay is not None:
            heapq.heappush(queue, (now[0] + delay, next(order), process))
    return account


def summary(account: Account) -> dict[str, float]:
    """Calls, refused calls and their share, and the accepted calls' rate from the first call to the last accepted
    one as a share of the limit."""
    accepted = [when for when, ok in account.log if ok]
    calls = len(account.log)
    return {
        "calls": calls,
        "refused": calls - len(accepted),
        "refused_share": (calls - len(accepted)) / calls,
        "aggregate_share": len(accepted) / (accepted[-1] - account.log[0][0]) / account.rate,
    }
