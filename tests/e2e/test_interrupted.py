"""`pulumi up` killed (SIGKILL) after MPS accepted tasks and before the state recorded them: after the documented
recovery (README, "Interrupted applies": `pulumi cancel --yes`, `pulumi up`, `pulumi refresh --yes
--clear-pending-creates`), every resource has exactly one task and its TaskId, and no pending operation is left."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.pulumi_harness import new_project, tasks_program

pytestmark = pytest.mark.e2e

RESOURCES = 4
PROGRAM = tasks_program(RESOURCES, "clip", "media-1250000000")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the CLI starts its plugins in process groups of their own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_everything(proc: subprocess.Popen) -> None:
    """SIGKILL the CLI and all its plugins at once, as a lost machine or a cancelled CI runner would."""
    for pid in [proc.pid, *descendants(proc.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait()


def wait_for_tasks(admin, count: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(admin.tasks()) < count:
        assert proc.poll() is None, "pulumi up ended before the kill point"
        assert time.monotonic() < deadline, "the kill point was never reached"
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("parallel", "kill_after", "stall"),
    [
        (1, 1, True),  # first task accepted, its answer lost, adoption in progress
        (1, 3, False),  # no fault, one at a time: killed once MPS holds three tasks
        (RESOURCES, RESOURCES, True),  # all accepted at once
        (RESOURCES, 1, False),  # no fault: killed as soon as MPS holds one task
    ],
)
def test_killed_apply_recovers_to_one_task_per_resource(
    make_stack, tmp_path, mps_env, mps_emulator, parallel, kill_after, stall
):
    admin = mps_emulator.admin
    stack = make_stack(new_project(tmp_path / "interrupted", "interrupted", PROGRAM), env=mps_env)
    if stall:
        # Each first submission is accepted but its answer is lost; the provider's search for the task then
        # stalls, so the kill lands after MPS accepted the task and before the state could record it.
        admin.add_fault("ProcessMedia", count=RESOURCES, mode="accept_then_drop")
        admin.add_fault("DescribeTasks", count=1000, latency_ms=30_000)
    proc = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", f"--parallel={parallel}"],
        cwd=stack.workdir,
        env=stack.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_tasks(admin, kill_after, proc)
    finally:
        kill_everything(proc)
    admin.clear_faults()
    accepted = {t["TaskId"] for t in admin.tasks()}
    assert len(accepted) >= kill_after

    locked = stack.up(check=False)
    assert locked.returncode != 0 and "pulumi cancel" in locked.output
    # The recovery, as the README writes it.
    stack.run("cancel", "--yes")
    stack.run("up", "--yes")
    stack.run("refresh", "--yes", "--clear-pending-creates")
    assert not stack.export()["deployment"].get("pending_operations")
    assert "pending operations" not in stack.up().output

    tasks = admin.tasks()
    assert len(tasks) == RESOURCES
    assert len({t["SessionId"] for t in tasks}) == RESOURCES
    assert accepted <= {t["TaskId"] for t in tasks}
    recorded = {r["id"] for r in stack.resources("MediaProcessTask")}
    assert recorded == {t["TaskId"] for t in tasks}
    stack.preview("--expect-no-changes")
    # The backend wrote every file with an atomic rename: no sidecar a kill could have left half-written.
    assert not list((stack.home / "state").rglob("*.attrs"))


def test_empty_sidecar_left_by_a_kill_is_recovered_as_documented(make_stack, tmp_path):
    """A plain ``file://`` backend rewrites each ``.attrs`` sidecar in place; a kill at that instant leaves it
    empty. The README's remedy (delete the empty sidecars) brings the stack back with its state intact."""
    state = tmp_path / "plain-state"
    state.mkdir()
    stack = make_stack(
        new_project(tmp_path / "sidecar", "sidecar", "import pulumi\npulumi.export('kept', 42)\n"),
        env={"PULUMI_BACKEND_URL": f"file://{state}"},
    )
    stack.up()
    checkpoint_sidecar = next(state.rglob(f"stacks/sidecar/{stack.name}.json.attrs"))
    checkpoint_sidecar.write_bytes(b"")

    broken = stack.preview(check=False)
    assert broken.returncode != 0 and "failed to load checkpoint: EOF" in broken.output

    subprocess.run(["find", str(state / ".pulumi"), "-name", "*.attrs", "-empty", "-delete"], check=True)
    assert not checkpoint_sidecar.exists()
    stack.preview("--expect-no-changes")
    assert stack.outputs() == {"kept": 42}
