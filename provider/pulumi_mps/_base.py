"""What every pulumi-mps provider does the same way, tasks and configuration resources alike: the start of a
Check (settings, the program side's problems, unknown properties, the canonical request, its validation and the
docs' advice, triggers, the resource's identity), messages that never show a secret, the engine hooks' error
handling, Configure, and the API client.
"""

from __future__ import annotations

import contextvars
import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

from pulumi import log
from pulumi.dynamic import CheckFailure, ConfigureRequest, ResourceProvider

from . import _compat, _settings, models
from ._advice import advice
from ._client import MpsApi
from ._compat import PROVIDER_KEY
from ._errors import InitFailed, MpsError
from ._secrets import SHOWN, Hidden
from ._session import canonical_value, non_finite_paths
from ._specs import ConfigSpec, TaskSpec
from .models import is_unknown_value as is_unknown

Spec = TaskSpec | ConfigSpec

IDENTITY = "resource_identity"
MARKER = "stack_marker"
PROBLEMS = "program_problems"
# How much of an offending value an error message shows.
SHOWN_VALUE_CHARS = 60
_T = TypeVar("_T")


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def shown_value(value: Any, loc: tuple[Any, ...] = (), hidden: Hidden | None = None) -> str:
    """``value`` as an error message shows it: JSON, shortened; ``[secret]`` when it is or holds a secret (a value
    the program marked secret, one under a secret member, or under a key that looks like one)."""
    if (hidden or Hidden()).at(loc, value):
        return SHOWN
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    if len(text) > SHOWN_VALUE_CHARS:
        # The value's own length: a string's characters (not its JSON text, which adds quotes and escapes).
        size = f"{len(value)} characters" if isinstance(value, str) else f"{len(text)} characters of JSON"
        text = f"{text[: SHOWN_VALUE_CHARS - 3]}... ({size})"
    return text


_ABSENT = object()


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        found = (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)) or (
            isinstance(data, dict) and part in data
        )
        if not found:
            return _ABSENT
        data = data[part]
    return data


def failure(
    path: str, reason: str, value: Any = _ABSENT, loc: tuple[Any, ...] = (), hidden: Hidden | None = None
) -> CheckFailure:
    """A check failure naming ``path`` in its text, with the offending value shortened.

    The property is left empty on purpose: the engine prints a failure's property value by looking the property up
    among the top-level inputs, so a nested path shows as ``value {<nil>}`` and a large top-level value is printed
    whole."""
    text = f"{path}: {reason}" if path else reason
    if value is not _ABSENT and value is not None and not is_unknown(value):
        text += f" (value: {shown_value(value, loc or (path,), hidden)})"
    return CheckFailure("", text)


# What the engine hook running on this thread must not show (its resource's secrets): see _redacting.
_HIDDEN: contextvars.ContextVar[Hidden | None] = contextvars.ContextVar("pulumi_mps_hidden", default=None)


def say(level: Callable[[str], None], text: str) -> None:
    """A log line (``log.info``, ``log.warn``) with the running hook's secrets hidden."""
    hidden = _HIDDEN.get()
    level(hidden.redact(text) if hidden is not None else text)


def _redacting(method: Callable[..., _T]) -> Callable[..., _T]:
    """An engine hook (create, read, update, delete) whose errors and log lines never show its resource's secrets:
    the values its program marked secret (``secret_inputs``) and those under secret members."""

    @functools.wraps(method)
    def hook(self: ResourceProvider, *args: Any) -> _T:
        hidden = Hidden.of(*[a for a in args if isinstance(a, dict)])
        token = _HIDDEN.set(hidden)
        try:
            return method(self, *args)
        except Exception as exc:
            exc.args = tuple(hidden.redact(a) if isinstance(a, str) else a for a in exc.args)
            if isinstance(exc, InitFailed):  # recorded, with its outputs, and the operation fails
                _compat.report_init_failure(exc.resource_id, exc.outputs, [str(exc)])
            elif isinstance(exc, MpsError):  # said plainly; anything else is a bug, and keeps its traceback
                _compat.report_failure(str(exc))
            raise exc from None  # the errors it was raised from may quote a secret
        finally:
            _HIDDEN.reset(token)

    return hook


class CheckStart:
    """The part of a Check every kind makes the same way. ``known`` are the properties the kind takes besides its
    request fields; ``failures`` collects what is wrong, each message with the resource's secrets hidden."""

    def __init__(
        self, kind: str, fields: set[str], olds: dict[str, Any] | None, news: dict[str, Any], known: set[str]
    ) -> None:
        self.kind = kind
        self.olds = {k: v for k, v in (olds or {}).items() if k != PROVIDER_KEY}
        self.news = {k: v for k, v in news.items() if k != PROVIDER_KEY and v is not None}
        self.hidden = Hidden.of(self.news)
        self.failures = [self.fail("", problem) for problem in _settings.offline_problems()]
        problems = self.news.get(PROBLEMS)
        self.failures += [self.fail("", str(p)) for p in problems] if isinstance(problems, list) else []
        for key in sorted(set(self.news) - fields - known - {IDENTITY, MARKER, PROBLEMS}):
            self.failures.append(self.fail(key, f"unknown property for {kind}"))
        self.request_in = {k: v for k, v in self.news.items() if k in fields}

    def fail(self, path: str, reason: str, value: Any = _ABSENT, loc: tuple[Any, ...] = ()) -> CheckFailure:
        return failure(path, reason, value, loc, self.hidden)

    def canonical(self, spec: Spec, request_in: dict[str, Any]) -> dict[str, Any]:
        """The canonical request (``models.normalize``: snake_case, no empty values, numbers as the schema says)."""
        return dict(models.normalize(spec.request, request_in))

    def validate(self, spec: Spec, request: dict[str, Any]) -> None:
        """The schema's rules (failures), then, when the request passes and is known, the docs' advice (warnings)."""
        problems = models.validate(spec.request, request)
        self.failures += [self.fail(p.path, p.reason, _at(request, p.loc), p.loc) for p in problems]
        if not self.failures and not contains_unknown(request):
            for path, message in advice(spec.request, request):  # what the docs only recommend
                log.warn(self.hidden.redact(f"{self.kind} {path}: {message} (a warning only; MPS decides)"))

    def triggers(self, replaced: str) -> Any:
        """The canonical ``triggers`` (None when not given); NaN and infinities fail, since they never compare
        equal and every `pulumi up` would replace the ``replaced`` thing."""
        if "triggers" not in self.news:
            return None
        triggers = canonical_value(self.news["triggers"])
        for path in non_finite_paths(triggers, "triggers"):
            self.failures.append(
                self.fail(
                    path,
                    "NaN and infinite numbers never compare equal, so every `pulumi up` "
                    f'would replace the {replaced}: use a string (such as "nan") instead',
                )
            )
        return triggers

    def identity(self) -> Any:
        identity = self.news.get(IDENTITY)
        if identity is None:
            self.failures.append(
                self.fail(IDENTITY, f"missing: declare {self.kind} resources through the pulumi_mps classes")
            )
        return identity

    def redacted_failures(self) -> list[CheckFailure]:
        """The failures, no part of a secret in any of them, whatever the reason quotes."""
        return [CheckFailure(f.property, self.hidden.redact(f.reason)) for f in self.failures]


class MpsProvider(ResourceProvider):
    """The base of every pulumi-mps provider: Configure and the API client. Holds no state."""

    def configure(self, req: ConfigureRequest) -> None:
        # The public ``Config.get`` of each key the provider reads (fully qualified, so no project default).
        _settings.set_stack_config({key: req.config.get(key) for key in _settings.CONFIG_KEYS})
        _compat.widen_provider_server()

    def _api(self) -> MpsApi:
        return MpsApi(_settings.resolve())
