"""The MPS model: every rule of the emulated service, testable without a socket.

Validation from the schema, SessionId dedup, task lifecycle on the virtual clock, the 7-day visibility,
DescribeTasks paging and ManageTask's abort rules; the test controls are in ``_controls``.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .._schema import load_schema
from ._clock import VirtualClock, parse_iso
from ._errors import (
    DuplicateSession,
    InvalidAction,
    InvalidParameterValue,
    NotProcessingTask,
    TaskIdNotFound,
    TaskNotFound,
)
from ._kinds import KINDS, kind_of
from ._notify import parse_handlers
from ._results import ResultBuilder, failing_kind, task_kind, task_status
from ._secrets import mask, secret_names
from ._store import Store, TaskRecord
from ._templates import Configs, template_kinds
from ._validate import Validator
from ._workflows import CHECKS as workflow_checks
from ._workflows import KINDS as workflow_kinds

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
CLOCK_KEY = "clock_offset"


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


class Backend:
    """All state and rules of the emulated MPS API (thread-safe)."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        accounts: Iterable[Account] | None = None,
        durations: Durations | None = None,
    ) -> None:
        self.schema = load_schema()
        self.store = store or Store()
        self.durations = durations or Durations()
        self.accounts: dict[str, Account] = {a.secret_id: a for a in (accounts or [DEFAULT_ACCOUNT])}
        self.clock = VirtualClock(float(self.store.get_meta(CLOCK_KEY) or 0.0))
        self.actions: dict[str, str] = {name: spec["input"] for name, spec in self.schema["actions"].items()}
        self.secrets = secret_names(self.schema)
        self.lock = threading.RLock()
        self._validator = Validator(self.schema)
        self._results = ResultBuilder(self.schema, self.secrets)
        self._handlers: dict[str, Callable[[dict[str, Any], Account], dict[str, Any]]] = {
            **{action: functools.partial(self._submit, action) for action in KINDS},
            "DescribeTaskDetail": self._describe_task_detail,
            "DescribeTasks": self._describe_tasks,
            "ManageTask": self._manage_task,
            **parse_handlers(self._results),
        }
        kinds = [*template_kinds(self.schema), *workflow_kinds]
        self.configs = Configs(
            self.schema,
            self.store,
            self.clock,
            self.lock,
            self._results,
            self.secrets,
            kinds,
            workflow_checks,
        )
        self._handlers.update(self.configs.handlers())
        # Called with the TaskId and the request as sent (secrets included) when a task is created, and with the
        # TaskId and None when ManageTask changes its status: how ``_notify`` learns of tasks to notify about.
        self.task_hooks: list[Callable[[str, dict[str, Any] | None], None]] = []

    def close(self) -> None:
        self.store.close()

    def account(self, secret_id: str) -> Account | None:
        return self.accounts.get(secret_id)

    def call(self, action: str, params: dict[str, Any], account: Account) -> dict[str, Any]:
        """Validate ``params`` and run ``action``; the answer without RequestId, or :class:`EmulatorError`."""
        handler = self._handlers.get(action)
        if handler is None:
            raise InvalidAction(f"The action `{action}` is not supported by the emulator.")
        self._validator.validate(self.actions[action], params)
        return handler(params, account)

    def reset(self) -> None:
        """Forget every task, dedup record, configuration object and the clock offset."""
        with self.lock:
            self.store.reset()
            self.clock.reset()

    def _task_changed(self, task_id: str, params: dict[str, Any] | None) -> None:
        for hook in self.task_hooks:
            hook(task_id, params)

    def _submit(self, action: str, params: dict[str, Any], account: Account) -> dict[str, Any]:
        return {"TaskId": self._create(action, params, account)}

    def _create(self, action: str, params: dict[str, Any], account: Account) -> str:
        kind = kind_of(action, params)
        session_id = params.get("SessionId") or ""
        failing, _ = failing_kind(kind, params)
        waiting = getattr(self.durations, kind.durations[0])
        # A failing source fails within the media processing span, whatever the kind (a live task too).
        processing = getattr(self.durations, "media_processing" if failing else kind.durations[1])
        appid = str(account.appid)
        with self.lock, self.store.transaction():
            now = self.clock.now()
            templates = self.configs.task_templates(action, params, appid)
            if session_id:
                window = kind.dedup_window
                previous = self.store.get_dedup(appid, action, session_id)
                if previous is not None and previous.created > now - window:
                    raise DuplicateSession(
                        f"The SessionId `{session_id}` was already used by a {action} request "
                        f"in the last {window / 86400:g} days; the request was deduplicated."
                    )
            task_id = f"{appid}-{kind.id_infix}-{uuid.uuid4().hex}"
            self.store.insert_task(
                TaskRecord(
                    task_id=task_id,
                    appid=appid,
                    secret_id=account.secret_id,
                    action=action,
                    session_id=session_id,
                    created=now,
                    begin_at=now + waiting,
                    finish_at=now + waiting + processing,
                    aborted_at=None,
                    failing=failing,
                    request=mask(params, self.secrets),
                )
            )
            if session_id:
                self.store.put_dedup(appid, action, session_id, now, task_id)
            if templates:
                self.store.put_task_templates(task_id, templates)
        self._task_changed(task_id, params)
        return task_id

    def _visible_task(
        self, task_id: str, account: Account, now: float, error: type[TaskNotFound] = TaskNotFound
    ) -> TaskRecord:
        """The task, if this account may see it now; else ``error`` (each action's own code)."""
        task = self.store.get_task(task_id)
        if task is None or task.appid != str(account.appid) or task.created <= now - TASK_RETENTION_SECONDS:
            raise error(f"The task `{task_id}` does not exist.")
        return task

    def _describe_task_detail(self, params: dict[str, Any], account: Account) -> dict[str, Any]:
        now = self.clock.now()
        task = self._visible_task(params["TaskId"], account, now)
        return self._results.detail(task, now, self.store.get_task_templates(task.task_id))

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
            str(account.appid),
            status=params["Status"],
            now=now,
            created_after=now - TASK_RETENTION_SECONDS,
            start=start,
            end=None if end is None else end + 1,
            failed=params.get("SubTaskHasFailed"),
            cursor=cursor,
            limit=limit + 1,
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
        with self.lock, self.store.transaction():
            now = self.clock.now()
            task = self._visible_task(params["TaskId"], account, now, TaskIdNotFound)
            status = task_status(task, now)
            kind = task_kind(task)
            if status not in kind.abortable:
                allowed = " or ".join(sorted(kind.abortable, reverse=True))
                raise NotProcessingTask(
                    f"The task `{task.task_id}` is {status}: only a {allowed} "
                    f"{kind.label} task can be aborted."
                )
            begin = task.begin_at if task.begin_at is not None and task.begin_at <= now else None
            self.store.update_task_times(task.task_id, begin, now, now)
        self._task_changed(task.task_id, None)
        return {}


def _time_param(params: Mapping[str, Any], name: str) -> float | None:
    text = params.get(name)
    if not text:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        raise InvalidParameterValue(f"The parameter `{name}` is not an ISO 8601 time.") from None
