"""Fixtures shared by every test tier: the Pulumi CLI for end-to-end tests and clean proxy settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pulumi_harness import CliMissing, Stack, find_cli

for _var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_var, None)
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="session", autouse=True)
def finished_tasks_cache(tmp_path_factory) -> Path:
    """The provider processes the tests start keep their finished-task records (``_finished.py``) in a directory
    of the test session, not in the user's cache."""
    directory = tmp_path_factory.mktemp("mps-cache")
    os.environ["MPS_CACHE_DIR"] = str(directory)
    return directory


@pytest.fixture(scope="session")
def pulumi_cli() -> Path:
    """The directory of a real Pulumi CLI; end-to-end tests skip without one, or fail under REQUIRE_PULUMI_CLI=1."""
    try:
        return find_cli()
    except CliMissing as exc:
        if os.environ.get("REQUIRE_PULUMI_CLI") == "1":
            pytest.fail(f"REQUIRE_PULUMI_CLI=1 but no Pulumi CLI is available: {exc}")
        pytest.skip(f"no Pulumi CLI available: {exc}")


@pytest.fixture
def make_stack(pulumi_cli: Path, tmp_path: Path):
    """Factory: ``make_stack(workdir, name="test", env={...})`` -> an initialised :class:`Stack`."""

    def make(workdir: Path, name: str = "test", env: dict[str, str] | None = None) -> Stack:
        return Stack(
            workdir=workdir,
            cli_bin=pulumi_cli,
            home=tmp_path / f"home-{name}",
            name=name,
            env=dict(env or {}),
        ).init()

    return make


@pytest.fixture
def mps_emulator():
    """A fresh in-process MPS emulator (rate limit on, as the real API)."""
    from pulumi_mps.emulator import Emulator

    with Emulator(port=0) as emu:
        yield emu


@pytest.fixture
def mps_env(mps_emulator) -> dict[str, str]:
    """Environment pointing a provider process at the emulator with the default test account."""
    from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

    return {
        "MPS_ENDPOINT": mps_emulator.url,
        "TENCENTCLOUD_SECRET_ID": DEFAULT_SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": DEFAULT_SECRET_KEY,
        "TENCENTCLOUD_REGION": "ap-chongqing",
    }
