"""Sustained ProcessMedia calls per second through the real tencentcloud SDK against the MPS emulator.

Usage: ``.venv/bin/python bench/emulator_throughput.py [--runs 5] [--seconds 5] [--procs 2] [--threads 4]``

Starts ``python -m pulumi_mps.emulator --port 0 --rate-limit 0`` (signatures checked, rate limit off, in-memory
store, or ``--db``: a SQLite file) as its own process, then drives it from ``--procs`` client processes x ``--threads`` threads, each
thread with its own ``MpsClient`` (keep-alive session) sending valid ProcessMedia requests with a unique
SessionId (so validation, dedup lookup and task insert all run). Prints every run and the median, with the
emulator process's CPU use over the run (100% = one core busy).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _params(session_id: str) -> dict:
    return {
        "InputInfo": {
            "Type": "COS",
            "CosInputInfo": {
                "Bucket": "bench-1250000000",
                "Region": "ap-chongqing",
                "Object": "/bench/input.mov",
            },
        },
        "OutputDir": "/bench/out/",
        "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 100010}, {"Definition": 100020}]},
        "TasksPriority": 0,
        "SessionId": session_id,
    }


def _worker(endpoint: str, tag: str, threads: int, start_at: float, end_at: float, out: mp.Queue) -> None:
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.mps.v20190612.mps_client import MpsClient

    from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

    counts = [0] * threads
    errors = [0] * threads

    def loop(index: int) -> None:
        profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=endpoint))
        client = MpsClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-chongqing", profile)
        n = 0
        while True:
            now = time.time()
            if now >= end_at:
                return
            n += 1
            try:
                client.call("ProcessMedia", _params(f"b-{tag}-{index}-{n}"))
                ok = True
            except TencentCloudSDKException:
                ok = False
            if start_at <= time.time() < end_at:
                if ok:
                    counts[index] += 1
                else:
                    errors[index] += 1

    pool = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put((sum(counts), sum(errors)))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(endpoint: str, pid: int, run: int, args: argparse.Namespace) -> tuple[float, int, float]:
    ctx = mp.get_context("fork")
    queue: mp.Queue = ctx.Queue()
    start_at = time.time() + args.warmup
    end_at = start_at + args.seconds
    procs = [
        ctx.Process(target=_worker, args=(endpoint, f"{run}.{p}", args.threads, start_at, end_at, queue))
        for p in range(args.procs)
    ]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start_at - time.time()))
    cpu_before = _cpu_seconds(pid)
    time.sleep(max(0.0, end_at - time.time()))
    cpu = (_cpu_seconds(pid) - cpu_before) / args.seconds
    results = [queue.get(timeout=args.seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    return sum(r[0] for r in results) / args.seconds, sum(r[1] for r in results), cpu


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="client threads per process")
    parser.add_argument("--db", action="store_true", help="use a SQLite file (WAL) in a temporary directory")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    tmp = tempfile.TemporaryDirectory(prefix="mps-bench-")
    store = ["--db", str(Path(tmp.name) / "bench.sqlite")] if args.db else []
    server = subprocess.Popen(
        [sys.executable, "-m", "pulumi_mps.emulator", "--port", "0", "--rate-limit", "0", *store],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert server.stdout is not None
        match = re.fullmatch(r"listening on http://(\S+)\n", server.stdout.readline())
        if not match:
            raise SystemExit("the emulator did not start")
        endpoint = match.group(1)
        cpu_model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        print(f"machine: nproc={os.cpu_count()} cpu={cpu_model!r} python={platform.python_version()}")
        print(
            f"emulator: {endpoint} (signatures checked, rate limit off, "
            f"{'SQLite file, WAL' if args.db else 'in-memory store'})"
        )
        print(
            f"clients: {args.procs} processes x {args.threads} threads, {args.seconds:g} s per run, "
            f"{args.runs} runs"
        )
        rates = []
        for run in range(args.runs):
            rate, errors, cpu = _run(endpoint, server.pid, run, args)
            rates.append(rate)
            print(
                f"run {run + 1}: {rate:8.1f} ProcessMedia/s  errors={errors}  emulator CPU={cpu * 100:5.1f}%"
            )
        print(
            f"median: {statistics.median(rates):.1f} ProcessMedia/s (min {min(rates):.1f}, max {max(rates):.1f})"
        )
    finally:
        server.terminate()
        server.wait(timeout=15)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
