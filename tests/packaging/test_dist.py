"""The wheel and sdist as a user's project gets them: built with ``python -m build``, installed beside the newest
pulumi without downgrading it, carrying their data files; the sdist builds and tests on its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from tests.pulumi_harness import REPO

pytestmark = pytest.mark.packaging

LOCKED = dict(
    line.split("==", 1)
    for line in (REPO / "requirements.lock").read_text().splitlines()
    if "==" in line and not line.startswith("#")
)


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of the checkout's sources: builds write their egg-info and build/ into the tree they build, and
    those of parallel test workers must not meet in the repository."""
    root = tmp_path_factory.mktemp("checkout") / "pulumi-mps"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv*",
            "build",
            "dist",
            "*.egg-info",
            "__pycache__",
            ".*_cache",
            ".pulumi-*",
            "Pulumi.*.yaml",
        ),
    )
    return root


@pytest.fixture(scope="module")
def dists(tmp_path_factory, checkout) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, checkout)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory) -> Path:
    """A fresh virtualenv that already holds the newest pulumi SDK, as a user's project would."""
    root = tmp_path_factory.mktemp("user") / "venv"
    venv.create(root, with_pip=True)
    python = root / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", f"pulumi=={LOCKED['pulumi']}")
    return python


def _version(python: Path, dist: str) -> str:
    return _run(python, "-c", f"import importlib.metadata as m; print(m.version({dist!r}))").strip()


def test_the_wheel_carries_its_schema_typing_marker_plugin_json_and_license(dists):
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    for path in (
        "pulumi_mps/_schema/mps-2019-06-12.json",
        "pulumi_mps/py.typed",
        "pulumi_mps/pulumi-plugin.json",
        "pulumi_mps/inputs.pyi",
        "pulumi_mps/models/_generated.pyi",
    ):  # what type checkers read
        assert path in names, path
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), sorted(names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert (
        "pulumi-mps-emulator = pulumi_mps.emulator.__main__:main"
        in zipfile.ZipFile(dists["wheel"]).read(entry_points).decode()
    )


def test_installing_the_wheel_keeps_the_users_pulumi(dists, user_venv):
    before = _version(user_venv, "pulumi")
    _run(user_venv, "-m", "pip", "install", "-q", dists["wheel"])
    assert _version(user_venv, "pulumi") == before
    _run(user_venv, "-c", "import pulumi_mps; from pulumi_mps import MediaProcessTask, LiveStreamProcessTask")
    help_text = _run(user_venv.parent / "pulumi-mps-emulator", "--help")
    assert "usage: pulumi-mps-emulator" in help_text


def test_an_examples_requirements_install_as_written(user_venv, checkout):
    example = checkout / "examples" / "transcode-cos"
    _run(user_venv, "-m", "pip", "install", "-q", "-r", "requirements.txt", cwd=example)
    out = _run(user_venv, "-c", "import pulumi_mps, pulumi; print(pulumi_mps.__file__)")
    assert "site-packages" in out


def test_the_sdist_holds_what_its_tests_need_and_they_pass(dists, tmp_path):
    with tarfile.open(dists["sdist"]) as archive:
        archive.extractall(tmp_path, filter="data")
    (root,) = tmp_path.iterdir()
    for path in (
        "LICENSE",
        "requirements.lock",
        "tests/pulumi_harness.py",
        "tests/test_lint.py",
        "tools/generate.py",
        "provider/pulumi_mps/pulumi-plugin.json",
        "examples/transcode-cos/Pulumi.yaml",
    ):
        assert (root / path).is_file(), path
    env = {**os.environ, "PYTHONPATH": str(root / "provider")}
    out = _run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/unit",
        "tests/test_lint.py",
        cwd=root,
        env=env,
    )
    assert " passed" in out
    probe = _run(sys.executable, "-c", "import pulumi_mps; print(pulumi_mps.__file__)", cwd=root, env=env)
    assert probe.strip().startswith(str(root))
