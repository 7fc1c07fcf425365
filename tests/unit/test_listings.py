"""Listings shared by concurrent SessionId searches and by the Reads of a refresh: which calls a listing may
serve, and that each page is fetched once."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from pulumi_mps._listings import OlderListings, RecentListings, StatusListings

KEY = "account"


def now() -> datetime:
    return datetime.now(timezone.utc)


def test_a_recent_listing_serves_only_searches_answered_before_it_began():
    listings, fetched = RecentListings(), []

    def fetch(since):
        fetched.append(since)
        return [[{"TaskId": f"t-{len(fetched)}"}], [], []]

    since = now() - timedelta(minutes=2)
    answered = now()
    first = listings.get(KEY, since, answered, fetch)
    assert first.started >= answered and first.since == since
    assert (
        listings.get(KEY, since + timedelta(seconds=1), answered, fetch) is first
    )  # answered before it began
    later = listings.get(KEY, since + timedelta(seconds=1), now(), fetch)  # answered after: a new listing
    assert later is not first and len(fetched) == 2
    assert later.since == since  # the burst's start is kept, so the older part is shared too
    assert listings.get(KEY, since - timedelta(seconds=5), answered, fetch) is not later  # starts earlier
    assert len(fetched) == 3


def test_concurrent_searches_wait_for_the_listing_in_flight():
    listings, fetched = RecentListings(), []
    release = threading.Event()

    def fetch(since):
        fetched.append(since)
        release.wait(5)
        return [[], [], []]

    since, answered = now() - timedelta(minutes=2), now()
    time.sleep(0.01)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(listings.get(KEY, since, answered, fetch)))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    release.set()
    for thread in threads:
        thread.join()
    assert len(fetched) == 1 and len({id(r) for r in results}) == 1


def test_a_failed_recent_listing_lets_the_next_search_list():
    listings = RecentListings()

    def broken(since):
        raise RuntimeError("network")

    with pytest.raises(RuntimeError):
        listings.get(KEY, now(), now(), broken)
    assert listings.get(KEY, now(), now(), lambda since: [[{"TaskId": "t"}], [], []]).listings[0] == [
        {"TaskId": "t"}
    ]


def test_older_pages_are_fetched_once_for_every_search():
    pulled = []

    def source(start, end):
        for n in range(5):
            pulled.append(n)
            yield {"TaskId": f"t-{n}"}

    listings = OlderListings()
    start, end = now() - timedelta(days=3), now() - timedelta(minutes=2)
    first = listings.get(KEY, start, end, source)
    assert [item["TaskId"] for _, item in zip(range(2), first, strict=False)] == ["t-0", "t-1"]
    assert listings.get(KEY, start + timedelta(seconds=1), end, source) is first
    assert [item["TaskId"] for item in first] == [f"t-{n}" for n in range(5)]
    assert [item["TaskId"] for item in first] == [f"t-{n}" for n in range(5)]
    assert pulled == list(range(5)) and first.complete and not first.failed
    assert listings.get(KEY, start - timedelta(hours=1), end, source) is not first  # reaches further back


def test_an_older_listing_whose_page_failed_is_marked_and_replaced():
    def source(start, end):
        yield {"TaskId": "t-0"}
        raise RuntimeError("network")

    listings = OlderListings()
    start, end = now() - timedelta(days=3), now()
    broken = listings.get(KEY, start, end, source)
    with pytest.raises(RuntimeError):
        list(broken)
    assert broken.failed and [item["TaskId"] for item in broken] == ["t-0"]
    assert listings.get(KEY, start, end, source) is not broken


def test_a_recent_listing_is_completed_with_the_tasks_created_since_it_began():
    listings, asked = RecentListings(), []
    pages = [
        [[{"TaskId": "a"}, {"TaskId": "b"}], [{"TaskId": "p"}], []],
        [[{"TaskId": "c"}, {"TaskId": "a"}], [], [{"TaskId": "f"}]],
    ]

    def fetch(since):
        asked.append(since)
        return pages[len(asked) - 1]

    since = now() - timedelta(minutes=2)
    first = listings.get(KEY, since, now(), fetch)
    second = listings.get(KEY, since, now(), fetch)
    # The second fetch lists from the second the first began in (CreateTime is to the second), not from `since`.
    assert asked == [since, first.started - timedelta(seconds=1)]
    assert second.since == since and second.started > first.started
    assert second.listings == [
        [{"TaskId": "c"}, {"TaskId": "a"}, {"TaskId": "b"}],
        [{"TaskId": "p"}],
        [{"TaskId": "f"}],
    ]


def test_a_status_listing_is_shared_for_its_lifetime_and_fetched_only_as_far_as_read():
    clock, opened, pulled = [0.0], [], []

    def source(status):
        def pages():
            opened.append(status)
            for n in range(250):
                pulled.append(n)
                yield {"TaskId": f"{status}-{n}"}

        return pages

    listings = StatusListings(lifetime_s=10, clock=lambda: clock[0])
    first = listings.get(KEY, "WAITING", source("WAITING"))
    assert [item["TaskId"] for _, item in zip(range(3), first, strict=False)] == [
        "WAITING-0",
        "WAITING-1",
        "WAITING-2",
    ]
    clock[0] = 9.9
    assert listings.get(KEY, "WAITING", source("WAITING")) is first
    assert listings.get(KEY, "PROCESSING", source("PROCESSING")) is not first
    assert listings.get("other account", "WAITING", source("WAITING")) is not first
    assert opened == ["WAITING"] and pulled == [0, 1, 2]  # the others were never read
    clock[0] = 10.0
    assert listings.get(KEY, "WAITING", source("WAITING")) is not first


def test_a_status_listing_whose_page_failed_is_replaced():
    def broken():
        yield {"TaskId": "t-0"}
        raise RuntimeError("network")

    listings = StatusListings()
    listing = listings.get(KEY, "WAITING", broken)
    with pytest.raises(RuntimeError):
        list(listing)
    assert listings.get(KEY, "WAITING", broken) is not listing
