"""`pulumi up` of N MediaProcessTasks against an endpoint that refuses every connection (a closed port).

Usage (from the repo root)::

    .venv/bin/python bench/dead_endpoint.py [--n 200] [--runs 1] [--parallel P] [--continue-on-error]
                                                [--baseline-tree DIR]

Each run: a fresh stack of N tasks (``bench/_common.py``) goes through ``pulumi up --yes --skip-preview`` with
``MPS_ENDPOINT`` set to a port of 127.0.0.1 that nothing listens on, and reports the wall time, the exit code,
how many tasks failed and the first error. Every create fails: what is measured is how long the `up` takes to
say so. By default the engine starts no new step after the first failure; with ``--continue-on-error`` it
attempts every task, so that all N creates meet the dead endpoint. ``--parallel`` is passed to `pulumi up` (0,
the default: the CLI's own, 4 per core). ``--baseline-tree DIR`` runs the same first with the package found in ``DIR/provider`` (for instance
``git archive <commit> provider | tar -x -C DIR``) ahead of this checkout's, side by side.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sys
import time

from _common import BENCH, bench_stack, machine, median, program


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_run(n: int, tree: str | None, continue_on_error: bool, parallel: int) -> dict:
    url = f"http://127.0.0.1:{closed_port()}"
    env = {"PULUMI_SKIP_CHECKPOINTS": "true"}
    if tree:
        env["PYTHONPATH"] = os.pathsep.join([os.path.join(tree, "provider"), str(BENCH)])
    with bench_stack("dead", program("mps", n), None, probe=False, extra_env=env) as (stack, _):
        stack.env.update(
            MPS_ENDPOINT=url, TENCENTCLOUD_SECRET_ID="AKIDBENCH", TENCENTCLOUD_SECRET_KEY="bench"
        )
        t0 = time.perf_counter()
        flags = (("--continue-on-error",) if continue_on_error else ()) + (
            ("--parallel", str(parallel)) if parallel else ()
        )
        result = stack.run("up", "--yes", "--skip-preview", *flags, timeout=7200, check=False)
        wall = time.perf_counter() - t0
    errors = [
        line.strip() for line in result.output.splitlines() if "error: Exception calling application" in line
    ]
    first = errors[0].split("application: ", 1)[1] if errors else result.output[-300:]
    return {
        "wall_s": wall,
        "exit_code": result.returncode,
        "failed": len(
            {
                m.group(1)
                for m in re.finditer(r"MediaProcessTask (task-\d+) \*\*creating failed\*\*", result.output)
            }
        ),
        "first_error": re.sub(r"\d+\.\d s", "… s", first)[:240],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=0)
    parser.add_argument("--continue-on-error", action="store_true")
    parser.add_argument("--baseline-tree", default=None)
    args = parser.parse_args()
    print(f"# {machine()}", flush=True)
    trees = ([("baseline", args.baseline_tree)] if args.baseline_tree else []) + [("current", None)]
    walls: dict[str, list[float]] = {name: [] for name, _ in trees}
    for run in range(args.runs):
        for name, tree in trees:
            row = one_run(args.n, tree, args.continue_on_error, args.parallel)
            walls[name].append(row["wall_s"])
            flags = " --continue-on-error" * args.continue_on_error + f" --parallel {args.parallel}" * bool(
                args.parallel
            )
            print(
                f"run {run + 1} {name:8} N={args.n}{flags}: up {row['wall_s']:.1f} s, exit {row['exit_code']}, "
                f"{row['failed']} tasks failed; first error: {row['first_error']}",
                flush=True,
            )
    for name, values in walls.items():
        print(f"median {name}: {median(values):.1f} s over {len(values)} run(s)")
    if args.baseline_tree:
        print(f"ratio current / baseline: {median(walls['current']) / median(walls['baseline']):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
