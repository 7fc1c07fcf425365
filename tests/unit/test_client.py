"""The order in which the search behind a duplicate SessionId describes the listed tasks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pulumi_mps._client import closest_first, format_time

SECOND = datetime(2026, 11, 24, 10, 0, 0, tzinfo=timezone.utc)


def listing(second: datetime, count: int, tag: str) -> list[dict]:
    """``count`` tasks created in ``second``, newest first as DescribeTasks lists them (``tag-0`` the oldest)."""
    return [{"TaskId": f"{tag}-{n}", "CreateTime": format_time(second)} for n in reversed(range(count))]


def test_the_second_holding_the_submission_comes_first_even_late_in_it():
    # Submitted 0.8 s into a second: its tasks are 0 s away, the next second's 0.2 s (CreateTime is truncated).
    tasks = (
        listing(SECOND + timedelta(seconds=1), 95, "next")
        + listing(SECOND, 95, "this")
        + listing(SECOND - timedelta(seconds=1), 95, "before")
    )
    order = [t["TaskId"].split("-")[0] for t in closest_first([tasks], SECOND + timedelta(seconds=0.8))]
    assert order == ["this"] * 95 + ["next"] * 95 + ["before"] * 95


def test_within_a_second_the_tasks_created_around_the_submission_come_first():
    tasks = listing(SECOND, 100, "t")
    order = [t["TaskId"] for t in closest_first([tasks], SECOND + timedelta(seconds=0.3))]
    assert order[0] in {"t-29", "t-30"}
    assert {int(t.split("-")[1]) for t in order[:10]} <= set(range(24, 36))
    assert sorted(order) == sorted(t["TaskId"] for t in tasks)


def test_every_status_listing_and_unset_times_are_kept():
    waiting = listing(SECOND, 3, "w")
    finished = [{"TaskId": "unset-0", "CreateTime": "0000-00-00T00:00:00Z"}, *listing(SECOND, 2, "f")]
    order = [t["TaskId"] for t in closest_first([waiting, [], finished], SECOND + timedelta(seconds=0.5))]
    assert sorted(order) == ["f-0", "f-1", "unset-0", "w-0", "w-1", "w-2"]
    assert order[-1] == "unset-0"
