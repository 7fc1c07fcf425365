"""``probe.py ROLE TARGET ARGS...``: runs TARGET (``-m module`` or a script path) as ``__main__`` and records,
in ``$PULUMI_BENCH_PROBE_DIR/ROLE-<pid>.json``, the process's peak resident memory (VmHWM), CPU seconds and
wall time: every 0.2 s and once more when it is stopped (SIGINT / SIGTERM / exit). Used by bench/shim/ for the
dynamic-provider server (``provider``: ``-m pulumi.dynamic``) and the language host (``program``).
With ``PULUMI_BENCH_THREADS=1`` it also writes the CPU seconds of each thread at exit (``ROLE-<pid>.threads``);
with ``PULUMI_BENCH_WAITS=1`` the program's ``asyncio.wait`` calls and how many awaitables they were given.
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import signal
import sys
import threading
import time

_STARTED = time.monotonic()
_STARTED_EPOCH = time.time()
_DIR = os.environ.get("PULUMI_BENCH_PROBE_DIR")
_LOCK = threading.Lock()
_ROLE = "process"
_GC = {"collections": 0, "gen2": 0, "seconds": 0.0, "started": 0.0}
_WAITS = {"calls": 0, "awaitables": 0, "most": 0}


def _gc_callback(phase: str, info: dict) -> None:
    if phase == "start":
        _GC["started"] = time.perf_counter()
    else:
        _GC["collections"] += 1
        _GC["gen2"] += info.get("generation") == 2
        _GC["seconds"] += time.perf_counter() - _GC["started"]


def _snapshot(final: str = "") -> None:
    if not _DIR:
        return
    with open("/proc/self/status", encoding="ascii") as fh:
        status = fh.read()
    hwm_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    data = {
        "role": _ROLE,
        "pid": os.getpid(),
        "peak_rss_mb": hwm_kb / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "wall_s": time.monotonic() - _STARTED,
        "threads": threading.active_count(),
        "final": final,
        "gc_s": _GC["seconds"],
        "gc_collections": _GC["collections"],
        "gc_gen2": _GC["gen2"],
        "gc_objects_at_exit": _GC.get("objects_at_exit"),
        "asyncio_waits": dict(_WAITS),
    }
    path = os.path.join(_DIR, f"{_ROLE}-{os.getpid()}.json")
    with _LOCK:
        with open(path + ".tmp", "w", encoding="ascii") as fh:
            json.dump(data, fh)
        os.replace(path + ".tmp", path)


def _loop() -> None:
    while True:
        time.sleep(0.2)
        _snapshot()


_TRACE: list[tuple[str, float, float]] = []


def _trace_provider_calls() -> None:
    """Record (method, start, end) of every gRPC call the provider server handles (epoch seconds)."""
    from pulumi.runtime.proto import provider_pb2_grpc

    add = provider_pb2_grpc.add_ResourceProviderServicer_to_server

    class Traced:
        """The servicer method, timed; other attributes (gRPC's experimental_thread_pool) are the method's."""

        def __init__(self, name: str, method) -> None:
            self.name, self.method = name, method

        def __call__(self, request, context):
            start = time.time()
            try:
                return self.method(request, context)
            finally:
                _TRACE.append((self.name, start, time.time()))

        def __getattr__(self, attr: str):
            return getattr(self.method, attr)

    def add_traced(servicer, server):
        for name in ("Check", "Diff", "Create", "Read", "Update", "Delete", "Configure"):
            setattr(servicer, name, Traced(name, getattr(servicer, name)))
        return add(servicer, server)

    provider_pb2_grpc.add_ResourceProviderServicer_to_server = add_traced


def _count_asyncio_waits() -> None:
    """Count ``asyncio.wait`` calls and the awaitables each is given (the Pulumi SDK's end-of-program wait scans
    the pending outputs with it)."""
    import asyncio

    wait = asyncio.wait

    async def counted(fs, *args, **kwargs):
        size = len(fs)
        _WAITS["calls"] += 1
        _WAITS["awaitables"] += size
        _WAITS["most"] = max(_WAITS["most"], size)
        return await wait(fs, *args, **kwargs)

    asyncio.wait = counted


def _final(how: str) -> None:
    if _TRACE and _DIR:
        with open(os.path.join(_DIR, f"{_ROLE}-{os.getpid()}.trace"), "w", encoding="ascii") as fh:
            json.dump({"started": _STARTED_EPOCH, "calls": _TRACE}, fh)
    if os.environ.get("PULUMI_BENCH_GC_OBJECTS"):
        import gc

        _GC["objects_at_exit"] = len(gc.get_objects())
    _snapshot(how)
    if os.environ.get("PULUMI_BENCH_THREADS") and _DIR:
        _dump_thread_cpu()
    if _PROFILE:
        import yappi

        yappi.stop()
        yappi.get_func_stats().save(os.path.join(_DIR or ".", f"{_ROLE}-{os.getpid()}.pstats"), type="pstat")


def _dump_thread_cpu() -> None:
    """CPU seconds of every live thread of this process (``ROLE-<pid>.threads``: [name, seconds] pairs); threads
    the interpreter does not know (gRPC's own) are named ``native:<comm>``."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    rows = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/self/task/{tid}/comm", encoding="ascii") as fh:
                comm = fh.read().strip()
        except OSError:
            continue
        rows.append((names.get(int(tid), f"native:{comm}"), (int(fields[11]) + int(fields[12])) / tick))
    with open(os.path.join(_DIR or ".", f"{_ROLE}-{os.getpid()}.threads"), "w", encoding="ascii") as fh:
        json.dump(rows, fh)


def _stop(signum: int, _frame: object) -> None:
    _final(signal.Signals(signum).name)
    _exit(0)


def _exit_hook(code: int) -> None:
    _final("os._exit")
    _exit(code)


_exit = os._exit


_PROFILE = False
if __name__ == "__main__":
    _ROLE = sys.argv[1]
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop)
    threading.Thread(target=_loop, daemon=True).start()
    import atexit

    _PROFILE = _ROLE in os.environ.get("PULUMI_BENCH_PROFILE", "").split(",")
    if _PROFILE:  # profiling only (pip install yappi): every thread, CPU clock
        import yappi

        yappi.set_clock_type("cpu")
        yappi.start()
    import gc

    gc.callbacks.append(_gc_callback)
    if _ROLE == "provider" and os.environ.get("PULUMI_BENCH_TRACE"):
        _trace_provider_calls()
    if _ROLE == "program" and os.environ.get("PULUMI_BENCH_WAITS"):
        _count_asyncio_waits()
    atexit.register(_final, "exit")
    os._exit = _exit_hook
    if sys.argv[2] == "-m":
        sys.argv = [sys.argv[3], *sys.argv[4:]]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[2:]
        sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
        runpy.run_path(sys.argv[0], run_name="__main__")
