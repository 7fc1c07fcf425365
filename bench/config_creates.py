"""What the creates of N templates cost the provider alone: no engine, no program, no gRPC.

Usage (from the repo root)::

    .venv/bin/python bench/config_creates.py [--n 200] [--threads 8] [--runs 3] [--rate-limit 100 0]

Each run starts the emulator in its own process (``bench/_common.EmulatorProcess``, empty), checks N
TranscodeTemplates with the benchmarks' typical inputs (``_common.TEMPLATE_ARGS``) through
``TranscodeTemplateProvider.check``, then runs their ``create`` on ``--threads`` threads, as the engine's steps
would (the CLI's default ``--parallel`` on 2 cores is 8). Reported: the wall and CPU seconds of the creates, the
emulator's CPU seconds and its calls by action. ``--rate-limit 0`` turns the limit off in the emulator and in the
provider (``MPS_RATE_LIMIT=0``); otherwise both pace at the API's 100 calls a second per action, which bounds N
creates from below at about N / 100 seconds, whatever the provider does.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from _common import REGION, SECRET_ID, SECRET_KEY, TEMPLATE_ARGS, EmulatorProcess, machine, median

MARKER = "s1-" + "b" * 32


def one_run(n: int, threads: int, rate_limit: int, run: int) -> dict:
    from pulumi_mps import _client, _config
    from pulumi_mps._providers import TranscodeTemplateProvider

    with EmulatorProcess(rate_limit) as emu:
        os.environ.update(
            MPS_ENDPOINT=emu.url,
            TENCENTCLOUD_SECRET_ID=SECRET_ID,
            TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
            TENCENTCLOUD_REGION=REGION,
        )
        if rate_limit == 0:
            os.environ["MPS_RATE_LIMIT"] = "0"
        else:
            os.environ.pop("MPS_RATE_LIMIT", None)
        _client.forget_known_tasks()  # a new provider process: new clients, limiters and listings
        _config.BATCHES = _config.Reads()
        provider = TranscodeTemplateProvider()
        inputs = []
        for i in range(n):
            checked = provider.check(
                {}, {**TEMPLATE_ARGS, "resource_identity": f"bench/run{run}/t{i:05}", "stack_marker": MARKER}
            )
            assert not checked.failures, checked.failures
            inputs.append(checked.inputs)
        emu_cpu = emu.cpu_seconds()
        wall, cpu = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(threads) as pool:
            made = list(pool.map(provider.create, inputs))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert len({m.id for m in made}) == n
        calls = Counter(r["Action"] for r in emu.admin.requests())
        return {"wall": wall, "cpu": cpu, "emulator_cpu": emu.cpu_seconds() - emu_cpu, "calls": dict(calls)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate-limit", type=int, nargs="+", default=[100, 0])
    args = parser.parse_args()
    print(machine())
    print(f"N={args.n} threads={args.threads} runs={args.runs}")
    rows = []
    for limit in args.rate_limit:
        results = [one_run(args.n, args.threads, limit, run) for run in range(args.runs)]
        for r in results:
            print(
                f"rate limit {limit:>3}: wall {r['wall']:.2f} s  cpu {r['cpu']:.2f} s  "
                f"emulator cpu {r['emulator_cpu']:.2f} s  calls {r['calls']}",
                flush=True,
            )
        rows.append((limit, results))
    print("\n| rate limit (calls/s per action) | creates wall s | provider CPU s | emulator CPU s | calls |")
    print("|---|---|---|---|---|")
    for limit, results in rows:
        print(
            f"| {limit or 'off'} | {median([r['wall'] for r in results]):.2f} | "
            f"{median([r['cpu'] for r in results]):.2f} | {median([r['emulator_cpu'] for r in results]):.2f} | "
            f"{results[-1]['calls']} |"
        )


if __name__ == "__main__":
    main()
