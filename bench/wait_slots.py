"""What ``wait_for_completion=True`` costs: `pulumi up` of N tasks that each wait until FINISH, against the MPS
emulator (its tasks take 15 s: 5 s WAITING, 10 s PROCESSING), with the provider server's calls traced.

Usage (from the repo root)::

    .venv/bin/python bench/wait_slots.py [--n 16] [--parallel 0 16]

A waiting create holds one of the provider server's worker threads for the whole wait (the SDK's server has
four), so N waiting tasks take about ceil(N / slots) x (task duration + polling overshoot), where slots is the
smaller of the server's threads for Create and the engine's ``--parallel`` (0 = the CLI's default, 8 here).
Prints the wall time of `up`, the most Create calls in flight at once, and the median Create duration.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from _common import INPUTS, EmulatorProcess, bench_stack, machine


def program(n: int) -> str:
    return (
        f"from pulumi_mps import MediaProcessTask\n\nfor i in range({n}):\n"
        f"    MediaProcessTask(f'task-{{i:05}}', wait_for_completion=True, {INPUTS})\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--parallel", type=int, nargs="+", default=[0, 16])
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    print("| tasks | --parallel | up s | Creates in flight (max) | Create median s |")
    print("|---|---|---|---|---|")
    with EmulatorProcess(rate_limit=100) as emu:
        for parallel in args.parallel:
            emu.admin.reset()
            with bench_stack(
                "wait",
                program(args.n),
                emu.url,
                extra_env={"PULUMI_SKIP_CHECKPOINTS": "true", "PULUMI_BENCH_TRACE": "1"},
            ) as (stack, probe):
                flags = ("--parallel", str(parallel)) if parallel else ()
                t0 = time.perf_counter()
                stack.run("up", "--yes", "--skip-preview", *flags, timeout=1800)
                wall = time.perf_counter() - t0
                calls = []
                for path in probe.glob("provider-*.trace"):
                    calls += [c for c in json.loads(path.read_text())["calls"] if c[0] == "Create"]
            events = sorted([(s, 1) for _, s, _ in calls] + [(e, -1) for _, _, e in calls])
            current = peak = 0
            for _, delta in events:
                current += delta
                peak = max(peak, current)
            durations = sorted(e - s for _, s, e in calls)
            print(
                f"| {args.n} | {parallel or 'default (8)'} | {wall:.1f} | {peak} | "
                f"{durations[len(durations) // 2]:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
