"""The test controls behind the admin endpoints: rate limit, faults, request log, clock, task list, notifications,
reset.

Kept apart from the MPS model (``_backend``) as moto keeps its ``moto_api``; the endpoints are listed in the
package docstring.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from ._backend import CLOCK_KEY, TASK_RETENTION_SECONDS, Account, Backend
from ._clock import format_iso, format_iso_ms, parse_iso
from ._errors import RateLimited
from ._faults import Admission, Faults
from ._notify import Notifier
from ._results import task_kind, task_status
from ._secrets import mask
from ._uploads import upload

DEFAULT_RATE_LIMIT = 100
REQUEST_LOG_SIZE = 10_000


class RateLimiter:
    """A token bucket per key: ``rate`` calls per second, bursts up to ``rate``; 0 turns it off."""

    def __init__(self, rate: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._monotonic = monotonic
        self._buckets: dict[Any, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: Any) -> bool:
        rate = self.rate
        if rate <= 0:
            return True
        now = self._monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(rate), now))
            tokens = min(float(rate), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        return allowed

    def reset(self, rate: int | None = None) -> None:
        with self._lock:
            self._buckets.clear()
            if rate is not None:
                self.rate = rate


class Controls:
    """The admin side of one :class:`Backend` (thread-safe): what the HTTP layer checks around each call, and
    one method per admin endpoint."""

    def __init__(
        self,
        backend: Backend,
        *,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        request_log_size: int = REQUEST_LOG_SIZE,
    ) -> None:
        self.backend = backend
        self.faults = Faults(backend.actions)
        self.notifier = Notifier(backend)
        self._initial_rate_limit = rate_limit
        self._limiter = RateLimiter(rate_limit)
        self._requests: deque[dict[str, Any]] = deque(maxlen=request_log_size)
        self._lock = threading.Lock()

    def admit(self, action: str, account: Account) -> Admission:
        """The rate limit (raises ``RequestLimitExceeded``) and the fault rules that fire for this call."""
        if not self._limiter.allow((account.appid, action)):
            raise RateLimited(f"The request rate of {action} exceeds {self._limiter.rate} per second.")
        return self.faults.fire(action)

    def record_request(
        self,
        *,
        request_id: str,
        action: str | None,
        secret_id: str | None,
        params: Any,
        error: str | None,
        dropped: bool = False,
        token: bool = False,
    ) -> None:
        """Append to the request log (secret members masked; of a token only whether one was sent)."""
        now = time.time()
        entry = {
            "RequestId": request_id,
            "Time": format_iso_ms(now),
            "VirtualTime": format_iso(now + self.backend.clock.offset),
            "Action": action,
            "SecretId": secret_id,
            "Params": mask(params, self.backend.secrets),
            "Error": error,
            "Dropped": dropped,
            "Token": token,
        }
        with self._lock:
            self._requests.append(entry)

    def requests(self, action: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._requests if action is None or r["Action"] == action]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def tasks(self) -> list[dict[str, Any]]:
        """Every stored task (expired ones too) with its account, status, flags and masked request."""
        now = self.backend.clock.now()
        out = []
        for task in self.backend.store.all_tasks():
            begin = task.begin_at if task.begin_at is not None and task.begin_at <= now else None
            out.append(
                {
                    "TaskId": task.task_id,
                    "Action": task.action,
                    "TaskType": task_kind(task).task_type,
                    "AppId": int(task.appid),
                    "SecretId": task.secret_id,
                    "SessionId": task.session_id,
                    "Status": task_status(task, now),
                    "Aborted": task.aborted_at is not None,
                    "Failing": task.failing,
                    "Expired": task.created <= now - TASK_RETENTION_SECONDS,
                    "CreateTime": format_iso(task.created),
                    "BeginProcessTime": format_iso(begin),
                    "FinishTime": format_iso(task.finish_at if task.finish_at <= now else None),
                    "Request": task.request,
                }
            )
        return out

    def templates(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every stored template, workflow and schedule (of ``kind``), oldest first; presets are not stored."""
        return self.backend.configs.listing(kind)

    def upload(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """An object arriving in storage: the tasks the matching workflows and schedules start (``_uploads``)."""
        return upload(self.backend, data)

    def clock_info(self) -> dict[str, Any]:
        clock = self.backend.clock
        now = clock.now()
        return {"now": format_iso(now), "epoch": now, "offset_seconds": clock.offset}

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self._move_clock(lambda clock: clock.advance(seconds))

    def set_clock(self, when: str | float) -> dict[str, Any]:
        epoch = parse_iso(when) if isinstance(when, str) else float(when)
        return self._move_clock(lambda clock: clock.set(epoch))

    def _move_clock(self, move: Callable[[Any], None]) -> dict[str, Any]:
        """Move the clock, then deliver the notifications due at the new time before answering."""
        backend = self.backend
        with backend.lock:
            move(backend.clock)
            backend.store.set_meta(CLOCK_KEY, repr(backend.clock.offset))
        self.notifier.flush()
        return self.clock_info()

    def notifications(self, task_id: str | None = None) -> list[dict[str, Any]]:
        """Every notification delivery (of one task): target, body, state, attempts, answer."""
        return self.notifier.deliveries(task_id)

    def config(self) -> dict[str, Any]:
        return {"rate_limit": self._limiter.rate}

    def configure(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Apply a ``POST /_emulator/config`` body; ValueError when it is not understood."""
        unknown = set(data) - {"rate_limit"}
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        rate_limit = data.get("rate_limit")
        if rate_limit is not None:
            if isinstance(rate_limit, bool) or not isinstance(rate_limit, int) or rate_limit < 0:
                raise ValueError("rate_limit must be a non-negative integer")
            self._limiter.reset(rate_limit)
        return self.config()

    def reset(self) -> None:
        """Forget everything: tasks, dedup records, notifications, clock offset, faults, request log, rate-limit
        settings."""
        with self.notifier.paused():
            self.backend.reset()
            self.notifier.forget()
        self.faults.clear()
        self.clear_requests()
        self._limiter.reset(self._initial_rate_limit)
