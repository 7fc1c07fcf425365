"""The one task provider: check / diff / create / read / update / delete over a :class:`TaskSpec`.

Properties of a task resource (all snake_case):
- request fields: one per API request member (``input_info``, ``media_process_task``, ...); a change replaces;
- ``triggers`` (any value; a change replaces), ``session_id`` (derived in check() unless given; a change
  replaces), ``task_id`` (given: adopt that task, nothing is submitted; a change replaces);
- settings that act only in the provider (``abort_on_delete``, ``wait_for_completion``, ``wait_timeout_seconds``):
  a change is an in-place update with no API call;
- ``resource_identity``: ``<project>/<stack>/<name>``, set by the resource class, part of the SessionId;
- ``stack_marker``: the stack's marker (``_stack.py``), set by the resource class, part of new SessionIds;
- ``program_problems``: what the program side found wrong (reported by check(), never stored);
- outputs: ``task_id``, ``status``, ``create_time``, ``begin_process_time``, ``finish_time``, ``err_code``,
  ``message``, ``subtasks``, ``output_paths``, ``adopted``.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from pulumi import log
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

from . import _compat, _retry, _settings, _stack, models
from ._advice import advice
from ._client import DUPLICATE_SESSION, RECENT, MpsApi, format_time, parse_time
from ._compat import PROVIDER_KEY
from ._errors import ApiError, DuplicateNotFound, TaskFailed, TaskNotFound, TaskNotOwned
from ._finished import FinishedTasks
from ._session import MAX_LENGTH, canonical_value, derive_session_id, derive_session_id_v2, non_finite_paths
from ._specs import TaskSpec
from .models import is_unknown_value as is_unknown

IDENTITY = "resource_identity"
MARKER = "stack_marker"
PROBLEMS = "program_problems"
REPLACING = ("triggers", "session_id", "task_id")
SETTINGS: dict[str, type | tuple[type, ...]] = {
    "abort_on_delete": bool,
    "wait_for_completion": bool,
    "wait_timeout_seconds": (int, float),
}
# The outputs a DescribeTaskDetail answer gives (TaskSpec.summarize), then the others.
SUMMARY = (
    "status",
    "create_time",
    "begin_process_time",
    "finish_time",
    "err_code",
    "message",
    "subtasks",
    "output_paths",
)
OUTPUTS = (*SUMMARY, "adopted")
DEFAULT_WAIT_TIMEOUT_S = 3600
# How much of an offending value an error message shows.
SHOWN_VALUE_CHARS = 60
FINISHED = FinishedTasks(SUMMARY)


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


def shown_value(value: Any, loc: tuple[Any, ...] = ()) -> str:
    """``value`` as an error message shows it: JSON, shortened; ``[secret]`` when it is or holds a secret."""
    if any(isinstance(part, str) and part in models.SECRET_MEMBERS for part in loc) or holds_secret(value):
        return "[secret]"
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    if len(text) > SHOWN_VALUE_CHARS:
        text = f"{text[: SHOWN_VALUE_CHARS - 3]}... ({len(text)} characters)"
    return text


@functools.lru_cache(maxsize=4096)
def _is_secret_key(key: str) -> bool:
    return models.api_to_snake(key) in models.SECRET_MEMBERS


def holds_secret(value: Any) -> bool:
    """Whether ``value`` (any input form) holds a secret member (an S3 key, a NotifyKey, ...) at any depth."""
    if isinstance(value, dict):
        return any(_is_secret_key(str(k)) or holds_secret(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_secret(v) for v in value)
    return False


_ABSENT = object()


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        found = (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)) or (
            isinstance(data, dict) and part in data
        )
        if not found:
            return _ABSENT
        data = data[part]
    return data


def failure(path: str, reason: str, value: Any = _ABSENT, loc: tuple[Any, ...] = ()) -> CheckFailure:
    """A check failure naming ``path`` in its text, with the offending value shortened.

    The property is left empty on purpose: the engine prints a failure's property value by looking the property up
    among the top-level inputs, so a nested path shows as ``value {<nil>}`` and a large top-level value is printed
    whole."""
    text = f"{path}: {reason}" if path else reason
    if value is not _ABSENT and value is not None and not is_unknown(value):
        text += f" (value: {shown_value(value, loc)})"
    return CheckFailure("", text)


class TaskProvider(ResourceProvider):
    """A Pulumi dynamic provider for one kind of MPS task. Holds no state: subclasses only set ``spec``."""

    spec: TaskSpec

    # -- engine hooks -------------------------------------------------------------------------------------------
    def configure(self, req: ConfigureRequest) -> None:
        # The public ``Config.get`` of each key the provider reads (fully qualified, so no project default).
        _settings.set_stack_config({key: req.config.get(key) for key in _settings.CONFIG_KEYS})
        _compat.widen_provider_server()

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        olds = {k: v for k, v in (_olds or {}).items() if k != PROVIDER_KEY}
        news = {k: v for k, v in news.items() if k != PROVIDER_KEY and v is not None}
        fields = request_fields(self.spec)
        failures = [failure("", problem) for problem in _settings.offline_problems()]
        problems = news.get(PROBLEMS)
        failures += [failure("", str(p)) for p in problems] if isinstance(problems, list) else []
        request_in = {k: v for k, v in news.items() if k in fields}
        known = fields | set(REPLACING) | set(SETTINGS) | {IDENTITY, MARKER, PROBLEMS, *OUTPUTS}
        for key in sorted(set(news) - known):
            failures.append(failure(key, f"unknown property for {self.spec.kind}"))
        request = models.normalize(self.spec.request, request_in)
        failures += [
            failure(p.path, p.reason, _at(request, p.loc), p.loc)
            for p in models.validate(self.spec.request, request)
        ]
        if not failures and not contains_unknown(request):
            for path, message in advice(self.spec.request, request):  # what the docs only recommend
                log.warn(f"{self.spec.kind} {path}: {message} (a warning only; MPS decides)")
        inputs: dict[str, Any] = dict(request)
        for key, kind in SETTINGS.items():
            if key in news:
                value = news[key]
                if not is_unknown(value) and (
                    not isinstance(value, kind) or (kind is bool) != isinstance(value, bool)
                ):
                    failures.append(
                        failure(key, f"must be a {'boolean' if kind is bool else 'number'}", value)
                    )
                inputs[key] = canonical_value(value)
        timeout = inputs.get("wait_timeout_seconds")
        if (
            isinstance(timeout, (int, float))
            and not isinstance(timeout, bool)
            and not 0 < timeout < float("inf")
        ):
            failures.append(
                failure("wait_timeout_seconds", "must be a number of seconds greater than 0", timeout)
            )
        if "triggers" in news:
            inputs["triggers"] = canonical_value(news["triggers"])
            for path in non_finite_paths(inputs["triggers"], "triggers"):
                failures.append(
                    failure(
                        path,
                        "NaN and infinite numbers never compare equal, so every `pulumi up` "
                        'would replace the task: use a string (such as "nan") instead',
                    )
                )
        task_id = news.get("task_id")
        if task_id is not None:
            if not is_unknown(task_id) and (not isinstance(task_id, str) or not task_id.strip()):
                failures.append(failure("task_id", "must be a non-empty TaskId string", task_id))
            inputs["task_id"] = task_id
        identity = news.get(IDENTITY)
        if identity is None:
            failures.append(
                failure(IDENTITY, "missing: create task resources through the pulumi_mps classes")
            )
        inputs[IDENTITY] = identity
        marker = news.get(MARKER)
        if marker is not None:
            inputs[MARKER] = marker
        session = news.get("session_id")
        if session is not None:
            if not is_unknown(session) and (
                not isinstance(session, str) or not 0 < len(session) <= MAX_LENGTH
            ):
                failures.append(failure("session_id", f"must be 1 to {MAX_LENGTH} characters", session))
            inputs["session_id"] = session
        elif not contains_unknown([request, inputs.get("triggers"), identity, marker]):
            if olds.get("session_id") and self._same_task(olds, inputs):
                inputs["session_id"] = olds["session_id"]
            else:
                inputs["session_id"] = self._derive(inputs)
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
            summary = {
                "status": "WAITING",
                "create_time": "",
                "begin_process_time": "",
                "finish_time": "",
                "err_code": 0,
                "message": "",
                "subtasks": [],
                "output_paths": [],
            }
        if inputs.get("wait_for_completion"):
            summary = self._wait(
                api, task_id, float(inputs.get("wait_timeout_seconds") or DEFAULT_WAIT_TIMEOUT_S)
            )
        return CreateResult(task_id, {**inputs, **summary, "task_id": task_id, "adopted": adopted})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the task's outputs, with as few calls as that takes: none for a task recorded or just seen FINISH
        or still listed in a steady status, else one DescribeTaskDetail (README, "Refresh and destroy").

        No inputs are returned: the engine keeps the inputs it holds, so a refresh never changes them."""
        state = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        status = state.get("status")
        if status == "FINISH" and all(k in state for k in SUMMARY):
            return ReadResult(id_, state)
        api = self._api()
        finished = FINISHED.get(api.settings, id_)
        if finished is not None:
            return ReadResult(id_, {**state, **finished, "task_id": id_})
        created = parse_time(state.get("create_time"))
        if status in self.spec.steady and created is not None and api.still_listed(id_, status, created):
            return ReadResult(id_, state)
        try:
            summary = self.spec.summarize(api.task_detail(id_))
        except TaskNotFound:
            # MPS forgets tasks after 7 days. The task ran: keep the resource and its last known outputs, since
            # reporting it gone would make the next `pulumi up` submit it again.
            return ReadResult(id_, state)
        if summary["status"] == "FINISH":
            FINISHED.put(api.settings, id_, summary)
        return ReadResult(id_, {**state, **summary, "task_id": id_})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        kept = {k: v for k, v in olds.items() if k in OUTPUTS or k == "task_id"}
        inputs = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        return UpdateResult({**inputs, **kept})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if not props.get("abort_on_delete", self.spec.abort_on_delete):
            return
        api = self._api()
        status = self._abortable(api, id_, props)
        if status is None:
            return
        try:
            api.abort(id_)
        except ApiError as exc:
            # The task may have moved on since it was described (finished, or started where only WAITING tasks can
            # be aborted): then there is nothing to abort. Otherwise the API's own code and message say why.
            status = self._abortable(api, id_, props)
            if status is None:
                return
            raise TaskFailed(
                f"could not abort task {id_}, which stays {status}: {exc}. Abort it in the MPS console (or with "
                "ManageTask), then run `pulumi destroy` again; or set abort_on_delete=False to leave it running"
            ) from None

    # -- helpers ------------------------------------------------------------------------------------------------
    def _api(self) -> MpsApi:
        return MpsApi(_settings.resolve())

    def _abortable(self, api: MpsApi, id_: str, props: dict[str, Any]) -> str | None:
        """The task's status when destroy should abort it, else None (gone, finished, or not this resource's)."""
        try:
            detail = api.task_detail(id_)
        except TaskNotFound:
            return None
        carried, own = detail.get("SessionId") or "", props.get("session_id") or ""
        if carried and own and carried != own and not props.get("adopted"):
            log.warn(
                f"task {id_} carries SessionId {carried}, not this resource's {own}: it is left as it is"
            )
            return None
        status = detail.get("Status")
        return status if status in self.spec.abortable else None

    def _derive(self, inputs: dict[str, Any]) -> str:
        """The SessionId of a new task: ``pmps2-`` with the stack's marker, ``pmps1-`` without one."""
        fields = request_fields(self.spec)
        request = {k: v for k, v in inputs.items() if k in fields}
        marker = inputs.get(MARKER)
        identity = str(inputs.get(IDENTITY))
        if isinstance(marker, str) and marker:
            return derive_session_id_v2(
                self.spec.kind, identity.split("/", 2)[-1], marker, request, inputs.get("triggers")
            )
        return derive_session_id(self.spec.kind, identity, request, inputs.get("triggers"))

    def _same_task(self, olds: dict[str, Any], inputs: dict[str, Any]) -> bool:
        fields = request_fields(self.spec)
        old_request = models.normalize(self.spec.request, {k: v for k, v in olds.items() if k in fields})
        new_request = {k: v for k, v in inputs.items() if k in fields}
        return old_request == new_request and canonical_value(olds.get("triggers")) == inputs.get("triggers")

    def _submit(self, api: MpsApi, inputs: dict[str, Any]) -> str:
        fields = request_fields(self.spec)
        params = models.to_api(self.spec.request, {k: v for k, v in inputs.items() if k in fields})
        session_id = params["SessionId"] = inputs["session_id"]
        submitted_at = datetime.now(timezone.utc)
        try:
            return api.submit(self.spec.action, params)
        except ApiError as exc:
            duplicate = exc
        # The SessionId may be taken: by an earlier attempt of this create (a lost answer), an interrupted apply of
        # this stack, or someone else. Adopt the task that carries it only when it is this resource's own.
        if duplicate.code in self.spec.possible_duplicate_codes:
            try:
                task_id = self._find(api, inputs, submitted_at)
            except DuplicateNotFound:
                raise duplicate from None
        elif duplicate.code == DUPLICATE_SESSION:
            task_id = self._find(api, inputs, submitted_at)
        else:
            raise duplicate
        if self._derive(inputs) == session_id and _stack.proves_ownership(inputs.get(MARKER)):
            return task_id
        created = parse_time(api.task_detail(task_id).get("CreateTime"))
        if (
            any(_retry.may_have_run(code) for code in duplicate.earlier)
            and created is not None
            and created >= submitted_at - RECENT
        ):
            return task_id
        if _settings.adopt_duplicates():
            log.info(
                f"adopting task {task_id}, which carries SessionId {session_id}, as mps:adoptDuplicates asks"
            )
            return task_id
        raise TaskNotOwned(
            f"MPS reports SessionId {session_id} as already used by task {task_id} (created "
            f"{format_time(created) if created else 'at an unknown time'}), which this resource cannot show it "
            f"submitted: {self._why_unproven(inputs)}. pulumi-mps never takes over a task it cannot show is its own "
            "(destroying the resource could abort another stack's task). If it is this resource's task (left by an "
            f'interrupted `pulumi up`, say), adopt it with `task_id="{task_id}"`, or run one `pulumi up` with '
            "`pulumi config set mps:adoptDuplicates true` to adopt every such task; otherwise change `triggers` (or "
            "`session_id`) to submit a task of its own."
        )

    def _find(self, api: MpsApi, inputs: dict[str, Any], submitted_at: datetime) -> str:
        return api.find_by_session(
            inputs["session_id"], self.spec.list_task_types, self.spec.dedup_window, submitted_at
        )

    def _why_unproven(self, inputs: dict[str, Any]) -> str:
        marker = inputs.get(MARKER)
        if self._derive(inputs) != inputs["session_id"]:
            return "its session_id was given explicitly, and another resource or stack may give the same one"
        if not isinstance(marker, str) or not marker:
            return "its SessionId was derived without a stack marker, as another stack of the same name derives it"
        return (
            "this stack's marker was derived from its name (its first `pulumi up` ran with "
            "PULUMI_SKIP_CHECKPOINTS), as another stack of the same name derives it"
        )

    def _wait(
        self,
        api: MpsApi,
        task_id: str,
        timeout_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> dict[str, Any]:
        last: dict[str, Any] = {}

        def finished() -> dict[str, Any] | None:
            last.update(self.spec.summarize(api.task_detail(task_id)))
            return last if last["status"] == "FINISH" else None

        summary, waited = _retry.poll(finished, timeout_s, clock=clock, sleep=sleep)
        if summary is None:
            raise TaskFailed(
                f"task {task_id} is still {last['status'] or 'not reported'} after {waited:.1f} s "
                f"(wait_timeout_seconds {timeout_s:g}); `pulumi refresh` follows it from here"
            )
        failed = [s for s in summary["subtasks"] if s["status"] == "FAIL"]
        if failed:
            first = failed[0]
            raise TaskFailed(
                f"task {task_id} finished with a failed {first['type']} sub-task "
                f"({len(failed)} of {len(summary['subtasks'])} failed): ErrCode {first['err_code']}: "
                f"{first['message']}"
            )
        if summary["err_code"]:
            raise TaskFailed(
                f"task {task_id} finished with a failure: ErrCode {summary['err_code']}: {summary['message']}"
            )
        return summary
