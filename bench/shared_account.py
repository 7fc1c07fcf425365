"""Several stacks, one account: K stacks each `pulumi up` N MediaProcessTasks at the same moment against the MPS
emulator with the account's rate limit scaled down (default 20 calls/s, so that the 2 cores are not what
bounds the run), every provider keeping its default ceiling.

Usage (from the repo root)::

    .venv/bin/python bench/shared_account.py [--stacks 3] [--n 60] [--rate-limit 20] [--runs 3]
                                             [--baseline main] [--json FILE]

Each run: the emulator (its own process) is reset and its limit set (``POST /_emulator/config``); K fresh
stacks (own project, state and PULUMI_HOME; stack k's tasks read ``/stack-k/...`` objects, which is how the
request log tells the stacks apart) start ``pulumi up --yes --skip-preview`` together. From the emulator's
request log (ProcessMedia only):

- ``aggregate/s``: accepted calls / (last accepted call - first call), and its share of the limit;
- ``refused``: RequestLimitExceeded answers, and their share of all calls; other errors;
- failures: exit codes, tasks created != K x N, SessionIds not unique;
- the rate over time: accepted calls per stack and refused calls in each second of the run.

With ``--baseline REV`` every run also does the same with the package as it is at git revision REV (``git
archive``, first on PYTHONPATH), right before the working tree's, so that both see the same machine load.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections import Counter
from datetime import datetime

from _common import BENCH, INPUTS, EmulatorProcess, baseline_package, bench_stack, git_rev, machine, median


def stack_program(k: int, n: int) -> str:
    inputs = INPUTS.replace("/episodes/", f"/stack-{k}/")
    return f"from pulumi_mps import MediaProcessTask as Task\n\nfor i in range({n}):\n    Task(f'task-{{i:05}}', {inputs})\n"


def _ts(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


def _stack_of(request: dict) -> int:
    obj = ((request.get("Params") or {}).get("InputInfo") or {}).get("CosInputInfo", {}).get("Object", "")
    return int(obj.split("/")[1].split("-")[1]) if obj.startswith("/stack-") else -1


def one_run(emu: EmulatorProcess, args: argparse.Namespace, package: str | None) -> dict:
    emu.admin.reset()
    emu.admin.set_rate_limit(args.rate_limit)
    load = os.getloadavg()
    env = {"PULUMI_SKIP_CHECKPOINTS": "true"}
    if package:
        env["PYTHONPATH"] = os.pathsep.join([package, str(BENCH)])
    with contextlib.ExitStack() as stacks:
        made = [
            stacks.enter_context(
                bench_stack(f"shared{k}", stack_program(k, args.n), emu.url, probe=False, extra_env=env)
            )[0]
            for k in range(args.stacks)
        ]
        t0 = time.time()
        procs = [stack.popen("up", "--yes", "--skip-preview") for stack in made]
        outputs = [proc.communicate(timeout=1800)[0] for proc in procs]
        wall = time.time() - t0
    requests = emu.admin.requests("ProcessMedia")
    tasks = emu.admin.tasks()
    calls = sorted(((_ts(r["Time"]), _stack_of(r), r["Error"]) for r in requests), key=lambda c: c[0])
    accepted = [c for c in calls if not c[2]]
    first = calls[0][0] if calls else t0
    span = accepted[-1][0] - first if len(accepted) > 1 else float("nan")
    per_second: dict[int, Counter] = {}
    for when, k, error in calls:
        second = per_second.setdefault(int(when - first), Counter())
        second["refused" if error == "RequestLimitExceeded" else "error" if error else k] += 1
    return {
        "load": load,
        "wall_s": wall,
        "lead_s": first - t0,
        "calls": len(calls),
        "accepted": len(accepted),
        "refused": sum(c[2] == "RequestLimitExceeded" for c in calls),
        "other_errors": sum(bool(c[2]) and c[2] != "RequestLimitExceeded" for c in calls),
        "span_s": span,
        "aggregate_per_s": len(accepted) / span,
        "tasks": len(tasks),
        "unique_sessions": len({t["SessionId"] for t in tasks}),
        "exit_codes": [p.returncode for p in procs],
        "per_stack": {
            k: {
                "calls": sum(c[1] == k for c in calls),
                "refused": sum(c[1] == k and c[2] == "RequestLimitExceeded" for c in calls),
            }
            for k in range(args.stacks)
        },
        "timeline": [
            [
                second,
                *(per_second[second].get(k, 0) for k in range(args.stacks)),
                per_second[second].get("refused", 0),
                per_second[second].get("error", 0),
            ]
            for second in sorted(per_second)
        ],
        "failed_output": [out[-1500:] for out, p in zip(outputs, procs, strict=True) if p.returncode],
    }


def describe(label: str, r: dict, args: argparse.Namespace) -> str:
    failed = r["tasks"] != args.stacks * args.n or r["unique_sessions"] != r["tasks"] or any(r["exit_codes"])
    lines = [
        (
            f"{label}: load before {r['load'][0]:.2f}/{r['load'][1]:.2f}/{r['load'][2]:.2f}, wall {r['wall_s']:.1f} s, "
            f"first call after {r['lead_s']:.1f} s; ProcessMedia calls {r['calls']}, accepted {r['accepted']}, "
            f"refused {r['refused']} ({r['refused'] / r['calls']:.0%} of calls), other errors {r['other_errors']}; "
            f"aggregate {r['aggregate_per_s']:.1f}/s over {r['span_s']:.1f} s "
            f"({r['aggregate_per_s'] / args.rate_limit:.0%} of the limit); tasks {r['tasks']} "
            f"({r['unique_sessions']} SessionIds), exit codes {r['exit_codes']}{' FAILED' if failed else ''}"
        ),
        "    per stack (calls/refused): "
        + ", ".join(f"{k}: {v['calls']}/{v['refused']}" for k, v in r["per_stack"].items()),
        "    second: accepted per stack = total, refused | accepted # and refused x, one mark per call",
    ]
    for second, *counts in r["timeline"]:
        per_stack, refused, errors = counts[:-2], counts[-2], counts[-1]
        lines.append(
            f"    {second:>3} s: {'+'.join(f'{c:>2}' for c in per_stack)} = {sum(per_stack):>3}, "
            f"{refused:>3} | {'#' * sum(per_stack)}{'x' * refused}{'!' * errors}"
        )
    lines += [f"    failed stack output: {out}" for out in r["failed_output"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stacks", type=int, default=3)
    parser.add_argument("--n", type=int, default=60, help="tasks per stack")
    parser.add_argument("--rate-limit", type=int, default=20, help="the emulator's limit, calls/s per action")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="git revision to run side by side (e.g. main)")
    parser.add_argument("--json", help="write every measurement to this file")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"{args.stacks} stacks x {args.n} tasks, emulator limit {args.rate_limit}/s, providers at their default "
        f"ceiling; code: {git_rev()}"
        + (f", baseline {args.baseline} = {git_rev(args.baseline)}" if args.baseline else ""),
        flush=True,
    )
    variants = ([("baseline", args.baseline)] if args.baseline else []) + [("current", None)]
    results: dict[str, list[dict]] = {name: [] for name, _ in variants}
    with contextlib.ExitStack() as outer:
        packages = {name: outer.enter_context(baseline_package(rev)) for name, rev in variants}
        emu = outer.enter_context(EmulatorProcess(rate_limit=args.rate_limit))
        for run in range(args.runs):
            for name, _ in variants:
                r = one_run(emu, args, packages[name])
                results[name].append(r)
                print(describe(f"run {run + 1} {name}", r, args), flush=True)
    print(f"\nmedians of {args.runs} runs; load after: {machine().split('load')[1]}")
    print(
        "| code | aggregate/s | of the limit | calls | refused | refused share | other errors | failed runs | "
        "wall s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, runs in results.items():

        def med(key: str, runs: list = runs) -> float:
            return median([r[key] for r in runs])

        failed = sum(
            r["tasks"] != args.stacks * args.n or r["unique_sessions"] != r["tasks"] or any(r["exit_codes"])
            for r in runs
        )
        share = median([r["refused"] / r["calls"] for r in runs])
        print(
            f"| {name} | {med('aggregate_per_s'):.1f} | {med('aggregate_per_s') / args.rate_limit:.0%} | "
            f"{med('calls'):.0f} | {med('refused'):.0f} | {share:.0%} | {med('other_errors'):.0f} | "
            f"{failed} of {len(runs)} | {med('wall_s'):.1f} |"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"machine": machine(), "args": vars(args), "results": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
