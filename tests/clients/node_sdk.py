"""Tencent's Node.js MPS SDK for the client tests: installed from ``node/package-lock.json`` into
``node/node_modules`` with ``npm ci`` when missing or stale, and run through ``node/mps_calls.js``.

Without node or npm the tests that need them skip, or fail when ``REQUIRE_NODE=1`` or ``REQUIRE_PULUMI_CLI=1``
(what ``.ci/run`` sets: CI must run every client).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent / "node"
SCRIPT = NODE_DIR / "mps_calls.js"
_STAMP = NODE_DIR / "node_modules" / ".pulumi-mps-lock.sha256"


class NodeUnavailable(RuntimeError):
    """node or npm is missing, or ``npm ci`` failed."""


def required() -> bool:
    """Whether a missing Node.js SDK fails the tests instead of skipping them."""
    return os.environ.get("REQUIRE_NODE") == "1" or os.environ.get("REQUIRE_PULUMI_CLI") == "1"


def ensure_installed() -> str:
    """The ``node`` executable, with the pinned SDK installed beside the script (one install across test
    workers: a file lock around ``npm ci``)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise NodeUnavailable("node and npm are needed on PATH for the Node.js SDK tests")
    want = hashlib.sha256((NODE_DIR / "package-lock.json").read_bytes()).hexdigest()
    with open(NODE_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _STAMP.exists() or _STAMP.read_text().strip() != want:
            proc = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=NODE_DIR,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if proc.returncode != 0:
                raise NodeUnavailable(f"npm ci failed in {NODE_DIR}:\n{proc.stdout}{proc.stderr}")
            _STAMP.write_text(want + "\n")
    return node


def run_calls(node: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Run ``spec`` (see ``mps_calls.js``) and return one ``{"response"}`` or ``{"error"}`` per call."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"node {SCRIPT.name} failed ({proc.returncode}):\n{proc.stderr}")
    answers: list[dict[str, Any]] = json.loads(proc.stdout)
    return answers
