"""Empty members: an empty string, list or object in a request is left out of the canonical request, as if absent,
except where the API docs give the empty value a meaning of its own.

No pydantic here: the provider's diff compares recorded inputs with these rules before the models load.
"""

from __future__ import annotations

import functools
from typing import Any

from ._fields import FieldSpec
from ._tables import FIELDS

# Members whose empty value the API docs distinguish from an absent one; kept as given.
KEEPS_EMPTY: dict[str, frozenset[str]] = {
    # SmartEraseSubtitleConfig.SubtitleFormat: "字幕文件格式，默认取vtt ... 当填写SubtitleEmbedId时可以取值空字符串，表示不
    # 输出字幕文件" (absent: vtt; empty: no subtitle file).
    "SmartEraseSubtitleConfig": frozenset({"subtitle_format"}),
}


def is_empty(value: Any) -> bool:
    """Whether ``value`` is an empty string, list or object."""
    return isinstance(value, (str, list, tuple, dict)) and not value


def keeps_empty(obj: str, name: str) -> bool:
    """Whether the member ``name`` (snake_case) of the API object ``obj`` keeps an empty value: one of
    ``KEEPS_EMPTY``, or a required member, which an empty value does not make absent (the docs' own
    CreateWatermarkTemplate example sends the required ``ImageTemplate.ImageContent`` as ``""`` with an svg
    watermark, and MPS takes it)."""
    if name in KEEPS_EMPTY.get(obj, ()):
        return True
    spec = _members(obj).get(name)
    return spec is not None and spec.required


@functools.cache
def _members(obj: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in FIELDS.get(obj, ())}


def without_empty(obj: str, value: Any) -> Any:
    """``value``, a canonical (snake_case) ``obj``, with its None and empty members left out at every depth (list
    elements are kept), as ``normalize`` leaves them out."""
    if not isinstance(value, dict):
        return value
    members = _members(obj)
    out: dict[str, Any] = {}
    for key, item in value.items():
        spec = members.get(key)
        if spec is not None and spec.is_object:
            if isinstance(item, list):
                item = [without_empty(spec.member, element) for element in item]
            else:
                item = without_empty(spec.member, item)
        if item is None or (spec is not None and is_empty(item) and not keeps_empty(obj, key)):
            continue
        out[key] = item
    return out
