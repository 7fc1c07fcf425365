"""The engine's floor: dynamic providers that do nothing but echo their inputs.

Defined in an importable module (``bench/`` on PYTHONPATH for the program and the provider process), so they are
pickled by reference, exactly like ``pulumi_mps._providers.MediaProcessTaskProvider``. ``check`` and ``diff``
are the SDK defaults (inputs accepted as given; an empty DiffResult lets the engine compare inputs itself).

- ``Noop``: the trivial resource, the given inputs only (the floor the issue asks for).
- ``NoopShaped``: the same inputs plus the properties a ``MediaProcessTask`` declares (``resource_identity``,
  ``task_id``, ``session_id`` and the status outputs, registered as None and returned by create), to separate
  what the Pulumi SDK and engine spend per declared property from what the provider itself spends.
"""

from __future__ import annotations

import uuid
from typing import Any

from pulumi.dynamic import CreateResult, Resource, ResourceProvider

OUTPUTS = (
    "status",
    "create_time",
    "begin_process_time",
    "finish_time",
    "err_code",
    "message",
    "subtasks",
    "output_paths",
    "adopted",
)


class NoopProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"noop-{uuid.uuid4().hex}", {k: v for k, v in props.items() if k != "__provider"})


class Noop(Resource, module="bench", name="Noop"):
    def __init__(self, resource_name: str, **props: Any) -> None:
        super().__init__(NoopProvider(), resource_name, props)


class NoopShapedProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        task_id = f"noop-{uuid.uuid4().hex}"
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            task_id=task_id,
            session_id=f"pmps1-{task_id[5:45]}",
            status="WAITING",
            create_time="",
            begin_process_time="",
            finish_time="",
            err_code=0,
            message="",
            subtasks=[],
            output_paths=[],
            adopted=False,
        )
        return CreateResult(task_id, outs)


class NoopShaped(Resource, module="bench", name="NoopShaped"):
    def __init__(self, resource_name: str, **props: Any) -> None:
        props["resource_identity"] = f"bench/bench/{resource_name}"
        for key in (*OUTPUTS, "task_id", "session_id"):
            props.setdefault(key, None)
        super().__init__(NoopShapedProvider(), resource_name, props)
