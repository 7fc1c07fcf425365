"""Every example in examples/ is deployed against the emulator with the real CLI, not just linted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.pulumi_harness import REPO, copy_project

pytestmark = pytest.mark.e2e

EXAMPLES = sorted(p.name for p in (REPO / "examples").iterdir() if (p / "Pulumi.yaml").exists())
EXPECTED_TASKS = {"transcode-cos": 1, "adaptive-streaming": 1, "ai-analysis": 1, "live-moderation": 1, "gitops": 2}


def test_every_example_is_listed():
    assert sorted(EXPECTED_TASKS) == EXAMPLES
    for name in EXAMPLES:
        assert (REPO / "examples" / name / "README.md").exists()


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_deploys(name, make_stack, tmp_path: Path, mps_env, mps_emulator):
    stack = make_stack(copy_project(REPO / "examples" / name, tmp_path / name), env=mps_env)
    stack.up()
    tasks = mps_emulator.admin.tasks()
    assert len(tasks) == EXPECTED_TASKS[name]
    assert {t["TaskId"] for t in tasks} == {r["id"] for r in stack.resources("ProcessTask")}
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert stack.resources("ProcessTask") == []


def test_gitops_workflow_previews_pull_requests_and_applies_on_merge():
    workflow = yaml.safe_load((REPO / "examples/gitops/.github/workflows/media-tasks.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on:` as True
    assert set(triggers) == {"pull_request", "push"}
    preview = " ".join(s.get("run", "") for s in workflow["jobs"]["preview"]["steps"])
    apply = " ".join(s.get("run", "") for s in workflow["jobs"]["apply"]["steps"])
    assert "pulumi preview --diff" in preview and "pulumi up" not in preview
    assert "pulumi up --yes" in apply
    for key in ("PULUMI_CONFIG_PASSPHRASE", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"):
        assert workflow["env"][key] == f"${{{{ secrets.{key} }}}}"
    assert workflow["concurrency"]["cancel-in-progress"] is False
