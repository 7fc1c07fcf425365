"""The MPS API as the provider uses it: :class:`MpsApi`, the calls, each paced (``_rate.py``) and retried
(``_retry.py``) over one HTTP exchange (``_transport.py``); the search behind a duplicate SessionId is in
``_adoption.py``. What a process keeps between calls is one :class:`ProcessState` per Settings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from . import _retry
from ._adoption import RECENT, STATUSES, Adoption, closest_first
from ._errors import ApiError, TaskNotFound
from ._listings import StatusListings
from ._rate import RateLimiter
from ._retry import RETRYABLE_CODES, Retrier, RetryPolicy, is_retryable
from ._settings import Settings
from ._transport import (
    API_SERVICE,
    API_VERSION,
    HTTP_CONNECTIONS,
    REQUEST_TIMEOUT_S,
    Transport,
    format_time,
    parse_time,
    sdk,
    transport_failure,
)

__all__ = [  # kept importable from here
    "API_SERVICE",
    "API_VERSION",
    "HTTP_CONNECTIONS",
    "RECENT",
    "REQUEST_TIMEOUT_S",
    "RETRYABLE_CODES",
    "STATUSES",
    "ApiError",
    "RetryPolicy",
    "closest_first",
    "format_time",
    "is_retryable",
    "parse_time",
    "sdk",
    "transport_failure",
]

# What DescribeTaskDetail answers for a task it does not report (unknown, or older than 7 days). The SDK's
# "possible error codes" for DescribeTaskDetail (tencentcloud-sdk-go mps/v20190612/client.go) are
# ResourceNotFound and InvalidParameterValue, and TaskId is the action's only parameter.
NOT_FOUND_CODES = (
    "ResourceNotFound",
    "ResourceNotFound.TaskNotFound",
    "InvalidParameterValue",
    "InvalidParameterValue.TaskId",
)
DUPLICATE_SESSION = "InvalidParameterValue.SessionId"
THROTTLED = "RequestLimitExceeded"
DESCRIBE_TASKS_LIMIT = 100

Send = Callable[[str, dict[str, Any]], dict[str, Any]]


class ProcessState:
    """What a provider process keeps between the calls made with one Settings: the SDK client, the retry budget,
    the rate limiter (at most the API's 100 ProcessMedia / ProcessLiveStream calls a second per account by default,
    less when MPS refuses calls), the SessionId searches' memory and the refresh's listings."""

    def __init__(
        self, settings: Settings, *, retrier: Retrier | None = None, limiter: RateLimiter | None = None
    ) -> None:
        self.transport = Transport(settings)
        self.retrier = retrier or Retrier(_retry.DEFAULT_POLICY)
        self.limiter = limiter or RateLimiter()
        self.adoption = Adoption()
        self.status_listings = StatusListings()


_states: dict[Settings, ProcessState] = {}
_states_lock = threading.Lock()


def state_of(settings: Settings) -> ProcessState:
    """This process's state for ``settings`` (process memory only), made on first use."""
    state = _states.get(settings)
    if state is None:
        with _states_lock:
            state = _states.setdefault(settings, ProcessState(settings))
    return state


def forget_known_tasks() -> None:
    """Start afresh, as a new provider process does: new clients, retry budgets, limiters, known tasks and
    listings (for tests and benchmarks)."""
    with _states_lock:
        _states.clear()


def sdk_client(settings: Settings) -> Any:
    """The SDK client (``CommonClient`` for mps 2019-06-12) this process uses for ``settings``."""
    return state_of(settings).transport.client


class MpsApi:
    """The calls the provider makes, each through ``send`` (one HTTP exchange: the SDK client of the
    process's state for ``settings`` unless given), paced by the state's limiter and retried by ``retrier``
    (the state's, whose retry budget every call with these settings shares, unless given)."""

    def __init__(
        self,
        settings: Settings,
        retrier: Retrier | None = None,
        *,
        send: Send | None = None,
        state: ProcessState | None = None,
    ) -> None:
        self.settings = settings
        self.state = state or state_of(settings)
        self.retrier = retrier or self.state.retrier
        self.send = send or self.state.transport.send
        self.calls: dict[str, int] = {}

    def call(self, action: str, params: dict[str, Any], *, retry: bool = True) -> dict[str, Any]:
        """One API call (the ``Response`` object); the failures ``_retry`` deems retryable are tried again with the
        same params, within the retry budget."""
        key = (self.settings.secret_id, self.settings.region, self.settings.host, action)
        limiter = self.state.limiter

        def attempt() -> dict[str, Any]:
            ticket = limiter.acquire(key, self.settings.rate_limit)
            self.calls[action] = self.calls.get(action, 0) + 1
            try:
                answer = self.send(action, params)
            except ApiError as error:
                # MPS answered: it let the call through, or refused it for the account's rate.
                if error.answered:
                    limiter.record(ticket, throttled=error.code == THROTTLED)
                raise
            limiter.record(ticket, throttled=False)
            return answer

        return self.retrier.run(attempt, retry=retry)

    def submit(self, action: str, params: dict[str, Any]) -> str:
        task_id: str = self.call(action, params)["TaskId"]
        self.state.adoption.known.remember(task_id, params.get("SessionId") or "")
        return task_id

    def task_detail(self, task_id: str) -> dict[str, Any]:
        try:
            detail = self.call("DescribeTaskDetail", {"TaskId": task_id})
        except ApiError as exc:
            if exc.code in NOT_FOUND_CODES:
                raise TaskNotFound(f"MPS does not know task {task_id} ({exc.code}: {exc.message})") from exc
            raise
        self.state.adoption.known.remember(task_id, detail.get("SessionId") or "")
        return detail

    def session_of(self, task_id: str) -> str:
        """The SessionId of a task ("" for none), described at most once per process; TaskNotFound when MPS no
        longer reports it."""
        return self.state.adoption.session_of(self, task_id)

    def abort(self, task_id: str) -> None:
        self.call("ManageTask", {"OperationType": "Abort", "TaskId": task_id})

    def list_tasks(
        self, status: str, start: datetime | None = None, end: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """TaskSimpleInfo items of one status created between ``start`` and ``end`` (inclusive, to the second),
        newest first, following ScrollToken to the end."""
        params: dict[str, Any] = {"Status": status, "Limit": DESCRIBE_TASKS_LIMIT}
        if start is not None:
            params["StartTime"] = format_time(start)
        if end is not None:
            params["EndTime"] = format_time(end)
        while True:
            page = self.call("DescribeTasks", params)
            yield from page.get("TaskSet") or []
            token = page.get("ScrollToken")
            if not token:
                return
            params = {**params, "ScrollToken": token}

    def still_listed(self, task_id: str, status: str, created: datetime) -> bool:
        """Whether a recent DescribeTasks listing of ``status`` holds the task created at ``created``: the
        listing the Reads running at the same time share (``ProcessState.status_listings``), read newest first
        down to the second the task was created in, fetching pages as needed."""
        listing = self.state.status_listings.get(self.settings, status, lambda: self.list_tasks(status))
        for item in listing:
            if item.get("TaskId") == task_id:
                return True
            listed_created = parse_time(item.get("CreateTime"))
            if listed_created is not None and listed_created < created:
                return False
        return False

    def find_by_session(
        self, session_id: str, task_types: tuple[str, ...], window: timedelta, submitted_at: datetime
    ) -> str:
        """The TaskId of the task carrying ``session_id`` (``Adoption.find_by_session``); DuplicateNotFound when
        none of the tasks MPS reports carries it."""
        return self.state.adoption.find_by_session(self, session_id, task_types, window, submitted_at)
