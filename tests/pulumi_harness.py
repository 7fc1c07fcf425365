"""Drives the real Pulumi CLI on a local file backend, offline, for end-to-end tests and benchmarks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSPHRASE = "pulumi-mps-tests"


def file_backend_url(directory: Path) -> str:
    """A file backend that writes each state file with one atomic rename and no ``.attrs`` sidecar.

    The sidecar is truncated and rewritten in place; a CLI killed at that moment leaves it empty and every later
    command fails with "failed to load checkpoint: EOF" (README, "Interrupted applies").
    """
    return f"file://{directory}?metadata=skip"


class CliMissing(RuntimeError):
    """No Pulumi CLI could be found or built."""


def find_cli() -> Path:
    """The directory holding ``pulumi`` and its plugins (built and cached on first use)."""
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure-pulumi-cli")], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise CliMissing(proc.stderr.strip() or "scripts/ensure-pulumi-cli failed")
    return Path(proc.stdout.strip().splitlines()[-1])


@dataclass
class CommandResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def check(self) -> CommandResult:
        if self.returncode != 0:
            raise AssertionError(f"`pulumi {' '.join(self.args)}` failed ({self.returncode}):\n{self.output}")
        return self


@dataclass
class Stack:
    """A Pulumi project directory with one stack on a file backend under ``home``."""

    workdir: Path
    cli_bin: Path
    home: Path
    name: str = "test"
    env: dict[str, str] = field(default_factory=dict)

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(
            PATH=os.pathsep.join([str(self.cli_bin), str(Path(sys.executable).parent), env.get("PATH", "")]),
            PULUMI_MPS_PYTHON=sys.executable,
            PULUMI_HOME=str(self.home / "pulumi-home"),
            PULUMI_BACKEND_URL=file_backend_url(self.home / "state"),
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            PULUMI_SKIP_CONFIRMATIONS="true",
            NO_PROXY="127.0.0.1,localhost",
        )
        env.update(self.env)
        return env

    def run(self, *args: str, timeout: float = 600, check: bool = True) -> CommandResult:
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive", "--color=never"],
            cwd=self.workdir,
            env=self.environ(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result = CommandResult(list(args), proc.returncode, proc.stdout, proc.stderr)
        return result.check() if check else result

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            ["pulumi", *args, "--non-interactive", "--color=never"],
            cwd=self.workdir,
            env=self.environ(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def init(self) -> Stack:
        (self.home / "state").mkdir(parents=True, exist_ok=True)
        self.run("stack", "select", "--create", self.name)
        return self

    def set_config(self, key: str, value: str, secret: bool = False) -> None:
        self.run("config", "set", key, value, *(["--secret"] if secret else []))

    def up(self, *extra: str, check: bool = True) -> CommandResult:
        return self.run("up", "--yes", "--skip-preview", *extra, check=check)

    def preview(self, *extra: str, check: bool = True) -> CommandResult:
        return self.run("preview", *extra, check=check)

    def refresh(self, *extra: str, check: bool = True) -> CommandResult:
        return self.run("refresh", "--yes", "--skip-preview", *extra, check=check)

    def destroy(self, *extra: str, check: bool = True) -> CommandResult:
        return self.run("destroy", "--yes", "--skip-preview", *extra, check=check)

    def outputs(self) -> dict:
        return json.loads(self.run("stack", "output", "--json", "--show-secrets").stdout)

    def export(self) -> dict:
        """The stack's state as stored (secrets encrypted), as `pulumi stack export` writes it."""
        return json.loads(self.run("stack", "export").stdout)

    def resources(self, type_suffix: str = "") -> list[dict]:
        deployment = self.export()["deployment"]
        return [r for r in deployment.get("resources", []) if r["type"].endswith(type_suffix)]


def new_project(workdir: Path, name: str, program: str, extra_files: dict[str, str] | None = None) -> Path:
    """Write a Python Pulumi project (Pulumi.yaml + __main__.py) into ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n", encoding="utf-8")
    (workdir / "__main__.py").write_text(program, encoding="utf-8")
    for rel, text in (extra_files or {}).items():
        (workdir / rel).write_text(text, encoding="utf-8")
    return workdir


def tasks_program(count: int, prefix: str, bucket: str, definitions: tuple[int, ...] = (20,)) -> str:
    """A program declaring ``count`` MediaProcessTasks ``{prefix}-000``..., each transcoding its own COS object
    (``/{prefix}/000.mov``...) of ``bucket`` with the template ``definitions``."""
    transcodes = [{"definition": d} for d in definitions]
    return (
        "from pulumi_mps import MediaProcessTask\n\n"
        f"for i in range({count}):\n"
        f'    MediaProcessTask(f"{prefix}-{{i:03}}", input_info={{"type": "COS", "cos_input_info": {{\n'
        f'        "bucket": "{bucket}", "region": "ap-chongqing", "object": f"/{prefix}/{{i:03}}.mov"}}}},\n'
        f'        media_process_task={{"transcode_task_set": {transcodes!r}}})\n'
    )


def copy_project(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml", "venv", ".venv"))
    return dest
