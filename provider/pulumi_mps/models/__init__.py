"""Pydantic v2 input models of the MPS ProcessMedia / ProcessLiveStream requests, and the provider's helpers.

The models are generated (``_generated.py``, by ``tools/generate.py``): one class per API object, snake_case
attributes with the API's PascalCase names as aliases (both accepted), unknown keys rejected. The helpers
(``_convert.py``) turn any accepted input form into one canonical dict, list problems with their paths, build
the API request body and find the secret members.
"""

from __future__ import annotations

from . import _convert, _generated
from ._convert import *  # the helpers, listed in _convert.__all__
from ._generated import *  # every generated model and table, listed in _generated.__all__
from ._types import UNKNOWN, Condition, FieldSpec, MpsModel

__all__ = ["UNKNOWN", "Condition", "FieldSpec", "MpsModel"]
__all__ += _convert.__all__
__all__ += _generated.__all__
