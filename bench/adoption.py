"""Adoption cost: API calls and time for ``MpsApi.find_by_session`` to find the task behind one SessionId among
1,000 and 10,000 tasks in the dedup window.

Usage (from the repo root)::

    .venv/bin/python bench/adoption.py [--sizes 1000 10000] [--burst 1000] [--rate-limit 100] [--rerun N]

For each size M, an in-process emulator (rate limit ``--rate-limit`` calls/s per action, as the real API; the
provider's own limiter stays at 95/s) is seeded through its backend with M ProcessMedia tasks spread evenly
over the last 2.5 days of its clock (all in the 3-day dedup window; FINISH by then), then the searches run
over HTTP through the real SDK, each with a fresh ``MpsApi`` and the provider process's knowledge of tasks
cleared first ("cold") unless stated:

- ``newest``: the newest of the M tasks (an interrupted apply retried at once); submitted_at = now;
- ``oldest``: the oldest (an interrupted apply retried 2.5 days later); submitted_at = now;
- ``lost answer in a burst``: a `pulumi up` of ``--burst`` tasks at the rate limit (submitted through
  ``MpsApi.submit``, ~95/s, so ~95 tasks share each CreateTime second) where MPS accepted three tasks (at
  1/4, 1/2 and 3/4 of the burst) but their answers were lost; submitted_at = the moment each was sent; the
  median and the worst of the three. ``warm``: the provider process that submitted the others (what really
  happens: the retry runs in the same create call, in the process that created the rest of the burst);
  ``cold``: a process that knows none of the burst's tasks.

``--rerun N`` adds the re-run of an interrupted `up` of N tasks from a new provider process, the interrupted
run at once or 10 minutes before: every task submitted again, 8 at a time (the engine's default), each answered
with a duplicate SessionId and adopted; totals over the N searches, checked to adopt every task and create none.

Reports DescribeTasks and DescribeTaskDetail calls and seconds per search, and checks the TaskId found.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone

from _common import REGION, SECRET_ID, SECRET_KEY, machine

SPAN = timedelta(days=2.5)


def params(session_id: str, i: int) -> dict:
    return {
        "InputInfo": {
            "Type": "COS",
            "CosInputInfo": {
                "Bucket": "series-1250000000",
                "Region": REGION,
                "Object": f"/episodes/{i:05}.mov",
            },
        },
        "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 30}]},
        "SessionId": session_id,
    }


def forget_known_tasks() -> None:
    from pulumi_mps import _client

    forget = getattr(_client, "forget_known_tasks", None)
    if forget is not None:
        forget()


def search(settings, session_id: str, expected: str, submitted_at: datetime, cold: bool) -> dict:
    from pulumi_mps._client import MpsApi
    from pulumi_mps._specs import MEDIA

    if cold:
        forget_known_tasks()
    api = MpsApi(settings)
    t0 = time.perf_counter()
    found = api.find_by_session(session_id, MEDIA.list_task_types, MEDIA.dedup_window, submitted_at)
    elapsed = time.perf_counter() - t0
    if found != expected:
        raise SystemExit(f"find_by_session returned {found}, expected {expected}")
    return {
        "s": elapsed,
        "DescribeTasks": api.calls.get("DescribeTasks", 0),
        "DescribeTaskDetail": api.calls.get("DescribeTaskDetail", 0),
    }


def run_size(m: int, args: argparse.Namespace) -> list[tuple[str, dict]]:
    from pulumi_mps._client import MpsApi
    from pulumi_mps._settings import Settings
    from pulumi_mps.emulator import Emulator
    from pulumi_mps.emulator._backend import DEFAULT_ACCOUNT

    rows = []
    with Emulator(port=0, rate_limit=args.rate_limit) as emu:
        backend = emu.backend
        settings = Settings(
            secret_id=SECRET_ID, secret_key=SECRET_KEY, region=REGION, scheme="http", host=emu.endpoint
        )
        t0 = time.perf_counter()
        start = time.time() - SPAN.total_seconds()
        emu.controls.set_clock(start)
        step = SPAN.total_seconds() / m
        ids = []
        for i in range(m):
            ids.append(backend.call("ProcessMedia", params(f"seed-{i}", i), DEFAULT_ACCOUNT)["TaskId"])
            emu.controls.advance_clock(step)
        emu.controls.set_clock(time.time())
        print(f"M={m}: seeded in {time.perf_counter() - t0:.1f} s", flush=True)
        now = datetime.now(timezone.utc)
        rows.append(("newest", search(settings, f"seed-{m - 1}", ids[-1], now, cold=True)))
        rows.append(("oldest", search(settings, "seed-0", ids[0], now, cold=True)))

        # A burst of `--burst` submissions at the rate limit, three of them accepted behind a lost answer.
        forget_known_tasks()
        api = MpsApi(settings)
        targets = {args.burst // 4: None, args.burst // 2: None, (3 * args.burst) // 4: None}
        t0 = time.perf_counter()
        for j in range(args.burst):
            if j in targets:
                submitted_at = datetime.now(timezone.utc)
                targets[j] = (
                    backend.call("ProcessMedia", params(f"burst-{j}", j), DEFAULT_ACCOUNT)["TaskId"],
                    submitted_at,
                )
            else:
                api.submit("ProcessMedia", params(f"burst-{j}", j))
        print(f"M={m}: burst of {args.burst} submitted in {time.perf_counter() - t0:.1f} s", flush=True)
        for cold in (False, True):
            found = [search(settings, f"burst-{j}", lost, at, cold=cold) for j, (lost, at) in targets.items()]
            name = f"lost answer in a burst, {'cold' if cold else 'warm'}"
            rows.append((name + " (median of 3)", _median_row(found)))
            rows.append((name + " (worst of 3)", max(found, key=lambda r: r["DescribeTaskDetail"])))
    return rows


def rerun(args: argparse.Namespace, later: bool) -> dict:
    """An interrupted `up` of ``--rerun`` tasks run again from a new provider process: every task is submitted
    again (8 at a time, the engine's default), MPS answers each with a duplicate SessionId, and the provider
    adopts the task behind it. ``later``: the interrupted run was 10 minutes before (outside the recent window)."""
    from concurrent.futures import ThreadPoolExecutor

    from pulumi_mps._client import DUPLICATE_SESSION, ApiError, MpsApi
    from pulumi_mps._settings import Settings
    from pulumi_mps._specs import MEDIA
    from pulumi_mps.emulator import Emulator
    from pulumi_mps.emulator._backend import DEFAULT_ACCOUNT

    n = args.rerun
    with Emulator(port=0, rate_limit=args.rate_limit) as emu:
        backend = emu.backend
        settings = Settings(
            secret_id=SECRET_ID, secret_key=SECRET_KEY, region=REGION, scheme="http", host=emu.endpoint
        )
        emu.controls.set_clock(time.time() - (600 if later else 15))
        expected = {}
        for i in range(n):  # the interrupted run's submissions, ~95 a second
            expected[f"rerun-{i}"] = backend.call("ProcessMedia", params(f"rerun-{i}", i), DEFAULT_ACCOUNT)[
                "TaskId"
            ]
            emu.controls.advance_clock(1 / 95)
        emu.controls.set_clock(time.time())
        forget_known_tasks()
        apis: list[MpsApi] = []

        def create(i: int) -> str:
            api = MpsApi(settings)
            apis.append(api)
            submitted_at = datetime.now(timezone.utc)
            try:
                return api.submit("ProcessMedia", params(f"rerun-{i}", i))
            except ApiError as exc:
                if exc.code != DUPLICATE_SESSION:
                    raise
            return api.find_by_session(f"rerun-{i}", MEDIA.list_task_types, MEDIA.dedup_window, submitted_at)

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            found = list(pool.map(create, range(n)))
        elapsed = time.perf_counter() - t0
        if found != [expected[f"rerun-{i}"] for i in range(n)]:
            raise SystemExit("the re-run did not adopt every task of the interrupted run")
        if len(backend.store.all_tasks()) != n:
            raise SystemExit("the re-run created tasks")
        return {
            "s": elapsed,
            "DescribeTasks": sum(a.calls.get("DescribeTasks", 0) for a in apis),
            "DescribeTaskDetail": sum(a.calls.get("DescribeTaskDetail", 0) for a in apis),
        }


def _median_row(rows: list[dict]) -> dict:
    return {k: sorted(r[k] for r in rows)[len(rows) // 2] for k in rows[0]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--rate-limit", type=int, default=100)
    parser.add_argument(
        "--rerun", type=int, default=0, help="also re-run an interrupted `up` of this many tasks"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(
        f"emulator in-process, rate limit {args.rate_limit}/s per action; provider limiter 95/s", flush=True
    )
    table = []
    for m in args.sizes:
        for name, r in run_size(m, args):
            table.append((m, name, r))
            print(
                f"M={m} {name}: {r['DescribeTasks']} DescribeTasks + {r['DescribeTaskDetail']} "
                f"DescribeTaskDetail, {r['s']:.2f} s",
                flush=True,
            )
    if args.rerun:
        for later in (False, True):
            name = f"re-run of an interrupted up ({'10 minutes later' if later else 'at once'}), every task"
            r = rerun(args, later)
            table.append((0, name, r))
            print(
                f"{name}: {r['DescribeTasks']} DescribeTasks + {r['DescribeTaskDetail']} DescribeTaskDetail, "
                f"{r['s']:.2f} s",
                flush=True,
            )
    print("\n| tasks in window | SessionId of | DescribeTasks | DescribeTaskDetail | seconds |")
    print("|---|---|---|---|---|")
    for m, name, r in table:
        print(
            f"| {args.rerun if 're-run' in name else m + args.burst if 'burst' in name else m} | {name} | {r['DescribeTasks']} | "
            f"{r['DescribeTaskDetail']} | {r['s']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
