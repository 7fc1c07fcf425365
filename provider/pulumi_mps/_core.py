"""The one task provider: check / diff / create / read / update / delete over a :class:`TaskSpec`.

Properties of a task resource (all snake_case):
- request fields: one per API request member (``input_info``, ``media_process_task``, ...); a change replaces;
- ``triggers`` (any value; a change replaces), ``session_id`` (derived in check() unless given; a change
  replaces), ``task_id`` (given: adopt that task, nothing is submitted; a change replaces);
- settings that act only in the provider (``abort_on_delete``, ``wait_for_completion``, ``wait_timeout_seconds``):
  a change is an in-place update with no API call;
- ``resource_identity``: ``<project>/<stack>/<name>``, set by the resource class, part of the SessionId;
- outputs: ``task_id``, ``status``, ``create_time``, ``begin_process_time``, ``finish_time``, ``err_code``,
  ``message``, ``subtasks``, ``output_paths``, ``adopted``.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

from . import _server, _settings, models
from ._client import DUPLICATE_SESSION, MpsApi
from ._errors import ApiError, DuplicateNotFound, TaskFailed, TaskNotFound
from ._session import MAX_LENGTH, canonical_value, derive_session_id
from ._specs import TaskSpec

PROVIDER_KEY = "__provider"
IDENTITY = "resource_identity"
REPLACING = ("triggers", "session_id", "task_id")
SETTINGS: dict[str, type | tuple[type, ...]] = {
    "abort_on_delete": bool, "wait_for_completion": bool, "wait_timeout_seconds": (int, float),
}
OUTPUTS = ("status", "create_time", "begin_process_time", "finish_time", "err_code", "message", "subtasks",
           "output_paths", "adopted")
DEFAULT_WAIT_TIMEOUT_S = 3600


def is_unknown(value: Any) -> bool:
    """Not known yet (see :func:`pulumi_mps.models.is_unknown_value`; the models load on first use)."""
    return models.is_unknown_value(value)


def request_fields(spec: TaskSpec) -> set[str]:
    """The request members a resource submits as given; SessionId is the provider's own (derived or overridden)."""
    return set(spec.fields) - {"session_id"}


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def changed_paths(old: Any, new: Any, path: str) -> list[str]:
    """The property paths at which two canonical values differ (unknowns always differ)."""
    if is_unknown(new) or is_unknown(old):
        return [path]
    if isinstance(old, dict) and isinstance(new, dict):
        paths: list[str] = []
        for key in sorted(set(old) | set(new)):
            sub = f"{path}.{key}" if path else key
            if key not in old or key not in new:
                paths.append(sub)
            else:
                paths.extend(changed_paths(old[key], new[key], sub))
        return paths
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        pairs = enumerate(zip(old, new, strict=True))
        return [p for i, (o, n) in pairs for p in changed_paths(o, n, f"{path}[{i}]")]
    return [] if old == new else [path]


class TaskProvider(ResourceProvider):
    """A Pulumi dynamic provider for one kind of MPS task. Holds no state: subclasses only set ``spec``."""

    spec: TaskSpec

    # -- engine hooks -------------------------------------------------------------------------------------------
    def configure(self, req: ConfigureRequest) -> None:
        # The public ``Config.get`` of each key the provider reads (fully qualified, so no project default).
        _settings.set_stack_config({key: req.config.get(key) for key in _settings.CONFIG_KEYS})
        _server.widen_provider_server()

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        olds = {k: v for k, v in (_olds or {}).items() if k != PROVIDER_KEY}
        news = {k: v for k, v in news.items() if k != PROVIDER_KEY and v is not None}
        fields = request_fields(self.spec)
        failures: list[CheckFailure] = []
        request_in = {k: v for k, v in news.items() if k in fields}
        for key in sorted(set(news) - fields - set(REPLACING) - set(SETTINGS) - {IDENTITY, *OUTPUTS}):
            failures.append(CheckFailure(key, f"unknown property '{key}' for {self.spec.kind}"))
        request = models.normalize(self.spec.model, request_in)
        failures += [CheckFailure(p.path, p.reason) for p in models.validate(self.spec.model, request)]
        inputs: dict[str, Any] = dict(request)
        for key, kind in SETTINGS.items():
            if key in news:
                value = news[key]
                if not is_unknown(value) and (not isinstance(value, kind) or (kind is bool) != isinstance(value, bool)):
                    failures.append(CheckFailure(key, f"must be a {'boolean' if kind is bool else 'number'}"))
                inputs[key] = canonical_value(value)
        if isinstance(inputs.get("wait_timeout_seconds"), (int, float)) and inputs["wait_timeout_seconds"] <= 0:
            failures.append(CheckFailure("wait_timeout_seconds", "must be greater than 0"))
        if "triggers" in news:
            inputs["triggers"] = canonical_value(news["triggers"])
        task_id = news.get("task_id")
        if task_id is not None:
            if not is_unknown(task_id) and (not isinstance(task_id, str) or not task_id.strip()):
                failures.append(CheckFailure("task_id", "must be a non-empty TaskId string"))
            inputs["task_id"] = task_id
        identity = news.get(IDENTITY)
        if identity is None:
            failures.append(CheckFailure(IDENTITY, "missing: create task resources through the pulumi_mps classes"))
        inputs[IDENTITY] = identity
        session = news.get("session_id")
        if session is not None:
            if not is_unknown(session) and (not isinstance(session, str) or not 0 < len(session) <= MAX_LENGTH):
                failures.append(CheckFailure("session_id", f"must be 1 to {MAX_LENGTH} characters"))
            inputs["session_id"] = session
        elif not contains_unknown([request, inputs.get("triggers"), identity]):
            if olds.get("session_id") and self._same_task(olds, inputs):
                inputs["session_id"] = olds["session_id"]
            else:
                inputs["session_id"] = derive_session_id(self.spec.kind, str(identity), request, inputs.get("triggers"))
        else:
            inputs["session_id"] = Unknown()
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces: list[str] = []
        fields = request_fields(self.spec)
        for key in sorted(fields | {"triggers", "session_id"}):
            if key in olds or key in news:
                replaces += changed_paths(olds.get(key), news.get(key), key)
        if news.get("task_id") is not None and news.get("task_id") != olds.get("task_id"):
            replaces.append("task_id")
        changes = [k for k in SETTINGS if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(replaces or changes), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        api = self._api()
        if inputs.get("task_id"):
            task_id, adopted = inputs["task_id"], True
            try:
                summary = self.spec.summarize(api.task_detail(task_id))
            except TaskNotFound as exc:
                raise TaskNotFound(
                    f"cannot adopt task {task_id}: {exc}. MPS reports tasks of the last 7 days only."
                ) from None
        else:
            task_id, adopted = self._submit(api, inputs), False
            summary = {"status": "WAITING", "create_time": "", "begin_process_time": "", "finish_time": "",
                       "err_code": 0, "message": "", "subtasks": [], "output_paths": []}
        if inputs.get("wait_for_completion"):
            summary = self._wait(api, task_id, float(inputs.get("wait_timeout_seconds") or DEFAULT_WAIT_TIMEOUT_S))
        return CreateResult(task_id, {**inputs, **summary, "task_id": task_id, "adopted": adopted})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        inputs = {k: v for k, v in state.items() if k not in OUTPUTS and (k != "task_id" or state.get("adopted"))}
        try:
            summary = self.spec.summarize(self._api().task_detail(id_))
        except TaskNotFound:
            # MPS forgets tasks after 7 days. The task ran: keep the resource and its last known outputs, since
            # reporting it gone would make the next `pulumi up` submit it again.
            return ReadResult(id_, state, inputs)
        return ReadResult(id_, {**state, **summary, "task_id": id_}, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        kept = {k: v for k, v in olds.items() if k in OUTPUTS or k == "task_id"}
        inputs = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        return UpdateResult({**inputs, **kept})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if not props.get("abort_on_delete", self.spec.abort_on_delete):
            return
        api = self._api()
        for _ in range(3):
            try:
                status = api.task_detail(id_).get("Status")
            except TaskNotFound:
                return
            if status not in self.spec.abortable:
                return
            try:
                api.abort(id_)
                return
            except ApiError:
                continue
        raise TaskFailed(f"could not abort task {id_}: it stays {status}; abort it in the MPS console")

    # -- helpers ------------------------------------------------------------------------------------------------
    def _api(self) -> MpsApi:
        return MpsApi(_settings.resolve())

    def _same_task(self, olds: dict[str, Any], inputs: dict[str, Any]) -> bool:
        fields = request_fields(self.spec)
        old_request = models.normalize(self.spec.model, {k: v for k, v in olds.items() if k in fields})
        new_request = {k: v for k, v in inputs.items() if k in fields}
        return old_request == new_request and canonical_value(olds.get("triggers")) == inputs.get("triggers")

    def _submit(self, api: MpsApi, inputs: dict[str, Any]) -> str:
        fields = request_fields(self.spec)
        params = models.to_api(self.spec.model, {k: v for k, v in inputs.items() if k in fields})
        params["SessionId"] = inputs["session_id"]
        submitted_at = datetime.now(timezone.utc)
        try:
            return api.submit(self.spec.action, params)
        except ApiError as exc:
            if exc.code in self.spec.possible_duplicate_codes:
                try:
                    return self._find(api, inputs, submitted_at)
                except DuplicateNotFound:
                    raise exc from None
            if exc.code != DUPLICATE_SESSION:
                raise
        # The SessionId is taken: an earlier attempt (a lost answer, an interrupted apply) created the task.
        return self._find(api, inputs, submitted_at)

    def _find(self, api: MpsApi, inputs: dict[str, Any], submitted_at: datetime) -> str:
        return api.find_by_session(inputs["session_id"], self.spec.list_task_type, self.spec.dedup_window,
                                   submitted_at)

    def _wait(self, api: MpsApi, task_id: str, timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        delay = 1.0
        while True:
            summary = self.spec.summarize(api.task_detail(task_id))
            if summary["status"] == "FINISH":
                failed = [s for s in summary["subtasks"] if s["status"] == "FAIL"]
                if summary["err_code"] or failed:
                    first = failed[0] if failed else summary
                    raise TaskFailed(
                        f"task {task_id} finished with a failure: ErrCode {first['err_code'] or summary['err_code']}: "
                        f"{first['message'] or summary['message']}"
                    )
                return summary
            if time.monotonic() + delay > deadline:
                raise TaskFailed(f"task {task_id} is still {summary['status']} after {timeout_s:.0f} s")
            time.sleep(delay)
            delay = min(delay * 1.5, 30.0)
