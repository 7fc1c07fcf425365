"""The virtual clock: real wall-clock time plus an offset that admin calls move (never backwards by itself)."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import datetime, timezone

UNSET_TIME = "0000-00-00T00:00:00Z"


class VirtualClock:
    """``now()`` is ``wall() + offset``; :meth:`advance` and :meth:`set` change only the offset."""

    def __init__(self, offset: float = 0.0, wall: Callable[[], float] = time.time) -> None:
        self._offset = float(offset)
        self._wall = wall

    @property
    def offset(self) -> float:
        return self._offset

    def now(self) -> float:
        return self._wall() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += float(seconds)

    def set(self, epoch: float) -> None:
        self._offset = float(epoch) - self._wall()

    def reset(self) -> None:
        self._offset = 0.0


def format_iso(epoch: float | None) -> str:
    """``2026-11-23T10:00:00Z`` (whole seconds, UTC); ``0000-00-00T00:00:00Z`` for an unset time."""
    if epoch is None:
        return UNSET_TIME
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def format_iso_ms(epoch: float) -> str:
    """``2026-11-23T10:00:00.123Z`` (milliseconds, UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch % 1 * 1000):03d}Z"


def parse_iso(text: str) -> float:
    """Epoch seconds of an ISO 8601 time (``Z`` or an offset; a naive time is UTC); ValueError otherwise."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"not an ISO 8601 time: {text!r}")
    value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6
