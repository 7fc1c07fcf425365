"""Fixtures of the emulator tests: one in-process emulator per session (reset before each test) and real
``MpsClient`` instances talking to it over HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from tencentcloud.mps.v20190612.mps_client import MpsClient

from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator, EmulatorAdmin
from tests.clients import node_sdk

from .helpers import TEST_ACCOUNTS, make_client

_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(scope="session", autouse=True)
def _no_proxy() -> Iterator[None]:
    """Calls to 127.0.0.1 must never go through a proxy."""
    saved = {name: os.environ.pop(name) for name in _PROXY_VARS if name in os.environ}
    yield
    os.environ.update(saved)


@pytest.fixture(scope="session")
def _emulator_server(_no_proxy: None) -> Iterator[Emulator]:
    with Emulator(host="127.0.0.1", port=0, accounts=TEST_ACCOUNTS, rate_limit=100) as emu:
        yield emu


@pytest.fixture
def emulator(_emulator_server: Emulator) -> Emulator:
    """The session's in-process emulator, reset (no tasks, clock offset 0, no faults) for this test."""
    _emulator_server.controls.reset()
    return _emulator_server


@pytest.fixture
def admin(emulator: Emulator) -> EmulatorAdmin:
    return EmulatorAdmin(emulator.url)


@pytest.fixture
def mps_client(emulator: Emulator) -> MpsClient:
    """A real MpsClient (default test account) to the emulator."""
    return make_client(emulator.endpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)


@pytest.fixture
def client_for(emulator: Emulator) -> Callable[..., MpsClient]:
    """Factory: ``client_for(secret_id, secret_key, token=None)``."""

    def make(secret_id: str, secret_key: str, token: str | None = None) -> MpsClient:
        return make_client(emulator.endpoint, secret_id, secret_key, token)

    return make


@pytest.fixture(scope="session")
def node() -> str:
    """``node`` with Tencent's Node.js MPS SDK installed from tests/clients/node/package-lock.json; skips without
    node or npm, or fails under REQUIRE_NODE=1 / REQUIRE_PULUMI_CLI=1."""
    try:
        return node_sdk.ensure_installed()
    except node_sdk.NodeUnavailable as exc:
        if node_sdk.required():
            pytest.fail(f"the Node.js SDK is required here: {exc}")
        pytest.skip(str(exc))
