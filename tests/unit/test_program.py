"""The adjustments a program gets when it declares tasks, checked against the Pulumi SDK's own end-of-program
wait (``pulumi.runtime.stack.wait_for_rpcs``)."""

from __future__ import annotations

import asyncio
import gc
import inspect

import pytest
from pulumi import Output
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.stack import wait_for_rpcs

from pulumi_mps import _compat

OUTPUTS_PER_RESOURCE = 19  # what a MediaProcessTask declares, with its urn, id and __provider
LOOP_TURNS_BETWEEN_ANSWERS = 8  # enough for the outputs waiting on one answer to settle before the next one


@pytest.fixture
def rpc_manager():
    manager = pulumi_settings._get_rpc_manager()
    manager.clear()
    pulumi_settings.SETTINGS.outputs.clear()
    yield manager
    manager.clear()
    pulumi_settings.SETTINGS.outputs.clear()


def end_of_program_scans(monkeypatch, *, prepared: bool, resources: int = 40) -> int:
    """Declare ``resources`` registrations in one synchronous body (each answered a few event-loop turns after the
    previous one, with OUTPUTS_PER_RESOURCE outputs waiting for it), then run the SDK's end-of-program wait.
    Returns how many times that wait scanned the pending outputs (its ``asyncio.wait`` calls). The answers are
    spaced in loop turns, not in wall-clock time, so that the count does not depend on how loaded the machine is."""
    scans = 0
    real_wait = asyncio.wait

    async def counted_wait(*args, **kwargs):
        nonlocal scans
        scans += 1
        return await real_wait(*args, **kwargs)

    monkeypatch.setattr(asyncio, "wait", counted_wait)

    async def program() -> list[int]:
        loop = asyncio.get_running_loop()
        known = loop.create_future()
        known.set_result(True)
        answers: list[asyncio.Future] = []
        outputs: list[Output] = []
        for index in range(resources):
            answer = loop.create_future()
            answers.append(answer)
            outputs += [Output(set(), answer, known) for _ in range(OUTPUTS_PER_RESOURCE)]

            async def register(
                answer=answer, index=index, previous=answers[index - 1] if index else known
            ) -> None:
                await previous
                for _ in range(LOOP_TURNS_BETWEEN_ANSWERS):
                    await asyncio.sleep(0)
                answer.set_result(index)

            asyncio.ensure_future(pulumi_settings._get_rpc_manager().do_rpc("register resource", register)())
            if prepared:
                assert _compat.await_registrations_first()
        await wait_for_rpcs()
        assert all(a.done() for a in answers)
        return [await o.future() for o in outputs[::OUTPUTS_PER_RESOURCE]]

    assert asyncio.run(program()) == list(range(resources))
    return scans


def test_the_end_of_program_wait_goes_through_registrations_first(rpc_manager, monkeypatch):
    # Without the adjustment the SDK (3.2xx releases whose wait uses asyncio.wait over the pending outputs)
    # rescans every pending output each time one registration answers; older ones (3.216) poll the outputs
    # one by one instead, and the adjustment changes nothing there.
    rescanning_sdk = "asyncio.wait(" in inspect.getsource(wait_for_rpcs)
    assert end_of_program_scans(monkeypatch, prepared=False) >= (8 if rescanning_sdk else 0)
    assert end_of_program_scans(monkeypatch, prepared=True) <= 2


def test_one_resolved_marker_while_the_rpc_list_is_empty(rpc_manager):
    async def body() -> list:
        assert _compat.await_registrations_first()
        assert _compat.await_registrations_first()
        return list(rpc_manager.rpcs)

    (marker,) = asyncio.run(body())
    assert marker.done() and marker.result() is None


def test_nothing_changes_outside_a_running_event_loop(rpc_manager):
    assert _compat.await_registrations_first() is False
    assert rpc_manager.rpcs == []


def test_gc_threshold_is_raised_once_and_never_lowered(monkeypatch):
    saved = gc.get_threshold()
    try:
        monkeypatch.setattr(_compat, "_gc_tuned", False)
        gc.set_threshold(700, *saved[1:])
        _compat.tune_gc()
        assert gc.get_threshold()[0] == _compat.GC_GEN0_THRESHOLD
        monkeypatch.setattr(_compat, "_gc_tuned", False)
        gc.set_threshold(50_000, *saved[1:])
        _compat.tune_gc()
        assert gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*saved)
