"""Secret members (flagged ``secret`` in the schema, e.g. ``S3SecretKey``, ``NotifyKey``): masked or dropped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MASK = "***"


def secret_names(schema: Mapping[str, Any]) -> frozenset[str]:
    """Every member name flagged secret anywhere in the schema (masked wherever that name appears)."""
    return frozenset(
        m["name"] for obj in schema["objects"].values() for m in obj["members"] if m.get("secret")
    )


def mask(value: Any, names: frozenset[str]) -> Any:
    """A copy of ``value`` with every secret member's value replaced by ``***``."""
    if isinstance(value, dict):
        return {k: (MASK if k in names and v is not None else mask(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, names) for v in value]
    return value


def strip(value: Any, names: frozenset[str]) -> Any:
    """A copy of ``value`` without secret members (what answers carry)."""
    if isinstance(value, dict):
        return {k: strip(v, names) for k, v in value.items() if k not in names}
    if isinstance(value, list):
        return [strip(v, names) for v in value]
    return value
