"""What the provider needs from the models: canonical inputs, problems with paths, API JSON, secret locations.

Inputs may be model instances, snake_case dicts, PascalCase (API) dicts, or any mix at any depth. A value for
which ``is_unknown`` holds (``pulumi.output.Unknown`` at preview, the engine's unknown marker, a
``pulumi.Output``, or whatever a caller-supplied predicate accepts) is opaque: kept as is by :func:`normalize`,
counted as present but never type-checked or descended into by :func:`validate`.

Each helper takes a generated model class or its name (``"ProcessMediaRequest"``). Given names, only
:func:`validate` of an input with a problem loads pydantic and the model classes (to word the problem): the rest
runs on the generated tables (``_tables.py``), so that a provider's checks of valid inputs never load them.
"""

from __future__ import annotations

import difflib
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ._accept import accepts
from ._empty import is_empty, keeps_empty
from ._fields import FieldSpec, unmet_conditions
from ._naming import api_to_snake
from ._scalars import decimal, integral
from ._tables import CONDITIONS, FIELDS
from ._unknown import UNKNOWN, is_unknown_value

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from ._types import MpsModel

__all__ = [
    "Loc",
    "Problem",
    "api_to_snake",
    "format_path",
    "is_unknown_value",
    "normalize",
    "secret_paths",
    "to_api",
    "validate",
]

Loc = tuple[str | int, ...]
"""A location in a request: attribute names (snake_case) and list indices."""

# Object name -> {snake name or API name: spec}; snake names are lower-case, API names start upper-case.
_BY_KEY: dict[str, dict[str, FieldSpec]] = {
    obj: {**{s.name: s for s in specs}, **{s.api: s for s in specs}} for obj, specs in FIELDS.items()
}
# Stand-ins for unknown list elements while validating (unknown fields use the UNKNOWN sentinel instead).
_SCALAR_PLACEHOLDERS: dict[str, Any] = {"string": "", "int64": 0, "uint64": 0, "float": 0.0, "bool": False}


@dataclass(frozen=True)
class Problem:
    """One reason an input is invalid. ``loc`` is rooted at the request's top-level (keyword) fields."""

    loc: Loc
    reason: str

    @property
    def path(self) -> str:
        """``loc`` as text: ``media_process_task.transcode_task_set[1].definition``."""
        return format_path(self.loc)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.loc else self.reason


def format_path(loc: Loc) -> str:
    """``("a", "b", 1, "c")`` -> ``"a.b[1].c"``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _predicate(is_unknown: Callable[[Any], bool] | None) -> Callable[[Any], bool]:
    if is_unknown is None:
        return is_unknown_value
    return lambda value: is_unknown_value(value) or bool(is_unknown(value))


_built: set[type[MpsModel]] = set()
_build_lock = threading.Lock()


def ready(model_cls: type[MpsModel]) -> type[MpsModel]:
    """``model_cls`` with its validator built (the models defer that to first use), once, under a lock: the
    provider server validates on several threads at once."""
    if model_cls not in _built:
        with _build_lock:
            if model_cls not in _built:
                model_cls.model_rebuild()
                _built.add(model_cls)
    return model_cls


def _class_name(model_cls: type[MpsModel] | str) -> str:
    """The object name of a generated model class, or the name itself when it names one."""
    if isinstance(model_cls, str):
        if model_cls not in FIELDS:
            raise TypeError(f"not a generated MPS model: {model_cls!r}")
        return model_cls
    from . import _generated

    name = getattr(model_cls, "__name__", None)
    if not isinstance(name, str) or name not in _generated.MODELS or _generated.MODELS[name] is not model_cls:
        raise TypeError(f"not a generated MPS model: {model_cls!r}")
    return name


def _model_class(obj: str) -> type[MpsModel]:
    from . import _generated

    return _generated.MODELS[obj]


def _is_model(value: Any) -> bool:
    """Whether ``value`` is a model instance (none exists before the model classes are loaded)."""
    types = sys.modules.get(f"{__package__}._types")
    return types is not None and isinstance(value, types.MpsModel)


def _instance_items(model: MpsModel) -> dict[str, Any]:
    """A model instance's set attributes (snake names), without pydantic serialisation (values may be Outputs)."""
    return {name: getattr(model, name) for name in type(model).model_fields}


def _scalar(member: str, value: Any) -> Any:
    """Integral floats and decimal integer strings -> int for integer members, ints and decimal strings -> float for
    float members; the rest unchanged."""
    if member in ("int64", "uint64"):
        return integral(value)
    if member == "float":
        return decimal(value)
    return value


def _sort_key(item: tuple[Any, Any]) -> tuple[int, str]:
    return (0 if isinstance(item[0], str) else 1, str(item[0]))


class _Canonicalizer:
    """One walk over an input: keys to snake names, None and empty members dropped, numbers fixed, keys sorted.

    With ``validating`` set, unknown values become the UNKNOWN sentinel (fields) or type-correct placeholders
    (list elements, whose locations are recorded), and ambiguities are recorded as problems.
    """

    def __init__(self, is_unknown: Callable[[Any], bool], validating: bool) -> None:
        self.is_unknown = is_unknown
        self.validating = validating
        self.problems: list[Problem] = []
        self.placeholders: list[Loc] = []

    def obj(self, obj: str, data: Any, loc: Loc) -> Any:
        if type(data) is dict:
            pass
        elif _is_model(data):
            if self.validating and type(data).__name__ != obj:
                self.problems.append(Problem(loc, f"must be a {obj} or a dict, not a {type(data).__name__}"))
            data = _instance_items(data)
        elif not isinstance(data, Mapping):
            return list(data) if isinstance(data, tuple) else data  # pydantic reports the type error
        specs = _BY_KEY[obj]
        out: dict[Any, Any] = {}
        given_as: dict[Any, Any] = {}
        for key, value in data.items():
            if value is None:
                continue
            spec = specs.get(key) if isinstance(key, str) else None
            name = spec.name if spec is not None else key
            if name in given_as:
                if self.validating:
                    self.problems.append(
                        Problem((*loc, name), f"given twice, as {given_as[name]!r} and {key!r}")
                    )
                if key != name:  # the snake_case spelling wins
                    continue
            given_as[name] = key
            if spec is None:
                out[name] = value  # not a member: kept for validate() to report
                continue
            canonical = self.value(spec, value, (*loc, name))
            if is_empty(canonical) and not keeps_empty(obj, name):
                out.pop(name, None)  # an empty member is an absent one (README, "The SessionId contract")
                continue
            out[name] = canonical
        if all(type(key) is str for key in out):
            return dict(sorted(out.items()))  # the same order as _sort_key's: the keys are unique
        return dict(sorted(out.items(), key=_sort_key))

    def value(self, spec: FieldSpec, value: Any, loc: Loc) -> Any:
        if self.is_unknown(value):
            return UNKNOWN if self.validating else value
        if spec.type == "object":
            return self.obj(spec.member, value, loc)
        if spec.type == "list" and isinstance(value, (list, tuple)):
            return [self.element(spec, item, (*loc, i)) for i, item in enumerate(value)]
        return _scalar(spec.member, value)

    def element(self, spec: FieldSpec, item: Any, loc: Loc) -> Any:
        if self.is_unknown(item):
            if not self.validating:
                return item
            self.placeholders.append(loc)
            if spec.is_object:
                return _model_class(spec.member).model_construct()
            return _SCALAR_PLACEHOLDERS[spec.member]
        if spec.is_object:
            return self.obj(spec.member, item, loc)
        return _scalar(spec.member, item)


def normalize(
    model_cls: type[MpsModel] | str, data: Any, is_unknown: Callable[[Any], bool] | None = None
) -> dict[str, Any]:
    """The canonical form of ``data`` (a ``model_cls`` instance or a dict in snake_case, PascalCase or both).

    Canonical: a snake_case dict at every depth, keys sorted, None values and empty members (``""``, ``[]``, ``{}``,
    also once their own empty members are left out; except where the docs give an empty value a meaning, see
    ``_empty.py``) left out, integral floats turned into
    ints for integer fields (ints into floats for float fields), tuples into lists. Unknown values are kept as
    they are; unrecognised keys are kept under their own name (:func:`validate` reports them). When a field is
    given under both names the snake_case one wins. Never validates: call :func:`validate` for that.
    """
    obj = _class_name(model_cls)
    out = _Canonicalizer(_predicate(is_unknown), validating=False).obj(obj, data, ())
    if not isinstance(out, dict):
        raise TypeError(f"{obj} input must be a mapping or a {obj}, not {type(data).__name__}")
    return out


def validate(
    model_cls: type[MpsModel] | str, data: Any, is_unknown: Callable[[Any], bool] | None = None
) -> list[Problem]:
    """Every problem with ``data`` (any form :func:`normalize` accepts); empty when it is valid.

    Unknown values are present but unchecked: a rule about an unknown field, about anything inside an unknown
    object or list, or a conditional requirement that depends on an unknown value is skipped. An input the
    generated tables show valid (``_accept.py``) is not given to pydantic, which would find nothing either.
    """
    obj = _class_name(model_cls)
    unknown = _predicate(is_unknown)
    if unknown(data):
        return []
    walk = _Canonicalizer(unknown, validating=True)
    prepared = walk.obj(obj, data, ())
    if not isinstance(prepared, dict):
        return [Problem((), f"must be a mapping or a {obj}, not {type(data).__name__}")]
    problems = list(walk.problems)
    if not accepts(obj, prepared):
        problems += _pydantic_problems(obj, prepared, walk.placeholders)
    problems.extend(_condition_problems(obj, prepared, ()))
    return problems


def _pydantic_problems(obj: str, prepared: dict[str, Any], placeholders: list[Loc]) -> list[Problem]:
    """What the model's validator finds wrong with ``prepared`` but conditional requirements (reported apart)
    and what lies under a placeholder of an unknown list element."""
    from pydantic import ValidationError

    problems: list[Problem] = []
    try:
        ready(_model_class(obj)).model_validate(prepared)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if error["type"] == "mps_condition":
                continue  # reported below, for every object, even one with other errors
            if any(loc[: len(p)] == p for p in placeholders):
                continue
            problems.append(Problem(loc, _reason(obj, loc, error)))
    return problems


def _spec_at(obj: str, loc: Loc) -> tuple[str | None, FieldSpec | None]:
    """(object holding the last named field of ``loc``, that field's spec); list indices are skipped."""
    current: str | None = obj
    owner: str | None = None
    spec: FieldSpec | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None:
            return None, None
        owner, spec = current, _BY_KEY[current].get(part)
        if spec is None:
            return owner, None
        current = spec.member if spec.is_object else None
    return owner, spec


def _range_text(spec: FieldSpec | None, error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    low = spec.minimum if spec is not None else None
    high = spec.maximum if spec is not None else None
    if low is not None and high is not None:
        return f"must be between {low} and {high}"
    if error["type"] == "greater_than_equal":
        return f"must be at least {ctx.get('ge', low)}"
    return f"must be at most {ctx.get('le', high)}"


def _reason(obj: str, loc: Loc, error: ErrorDetails) -> str:
    """A short sentence for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    owner, spec = _spec_at(obj, loc)
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        text = f"unknown field {key!r}"
        if owner is not None:
            candidates = sorted(_BY_KEY[owner])
            close = difflib.get_close_matches(str(key), candidates, n=1)
            if close:
                text += f" (did you mean {_BY_KEY[owner][close[0]].name!r}?)"
        return text
    if kind in ("literal_error", "mps_enum") and spec is not None and spec.enum:
        return "must be one of " + ", ".join(str(v) for v in spec.enum)
    if kind in ("mps_pattern", "mps_condition", "mps_enum"):
        return error["msg"]
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "less_than_equal"):
        return _range_text(spec, error)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be an integer"
    if kind == "finite_number":
        return "must be a finite number (not NaN or an infinity)"
    if kind in ("float_type", "float_parsing"):
        return "must be a number"
    if kind == "string_type":
        return "must be a string"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("list_type", "tuple_type"):
        return "must be a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        target = spec.member if spec is not None and spec.is_object else "object"
        return f"must be an object ({target})"
    return error["msg"]


def _dict_lookup(data: Any, path: tuple[str, ...]) -> Any:
    value = data
    for name in path:
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


@cache
def _conditional(obj: str) -> bool:
    """Whether ``obj``, or an object inside it, has conditional requirements."""
    return obj in CONDITIONS or any(_conditional(s.member) for s in FIELDS[obj] if s.is_object)


def _condition_problems(obj: str, data: Any, loc: Loc) -> list[Problem]:
    """Conditional requirements, checked on the prepared (snake_case, sentinel-substituted) data."""
    if not isinstance(data, dict):
        return []
    problems = [
        Problem((*loc, name), f"required when {cond.describe_when()}")
        for cond, missing in unmet_conditions(
            CONDITIONS.get(obj, ()),
            lambda path: _dict_lookup(data, path),
            lambda name: data.get(name) is not None,
            lambda value: value is UNKNOWN,
        )
        for name in missing
    ]
    for key, value in data.items():
        spec = _BY_KEY[obj].get(key) if isinstance(key, str) else None
        if spec is None or not spec.is_object or not _conditional(spec.member):
            continue
        if spec.type == "object":
            problems.extend(_condition_problems(spec.member, value, (*loc, key)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                problems.extend(_condition_problems(spec.member, item, (*loc, key, i)))
    return problems


def to_api(model_cls: type[MpsModel] | str, canonical: Any) -> dict[str, Any]:
    """The request body: API (PascalCase) names at every depth, members in API order, None dropped.

    Accepts any form :func:`normalize` accepts; fails on a key the API does not have. Unknown values pass
    through unchanged (nothing is sent at preview).
    """
    obj = _class_name(model_cls)
    out = _api_obj(obj, canonical, ())
    if not isinstance(out, dict):
        raise TypeError(f"{obj} input must be a mapping or a {obj}, not {type(canonical).__name__}")
    return out


def _api_obj(obj: str, data: Any, loc: Loc) -> Any:
    if _is_model(data):
        data = _instance_items(data)
    if not isinstance(data, Mapping):
        return data
    specs = _BY_KEY[obj]
    values: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        spec = specs.get(key) if isinstance(key, str) else None
        if spec is None:
            raise ValueError(f"{format_path((*loc, key))}: {obj} has no field {key!r}")
        values[spec.name] = _api_value(spec, value, (*loc, spec.name))
    return {s.api: values[s.name] for s in FIELDS[obj] if s.name in values}


def _api_value(spec: FieldSpec, value: Any, loc: Loc) -> Any:
    if spec.type == "list" and isinstance(value, (list, tuple)):
        if spec.is_object:
            return [_api_obj(spec.member, item, (*loc, i)) for i, item in enumerate(value)]
        return [_scalar(spec.member, item) for item in value]
    if spec.is_object:
        return _api_obj(spec.member, value, loc)
    return _scalar(spec.member, value)


def secret_paths(model_cls: type[MpsModel] | str, canonical: Any) -> list[Loc]:
    """Locations (snake_case names and list indices) of the secret members set in ``canonical``.

    E.g. ``[("input_info", "s3_input_info", "s3_secret_key")]``. Accepts any form :func:`normalize` accepts.
    """
    return list(_secrets(_class_name(model_cls), canonical, ()))


def _secrets(obj: str, data: Any, loc: Loc) -> Iterator[Loc]:
    if _is_model(data):
        data = _instance_items(data)
    if not isinstance(data, Mapping):
        return
    for key, value in data.items():
        spec = _BY_KEY[obj].get(key) if isinstance(key, str) else None
        if spec is None or value is None:
            continue
        here = (*loc, spec.name)
        if spec.secret:
            yield here
        elif spec.is_object and spec.type == "object":
            yield from _secrets(spec.member, value, here)
        elif spec.is_object and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield from _secrets(spec.member, item, (*loc, spec.name, i))
