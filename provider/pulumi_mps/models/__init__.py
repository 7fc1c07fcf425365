"""Pydantic v2 input models of the MPS task requests (ProcessMedia, ProcessLiveStream, EditMedia), and helpers.

The models are generated (``_generated.py``, by ``tools/generate.py``): one class per API object, snake_case
attributes with the API's PascalCase names as aliases (both accepted), unknown keys rejected. The helpers
(``_convert.py``) turn any accepted input form into one canonical dict, list problems with their paths, build
the API request body and find the secret members.

The member tables (``FIELDS``, ``CONDITIONS``, ``SECRET_MEMBERS``, ...) and ``api_to_snake`` load with the
package, the helpers on first use; the model classes and pydantic itself on first use of a class, or when a helper
given a class (or :func:`validate`, given an invalid input) needs them. A Pulumi program declaring tasks needs
only the tables; the provider, which passes the helpers the request's name, the models only to word a problem.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._fields import Condition as Condition
from ._fields import FieldSpec as FieldSpec
from ._naming import api_to_snake as api_to_snake
from ._tables import API_TO_SNAKE as API_TO_SNAKE
from ._tables import CONDITIONS as CONDITIONS
from ._tables import FIELDS as FIELDS
from ._tables import MODEL_NAMES
from ._tables import SECRET_FIELDS as SECRET_FIELDS
from ._tables import SECRET_MEMBERS as SECRET_MEMBERS
from ._tables import WARNINGS as WARNINGS
from ._unknown import UNKNOWN as UNKNOWN
from ._unknown import is_unknown_value as is_unknown_value

if TYPE_CHECKING:  # what __getattr__ loads on first use
    from ._convert import *  # noqa: F403
    from ._generated import *  # noqa: F403
    from ._types import MpsModel as MpsModel

_LAZY = {"MpsModel": "._types", **dict.fromkeys(MODEL_NAMES, "._generated")}


def __getattr__(name: str) -> Any:
    """A model class, a helper, ``UNKNOWN``, ``MpsModel``; ``__all__`` (which loads the helpers' list)."""
    if name == "__all__":
        from ._convert import __all__ as helpers

        return sorted({"Condition", "FieldSpec", "UNKNOWN", *_LAZY, *helpers})
    module = _LAZY.get(name)
    if module is None:
        convert = importlib.import_module("._convert", __name__)
        if name not in convert.__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = "._convert"
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})
