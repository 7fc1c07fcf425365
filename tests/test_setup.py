"""The README's commands set up only what the tests they run need."""

from __future__ import annotations

import os
import subprocess

from tests.pulumi_harness import REPO


def test_running_tests_without_end_to_end_ones_builds_no_cli(tmp_path):
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(PULUMI_MPS_CACHE=str(cache), PULUMI_MPS_BUILD_CLI="1")
    proc = subprocess.run(
        [
            "bash",
            str(REPO / "scripts" / "dev"),
            "test",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not e2e",
            "tests/unit/test_session.py",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout
    assert not cache.exists(), sorted(p.name for p in cache.rglob("*"))
