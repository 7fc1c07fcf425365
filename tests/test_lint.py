"""The code base stays ruff-clean and ruff-formatted (the rules and settings are in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.pulumi_harness import REPO

# What is linted; an sdist leaves bench/ out, and lints the rest.
PATHS = ("provider", "tests", "tools", "bench", "__main__.py", "examples")


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean_and_formatted(command):
    present = [path for path in PATHS if (REPO / path).exists()]
    assert {"provider", "tests"} <= set(present)
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *present],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
