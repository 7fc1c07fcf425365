"""`pulumi up --target <task>` works on a new stack, without naming the stack's hidden marker: the tasks take the
marker's value, not a dependency on it (README, "Troubleshooting")."""

from __future__ import annotations

import re

import pytest

from tests.pulumi_harness import new_project, tasks_program

pytestmark = pytest.mark.e2e


def test_a_targeted_up_of_a_new_stack_needs_no_target_for_the_marker(
    make_stack, tmp_path, mps_env, mps_emulator
):
    stack = make_stack(
        new_project(tmp_path / "targeted", "targeted", tasks_program(3, "t", "b-1250000000")), env=mps_env
    )
    first = f"urn:pulumi:{stack.name}::targeted::pulumi-python:dynamic/mps:MediaProcessTask::t-000"
    assert "not specified in --target list" not in stack.preview("--target", first).output
    stack.up("--target", first)
    (task,) = mps_emulator.admin.tasks()
    (resource,) = stack.resources("MediaProcessTask")
    assert resource["urn"] == first and resource["id"] == task["TaskId"]
    # No marker yet (it was not targeted): this task's SessionId is derived without one (README, Limits).
    assert stack.resources("StackMarker") == [] and task["SessionId"].startswith("pmps1-")

    # The next full `up` creates the marker and the other tasks, and leaves the first one as it is.
    stack.up()
    assert len(mps_emulator.admin.tasks()) == 3 and len(stack.resources("StackMarker")) == 1
    later = {r["urn"]: r["outputs"]["session_id"] for r in stack.resources("MediaProcessTask")}
    assert later[first] == task["SessionId"]
    assert all(re.fullmatch(r"pmps2-[0-9a-f]{40}", s) for urn, s in later.items() if urn != first)
    stack.preview("--expect-no-changes")
    # With the marker in place, a targeted up (here a replacement) derives with it.
    stack.up("--target", first, "--replace", first)
    (resource,) = [r for r in stack.resources("MediaProcessTask") if r["urn"] == first]
    assert resource["outputs"]["session_id"].startswith("pmps2-") and len(mps_emulator.admin.tasks()) == 4
