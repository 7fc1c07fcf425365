"""Submission throughput: `pulumi up` of N MediaProcessTasks against the MPS emulator with the API's rate limit on.

Usage (from the repo root)::

    .venv/bin/python bench/submit_throughput.py [--n 1000] [--runs 3] [--parallel 0 16 32]
                                                [--checkpoints skip|save] [--rate-limit 100] [--baseline main]

Each run: the emulator (its own process, ``--rate-limit`` calls/s per action and account, as the real API) is
reset, a fresh stack of N tasks goes through ``pulumi up --yes --skip-preview [--parallel P]`` (0 = the CLI's
default), then the emulator's request log gives:

- ``tasks/s``: N / (time of the last ProcessMedia - time of the first), the issue's definition, and the share
  of the rate limit it is; ``steady/s``: the rate between the 10th and the 90th percentile call (no start burst);
  ``peak 1 s``: the most calls in any one-second window;
- failures: ``RequestLimitExceeded`` answers, any other error, resources that failed (exit code, tasks created
  != N, SessionIds not unique);
- ``lead``: seconds from the start of `pulumi up` to the first ProcessMedia; ``tail``: from the last one to the
  end of `pulumi up`.

With ``--baseline REV`` each run is made twice, first with the package as it is at git revision REV (``git
archive``, first on PYTHONPATH), then with the working tree's, so that both see the same machine load.

``--checkpoints skip`` (default) sets PULUMI_SKIP_CHECKPOINTS=true; with ``save`` the file backend writes the
whole state after every step, which caps an `up` of 1000 resources far below the rate limit (see RESULTS.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from datetime import datetime

from _common import (
    BENCH,
    EmulatorProcess,
    baseline_package,
    bench_stack,
    git_rev,
    machine,
    median,
    program,
    read_probes,
)


def _ts(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


def one_run(
    emu: EmulatorProcess, args: argparse.Namespace, parallel: int, package: str | None = None
) -> dict:
    emu.admin.reset()
    emu.admin.set_rate_limit(args.rate_limit)
    load = os.getloadavg()
    extra_env = {"PULUMI_SKIP_CHECKPOINTS": "true"} if args.checkpoints == "skip" else {}
    if package:
        extra_env["PYTHONPATH"] = os.pathsep.join([package, str(BENCH)])
    with bench_stack("throughput", program("mps", args.n), emu.url, extra_env=extra_env) as (
        stack,
        probe_dir,
    ):
        read_probes(probe_dir)
        flags = ("--parallel", str(parallel)) if parallel else ()
        t0 = time.time()
        result = stack.run("up", "--yes", "--skip-preview", *flags, timeout=1800, check=False)
        t1 = time.time()
        probes = read_probes(probe_dir)
    requests = emu.admin.requests("ProcessMedia")
    tasks = emu.admin.tasks()
    times = sorted(_ts(r["Time"]) for r in requests)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    lo, hi = times[len(times) // 10], times[(len(times) * 9) // 10]
    steady = ((len(times) * 9) // 10 - len(times) // 10) / (hi - lo) if hi > lo else float("nan")
    peak, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 1.0:
            j += 1
        peak = max(peak, i - j + 1)
    providers = [p for p in probes if p["role"] == "provider"]
    return {
        "load": load,
        "wall_s": t1 - t0,
        "tasks_per_s": args.n / span,
        "steady_per_s": steady,
        "peak_1s": peak,
        "calls": len(requests),
        "rate_limited": sum(r["Error"] == "RequestLimitExceeded" for r in requests),
        "other_errors": sum(bool(r["Error"]) and r["Error"] != "RequestLimitExceeded" for r in requests),
        "tasks": len(tasks),
        "unique_sessions": len({t["SessionId"] for t in tasks}),
        "exit_code": result.returncode,
        "lead_s": times[0] - t0 if times else float("nan"),
        "tail_s": t1 - times[-1] if times else float("nan"),
        "provider_cpu_s": sum(p["cpu_s"] for p in providers),
        "provider_peak_rss_mb": max((p["peak_rss_mb"] for p in providers), default=0.0),
        "output_tail": result.output[-2000:] if result.returncode else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parallel", type=int, nargs="+", default=[0], help="0: the CLI's default")
    parser.add_argument("--checkpoints", choices=("skip", "save"), default="skip")
    parser.add_argument("--rate-limit", type=int, default=100)
    parser.add_argument("--baseline", help="git revision to run side by side (e.g. main)")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"N={args.n}, emulator rate limit {args.rate_limit}/s, checkpoints: {args.checkpoints}; code: {git_rev()}"
        + (f", baseline {args.baseline} = {git_rev(args.baseline)}" if args.baseline else ""),
        flush=True,
    )
    variants = ([("baseline", args.baseline)] if args.baseline else []) + [("current", None)]
    rows = []
    with contextlib.ExitStack() as outer:
        packages = {name: outer.enter_context(baseline_package(rev)) for name, rev in variants}
        emu = outer.enter_context(EmulatorProcess(rate_limit=args.rate_limit))
        for parallel in args.parallel:
            runs: dict[str, list[dict]] = {name: [] for name, _ in variants}
            for run in range(args.runs):
                for name, _ in variants:
                    r = one_run(emu, args, parallel, packages[name])
                    runs[name].append(r)
                    print(
                        f"parallel {parallel or 'default'} run {run + 1} {name}: load before "
                        f"{'/'.join(f'{x:.2f}' for x in r['load'])}, up {r['wall_s']:.2f} s, "
                        f"{r['tasks_per_s']:.1f} tasks/s ({r['tasks_per_s'] / args.rate_limit:.0%} of the limit), "
                        f"steady {r['steady_per_s']:.1f}/s, peak 1 s {r['peak_1s']}, calls {r['calls']}, "
                        f"RequestLimitExceeded {r['rate_limited']}, other errors {r['other_errors']}, tasks "
                        f"{r['tasks']} ({r['unique_sessions']} SessionIds), exit {r['exit_code']}, lead "
                        f"{r['lead_s']:.2f} s, tail {r['tail_s']:.2f} s, provider CPU {r['provider_cpu_s']:.2f} s, "
                        f"RSS {r['provider_peak_rss_mb']:.0f} MB",
                        flush=True,
                    )
                    if r["exit_code"]:
                        print(r["output_tail"])
            rows += [(parallel, name, runs[name]) for name, _ in variants]
    print(f"\nmedians of {args.runs} runs; load after: {machine().split('load')[1]}")
    print(
        "| --parallel | code | up s | tasks/s | of the limit | steady/s | peak 1 s | RequestLimitExceeded | failed "
        "resources | lead s | tail s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for parallel, name, results in rows:

        def med(key: str, results: list = results) -> float:
            return median([r[key] for r in results])

        failed = sum(
            r["exit_code"] != 0 or r["tasks"] != args.n or r["unique_sessions"] != args.n for r in results
        )
        print(
            f"| {parallel or 'default (8)'} | {name} | {med('wall_s'):.2f} | {med('tasks_per_s'):.1f} | "
            f"{med('tasks_per_s') / args.rate_limit:.0%} | {med('steady_per_s'):.1f} | {med('peak_1s'):.0f} | "
            f"{sum(r['rate_limited'] for r in results)} | {failed} runs | {med('lead_s'):.2f} | "
            f"{med('tail_s'):.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
