"""The API docs' request examples (``pulumi_mps._schema.load_examples``) as request parameters.

An example is either a JSON body after the HTTP headers or a GET query (``&FileInfos.0.InputInfo.Type=COS``);
a query's values are typed from the schema, as the API reads them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from pulumi_mps._schema import load_examples, load_schema


def request_examples(action: str) -> list[tuple[str, dict[str, Any]]]:
    """``(title, params)`` of every request example of ``action``."""
    return [(e["title"], parse_request(action, e["input"])) for e in load_examples()["actions"][action]]


def parse_request(action: str, text: str) -> dict[str, Any]:
    if text.lstrip().startswith("POST"):
        return json.loads(text[text.index("\n{") :])
    schema = load_schema()
    params: dict[str, Any] = {}
    for line in text.splitlines():
        key, sep, value = line.lstrip("&").partition("=")
        if not sep or key.startswith("https://") or "<" in key:
            continue
        _put(schema["objects"], schema["actions"][action]["input"], params, key.split("."), unquote(value))
    return params


def _put(objects: dict, obj: str, into: Any, parts: list[str], value: str) -> None:
    member = next(m for m in objects[obj]["members"] if m["name"] == parts[0])
    rest = parts[1:]
    if member["type"] == "list":
        items = into.setdefault(parts[0], [])
        index = int(rest[0])
        while len(items) <= index:
            items.append({} if member["member"] in objects else None)
        if member["member"] in objects:
            _put(objects, member["member"], items[index], rest[1:], value)
        else:
            items[index] = _scalar(member["member"], value)
    elif member["type"] == "object":
        _put(objects, member["member"], into.setdefault(parts[0], {}), rest, value)
    else:
        into[parts[0]] = _scalar(member["member"], value)


def _scalar(kind: str, value: str) -> Any:
    if kind in ("int64", "uint64"):
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value.lower() == "true"
    return value
