"""The MPS API as the provider uses it: one cached SDK client per settings, a client-side rate limiter, task
lookups and the search that finds the task behind a duplicate SessionId. Which failures are retried, and the
retry budget the calls share, are in ``_retry.py``.

The tencentcloud SDK is imported on first use, not with this module: a Pulumi program imports the provider
classes (to pickle them) but never calls the API, and the SDK's generic ``CommonClient`` is used instead of
``MpsClient``, whose module drags in every MPS request model (~45 ms and ~20,000 objects) for nothing.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from typing import Any

from ._compat import BLOCKING_CALL_WORKERS
from ._errors import ApiError, DuplicateNotFound, TaskNotFound
from ._listings import OlderListings, RecentListings, StatusListings
from ._rate import RateLimiter
from ._retry import RETRIER, RETRYABLE_CODES, Retrier, RetryPolicy, is_retryable
from ._settings import Settings

__all__ = ["RETRYABLE_CODES", "RetryPolicy", "is_retryable"]  # kept importable from here

# What DescribeTaskDetail answers for a task it does not report (unknown, or older than 7 days). The SDK's
# "possible error codes" for DescribeTaskDetail (tencentcloud-sdk-go mps/v20190612/client.go) are
# ResourceNotFound and InvalidParameterValue, and TaskId is the action's only parameter.
NOT_FOUND_CODES = ("ResourceNotFound", "ResourceNotFound.TaskNotFound", "InvalidParameterValue",
                   "InvalidParameterValue.TaskId")
DUPLICATE_SESSION = "InvalidParameterValue.SessionId"
THROTTLED = "RequestLimitExceeded"
API_SERVICE = "mps"
API_VERSION = "2019-06-12"
DESCRIBE_TASKS_LIMIT = 100
STATUSES = ("WAITING", "PROCESSING", "FINISH")
RECENT = timedelta(minutes=2)
REQUEST_TIMEOUT_S = 30
# Kept-alive connections per endpoint: one per call the provider process can have in flight.
HTTP_CONNECTIONS = BLOCKING_CALL_WORKERS
# Gateways answer these when MPS is briefly unavailable: retried; any other HTTP status is not MPS answering.
TRANSIENT_HTTP_STATUSES = (500, 502, 503, 504)


# One per provider process, which serves every resource of a stack: the API allows 100 ProcessMedia /
# ProcessLiveStream calls a second per account, and the default ceiling (95) stays just under it; the limiter
# slows down below it when MPS refuses calls (other stacks or tools share the account).
LIMITER = RateLimiter()
_clients: dict[Settings, Any] = {}
_clients_lock = threading.Lock()


class _Sdk:
    """The few tencentcloud SDK classes the provider uses, imported on first use."""

    def __init__(self) -> None:
        from tencentcloud.common.common_client import CommonClient
        from tencentcloud.common.credential import Credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile

        self.CommonClient = CommonClient
        self.Credential = Credential
        self.Error = TencentCloudSDKException
        self.ClientProfile = ClientProfile
        self.HttpProfile = HttpProfile


@functools.cache
def sdk() -> _Sdk:
    return _Sdk()


def _tune_http_session(client: Any) -> bool:
    """Fit the ``requests`` session under the SDK client to the provider process (True when done).

    - No environment re-reading: the SDK reads its proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY) from the
      environment once, when the client is built, and passes it, the CA bundle and the timeout explicitly with
      each request. With ``trust_env`` on, ``requests`` also re-scans every environment variable for proxies and
      reads ``~/.netrc`` on every call: about a fifth of the client's CPU per call (bench/RESULTS.md), and a
      ``.netrc`` entry for the endpoint would even replace the signed Authorization header.
    - One kept-alive connection per concurrent call: ``requests`` keeps 10 connections per host, so with more
      creates in flight (``pulumi up --parallel``, up to the provider's BLOCKING_CALL_WORKERS) each call beyond
      the tenth opened a new connection (a TLS handshake) and urllib3 logged "Connection pool is full".
    """
    session = getattr(getattr(client.request, "conn", None), "_session", None)
    if session is None or not hasattr(session, "trust_env") or not hasattr(session, "mount"):
        return False
    from requests.adapters import HTTPAdapter

    session.trust_env = False
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=HTTP_CONNECTIONS)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return True


def sdk_client(settings: Settings) -> Any:
    """One SDK client (``CommonClient`` for mps 2019-06-12) per distinct settings, reused across calls (kept in
    process memory only)."""
    client = _clients.get(settings)
    if client is not None:
        return client
    api = sdk()
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            cred = (
                api.Credential(settings.secret_id, settings.secret_key, settings.token)
                if settings.token
                else api.Credential(settings.secret_id, settings.secret_key)
            )
            http = api.HttpProfile(protocol=settings.scheme, endpoint=settings.host, reqTimeout=REQUEST_TIMEOUT_S,
                                   keepAlive=True)
            client = api.CommonClient(API_SERVICE, API_VERSION, cred, settings.region,
                                      api.ClientProfile(httpProfile=http))
            _tune_http_session(client)
            _clients[settings] = client
        return client


# TaskId -> SessionId of every task this process submitted or described. A task's SessionId never changes and
# TaskIds are unique, so the search behind a duplicate SessionId skips the tasks known to carry another one:
# in a `pulumi up` of many tasks, the one whose answer was lost is the only task of the burst this process has
# not seen, and it is found with one DescribeTaskDetail. Process memory only, bounded.
KNOWN_TASKS_LIMIT = 200_000
_known_tasks: dict[str, str] = {}
_known_lock = threading.Lock()


def remember_task(task_id: str, session_id: str) -> None:
    with _known_lock:
        if task_id not in _known_tasks and len(_known_tasks) >= KNOWN_TASKS_LIMIT:
            del _known_tasks[next(iter(_known_tasks))]
        _known_tasks[task_id] = session_id


def known_session(task_id: str) -> str | None:
    """The SessionId of a task this process has seen ("" for none), None when unknown."""
    return _known_tasks.get(task_id)


def forget_known_tasks() -> None:
    """Forget every SessionId and listing learnt and refill the retry budget (a fresh provider process, for tests
    and benchmarks)."""
    with _known_lock:
        _known_tasks.clear()
    RETRIER.quota.reset()
    RECENT_LISTINGS.clear()
    OLDER_LISTINGS.clear()
    STATUS_LISTINGS.clear()


# The candidate listings of the SessionId searches running at the same time, and the listings of the statuses
# that the Reads of a refresh share (_listings.py).
RECENT_LISTINGS = RecentListings()
OLDER_LISTINGS = OlderListings()
STATUS_LISTINGS = StatusListings()
# The DescribeTaskDetail calls in flight for a SessionId lookup, by TaskId: concurrent searches (the creates of
# a re-run `up`, each adopting its own task) wait for the one call instead of describing the same task again.
_describing: dict[str, Future[str]] = {}


def parse_time(value: str | None) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def format_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Transport failures the SDK reports as ClientNetworkError, by what its message says: the provider's own codes
# (ClientError...: no retry can fix them) and a short cause for the error text.
_TRANSPORT_FAILURES = (
    (re.compile(r"Failed to parse|Invalid URL|InvalidURL|No connection adapters|LocationParseError"),
     "ClientError.InvalidEndpoint", "not a valid URL"),
    (re.compile(r"Name or service not known|nodename nor servname|No address associated|getaddrinfo failed"),
     "ClientError.UnknownHost", "the host name does not resolve"),
    (re.compile(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed|doesn't match|hostname mismatch"),
     "ClientError.Certificate", "its TLS certificate does not verify"),
    (re.compile(r"Connection refused"), "ClientNetworkError", "connection refused"),
    (re.compile(r"timed out|Timeout", re.IGNORECASE), "ClientNetworkError", "timed out"),
    (re.compile(r"Temporary failure in name resolution"), "ClientNetworkError", "name resolution failed"),
    (re.compile(r"RemoteDisconnected|Connection aborted|Connection reset|closed connection"),
     "ClientNetworkError", "the connection closed without an answer"),
)


def transport_failure(text: str) -> tuple[str, str]:
    """(code, short cause) of a transport failure from the SDK's message."""
    for pattern, code, cause in _TRANSPORT_FAILURES:
        if pattern.search(text):
            return code, cause
    errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return "ClientNetworkError", errno.group(1).strip() if errno else text[:200]


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class MpsApi:
    """The calls the provider makes, over the real SDK client, with the process's retries (``_retry.RETRIER``)."""

    def __init__(self, settings: Settings, retrier: Retrier | None = None) -> None:
        self.settings = settings
        self.retrier = retrier or RETRIER
        self.calls: dict[str, int] = {}

    @property
    def endpoint(self) -> str:
        return f"{self.settings.scheme}://{self.settings.host}"

    def call(self, action: str, params: dict[str, Any], *, retry: bool = True) -> dict[str, Any]:
        """One API call (the ``Response`` object); the failures ``_retry`` deems retryable are tried again with the
        same params, within the process's retry budget."""
        client = sdk_client(self.settings)
        key = (self.settings.secret_id, self.settings.region, self.settings.host, action)

        def attempt() -> dict[str, Any]:
            ticket = LIMITER.acquire(key, self.settings.rate_limit)
            self.calls[action] = self.calls.get(action, 0) + 1
            try:
                answer = self._send(client, action, params)
            except ApiError as error:
                if error.answered:  # MPS answered: it let the call through, or refused it for the account's rate
                    LIMITER.record(ticket, throttled=error.code == THROTTLED)
                raise
            LIMITER.record(ticket, throttled=False)
            return answer

        return self.retrier.run(attempt, retry=retry)

    def _send(self, client: Any, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One HTTP exchange. The SDK's ``_call`` signs and sends; the answer is read here, not by ``call_json``,
        which cannot tell a gateway's 502 from a web page, lets a non-JSON answer escape as a bare JSON error,
        and returns an error answered with ``Content-Type: application/json; charset=utf-8`` as a success."""
        try:
            response = client._call(action, params)
        except sdk().Error as exc:
            text = str(exc.get_message() or exc)
            code, cause = transport_failure(text)
            if not code.startswith("ClientNetworkError"):
                raise ApiError(action, code, f"{self.endpoint} cannot be used: {cause} ({_shorten(text, 200)}); "
                               "check mps:endpoint / MPS_ENDPOINT") from None
            raise ApiError(action, code, f"cannot reach MPS at {self.endpoint}: {cause}") from None
        status = response.status_code
        body = response.content or b""
        shown = _shorten(body.decode("utf-8", "replace"))
        if status in TRANSIENT_HTTP_STATUSES:
            raise ApiError(action, "ServerNetworkError", f"{self.endpoint} answered HTTP {status} ({shown})")
        try:
            answer = json.loads(body) if status == 200 else None
        except ValueError:
            answer = None
        payload = answer.get("Response") if isinstance(answer, dict) else None
        if not isinstance(payload, dict):
            content_type = response.headers.get("Content-Type") or "no content type"
            raise ApiError(action, "ClientError.NotMps",
                           f"{self.endpoint} did not answer as the MPS API: HTTP {status}, {content_type}, "
                           f"{shown or 'empty body'!r}; check mps:endpoint / MPS_ENDPOINT")
        error = payload.get("Error")
        if isinstance(error, dict):
            code = str(error.get("Code") or "InternalError")
            message = str(error.get("Message") or "")
            if code.startswith("AuthFailure"):
                message += (f" (endpoint {self.endpoint}, SecretId {self.settings.secret_id}; check "
                            "tencentcloud:secretId / tencentcloud:secretKey)")
            raise ApiError(action, code, message, payload.get("RequestId"), answered=True)
        return payload

    def submit(self, action: str, params: dict[str, Any]) -> str:
        task_id: str = self.call(action, params)["TaskId"]
        remember_task(task_id, params.get("SessionId") or "")
        return task_id

    def task_detail(self, task_id: str) -> dict[str, Any]:
        try:
            detail = self.call("DescribeTaskDetail", {"TaskId": task_id})
        except ApiError as exc:
            if exc.code in NOT_FOUND_CODES:
                raise TaskNotFound(f"MPS does not know task {task_id} ({exc.code}: {exc.message})") from exc
            raise
        remember_task(task_id, detail.get("SessionId") or "")
        return detail

    def _list_recent(self, since: datetime) -> list[list[dict[str, Any]]]:
        return [list(self.list_tasks(status, since)) for status in STATUSES]

    def _list_older(self, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
        for status in STATUSES:
            yield from self.list_tasks(status, start, end)

    def session_of(self, task_id: str) -> str:
        """The SessionId of a task ("" for none): from this process's memory, from a DescribeTaskDetail another
        search has in flight for it, or from one of our own. TaskNotFound when MPS no longer reports it."""
        known = known_session(task_id)
        if known is not None:
            return known
        with _known_lock:
            pending = _describing.get(task_id)
            if pending is None:
                pending = _describing[task_id] = Future()
                owner = True
            else:
                owner = False
        if not owner:
            return pending.result()
        try:
            session = self.task_detail(task_id).get("SessionId") or ""
        except BaseException as exc:
            pending.set_exception(exc)
            raise
        else:
            pending.set_result(session)
            return session
        finally:
            with _known_lock:
                _describing.pop(task_id, None)

    def abort(self, task_id: str) -> None:
        self.call("ManageTask", {"OperationType": "Abort", "TaskId": task_id})

    def list_tasks(self, status: str, start: datetime | None = None,
                   end: datetime | None = None) -> Iterator[dict[str, Any]]:
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
        listing the Reads running at the same time share (``STATUS_LISTINGS``), read newest first down to the
        second the task was created in, fetching pages as needed."""
        listing = STATUS_LISTINGS.get(self.settings, status, lambda: self.list_tasks(status))
        for item in listing:
            if item.get("TaskId") == task_id:
                return True
            listed_created = parse_time(item.get("CreateTime"))
            if listed_created is not None and listed_created < created:
                return False
        return False

    def find_by_session(self, session_id: str, task_types: tuple[str, ...], window: timedelta,
                        submitted_at: datetime) -> str:
        """The TaskId of the task carrying ``session_id``, searched among the tasks of ``task_types``.

        DescribeTasks does not return SessionIds, so candidates are listed and matched through
        DescribeTaskDetail, each candidate once, except those whose SessionId this process already knows (it
        submitted or described them). First the tasks created since ``RECENT`` before our first submission
        attempt, those most likely created at that moment first (``closest_first``): a task accepted behind a
        lost answer was created within moments of it, so this usually takes one or two DescribeTaskDetail.
        Then the rest of the dedup window (up to where the first listing began), newest first, page by page (a
        task submitted by an earlier, interrupted apply). Statuses are listed in lifecycle order (WAITING,
        PROCESSING, FINISH), so a task moving on between two listings is still seen. The searches running at the
        same time share their listings and DescribeTaskDetail calls (``_listings.py``, ``session_of``).
        """
        seen: set[str] = set()

        def matches(item: dict[str, Any]) -> bool:
            task_id = item.get("TaskId", "")
            if item.get("TaskType") not in task_types or task_id in seen:
                return False
            seen.add(task_id)
            try:
                return self.session_of(task_id) == session_id
            except TaskNotFound:
                return False

        answered_at = datetime.now(timezone.utc)

        def candidates() -> Iterator[dict[str, Any]]:
            recent = RECENT_LISTINGS.get(self.settings, submitted_at - RECENT, answered_at, self._list_recent)
            yield from closest_first(recent.listings, submitted_at)
            start = datetime.now(timezone.utc) - window - timedelta(hours=1)
            older = OLDER_LISTINGS.get(self.settings, start, recent.since, self._list_older)
            yield from older
            if older.failed or older.started < answered_at:  # a listing of our own (see _listings.py)
                yield from self._list_older(start, recent.since)

        for item in candidates():
            if matches(item):
                found: str = item["TaskId"]
                return found
        raise DuplicateNotFound(
            f"MPS rejected SessionId {session_id} as already used within the last {window.days} days, but none of "
            f"the {len(seen)} {'/'.join(task_types)} tasks it reports for this account and region carries it. "
            "The task may have been submitted with other credentials or in another region. To adopt a task you know, set "
            "`task_id`; to run the task again, change `triggers` (or set another `session_id`)."
        )


def closest_first(listings: list[list[dict[str, Any]]], when: datetime) -> list[dict[str, Any]]:
    """The listed tasks (one newest-first listing per status), most likely created at ``when`` first.

    CreateTime has a one-second resolution and is truncated, so a task created at ``when`` reads the second
    that contains it: tasks are ordered by how far ``when`` lies from their CreateTime second (0 inside it).
    The tasks sharing a second (about 95 in an `up` at the rate limit) are ordered by where each stands in it,
    from its place in the newest-first listing, against where ``when`` falls in the second: a task accepted
    behind a lost answer was listed among the tasks created around the same moment. Every task is kept: the
    order only decides how soon the right one is described.
    """
    keyed: list[tuple[float, float, int, dict[str, Any]]] = []
    for listing in listings:
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in listing:
            groups.setdefault(item.get("CreateTime") or "", []).append(item)
        for created_text, group in groups.items():
            created = parse_time(created_text)
            if created is None:
                keyed += [(float("inf"), 0.0, len(keyed), item) for item in group]
                continue
            offset = (when - created).total_seconds()
            distance = -offset if offset < 0 else max(0.0, offset - 1)
            where = min(max(offset, 0.0), 1.0)
            for rank, item in enumerate(group):  # newest first: rank 0 was created last in its second
                place = 1 - (rank + 0.5) / len(group)
                keyed.append((distance, abs(place - where), len(keyed), item))
    keyed.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in keyed]
