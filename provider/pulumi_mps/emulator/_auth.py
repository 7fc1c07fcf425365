"""TC3-HMAC-SHA256 verification, rebuilding the canonical request exactly as the SDK's
``AbstractClient._get_tc3_signature`` builds it and signing with the SDK's own ``Sign.sign_tc3``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from email.message import Message

from tencentcloud.common.sign import Sign

from ._errors import InvalidAuthorization, SecretIdNotFound, SignatureExpire, SignatureFailure, TokenFailure

ALGORITHM = "TC3-HMAC-SHA256"
SERVICE = "mps"
MAX_SKEW_SECONDS = 300


def verify_tc3(
    method: str, headers: Message, body: bytes, secret_key_of: Callable[[str], str | None], now: float
) -> str:
    """Check the ``Authorization`` header of one request; the SecretId, or :class:`~._errors.AuthFailure`.

    ``headers`` must be case-insensitive (``http.client.HTTPMessage``); ``now`` is the real wall clock.
    """
    secret_id, date, service, signed_headers, signature = _parse_authorization(headers.get("Authorization"))
    secret_key = secret_key_of(secret_id)
    if secret_key is None:
        raise SecretIdNotFound("The SecretId is not found, please check your SecretId.")
    token = headers.get("X-TC-Token")
    if token is not None and not token.strip():
        raise TokenFailure("The X-TC-Token header is empty.")
    timestamp_text = headers.get("X-TC-Timestamp") or ""
    try:
        timestamp = int(timestamp_text)
    except ValueError:
        raise InvalidAuthorization("The X-TC-Timestamp header is missing or invalid.") from None
    if abs(now - timestamp) > MAX_SKEW_SECONDS:
        raise SignatureExpire(
            f"The request timestamp {timestamp} is more than {MAX_SKEW_SECONDS} s away from the "
            f"server time {int(now)}; check the client clock."
        )
    if service != SERVICE or date != time.strftime("%Y-%m-%d", time.gmtime(timestamp)):
        raise SignatureFailure("The credential scope does not match the request date or the service.")
    canonical_headers = "".join(f"{name}:{(headers.get(name) or '').strip()}\n" for name in signed_headers)
    if headers.get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD":
        body = b"UNSIGNED-PAYLOAD"
    canonical_request = "\n".join(
        (method, "/", "", canonical_headers, ";".join(signed_headers), hashlib.sha256(body).hexdigest())
    )
    string_to_sign = "\n".join(
        (
            ALGORITHM,
            timestamp_text,
            f"{date}/{service}/tc3_request",
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        )
    )
    expected = Sign.sign_tc3(secret_key, date, service, string_to_sign)
    if not hmac.compare_digest(expected, signature):
        raise SignatureFailure(
            "The provided credentials could not be validated. Please check your signature is correct."
        )
    return secret_id


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
