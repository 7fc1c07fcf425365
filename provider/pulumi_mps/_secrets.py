"""What must never be shown: the values a program marked secret and the values under secret members.

A dynamic provider receives every input in plain text (the engine strips the secret marks before it calls one), so
the task resources tell their provider which top-level inputs the program marked secret: ``secret_inputs``, the
keywords whose value is, or holds, a secret ``pulumi.Output``. Values under a member the schema marks secret
(``s3_secret_key``, ``notify_key``, ...) are secret wherever they sit, and so are values under a key that looks like
one, misspelt (``s3_secret_kee``) or not a member at all (``token``).

:class:`Hidden` answers both questions for one resource: whether a value at a path may be shown (check failures
show offending values) and what text to put in place of any secret string a message would otherwise carry (API
errors, SessionIds, log lines). No pydantic here: the program side uses :func:`holds_secret`.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from . import models

SECRET_INPUTS = "secret_inputs"
SHOWN = "[secret]"
# Words that make a key a secret's wherever it sits (compared without case, "_" or "-").
SECRET_WORDS = ("secret", "token", "password", "passwd", "credential", "privatekey", "apikey", "accesskey")
# Below this length a secret is hidden only where it stands alone (not inside a longer word): hiding every "ab"
# of a message would make it unreadable, and a secret that short is a name anyone may guess.
SHORT = 8


def _flat(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


_FLAT_MEMBERS = tuple(sorted({_flat(m) for m in models.SECRET_MEMBERS}))


@functools.lru_cache(maxsize=4096)
def looks_secret(key: str) -> bool:
    """Whether a key (any spelling: ``s3_secret_key``, ``S3SecretKey``, ``s3_secret_kee``, ``NotifyKy``) names a
    secret member of the schema, or looks like one."""
    flat = _flat(key)
    if not flat:
        return False
    if flat in _FLAT_MEMBERS or any(word in flat for word in SECRET_WORDS):
        return True
    return bool(difflib.get_close_matches(flat, _FLAT_MEMBERS, n=1, cutoff=0.75))


def holds_secret(value: Any) -> bool:
    """Whether ``value`` (any input form) holds a secret member (an S3 key, a NotifyKey, ...), or a key that looks
    like one, at any depth."""
    if isinstance(value, dict):
        return any(looks_secret(str(k)) or holds_secret(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_secret(v) for v in value)
    return False


def _leaves(value: Any) -> Iterator[str]:
    """The string leaves of a value (numbers too, as text)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


def _under_secret_keys(value: Any) -> Iterator[str]:
    """The leaves of ``value`` that sit under a key that looks secret."""
    if isinstance(value, dict):
        for key, item in value.items():
            if looks_secret(str(key)):
                yield from _leaves(item)
            else:
                yield from _under_secret_keys(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _under_secret_keys(item)


class Hidden:
    """What of one resource's properties must never be shown."""

    def __init__(
        self, keys: Iterable[str] = (), strings: Iterable[str] = (), everything: bool = False
    ) -> None:
        self.keys = frozenset(keys)
        self.everything = everything
        # Longest first, so that a secret holding another is hidden whole.
        self.strings = sorted({s for s in strings if s}, key=len, reverse=True)

    @classmethod
    def of(cls, *props: dict[str, Any]) -> Hidden:
        """From a resource's properties (inputs, outputs, or both): ``secret_inputs`` and the secret members'
        values."""
        keys: list[str] = []
        strings: list[str] = []
        everything = False
        for each in props:
            marked = each.get(SECRET_INPUTS)
            everything |= marked is not None and not isinstance(marked, list)  # unknown: hide every value
            found = [k for k in marked if isinstance(k, str)] if isinstance(marked, list) else []
            keys += found
            strings += [s for key in found for s in _leaves(each.get(key))]
            strings += [
                s for key, value in each.items() if key != SECRET_INPUTS for s in _under_secret_keys(value)
            ]
        return cls(keys, strings, everything)

    def at(self, loc: tuple[Any, ...], value: Any = None) -> bool:
        """Whether the value at ``loc`` (rooted at the top-level inputs) must be hidden."""
        if self.everything or (loc and loc[0] in self.keys):
            return True
        return any(isinstance(part, str) and looks_secret(part) for part in loc) or holds_secret(value)

    def redact(self, text: str) -> str:
        """``text`` with every secret string in it replaced by ``[secret]``."""
        for secret in self.strings:
            if secret not in text:
                continue
            if len(secret) >= SHORT:
                text = text.replace(secret, SHOWN)
            else:
                text = re.sub(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", SHOWN, text)
        return text

    def session(self, session_id: Any) -> str:
        """A SessionId as a message shows it."""
        return SHOWN if self.everything or "session_id" in self.keys else str(session_id)
