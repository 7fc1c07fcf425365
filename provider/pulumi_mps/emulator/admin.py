"""A tiny client of the emulator's admin endpoints (``/_emulator/...``), stdlib only, proxies ignored.

>>> admin = EmulatorAdmin("http://127.0.0.1:8990")
>>> admin.add_fault("ProcessMedia", count=1, mode="accept_then_drop")
>>> admin.advance_clock(15)
>>> [t["TaskId"] for t in admin.tasks()]

One method per endpoint; the endpoints are listed in the docstring of :mod:`pulumi_mps.emulator`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any, cast
from urllib.parse import quote


class EmulatorAdminError(RuntimeError):
    """An admin endpoint answered with an HTTP error (bad body, unknown endpoint)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class EmulatorAdmin:
    """Calls the admin endpoints of the emulator at ``url`` (``http://HOST:PORT``)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """The endpoint's answer (a JSON object); an empty answer is ``{}``."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return cast("dict[str, Any]", json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            try:
                detail = json.loads(detail).get("error", detail)
            except (ValueError, AttributeError):
                pass
            raise EmulatorAdminError(exc.code, detail) from None

    def health(self) -> dict[str, Any]:
        return self._call("GET", "health")

    def add_fault(
        self,
        action: str,
        *,
        count: int | None = None,
        code: str | None = None,
        message: str | None = None,
        mode: str | None = None,
        latency_ms: float | None = None,
        probability: float | None = None,
        seed: int | None = None,
        http_status: int | None = None,
    ) -> dict[str, Any]:
        """Add a fault rule: an error ``code``, ``mode="accept_then_drop"``, ``mode="not_mps"`` (a web page with
        ``http_status``, default 200) or ``latency_ms``, for the next ``count`` calls of ``action`` (``"*"``: every
        action), or each call with ``probability`` until cleared. An accept_then_drop rule's ``latency_ms`` passes
        after the call is carried out, before the connection is dropped."""
        spec = {
            "action": action,
            "count": count,
            "code": code,
            "message": message,
            "mode": mode,
            "latency_ms": latency_ms,
            "probability": probability,
            "seed": seed,
            "http_status": http_status,
        }
        return cast(
            "dict[str, Any]",
            self._call("POST", "faults", {k: v for k, v in spec.items() if v is not None})["fault"],
        )

    def faults(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._call("GET", "faults")["faults"])

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def tasks(self) -> list[dict[str, Any]]:
        """Every stored task: TaskId, Action, AppId, SecretId, SessionId, Status, Aborted, Request, ..."""
        return cast("list[dict[str, Any]]", self._call("GET", "tasks")["tasks"])

    def task(self, task_id: str) -> dict[str, Any]:
        for task in self.tasks():
            if task["TaskId"] == task_id:
                return task
        raise KeyError(task_id)

    def templates(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every stored template, workflow and schedule, oldest first (``kind``: ``TranscodeTemplate``, ``Workflow``,
        ...): Kind, AppId, Id, Name, Status, CreateTime, UpdateTime, Body (the members as stored, secrets masked)."""
        answer = self._call("GET", "templates" + (f"?kind={quote(kind)}" if kind else ""))
        return cast("list[dict[str, Any]]", answer["templates"])

    def upload(
        self, bucket: str, region: str, object_path: str, *, type: str = "COS", appid: int | None = None
    ) -> dict[str, Any]:
        """An object arriving in storage (``type`` COS or AWS-S3): ``{"TaskIds": [...], "Triggered": [...]}``, the
        tasks every enabled workflow and schedule (of ``appid``) whose trigger matches started."""
        body: dict[str, Any] = {"type": type, "bucket": bucket, "region": region, "object": object_path}
        if appid is not None:
            body["appid"] = appid
        return self._call("POST", "uploads", body)

    def notifications(self, task_id: str | None = None) -> list[dict[str, Any]]:
        """Every event notification delivery (of one task), oldest first: TaskId, Event, Url, DueTime, State
        (pending, delivered, failed), Body (as POSTed), Attempts (Time, VirtualTime, Status, Answer, Error), and
        the last Status and Answer."""
        answer = self._call("GET", "notifications" + (f"?task_id={quote(task_id)}" if task_id else ""))
        return cast("list[dict[str, Any]]", answer["notifications"])

    def requests(self, action: str | None = None) -> list[dict[str, Any]]:
        """The request log, oldest first: RequestId, Time, Action, SecretId, Params (secrets masked), Error."""
        answer = self._call("GET", "requests" + (f"?action={quote(action)}" if action else ""))
        return cast("list[dict[str, Any]]", answer["requests"])

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def clock(self) -> dict[str, Any]:
        """``{"now": ISO, "epoch": float, "offset_seconds": float}``."""
        return self._call("GET", "clock")

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "clock", {"advance_seconds": seconds})

    def set_clock(self, when: str | datetime) -> dict[str, Any]:
        if isinstance(when, datetime):
            when = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return self._call("POST", "clock", {"set": when})

    def reset(self) -> None:
        """Forget all tasks, dedup records, faults, requests, the clock offset and config changes."""
        self._call("POST", "reset")

    def config(self) -> dict[str, Any]:
        return self._call("GET", "config")

    def set_rate_limit(self, rate_limit: int) -> dict[str, Any]:
        """Calls per second per action and account; 0 turns the limit off."""
        return self._call("POST", "config", {"rate_limit": rate_limit})
