"""What the schema says of one member (:class:`FieldSpec`) and of a conditional requirement (:class:`Condition`).

No pydantic here: the generated tables (``_tables.py``) are built from these, and a Pulumi program reads them.
"""

from __future__ import annotations

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
    """``require`` fields must be set when every ``when`` path (snake names from this object) has its value."""

    when: tuple[tuple[tuple[str, ...], Any], ...]
    require: tuple[str, ...]

    def describe_when(self) -> str:
        return " and ".join(f"{'.'.join(path)} is {value}" for path, value in self.when)

    def failure(self, missing: list[str]) -> str:
        """The message for ``missing`` required fields."""
        verb = "is" if len(missing) == 1 else "are"
        return f"{' and '.join(missing)} {verb} required when {self.describe_when()}"
