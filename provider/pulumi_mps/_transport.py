"""One HTTP exchange with MPS: the tencentcloud SDK's client for one Settings, its ``requests`` session fitted to
the provider process, and the reading of an answer into its ``Response`` object or an :class:`ApiError`.

The SDK is imported on first use, not with this module: a Pulumi program imports the provider classes (to pickle
them) but never calls the API, and the SDK's generic ``CommonClient`` is used instead of ``MpsClient``, whose
module drags in every MPS request model (~45 ms and ~20,000 objects) for nothing.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime, timezone
from typing import Any

from ._compat import BLOCKING_CALL_WORKERS
from ._errors import ApiError
from ._settings import Settings

API_SERVICE = "mps"
API_VERSION = "2019-06-12"
REQUEST_TIMEOUT_S = 30
# Kept-alive connections per endpoint: one per call the provider process can have in flight.
HTTP_CONNECTIONS = BLOCKING_CALL_WORKERS
# Gateways answer these when MPS is briefly unavailable: retried; any other HTTP status is not MPS answering.
TRANSIENT_HTTP_STATUSES = (500, 502, 503, 504)


class _Sdk:
    """The few tencentcloud SDK classes the provider uses, imported on first use."""

    def __init__(self) -> None:
        from tencentcloud.common.common_client import CommonClient
        from tencentcloud.common.credential import Credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile

        self.CommonClient = CommonClient
        self.Credential = Credential
        self.Error = TencentCloudSDKException
        self.ClientProfile = ClientProfile
        self.HttpProfile = HttpProfile


@functools.cache
def sdk() -> _Sdk:
    return _Sdk()


def parse_time(value: str | None) -> datetime | None:
    """An API time (``2026-11-24T10:00:00Z``); None for none or the API's zero time."""
    if not value or value.startswith("0000"):
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def format_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tune_http_session(client: Any) -> bool:
    """Tune the ``requests`` session under the SDK client (True when done): no environment or ``.netrc`` re-reading
    per call, and one kept-alive connection per call in flight (bench/RESULTS.md, "What stood in the way")."""
    session = getattr(getattr(client.request, "conn", None), "_session", None)
    if session is None or not hasattr(session, "trust_env") or not hasattr(session, "mount"):
        return False
    from requests.adapters import HTTPAdapter

    session.trust_env = False
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=HTTP_CONNECTIONS)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return True


def new_client(settings: Settings) -> Any:
    """An SDK client (``CommonClient`` for mps 2019-06-12) for ``settings``, its HTTP session tuned."""
    api = sdk()
    cred = (
        api.Credential(settings.secret_id, settings.secret_key, settings.token)
        if settings.token
        else api.Credential(settings.secret_id, settings.secret_key)
    )
    http = api.HttpProfile(
        protocol=settings.scheme, endpoint=settings.host, reqTimeout=REQUEST_TIMEOUT_S, keepAlive=True
    )
    client = api.CommonClient(
        API_SERVICE, API_VERSION, cred, settings.region, api.ClientProfile(httpProfile=http)
    )
    _tune_http_session(client)
    return client


# Transport failures the SDK reports as ClientNetworkError, by what its message says: the provider's own codes
# (ClientError...: no retry can fix them) and a short cause for the error text.
_TRANSPORT_FAILURES = (
    (
        re.compile(r"Failed to parse|Invalid URL|InvalidURL|No connection adapters|LocationParseError"),
        "ClientError.InvalidEndpoint",
        "not a valid URL",
    ),
    (
        re.compile(
            r"Name or service not known|nodename nor servname|No address associated|getaddrinfo failed"
        ),
        "ClientError.UnknownHost",
        "the host name does not resolve",
    ),
    (
        re.compile(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed|doesn't match|hostname mismatch"),
        "ClientError.Certificate",
        "its TLS certificate does not verify",
    ),
    (re.compile(r"Connection refused"), "ClientNetworkError", "connection refused"),
    (re.compile(r"timed out|Timeout", re.IGNORECASE), "ClientNetworkError", "timed out"),
    (re.compile(r"Temporary failure in name resolution"), "ClientNetworkError", "name resolution failed"),
    (
        re.compile(r"RemoteDisconnected|Connection aborted|Connection reset|closed connection"),
        "ClientNetworkError",
        "the connection closed without an answer",
    ),
)


def transport_failure(text: str) -> tuple[str, str]:
    """(code, short cause) of a transport failure from the SDK's message."""
    for pattern, code, cause in _TRANSPORT_FAILURES:
        if pattern.search(text):
            return code, cause
    errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return "ClientNetworkError", errno.group(1).strip() if errno else text[:200]


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Transport:
    """The SDK client for one Settings and :meth:`send`, one HTTP exchange. The client is built with the transport,
    before any call takes a rate token: built later, the calls waiting for it would hold their tokens and go out
    together, the burst the limiter is there to avoid."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint = f"{settings.scheme}://{settings.host}"
        self.client: Any = new_client(settings)

    def send(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One call's ``Response`` object, or an :class:`ApiError`. The SDK's ``_call`` signs and sends; the
        answer is read here, not by ``call_json``, which cannot tell a gateway's 502 from a web page, lets a
        non-JSON answer escape as a bare JSON error, and returns an error answered with
        ``Content-Type: application/json; charset=utf-8`` as a success."""
        try:
            response = self.client._call(action, params)
        except sdk().Error as exc:
            text = str(exc.get_message() or exc)
            code, cause = transport_failure(text)
            if not code.startswith("ClientNetworkError"):
                raise ApiError(
                    action,
                    code,
                    f"{self.endpoint} cannot be used: {cause} ({_shorten(text, 200)}); "
                    "check mps:endpoint / MPS_ENDPOINT",
                ) from None
            raise ApiError(action, code, f"cannot reach MPS at {self.endpoint}: {cause}") from None
        status = response.status_code
        body = response.content or b""
        shown = _shorten(body.decode("utf-8", "replace"))
        if status in TRANSIENT_HTTP_STATUSES:
            raise ApiError(action, "ServerNetworkError", f"{self.endpoint} answered HTTP {status} ({shown})")
        try:
            answer = json.loads(body) if status == 200 else None
        except ValueError:
            answer = None
        payload = answer.get("Response") if isinstance(answer, dict) else None
        if not isinstance(payload, dict):
            content_type = response.headers.get("Content-Type") or "no content type"
            raise ApiError(
                action,
                "ClientError.NotMps",
                f"{self.endpoint} did not answer as the MPS API: HTTP {status}, {content_type}, "
                f"{shown or 'empty body'!r}; check mps:endpoint / MPS_ENDPOINT",
            )
        error = payload.get("Error")
        if isinstance(error, dict):
            code = str(error.get("Code") or "InternalError")
            message = str(error.get("Message") or "")
            if code.startswith("AuthFailure"):
                message += (
                    f" (endpoint {self.endpoint}, SecretId {self.settings.secret_id}; check "
                    "tencentcloud:secretId / tencentcloud:secretKey)"
                )
            raise ApiError(action, code, message, payload.get("RequestId"), answered=True)
        return payload
