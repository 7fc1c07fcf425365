"""The stack marker: one hidden resource per stack whose random value tells this stack's tasks from any other's.

Every program that declares tasks also declares ``pulumi-python:dynamic/mps:StackMarker`` (``mps-stack-marker``).
Its create draws a random marker (``s1-`` + 32 hex digits) kept in the stack's state; the stack's tasks take it as
their ``stack_marker`` input and mix it into the SessionIds of the tasks they create (``pmps2-``, see
``_session.py``). A stack renamed away keeps its marker, a stack created under its old name draws a new one, so
the two never derive the same SessionId. A task found behind a duplicate ``pmps2-`` SessionId derived with this
stack's random marker was submitted by this stack (an interrupted apply, a lost answer): MPS keeps SessionIds per
account, and no other stack knows the marker.

With ``PULUMI_SKIP_CHECKPOINTS`` on, nothing reaches the state before the end of the ``up``: a killed first
``up`` would lose a random marker and the next one would submit every task again under new SessionIds. The
marker created then is derived from the stack's name instead (``d1-``): the next ``up`` derives the same
SessionIds, MPS refuses them as duplicates, and since a derived marker proves nothing (another stack of the
same name derives it too) those duplicates are reported, never adopted silently. The first ``up`` with
checkpoints replaces a derived marker with a random one (tasks created before keep their SessionIds).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult

PROVIDER_KEY = "__provider"
MARKER_NAME = "mps-stack-marker"
MARKER_ID = "pulumi-mps"
RANDOM_PREFIX = "s1-"
DERIVED_PREFIX = "d1-"


def skip_checkpoints() -> bool:
    """Whether the CLI that started this process writes the state only at the end (``PULUMI_SKIP_CHECKPOINTS``,
    read as the CLI reads it: ``1`` or ``true`` in any case)."""
    value = os.environ.get("PULUMI_SKIP_CHECKPOINTS", "")
    return value == "1" or value.lower() == "true"


def random_marker() -> str:
    return RANDOM_PREFIX + secrets.token_hex(16)


def derived_marker(stack: str) -> str:
    """The marker of a stack created under PULUMI_SKIP_CHECKPOINTS: the same for every stack named ``stack``."""
    return DERIVED_PREFIX + hashlib.sha256(f"pulumi-mps stack {stack}".encode()).hexdigest()[:32]


def proves_ownership(marker: Any) -> bool:
    """Whether SessionIds derived with ``marker`` can only be this stack's (a random marker)."""
    return isinstance(marker, str) and marker.startswith(RANDOM_PREFIX) and len(marker) > len(RANDOM_PREFIX)


class StackMarkerProviderBase(ResourceProvider):
    """The marker's provider: no API call, a value drawn once and kept. Input ``stack`` (``<project>/<stack>``),
    output ``nonce``."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult({"stack": news.get("stack")}, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        upgrade = not proves_ownership(olds.get("nonce")) and not skip_checkpoints()
        return DiffResult(changes=upgrade, replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        stack = str(props.get("stack"))
        nonce = derived_marker(stack) if skip_checkpoints() else random_marker()
        return CreateResult(MARKER_ID, {"stack": stack, "nonce": nonce})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        nonce = olds.get("nonce")
        if not proves_ownership(nonce) and not skip_checkpoints():
            nonce = random_marker()
        return UpdateResult({"stack": news.get("stack"), "nonce": nonce})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        return ReadResult(id_, state, {"stack": state.get("stack")})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None
