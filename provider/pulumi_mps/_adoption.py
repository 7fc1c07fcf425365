"""Finding the task behind a duplicate SessionId: the tasks this process knows, the listings the searches running
at the same time share (``_listings.py``), and the order in which candidates are described (:func:`closest_first`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from ._errors import DuplicateNotFound, TaskNotFound
from ._listings import OlderListings, RecentListings
from ._settings import Settings
from ._transport import parse_time

# How long before our first submission attempt a task accepted behind a lost answer may have been created.
RECENT = timedelta(minutes=2)
STATUSES = ("WAITING", "PROCESSING", "FINISH")
# TaskIds whose SessionId a process keeps (a burst of `pulumi up` is well within it).
KNOWN_TASKS_LIMIT = 200_000


class TaskApi(Protocol):
    """The calls a search makes (``MpsApi``'s)."""

    settings: Settings

    def task_detail(self, task_id: str) -> dict[str, Any]: ...

    def list_tasks(
        self, status: str, start: datetime | None = None, end: datetime | None = None
    ) -> Iterator[dict[str, Any]]: ...


class KnownTasks:
    """TaskId -> SessionId of every task submitted or described (bounded), and the DescribeTaskDetail calls in
    flight for a search, so that concurrent searches describe each task once."""

    def __init__(self, limit: int = KNOWN_TASKS_LIMIT) -> None:
        self.limit = limit
        self._sessions: dict[str, str] = {}
        self._describing: dict[str, Future[str]] = {}
        self._lock = threading.Lock()

    def remember(self, task_id: str, session_id: str) -> None:
        with self._lock:
            if task_id not in self._sessions and len(self._sessions) >= self.limit:
                del self._sessions[next(iter(self._sessions))]
            self._sessions[task_id] = session_id

    def get(self, task_id: str) -> str | None:
        """The SessionId of a known task ("" for none), None when unknown."""
        return self._sessions.get(task_id)

    def session_of(self, task_id: str, describe: Callable[[], str]) -> str:
        """The SessionId of a task: known, awaited from the ``describe`` another search has in flight for it, or
        from ``describe()`` (which remembers it)."""
        known = self.get(task_id)
        if known is not None:
            return known
        with self._lock:
            pending = self._describing.get(task_id)
            owner = pending is None
            if pending is None:
                pending = self._describing[task_id] = Future()
        if not owner:
            return pending.result()
        try:
            session = describe()
        except BaseException as exc:
            pending.set_exception(exc)
            raise
        else:
            pending.set_result(session)
            return session
        finally:
            with self._lock:
                self._describing.pop(task_id, None)


class Adoption:
    """What the SessionId searches of one process share: the known tasks and the recent and older listings."""

    def __init__(self) -> None:
        self.known = KnownTasks()
        self.recent = RecentListings()
        self.older = OlderListings()

    def session_of(self, api: TaskApi, task_id: str) -> str:
        """The SessionId of a task ("" for none); TaskNotFound when MPS no longer reports it."""
        return self.known.session_of(task_id, lambda: api.task_detail(task_id).get("SessionId") or "")

    def find_by_session(
        self,
        api: TaskApi,
        session_id: str,
        task_types: tuple[str, ...],
        window: timedelta,
        submitted_at: datetime,
    ) -> str:
        """The TaskId of the task carrying ``session_id`` among the tasks of ``task_types``: the recent ones closest to
        our first attempt first, then the rest of the dedup window, each candidate described once (README,
        "The SessionId contract", Adoption). :class:`DuplicateNotFound` when none carries it."""
        seen: set[str] = set()

        def matches(item: dict[str, Any]) -> bool:
            task_id = item.get("TaskId", "")
            if item.get("TaskType") not in task_types or task_id in seen:
                return False
            seen.add(task_id)
            try:
                return self.session_of(api, task_id) == session_id
            except TaskNotFound:
                return False

        def list_recent(since: datetime) -> list[list[dict[str, Any]]]:
            return [list(api.list_tasks(status, since)) for status in STATUSES]

        def list_older(start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
            for status in STATUSES:
                yield from api.list_tasks(status, start, end)

        answered_at = datetime.now(timezone.utc)

        def candidates() -> Iterator[dict[str, Any]]:
            recent = self.recent.get(api.settings, submitted_at - RECENT, answered_at, list_recent)
            yield from closest_first(recent.listings, submitted_at)
            start = datetime.now(timezone.utc) - window - timedelta(hours=1)
            older = self.older.get(api.settings, start, recent.since, list_older)
            yield from older
            if older.failed or older.started < answered_at:  # a listing of our own (see _listings.py)
                yield from list_older(start, recent.since)

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
    """The listed tasks (one newest-first listing per status), those most likely created at ``when`` first: by
    distance from their (truncated) CreateTime second, then by their place in it against where ``when`` falls.
    Every task is kept; the order decides how soon the right one is described (bench/RESULTS.md, section 4)."""
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
