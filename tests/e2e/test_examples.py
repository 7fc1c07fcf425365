"""Every example in examples/ is deployed against the emulator with the real CLI, not just linted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.pulumi_harness import REPO, copy_project

pytestmark = pytest.mark.e2e

TASK_TYPES = {
    f"pulumi-python:dynamic/mps:{kind}"
    for kind in ("MediaProcessTask", "LiveStreamProcessTask", "EditMediaTask")
}
EXAMPLES = sorted(p.name for p in (REPO / "examples").iterdir() if (p / "Pulumi.yaml").exists())
EXPECTED_TASKS = {
    "clip-cos": 1,
    "transcode-cos": 1,
    "adaptive-streaming": 1,
    "ai-analysis": 1,
    "live-moderation": 1,
    "gitops": 2,
    "custom-transcode": 1,
    "upload-workflow": 0,
}
# Templates (and workflows) an example declares besides its tasks: (type suffix, count).
EXPECTED_CONFIG = {
    "custom-transcode": {"TranscodeTemplate": 1, "WatermarkTemplate": 1},
    "upload-workflow": {"TranscodeTemplate": 1, "Workflow": 1},
}


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
    assert {t["TaskId"] for t in tasks} == {r["id"] for r in stack.resources() if r["type"] in TASK_TYPES}
    for kind, count in EXPECTED_CONFIG.get(name, {}).items():
        assert len(stack.resources(f"mps:{kind}")) == count
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert [r for r in stack.resources() if r["type"] in TASK_TYPES] == []
    assert [r for r in stack.resources() if r["type"].startswith("pulumi-python:dynamic/mps:")] == []


def test_gitops_workflow_previews_pull_requests_and_applies_on_merge():
    workflow = yaml.safe_load((REPO / "examples/gitops/.github/workflows/media-tasks.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on:` as True
    assert set(triggers) == {"pull_request", "push"}
    preview = " ".join(s.get("run", "") for s in workflow["jobs"]["preview"]["steps"])
    apply = " ".join(s.get("run", "") for s in workflow["jobs"]["apply"]["steps"])
    assert "pulumi preview --diff" in preview and "pulumi up" not in preview
    assert "pulumi up --yes" in apply
    assert not any("secrets." in str(v) for v in workflow["env"].values()), "no secret is workflow-wide"
    preview_env, apply_env = workflow["jobs"]["preview"]["env"], workflow["jobs"]["apply"]["env"]
    # The preview job calls no MPS API: it gets the passphrase and the state backend's keys, never cloud keys.
    assert not any(k.startswith("TENCENTCLOUD_SECRET") for k in preview_env), preview_env
    for env in (preview_env, apply_env):
        assert env["PULUMI_CONFIG_PASSPHRASE"] == "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}"
        assert env["AWS_ACCESS_KEY_ID"] == "${{ secrets.STATE_ACCESS_KEY_ID }}"
        assert env["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.STATE_SECRET_ACCESS_KEY }}"
    # The apply job alone reads the Tencent Cloud keys, from its protected environment.
    assert workflow["jobs"]["apply"]["environment"] == "production"
    for key in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"):
        assert apply_env[key] == f"${{{{ secrets.{key} }}}}"
    assert workflow["concurrency"]["cancel-in-progress"] is False
