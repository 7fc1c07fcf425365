"""The MPS backend: every rule of the emulated service, testable without a socket.

Validation from the schema, SessionId dedup windows, task lifecycle on the virtual clock, the 7-day
visibility, DescribeTasks paging, ManageTask abort rules, the per-account rate limit, fault-injection
decisions and the request log. The HTTP layer (``_http.py``) only checks signatures and wraps answers.
"""

from __future__ import annotations

import functools
import hashlib
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._schema import load_schema
from ._clock import VirtualClock, format_iso, parse_iso
from ._errors import ApiError
from ._kinds import KINDS, kind_of
from ._results import ResultBuilder, failing_kind, task_kind, task_status
from ._secrets import mask, secret_names
from ._store import Store, TaskRecord
from ._validate import Validator

DEFAULT_SECRET_ID = "AKIDMPSEMULATORDEFAULT0000000000000000"
DEFAULT_SECRET_KEY = "mps-emulator-default-secret-key"
DEFAULT_APPID = 1250000000

MEDIA_WAITING_SECONDS = 5.0
MEDIA_PROCESSING_SECONDS = 10.0
LIVE_WAITING_SECONDS = 5.0
LIVE_PROCESSING_SECONDS = 12 * 3600.0
EDIT_WAITING_SECONDS = 5.0
EDIT_PROCESSING_SECONDS = 10.0
TASK_RETENTION_SECONDS = 7 * 86400.0
DEDUP_WINDOW_SECONDS = {action: kind.dedup_window for action, kind in KINDS.items()}
DEFAULT_RATE_LIMIT = 100
REQUEST_LOG_SIZE = 10_000

_CLOCK_KEY = "clock_offset"
_FAULT_KEYS = {"action", "count", "code", "message", "mode", "latency_ms", "probability", "seed", "http_status"}
_FAULT_MODES = ("error", "accept_then_drop", "not_mps", "latency")


@dataclass(frozen=True)
class Account:
    """A SecretId / SecretKey pair of one MPS account (AppId); several pairs may share an AppId."""

    secret_id: str
    secret_key: str
    appid: int

    @classmethod
    def parse(cls, text: str) -> Account:
        """``SECRET_ID:SECRET_KEY[:APPID]``; without an AppId one is derived from the SecretId."""
        parts = text.split(":")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"expected SECRET_ID:SECRET_KEY[:APPID], got {text!r}")
        if len(parts) >= 3 and parts[-1].isdigit():
            return cls(parts[0], ":".join(parts[1:-1]), int(parts[-1]))
        return cls(parts[0], ":".join(parts[1:]), derive_appid(parts[0]))


def derive_appid(secret_id: str) -> int:
    """A stable 10-digit AppId for an account given without one."""
    return 1300000000 + int(hashlib.sha256(secret_id.encode("utf-8")).hexdigest(), 16) % 100_000_000


DEFAULT_ACCOUNT = Account(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, DEFAULT_APPID)


@dataclass(frozen=True)
class Durations:
    """How long tasks stay in each status (virtual seconds)."""

    media_waiting: float = MEDIA_WAITING_SECONDS
    media_processing: float = MEDIA_PROCESSING_SECONDS
    live_waiting: float = LIVE_WAITING_SECONDS
    live_processing: float = LIVE_PROCESSING_SECONDS
    edit_waiting: float = EDIT_WAITING_SECONDS
    edit_processing: float = EDIT_PROCESSING_SECONDS


@dataclass
class Admission:
    """What the HTTP layer does around one admitted call: wait, fail, answer nothing, or answer a web page (the
    HTTP status in ``not_mps``, as a web server or proxy at the endpoint's address would)."""

    latency: float = 0.0
    error: ApiError | None = None
    drop: bool = False
    not_mps: int | None = None


@dataclass
class FaultRule:
    """One injected fault; ``remaining`` None means "until cleared"."""

    id: int
    action: str
    mode: str
    code: str | None
    message: str | None
    latency_ms: float
    remaining: int | None
    probability: float | None
    seed: int | None
    http_status: int | None = None
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "action": self.action, "mode": self.mode, "code": self.code,
                "message": self.message, "latency_ms": self.latency_ms, "remaining": self.remaining,
                "probability": self.probability, "seed": self.seed, "http_status": self.http_status,
                "fired": self.fired}


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


class Backend:
    """All state and rules of the emulated MPS API (thread-safe)."""

    def __init__(self, store: Store | None = None, *, accounts: Iterable[Account] | None = None,
                 rate_limit: int = DEFAULT_RATE_LIMIT, durations: Durations | None = None,
                 request_log_size: int = REQUEST_LOG_SIZE) -> None:
        self.schema = load_schema()
        self.store = store or Store()
        self.durations = durations or Durations()
        self.accounts: dict[str, Account] = {a.secret_id: a for a in (accounts or [DEFAULT_ACCOUNT])}
        self.clock = VirtualClock(float(self.store.get_meta(_CLOCK_KEY) or 0.0))
        self.actions: dict[str, str] = {name: spec["input"] for name, spec in self.schema["actions"].items()}
        self._initial_rate_limit = rate_limit
        self._limiter = RateLimiter(rate_limit)
        self._validator = Validator(self.schema)
        self._secrets = secret_names(self.schema)
        self._results = ResultBuilder(self.schema, self._secrets)
        self._faults: list[FaultRule] = []
        self._fault_ids = 0
        self._lock = threading.RLock()
        self._requests: deque[dict[str, Any]] = deque(maxlen=request_log_size)
        self._handlers: dict[str, Callable[[dict[str, Any], Account], dict[str, Any]]] = {
            **{action: functools.partial(self._submit, action) for action in KINDS},
            "DescribeTaskDetail": self._describe_task_detail,
            "DescribeTasks": self._describe_tasks,
            "ManageTask": self._manage_task,
        }

    def close(self) -> None:
        self.store.close()

    def account(self, secret_id: str) -> Account | None:
        return self.accounts.get(secret_id)

    def admit(self, action: str, account: Account) -> Admission:
        """The rate limit (raises ``RequestLimitExceeded``) and the fault rules that fire for this call."""
        if not self._limiter.allow((account.appid, action)):
            raise ApiError("RequestLimitExceeded",
                           f"The request rate of {action} exceeds {self._limiter.rate} per second.")
        admission = Admission()
        outcome: FaultRule | None = None
        with self._lock:
            for rule in list(self._faults):
                if rule.action not in (action, "*") or (outcome is not None and rule.mode != "latency"):
                    continue
                if rule.probability is not None and rule.rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._faults.remove(rule)
                admission.latency += rule.latency_ms / 1000.0
                if rule.mode != "latency":
                    outcome = rule
        if outcome is not None and outcome.mode == "error":
            admission.error = ApiError(outcome.code or "InternalError", outcome.message or "emulator: injected fault")
        elif outcome is not None and outcome.mode == "not_mps":
            admission.not_mps = outcome.http_status or 200
        elif outcome is not None:
            admission.drop = True
        return admission

    def call(self, action: str, params: dict[str, Any], account: Account) -> dict[str, Any]:
        """Validate ``params`` and run ``action``; the answer without RequestId, or :class:`ApiError`."""
        handler = self._handlers.get(action)
        if handler is None:
            raise ApiError("InvalidAction", f"The action `{action}` is not supported by the emulator.")
        self._validator.validate(self.actions[action], params)
        return handler(params, account)

    def record_request(self, *, request_id: str, action: str | None, secret_id: str | None,
                       params: Any, error: str | None, dropped: bool = False, token: bool = False) -> None:
        """Append to the request log (secret members masked; of a token only whether one was sent)."""
        now = time.time()
        entry = {
            "RequestId": request_id,
            "Time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z",
            "VirtualTime": format_iso(now + self.clock.offset),
            "Action": action,
            "SecretId": secret_id,
            "Params": mask(params, self._secrets),
            "Error": error,
            "Dropped": dropped,
            "Token": token,
        }
        with self._lock:
            self._requests.append(entry)

    def _submit(self, action: str, params: dict[str, Any], account: Account) -> dict[str, Any]:
        return {"TaskId": self._create(action, params, account)}

    def _create(self, action: str, params: dict[str, Any], account: Account) -> str:
        kind = kind_of(action, params)
        session_id = params.get("SessionId") or ""
        failing, _ = failing_kind(action, params)
        waiting = getattr(self.durations, kind.durations[0])
        # A failing source fails within the media processing span, whatever the kind (a live task too).
        processing = getattr(self.durations, "media_processing" if failing else kind.durations[1])
        appid = str(account.appid)
        with self._lock, self.store.transaction():
            now = self.clock.now()
            if session_id:
                window = kind.dedup_window
                previous = self.store.get_dedup(appid, action, session_id)
                if previous is not None and previous.created > now - window:
                    raise ApiError("InvalidParameterValue.SessionId",
                                   f"The SessionId `{session_id}` was already used by a {action} request in "
                                   f"the last {window / 86400:g} days; the request was deduplicated.")
            task_id = f"{appid}-{kind.id_infix}-{uuid.uuid4().hex}"
            self.store.insert_task(TaskRecord(
                task_id=task_id, appid=appid, secret_id=account.secret_id, action=action, session_id=session_id,
                created=now, begin_at=now + waiting, finish_at=now + waiting + processing, aborted_at=None,
                failing=failing, request=mask(params, self._secrets),
            ))
            if session_id:
                self.store.put_dedup(appid, action, session_id, now, task_id)
        return task_id

    def _visible_task(self, task_id: str, account: Account, now: float, code: str = "ResourceNotFound") -> TaskRecord:
        """The task, if this account may see it now; else ``code`` (DescribeTaskDetail's list in the SDK names
        ResourceNotFound, ManageTask's InvalidParameterValue.TaskId)."""
        task = self.store.get_task(task_id)
        if task is None or task.appid != str(account.appid) or task.created <= now - TASK_RETENTION_SECONDS:
            raise ApiError(code, f"The task `{task_id}` does not exist.")
        return task

    def _describe_task_detail(self, params: dict[str, Any], account: Account) -> dict[str, Any]:
        now = self.clock.now()
        return self._results.detail(self._visible_task(params["TaskId"], account, now), now)

    def _describe_tasks(self, params: dict[str, Any], account: Account) -> dict[str, Any]:
        now = self.clock.now()
        limit = int(params.get("Limit") or 10)
        token = params.get("ScrollToken") or ""
        cursor = self._cursor(token, account)
        if token and cursor is None:
            return {"TaskSet": [], "ScrollToken": "", "TotalCount": 0}
        start = _time_param(params, "StartTime")
        end = _time_param(params, "EndTime")
        tasks, total = self.store.list_tasks(
            str(account.appid), status=params["Status"], now=now, created_after=now - TASK_RETENTION_SECONDS,
            start=start, end=None if end is None else end + 1, failed=params.get("SubTaskHasFailed"),
            cursor=cursor, limit=limit + 1,
        )
        more = len(tasks) > limit
        return {
            "TaskSet": [self._results.simple(t, now) for t in tasks[:limit]],
            "ScrollToken": tasks[limit].task_id if more else "",
            "TotalCount": total,
        }

    def _cursor(self, token: str, account: Account) -> tuple[float, int] | None:
        """Where a page starts: the ScrollToken is the TaskId of its first task (examples.json: "taskId6")."""
        task = self.store.get_task(token) if token else None
        if task is None or task.appid != str(account.appid):
            return None
        return task.created, task.seq + 1

    def _manage_task(self, params: dict[str, Any], account: Account) -> dict[str, Any]:
        with self._lock, self.store.transaction():
            now = self.clock.now()
            task = self._visible_task(params["TaskId"], account, now, "InvalidParameterValue.TaskId")
            status = task_status(task, now)
            kind = task_kind(task)
            if status not in kind.abortable:
                allowed = " or ".join(sorted(kind.abortable, reverse=True))
                # ManageTask's error list in the SDK: InvalidParameterValue.NotProcessingTask.
                raise ApiError("InvalidParameterValue.NotProcessingTask",
                               f"The task `{task.task_id}` is {status}: only a {allowed} "
                               f"{kind.label} task can be aborted.")
            begin = task.begin_at if task.begin_at is not None and task.begin_at <= now else None
            self.store.update_task_times(task.task_id, begin, now, now)
        return {}

    def add_fault(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Register a fault rule from an admin request body; ValueError when the body is not understood."""
        unknown = set(spec) - _FAULT_KEYS
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}")
        action = spec.get("action")
        if action != "*" and action not in self.actions:
            raise ValueError(f"action must be one of {sorted(self.actions)} or '*', got {action!r}")
        latency = _number(spec, "latency_ms", 0.0, minimum=0.0)
        mode = spec.get("mode") or ("error" if spec.get("code") else "latency" if latency else None)
        if mode not in _FAULT_MODES:
            raise ValueError(f"mode must be one of {_FAULT_MODES} (or give code or latency_ms), got {mode!r}")
        probability = spec.get("probability")
        if probability is not None and (not isinstance(probability, (int, float)) or not 0 <= probability <= 1):
            raise ValueError("probability must be a number between 0 and 1")
        count = spec.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
            raise ValueError("count must be a positive integer")
        if count is None and probability is None:
            count = 1
        seed = spec.get("seed")
        http_status = spec.get("http_status")
        if http_status is not None and (not isinstance(http_status, int) or not 200 <= http_status <= 599
                                        or mode != "not_mps"):
            raise ValueError("http_status must be an HTTP status from 200 to 599, with mode not_mps")
        with self._lock:
            self._fault_ids += 1
            rule = FaultRule(id=self._fault_ids, action=action, mode=mode,
                             code=(spec.get("code") or "InternalError") if mode == "error" else None,
                             message=spec.get("message") if mode == "error" else None, latency_ms=latency,
                             remaining=count, probability=None if probability is None else float(probability),
                             seed=seed, http_status=http_status, rng=random.Random(seed))
            self._faults.append(rule)
        return rule.describe()

    def faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.describe() for rule in self._faults]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def tasks(self) -> list[dict[str, Any]]:
        """Every stored task (expired ones too) with its account, status, flags and masked request."""
        now = self.clock.now()
        out = []
        for task in self.store.all_tasks():
            begin = task.begin_at if task.begin_at is not None and task.begin_at <= now else None
            out.append({
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
            })
        return out

    def requests(self, action: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._requests if action is None or r["Action"] == action]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def clock_info(self) -> dict[str, Any]:
        now = self.clock.now()
        return {"now": format_iso(now), "epoch": now, "offset_seconds": self.clock.offset}

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        with self._lock:
            self.clock.advance(seconds)
            self.store.set_meta(_CLOCK_KEY, repr(self.clock.offset))
        return self.clock_info()

    def set_clock(self, when: str | float) -> dict[str, Any]:
        with self._lock:
            self.clock.set(parse_iso(when) if isinstance(when, str) else float(when))
            self.store.set_meta(_CLOCK_KEY, repr(self.clock.offset))
        return self.clock_info()

    def config(self) -> dict[str, Any]:
        return {"rate_limit": self._limiter.rate}

    def configure(self, *, rate_limit: int | None = None) -> dict[str, Any]:
        if rate_limit is not None:
            if isinstance(rate_limit, bool) or not isinstance(rate_limit, int) or rate_limit < 0:
                raise ValueError("rate_limit must be a non-negative integer")
            self._limiter.reset(rate_limit)
        return self.config()

    def reset(self) -> None:
        """Forget everything: tasks, dedup records, clock offset, faults, request log, rate-limit settings."""
        with self._lock:
            self.store.reset()
            self.clock.reset()
            self._faults.clear()
            self._requests.clear()
            self._limiter.reset(self._initial_rate_limit)


def _time_param(params: Mapping[str, Any], name: str) -> float | None:
    text = params.get(name)
    if not text:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        raise ApiError("InvalidParameterValue", f"The parameter `{name}` is not an ISO 8601 time.") from None


def _number(spec: Mapping[str, Any], key: str, default: float, minimum: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ValueError(f"{key} must be a number >= {minimum}")
    return float(value)
