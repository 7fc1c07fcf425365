"""Whether the generated tables alone show an input valid: the check of a valid input, without pydantic.

:func:`accepts` runs on what ``_convert.validate`` hands the model's validator (snake_case keys, unknown fields as
``UNKNOWN``, numbers already converted) and answers True only where that validator finds nothing wrong: every key
a member of its object, every required member present, every value of its member's type and within its rules
(``FieldSpec``: enum, range, length, pattern, and the range of int64 / uint64). Wherever it is not sure (a str
subclass, the placeholder model of an unknown list element, a rule the models do not apply to that type) it
answers False, and pydantic decides. Conditional requirements are not its business: ``validate`` reports them
from the tables in either case, as it does pydantic's own ``mps_condition`` errors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ._fields import FieldSpec
from ._scalars import INT64_MAX, INT64_MIN, UINT64_MAX
from ._tables import FIELDS
from ._unknown import UNKNOWN

Check = Callable[[Any], bool]
# Each integer type's own range (``_types.Int64``, ``_types.UInt64``).
_INT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "int64": (INT64_MIN, INT64_MAX),
    "uint64": (0, UINT64_MAX),
}


def accepts(obj: str, data: Any) -> bool:
    """True when the model ``obj`` would validate ``data`` (prepared) without an error; False when it would not,
    or may not."""
    if type(data) is not dict:
        return False
    members, required = _shape(obj)
    for key, value in data.items():
        check = members.get(key)
        if check is None or (value is not UNKNOWN and not check(value)):
            return False
    return all(name in data for name in required)


@cache
def _shape(obj: str) -> tuple[dict[str, Check], tuple[str, ...]]:
    """The check of each member of ``obj`` by its snake_case name, and the required members' names."""
    specs = FIELDS[obj]
    return {s.name: _member_check(s) for s in specs}, tuple(s.name for s in specs if s.required)


def _member_check(spec: FieldSpec) -> Check:
    member = spec.member
    if spec.is_object:
        item: Check = lambda value: accepts(member, value)  # noqa: E731  (one closure per member, built once)
    else:
        item = _scalar_check(spec)
    if spec.type == "list":
        return lambda value: type(value) is list and all(item(v) for v in value)
    return item


def _never(value: Any) -> bool:
    return False


def _scalar_check(spec: FieldSpec) -> Check:
    """The check of one scalar value of ``spec``'s type and rules; :func:`_never` for a rule the models would not
    apply to that type."""
    kind = spec.member
    low: float | None
    high: float | None
    low, high = _INT_RANGES.get(kind, (None, None))
    if spec.minimum is not None:
        low = spec.minimum if low is None else max(low, spec.minimum)
    if spec.maximum is not None:
        high = spec.maximum if high is None else min(high, spec.maximum)
    allowed = frozenset(spec.enum) if spec.enum is not None else None
    if kind == "string":
        if low is not None or high is not None:
            return _never
        pattern = re.compile(spec.pattern) if spec.pattern is not None else None
        longest = spec.max_length
        return lambda v: (
            type(v) is str
            and (allowed is None or v in allowed)
            and (longest is None or len(v) <= longest)
            and (pattern is None or pattern.search(v) is not None)
        )
    if spec.pattern is not None or spec.max_length is not None:
        return _never
    if kind in _INT_RANGES:
        return lambda v: (
            type(v) is int
            and (low is None or v >= low)
            and (high is None or v <= high)
            and (allowed is None or v in allowed)
        )
    if kind == "float" and allowed is None:
        return lambda v: (
            type(v) is float
            and math.isfinite(v)
            and (low is None or v >= low)
            and (high is None or v <= high)
        )
    if kind == "bool" and allowed is None and low is None and high is None:
        return lambda v: type(v) is bool
    return _never
