"""The thin HTTP layer: the request's form and signature, the ``{"Response": ...}`` envelope, routing. No MPS
rules here.

API calls: ``POST /`` with JSON (TC3-HMAC-SHA256) or a form body (signature v1), and ``GET /?...`` (either
signature), read by ``_forms`` and verified by ``_auth``. Every API answer is HTTP 200 with Content-Type
exactly ``application/json`` and a fresh RequestId (uuid4). Order of checks: the path, then the signature
(Authorization or Signature / SecretId / token / timestamp, 300 s against the real wall clock / signature),
then the Version (``NoSuchVersion``), the Action (``InvalidAction``), the parameters (a JSON object, or the
flattened ones made whole), then the controls (rate limit, faults) and the backend.

Admin endpoints under ``/_emulator/``: routed here to :class:`~pulumi_mps.emulator._controls.Controls`; the
list is in the docstring of :mod:`pulumi_mps.emulator`.

HTTP/1.1 keep-alive with Content-Length; the whole answer goes out in one write with TCP_NODELAY.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from .._schema import API_VERSION
from ._auth import Caller, authenticate, claimed_secret_id
from ._backend import Backend
from ._controls import Controls
from ._errors import (
    EmulatorError,
    InternalError,
    InvalidAction,
    InvalidParameter,
    MissingParameter,
    NoSuchVersion,
    NotMps,
    UnsupportedProtocol,
)
from ._forms import COMMON_PARAMS, JSON, RequestForm, media_type, parse_json, read_form, unflatten
from ._secrets import MASK

ADMIN_PREFIX = "/_emulator"
MAX_BODY_BYTES = 16 * 1024 * 1024

logger = logging.getLogger("pulumi_mps.emulator")


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one backend and its controls; tracks open connections so stop() can
    close them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], controls: Controls) -> None:
        self.controls = controls
        self.backend = controls.backend
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._connections_lock:
            (self._connections.add if add else self._connections.discard)(conn)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("connection error from %s", client_address, exc_info=sys.exc_info())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mps-emulator"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 300
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_POST(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    def _route(self) -> None:
        path = urlsplit(self.path).path
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            self._admin(path[len(ADMIN_PREFIX) :].strip("/"))
        else:
            self._api(path)

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            return None if self.headers.get("Transfer-Encoding") else b""
        try:
            size = int(length)
        except ValueError:
            return None
        if size < 0 or size > MAX_BODY_BYTES:
            return None
        return self.rfile.read(size)

    def _api(self, path: str) -> None:
        started = time.perf_counter()
        backend, controls = self.server.backend, self.server.controls
        request_id = str(uuid.uuid4())
        query = urlsplit(self.path).query
        form = RequestForm("json")
        caller: Caller | None = None
        action = self.headers.get("X-TC-Action")
        params: Any = None
        drop = False
        not_mps: int | None = None
        try:
            body = self._read_body()
            if body is None:
                self.close_connection = True
                raise InvalidParameter("The request needs a valid Content-Length (no chunked bodies).")
            content_type = self.headers.get("Content-Type") or ""
            form = read_form(self.command, content_type, query, body)
            params = form.json if form.kind == "json" else _flat_for_log(form, backend)
            action = action or dict(form.pairs).get("Action")
            if path != "/":
                raise UnsupportedProtocol('API calls go to the path / ("API 3.0 固定为正斜杠（/）").')
            caller = authenticate(
                self.command, self.headers, query, body, form, _secret_key_lookup(backend), time.time()
            )
            account = backend.account(caller.secret_id)
            assert account is not None
            action, version = caller.action, caller.version
            if not version:
                raise MissingParameter("The common parameter Version (X-TC-Version) is required.")
            if version != API_VERSION:
                raise NoSuchVersion(f"The API version `{version}` does not exist; use {API_VERSION}.")
            if not action:
                raise MissingParameter("The common parameter Action (X-TC-Action) is required.")
            if action not in backend.actions:
                raise InvalidAction(f"The action `{action}` does not exist.")
            params = _api_params(backend, action, form, content_type)
            admission = controls.admit(action, account)
            if admission.latency > 0:
                time.sleep(admission.latency)
            if admission.error is not None:
                raise admission.error
            drop, not_mps = admission.drop, admission.not_mps
            if not_mps is not None:
                raise NotMps("emulator: answered a web page (not_mps fault)")
            answer = backend.call(action, params, account)
            if drop and admission.drop_after > 0:
                time.sleep(admission.drop_after)
            error = None
            payload: dict[str, Any] = {"Response": {**answer, "RequestId": request_id}}
        except EmulatorError as exc:
            error = exc.code
            payload = {
                "Response": {"Error": {"Code": exc.code, "Message": exc.message}, "RequestId": request_id}
            }
        except Exception:
            logger.exception("unexpected error answering %s", action)
            internal = InternalError("emulator: internal error")
            error = internal.code
            payload = {
                "Response": {"Error": {"Code": error, "Message": internal.message}, "RequestId": request_id}
            }
        controls.record_request(
            request_id=request_id,
            action=action,
            secret_id=caller.secret_id if caller else claimed_secret_id(self.headers, form),
            params=params,
            error=error,
            dropped=drop,
            token=caller.token if caller else bool(self.headers.get("X-TC-Token")),
        )
        logger.info(
            "%s %s -> %s%s (%.1f ms)",
            action,
            request_id,
            error or "OK",
            " [dropped]" if drop else "",
            (time.perf_counter() - started) * 1000,
        )
        if drop:
            self._drop()
        elif not_mps is not None:
            self._send_page(HTTPStatus(not_mps))
        else:
            self._send(HTTPStatus.OK, payload)

    def _admin(self, route: str) -> None:
        method = self.command
        body = self._read_body()
        try:
            data = parse_json(body or b"{}") if method == "POST" else {}
            if not isinstance(data, dict):
                raise ValueError("the body must be a JSON object")  # noqa: TRY004 (answered as HTTP 400)
            query = parse_qs(urlsplit(self.path).query)
            result = self._admin_route(self.server.controls, method, route, data, query)
        except ValueError as exc:
            self._send(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
            return
        if result is None:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no admin endpoint {method} {ADMIN_PREFIX}/{route}"})
        else:
            self._send(HTTPStatus.OK, result)

    @staticmethod
    def _admin_route(
        controls: Controls, method: str, route: str, data: dict[str, Any], query: dict[str, list[str]]
    ) -> dict[str, Any] | None:
        match method, route:
            case "GET", "health":
                return {
                    "ok": True,
                    "actions": sorted(controls.backend.actions),
                    "clock": controls.clock_info(),
                }
            case "GET", "faults":
                return {"faults": controls.faults.describe()}
            case "POST", "faults":
                return {"fault": controls.faults.add(data)}
            case "DELETE", "faults":
                controls.faults.clear()
                return {"faults": []}
            case "GET", "tasks":
                return {"tasks": controls.tasks()}
            case "POST", "uploads":
                return controls.upload(data)
            case "GET", "templates":
                return {"templates": controls.templates(next(iter(query.get("kind") or []), None))}
            case "GET", "notifications":
                return {"notifications": controls.notifications(next(iter(query.get("task_id") or []), None))}
            case "GET", "requests":
                return {"requests": controls.requests(next(iter(query.get("action") or []), None))}
            case "DELETE", "requests":
                controls.clear_requests()
                return {"requests": []}
            case "GET", "clock":
                return controls.clock_info()
            case "POST", "clock":
                return _clock(controls, data)
            case "POST", "reset":
                controls.reset()
                return {"reset": True}
            case "GET", "config":
                return controls.config()
            case "POST", "config":
                return controls.configure(data)
        return None

    def _send(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nDate: {self.date_time_string()}\r\nServer: {self.server_version}\r\n"
            + ("Connection: close\r\n" if self.close_connection else "")
            + "\r\n"
        )
        self.wfile.write(head.encode("latin-1") + body)

    def _send_page(self, status: HTTPStatus) -> None:
        """A web page instead of an API answer (the not_mps fault)."""
        body = (
            f"<!DOCTYPE html><html><head><title>{status.value} {status.phrase}</title></head><body>"
            f"<h1>{status.phrase}</h1><p>Welcome to nginx!</p></body></html>"
        ).encode()
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Type: text/html\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.wfile.write(head.encode("latin-1") + body)

    def _drop(self) -> None:
        """Close the connection without any HTTP answer (the accept_then_drop fault)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _api_params(backend: Backend, action: str, form: RequestForm, content_type: str) -> dict[str, Any]:
    """The action's parameters: the JSON body, or the flattened query / form made whole by the schema."""
    if form.kind == "json":
        if media_type(content_type) != JSON or not isinstance(form.json, dict):
            raise InvalidParameter("The request body must be a JSON object (application/json).")
        return cast("dict[str, Any]", form.json)
    pairs = [(name, value) for name, value in form.pairs if name not in COMMON_PARAMS]
    return unflatten(backend.schema["objects"], backend.actions[action], pairs)


def _flat_for_log(form: RequestForm, backend: Backend) -> dict[str, str]:
    """The flattened parameters as the request log shows them until they are made whole (secrets masked)."""
    return {
        name: MASK if name.rsplit(".", 1)[-1] in backend.secrets else value
        for name, value in form.pairs
        if name != "Signature"
    }


def _secret_key_lookup(backend: Backend) -> Callable[[str], str | None]:
    def lookup(secret_id: str) -> str | None:
        account = backend.account(secret_id)
        return account.secret_key if account else None

    return lookup


def _clock(controls: Controls, data: dict[str, Any]) -> dict[str, Any]:
    if set(data) - {"advance_seconds", "set"} or len(data) != 1:
        raise ValueError('give exactly one of {"advance_seconds": S} or {"set": "<ISO 8601 time>"}')
    if "advance_seconds" in data:
        seconds = data["advance_seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError("advance_seconds must be a number")
        return controls.advance_clock(seconds)
    return controls.set_clock(data["set"])
