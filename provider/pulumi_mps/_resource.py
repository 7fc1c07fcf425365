"""What the task resources do in a Pulumi program (the classes themselves are generated in ``resources.py``).

A resource takes its inputs as keywords or as one ``*Args`` object; nested inputs may be model instances, snake_case
dicts or PascalCase (API) dicts, and any value a pulumi Input or Output. Declaring a task loads neither pydantic
nor the model classes: only the generated field tables.
"""

from __future__ import annotations

import difflib
import functools
import sys
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

import pulumi
from pulumi.dynamic import Resource
from pulumi.dynamic.dynamic import PROVIDER_KEY, serialize_provider
from pulumi.runtime._serialization import _serialize

from ._core import IDENTITY, OUTPUTS, SETTINGS, TaskProvider
from ._program import prepare_program
from .models import SECRET_MEMBERS, api_to_snake

if TYPE_CHECKING:
    from ._specs import TaskSpec

EXTRA_KEYWORDS = ("session_id", "triggers", "task_id", *SETTINGS)
"""The keywords of a task resource besides its request fields (``session_id`` is also a request field)."""


class SubtaskResult(TypedDict):
    """One entry of a task's ``subtasks`` output."""

    type: str
    status: str
    err_code: int
    message: str
    output_paths: list[str]


def _plain(value: Any) -> Any:
    """Model instances become snake_case dicts (None dropped); containers are walked; anything else is kept.

    Declaring tasks does not load pydantic: a model instance exists only if its program imported it already.
    Attributes are read as they are, not serialised: a model may hold pulumi Outputs.
    """
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(value, pydantic.BaseModel):
        items = ((name, getattr(value, name)) for name in type(value).model_fields)
        return {k: _plain(v) for k, v in items if v is not None}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@functools.lru_cache(maxsize=4096)
def _is_secret_key(key: str) -> bool:
    return api_to_snake(key) in SECRET_MEMBERS


def _holds_secret(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_is_secret_key(str(k)) or _holds_secret(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_secret(v) for v in value)
    return False


# What the SDK's dynamic ``Resource.__init__`` puts under ``__provider``, once per provider class instead of
# once per resource: it dill-pickles the provider (with a process-wide pickle patch) for every resource, and
# our providers hold no state, so the text is the same for all (pickled by reference, the SDK's own function).
@functools.cache
def _serialized_provider(cls: type[TaskProvider]) -> str:
    text: str = _serialize(True, serialize_provider, cls())[0]
    return text


def _check_keywords(spec: TaskSpec, caller: str, kwargs: dict[str, Any]) -> None:
    """A TypeError naming the first keyword that is neither a request field nor a setting, with a hint."""
    allowed = set(spec.fields) | set(EXTRA_KEYWORDS)
    for key in kwargs:
        if key not in allowed:
            hint = difflib.get_close_matches(key, sorted(allowed), n=1)
            raise TypeError(
                f"{caller}() got an unexpected keyword argument '{key}'"
                + (f"; did you mean '{hint[0]}'?" if hint else "")
            )


class TaskArgs:
    """The inputs of one task resource as an object: ``MediaProcessTask(name, MediaProcessTaskArgs(...), opts)``.

    Takes the same keywords as the resource (the generated subclasses type them); keeps the ones given.
    """

    _provider_class: ClassVar[type[TaskProvider]]

    def __init__(self, **kwargs: Any) -> None:
        _check_keywords(self._provider_class.spec, type(self).__name__, kwargs)
        self._values = kwargs

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, TaskArgs) and other._values == self._values

    __hash__ = None  # type: ignore[assignment]  # mutable values: not hashable, like a dict


class TaskResource(Resource):
    """Shared program-side behaviour of the task resources.

    Their type tokens (``pulumi-python:dynamic/mps:MediaProcessTask``, ``...:LiveStreamProcessTask``) are part of
    every resource's URN in existing stacks: never change them.
    """

    _provider_class: ClassVar[type[TaskProvider]]
    _args_class: ClassVar[type[TaskArgs]]

    task_id: pulumi.Output[str]
    """The MPS TaskId (also the resource id)."""
    session_id: pulumi.Output[str]
    """The SessionId the task was submitted with (derived, see the README's SessionId contract, or given)."""
    status: pulumi.Output[str]
    """WAITING, PROCESSING or FINISH, as of the last create or refresh."""
    create_time: pulumi.Output[str]
    """When MPS created the task (ISO 8601; empty until known)."""
    begin_process_time: pulumi.Output[str]
    """When MPS began processing it (ISO 8601; empty until known)."""
    finish_time: pulumi.Output[str]
    """When it finished (ISO 8601; empty until known)."""
    err_code: pulumi.Output[int]
    """The task's error code (0: none)."""
    message: pulumi.Output[str]
    """The task's error message (empty: none)."""
    subtasks: pulumi.Output[list[SubtaskResult]]
    """One entry per subtask result: type, status, err_code, message, output_paths."""
    output_paths: pulumi.Output[list[str]]
    """The output object paths of the subtasks that succeeded."""
    adopted: pulumi.Output[bool]
    """True when the task was adopted (``task_id`` given, or a duplicate SessionId) rather than submitted."""

    def __init__(self, resource_name: str, args: TaskArgs | pulumi.ResourceOptions | None = None,
                 opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None:
        """Declare the task: ``(resource_name, opts=None, **keywords)`` or ``(resource_name, args, opts=None)``;
        the class's documentation lists the keywords."""
        spec = self._provider_class.spec
        if isinstance(args, pulumi.ResourceOptions):
            if opts is not None:
                raise TypeError(f"{spec.kind}() got opts twice (positionally and as a keyword)")
            args, opts = None, args
        if args is not None:
            if not isinstance(args, self._args_class):
                raise TypeError(f"{spec.kind}() takes a {self._args_class.__name__} or keywords as its inputs, "
                                f"not a {type(args).__name__}")
            if kwargs:
                raise TypeError(f"{spec.kind}() got both a {self._args_class.__name__} and the keyword arguments "
                                f"{', '.join(sorted(kwargs))}")
            kwargs = args._values
        else:
            _check_keywords(spec, spec.kind, kwargs)
        fields = set(spec.fields)
        props: dict[str, Any] = {}
        secret_keys: list[str] = []
        for key, value in kwargs.items():
            if value is None:
                continue
            value = _plain(value)
            if key in fields and _holds_secret(value):
                value = pulumi.Output.secret(value)
                secret_keys.append(key)
            props[key] = value
        props[IDENTITY] = f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
        for key in (*OUTPUTS, "task_id", "session_id"):
            props.setdefault(key, None)
        if secret_keys:
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=secret_keys))
        prepare_program()
        # What pulumi.dynamic.Resource.__init__ does (the provider as a secret ``__provider`` input, the
        # ``pulumi-python:dynamic/mps:...`` type), with the provider pickled once per class, not per resource.
        # python/mypy#11470: mypy does not take a type[...] for Hashable.
        props[PROVIDER_KEY] = pulumi.Output.secret(_serialized_provider(self._provider_class))  # type: ignore[arg-type]
        pulumi.CustomResource.__init__(self, f"pulumi-python:{self._resource_type_name}", resource_name, props, opts)
