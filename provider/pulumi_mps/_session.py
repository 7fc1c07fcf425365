"""The deterministic SessionId of a task resource. Frozen: golden vectors in tests/unit/test_session.py.

Resources created since stack markers exist (README, "The SessionId contract") derive ``pmps2-`` SessionIds:

    material   = JSON of {"kind", "name", "nonce", "request", "triggers"} with sorted keys, separators (",", ":"),
                 non-ASCII kept, integral floats written as integers
    session_id = "pmps2-" + first 40 hex digits of SHA-256(material as UTF-8)        (46 characters)

``name`` is the resource's name and ``nonce`` its stack's marker (``_stack.py``), which differs between two
stacks even when they have the same name (a stack renamed and another created under its old name). Resources
created before, and resources driven without a marker, keep ``pmps1-`` SessionIds:

    material   = JSON of {"identity", "kind", "request", "triggers"} (same form)
    session_id = "pmps1-" + first 40 hex digits of SHA-256(material as UTF-8)        (46 characters)

``kind`` is the resource kind (``MediaProcessTask`` / ``LiveStreamProcessTask``), ``identity`` is
``<project>/<stack>/<resource name>``, ``request`` the canonical request (snake_case keys, no None, exactly what
check() returns), ``triggers`` the user's triggers (null when unset). Any change to the request or to the
triggers gives a new SessionId, hence a new task; re-applying the same spec gives the same one, which MPS
deduplicates (3 days for ProcessMedia, 7 days for ProcessLiveStream).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

PREFIX = "pmps1-"
PREFIX_V2 = "pmps2-"
MAX_LENGTH = 50


def canonical_value(value: Any) -> Any:
    """Integral floats to ints, recursively (the engine sends every number as a float)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical_value(v) for v in value]
    return value


def non_finite_paths(value: Any, path: str) -> list[str]:
    """The paths in ``value`` holding NaN or an infinity (never equal to themselves as JSON / state values)."""
    if isinstance(value, float) and not math.isfinite(value):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in non_finite_paths(v, f"{path}.{k}")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in non_finite_paths(v, f"{path}[{i}]")]
    return []


def _digest(prefix: str, material: dict[str, Any]) -> str:
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return prefix + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def derive_session_id(kind: str, identity: str, request: dict[str, Any], triggers: Any = None) -> str:
    """The ``pmps1-`` SessionId of a resource created before stack markers (or without one)."""
    return _digest(
        PREFIX,
        {
            "identity": identity,
            "kind": kind,
            "request": canonical_value(request),
            "triggers": canonical_value(triggers),
        },
    )


def derive_session_id_v2(
    kind: str, name: str, nonce: str, request: dict[str, Any], triggers: Any = None
) -> str:
    """The ``pmps2-`` SessionId of a resource named ``name`` in the stack whose marker is ``nonce``."""
    return _digest(
        PREFIX_V2,
        {
            "kind": kind,
            "name": name,
            "nonce": nonce,
            "request": canonical_value(request),
            "triggers": canonical_value(triggers),
        },
    )


def derive_rerun_session_id(session_id: str, replaced_task_id: str) -> str:
    """The SessionId of the task that re-runs task ``replaced_task_id``, submitted under ``session_id``, when its
    resource is replaced with that SessionId unchanged (``_replacing.py``). Derived from a ``pmps2-`` SessionId it
    is known only to the stack that knows the marker, as that one is."""
    return _digest(PREFIX_V2, {"replaces": replaced_task_id, "session_id": session_id})
