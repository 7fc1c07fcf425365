"""Shared pieces of the benchmarks: machine description, the emulator as its own process, Pulumi stacks on a
file backend (offline, the tests' harness), the provider-process probe and small statistics helpers."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from typing_extensions import Self

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from tests.pulumi_harness import Stack, find_cli, new_project  # noqa: E402  (the repository is on sys.path now)


def compile_sources() -> None:
    """Byte-compile the package and bench/ as ``pip install`` does for a wheel.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it) an editable install never gets its
    ``__pycache__``, so every program and provider process would compile the package from source (~35 ms, the
    generated models most) where an installed package loads bytecode. ``BENCH_SOURCE_ONLY=1`` skips this.
    """
    import compileall

    if os.environ.get("BENCH_SOURCE_ONLY") != "1":
        for path in (REPO / "provider" / "pulumi_mps", BENCH):
            compileall.compile_dir(path, quiet=1)


compile_sources()

from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY  # noqa: E402  (after compile_sources)

SECRET_ID, SECRET_KEY = DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY  # the emulator's default test account
REGION = "ap-chongqing"

# The benchmark programs: N resources of one kind, each with the inputs of a typical MediaProcessTask (the task
# kinds) or TranscodeTemplate (the template kinds).
INPUTS = (
    'input_info={"type": "COS", "cos_input_info": {"bucket": "series-1250000000", '
    '"region": "ap-chongqing", "object": f"/episodes/{i:05}.mov"}}, '
    'media_process_task={"transcode_task_set": [{"definition": 20}, {"definition": 30}]}'
)
# The template kinds' programs: N TranscodeTemplates with the inputs of a typical one (the docs' H.264 / AAC).
TEMPLATE_ARGS = {
    "container": "mp4",
    "video_template": {
        "codec": "libx264",
        "fps": 25,
        "bitrate": 3000,
        "height": 1080,
        "resolution_adaptive": "open",
    },
    "audio_template": {"codec": "libfdk_aac", "bitrate": 128, "sample_rate": 44100, "audio_channel": 2},
}
TEMPLATE_INPUTS = ", ".join(f"{key}={value!r}" for key, value in TEMPLATE_ARGS.items())
IMPORTS = {
    "noop": "from noop_provider import Noop as Task",
    "noop-shaped": "from noop_provider import NoopShaped as Task",
    "mps": "from pulumi_mps import MediaProcessTask as Task",
    "noop-template-shaped": "from noop_provider import NoopTemplateShaped as Task",
    "templates": "from pulumi_mps import TranscodeTemplate as Task",
}
KIND_INPUTS = {"noop-template-shaped": TEMPLATE_INPUTS, "templates": TEMPLATE_INPUTS}
# The kinds whose provider calls the emulator, and the no-op floor with the same properties of each.
API_KINDS = ("mps", "templates")
FLOORS = {"mps": "noop-shaped", "templates": "noop-template-shaped"}


def program(kind: str, n: int) -> str:
    inputs = KIND_INPUTS.get(kind, INPUTS)
    return f"{IMPORTS[kind]}\n\nfor i in range({n}):\n    Task(f'task-{{i:05}}', {inputs})\n"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()
    bytecode = "source only" if os.environ.get("BENCH_SOURCE_ONLY") == "1" else "compiled"
    return (
        f"nproc={os.cpu_count()} cpu={cpu!r} python={platform.python_version()} "
        f"kernel={platform.release()} load(1/5/15 min)={load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f} "
        f"package bytecode={bytecode}"
    )


@contextlib.contextmanager
def baseline_package(rev: str | None) -> Iterator[str | None]:
    """The package as it is at git revision ``rev`` (``git archive`` into a temporary directory), byte-compiled;
    yields the directory to put first on PYTHONPATH so that programs and providers import it instead of the
    working tree's (the editable install is a plain ``.pth`` path entry, which PYTHONPATH precedes).
    None for no baseline."""
    if not rev:
        yield None
        return
    tmp = Path(tempfile.mkdtemp(prefix="mps-bench-baseline-"))
    try:
        archive = subprocess.run(
            ["git", "archive", rev, "provider"], cwd=REPO, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        if os.environ.get("BENCH_SOURCE_ONLY") != "1":
            import compileall

            compileall.compile_dir(tmp / "provider" / "pulumi_mps", quiet=1)
        yield str(tmp / "provider")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def git_rev(rev: str = "HEAD") -> str:
    """``rev`` as a short commit id (``+dirty`` for the working tree when it has uncommitted changes)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    if (
        rev == "HEAD"
        and subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--", "provider"], cwd=REPO, check=False
        ).returncode
    ):
        commit += "+dirty"
    return commit


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


class EmulatorProcess:
    """``python -m pulumi_mps.emulator --port 0`` in its own process; ``url``, ``admin``, ``cpu_seconds()``."""

    def __init__(self, rate_limit: int = 100) -> None:
        self.rate_limit = rate_limit
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> Self:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pulumi_mps.emulator",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--rate-limit",
                str(self.rate_limit),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=clean_env(),
            cwd=REPO,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+)\n", line)
        if not match:
            self.__exit__(None, None, None)
            raise SystemExit(f"the emulator did not start: {line!r}")
        self.url = match.group(1)
        from pulumi_mps.emulator import EmulatorAdmin

        self.admin = EmulatorAdmin(self.url, timeout=60)
        return self

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        return _cpu_seconds(self.proc.pid)

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def bench_stack(
    name: str,
    program: str,
    emulator_url: str | None,
    probe: bool = True,
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[Stack, Path]]:
    """A fresh project + stack (own PULUMI_HOME and state) in a temporary directory; yields (stack, probe dir).

    bench/ is on PYTHONPATH (the no-op provider module) and, with ``probe``, bench/shim first on PATH so that
    the dynamic-provider plugin runs under bench/provider_probe.py.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"mps-bench-{name}-"))
    try:
        probe_dir = tmp / "probe"
        probe_dir.mkdir()
        cli = find_cli()
        env = {
            "PYTHONPATH": str(BENCH),
            "PULUMI_BENCH_PROBE_DIR": str(probe_dir),
        }
        if emulator_url:
            env.update(
                MPS_ENDPOINT=emulator_url,
                TENCENTCLOUD_SECRET_ID=SECRET_ID,
                TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
                TENCENTCLOUD_REGION=REGION,
            )
        env.update(extra_env or {})
        stack = Stack(
            workdir=new_project(tmp / "project", name, program),
            cli_bin=cli,
            home=tmp / "home",
            name="bench",
            env=env,
        )
        if probe:
            stack.env.update(probed_env(stack))
        stack.init()
        yield stack, probe_dir
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def probed_env(stack: Stack) -> dict[str, str]:
    """The environment change that runs the stack's language host and provider server under bench/probe.py."""
    return {"PATH": os.pathsep.join([str(BENCH / "shim"), stack.environ()["PATH"]])}


@contextlib.contextmanager
def stack_env(stack: Stack, **env: str) -> Iterator[Stack]:
    """The stack with ``env`` added to its environment for the ``with`` block, then as it was."""
    saved = dict(stack.env)
    stack.env.update(env)
    try:
        yield stack
    finally:
        stack.env.clear()
        stack.env.update(saved)


def read_probes(probe_dir: Path) -> list[dict]:
    found = []
    for path in sorted(probe_dir.glob("*-*.json")):
        with contextlib.suppress(ValueError, OSError):
            probe = json.loads(path.read_text())
            threads = path.with_suffix(".threads")
            if threads.exists():  # PULUMI_BENCH_THREADS=1: CPU seconds per thread name, summed
                probe["thread_cpu"] = thread_cpu(json.loads(threads.read_text()))
            trace = path.with_suffix(".trace")
            if trace.exists():  # PULUMI_BENCH_TRACE=1: (method, start, end) of every call the provider served
                probe["calls"] = json.loads(trace.read_text())["calls"]
            found.append(probe)
    for path in [*probe_dir.glob("*-*.json*"), *probe_dir.glob("*-*.threads"), *probe_dir.glob("*-*.trace")]:
        path.unlink()
    return found


def thread_cpu(rows: list[list]) -> dict[str, float]:
    """[name, seconds] per thread -> seconds per name with its pool index dropped (``ThreadPoolExecutor-0_3``)."""
    totals: dict[str, float] = {}
    for name, seconds in rows:
        key = re.sub(r"[-_]\d+(_\d+)?$", "", name)
        totals[key] = round(totals.get(key, 0.0) + seconds, 2)
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def timed(stack: Stack, *args: str, timeout: float = 1800) -> tuple[float, float]:
    """Run ``pulumi ARGS``; (wall seconds, CPU seconds of pulumi and every process it started)."""
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    stack.run(*args, timeout=timeout)
    return time.perf_counter() - t0, children_cpu() - cpu0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
