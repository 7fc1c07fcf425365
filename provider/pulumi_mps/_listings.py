"""Task listings shared by the calls that run at the same time in one provider process.

SessionId searches. A re-run of an interrupted ``pulumi up`` adopts every task of the interrupted run: each
create gets MPS's duplicate-SessionId answer and searches for its task (``MpsApi.find_by_session``). When each
search listed the candidates itself, such a re-run listed the same pages once per task. Here the searches of one
account share them:

- the recent tasks (created since a moment before the submission): one listing per account, brought up to date
  one search at a time. A search uses it once it holds every task created until MPS gave that search the
  duplicate answer (its task existed by then); otherwise the listing is completed with the tasks created since
  it began (one page a status) while the searches answered before that wait. The listing keeps the burst's
  first start, so that the searches also share the older part;
- the older tasks (the rest of the dedup window, up to where the recent ones start): one newest-first listing
  per start, fetched a page at a time by whichever search first needs the next page.

Listing the three statuses in lifecycle order keeps every task in a listing however long it takes to page
through: a task that moves on between two statuses' pages is listed under the later one. An older listing
may have begun before a search's duplicate answer; it holds that search's task unless MPS's clock is more than
the recent window behind ours, so a search that finds nothing repeats the older part on its own.

Refresh. The Reads of a refresh run at the same time too (the provider serves them on its own thread pool,
``_compat.py``). A task still WAITING (or a live task PROCESSING) is found unchanged in the listing of its
status, so those Reads share one newest-first listing per account and status (``StatusListings``), fetched a
page (100 tasks) at a time as far as the oldest task they look for, and used for ``STATUS_LISTING_LIFETIME_S``
from when it began: a refresh reports a task as it was at most that long before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

# How far back a burst's recent listing may reach before the searches start a new one from their own start.
SHARED_SPAN = timedelta(minutes=2)
# Older listings kept per process (each holds the TaskSimpleInfo items it has paged through).
OLDER_KEPT = 4
# How long a listing of one status serves the Reads of a refresh, in seconds from when it began.
STATUS_LISTING_LIFETIME_S = 10.0


@dataclass
class RecentListing:
    """Every task created from ``since`` until ``started``: one newest-first list per status."""

    started: datetime
    since: datetime
    listings: list[list[dict[str, Any]]]


class RecentListings:
    """One recent-tasks listing per key (the account), kept up to date by the searches it serves."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._done: dict[Hashable, RecentListing] = {}
        self._running: set[Hashable] = set()

    def get(
        self,
        key: Hashable,
        since: datetime,
        answered_at: datetime,
        fetch: Callable[[datetime], list[list[dict[str, Any]]]],
    ) -> RecentListing:
        """A listing holding every task created from ``since`` until ``answered_at``: the current one when it
        does; else, one at a time, the current one brought up to date (``fetch`` of the tasks created since it
        began: one page a status in a burst) or, when it starts too late or too early, a new one
        (``fetch(since)``)."""
        with self._cond:
            while True:
                done = self._done.get(key)
                if done is not None and done.since <= since and done.started >= answered_at:
                    return done
                if key not in self._running:
                    break
                self._cond.wait()
            base = done if done is not None and since - SHARED_SPAN <= done.since <= since else None
            started = datetime.now(timezone.utc)
            self._running.add(key)
        try:
            if base is None:
                listing = RecentListing(started, since, fetch(since))
            else:  # CreateTime is to the second: list from the second the current listing began in
                fresh = fetch(max(base.since, base.started - timedelta(seconds=1)))
                listing = RecentListing(
                    started,
                    base.since,
                    [_merge(new, old) for new, old in zip(fresh, base.listings, strict=False)],
                )
        except BaseException:
            with self._cond:
                self._running.discard(key)
                self._cond.notify_all()
            raise
        with self._cond:
            current = self._done.get(key)
            if current is None or current.started < started:
                self._done[key] = listing
            self._running.discard(key)
            self._cond.notify_all()
        return listing

    def clear(self) -> None:
        with self._cond:
            self._done.clear()


def _merge(newer: list[dict[str, Any]], older: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two newest-first listings of one status, the newer one first, each task once."""
    listed = {item.get("TaskId") for item in newer}
    return newer + [item for item in older if item.get("TaskId") not in listed]


@dataclass
class PagedListing:
    """The items of one listing (``source``), fetched a page at a time as its readers read further."""

    source: Iterator[dict[str, Any]]
    items: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = False
    failed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The items in listing order; reading past what is fetched fetches the next page (an API error is
        raised in the reader that asked for it, and the listing is marked failed for the others)."""
        index = 0
        while True:
            if index >= len(self.items):
                with self.lock:
                    while index >= len(self.items) and not self.complete:
                        try:
                            item = next(self.source, None)
                        except BaseException:
                            self.complete = self.failed = True
                            raise
                        if item is None:
                            self.complete = True
                        else:
                            self.items.append(item)
                if index >= len(self.items):
                    return
            yield self.items[index]
            index += 1


@dataclass
class OlderListing(PagedListing):
    """Every task created from ``start`` to ``end``."""

    start: datetime = field(kw_only=True)
    end: datetime = field(kw_only=True)
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


class OlderListings:
    """The older-tasks listings, by key (the account) and end (the recent listing's start)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listings: dict[tuple[Hashable, datetime], OlderListing] = {}

    def get(
        self,
        key: Hashable,
        start: datetime,
        end: datetime,
        source: Callable[[datetime, datetime], Iterator[dict[str, Any]]],
    ) -> OlderListing:
        """A listing from ``start`` (or earlier) to ``end``, shared with the searches asking for the same."""
        with self._lock:
            listing = self._listings.get((key, end))
            if listing is None or listing.failed or listing.start > start:
                listing = OlderListing(source(start, end), start=start, end=end)
                self._listings.pop((key, end), None)
                self._listings[(key, end)] = listing
                while len(self._listings) > OLDER_KEPT:
                    del self._listings[next(iter(self._listings))]
            return listing

    def clear(self) -> None:
        with self._lock:
            self._listings.clear()


class StatusListings:
    """The tasks of one status, newest first, by key (the account) and status, each shared for ``lifetime_s``
    seconds from when it began (or until it fails)."""

    def __init__(
        self, lifetime_s: float = STATUS_LISTING_LIFETIME_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lifetime_s = lifetime_s
        self._clock = clock
        self._lock = threading.Lock()
        self._listings: dict[tuple[Hashable, str], tuple[float, PagedListing]] = {}

    def get(self, key: Hashable, status: str, source: Callable[[], Iterator[dict[str, Any]]]) -> PagedListing:
        with self._lock:
            now = self._clock()
            began, listing = self._listings.get((key, status), (now, None))
            if listing is None or listing.failed or now - began >= self.lifetime_s:
                listing = PagedListing(source())
                self._listings[(key, status)] = (now, listing)
                for stale in [k for k, (t, _) in self._listings.items() if now - t >= self.lifetime_s]:
                    del self._listings[stale]
            return listing

    def clear(self) -> None:
        with self._lock:
            self._listings.clear()
