"""`pulumi preview` and `pulumi up` of N MediaProcessTasks (or TranscodeTemplates) against the MPS emulator, next to
the same N of a no-op dynamic resource (the engine's floor), on a local file backend, offline.

Usage (from the repo root)::

    .venv/bin/python bench/preview_up.py [--n 10 100 1000] [--runs 3] [--kinds noop mps]
                                         [--checkpoints skip|save] [--rate-limit 100] [--parallel P]
                                         [--ops preview up preview-nochange] [--baseline REV]
                                         [--alternate K]

For each N and run, every kind gets a fresh stack (own PULUMI_HOME and state; kinds interleaved, so a run's
ratio compares like with like under the same machine load) and goes through:

- ``preview``           of the empty stack (Check of every resource),
- ``up``                creating the N resources (``--yes --skip-preview``),
- ``preview-nochange``  of the deployed stack (Check + Diff of every resource, ``--expect-no-changes``).

Kinds: ``noop`` (bench/noop_provider.Noop: same inputs, nothing else), ``noop-shaped`` (the same, plus the
properties a MediaProcessTask declares: to tell the SDK's per-property cost from the provider's own) and
``mps`` (pulumi_mps.MediaProcessTask, submitting ProcessMedia to the emulator); for templates,
``noop-template-shaped`` (the inputs and properties a TranscodeTemplate declares) and ``templates``
(pulumi_mps.TranscodeTemplate: CreateTranscodeTemplate, after looking for its derived name, then one
DescribeTranscodeTemplates). The providers are pickled by reference (bench/ on PYTHONPATH). The emulator runs as
its own process (``python -m pulumi_mps.emulator``), with the API's rate limit of 100 calls/s per action on
(``--rate-limit``) and is reset before each mps or templates stack.
``--rate-limit 0`` turns the limit off in the emulator and in the provider (``MPS_RATE_LIMIT=0``): what the
provider costs when the API's limit is not what bounds `up`.

``PULUMI_BENCH_THREADS=1`` (environment) adds each run's CPU seconds per thread of the program and provider
processes (read from /proc at exit); ``PULUMI_BENCH_WAITS=1`` the program's ``asyncio.wait`` calls (the SDK's
end-of-program rescans of the pending outputs); ``PULUMI_BENCH_TRACE=1`` when the provider's first call began
and its last ended. Every run also prints the engine's CPU (the command's processes minus program and provider). ``--checkpoints skip`` (default) sets PULUMI_SKIP_CHECKPOINTS=true: the file backend then writes the state
once at the end instead of after every step (which is O(N^2) and dominates `up` at N = 1000; ``save`` keeps
the default). Each command runs with bench/shim first on PATH: the language host and the provider process run
under bench/probe.py, which records their CPU time and peak RSS.

``--alternate K`` measures pairs closer together: one stack per kind, all open at once, K ``preview`` rounds of
the empty stacks (each round runs every kind once, in reverse order every other round), one ``up`` each, then K
``preview-nochange`` rounds; ``--runs`` is not used. A preview changes nothing, so the rounds repeat one command on
one stack, seconds apart from its floor's.

``--baseline REV`` runs each API kind twice per run, interleaved: ``<kind>@base`` with the package as it is at git
revision REV (``git archive``, byte-compiled, first on PYTHONPATH), then as it is in the working tree.

Prints per-run lines, then a table of medians: wall seconds per kind, the ratios (every kind against the first,
``mps`` against ``noop-shaped`` and ``templates`` against ``noop-template-shaped`` when those ran: the ratio of
the medians and the median of the per-run ratios), CPU seconds of the program (language host) and provider
processes, provider peak RSS. ``--json FILE`` keeps every measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import (
    API_KINDS,
    BENCH,
    FLOORS,
    IMPORTS,
    EmulatorProcess,
    baseline_package,
    bench_stack,
    git_rev,
    machine,
    median,
    program,
    read_probes,
    timed,
)

from tests.pulumi_harness import Stack

OPS = (
    ("preview", ("preview",)),
    ("up", ("up", "--yes", "--skip-preview")),
    ("preview-nochange", ("preview", "--expect-no-changes")),
)


def stack_env(args: argparse.Namespace, package: str | None) -> dict[str, str]:
    """The environment of every stack of this run (``package``: a baseline's, first on PYTHONPATH)."""
    extra_env = {"PULUMI_SKIP_CHECKPOINTS": "true"} if args.checkpoints == "skip" else {}
    if args.rate_limit == 0:
        extra_env["MPS_RATE_LIMIT"] = "0"
    if package:
        extra_env["PYTHONPATH"] = os.pathsep.join([package, str(BENCH)])
    return extra_env


@contextlib.contextmanager
def open_stack(
    name: str, n: int, emu: EmulatorProcess, args: argparse.Namespace, package: str | None
) -> Iterator[tuple[Stack, Path]]:
    """A fresh stack of ``name`` (a kind, or ``<kind>@base``: that kind with the package of ``--baseline``)."""
    kind = name.partition("@")[0]
    with bench_stack(
        kind.replace("-", ""),
        program(kind, n),
        emu.url if kind in API_KINDS else None,
        extra_env=stack_env(args, package),
    ) as (stack, probe_dir):
        read_probes(probe_dir)
        yield stack, probe_dir


def measure(
    stack: Stack, probe_dir: Path, op: str, emu: EmulatorProcess, args: argparse.Namespace
) -> dict[str, Any]:
    """Run one command of OPS on ``stack``: wall and CPU seconds, per process, from bench/probe.py's records."""
    cmd = dict(OPS)[op]
    parallel = ("--parallel", str(args.parallel)) if args.parallel and op == "up" else ()
    emu_cpu, began = emu.cpu_seconds(), time.time()
    wall, cpu = timed(stack, *cmd, *parallel)
    probes = read_probes(probe_dir)
    programs = [p for p in probes if p["role"] == "program"]
    providers = [p for p in probes if p["role"] == "provider"]
    calls = [c for p in providers for c in p.get("calls") or [] if c[0] != "Configure"]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "program_cpu_s": sum(p["cpu_s"] for p in programs),
        "program_peak_rss_mb": max((p["peak_rss_mb"] for p in programs), default=0.0),
        "provider_cpu_s": sum(p["cpu_s"] for p in providers),
        "provider_peak_rss_mb": max((p["peak_rss_mb"] for p in providers), default=0.0),
        "emulator_cpu_s": emu.cpu_seconds() - emu_cpu,
        # pulumi itself: every process it ran, minus the program and the provider
        "engine_cpu_s": cpu - sum(p["cpu_s"] for p in programs) - sum(p["cpu_s"] for p in providers),
        # first provider call to the end of the last, seconds after the command began
        "provider_calls_s": [
            round(min(c[1] for c in calls) - began, 2),
            round(max(c[2] for c in calls) - began, 2),
        ]
        if calls
        else None,
        "asyncio_waits": [p["asyncio_waits"] for p in programs if p.get("asyncio_waits", {}).get("calls")],
        "threads": {
            p["role"] + ":" + name: cpu
            for p in probes
            for name, cpu in p.get("thread_cpu", {}).items()
            if cpu >= 0.01
        },
    }


def before_up(name: str, emu: EmulatorProcess, args: argparse.Namespace) -> None:
    if name.partition("@")[0] in API_KINDS:
        emu.admin.reset()
        emu.admin.set_rate_limit(args.rate_limit)


def count_up(name: str, n: int, emu: EmulatorProcess, up: dict[str, Any]) -> None:
    """What an API kind's ``up`` asked of the emulator (added to ``up``); fails unless it made N objects."""
    kind = name.partition("@")[0]
    if kind == "mps":
        requests = emu.admin.requests("ProcessMedia")
        made = len(emu.admin.tasks())
        up.update(tasks=made, process_media_calls=len(requests))
    elif kind == "templates":
        requests = emu.admin.requests()
        made = len(emu.admin.templates("TranscodeTemplate"))
        up.update(templates=made, calls=dict(Counter(r["Action"] for r in requests)))
    else:
        return
    up["rate_limited"] = sum(r["Error"] == "RequestLimitExceeded" for r in requests)
    if made != n:
        raise SystemExit(f"{name} up made {made} objects, expected {n}")


def run_kind(
    name: str, n: int, emu: EmulatorProcess, args: argparse.Namespace, package: str | None = None
) -> dict[str, dict]:
    """One fresh stack of ``name`` through the commands."""
    before_up(name, emu, args)
    results: dict[str, dict] = {}
    with open_stack(name, n, emu, args, package) as (stack, probe_dir):
        for op, _ in OPS:
            if op in args.ops:
                results[op] = measure(stack, probe_dir, op, emu, args)
        if "up" in results:
            count_up(name, n, emu, results["up"])
    return results


def alternate(
    n: int, emu: EmulatorProcess, args: argparse.Namespace, package: str | None
) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    """``--alternate K``: one fresh stack per kind, all open at once; ``preview`` of each K times, the kinds
    alternating (in reverse order every other round), then ``up`` of each, then ``preview-nochange`` of each K
    times, alternating. A preview changes nothing, so the rounds repeat the same command on the same stack; each
    round's pair ran seconds apart. Yields (round, kind, op, values)."""
    with contextlib.ExitStack() as stacks:
        opened = {
            name: stacks.enter_context(
                open_stack(name, n, emu, args, package if name.endswith("@base") else None)
            )
            for name in args.kinds
        }
        for op, _ in OPS:
            if op not in args.ops:
                continue
            for round_ in range(1 if op == "up" else args.alternate):
                order = args.kinds if round_ % 2 == 0 else args.kinds[::-1]
                for name in order:
                    if op == "up":
                        before_up(name, emu, args)
                    values = measure(*opened[name], op, emu, args)
                    if op == "up":
                        count_up(name, n, emu, values)
                    yield round_, name, op, values


def ratio_columns(kinds: list[str]) -> list[tuple[str, str]]:
    """(kind, floor) of each ratio printed: every kind against the first, and each API kind (at the baseline too)
    against the no-op with its own properties when that ran too."""
    pairs = [(k, kinds[0]) for k in kinds[1:]]
    floors = [(k, FLOORS.get(k.partition("@")[0], "")) for k in kinds]
    return pairs + [(k, floor) for k, floor in floors if floor in kinds and floor != kinds[0]]


def report(n: int, run: int, kind: str, op: str, values: dict[str, Any]) -> None:
    """The lines of one measurement."""
    extra = ""
    if "tasks" in values:
        extra = f" tasks={values['tasks']} ProcessMedia={values['process_media_calls']}"
    elif "templates" in values:
        extra = f" templates={values['templates']} calls={values['calls']}"
    if extra:
        extra += (
            f" RequestLimitExceeded={values['rate_limited']} emulator cpu {values['emulator_cpu_s']:.2f} s"
        )
    print(
        f"N={n:<5} run {run + 1} {kind:<12} {op:<17} wall {values['wall_s']:7.2f} s  "
        f"program cpu {values['program_cpu_s']:6.2f} s  provider cpu "
        f"{values['provider_cpu_s']:5.2f} s  provider rss "
        f"{values['provider_peak_rss_mb']:5.1f} MB{extra}",
        flush=True,
    )
    calls = values["provider_calls_s"]
    print(
        f"    engine cpu {values['engine_cpu_s']:.2f} s"
        + (f"; provider calls from {calls[0]:.2f} to {calls[1]:.2f} s" if calls else ""),
        flush=True,
    )
    if values["asyncio_waits"]:
        print(f"    program asyncio.wait: {values['asyncio_waits']}", flush=True)
    if values["threads"]:
        print(f"    CPU s per thread: {values['threads']}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", default=["noop", "mps"], choices=sorted(IMPORTS))
    parser.add_argument("--checkpoints", choices=("skip", "save"), default="skip")
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=100,
        help="emulator limit, calls/s per action (0: off, in the provider too)",
    )
    parser.add_argument("--parallel", type=int, default=0, help="pulumi up --parallel (default: the CLI's)")
    parser.add_argument(
        "--ops",
        nargs="+",
        default=[op for op, _ in OPS],
        choices=[op for op, _ in OPS],
        help="the commands to run (preview-nochange needs up)",
    )
    parser.add_argument(
        "--baseline",
        help="git revision: each API kind also runs with the package as it is there (<kind>@base), interleaved",
    )
    parser.add_argument(
        "--alternate",
        type=int,
        default=0,
        metavar="K",
        help="one stack per kind, all open: K previews of each (alternating kinds), one up, K no-change previews",
    )
    parser.add_argument("--json", help="write every measurement to this file")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"code: {git_rev()}"
        + (f", baseline (<kind>@base) {args.baseline} = {git_rev(args.baseline)}" if args.baseline else ""),
        flush=True,
    )
    print(
        f"checkpoints: {args.checkpoints}, emulator rate limit: {args.rate_limit}/s, "
        f"parallel: {args.parallel or 'default'}, "
        + (f"alternating rounds: {args.alternate}" if args.alternate else f"runs: {args.runs}"),
        flush=True,
    )
    data: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    started = time.time()
    if args.baseline:
        args.kinds = [v for k in args.kinds for v in ([f"{k}@base", k] if k in API_KINDS else [k])]
    with baseline_package(args.baseline) as package, EmulatorProcess(rate_limit=args.rate_limit) as emu:
        for n in args.n:
            if args.alternate:
                for round_, kind, op, values in alternate(n, emu, args, package):
                    data[n][kind][op].append(values)
                    report(n, round_, kind, op, values)
                continue
            for run in range(args.runs):
                for kind in args.kinds:
                    results = run_kind(kind, n, emu, args, package if kind.endswith("@base") else None)
                    for op, values in results.items():
                        data[n][kind][op].append(values)
                        report(n, run, kind, op, values)
    print(f"\ntotal {time.time() - started:.0f} s; load after: {machine().split('load')[1]}")
    pairs = ratio_columns(args.kinds)
    print(
        f"\nmedians of {f'{args.alternate} alternating rounds (up: 1)' if args.alternate else f'{args.runs} runs'}; "
        "a ratio is kind / floor of the medians of the same runs, then in brackets the median of the per-run "
        "ratios (kinds run interleaved, so each run's pair ran under the same load)"
    )
    print(
        "| N | command | "
        + " | ".join(f"{k} wall s" for k in args.kinds)
        + " | "
        + " | ".join(f"{k}/{floor}" for k, floor in pairs)
        + " | "
        + " | ".join(f"{k} program/provider CPU s" for k in args.kinds)
        + " | "
        + " | ".join(f"{k} provider RSS MB" for k in args.kinds)
        + " |"
    )
    print("|---" * (2 + 3 * len(args.kinds) + len(pairs)) + "|")
    for n in args.n:
        for op in args.ops:
            walls = {k: median([v["wall_s"] for v in data[n][k][op]]) for k in args.kinds}
            per_run = {
                (k, floor): median(
                    [
                        a["wall_s"] / b["wall_s"]
                        for a, b in zip(data[n][k][op], data[n][floor][op], strict=True)
                    ]
                )
                for k, floor in pairs
            }
            cpus = {
                k: (
                    median([v["program_cpu_s"] for v in data[n][k][op]]),
                    median([v["provider_cpu_s"] for v in data[n][k][op]]),
                )
                for k in args.kinds
            }
            rss = {k: median([v["provider_peak_rss_mb"] for v in data[n][k][op]]) for k in args.kinds}
            print(
                f"| {n} | {op} | "
                + " | ".join(f"{walls[k]:.2f}" for k in args.kinds)
                + " | "
                + " | ".join(
                    f"{walls[k] / walls[floor]:.2f}x ({per_run[k, floor]:.2f}x)" for k, floor in pairs
                )
                + " | "
                + " | ".join(f"{cpus[k][0]:.2f} / {cpus[k][1]:.2f}" for k in args.kinds)
                + " | "
                + " | ".join(f"{rss[k]:.0f}" for k in args.kinds)
                + " |"
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"machine": machine(), "args": vars(args), "data": data}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
