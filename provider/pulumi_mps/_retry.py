"""Which failed API calls are tried again, how long to wait in between, and the budget all retries share.

botocore's standard retry mode is the model (``botocore/retries/standard.py`` and ``quota.py``):

- an error code is retried when trying again can succeed: the network (``ClientNetworkError``), a server or
  gateway failure (``ServerNetworkError``, ``InternalError``) or throttling (``RequestLimitExceeded``); never a
  bad request, a failed signature, or an answer that is not MPS's (``ClientError...``);
- at most ``max_attempts`` attempts per call, with "full jitter" exponential backoff, none started after the
  call's deadline;
- every retry takes capacity from one :class:`RetryQuota` per provider process and settings (botocore: one
  per client), which a call answered at its first attempt puts back a little of and a call that succeeds
  after retrying puts back what its last retry took. When the endpoint is down, the first failures spend it
  and every later call fails at its first error: an ``up`` of hundreds of tasks against a dead endpoint ends
  within seconds, not hundreds of times the deadline.

:func:`poll` waits for a condition until a deadline (``wait_for_completion``). Clock, sleep and randomness are
injected, so that all of it is tested without an emulator (``tests/unit/test_retry.py``).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ._errors import ApiError

T = TypeVar("T")

RETRYABLE_CODES = ("ClientNetworkError", "ServerNetworkError", "InternalError", "RequestLimitExceeded")
# Failures after which MPS may still have carried out the call: the request may have arrived and only the answer
# was lost (a dropped connection, a gateway error, an InternalError raised after the task was stored).
MAY_HAVE_RUN_CODES = ("ClientNetworkError", "ServerNetworkError", "InternalError")
# Failures of the connection itself: a retry of these costs more of the budget (botocore's timeout cost).
TRANSPORT_CODES = ("ClientNetworkError",)


def _is(code: str, codes: tuple[str, ...]) -> bool:
    return any(code == c or code.startswith(c + ".") for c in codes)


def is_retryable(code: str) -> bool:
    """Whether a call that failed with ``code`` may succeed when tried again."""
    return _is(code, RETRYABLE_CODES)


def may_have_run(code: str) -> bool:
    """Whether MPS may have carried out a call that failed with ``code`` (its answer was lost)."""
    return _is(code, MAY_HAVE_RUN_CODES)


class RetryQuota:
    """The capacity left for retries, shared by every call with one Settings (botocore's ``RetryQuota``)."""

    INITIAL_CAPACITY = 500
    RETRY_COST = 5
    TRANSPORT_RETRY_COST = 10
    NO_RETRY_INCREMENT = 1

    def __init__(self, capacity: int = INITIAL_CAPACITY) -> None:
        self.capacity = capacity
        self._available = capacity
        self._lock = threading.Lock()

    @property
    def available(self) -> int:
        return self._available

    def cost(self, code: str) -> int:
        return self.TRANSPORT_RETRY_COST if _is(code, TRANSPORT_CODES) else self.RETRY_COST

    def acquire(self, amount: int) -> bool:
        """Take ``amount`` for one retry; False (nothing taken) when less is left."""
        with self._lock:
            if amount > self._available:
                return False
            self._available -= amount
            return True

    def release(self, amount: int) -> None:
        """Give back ``amount`` (never beyond the capacity)."""
        with self._lock:
            self._available = min(self.capacity, self._available + amount)

    def reset(self) -> None:
        with self._lock:
            self._available = self.capacity


@dataclass(frozen=True)
class RetryPolicy:
    """At most ``max_attempts`` attempts, none started more than ``deadline_s`` after the first; before retry n
    (1-based) a random wait between 0 and min(``cap_s``, ``base_s`` * 2**(n-1)) ("full jitter")."""

    max_attempts: int = 8
    deadline_s: float = 120.0
    base_s: float = 0.2
    cap_s: float = 10.0

    def delay(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        return rand() * min(self.cap_s, self.base_s * 2.0 ** (retry - 1))


class Retrier:
    """Runs one API call's attempts under a :class:`RetryPolicy`, drawing retries from a shared quota."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        quota: RetryQuota | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.quota = quota or RetryQuota()
        self.clock = clock
        self.sleep = sleep
        self.rand = rand

    def run(self, attempt: Callable[[], T], *, retry: bool = True) -> T:
        """``attempt()`` until it returns, or raises an :class:`ApiError` that is not to be retried (not
        retryable, ``retry`` False, attempts or deadline used up, quota spent). The error raised records the
        codes of the attempts before it (``ApiError.earlier``) and, when it was retried, says so."""
        started = self.clock()
        earlier: list[str] = []
        taken = 0
        while True:
            try:
                result = attempt()
            except ApiError as error:
                stop = self._stop_reason(error, len(earlier) + 1, started, retry)
                if stop is None:
                    delay = self.policy.delay(len(earlier) + 1, self.rand)
                    if self.clock() + delay > started + self.policy.deadline_s:
                        stop = f"the call's {self.policy.deadline_s:.0f} s retry deadline is reached"
                    elif not self.quota.acquire(self.quota.cost(error.code)):
                        stop = (
                            "this process's retry budget is spent by earlier failures (is the endpoint down?)"
                        )
                    else:
                        taken = self.quota.cost(error.code)
                        earlier.append(error.code)
                        self.sleep(delay)
                        continue
                if error.answered and not is_retryable(error.code):
                    self.quota.release(taken or self.quota.NO_RETRY_INCREMENT)  # MPS answered: it is up
                error.gave_up(tuple(earlier), self.clock() - started, stop)
                raise
            self.quota.release(taken or self.quota.NO_RETRY_INCREMENT)
            return result

    def _stop_reason(self, error: ApiError, attempts: int, started: float, retry: bool) -> str | None:
        """Why ``error`` ends the call (None: try again); "" when it is simply not retryable."""
        if not retry or not is_retryable(error.code):
            return ""
        if attempts >= self.policy.max_attempts:
            return f"{attempts} attempts made"
        return None


def poll(
    probe: Callable[[], T | None],
    timeout_s: float,
    *,
    first_s: float = 1.0,
    factor: float = 1.5,
    cap_s: float = 30.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[T | None, float]:
    """Call ``probe`` now and then after waits growing from ``first_s`` by ``factor`` up to ``cap_s``, until it
    returns something other than None; the last wait is cut to end at the deadline, where ``probe`` is called one
    last time. Returns (what ``probe`` returned or None, the seconds actually waited)."""
    started = clock()
    deadline = started + timeout_s
    delay = first_s
    while True:
        result = probe()
        now = clock()
        if result is not None or now >= deadline:
            return result, now - started
        sleep(min(delay, deadline - now))
        delay = min(delay * factor, cap_s)


# The policy of the provider's calls (each Settings' Retrier starts with it, ``_client.ProcessState``).
DEFAULT_POLICY = RetryPolicy()
