"""``python -m pulumi_mps.emulator`` as a real process: the ready line, one SDK call, a clean stop."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from .helpers import call, expect_error, make_client, media_params


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_mps.emulator", "--host", "127.0.0.1", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            match = re.fullmatch(r"listening on http://(127\.0\.0\.1:(\d+))\n", line)
            assert match, f"unexpected first line {line!r}"
            assert int(match.group(2)) > 0
            return proc, match.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    pytest.fail(f"the emulator did not start: {proc.communicate()[1]}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_cli_serves_the_sdk_and_stops_cleanly(signum):
    proc, endpoint = _start(
        "--account",
        "AKIDCLITESTACCOUNT000000000000000000:cli-key:1250000099",
        "--rate-limit",
        "0",
        "--log-level",
        "info",
    )
    try:
        client = make_client(endpoint, "AKIDCLITESTACCOUNT000000000000000000", "cli-key")
        assert call(client, "ProcessMedia", media_params())["TaskId"].startswith("1250000099-WorkflowTask-")
    finally:
        proc.send_signal(signum)
        code = proc.wait(timeout=15)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert code == 0, stderr
    assert "ProcessMedia" in stderr
    assert "Traceback" not in stderr


def test_the_cli_default_account_and_a_restart_on_the_same_db(tmp_path):
    db = tmp_path / "cli.sqlite"
    proc, endpoint = _start("--db", str(db))
    try:
        task_id = call(make_client(endpoint), "ProcessMedia", media_params(SessionId="cli-db"))["TaskId"]
        assert task_id.startswith("1250000000-WorkflowTask-")
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
    proc, endpoint = _start("--db", str(db))
    try:
        client = make_client(endpoint)
        assert call(client, "DescribeTaskDetail", {"TaskId": task_id})["SessionId"] == "cli-db"
        expect_error(
            client, "ProcessMedia", media_params(SessionId="cli-db"), "InvalidParameterValue.SessionId"
        )
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0


def test_the_cli_rejects_a_malformed_account():
    proc = subprocess.run(
        [sys.executable, "-m", "pulumi_mps.emulator", "--account", "only-an-id"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert "SECRET_ID:SECRET_KEY" in proc.stderr
