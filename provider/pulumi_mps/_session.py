"""The deterministic SessionId of a task resource. Frozen: golden vectors in tests/unit/test_session.py.

    material   = JSON of {"identity", "kind", "request", "triggers"} with sorted keys, separators (",", ":"),
                 non-ASCII kept, integral floats written as integers
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
from typing import Any

PREFIX = "pmps1-"
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


def derive_session_id(kind: str, identity: str, request: dict[str, Any], triggers: Any = None) -> str:
    material = json.dumps(
        {"identity": identity, "kind": kind, "request": canonical_value(request), "triggers": canonical_value(triggers)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return PREFIX + hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]
