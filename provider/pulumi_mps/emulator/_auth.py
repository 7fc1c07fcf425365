"""Who sent a request: TC3-HMAC-SHA256 (signature v3) and signature v1 (HmacSHA1, HmacSHA256), verified with the
SDK's own ``Sign.sign_tc3`` and ``Sign.sign``.

The rules are the API docs' ("签名方法 v3" and "签名方法 v1"; quoted from tencentyun/qcloud-documents
``product/云资源管理/云API/操作指南/Python_API.md``, the same text as every API 3.0 product's pages):

TC3: ``CanonicalRequest = HTTPRequestMethod + '\\n' + CanonicalURI + '\\n' + CanonicalQueryString + '\\n' +
CanonicalHeaders + '\\n' + SignedHeaders + '\\n' + HashedRequestPayload``; "CanonicalURI: URI 参数，API 3.0 固定为
正斜杠（/）"; "CanonicalQueryString: 发起 HTTP 请求 URL 中的查询字符串，对于 POST 请求，固定为空字符串""，对于 GET
请求，则为 URL 中问号（?）后面的字符串内容"; "HashedRequestPayload ... 对于 GET 请求，RequestPayload 固定为空字符串";
"CredentialScope ... Date 为 UTC 标准时间的日期，取值需要和公共参数 X-TC-Timestamp 换算的 UTC 标准时间日期一致；service
为产品名，必须与调用的产品域名一致" (``mps`` for mps.tencentcloudapi.com).

v1: "首先对所有请求参数按参数名的字典序（ ASCII 码）升序排序"; "“参数值”为原始值而非 url 编码后的值"; "签名原文串的拼接规则
为：请求方法 + 请求主机 +请求路径 + ? + 请求字符串" with "请求路径: 当前版本云API的请求路径固定为 / "; "使用 HMAC-SHA1 算法
对上一步中获得的签名原文字符串进行签名，然后将生成的签名串使用 Base64 进行编码"; SignatureMethod: "只有指定此参数为
HmacSHA256 时，才使用 HmacSHA256 算法验证签名，其他情况均使用 HmacSHA1 验证签名"; Nonce: "随机正整数，与 Timestamp 联合
起来，用于防止重放攻击".

Both: "AuthFailure.SignatureExpire 签名过期。Timestamp 和服务器时间相差不得超过五分钟" (the common error codes),
``AuthFailure.SecretIdNotFound`` for an unknown SecretId, ``AuthFailure.SignatureFailure`` for a wrong signature.

**The one leniency** (:func:`signed_as`): Tencent's Node.js SDK (tencentcloud-sdk-nodejs-common 4.x, ``Sign.sign3``
and ``AbstractClient.doRequestWithSign3``) signs ``host:`` with the URL's hostname *without its port* while it
sends ``Host: host:port``, and takes the credential scope's service from the endpoint's first label
(``endpoint.split(".")[0]``). Against ``mps.tencentcloudapi.com`` both are what MPS receives (no port; ``mps``),
so the SDK is right there; they differ only because it is pointed at a local address with a port
(``127.0.0.1:PORT`` signs ``host:127.0.0.1`` and service ``127``). So, and only when the request's Host is a
loopback address or ``localhost`` *with a port*, a TC3 signature over the Host without its port and/or with
that first label as the service is accepted too. Every other Host is checked exactly; signature v1 has no
leniency (both SDKs sign v1 over the endpoint as sent, port included).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from tencentcloud.common.sign import Sign

from ._errors import (
    InvalidAuthorization,
    InvalidParameter,
    MissingParameter,
    SecretIdNotFound,
    SignatureExpire,
    SignatureFailure,
    TokenFailure,
    UnsupportedProtocol,
)
from ._forms import RequestForm

ALGORITHM = "TC3-HMAC-SHA256"
SERVICE = "mps"
MAX_SKEW_SECONDS = 300
V1_METHODS = ("HmacSHA1", "HmacSHA256")

SecretKeyOf = Callable[[str], str | None]


@dataclass(frozen=True)
class Caller:
    """What a verified request says about itself: the SecretId, the action, the version and the token it
    names (TC3 in ``X-TC-*`` headers, v1 in its common parameters)."""

    secret_id: str
    action: str | None
    version: str | None
    token: bool


def authenticate(
    method: str,
    headers: Message,
    query: str,
    body: bytes,
    form: RequestForm,
    secret_key_of: SecretKeyOf,
    now: float,
) -> Caller:
    """Verify one API request signed with TC3 (an ``Authorization`` header) or v1 (a ``Signature`` parameter).

    ``headers`` must be case-insensitive (``http.client.HTTPMessage``); ``now`` is the real wall clock.
    """
    tc3 = headers.get("Authorization") is not None
    if not tc3 and form.kind != "json" and _named(form.pairs, "Signature"):
        return verify_v1(method, headers.get("Host") or "", form.pairs, secret_key_of, now)
    if tc3 and form.kind == "form":
        # "application/x-www-form-urlencoded，必须使用签名方法 v1（HmacSHA1 或 HmacSHA256）" (docs, 请求结构).
        raise UnsupportedProtocol(
            "A POST application/x-www-form-urlencoded request must be signed with signature v1 "
            "(HmacSHA1 or HmacSHA256); TC3-HMAC-SHA256 signs application/json."
        )
    secret_id = verify_tc3(method, headers, query, body, secret_key_of, now)
    return Caller(
        secret_id,
        headers.get("X-TC-Action"),
        headers.get("X-TC-Version"),
        bool(headers.get("X-TC-Token")),
    )


def claimed_secret_id(headers: Message, form: RequestForm) -> str | None:
    """The SecretId a request names, verified or not (for the request log)."""
    auth = headers.get("Authorization") or ""
    start = auth.find("Credential=")
    if start >= 0:
        return auth[start + 11 :].split("/", 1)[0] or None
    return dict(form.pairs).get("SecretId") or None


def verify_tc3(
    method: str, headers: Message, query: str, body: bytes, secret_key_of: SecretKeyOf, now: float
) -> str:
    """Check the ``Authorization`` header of one request; the SecretId, or :class:`~._errors.AuthFailure`."""
    secret_id, date, service, signed_headers, signature = _parse_authorization(headers.get("Authorization"))
    secret_key = _secret_key(secret_id, secret_key_of)
    _check_token(headers.get("X-TC-Token"))
    timestamp_text = headers.get("X-TC-Timestamp") or ""
    try:
        timestamp = int(timestamp_text)
    except ValueError:
        raise InvalidAuthorization("The X-TC-Timestamp header is missing or invalid.") from None
    _check_fresh(timestamp, now)
    variants = [v for v in signed_as(headers.get("Host") or "") if v[1] == service]
    if not variants or date != time.strftime("%Y-%m-%d", time.gmtime(timestamp)):
        raise SignatureFailure("The credential scope does not match the request date or the service.")
    if headers.get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD":
        body = b"UNSIGNED-PAYLOAD"
    elif method == "GET":
        body = b""
    payload = hashlib.sha256(body).hexdigest()
    for host, _ in variants:
        canonical_headers = "".join(
            f"{name}:{(host if name == 'host' else headers.get(name) or '').strip()}\n"
            for name in signed_headers
        )
        canonical_request = "\n".join(
            (
                method,
                "/",
                query if method == "GET" else "",
                canonical_headers,
                ";".join(signed_headers),
                payload,
            )
        )
        string_to_sign = "\n".join(
            (
                ALGORITHM,
                timestamp_text,
                f"{date}/{service}/tc3_request",
                hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
            )
        )
        if hmac.compare_digest(Sign.sign_tc3(secret_key, date, service, string_to_sign), signature):
            return secret_id
    raise _bad_signature()


def verify_v1(
    method: str, host: str, pairs: Sequence[tuple[str, str]], secret_key_of: SecretKeyOf, now: float
) -> Caller:
    """Check the ``Signature`` parameter of a GET query or form body; the :class:`Caller`."""
    params = dict(pairs)
    secret_id = _required(params, "SecretId")
    secret_key = _secret_key(secret_id, secret_key_of)
    _check_token(params.get("Token"))
    timestamp = _integer(params, "Timestamp")
    _integer(params, "Nonce")  # the Node.js SDK draws it from 0..65535, 0 included: any unsigned integer
    _check_fresh(timestamp, now)
    # "其他情况均使用 HmacSHA1 验证签名": an absent or unknown SignatureMethod means HmacSHA1.
    sign_method = "HmacSHA256" if params.get("SignatureMethod") == "HmacSHA256" else "HmacSHA1"
    signed = "&".join(f"{name}={value}" for name, value in sorted(pairs) if name != "Signature")
    expected = Sign.sign(secret_key, f"{method}{host}/?{signed}", sign_method)
    if not hmac.compare_digest(expected, params["Signature"]):
        raise _bad_signature()
    return Caller(secret_id, params.get("Action"), params.get("Version"), bool(params.get("Token")))


def signed_as(host: str) -> list[tuple[str, str]]:
    """The (host, service) pairs a TC3 signature may be computed over for a request to ``host``: exactly
    ``(host, "mps")``, plus, for a loopback address or ``localhost`` with a port, the Node.js SDK's way (the host
    without its port, the service from the endpoint's first label; see the module docstring)."""
    variants = [(host, SERVICE)]
    try:
        parts = urlsplit("//" + host)
        hostname, port = parts.hostname, parts.port
    except ValueError:
        return variants
    if hostname is None or port is None or not _loopback(hostname):
        return variants
    bare = host.rsplit(":", 1)[0]  # as the SDK's URL.hostname: "127.0.0.1", "localhost", "[::1]"
    for signed_host in (host, bare):
        for service in (SERVICE, host.split(".")[0]):
            if (signed_host, service) not in variants:
                variants.append((signed_host, service))
    return variants


def _loopback(hostname: str) -> bool:
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _secret_key(secret_id: str, secret_key_of: SecretKeyOf) -> str:
    secret_key = secret_key_of(secret_id)
    if secret_key is None:
        raise SecretIdNotFound("The SecretId is not found, please check your SecretId.")
    return secret_key


def _check_token(token: str | None) -> None:
    if token is not None and not token.strip():
        raise TokenFailure("The token is empty.")


def _check_fresh(timestamp: int, now: float) -> None:
    if abs(now - timestamp) > MAX_SKEW_SECONDS:
        raise SignatureExpire(
            f"The request timestamp {timestamp} is more than {MAX_SKEW_SECONDS} s away from the "
            f"server time {int(now)}; check the client clock."
        )


def _bad_signature() -> SignatureFailure:
    return SignatureFailure(
        "The provided credentials could not be validated. Please check your signature is correct."
    )


def _named(pairs: Sequence[tuple[str, str]], name: str) -> bool:
    return any(key == name for key, _ in pairs)


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise MissingParameter(f"The common parameter `{name}` is required with signature v1.")
    return value


def _integer(params: dict[str, str], name: str) -> int:
    text = _required(params, name)
    if not text.isdigit():
        raise InvalidParameter(f"The common parameter `{name}` must be an unsigned integer.")
    return int(text)


def _parse_authorization(value: str | None) -> tuple[str, str, str, list[str], str]:
    """``TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=HEX``."""
    invalid = InvalidAuthorization("The Authorization header is missing or does not follow TC3-HMAC-SHA256.")
    if not value or not value.startswith(ALGORITHM + " "):
        raise invalid
    fields: dict[str, str] = {}
    for part in value[len(ALGORITHM) + 1 :].split(","):
        key, sep, val = part.strip().partition("=")
        if not sep:
            raise invalid
        fields[key] = val.strip()
    scope = fields.get("Credential", "").split("/")
    signed = [h.strip().lower() for h in fields.get("SignedHeaders", "").split(";") if h.strip()]
    if (
        len(scope) != 4
        or scope[3] != "tc3_request"
        or not scope[0]
        or not signed
        or not fields.get("Signature")
    ):
        raise invalid
    return scope[0], scope[1], scope[2], signed, fields["Signature"]
