"""What the API docs only recommend: advice shown at preview, never a failure.

The rules are the schema's ``warn`` entries (``tools/schema_overlay.json``, each quoting its evidence), which the
generated tables hold as ``models.WARNINGS`` (so that preview does not load the schema for them):
``{"values": {value: message}}`` warns on those values, ``{"unless": {"pattern" | "values", "message"}}`` on
any other value.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from . import models


def advice(request: str, canonical: dict[str, Any]) -> list[tuple[str, str]]:
    """``(path, message)`` for each value of a canonical (snake_case) request the docs advise against."""
    found: list[tuple[str, str]] = []
    _walk(request, canonical, "", found)
    return found


def _walk(obj: str, data: Any, path: str, found: list[tuple[str, str]]) -> None:
    if not isinstance(data, dict):
        return
    for spec, rule in _plan(obj):
        value = data.get(spec.name)
        if value is None:
            continue
        where = f"{path}.{spec.name}" if path else spec.name
        if rule is None:  # an object member with a rule somewhere inside
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                _walk(spec.member, item, f"{where}[{index}]" if isinstance(value, list) else where, found)
        elif isinstance(value, str) and value:
            message = _message(rule, value)
            if message:
                found.append((where, message))


@cache
def _plan(obj: str) -> tuple[tuple[models.FieldSpec, dict[str, Any] | None], ...]:
    """The members of ``obj`` the walk visits, in order: each scalar with a rule (and the rule), each object member
    with a rule somewhere inside (and None). The others can give no advice."""
    rules = models.WARNINGS
    plan: list[tuple[models.FieldSpec, dict[str, Any] | None]] = []
    for spec in models.FIELDS.get(obj, ()):
        if spec.is_object:
            if _plan(spec.member):
                plan.append((spec, None))
        elif (obj, spec.api) in rules:
            plan.append((spec, rules[obj, spec.api]))
    return tuple(plan)


def _message(rule: dict[str, Any], value: str) -> str | None:
    if value in rule.get("values", {}):
        return str(rule["values"][value])
    unless = rule.get("unless")
    if unless is None:
        return None
    allowed = ("pattern" in unless and re.search(unless["pattern"], value)) or value in unless.get(
        "values", ()
    )
    return None if allowed else str(unless["message"])
