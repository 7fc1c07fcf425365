"""The Pulumi CLI itself: a trivial stack with one dynamic resource goes through up and destroy, offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class EchoProvider(ResourceProvider):
    def create(self, props):
        return CreateResult("echo-1", {"value": props["value"]})


class Echo(Resource):
    def __init__(self, name, value):
        super().__init__(EchoProvider(), name, {"value": value})


echo = Echo("echo", 42)
pulumi.export("value", echo.value)
"""


def test_trivial_dynamic_stack_up_and_destroy(make_stack, tmp_path):
    stack = make_stack(new_project(tmp_path / "trivial", "trivial", PROGRAM))

    up = stack.up()
    assert "+ 2 created" in up.stdout
    assert stack.outputs() == {"value": 42}
    (echo,) = stack.resources("dynamic:Resource")
    assert echo["id"] == "echo-1"

    destroy = stack.destroy()
    assert "- 2 deleted" in destroy.stdout
    assert stack.resources("dynamic:Resource") == []


def test_a_stack_importing_pulumi_mps_asks_for_no_plugin_download(make_stack, tmp_path):
    """With automatic plugin acquisition on (as users have it), the engine is told of no `mps` plugin to install."""
    program = "import pulumi\nimport pulumi_mps  # noqa: F401\n\npulumi.export('ok', 1)\n"
    stack = make_stack(new_project(tmp_path / "plain", "plain", program))
    stack.env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "false"
    preview = stack.preview("--logtostderr", "-v=7")
    # The engine logs each package the language host reports ("package mps-0.1.0 () is required by language
    # host") and, for one not installed, "plugin mps 0.1.0 not installed, doing install".
    assert re.search(r"GetRequiredPackages\(.*\) success", preview.stderr), preview.stderr[-3000:]
    assert "package mps" not in preview.stderr
    assert "plugin mps" not in preview.stderr


def test_the_language_host_takes_the_virtualenv_of_pulumi_yaml(make_stack, tmp_path):
    """With no PULUMI_MPS_PYTHON and no Python holding the SDK on PATH, the stand-in language host says what to set;
    given Pulumi.yaml's runtime.options.virtualenv, it runs the program with that virtualenv, as the Go host does."""
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    workdir = new_project(tmp_path / "venv-project", "venvproject", "import pulumi\npulumi.export('ok', 1)\n")
    stack = make_stack(workdir)
    stack.env.update(
        PULUMI_MPS_PYTHON="",
        PATH=os.pathsep.join([str(stack.cli_bin), str(bare / "bin"), "/usr/bin", "/bin"]),
    )
    failed = stack.preview(check=False)
    assert failed.returncode != 0 and "cannot import the Pulumi SDK" in failed.output
    assert "runtime.options.virtualenv" in failed.output and "Traceback" not in failed.output

    (workdir / "venv").symlink_to(
        Path(sys.prefix)
    )  # a virtualenv with the SDK, at a path relative to the project
    (workdir / "Pulumi.yaml").write_text(
        "name: venvproject\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n", encoding="utf-8"
    )
    stack.up()
    assert stack.outputs() == {"ok": 1}
