"""What refresh costs: API calls (the emulator's request log) and wall time, for a stack of N MediaProcessTasks.

Usage (from the repo root)::

    .venv/bin/python bench/refresh_calls.py [--n 200 1000] [--runs 3] [--baseline main] [--kinds mps noop]

For each N, each variant (``--baseline REV``: the package at git revision REV, then the working tree's) gets a
fresh stack of N tasks and the emulator (rate limit 100/s, reset) goes through:

- ``up`` (the tasks are WAITING), then the emulator's clock moves 60 s: every task is FINISH;
- ``refresh --yes`` (a preview, then the update: two provider processes): the first refresh after N tasks finish;
- ``refresh --yes`` again: the second refresh of N finished tasks;
- ``preview --refresh`` and ``preview``, alternately, ``--runs`` times each: wall seconds, calls; the ratio of the
  medians and the median of each pair's ratio (steadier when the machine's speed drifts during a run).

``--kinds noop`` (or ``noop-shaped``) adds the no-op dynamic provider of ``bench/noop_provider.py`` through the
same steps (no API call; its Read returns the state): what ``--refresh`` costs the engine and the Pulumi SDK
alone. Each refresh is counted by action; each stack keeps its finished-task records in a directory of its own
(``MPS_CACHE_DIR``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections import Counter

from _common import (
    BENCH,
    EmulatorProcess,
    baseline_package,
    bench_stack,
    git_rev,
    machine,
    median,
    program,
    timed,
)

GOALS = "second refresh <= N/100 + 3 calls; first refresh after N finish <= N + N/100 + 3; preview --refresh <= 1.1x"


def counted(emu: EmulatorProcess, stack, *args: str) -> tuple[float, Counter]:
    emu.admin.clear_requests()
    wall, _ = timed(stack, *args)
    return wall, Counter(r["Action"] for r in emu.admin.requests())


def one_stack(emu: EmulatorProcess, n: int, runs: int, package: str | None, kind: str = "mps") -> dict:
    emu.admin.reset()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mps-bench-cache-") as cache:
        env = {"PULUMI_SKIP_CHECKPOINTS": "true", "MPS_CACHE_DIR": cache}
        if package:
            env["PYTHONPATH"] = os.pathsep.join([package, str(BENCH)])
        with bench_stack(
            "refresh", program(kind, n), emu.url if kind == "mps" else None, probe=False, extra_env=env
        ) as (stack, _):
            stack.run("up", "--yes", "--skip-preview", timeout=1800)
            emu.admin.advance_clock(60)
            first = counted(emu, stack, "refresh", "--yes")
            second = counted(emu, stack, "refresh", "--yes")
            previews: dict[str, list[tuple[float, Counter]]] = {"preview --refresh": [], "preview": []}
            for _ in range(runs):
                previews["preview --refresh"].append(counted(emu, stack, "preview", "--refresh"))
                previews["preview"].append(counted(emu, stack, "preview"))
    return {"load": load, "first": first, "second": second, "previews": previews}


def calls_text(calls: Counter) -> str:
    return f"{sum(calls.values())} ({', '.join(f'{k} {v}' for k, v in sorted(calls.items())) or 'none'})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--runs", type=int, default=3, help="preview pairs per stack")
    parser.add_argument("--baseline", help="git revision to run side by side (e.g. main)")
    parser.add_argument("--kinds", nargs="+", default=["mps"], choices=["mps", "noop", "noop-shaped"])
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"code: {git_rev()}"
        + (f", baseline {args.baseline} = {git_rev(args.baseline)}" if args.baseline else "")
        + f"; goals: {GOALS}",
        flush=True,
    )
    variants = ([("baseline", args.baseline)] if args.baseline else []) + [("current", None)]
    variants = [v for v in variants if "mps" in args.kinds] + [(k, None) for k in args.kinds if k != "mps"]
    rows = []
    with contextlib.ExitStack() as outer:
        packages = {
            name: outer.enter_context(baseline_package(rev)) if rev else None for name, rev in variants
        }
        emu = outer.enter_context(EmulatorProcess(rate_limit=100))
        for n in args.n:
            for name, _ in variants:
                r = one_stack(emu, n, args.runs, packages[name], name if name.startswith("noop") else "mps")
                walls = {k: median([w for w, _ in v]) for k, v in r["previews"].items()}
                print(f"N={n} {name}: load before {'/'.join(f'{x:.2f}' for x in r['load'])}", flush=True)
                print(
                    f"    first refresh after N finish: {r['first'][0]:.2f} s, calls {calls_text(r['first'][1])}"
                )
                print(f"    second refresh: {r['second'][0]:.2f} s, calls {calls_text(r['second'][1])}")
                for kind, results in r["previews"].items():
                    print(
                        f"    {kind}: "
                        + ", ".join(f"{w:.2f} s / {sum(c.values())} calls" for w, c in results)
                    )
                rows.append((n, name, r, walls))
    print(f"\nload after: {machine().split('load')[1]}")
    print(
        "| N | code | first refresh after N finish: calls | s | second refresh: calls | s | "
        "preview --refresh s (calls) | preview s | ratio of medians | median of ratios |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, name, r, walls in rows:
        refresh_calls = sum(r["previews"]["preview --refresh"][0][1].values())
        pairs = zip(r["previews"]["preview --refresh"], r["previews"]["preview"], strict=True)
        pairwise = median([refreshed / plain for (refreshed, _), (plain, _) in pairs])
        print(
            f"| {n} | {name} | {sum(r['first'][1].values())} | {r['first'][0]:.1f} | "
            f"{sum(r['second'][1].values())} | {r['second'][0]:.1f} | {walls['preview --refresh']:.2f} "
            f"({refresh_calls}) | {walls['preview']:.2f} | {walls['preview --refresh'] / walls['preview']:.2f}x | {pairwise:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
