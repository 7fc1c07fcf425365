"""Building blocks of the generated models (``_generated.py``): base class, scalar types, rule validators."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, field_validator
from pydantic_core import PydanticCustomError

from ._fields import Condition, unmet_conditions
from ._scalars import INT64_MAX, INT64_MIN, UINT64_MAX, decimal, integral
from ._unknown import UNKNOWN, is_pulumi_unknown


class MpsModel(BaseModel):
    """Base of every generated model: snake_case attributes, PascalCase API aliases, unknown keys rejected.

    ``defer_build``: a model's validator is built when it is first used (see ``_convert.ready``), not at import:
    a Pulumi program only needs the field lists, and the provider only the request tree it validates.
    ``allow_inf_nan=False``: the API's floats are JSON numbers, which have no NaN or infinity.
    """

    model_config = ConfigDict(
        populate_by_name=True, extra="forbid", loc_by_alias=False, defer_build=True, allow_inf_nan=False
    )

    @field_validator("*", mode="wrap")
    @classmethod
    def _let_unknown_through(cls, value: Any, handler: Any) -> Any:
        # A field whose value is not known yet is present but not checked; see models.validate().
        if value is UNKNOWN or is_pulumi_unknown(value):
            return value
        return handler(value)


# float: floats, ints and decimal strings; bools and other strings are rejected.
Float = Annotated[float, Strict(), BeforeValidator(decimal)]

# int64: ints, floats with no fractional part and decimal integer strings, within the int64 range; bools, other
# strings and 20.5 are rejected.
Int64 = Annotated[int, Strict(), BeforeValidator(integral), Field(ge=INT64_MIN, le=INT64_MAX)]
# uint64: the same, from 0 to the uint64 maximum.
UInt64 = Annotated[int, Strict(), BeforeValidator(integral), Field(ge=0, le=UINT64_MAX)]


def one_of(*allowed: Any) -> AfterValidator:
    """A validator accepting only ``allowed`` (used for integer enums; string enums are ``Literal``)."""
    listed = ", ".join(str(a) for a in allowed)

    def check(value: Any) -> Any:
        if value not in allowed:
            raise PydanticCustomError("mps_enum", "must be one of {allowed}", {"allowed": listed})
        return value

    return AfterValidator(check)


def matches(pattern: str, rule: str) -> AfterValidator:
    """A validator accepting strings that match ``pattern``; the error message is the human ``rule``."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.search(value):
            raise PydanticCustomError("mps_pattern", "{rule}", {"rule": rule})
        return value

    return AfterValidator(check)


def _lookup(model: BaseModel, path: tuple[str, ...]) -> Any:
    """The value at ``path`` (attribute names), None when absent, UNKNOWN when not known yet."""
    value: Any = model
    for name in path:
        if value is None:
            return None
        if value is UNKNOWN or is_pulumi_unknown(value):
            return UNKNOWN
        value = getattr(value, name, None)
    return UNKNOWN if is_pulumi_unknown(value) else value


def check_conditions(model: MpsModel, conditions: tuple[Condition, ...]) -> MpsModel:
    """Raise when a conditional requirement is not met; a condition on an unknown value is skipped."""
    failures = [
        cond.failure(missing)
        for cond, missing in unmet_conditions(
            conditions,
            lambda path: _lookup(model, path),
            lambda name: getattr(model, name) is not None,
            lambda value: value is UNKNOWN,
        )
    ]
    if failures:
        raise PydanticCustomError("mps_condition", "{message}", {"message": "; ".join(failures)})
    return model
