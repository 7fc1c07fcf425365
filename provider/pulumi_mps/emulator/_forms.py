"""The API's request forms: which body a request carries, and flattened parameters made whole again.

Tencent Cloud API 3.0 takes three forms (docs, "请求结构" of every API 3.0 product, e.g.
tencentyun/qcloud-documents ``product/云资源管理/云API/操作指南/Python_API.md``):

    "支持的 HTTP 请求方法：POST（推荐）、GET。POST 请求支持的 Content-Type 类型：
    application/json（推荐），必须使用签名方法 v3（TC3-HMAC-SHA256）。
    application/x-www-form-urlencoded，必须使用签名方法 v1（HmacSHA1 或 HmacSHA256）。
    multipart/form-data（仅部分接口支持），必须使用签名方法 v3（TC3-HMAC-SHA256）。"
    "对于 GET 方法，只支持 Content-Type: application/x-www-form-urlencoded 协议格式。"

A GET query and a form body carry flattened names, ``MediaProcessTask.TranscodeTaskSet.0.Definition=100020``
(the docs' own examples: ProcessLiveStream's ``TaskNotifyConfig.CmqModel=Queue``, CreateWorkflow's
``Trigger.CosFileUploadTrigger.Bucket=``); :func:`unflatten` rebuilds the JSON tree from the schema's types,
as the API reads them. The SDKs flatten the same way (tencentcloud-sdk-python ``AbstractClient._format_params``,
tencentcloud-sdk-nodejs ``mergeData``): ``.`` between members, the list index as a member.

multipart/form-data is not served: "仅部分接口支持" and no emulated action is one of those (they take no file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from ._errors import InvalidParameter, UnknownParameter

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

# The common parameters of signature v1, which a GET query or form body carries beside the action's own
# (docs, "公共参数" / "签名方法 v1公共参数": Action, Region, Timestamp, Nonce, SecretId, Signature, Version,
# SignatureMethod, Token, Language; the SDKs add RequestClient).
COMMON_PARAMS = frozenset(
    {
        "Action",
        "Region",
        "Timestamp",
        "Nonce",
        "SecretId",
        "Signature",
        "Version",
        "SignatureMethod",
        "Token",
        "Language",
        "RequestClient",
    }
)

_INDEX = re.compile(r"\d+")
_INTEGER = re.compile(r"[-+]?\d+")


@dataclass
class RequestForm:
    """What one API request carries: its form (``json``, ``form`` or ``query``) and its parameters, as a JSON
    value (``json``) or as the flattened name / value pairs in the order sent (``form``, ``query``)."""

    kind: str
    json: Any = None
    pairs: list[tuple[str, str]] = field(default_factory=list)


def read_form(method: str, content_type: str, query: str, body: bytes) -> RequestForm:
    """The parameters of one request: the query of a GET, the body of a POST (JSON or form)."""
    if method == "GET":
        return RequestForm("query", pairs=parse_pairs(query))
    if media_type(content_type) == FORM:
        return RequestForm("form", pairs=parse_pairs(body.decode("utf-8", "replace")))
    return RequestForm("json", json=parse_json(body))


def media_type(content_type: str) -> str:
    """``application/json`` of ``application/json; charset=utf-8``."""
    return content_type.split(";")[0].strip().lower()


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query or form body, URL-decoded, in order, empty values kept."""
    return parse_qsl(text, keep_blank_values=True)


def unflatten(
    objects: Mapping[str, Any], object_name: str, pairs: Iterable[tuple[str, str]]
) -> dict[str, Any]:
    """The JSON tree of flattened ``pairs`` under the schema object ``object_name``, each value typed by its
    member (integers, floats and booleans; a value that does not read as its type stays a string, so that
    validation names it). Unknown names: ``UnknownParameter``; a name given twice, a list without an index or
    a value given for an object: ``InvalidParameter``. A skipped list index leaves ``None`` there, which
    validation refuses."""
    tree: dict[str, Any] = {}
    seen: set[str] = set()
    for name, value in pairs:
        if name in seen:
            raise InvalidParameter(f"The parameter `{name}` is given more than once.")
        seen.add(name)
        _put(objects, object_name, tree, name.split("."), value, name)
    return tree


def _put(
    objects: Mapping[str, Any], obj: str, into: dict[str, Any], parts: list[str], value: str, name: str
) -> None:
    member = next((m for m in objects[obj]["members"] if m["name"] == parts[0]), None)
    if member is None:
        raise UnknownParameter(f"The parameter `{name}` is not recognized.")
    key, rest, element = parts[0], parts[1:], member.get("member") or member["type"]
    if member["type"] == "list":
        if not rest or not _INDEX.fullmatch(rest[0]):
            raise InvalidParameter(f"The parameter `{name}` must name a list index (`{key}.0`).")
        items = into.setdefault(key, [])
        index = int(rest[0])
        items.extend([None] * (index + 1 - len(items)))
        if element in objects:
            if len(rest) < 2:
                raise InvalidParameter(f"The parameter `{name}` must be an object.")
            if items[index] is None:
                items[index] = {}
            _put(objects, element, items[index], rest[1:], value, name)
        elif len(rest) > 1:
            raise UnknownParameter(f"The parameter `{name}` is not recognized.")
        else:
            items[index] = scalar(element, value)
    elif member["type"] == "object":
        if not rest:
            raise InvalidParameter(f"The parameter `{name}` must be an object.")
        _put(objects, element, into.setdefault(key, {}), rest, value, name)
    elif rest:
        raise UnknownParameter(f"The parameter `{name}` is not recognized.")
    else:
        into[key] = scalar(element, value)


def scalar(kind: str, text: str) -> Any:
    """``text`` as the schema's scalar ``kind`` reads it; unchanged when it does not read so."""
    if kind in ("int64", "uint64") and _INTEGER.fullmatch(text.strip()):
        return int(text)
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def parse_json(body: bytes) -> Any:
    """The JSON value of ``body``; None when it is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return None
