"""What refresh costs: API calls (the emulator's request log) and wall time, for a stack of N MediaProcessTasks.

Usage (from the repo root)::

    .venv/bin/python bench/refresh_calls.py [--n 200 1000] [--runs 3] [--baseline main] [--kinds mps noop]
        [--legacy-refresh-diff] [--phases] [--parallel P]

For each N, each variant (``--baseline REV``: the package at git revision REV, then the working tree's) gets a
fresh stack of N tasks and the emulator (rate limit 100/s, reset) goes through:

- ``up`` (the tasks are WAITING), then the emulator's clock moves 60 s: every task is FINISH;
- ``refresh --yes`` (a preview, then the update: two provider processes): the first refresh after N tasks finish;
- ``refresh --yes`` again: the second refresh of N finished tasks;
- ``preview --refresh`` and ``preview``, alternately, ``--runs`` times each: wall seconds, calls; the ratio of the
  medians and the median of each pair's ratio (steadier when the machine's speed drifts during a run).

``--legacy-refresh-diff`` adds a third command to each alternation: ``preview --refresh`` with the engine's
``PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true``, under which a refresh step makes the Read only, not the Diff of the
refreshed state against the desired inputs that follows it (what each of the two calls costs). ``--phases``
ends each stack with one ``preview`` and one ``preview --refresh`` whose provider server is traced
(``bench/probe.py``, ``PULUMI_BENCH_TRACE=1``): when each kind of call began and ended, from the command's start.

``--kinds templates`` runs the same steps on N TranscodeTemplates (the clock's move changes nothing for them):
each refresh is Describe calls, which the Reads of one process share (``_config.DescribeBatches``), and
``refresh --yes --skip-preview`` (the update's Reads alone) is counted too; ``noop-template-shaped`` is its floor.
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
import time
from collections import Counter
from pathlib import Path

from _common import (
    API_KINDS,
    BENCH,
    EmulatorProcess,
    baseline_package,
    bench_stack,
    git_rev,
    machine,
    median,
    probed_env,
    program,
    read_probes,
    stack_env,
    timed,
)

GOALS = (
    "tasks: second refresh <= N/100 + 3 calls; first refresh after N finish <= N + N/100 + 3; preview --refresh "
    "<= 1.1x; templates: a refresh <= ceil(N/100) + 3 calls"
)


def counted(emu: EmulatorProcess, stack, *args: str) -> tuple[float, Counter]:
    emu.admin.clear_requests()
    wall, _ = timed(stack, *args)
    return wall, Counter(r["Action"] for r in emu.admin.requests())


LEGACY = "preview --refresh, legacy refresh diff"


def phases(stack, *args: str) -> list[str]:
    """Run ``pulumi ARGS`` with the provider server traced; one line per kind of call the provider served."""
    probe_dir = Path(stack.env["PULUMI_BENCH_PROBE_DIR"])
    read_probes(probe_dir)
    with stack_env(stack, **probed_env(stack), PULUMI_BENCH_TRACE="1"):
        start = time.time()
        wall, _ = timed(stack, *args)
    lines = [f"pulumi {' '.join(args)}: {wall:.2f} s"]
    for probe in read_probes(probe_dir):
        if probe["role"] != "provider":
            continue
        calls: dict[str, list[tuple[float, float]]] = {}
        for method, began, ended in probe.get("calls", []):
            calls.setdefault(method, []).append((began - start, ended - start))
        lines.append(f"  provider process: {probe['cpu_s']:.2f} CPU s, {probe['wall_s']:.2f} s alive")
        for method, spans in calls.items():
            lines.append(
                f"    {method}: {len(spans)} calls from {min(b for b, _ in spans):.2f} s to "
                f"{max(e for _, e in spans):.2f} s, {median([e - b for b, e in spans]) * 1000:.2f} ms each (median)"
            )
    return lines


def one_stack(
    emu: EmulatorProcess,
    n: int,
    runs: int,
    package: str | None,
    kind: str = "mps",
    legacy: bool = False,
    traced: bool = False,
    parallel: int = 0,
) -> dict:
    emu.admin.reset()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mps-bench-cache-") as cache:
        env = {"PULUMI_SKIP_CHECKPOINTS": "true", "MPS_CACHE_DIR": cache}
        if package:
            env["PYTHONPATH"] = os.pathsep.join([package, str(BENCH)])
        with bench_stack(
            "refresh", program(kind, n), emu.url if kind in API_KINDS else None, probe=False, extra_env=env
        ) as (stack, _):
            stack.run("up", "--yes", "--skip-preview", timeout=1800)
            emu.admin.advance_clock(60)
            par = ("--parallel", str(parallel)) if parallel else ()
            first = counted(emu, stack, "refresh", "--yes", *par)
            second = counted(emu, stack, "refresh", "--yes", *par)
            # The update of a refresh alone (one provider process): what each phase of `refresh --yes` costs.
            skip = (
                counted(emu, stack, "refresh", "--yes", "--skip-preview", *par)
                if kind == "templates"
                else None
            )
            previews: dict[str, list[tuple[float, Counter]]] = {"preview --refresh": [], "preview": []}
            for _ in range(runs):
                previews["preview --refresh"].append(counted(emu, stack, "preview", "--refresh", *par))
                if legacy:
                    with stack_env(stack, PULUMI_ENABLE_LEGACY_REFRESH_DIFF="true"):
                        previews.setdefault(LEGACY, []).append(
                            counted(emu, stack, "preview", "--refresh", *par)
                        )
                previews["preview"].append(counted(emu, stack, "preview", *par))
            traces = [*phases(stack, "preview"), *phases(stack, "preview", "--refresh")] if traced else []
    return {
        "load": load,
        "first": first,
        "second": second,
        "skip_preview": skip,
        "previews": previews,
        "phases": traces,
    }


def calls_text(calls: Counter) -> str:
    return f"{sum(calls.values())} ({', '.join(f'{k} {v}' for k, v in sorted(calls.items())) or 'none'})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--runs", type=int, default=3, help="preview pairs per stack")
    parser.add_argument("--baseline", help="git revision to run side by side (e.g. main)")
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=["mps"],
        choices=["mps", "noop", "noop-shaped", "templates", "noop-template-shaped"],
        help="templates: N TranscodeTemplates (no clock move needed; their refresh is Describe calls)",
    )
    parser.add_argument(
        "--legacy-refresh-diff",
        action="store_true",
        help="also time preview --refresh with PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true (the Read without the Diff)",
    )
    parser.add_argument(
        "--parallel",
        type=int,
        default=0,
        help="pulumi refresh / preview --parallel (default: the CLI's, 4 per CPU)",
    )
    parser.add_argument("--phases", action="store_true", help="end each stack with a traced pair of previews")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"code: {git_rev()}"
        + (f", baseline {args.baseline} = {git_rev(args.baseline)}" if args.baseline else "")
        + (f"; pulumi --parallel {args.parallel}" if args.parallel else "")
        + f"; goals: {GOALS}",
        flush=True,
    )
    # (name, package revision, kind): the API kinds at the baseline (if any) and as they are, then the no-op floors.
    variants: list[tuple[str, str | None, str]] = []
    for kind in args.kinds:
        label = "" if kind == "mps" else f"{kind} "
        if kind in API_KINDS and args.baseline:
            variants.append((f"{label}baseline", args.baseline, kind))
        variants.append((f"{label}current" if kind in API_KINDS else kind, None, kind))
    rows = []
    with contextlib.ExitStack() as outer:
        packages = {
            name: outer.enter_context(baseline_package(rev)) if rev else None for name, rev, _ in variants
        }
        emu = outer.enter_context(EmulatorProcess(rate_limit=100))
        for n in args.n:
            for name, _, kind in variants:
                r = one_stack(
                    emu,
                    n,
                    args.runs,
                    packages[name],
                    kind,
                    args.legacy_refresh_diff,
                    args.phases,
                    args.parallel,
                )
                walls = {k: median([w for w, _ in v]) for k, v in r["previews"].items()}
                print(f"N={n} {name}: load before {'/'.join(f'{x:.2f}' for x in r['load'])}", flush=True)
                print(
                    f"    first refresh after N finish: {r['first'][0]:.2f} s, calls {calls_text(r['first'][1])}"
                )
                print(f"    second refresh: {r['second'][0]:.2f} s, calls {calls_text(r['second'][1])}")
                if r["skip_preview"] is not None:
                    print(
                        f"    refresh --skip-preview: {r['skip_preview'][0]:.2f} s, calls "
                        f"{calls_text(r['skip_preview'][1])}"
                    )
                for command, results in r["previews"].items():
                    print(
                        f"    {command}: "
                        + ", ".join(f"{w:.2f} s / {sum(c.values())} calls" for w, c in results)
                    )
                for line in r["phases"]:
                    print(f"    {line}")
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
        if LEGACY in walls:
            legacy_pairs = zip(r["previews"][LEGACY], r["previews"]["preview"], strict=True)
            print(
                f"|   | {name}, legacy refresh diff |   |   |   |   | {walls[LEGACY]:.2f} | {walls['preview']:.2f} | "
                f"{walls[LEGACY] / walls['preview']:.2f}x | {median([a / b for (a, _), (b, _) in legacy_pairs]):.2f}x |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
