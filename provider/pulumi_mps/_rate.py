"""Client-side pacing of API calls that adapts to the account's limit, shared by the calls of a provider process
with one Settings (``_client.ProcessState``).

A token bucket per account, region, endpoint and action, whose rate a CUBIC controller lowers when MPS answers
``RequestLimitExceeded`` and probes back up while calls are accepted (botocore's adaptive retry mode).

What is taken from botocore, what is done differently and why: bench/RESULTS.md, section 7.

The clock and the sleep are injected (``RateLimiter(clock=..., sleep=...)``): tests and models run in virtual
time.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

# CUBIC's constants: the probe's scale (calls/s per s^3; see above) and the decrease (botocore's).
SCALE = 1.0
BETA = 0.7
# The slowest pace a refused client drops to, in calls a second (botocore's).
MIN_RATE = 0.5
# The window over which accepted and sent calls are counted.
WINDOW_S = 1.0


@dataclass(frozen=True)
class Ticket:
    """One call let through: what :meth:`RateLimiter.record` needs to learn from its answer."""

    key: Hashable
    sent_at: float


class _Pace:
    """The pacing of one key: a token bucket, and a CUBIC controller once MPS has refused a call."""

    def __init__(self, ceiling: float, now: float) -> None:
        self.ceiling = ceiling
        self.rate = ceiling
        self.capacity = ceiling
        self.tokens = 1.0
        self.stamp = now
        self.adapting = False
        self.w_max = ceiling
        self.k = 0.0
        self.last_decrease = float("-inf")
        self.sent: deque[float] = deque()
        self.accepted: deque[float] = deque()

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def set_rate(self, rate: float, now: float) -> None:
        self.refill(now)
        self.rate = max(MIN_RATE, min(rate, self.ceiling))
        self.capacity = max(1.0, self.rate)
        self.tokens = min(self.tokens, self.capacity)

    def set_ceiling(self, ceiling: float, now: float) -> None:
        if ceiling != self.ceiling:
            self.ceiling = ceiling
            self.set_rate(self.rate if self.adapting else ceiling, now)

    def count(self, times: deque[float], now: float) -> float:
        while times and times[0] <= now - WINDOW_S:
            times.popleft()
        return len(times) / WINDOW_S

    def cubic(self, now: float) -> float:
        return SCALE * (now - self.last_decrease - self.k) ** 3 + self.w_max

    def throttled(self, ticket: Ticket, now: float) -> None:
        if ticket.sent_at <= self.last_decrease:
            return  # sent before the last decrease, which already answered this episode
        self.w_max = max(MIN_RATE, min(self.count(self.accepted, now), self.rate))
        self.k = (self.w_max * (1 - BETA) / SCALE) ** (1 / 3)
        self.last_decrease = now
        self.adapting = True
        self.set_rate(self.w_max * BETA, now)

    def accepted_call(self, now: float) -> None:
        self.accepted.append(now)
        self.count(self.accepted, now)
        if not self.adapting:
            return
        rate = min(self.cubic(now), 2 * max(self.count(self.sent, now), MIN_RATE))
        if rate >= self.ceiling:
            self.adapting = False  # back on the fixed limiter
        self.set_rate(rate, now)


class RateLimiter:
    """Paces calls per key (account, region, endpoint, action) below a ceiling given with each call (calls a
    second, 0 = no pacing), lowering the pace when MPS refuses calls (:meth:`record`)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._paces: dict[Hashable, _Pace] = {}
        self._lock = threading.Lock()

    def reserve(self, key: Hashable, ceiling: float) -> float:
        """Take a token for one call now (0.0) or say how many seconds to wait before asking again."""
        if ceiling <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            pace = self._paces.get(key)
            if pace is None:
                pace = self._paces[key] = _Pace(ceiling, now)
            pace.set_ceiling(ceiling, now)
            pace.refill(now)
            if pace.tokens >= 1 - 1e-9:  # what float rounding leaves of a whole token
                pace.tokens -= 1
                pace.sent.append(now)
                pace.count(pace.sent, now)
                return 0.0
            return (1 - pace.tokens) / pace.rate

    def acquire(self, key: Hashable, ceiling: float) -> Ticket:
        """Wait for a token; the ticket to :meth:`record` the call's answer with."""
        while True:
            wait = self.reserve(key, ceiling)
            if wait <= 0:
                return Ticket(key, self._clock())
            self._sleep(wait)

    def record(self, ticket: Ticket, *, throttled: bool) -> None:
        """Learn from a call's answer: ``throttled`` when MPS refused it with RequestLimitExceeded. Answers that
        say nothing about the rate (network errors, other API errors) need not be recorded."""
        with self._lock:
            pace = self._paces.get(ticket.key)
            if pace is None:
                return
            now = self._clock()
            if throttled:
                pace.throttled(ticket, now)
            else:
                pace.accepted_call(now)

    def rate(self, key: Hashable) -> float | None:
        """The pace in force for ``key`` (calls a second), None before its first call."""
        with self._lock:
            pace = self._paces.get(key)
            return None if pace is None else pace.rate

    def clear(self) -> None:
        with self._lock:
            self._paces.clear()
