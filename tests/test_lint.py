"""The code base stays ruff-clean (the rules and settings are in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.pulumi_harness import REPO


def test_ruff_is_clean():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "provider", "tests", "tools", "bench", "__main__.py",
                           "examples"], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
