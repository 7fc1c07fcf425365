"""Every internal of the Pulumi SDK (and gRPC) pulumi-mps relies on is there, on each supported SDK version.

All of them are used in one module, ``pulumi_mps._compat``, whose guards do nothing when one is missing so that
a program never breaks on an SDK upgrade; these tests are what notices, loudly, that an upgrade made a guard give
up (``scripts/dev test-oldest`` runs them against the lowest supported SDK, ``scripts/dev test`` against the
locked one).
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import textwrap

import pytest

from pulumi_mps import _compat

PULUMI_VERSION = importlib.metadata.version("pulumi")


@pytest.mark.parametrize("internal", list(_compat.SDK_INTERNALS))
def test_the_sdk_has_the_internal(internal):
    assert _compat.sdk_internals()[internal], (
        f"pulumi {PULUMI_VERSION} lacks {internal} (see pulumi_mps/_compat.py)"
    )


def test_task_resources_are_registered_without_the_sdks_per_resource_pickle():
    assert _compat._fast_registration_available(), f"pulumi {PULUMI_VERSION}: the fallback would be used"


def test_the_provider_is_pickled_once_per_class_by_reference():
    import base64

    import dill

    from pulumi_mps._providers import MediaProcessTaskProvider

    text = _compat.serialized_provider(MediaProcessTaskProvider)
    assert _compat.serialized_provider(MediaProcessTaskProvider) is text
    assert isinstance(dill.loads(base64.b64decode(text)), MediaProcessTaskProvider)


# Mocks are process-wide: a fresh interpreter declares one task through pulumi_mps and one through the SDK's own
# pulumi.dynamic.Resource.__init__, with the same provider class, type and inputs.
SAME_AS_THE_SDK = textwrap.dedent("""
    import json
    import pulumi
    from pulumi.dynamic import Resource

    seen = {}

    class Mocks(pulumi.runtime.Mocks):
        def new_resource(self, args):
            seen[args.name] = {"type": args.typ, "inputs": args.inputs}
            return [f"{args.name}-id", args.inputs]

        def call(self, args):
            return {}

    pulumi.runtime.set_mocks(Mocks(), preview=True)
    from pulumi_mps import MediaProcessTask
    from pulumi_mps._providers import MediaProcessTaskProvider

    class SdkTask(Resource, module="mps", name="MediaProcessTask"):
        pass

    @pulumi.runtime.test
    def declare():
        ours = MediaProcessTask("ours", input_info={"type": "URL", "url_input_info": {"url": "https://x/a.mp4"}},
                                output_dir="/out/")
        props = {"input_info": {"type": "URL", "url_input_info": {"url": "https://x/a.mp4"}}, "output_dir": "/out/"}
        sdk = SdkTask(MediaProcessTaskProvider(), "sdk", props)
        return pulumi.Output.all(ours.urn, sdk.urn)

    declare()
    print(json.dumps(seen, default=repr))
""")


def test_a_task_is_registered_as_the_sdks_dynamic_resource_would_be():
    result = subprocess.run(
        [sys.executable, "-c", SAME_AS_THE_SDK], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["ours"]["type"] == seen["sdk"]["type"] == "pulumi-python:dynamic/mps:MediaProcessTask"
    assert seen["ours"]["inputs"]["__provider"] == seen["sdk"]["inputs"]["__provider"]
    assert seen["ours"]["inputs"]["output_dir"] == seen["sdk"]["inputs"]["output_dir"] == "/out/"


def test_outside_the_provider_server_its_pool_is_left_alone():
    assert _compat.widen_provider_server() is False


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
