"""What the schema says of one member (:class:`FieldSpec`) and of a conditional requirement (:class:`Condition`).

No pydantic here: the generated tables (``_tables.py``) are built from these, and a Pulumi program reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple


class FieldSpec(NamedTuple):
    """One member of an API object, as the schema describes it."""

    name: str  # snake_case attribute name
    api: str  # PascalCase API name (the alias)
    type: str  # string | int | float | bool | object | list
    member: str  # scalar type (string, int64, uint64, float, bool) or the object's class name
    required: bool = False
    enum: tuple[Any, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    max_length: int | None = None
    pattern: str | None = None
    rule: str | None = None
    secret: bool = False

    @property
    def is_object(self) -> bool:
        """The value (or each list element) is another API object."""
        return self.member not in ("string", "int64", "uint64", "float", "bool")


class Condition(NamedTuple):
    """``require`` fields must be set when every ``when`` path has its value (names of this object: snake_case in
    the models, the API's own in the emulator)."""

    when: tuple[tuple[tuple[str, ...], Any], ...]
    require: tuple[str, ...]

    def describe_when(self) -> str:
        return " and ".join(f"{'.'.join(path)} is {value}" for path, value in self.when)

    def failure(self, missing: list[str]) -> str:
        """The message for ``missing`` required fields."""
        verb = "is" if len(missing) == 1 else "are"
        return f"{' and '.join(missing)} {verb} required when {self.describe_when()}"


def unmet_conditions(
    conditions: Iterable[Condition],
    lookup: Callable[[tuple[str, ...]], Any],
    is_set: Callable[[str], bool],
    is_unknown: Callable[[Any], bool] = lambda value: False,
) -> list[tuple[Condition, list[str]]]:
    """Each condition that holds with some of its ``require`` fields not set, with those fields.

    The one checker of conditional requirements, for the models (snake names, pulumi unknowns skip a condition)
    and the emulator (API names, plain JSON): ``lookup`` reads a ``when`` path, ``is_set`` says whether a field is.
    """
    found = []
    for cond in conditions:
        values = [lookup(path) for path, _ in cond.when]
        if any(is_unknown(v) for v in values) or any(
            v != expected for v, (_, expected) in zip(values, cond.when, strict=True)
        ):
            continue
        missing = [name for name in cond.require if not is_set(name)]
        if missing:
            found.append((cond, missing))
    return found
