"""Import time (and memory) of the package's entry points, each in a fresh interpreter.

Usage (from the repo root)::

    .venv/bin/python bench/import_time.py [--runs 7] [--top 12]

Targets: ``pulumi`` and ``pulumi.dynamic`` (what every Pulumi Python program and every dynamic provider process
imports anyway: the floor), ``pulumi_mps`` (the lazy package), ``pulumi_mps.resources`` (what a program pays
when it declares a task), ``pulumi_mps._providers`` (what the provider process pays when it unpickles the
provider), and ``provider first check``: ``pulumi_mps._providers`` plus one ``check()`` of a typical
MediaProcessTask (what the first Check call of a `pulumi preview` costs, lazily built parts included).

Prints the median wall time of the import inside the interpreter (startup excluded), the interpreter's RSS and
the number of GC-tracked objects after it, and the modules with the largest self time (``-X importtime``) for
the program's path and the provider's first check.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

from _common import REPO, clean_env, machine, median

CHECK = (
    "from pulumi_mps._providers import MediaProcessTaskProvider as P\n"
    "P().check({}, {'__provider': 'x', 'resource_identity': 'p/s/t', 'input_info': {'type': 'COS', "
    "'cos_input_info': {'bucket': 'b-1250000000', 'region': 'ap-chongqing', 'object': '/a.mov'}}, "
    "'media_process_task': {'transcode_task_set': [{'definition': 20.0}]}})\n"
)
TARGETS = {
    "pulumi": "import pulumi",
    "pulumi.dynamic": "import pulumi.dynamic",
    "pulumi_mps": "import pulumi_mps",
    "pulumi_mps.resources": "import pulumi_mps.resources",
    "pulumi_mps._providers": "import pulumi_mps._providers",
    "provider first check": CHECK,
}
PROBE = """
import gc, time
t0 = time.perf_counter()
exec(compile({code!r}, "<bench>", "exec"))
t1 = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(__import__("json").dumps({{"s": t1 - t0, "rss_mb": rss / 1024, "objects": len(gc.get_objects())}}))
"""


def measure(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=clean_env(),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def top_self(code: str, top: int) -> list[tuple[int, int, str]]:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=clean_env(),
    )
    rows = []
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), m.group(4)))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"\nmedian of {args.runs} fresh interpreters")
    print("| import | ms | RSS MB after | GC objects after |")
    print("|---|---|---|---|")
    for name, code in TARGETS.items():
        samples = [measure(code) for _ in range(args.runs)]
        print(
            f"| `{name}` | {median([s['s'] for s in samples]) * 1000:.0f} | "
            f"{median([s['rss_mb'] for s in samples]):.1f} | {median([s['objects'] for s in samples]):.0f} |",
            flush=True,
        )
    for name in ("pulumi_mps.resources", "provider first check"):
        print(f"\nlargest self times, `python -X importtime`, {name} (one run, ms):")
        for self_us, cum_us, mod in top_self(TARGETS[name], args.top):
            print(f"  {self_us / 1000:7.1f} self {cum_us / 1000:7.1f} cumulative  {mod}")
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONPATH", None)
    sys.exit(main())
