"""The task resources as Pulumi programs use them.

Each takes one snake_case keyword per request field of its API action (the request models in
:mod:`pulumi_mps.models` list them all), plus ``session_id``, ``triggers``, ``task_id``, ``abort_on_delete``,
``wait_for_completion`` and ``wait_timeout_seconds``. Nested inputs may be a model instance, a snake_case dict or
a dict in the API's own PascalCase form; any value may be a pulumi Input or Output.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import sys
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from ._compat import prepare_program, register_dynamic_resource
from ._core import IDENTITY, OUTPUTS, SETTINGS, TaskProvider
from ._providers import EditMediaTaskProvider, LiveStreamProcessTaskProvider, MediaProcessTaskProvider
from ._specs import TaskSpec
from .models import FIELDS, SECRET_MEMBERS, api_to_snake

EXTRA_KEYWORDS = ("session_id", "triggers", "task_id", *SETTINGS)


def _plain(value: Any) -> Any:
    """Model instances become snake_case dicts (None dropped); containers are walked; anything else is kept.

    Declaring tasks does not load pydantic: a model instance exists only if its program imported it already.
    """
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(value, pydantic.BaseModel):
        return {k: _plain(v) for k, v in value.model_dump(exclude_none=True, by_alias=False).items()}
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


class _TaskResource(Resource):
    """Shared program-side behaviour of the task resources.

    Their type tokens (``pulumi-python:dynamic/mps:MediaProcessTask``, ``...:LiveStreamProcessTask``,
    ``...:EditMediaTask``) are part of
    every resource's URN in existing stacks: never change them.
    """

    _provider_class: ClassVar[type[TaskProvider]]

    task_id: pulumi.Output[str]
    """The MPS TaskId (also the resource id)."""
    session_id: pulumi.Output[str]
    """The SessionId the task was submitted with (derived, see the README's SessionId contract, or given)."""
    status: pulumi.Output[str]
    """WAITING, PROCESSING or FINISH, as of the last create or refresh."""
    create_time: pulumi.Output[str]
    begin_process_time: pulumi.Output[str]
    finish_time: pulumi.Output[str]
    err_code: pulumi.Output[int]
    message: pulumi.Output[str]
    subtasks: pulumi.Output[list]
    """One entry per subtask result: type, status, err_code, message, output_paths."""
    output_paths: pulumi.Output[list]
    """The output object paths of the subtasks that succeeded."""

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None:
        spec: TaskSpec = self._provider_class.spec
        fields = spec.fields
        allowed = set(fields) | set(EXTRA_KEYWORDS)
        for key in kwargs:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                raise TypeError(
                    f"{spec.kind}() got an unexpected keyword argument '{key}'"
                    + (f"; did you mean '{hint[0]}'?" if hint else "")
                )
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
        register_dynamic_resource(self, self._provider_class, resource_name, props, opts)


def _signature(spec: TaskSpec) -> inspect.Signature:
    params = [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("resource_name", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
    ]
    scalars = {"string": "str", "int64": "int", "uint64": "int", "float": "float", "bool": "bool"}
    for field in FIELDS[spec.request]:
        if field.name in EXTRA_KEYWORDS:
            continue
        element = scalars.get(field.member) or f"{field.member} | dict"
        annotation = f"Input[list[{element}]]" if field.type == "list" else f"Input[{element}]"
        params.append(inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation))
    for name in EXTRA_KEYWORDS:
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None))
    params.append(inspect.Parameter("opts", inspect.Parameter.KEYWORD_ONLY, default=None,
                                    annotation=pulumi.ResourceOptions | None))
    return inspect.Signature(params)


class MediaProcessTask(_TaskResource, module="mps", name="MediaProcessTask"):
    """An MPS ``ProcessMedia`` task: transcoding, snapshots, AI analysis, ... of one COS, URL, S3 or VOD object.

    Submitted once, with a deterministic SessionId; refresh brings back its status; destroy leaves the task
    alone unless ``abort_on_delete=True`` (which aborts a task still WAITING).
    """

    _provider_class = MediaProcessTaskProvider


class LiveStreamProcessTask(_TaskResource, module="mps", name="LiveStreamProcessTask"):
    """An MPS ``ProcessLiveStream`` task: moderation, recognition, ... of a live stream while it runs.

    Destroy aborts the task (WAITING or PROCESSING) unless ``abort_on_delete=False``.
    """

    _provider_class = LiveStreamProcessTaskProvider


class EditMediaTask(_TaskResource, module="mps", name="EditMediaTask"):
    """An MPS ``EditMedia`` task: clip or concatenate files, or compose a video from tracks, into one new file.

    Submitted once, with a deterministic SessionId; refresh brings back its status and output path; destroy
    leaves the task alone unless ``abort_on_delete=True`` (which aborts a task still WAITING).
    """

    _provider_class = EditMediaTaskProvider


def _with_signature(cls: type[_TaskResource]) -> None:
    """Give the class its own ``__init__`` whose signature lists every keyword (for help() and IDEs)."""

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None:
        _TaskResource.__init__(self, resource_name, opts, **kwargs)

    __init__.__signature__ = _signature(cls._provider_class.spec)  # type: ignore[attr-defined]
    __init__.__doc__ = cls.__doc__
    __init__.__qualname__ = f"{cls.__name__}.__init__"
    cls.__init__ = __init__  # type: ignore[method-assign]


_with_signature(MediaProcessTask)
_with_signature(LiveStreamProcessTask)
_with_signature(EditMediaTask)
