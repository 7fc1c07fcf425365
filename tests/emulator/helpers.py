"""Helpers for the emulator tests: real SDK clients, request builders, hand-signed raw calls, shape checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.request
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.sign import Sign
from tencentcloud.mps.v20190612.mps_client import MpsClient

from pulumi_mps._schema import load_schema
from pulumi_mps.emulator import DEFAULT_APPID, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

REGION = "ap-chongqing"
OTHER_SECRET_ID = "AKIDMPSEMULATOROTHERACCOUNT00000000000"
OTHER_SECRET_KEY = "other-account-secret-key"
OTHER_APPID = 1250000001
SIBLING_SECRET_ID = "AKIDMPSEMULATORSIBLINGKEY000000000000"
SIBLING_SECRET_KEY = "sibling-key-of-the-default-account"
TEST_ACCOUNTS = [
    (DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, DEFAULT_APPID),
    (OTHER_SECRET_ID, OTHER_SECRET_KEY, OTHER_APPID),
    (SIBLING_SECRET_ID, SIBLING_SECRET_KEY, DEFAULT_APPID),
]
UNSET = "0000-00-00T00:00:00Z"
ISO = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"


def make_client(
    endpoint: str,
    secret_id: str = DEFAULT_SECRET_ID,
    secret_key: str = DEFAULT_SECRET_KEY,
    token: str | None = None,
) -> MpsClient:
    """A real MpsClient to the emulator, the way the provider builds one."""
    credential = Credential(secret_id, secret_key, token) if token else Credential(secret_id, secret_key)
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=endpoint, reqTimeout=10))
    return MpsClient(credential, REGION, profile)


def call(client: MpsClient, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Any action with raw JSON params through the SDK's generic ``call`` (real signing, real HTTP)."""
    return json.loads(client.call(action, params))["Response"]


def checked_call(client: MpsClient, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """``call``, asserting that the answer has the shape of the action's response object in the schema."""
    answer = call(client, action, params)
    assert_schema_shape(answer, load_schema()["actions"][action]["output"])
    return answer


def expect_error(
    client: MpsClient, action: str, params: dict[str, Any], code: str
) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as info:
        call(client, action, params)
    assert info.value.get_code() == code, info.value
    assert info.value.get_request_id()
    return info.value


def media_params(obj: str = "/movie/201907/WildAnimal.mov", **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "InputInfo": {
            "Type": "COS",
            "CosInputInfo": {"Bucket": "media-1250000000", "Region": REGION, "Object": obj},
        },
        "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 10}, {"Definition": 20}]},
    }
    params.update(extra)
    return params


def s3_input(secret_key: str, secret_id: str | None = None, obj: str = "/movie/a.mov") -> dict[str, Any]:
    """An AWS-S3 MediaInputInfo carrying secret keys (which must never be shown)."""
    info: dict[str, Any] = {
        "S3Bucket": "b",
        "S3Region": "us-east-1",
        "S3Object": obj,
        "S3SecretKey": secret_key,
    }
    if secret_id is not None:
        info["S3SecretId"] = secret_id
    return {"Type": "AWS-S3", "S3InputInfo": info}


def live_params(url: str = "rtmp://live.example.com/live/stream1", **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "Url": url,
        "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hooks.example.com/mps"},
        "AiRecognitionTask": {"Definition": 10},
        "OutputStorage": {"Type": "COS", "CosOutputStorage": {"Bucket": "out-1250000000", "Region": REGION}},
    }
    params.update(extra)
    return params


def detail(client: MpsClient, task_id: str) -> dict[str, Any]:
    return call(client, "DescribeTaskDetail", {"TaskId": task_id})


def tc3_authorization(
    method: str,
    signed_host: str,
    content_type: str,
    query: str,
    body: bytes,
    timestamp: int,
    *,
    secret_id: str = DEFAULT_SECRET_ID,
    secret_key: str = DEFAULT_SECRET_KEY,
    service: str = "mps",
) -> str:
    """The ``Authorization`` header of a TC3-HMAC-SHA256 request, built by the docs' steps ("签名方法 v3") with the
    SDK's ``Sign.sign_tc3``: the query is signed for a GET, the body for a POST."""
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    payload = hashlib.sha256(b"" if method == "GET" else body).hexdigest()
    canonical = (
        f"{method}\n/\n{query if method == 'GET' else ''}\ncontent-type:{content_type}\nhost:{signed_host}\n\n"
        f"content-type;host\n{payload}"
    )
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = Sign.sign_tc3(secret_key, date, service, to_sign)
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"


def send(
    endpoint: str, method: str, target: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """One HTTP request to the emulator at ``endpoint`` (``HOST:PORT``) with urllib, no proxy; ``headers`` may
    name another ``Host`` than the address connected to."""
    request = urllib.request.Request(f"http://{endpoint}{target}", data=body, headers=headers, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return response.status, dict(response.headers.items()), json.loads(response.read())


def raw_call(
    endpoint: str,
    action: str,
    params: Any,
    *,
    secret_id: str = DEFAULT_SECRET_ID,
    secret_key: str = DEFAULT_SECRET_KEY,
    timestamp: int | None = None,
    version: str = "2019-06-12",
    token: str | None = None,
    sent_body: bytes | None = None,
    raw_body: bytes | None = None,
    authorization: str | None = None,
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """POST one hand-signed JSON request (signature from the SDK's ``Sign.sign_tc3``) with urllib; no proxy.

    ``raw_body`` replaces the JSON of ``params`` (signed and sent); ``sent_body`` is sent instead of what was signed.
    """
    body = raw_body if raw_body is not None else json.dumps(params).encode("utf-8")
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json",
        "Host": endpoint,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(ts),
        "X-TC-Region": REGION,
        "Authorization": authorization
        or tc3_authorization(
            "POST", endpoint, "application/json", "", body, ts, secret_id=secret_id, secret_key=secret_key
        ),
    }
    if token is not None:
        headers["X-TC-Token"] = token
    return send(endpoint, "POST", "/", headers, sent_body if sent_body is not None else body)


def flatten(params: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Flattened ``name=value`` pairs of JSON params, as the docs' GET examples and the SDKs write them
    (``MediaProcessTask.TranscodeTaskSet.0.Definition``)."""
    if isinstance(params, dict):
        return [pair for key, value in params.items() for pair in flatten(value, f"{prefix}{key}.")]
    if isinstance(params, list):
        return [pair for index, value in enumerate(params) for pair in flatten(value, f"{prefix}{index}.")]
    text = str(params).lower() if isinstance(params, bool) else str(params)
    return [(prefix[:-1], text)]


def v1_call(
    endpoint: str,
    method: str,
    action: str,
    pairs: list[tuple[str, str]],
    *,
    secret_id: str = DEFAULT_SECRET_ID,
    secret_key: str = DEFAULT_SECRET_KEY,
    sign_method: str | None = "HmacSHA256",
    timestamp: int | None = None,
    common: dict[str, str] | None = None,
    signature: str | None = None,
    tamper: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A GET query or form POST signed with signature v1, built by the docs' steps ("签名方法 v1"): every
    parameter sorted by name, ``name=value`` with raw values joined by ``&``, ``请求方法 + 请求主机 + 请求路径 + ? +
    请求字符串``, HMAC (SHA1 unless SignatureMethod is HmacSHA256) then Base64. ``common`` overrides or adds
    common parameters (None values drop one); ``tamper`` changes parameters after signing. The answer's
    ``Response``."""
    params = dict(pairs)
    params.update(
        Action=action,
        Version="2019-06-12",
        Region=REGION,
        SecretId=secret_id,
        Timestamp=str(int(time.time()) if timestamp is None else timestamp),
        Nonce=str(secrets.randbelow(2**31) + 1),
    )
    if sign_method is not None:
        params["SignatureMethod"] = sign_method
    params.update(common or {})
    params = {k: v for k, v in params.items() if v is not None}
    to_sign = f"{method}{endpoint}/?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    digest = hashlib.sha256 if sign_method == "HmacSHA256" else hashlib.sha1
    computed = base64.b64encode(hmac.new(secret_key.encode(), to_sign.encode(), digest).digest()).decode()
    params["Signature"] = signature if signature is not None else computed
    params.update(tamper or {})
    encoded = urlencode(params)
    if method == "GET":
        answer = send(endpoint, "GET", "/?" + encoded, {"Host": endpoint})
    else:
        form = "application/x-www-form-urlencoded"
        answer = send(endpoint, "POST", "/", {"Host": endpoint, "Content-Type": form}, encoded.encode())
    return cast("dict[str, Any]", answer[2]["Response"])


_JSON_TYPES = {"string": str, "int64": int, "uint64": int, "float": (int, float), "bool": bool}


def assert_schema_shape(value: Any, object_name: str, path: str = "") -> None:
    """``value`` has exactly the members of the schema object ``object_name`` (absent ones as explicit null, as
    MPS answers), each of its schema type, recursively. A top-level RequestId may be left out."""
    objects = load_schema()["objects"]
    members = {m["name"]: m for m in objects[object_name]["members"]}
    assert isinstance(value, dict), f"{path or object_name} is not an object"
    missing = set(members) - set(value) - ({"RequestId"} if not path else set())
    assert not missing, f"{path or object_name} lacks {sorted(missing)}"
    for key, item in value.items():
        assert key in members, f"{path}{key} is not a member of {object_name}"
        member = members[key]
        if item is None:
            continue
        if member["type"] == "object":
            assert_schema_shape(item, member["member"], f"{path}{key}.")
        elif member["type"] == "list":
            assert isinstance(item, list), f"{path}{key} is not a list"
            for index, element in enumerate(item):
                if member["member"] in objects:
                    assert_schema_shape(element, member["member"], f"{path}{key}.{index}.")
                else:
                    assert isinstance(element, _JSON_TYPES[member["member"]]), f"{path}{key}.{index}"
        else:
            assert isinstance(item, _JSON_TYPES[member["member"]]), (
                f"{path}{key} is not {member['member']}: {item!r}"
            )


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def without_nulls(value: Any) -> Any:
    """``value`` without the explicit nulls MPS answers for absent members (to compare with a request)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value
