"""The scalar rules shared by the models (``_types.py``, pydantic) and the checks on the tables (``_accept.py``,
``_convert.py``), without pydantic."""

from __future__ import annotations

import re
from typing import Any

_DECIMAL_INT = re.compile(r"^[+-]?[0-9]+$")


def integral(value: Any) -> Any:
    """Integral floats become ints (protobuf Struct carries every number as a float), and so do decimal integer
    strings (the API accepts them: its own examples write ``"Definition": "30"``); the rest is unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _DECIMAL_INT.match(value.strip()):
        return int(value.strip())
    return value


_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")


def decimal(value: Any) -> Any:
    """Ints and decimal strings become floats (the API accepts them: CreateAIRecognitionTemplate's own example
    writes ``"Score": "90"`` for a float member); the rest is unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return float(value.strip())
    return value


# The ranges the schema's integer types imply (the API's Go SDK reads them into int64 / uint64).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
UINT64_MAX = 2**64 - 1
