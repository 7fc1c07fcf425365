"""What the task resources do in a Pulumi program (the classes themselves are generated in ``resources.py``).

A resource takes its inputs as keywords or as one ``*Args`` object; nested inputs may be model instances, snake_case
dicts or PascalCase (API) dicts, and any value a pulumi Input or Output. Declaring a task loads neither pydantic
nor the model classes: only the generated field tables.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import difflib
import enum
import inspect
import os
import sys
import uuid
from typing import Any, ClassVar, TypedDict

import pulumi
from pulumi.dynamic import Resource

from ._base import IDENTITY, MARKER, PROBLEMS
from ._compat import current_monitor, prepare_program, register_dynamic_resource, value_without_dependency
from ._config import OUTPUT_EXTRAS, ConfigProvider
from ._core import OUTPUTS, SETTINGS, TaskProvider
from ._providers import StackMarkerProvider
from ._secrets import SECRET_INPUTS, holds_secret
from ._stack import MARKER_NAME

EXTRA_KEYWORDS = ("session_id", "triggers", "task_id", *SETTINGS)
"""The keywords of a task resource besides its request fields (``session_id`` is also a request field)."""


class SubtaskResult(TypedDict):
    """One entry of a task's ``subtasks`` output."""

    type: str
    status: str
    err_code: int
    message: str
    output_paths: list[str]


# Deeper values are refused (the engine's protobuf messages nest at most 100 levels, and a cycle never ends).
MAX_DEPTH = 64
_SCALARS = (str, int, float, bool)


class _Plain:
    """One walk over a keyword's value: models become snake_case dicts, Outputs are kept, and what the SDK cannot
    send is recorded in ``problems``, except in ``triggers``, which get the canonical form the README documents
    ("Inputs"). Declaring tasks does not load pydantic: a model exists only if the program imported it."""

    def __init__(self, triggers: bool) -> None:
        self.triggers = triggers
        self.problems: list[str] = []
        self.outputs: list[pulumi.Output[Any]] = []  # the Outputs met: any of them may be secret

    def value(self, value: Any, path: str, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            self.problems.append(f"{path}: nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(value, pulumi.Output):
            self.outputs.append(value)
            return value
        if value is None or isinstance(value, _SCALARS) or _is_output(value):
            return value
        pydantic = sys.modules.get("pydantic")
        if pydantic is not None and isinstance(value, pydantic.BaseModel):
            # Attributes as they are, not serialised: a model may hold pulumi Outputs.
            value = {name: getattr(value, name) for name in type(value).model_fields}
        if isinstance(value, dict):
            return self.mapping(value, path, depth)
        if isinstance(value, (list, tuple)):
            return [self.value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
        if self.triggers:
            return self.trigger(value, path, depth)
        self.problems.append(f"{path}: a value of type {type(value).__name__} cannot be sent to MPS")
        return None

    def mapping(self, value: dict[Any, Any], path: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                continue
            if isinstance(key, int) and not isinstance(key, bool) and self.triggers:
                key = str(key)
            if not isinstance(key, str):
                self.problems.append(f"{path}: keys must be strings, not {type(key).__name__} ({key!r})")
                continue
            if key in out:
                self.problems.append(f"{path}: key {key!r} given twice")
            out[key] = self.value(item, f"{path}.{key}", depth + 1)
        return out

    def trigger(self, value: Any, path: str, depth: int) -> Any:
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, (set, frozenset)):
            items = [self.value(v, f"{path}{{}}", depth + 1) for v in value]
            return sorted(items, key=lambda item: repr(item))
        if isinstance(value, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(value)).decode("ascii")
        if isinstance(value, enum.Enum):
            return self.value(value.value, path, depth + 1)
        if isinstance(value, (decimal.Decimal, uuid.UUID, os.PathLike)):
            return os.fspath(value) if isinstance(value, os.PathLike) else str(value)
        if isinstance(value, datetime.timedelta):
            return value.total_seconds()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.mapping(
                {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, path, depth
            )
        self.problems.append(
            f"{path}: a value of type {type(value).__name__} cannot be a trigger (use numbers, "
            "strings, booleans, lists and dicts of them, dates and times, sets or bytes)"
        )
        return None


def _is_output(value: Any) -> bool:
    return isinstance(value, pulumi.Output) or inspect.isawaitable(value)


def _plain(
    value: Any,
    path: str = "value",
    problems: list[str] | None = None,
    triggers: bool = False,
    outputs: list[pulumi.Output[Any]] | None = None,
) -> Any:
    """``value`` as the Pulumi SDK can send it (see :class:`_Plain`); problems are appended to ``problems``, the
    Outputs met to ``outputs``."""
    walk = _Plain(triggers)
    plain = walk.value(value, path)
    if problems is not None:
        problems.extend(walk.problems)
    if outputs is not None:
        outputs.extend(walk.outputs)
    return plain


async def _secret_inputs(outputs: dict[str, list[pulumi.Output[Any]]]) -> list[str]:
    """The keywords whose value holds a secret Output: the provider never shows their values (``_secrets.py``)."""
    marked = []
    for key, found in outputs.items():
        for output in found:
            if await output.is_secret():
                marked.append(key)
                break
    return sorted(marked)


def _allowed(provider: type[TaskProvider] | type[ConfigProvider]) -> set[str]:
    """The keywords of a resource class: its request fields and the provider's own settings."""
    if issubclass(provider, TaskProvider):
        return set(provider.spec.fields) | set(EXTRA_KEYWORDS)
    spec = provider.spec
    return set(spec.fields) | {"triggers", spec.id_field, *(["enabled"] if spec.enable else [])}


def _check_keywords(
    provider: type[TaskProvider] | type[ConfigProvider], caller: str, kwargs: dict[str, Any]
) -> None:
    """A TypeError naming the first keyword that is neither a request field nor a setting, with a hint."""
    allowed = _allowed(provider)
    for key in kwargs:
        if key not in allowed:
            hint = difflib.get_close_matches(key, sorted(allowed), n=1)
            raise TypeError(
                f"{caller}() got an unexpected keyword argument '{key}'"
                + (f"; did you mean '{hint[0]}'?" if hint else "")
            )


class ResourceArgs:
    """The inputs of one resource as an object: ``MediaProcessTask(name, MediaProcessTaskArgs(...), opts)``.

    Takes the same keywords as the resource (the generated subclasses type them); keeps the ones given.
    """

    _provider_class: ClassVar[type[TaskProvider] | type[ConfigProvider]]

    def __init__(self, **kwargs: Any) -> None:
        _check_keywords(self._provider_class, type(self).__name__, kwargs)
        self._values = kwargs

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, ResourceArgs) and other._values == self._values

    __hash__ = None  # type: ignore[assignment]  # mutable values: not hashable, like a dict


class TaskArgs(ResourceArgs):
    """The inputs of one task resource as an object."""

    _provider_class: ClassVar[type[TaskProvider]]


class ConfigArgs(ResourceArgs):
    """The inputs of one template, workflow or schedule as an object."""

    _provider_class: ClassVar[type[ConfigProvider]]


class MpsResource(Resource):
    """What every pulumi-mps resource does in a program: its keywords (or ``*Args``) become properties, secrets are
    marked, and the stack's marker and the resource's identity are added (README, "Inputs")."""

    _provider_class: ClassVar[type[TaskProvider] | type[ConfigProvider]]
    _args_class: ClassVar[type[ResourceArgs]]

    def __init__(
        self,
        resource_name: str,
        args: ResourceArgs | pulumi.ResourceOptions | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declare the resource: ``(resource_name, opts=None, **keywords)`` or ``(resource_name, args, opts=None)``;
        the class's documentation lists the keywords."""
        kind = self._provider_class.spec.kind
        if isinstance(args, pulumi.ResourceOptions):
            if opts is not None:
                raise TypeError(f"{kind}() got opts twice (positionally and as a keyword)")
            args, opts = None, args
        if args is not None:
            if not isinstance(args, self._args_class):
                raise TypeError(
                    f"{kind}() takes a {self._args_class.__name__} or keywords as its inputs, "
                    f"not a {type(args).__name__}"
                )
            if kwargs:
                raise TypeError(
                    f"{kind}() got both a {self._args_class.__name__} and the keyword arguments "
                    f"{', '.join(sorted(kwargs))}"
                )
            kwargs = args._values
        else:
            _check_keywords(self._provider_class, kind, kwargs)
        fields = set(self._provider_class.spec.fields)
        props: dict[str, Any] = {}
        secret_keys: list[str] = []
        problems: list[str] = []
        outputs: dict[str, list[pulumi.Output[Any]]] = {}
        for key, value in kwargs.items():
            if value is None:
                continue
            value = _plain(
                value, key, problems, triggers=key == "triggers", outputs=outputs.setdefault(key, [])
            )
            if key in fields and holds_secret(value):
                value = pulumi.Output.secret(value)
                secret_keys.append(key)
            props[key] = value
        outputs = {key: found for key, found in outputs.items() if found}
        if outputs:  # the engine gives a dynamic provider no secret marks: tell it which inputs are secret
            props[SECRET_INPUTS] = _secret_inputs(outputs)
        program = _program()
        _one_per_name(program, self._provider_class.spec.kind, resource_name, opts, problems)
        self._program_problems(program, resource_name, props, problems)
        props[IDENTITY] = f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
        # The marker's value, not a dependency on it: a targeted `up` of a resource needs no target for the marker.
        props[MARKER] = value_without_dependency(program.marker().nonce)
        if problems:
            props[PROBLEMS] = problems
        for key in self._output_names():
            props.setdefault(key, None)
        if secret_keys:
            opts = pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=secret_keys)
            )
        opts = self._options(opts, kwargs)
        prepare_program()
        register_dynamic_resource(self, self._provider_class, resource_name, props, opts)

    def _options(
        self, opts: pulumi.ResourceOptions | None, kwargs: dict[str, Any]
    ) -> pulumi.ResourceOptions | None:
        """The resource options the kind adds to the program's."""
        return opts

    def _program_problems(
        self, program: _ProgramState, resource_name: str, props: dict[str, Any], problems: list[str]
    ) -> None:
        """What the program side finds wrong across resources (appended to ``problems``)."""

    def _output_names(self) -> tuple[str, ...]:
        """The outputs a program may read (each registered, so that it is an attribute)."""
        return ()


class TaskResource(MpsResource):
    """Shared program-side behaviour of the task resources.

    Their type tokens (``pulumi-python:dynamic/mps:MediaProcessTask``, ``...:LiveStreamProcessTask``,
    ``...:EditMediaTask``) are part of every resource's URN in existing stacks: never change them.
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

    def _program_problems(
        self, program: _ProgramState, resource_name: str, props: dict[str, Any], problems: list[str]
    ) -> None:
        session_id = props.get("session_id")
        kind = self._provider_class.spec.kind
        if isinstance(session_id, str):
            other = program.session_ids.setdefault(session_id, f"{kind} '{resource_name}'")
            if other != f"{kind} '{resource_name}'":
                problems.append(
                    f"session_id: {session_id!r} is also the session_id of {other} in this stack; two "
                    "tasks cannot share a SessionId (MPS would run one of them only): give each its own "
                    "session_id, or leave it out to have one derived"
                )

    def _output_names(self) -> tuple[str, ...]:
        return (*OUTPUTS, "task_id", "session_id")

    def _options(
        self, opts: pulumi.ResourceOptions | None, kwargs: dict[str, Any]
    ) -> pulumi.ResourceOptions | None:
        if (opts is None or opts.delete_before_replace is None) and not (
            kwargs.get("task_id") is not None or kwargs.get("session_id") is not None
        ):
            # A replacement runs the task again (README, "The SessionId contract"): its provider learns which task
            # it replaces from the delete of the old resource, so that delete comes first. A `task_id` resource
            # re-adopts its task and one with a `session_id` cannot re-run under it: those create first.
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))
        return opts


class ConfigResource(MpsResource):
    """Shared program-side behaviour of the templates, ``Workflow`` and ``Schedule``: the generated classes list
    their outputs. Their type tokens (``pulumi-python:dynamic/mps:<Kind>``) are part of their URNs: never change
    them."""

    _provider_class: ClassVar[type[ConfigProvider]]
    _args_class: ClassVar[type[ConfigArgs]]

    adopted: pulumi.Output[bool]
    """True when the object was adopted (its id given, or found under the derived name) rather than created."""

    def _output_names(self) -> tuple[str, ...]:
        spec = self._provider_class.spec
        return (*spec.outputs, spec.id_field, spec.name_field, *OUTPUT_EXTRAS)


class StackMarker(Resource, module="mps", name="StackMarker"):
    """The stack's marker (``pulumi_mps._stack``), declared once per program by the first task. Its type token,
    ``pulumi-python:dynamic/mps:StackMarker``, and name are part of its URN in existing stacks: never change them."""

    nonce: pulumi.Output[str]

    def __init__(self) -> None:
        props: dict[str, Any] = {"stack": f"{pulumi.get_project()}/{pulumi.get_stack()}", "nonce": None}
        register_dynamic_resource(self, StackMarkerProvider, MARKER_NAME, props, None)


@dataclasses.dataclass
class _ProgramState:
    """What one run of a Pulumi program declared so far: its stack marker and the explicit SessionIds."""

    _marker: StackMarker | None = None
    session_ids: dict[str, str] = dataclasses.field(default_factory=dict)
    # (kind, resource name) -> where the first such resource was declared (its parent)
    names: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)

    def marker(self) -> StackMarker:
        if self._marker is None:
            self._marker = StackMarker()
        return self._marker


# One state per program run, keyed by the run's resource monitor (an Automation API process runs programs
# several times; each run, and each test under Pulumi's mocks, has its own monitor). The monitor is held too,
# so that its id is not reused while the entry exists.
_programs: dict[int, tuple[Any, _ProgramState]] = {}


def _one_per_name(
    program: _ProgramState,
    kind: str,
    resource_name: str,
    opts: pulumi.ResourceOptions | None,
    problems: list[str],
) -> None:
    """Two resources of one kind and one name (Pulumi allows it under parents of different types) would derive one
    SessionId or object name, and each would take the other's task or object: the second is refused at preview."""
    parent = opts.parent if opts is not None else None
    where = (
        f"under {parent.pulumi_resource_type} '{parent.pulumi_resource_name}'"
        if parent is not None
        else "at the top of the stack"
    )
    first = program.names.get((kind, resource_name))
    if first is None:
        program.names[(kind, resource_name)] = where
    else:
        problems.append(
            f"another {kind} named '{resource_name}' is declared in this stack ({first}; this one {where}): the "
            "two would derive one SessionId or name, and each would take the other's task or object. Give each "
            "its own resource name (prefix a component's children with the component's name)"
        )


def _program() -> _ProgramState:
    monitor = current_monitor()
    entry = _programs.get(id(monitor))
    if entry is None or entry[0] is not monitor:
        entry = _programs[id(monitor)] = (monitor, _ProgramState())
    return entry[1]
