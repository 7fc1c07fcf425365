"""The Pulumi CLI itself: a trivial stack with one dynamic resource goes through up and destroy, offline."""

from __future__ import annotations

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

PROGRAM = '''
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
'''


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
