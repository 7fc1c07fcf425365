"""What "not known yet" means to the models and the provider, without pydantic: the provider's check and diff ask
it of every property, and the diff the engine asks for after each refresh must not load the models."""

from __future__ import annotations

import sys
from typing import Any


class _Unknown:
    """A value not known yet (a preview's computed input); only :func:`pulumi_mps.models.validate` uses it."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

# What the engine sends for a computed value when the SDK does not turn it into pulumi.output.Unknown.
RPC_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


# The types of the values an input is mostly made of, none of them unknown (exact types: a subclass is asked).
_PLAIN = frozenset({dict, list, int, float, bool, type(None)})


def is_pulumi_unknown(value: Any) -> bool:
    """A value that cannot be checked now: ``pulumi.output.Unknown``, the engine's unknown marker string, or a
    ``pulumi.Output`` (not readable synchronously). Never imports pulumi: such values exist only once it is."""
    if type(value) in _PLAIN:
        return False
    if isinstance(value, str):
        return value == RPC_UNKNOWN
    output = sys.modules.get("pulumi.output")
    return output is not None and isinstance(value, (output.Unknown, output.Output))


def is_unknown_value(value: Any) -> bool:
    """The default unknown test: ``pulumi.output.Unknown``, the engine's unknown marker, a ``pulumi.Output``."""
    return value is UNKNOWN or is_pulumi_unknown(value)
