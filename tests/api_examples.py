"""The API docs' request examples (``pulumi_mps._schema.load_examples``) as request parameters.

An example is either a JSON body after the HTTP headers or a GET query (``&FileInfos.0.InputInfo.Type=COS``);
a query's flattened names are made whole and typed by the emulator's own reader
(``pulumi_mps.emulator._forms.unflatten``), as the API reads them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from pulumi_mps._schema import load_examples, load_schema
from pulumi_mps.emulator._forms import COMMON_PARAMS, unflatten


def request_examples(action: str) -> list[tuple[str, dict[str, Any]]]:
    """``(title, params)`` of every request example of ``action``."""
    return [(e["title"], parse_request(action, e["input"])) for e in load_examples()["actions"][action]]


def is_query(text: str) -> bool:
    """Whether an example is a GET query (else a POST with a JSON body)."""
    return not text.lstrip().startswith("POST")


def query_pairs(text: str) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a GET example, in order, without the ``<公共请求参数>`` placeholder and the
    common parameters (``Action=``)."""
    pairs = []
    for line in text.splitlines():
        line = line.strip().split("?", 1)[-1] if line.strip().startswith("https://") else line.strip()
        key, sep, value = line.lstrip("&").partition("=")
        if sep and "<" not in key and key not in COMMON_PARAMS:
            pairs.append((key, unquote(value)))
    return pairs


def parse_request(action: str, text: str) -> dict[str, Any]:
    if not is_query(text):
        return json.loads(text[text.index("\n{") :])
    schema = load_schema()
    return unflatten(schema["objects"], schema["actions"][action]["input"], query_pairs(text))
