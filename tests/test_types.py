"""Type checkers see the package as users program against it: ``mypy --strict`` (pyproject's ``[tool.mypy]``)
accepts the package, the quickstart, every example and a program using every documented input form, and rejects
each wrong line of ``tests/typing/bad_program.py``.

mypy's cache lives outside the repository (``$PULUMI_MPS_CACHE/mypy``, one directory per checkout and target), so
a second run checks only what changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pulumi_harness import REPO

CACHE = (
    Path(os.environ.get("PULUMI_MPS_CACHE") or Path.home() / ".cache" / "pulumi-mps")
    / "mypy"
    / hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
)
PROGRAMS = [
    "__main__.py",
    *sorted(str(p.relative_to(REPO)) for p in REPO.glob("examples/*/__main__.py")),
    "tests/typing/good_program.py",
]
BAD = "tests/typing/bad_program.py"


def mypy(target: str) -> subprocess.CompletedProcess[str]:
    """``mypy`` on one target (each example is a ``__main__``, so one at a time), with the repository's settings."""
    cache = CACHE / re.sub(r"\W+", "-", target)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--cache-dir",
            str(cache),
            "--no-error-summary",
            "--hide-error-context",
            target,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_package_is_clean():
    result = mypy("provider/pulumi_mps")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("program", PROGRAMS)
def test_programs_are_clean(program):
    result = mypy(program)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_wrong_line_is_rejected():
    source = (REPO / BAD).read_text(encoding="utf-8").splitlines()
    expected = {n for n, line in enumerate(source, 1) if line.endswith("# error")}
    result = mypy(BAD)
    found = {
        int(m.group(1)) for m in re.finditer(rf"^{re.escape(BAD)}:(\d+): error:", result.stdout, re.MULTILINE)
    }
    assert result.returncode == 1, result.stdout + result.stderr
    assert found == expected, result.stdout
    # The three mistakes the type hints exist for, by name.
    for wrong in ("input_info=42", "input_infoo=", 'tasks_priority="high"'):
        assert any(wrong in source[n - 1] for n in found)
