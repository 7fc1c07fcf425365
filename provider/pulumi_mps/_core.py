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

import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar

from pulumi import log
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi.output import Unknown

from . import _retry, _settings, _stack, models
from ._base import (
    IDENTITY,
    MARKER,
    CheckStart,
    MpsProvider,
    _redacting,
    contains_unknown,
    say,
)
from ._client import DUPLICATE_SESSION, RECENT, MpsApi, format_time, parse_time
from ._compat import PROVIDER_KEY
from ._errors import (
    ApiError,
    DuplicateNotFound,
    TaskFailed,
    TaskInitFailed,
    TaskNotFound,
    TaskNotOwned,
    WrongTaskKind,
)
from ._finished import FinishedTasks
from ._replacing import Replacements
from ._secrets import SECRET_INPUTS
from ._session import (
    MAX_LENGTH,
    canonical_value,
    derive_rerun_session_id,
    derive_session_id,
    derive_session_id_v2,
)
from ._specs import TaskSpec, kind_of
from .models import is_unknown_value as is_unknown
from .models._empty import without_empty

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
FINISHED = FinishedTasks(SUMMARY)
# The SessionId the inputs asked for, as an output of a task that runs under a re-run SessionId (_replacing.py).
REQUESTED = "requested_session_id"
# The tasks a resource held before, requested SessionId -> TaskId (_replacing.py).
REPLACED_TASKS = "replaced_tasks"
REPLACEMENTS = Replacements()
_T = TypeVar("_T")


def request_fields(spec: TaskSpec) -> set[str]:
    """The request members a resource submits as given; SessionId is the provider's own (derived or overridden)."""
    return set(spec.fields) - {"session_id"}


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


def failure_of(task_id: str, summary: dict[str, Any]) -> str | None:
    """Why a FINISH task failed (its first failed sub-task, or its own ErrCode); None when it did not."""
    subtasks = summary.get("subtasks") or []
    failed = [s for s in subtasks if s.get("status") == "FAIL"]
    if failed:
        first = failed[0]
        return (
            f"task {task_id} finished with a failed {first['type']} sub-task "
            f"({len(failed)} of {len(subtasks)} failed): ErrCode {first['err_code']}: {first['message']}"
        )
    if summary.get("err_code"):
        return (
            f"task {task_id} finished with a failure: ErrCode {summary['err_code']}: {summary.get('message')}"
        )
    return None


class TaskProvider(MpsProvider):
    """A Pulumi dynamic provider for one kind of MPS task. Holds no state: subclasses only set ``spec``."""

    spec: TaskSpec

    # -- engine hooks -------------------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        fields = request_fields(self.spec)
        known = set(REPLACING) | set(SETTINGS) | {SECRET_INPUTS, *OUTPUTS}
        start = CheckStart(self.spec.kind, fields, _olds, news, known)
        olds, news, fail, failures = start.olds, start.news, start.fail, start.failures
        request = start.canonical(self.spec, start.request_in)
        start.validate(self.spec, request)
        inputs: dict[str, Any] = dict(request)
        for key, kind in SETTINGS.items():
            if key in news:
                value = news[key]
                if not is_unknown(value) and (
                    not isinstance(value, kind) or (kind is bool) != isinstance(value, bool)
                ):
                    failures.append(fail(key, f"must be a {'boolean' if kind is bool else 'number'}", value))
                inputs[key] = canonical_value(value)
        timeout = inputs.get("wait_timeout_seconds")
        if (
            isinstance(timeout, (int, float))
            and not isinstance(timeout, bool)
            and not 0 < timeout < float("inf")
        ):
            failures.append(
                fail("wait_timeout_seconds", "must be a number of seconds greater than 0", timeout)
            )
        if "triggers" in news:
            inputs["triggers"] = start.triggers("task")
        task_id = news.get("task_id")
        if task_id is not None:
            if not is_unknown(task_id) and (not isinstance(task_id, str) or not task_id.strip()):
                failures.append(fail("task_id", "must be a non-empty TaskId string", task_id))
            inputs["task_id"] = task_id
        identity = start.identity()
        inputs[IDENTITY] = identity
        marker = news.get(MARKER)
        if marker is not None:
            inputs[MARKER] = marker
        if SECRET_INPUTS in news:
            inputs[SECRET_INPUTS] = news[SECRET_INPUTS]
        session = news.get("session_id")
        if session is not None:
            if not is_unknown(session) and (
                not isinstance(session, str) or not 0 < len(session) <= MAX_LENGTH
            ):
                reason = f"must be 1 to {MAX_LENGTH} characters"
                if session == "":
                    reason += (
                        " (MPS reads an empty SessionId as no deduplication at all, so a retried or re-run "
                        "`up` could submit the task twice: leave session_id out to have one derived)"
                    )
                failures.append(fail("session_id", reason, session))
            inputs["session_id"] = session
        elif not contains_unknown([request, inputs.get("triggers"), identity, marker]):
            if olds.get("session_id") and self._same_task(olds, inputs):
                inputs["session_id"] = olds["session_id"]
            else:
                inputs["session_id"] = self._derive(inputs)
        else:
            inputs["session_id"] = Unknown()
        # No part of a secret in any message, whatever the reason quotes (README, "Configuration", Secrets).
        return CheckResult(inputs, start.redacted_failures())

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # For a create that replaces this resource (_replacing.py).
        REPLACEMENTS.saw(
            olds.get(REQUESTED) or olds.get("session_id"),
            olds.get("task_id"),
            olds.get(REPLACED_TASKS),
            olds.get(IDENTITY),
        )
        replaces: list[str] = []
        fields = request_fields(self.spec)
        for key in sorted(fields | {"triggers", "session_id"}):
            if key in olds or key in news:
                old, new = olds.get(key), news.get(key)
                if key == "session_id" and REQUESTED in olds:  # a re-run: compare what the inputs asked for
                    old = olds[REQUESTED]
                if (
                    old != new and key in fields
                ):  # recorded before empty members were left out (README, "Inputs")
                    old = without_empty(self.spec.request, {key: old}).get(key)
                replaces += changed_paths(old, new, key)
        if news.get("task_id") is not None and news.get("task_id") != olds.get("task_id"):
            replaces.append("task_id")
        changes = [k for k in SETTINGS if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(replaces or changes), replaces=replaces, delete_before_replace=False)

    @_redacting
    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        api = self._api()
        outs = dict(inputs)
        if inputs.get("task_id"):
            task_id, adopted = inputs["task_id"], True
            try:
                detail = api.task_detail(task_id)
            except TaskNotFound as exc:
                raise TaskNotFound(
                    f"cannot adopt task {task_id}: {exc}. MPS reports tasks of the last 7 days only."
                ) from None
            self._check_kind(task_id, detail)
            summary = self.spec.summarize(detail)
            REPLACEMENTS.adopted(task_id)  # the resource this one replaces, if any, must leave it alone
        else:
            requested = inputs["session_id"]
            session_id = self._rerun_session_id(inputs)
            task_id, adopted = self._submit(api, inputs, session_id), False
            if session_id != requested:
                outs.update({"session_id": session_id, REQUESTED: requested})
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
        outs.update({**summary, "task_id": task_id, "adopted": adopted})
        history = REPLACEMENTS.history(inputs.get(IDENTITY))
        if history:  # what this resource held before, so that a spec edited back runs again
            outs[REPLACED_TASKS] = history
        if inputs.get("wait_for_completion"):
            # The task exists from here on: whatever the wait ends in, it is recorded (README, "Inputs").
            outs = self._waited(api, task_id, outs, props)
        return CreateResult(task_id, outs)

    def _rerun_session_id(self, inputs: dict[str, Any]) -> str:
        """The SessionId to submit with: the inputs', unless this create replaces a task submitted under it (a
        replacement with the request and triggers unchanged: ``pulumi up --replace``, ...), which it runs again
        under the re-run SessionId (README, "The SessionId contract")."""
        requested: str = inputs["session_id"]
        replaced = REPLACEMENTS.replaced(requested)
        if replaced is None:
            return requested
        if self._derive(inputs) != requested:
            raise TaskNotOwned(
                f"this replacement would run under session_id {requested}, the SessionId of task {replaced}, which it "
                f"replaces; MPS refuses a SessionId for {self.spec.dedup_window.days} days after its first use, so "
                "no new task can run under it. Give the resource another session_id (or leave session_id out to "
                "have one derived), or change `triggers`."
            )
        return derive_rerun_session_id(requested, replaced)

    @_redacting
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the task's outputs, with as few calls as that takes: none for a task recorded or just seen FINISH
        or still listed in a steady status, else one DescribeTaskDetail (README, "Refresh and destroy").

        No inputs are returned: the engine keeps the inputs it holds, so a refresh never changes them. A task that
        ``wait_for_completion`` waits for and that is not FINISH without a failure is reported as a resource that
        failed to initialize: the refresh warns, and the next ``pulumi up`` waits for it again."""
        outs = self._read(id_, {k: v for k, v in props.items() if k != PROVIDER_KEY})
        unfinished = self._unfinished(id_, outs)
        if unfinished:
            raise TaskInitFailed(unfinished, id_, {**outs, PROVIDER_KEY: props.get(PROVIDER_KEY)})
        return ReadResult(id_, outs)

    def _read(self, id_: str, state: dict[str, Any]) -> dict[str, Any]:
        status = state.get("status")
        if status == "FINISH" and all(k in state for k in SUMMARY):
            return state
        api = self._api()
        finished = FINISHED.get(api.settings, id_)
        if finished is not None:
            return {**state, **finished, "task_id": id_}
        created = parse_time(state.get("create_time"))
        if status in self.spec.steady and created is not None and api.still_listed(id_, status, created):
            return state
        try:
            summary = self.spec.summarize(api.task_detail(id_))
        except TaskNotFound:
            # MPS forgets tasks after 7 days. The task ran: keep the resource and its last known outputs, since
            # reporting it gone would make the next `pulumi up` submit it again.
            return state
        if summary["status"] == "FINISH":
            FINISHED.put(api.settings, id_, summary)
        return {**state, **summary, "task_id": id_}

    @_redacting
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Settings only: no API call, except that ``wait_for_completion`` waits again for a task not recorded as
        FINISH without a failure (the ``up`` after one whose wait failed, or that turned the setting on)."""
        kept = {k: v for k, v in olds.items() if k in OUTPUTS or k in ("task_id", REQUESTED, REPLACED_TASKS)}
        if REQUESTED in olds:  # a re-run: its task's SessionId, not the one the inputs ask for
            kept["session_id"] = olds.get("session_id")
        inputs = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        outs = {**inputs, **kept}
        if self._unfinished(_id, outs):
            try:
                outs = self._waited(self._api(), _id, outs, news, forgotten_ok=True)
            except TaskNotFound:
                pass  # MPS no longer reports it (7 days): nothing to wait for
        return UpdateResult(outs)

    @_redacting
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        # The replacement created after this delete runs it again (_replacing.py).
        REPLACEMENTS.saw(
            props.get(REQUESTED) or props.get("session_id"),
            id_,
            props.get(REPLACED_TASKS),
            props.get(IDENTITY),
        )
        if REPLACEMENTS.holds(id_):
            # A create of this deployment holds it: the resource that replaces this one adopted it (create-first,
            # as a `task_id` resource is replaced). Aborting it would leave that resource with an aborted task.
            say(log.info, f"task {id_} is held by the resource that replaces this one: it is left as it is")
            return
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
    def _abortable(self, api: MpsApi, id_: str, props: dict[str, Any]) -> str | None:
        """The task's status when destroy should abort it, else None (gone, finished, or not this resource's)."""
        try:
            detail = api.task_detail(id_)
        except TaskNotFound:
            return None
        carried, own = detail.get("SessionId") or "", props.get("session_id") or ""
        if carried and own and carried != own and not props.get("adopted"):
            say(
                log.warn,
                f"task {id_} carries SessionId {carried}, not this resource's {own}: it is left as it is",
            )
            return None
        status = detail.get("Status")
        return status if status in self.spec.abortable else None

    def _check_kind(self, task_id: str, detail: dict[str, Any]) -> None:
        """Fail unless the task ``task_id`` (its DescribeTaskDetail answer) is of this resource's kind."""
        task_type, fits = kind_of(detail)
        if fits is self.spec:
            return
        what = f"a {task_type} task" if task_type else "a task of a type MPS does not name"
        hint = (
            f"adopt it with {fits.kind}(task_id={task_id!r}) instead"
            if fits is not None
            else f"no pulumi-mps resource adopts it ({self.spec.kind} adopts {' or '.join(self.spec.detail_keys)} tasks)"
        )
        raise WrongTaskKind(f"cannot adopt task {task_id} as a {self.spec.kind}: it is {what}; {hint}")

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

    def _submit(self, api: MpsApi, inputs: dict[str, Any], session_id: str) -> str:
        fields = request_fields(self.spec)
        params = models.to_api(self.spec.request, {k: v for k, v in inputs.items() if k in fields})
        params["SessionId"] = session_id
        submitted_at = datetime.now(timezone.utc)
        try:
            return api.submit(self.spec.action, params)
        except ApiError as exc:
            duplicate = exc
        # The SessionId may be taken: by an earlier attempt of this create (a lost answer), an interrupted apply of
        # this stack, or someone else. Adopt the task that carries it only when it is this resource's own.
        if duplicate.code in self.spec.possible_duplicate_codes:
            try:
                task_id = self._find(api, session_id, submitted_at)
            except DuplicateNotFound:
                raise duplicate from None
        elif duplicate.code == DUPLICATE_SESSION:
            task_id = self._find(api, session_id, submitted_at)
        else:
            raise duplicate
        task_id = self._adopt(api, inputs, session_id, task_id, duplicate, submitted_at)
        REPLACEMENTS.adopted(task_id)  # the resource this one replaces, if any, must leave it alone
        return task_id

    def _adopt(
        self,
        api: MpsApi,
        inputs: dict[str, Any],
        session_id: str,
        task_id: str,
        duplicate: ApiError,
        submitted_at: datetime,
    ) -> str:
        """``task_id``, which carries ``session_id``, when this resource can show it is its own (README,
        "Adoption"); else :class:`TaskNotOwned`."""
        # Derived with this stack's random marker (or re-run from such a SessionId): only this stack knows it.
        if self._derive(inputs) == inputs["session_id"] and _stack.proves_ownership(inputs.get(MARKER)):
            return task_id
        created = parse_time(api.task_detail(task_id).get("CreateTime"))
        if (
            any(_retry.may_have_run(code) for code in duplicate.earlier)
            and created is not None
            and created >= submitted_at - RECENT
        ):
            return task_id
        if _settings.adopt_duplicates():
            say(
                log.info,
                f"adopting task {task_id}, which carries SessionId {session_id}, as mps:adoptDuplicates asks",
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

    def _find(self, api: MpsApi, session_id: str, submitted_at: datetime) -> str:
        return api.find_by_session(
            session_id, self.spec.list_task_types, self.spec.dedup_window, submitted_at
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

    def _waited(
        self,
        api: MpsApi,
        task_id: str,
        outs: dict[str, Any],
        props: dict[str, Any],
        forgotten_ok: bool = False,
    ) -> dict[str, Any]:
        """``outs`` once ``wait_for_completion`` waited for the task; :class:`TaskInitFailed` with the outputs as last
        known when the wait ends in anything but a task FINISH without a failure."""
        try:
            return {
                **outs,
                **self._wait(api, task_id, float(outs.get("wait_timeout_seconds") or DEFAULT_WAIT_TIMEOUT_S)),
            }
        except TaskNotFound:
            if forgotten_ok:
                raise
            reason = f"task {task_id} was submitted, but MPS does not report it yet"
            last: dict[str, Any] | None = None
        except TaskFailed as exc:
            reason, last = str(exc), exc.summary
        except Exception as exc:  # noqa: BLE001 - the task exists: it is recorded whatever went wrong
            reason, last = f"task {task_id} was submitted, but waiting for it failed: {exc}", None
        outs = {**outs, **(last or {}), PROVIDER_KEY: props.get(PROVIDER_KEY)}
        raise TaskInitFailed(reason, task_id, outs) from None

    def _unfinished(self, task_id: str, outs: dict[str, Any]) -> str | None:
        """Why a task that ``wait_for_completion`` waits for is not done, from its outputs; None when it is
        FINISH without a failure, or not waited for."""
        if not outs.get("wait_for_completion"):
            return None
        status = outs.get("status") or "not reported"
        if status != "FINISH":
            return f"task {task_id} is still {status} (wait_for_completion): the next `pulumi up` waits for it again"
        return failure_of(task_id, outs)

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
                f"(wait_timeout_seconds {timeout_s:g}); it is recorded in the state: `pulumi refresh` follows it, "
                "the next `pulumi up` waits for it again, `pulumi destroy` acts on it",
                dict(last) or None,
            )
        failed = failure_of(task_id, summary)
        if failed:
            raise TaskFailed(failed, summary)
        return summary
