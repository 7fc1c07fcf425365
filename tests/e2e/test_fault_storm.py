"""`pulumi up` of 200 tasks while MPS fails 20% of calls, rate-limits at 100/s and loses 10% of answers after
accepting: every resource ends with exactly one task."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.pulumi_harness import new_project, tasks_program

pytestmark = pytest.mark.e2e

TASKS = 200
PROGRAM = tasks_program(TASKS, "episode", "series-1250000000", definitions=(20, 30))


def test_up_under_a_fault_storm(make_stack, tmp_path, mps_env, mps_emulator):
    admin = mps_emulator.admin
    assert admin.config()["rate_limit"] == 100
    admin.add_fault("*", probability=0.2, code="InternalError", seed=7)
    admin.add_fault("ProcessMedia", probability=0.1, mode="accept_then_drop", seed=11)
    stack = make_stack(new_project(tmp_path / "storm", "storm", PROGRAM), env=mps_env)

    stack.up()

    tasks = admin.tasks()
    objects = Counter(t["Request"]["InputInfo"]["CosInputInfo"]["Object"] for t in tasks)
    assert len(tasks) == TASKS
    assert max(objects.values()) == 1
    assert len({t["SessionId"] for t in tasks}) == TASKS
    assert {r["id"] for r in stack.resources("MediaProcessTask")} == {t["TaskId"] for t in tasks}
    requests = admin.requests()
    assert sum(r["Error"] == "InternalError" for r in requests) > 0
    assert sum(bool(r.get("Dropped")) for r in requests) > 0
    admin.clear_faults()
    stack.preview("--expect-no-changes")
