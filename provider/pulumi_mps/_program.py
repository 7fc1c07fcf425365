"""What declaring tasks changes in the Pulumi program's own process, so that a stack of thousands of tasks costs
the program about what the same number of trivial resources would.

Two adjustments, each made through a guard that does nothing when the SDK is not what it expects, each measured
in bench/RESULTS.md:

- the cyclic garbage collector's gen-0 threshold is raised (never lowered), once;
- the SDK's end-of-program wait awaits the registrations one by one instead of rescanning every pending output
  whenever one of them resolves.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

# The SDK allocates a dozen asyncio futures and tasks per declared property, so with the default gen-0
# threshold (700) a program declaring 1,000 tasks spends about half its CPU time in the collector.
GC_GEN0_THRESHOLD = 10_000
_gc_tuned = False


def tune_gc() -> None:
    """Raise the gen-0 collection threshold to GC_GEN0_THRESHOLD, once per process (never lower it)."""
    global _gc_tuned
    if not _gc_tuned:
        _gc_tuned = True
        gen0, gen1, gen2 = gc.get_threshold()
        if 0 < gen0 < GC_GEN0_THRESHOLD:
            gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


def _rpc_list() -> list[Any] | None:
    try:
        from pulumi.runtime.settings import _get_rpc_manager

        rpcs = _get_rpc_manager().rpcs
    except (ImportError, AttributeError):
        return None
    return rpcs if isinstance(rpcs, list) else None


def await_registrations_first() -> bool:
    """Have the end-of-program wait go through the outstanding registrations before the outputs.

    When the program body returns, ``pulumi.runtime.stack.wait_for_rpcs`` awaits the outstanding RPCs one at a
    time, then loops ``asyncio.wait(<every pending output>, FIRST_COMPLETED)`` until no output is pending: each
    turn of that loop costs O(pending outputs). A registration enters the RPC list only once its coroutine has
    started, on the event loop's next turn, so after a body that declared all its resources in one go the list
    is still empty and the SDK goes straight to the outputs loop while every registration is in flight: with
    1,000 tasks (about 19 outputs each) it rescans ~19,000 outputs each time one registration answers, keeping
    a core busy for the whole ``up`` (bench/RESULTS.md). An already-resolved future in the list makes the first
    loop run instead: it yields once (the registrations start and enter the list), then awaits them in turn,
    and the outputs loop starts when they are resolved.

    Called for each declared task; adds the future only while the list is empty. False when the SDK keeps no
    such list or no event loop is running (nothing is changed then).
    """
    rpcs = _rpc_list()
    if rpcs is None:
        return False
    if not rpcs:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        resolved = loop.create_future()
        resolved.set_result(None)
        rpcs.append(resolved)
    return True


def prepare_program() -> None:
    """Both adjustments; called by every task resource's constructor."""
    tune_gc()
    await_registrations_first()
