"""Generic request validation from the generated schema (``pulumi_mps._schema``), compiled once.

Per object, in this order: unknown member names (``UnknownParameter``), missing required members and the
schema's conditional requirements (``MissingParameter``), then each present member: JSON type
(``InvalidParameter``), then enum / minimum / maximum / maxLength / pattern (``InvalidParameterValue`` or the
member's own ``error`` code), recursing into objects and lists. ``null`` counts as absent. Numbers written as
strings are accepted, as the API does: the docs' own examples send ``"Definition": "30"`` (ProcessMedia) and
``"Limit": "5"`` (every DescribeTasks example in tccli's examples.json). An optional string
given as ``""`` means "not set" and skips its enum and pattern rules. Paths in messages use dots and list
indexes: ``MediaProcessTask.TranscodeTaskSet.0.Definition``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..models._fields import Condition, unmet_conditions
from ._errors import InvalidParameter, InvalidParameterValue, MissingParameter, UnknownParameter

_INT64 = (-(2**63), 2**63 - 1)
_UINT64 = (0, 2**64 - 1)
_SCALARS = {"string", "int64", "uint64", "float", "bool"}
_TYPE_NAMES = {
    "string": "a string",
    "int64": "an integer",
    "uint64": "a non-negative integer",
    "float": "a number",
    "bool": "a boolean",
}


@dataclass(frozen=True)
class _Member:
    name: str
    kind: str
    element: str
    required: bool
    enum: tuple[Any, ...] | None
    minimum: float | None
    maximum: float | None
    max_length: int | None
    pattern: re.Pattern[str] | None
    rule: str | None
    error: str

    @property
    def has_rules(self) -> bool:
        return any(
            x is not None for x in (self.enum, self.minimum, self.maximum, self.max_length, self.pattern)
        )


class Validator:
    """Validates request parameters against one object of the schema; raises :class:`~._errors.EmulatorError`."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self._objects: dict[str, dict[str, _Member]] = {
            name: {m["name"]: _compile(m) for m in obj["members"]} for name, obj in schema["objects"].items()
        }
        self._required = {name: [m for m in ms.values() if m.required] for name, ms in self._objects.items()}
        self._conditions: dict[str, list[Condition]] = {}
        for cond in schema.get("conditions", []):
            when = tuple((tuple(path.split(".")), value) for path, value in cond["when"].items())
            self._conditions.setdefault(cond["object"], []).append(Condition(when, tuple(cond["require"])))

    def validate(self, object_name: str, params: Any) -> None:
        self._object(object_name, params, "")

    def _object(self, name: str, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise InvalidParameter(f"The parameter `{path or 'request body'}` must be an object.")
        members = self._objects[name]
        for key in value:
            if key not in members:
                raise UnknownParameter(f"The parameter `{_join(path, key)}` is not recognized.")
        for member in self._required[name]:
            if value.get(member.name) is None:
                raise _missing(_join(path, member.name))
        for cond, missing in unmet_conditions(
            self._conditions.get(name, ()),
            lambda keys: _lookup(value, keys),
            lambda field: value.get(field) is not None,
        ):
            raise _missing(_join(path, missing[0]), cond)
        for key, item in value.items():
            if item is not None:
                self._member(members[key], item, _join(path, key))

    def _member(self, member: _Member, value: Any, path: str) -> None:
        if member.kind == "object":
            self._object(member.element, value, path)
        elif member.kind == "list":
            if not isinstance(value, list):
                raise InvalidParameter(f"The parameter `{path}` must be an array.")
            for index, item in enumerate(value):
                item_path = f"{path}.{index}"
                if item is None:
                    raise InvalidParameter(f"The parameter `{item_path}` must not be null.")
                if member.element in _SCALARS:
                    self._scalar(member, item, item_path)
                else:
                    self._object(member.element, item, item_path)
        else:
            self._scalar(member, value, path)

    def _scalar(self, member: _Member, value: Any, path: str) -> None:
        kind = member.element
        value = as_number(kind, value)
        ok = {
            "string": isinstance(value, str),
            "bool": isinstance(value, bool),
            "int64": isinstance(value, int) and not isinstance(value, bool),
            "uint64": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        }.get(kind, False)
        if not ok:
            raise InvalidParameter(f"The parameter `{path}` must be {_TYPE_NAMES.get(kind, kind)}.")
        if kind in ("int64", "uint64"):
            low, high = _INT64 if kind == "int64" else _UINT64
            if not low <= value <= high:
                raise InvalidParameterValue(f"The parameter `{path}` is out of range ({low}..{high}).")
        if kind == "float" and not math.isfinite(value):
            raise InvalidParameterValue(f"The parameter `{path}` must be a finite number.")
        if member.has_rules:
            self._rules(member, value, path)

    def _rules(self, member: _Member, value: Any, path: str) -> None:
        unset = value == "" and not member.required and member.kind != "list"
        problem = None
        if member.enum is not None and not unset and value not in member.enum:
            problem = "must be one of: " + ", ".join(str(v) for v in member.enum)
        elif member.minimum is not None and value < member.minimum:
            problem = f"must be at least {member.minimum}"
        elif member.maximum is not None and value > member.maximum:
            problem = f"must be at most {member.maximum}"
        elif member.max_length is not None and len(value) > member.max_length:
            problem = f"is longer than {member.max_length} characters"
        elif member.pattern is not None and not unset and not member.pattern.search(value):
            problem = "is invalid: " + (member.rule or f"must match {member.pattern.pattern}")
        if problem is not None:
            raise InvalidParameterValue(f"The parameter `{path}` {problem}.", member.error)


def as_number(kind: str, value: Any) -> Any:
    """``value`` as a number when the schema wants one and it is a number written as a string; else as is."""
    if kind in ("int64", "uint64") and isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        return int(value)
    if kind == "float" and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _compile(raw: Mapping[str, Any]) -> _Member:
    kind = raw["type"]
    element = raw.get("member") or kind
    enum = raw.get("enum")
    pattern = raw.get("pattern")
    return _Member(
        name=raw["name"],
        kind=kind if kind in ("object", "list") else "scalar",
        element=element,
        required=bool(raw.get("required")),
        enum=tuple(enum) if enum is not None else None,
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        max_length=raw.get("maxLength"),
        pattern=re.compile(pattern) if pattern else None,
        rule=raw.get("rule"),
        error=raw.get("error") or "InvalidParameterValue",
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _lookup(value: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _missing(path: str, cond: Condition | None = None) -> MissingParameter:
    reason = ""
    if cond is not None:
        reason = " when " + cond.describe_when()
    return MissingParameter(f"The parameter `{path}` is required{reason}.")
