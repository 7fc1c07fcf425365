"""Failure injection: the ``fail-`` markers of input paths, and the fault rules of ``POST /_emulator/faults``.

What each does is described in the package docstring; nothing here is a rule of MPS itself.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import EmulatorError

FAIL_MARKER = "fail-"

SOURCE_ERROR_CODE = 30010
SOURCE_ERROR_CODE_EXT = "InvalidParameterValue.SrcFile"
SOURCE_ERROR_MESSAGE = "emulator: source media is corrupt"
SUBTASK_ERROR_CODE = 70000
SUBTASK_ERROR_CODE_EXT = "InternalError"
SUBTASK_ERROR_MESSAGE = "emulator: sub-task failed"

_MARKER = re.compile(re.escape(FAIL_MARKER) + r"([a-z]*)")
_FAULT_KEYS = {
    "action",
    "count",
    "code",
    "message",
    "mode",
    "latency_ms",
    "probability",
    "seed",
    "http_status",
}
_FAULT_MODES = ("error", "accept_then_drop", "not_mps", "latency")


def marked(source: str, markers: Collection[str]) -> tuple[bool, str | None]:
    """Whether ``source`` carries a fail marker, and the first of ``markers`` it names (None: the source fails)."""
    found = _MARKER.findall(source.lower())
    if not found:
        return False, None
    return True, next((m for m in found if m in markers), None)


@dataclass
class Admission:
    """What the HTTP layer does around one admitted call: wait, fail, answer nothing, or answer a web page (the
    HTTP status in ``not_mps``)."""

    latency: float = 0.0
    error: EmulatorError | None = None
    drop: bool = False
    not_mps: int | None = None
    # An accept_then_drop rule's own latency: spent after the call is carried out, before the connection is
    # dropped (the object exists while its answer is still on the way, as when a client is killed meanwhile).
    drop_after: float = 0.0


@dataclass
class FaultRule:
    """One injected fault; ``remaining`` None means "until cleared"."""

    id: int
    action: str
    mode: str
    code: str | None
    message: str | None
    latency_ms: float
    remaining: int | None
    probability: float | None
    seed: int | None
    http_status: int | None = None
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "mode": self.mode,
            "code": self.code,
            "message": self.message,
            "latency_ms": self.latency_ms,
            "remaining": self.remaining,
            "probability": self.probability,
            "seed": self.seed,
            "http_status": self.http_status,
            "fired": self.fired,
        }


class Faults:
    """The fault rules in force (thread-safe); ``actions`` are those a rule may name besides ``"*"``."""

    def __init__(self, actions: Iterable[str]) -> None:
        self._actions = sorted(actions)
        self._rules: list[FaultRule] = []
        self._ids = 0
        self._lock = threading.Lock()

    def add(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Register a rule from an admin request body; ValueError when the body is not understood."""
        unknown = set(spec) - _FAULT_KEYS
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}")
        action = spec.get("action")
        if action != "*" and action not in self._actions:
            raise ValueError(f"action must be one of {self._actions} or '*', got {action!r}")
        latency = _number(spec, "latency_ms", 0.0, minimum=0.0)
        mode = spec.get("mode") or ("error" if spec.get("code") else "latency" if latency else None)
        if mode not in _FAULT_MODES:
            raise ValueError(f"mode must be one of {_FAULT_MODES} (or give code or latency_ms), got {mode!r}")
        probability = spec.get("probability")
        if probability is not None and (
            not isinstance(probability, (int, float)) or not 0 <= probability <= 1
        ):
            raise ValueError("probability must be a number between 0 and 1")
        count = spec.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
            raise ValueError("count must be a positive integer")
        if count is None and probability is None:
            count = 1
        seed = spec.get("seed")
        http_status = spec.get("http_status")
        if http_status is not None and (
            not isinstance(http_status, int) or not 200 <= http_status <= 599 or mode != "not_mps"
        ):
            raise ValueError("http_status must be an HTTP status from 200 to 599, with mode not_mps")
        with self._lock:
            self._ids += 1
            rule = FaultRule(
                id=self._ids,
                action=action,
                mode=mode,
                code=(spec.get("code") or "InternalError") if mode == "error" else None,
                message=spec.get("message") if mode == "error" else None,
                latency_ms=latency,
                remaining=count,
                probability=None if probability is None else float(probability),
                seed=seed,
                http_status=http_status,
                rng=random.Random(seed),
            )
            self._rules.append(rule)
        return rule.describe()

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def fire(self, action: str) -> Admission:
        """The rules that fire for one call of ``action``: every latency adds up, the first other one decides."""
        admission = Admission()
        outcome: FaultRule | None = None
        with self._lock:
            for rule in list(self._rules):
                if rule.action not in (action, "*") or (outcome is not None and rule.mode != "latency"):
                    continue
                if rule.probability is not None and rule.rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                if rule.mode == "accept_then_drop":
                    admission.drop_after += rule.latency_ms / 1000.0
                else:
                    admission.latency += rule.latency_ms / 1000.0
                if rule.mode != "latency":
                    outcome = rule
        if outcome is not None and outcome.mode == "error":
            admission.error = EmulatorError(
                outcome.message or "emulator: injected fault", outcome.code or "InternalError"
            )
        elif outcome is not None and outcome.mode == "not_mps":
            admission.not_mps = outcome.http_status or 200
        elif outcome is not None:
            admission.drop = True
        return admission


def _number(spec: Mapping[str, Any], key: str, default: float, minimum: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ValueError(f"{key} must be a number >= {minimum}")
    return float(value)
