"""Every private Pulumi SDK internal pulumi-mps relies on is there, on each supported SDK version.

The code that uses them guards each one and does nothing when it is missing, so that a program never breaks on
an SDK upgrade; these tests are what notices, loudly, that an upgrade made a guard give up (``scripts/dev
test-oldest`` runs them against the lowest supported SDK, ``scripts/dev test`` against the locked one).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pulumi


def test_the_rpc_list_the_end_of_program_wait_reads():
    from pulumi.runtime.settings import _get_rpc_manager

    assert isinstance(_get_rpc_manager().rpcs, list)
    from pulumi_mps import _program

    assert _program._rpc_list() is not None


def test_the_dynamic_providers_serialization_used_once_per_provider_class():
    from pulumi.dynamic.dynamic import PROVIDER_KEY, serialize_provider
    from pulumi.runtime._serialization import _serialize

    assert PROVIDER_KEY == "__provider"
    assert callable(serialize_provider)
    assert callable(_serialize)
    from pulumi_mps._providers import MediaProcessTaskProvider
    from pulumi_mps._resource import _serialized_provider

    text = _serialized_provider(MediaProcessTaskProvider)
    assert isinstance(text, str) and len(text) > 20


def test_the_provider_servers_servicer_has_the_methods_given_their_own_pool():
    # Importing pulumi.dynamic.__main__ starts a server, so read its source instead.
    import ast
    import importlib.util

    from pulumi_mps._server import BLOCKING_CALLS, SERVER_MODULE

    spec = importlib.util.find_spec(SERVER_MODULE)
    assert spec is not None and spec.origin
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    (servicer,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "DynamicResourceProviderServicer"]
    methods = {n.name for n in servicer.body if isinstance(n, ast.FunctionDef)}
    assert set(BLOCKING_CALLS) <= methods, methods


def test_configure_gets_the_stack_config_through_the_public_config_get():
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config

    from pulumi_mps import _settings
    from pulumi_mps._providers import MediaProcessTaskProvider

    config = Config({"tencentcloud:region": "ap-chongqing", "mps:rateLimit": "7", "other:key": "x"}, "proj")
    try:
        MediaProcessTaskProvider().configure(ConfigureRequest(config))
        assert _settings._stack_config == {"tencentcloud:region": "ap-chongqing", "mps:rateLimit": "7"}
    finally:
        _settings.set_stack_config({})


def test_the_supported_sdk_range_starts_where_read_can_return_inputs():
    from pulumi.dynamic import ReadResult

    assert "inputs" in inspect.signature(ReadResult).parameters
    assert pulumi.__name__ == "pulumi"
