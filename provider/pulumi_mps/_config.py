"""The one configuration provider: check / diff / create / read / update / delete of templates, workflows and
schedules over a generated :class:`ConfigSpec` (``_config_specs.py``).

Properties of a configuration resource (all snake_case):
- request fields: one per member of the kind's Create request (``name``, ``container``, ``video_template``, ...);
  a change to a member Modify takes is an update, to any other (``spec.immutable``) a replacement;
- the name (``name``, ``workflow_name``, ``schedule_name``): derived in check() unless given (README, "Names");
- ``triggers`` (any value; a change replaces the object under a new derived name);
- the id field (``definition``, ``workflow_id``, ``schedule_id``): given, adopt that object (nothing is created);
  it is also the resource's id and an output;
- ``enabled`` (kinds with a status): Enable / Disable, an update;
- ``resource_identity``, ``stack_marker``, ``program_problems``: as for tasks (``_core.py``);
- outputs: every member the Describe action reports of the object, plus ``declared_paths`` (which input paths the
  program set: a removed one that Modify cannot clear replaces the object) and ``adopted``.

The create call carries no idempotency key, so it is never re-sent blindly: before it, and after any failure
that MPS may have carried out, the provider looks for the object under the resource's derived name and adopts it
when the stack's marker proves the name is this stack's (README, "Templates").
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from typing import Any

from pulumi import log
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi.output import Unknown

from . import _retry, _stack, models
from ._base import IDENTITY, MARKER, CheckStart, MpsProvider, _redacting, contains_unknown, say
from ._client import MpsApi
from ._compat import PROVIDER_KEY
from ._errors import ApiError, MpsError, NotOwned, ObjectInitFailed
from ._secrets import SECRET_INPUTS
from ._session import canonical_value
from ._specs import ConfigSpec
from .models import is_unknown_value as is_unknown

NAME_DERIVED = "name_derived"
DECLARED = "declared_paths"
OUTPUT_EXTRAS = (DECLARED, "adopted")
# What Describe answers for an id it does not know, and Delete / Modify for one already gone: the templates'
# ResourceNotFound.TemplateNotExist (API docs, DeleteTranscodeTemplate / ModifyTranscodeTemplate error codes), and
# the workflow and schedule actions' InvalidParameterValue / ResourceNotFound forms of the same.
GONE_CODES = (
    "ResourceNotFound",
    "ResourceNotFound.TemplateNotExist",
    "ResourceNotFound.WorkflowNotExist",
    "ResourceNotFound.ScheduleNotExist",
    "InvalidParameterValue.WorkflowId",
    "InvalidParameterValue.ScheduleId",
    "InvalidParameterValue.Definition",
)
# The longest a new object's describe waits for the creates sent before it, to share their describe call.
LINGER_S = 0.05
# How long the Reads of a process share one listing of a kind's objects (a refresh's Reads run within it).
LISTING_TTL_S = 60.0
# WorkflowInfo.Status / SchedulesInfo.Status: "Enabled：已启用，Disabled：已禁用。"
STATUS_ENABLED = "Enabled"


def preset_definitions(kind: str) -> frozenset[int]:
    """The Definitions of the presets the docs list for a template family (``_schema/presets.py``)."""
    from ._schema.presets import presets

    return frozenset(presets().get(kind, {}))


def _preset_refusal(spec: ConfigSpec, definition: int) -> str:
    return (
        f"{spec.id_member} {definition} is a preset (system) {spec.kind}, which MPS lets nobody modify or delete: "
        f"name it in your tasks as it is (definition={definition}) instead of adopting it"
    )


def _is_gone(error: ApiError) -> bool:
    return error.code in GONE_CODES


def _name_safe(text: str) -> str:
    """A resource name as MPS takes it in a template name: letters (any script), digits, ``_``, ``-`` and ``.``
    (BlindWatermark's Name: "支持中文、英文、数字、_、-和. 六种格式"); anything else becomes ``-``."""
    return re.sub(r"[^\w.-]", "-", text) or "r"


def derive_name(
    spec: ConfigSpec, identity: str, marker: Any, immutable: dict[str, Any], triggers: Any
) -> str:
    """``<resource name>-<8 hex>``: the hex digits from the stack's marker, the resource's identity and the values of
    the members a replacement changes (and ``triggers``), so that retries and re-runs derive the same name and a
    replacement a new one. At most ``spec.name_max_length`` characters."""
    material = json.dumps(
        {
            "kind": spec.kind,
            "identity": identity,
            "marker": marker if isinstance(marker, str) else "",
            "immutable": immutable,
            "triggers": triggers,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    suffix = hashlib.sha256(material.encode("utf-8")).hexdigest()[:8]
    base = _name_safe(identity.split("/", 2)[-1])[: spec.name_max_length - len(suffix) - 1]
    return f"{base}-{suffix}"


def _strip_indexes(path: str) -> str:
    return re.sub(r"\[\d+\]", "", path)


def is_immutable(spec: ConfigSpec, path: str) -> bool:
    plain = _strip_indexes(path)
    return any(plain == p or plain.startswith(p + ".") for p in spec.immutable)


def immutable_values(spec: ConfigSpec, request: dict[str, Any]) -> dict[str, Any]:
    """The values of the members Modify cannot change, by path (absent ones left out)."""
    found: dict[str, Any] = {}
    for path in spec.immutable:
        value: Any = request
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            found[path] = value
    return found


def declared_paths(value: Any, prefix: str = "") -> list[str]:
    """The dotted paths of every dict key in ``value`` (lists are leaves)."""
    paths: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.append(path)
            paths += declared_paths(item, path)
    return paths


def drifted_paths(actual: Any, wanted: Any, path: str) -> list[str]:
    """The paths at which ``wanted`` (what the program set) differs from ``actual`` (what MPS reports); members the
    program does not set are never a difference, and neither are members MPS does not report at all (a member it
    reports as null is a difference)."""
    if is_unknown(wanted) or is_unknown(actual):
        return [path]
    if isinstance(wanted, dict):
        if not isinstance(actual, dict):
            return [path]
        found: list[str] = []
        for key in sorted(wanted):
            sub = f"{path}.{key}" if path else key
            if key in actual:
                found += drifted_paths(actual[key], wanted[key], sub)
        return found
    if isinstance(wanted, list):
        if not isinstance(actual, list) or len(actual) != len(wanted):
            return [path]
        return [
            p
            for i, (a, w) in enumerate(zip(actual, wanted, strict=True))
            for p in drifted_paths(a, w, f"{path}[{i}]")
        ]
    return [] if _same_scalar(actual, wanted) else [path]


def _same_scalar(actual: Any, wanted: Any) -> bool:
    """MPS reports some integers as strings (TranscodeTemplate.Definition) and the engine sends numbers as floats."""
    if actual == wanted:
        return True
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return False
    try:
        return float(actual) == float(wanted)
    except (TypeError, ValueError):
        return False


def snake_value(value: Any) -> Any:
    """An API answer's value with snake_case keys (the models' own name conversion) and secret members left out:
    MPS may report a NotifyKey or an S3 key, which never reaches the state from a read."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            snake = models.api_to_snake(str(key))
            if snake in models.SECRET_MEMBERS:
                continue
            out[snake] = snake_value(item)
        return out
    if isinstance(value, list):
        return [snake_value(v) for v in value]
    return value


class _Batch:
    def __init__(self) -> None:
        self.ids: list[int] = []
        self.done = threading.Event()
        self.found: dict[str, dict[str, Any]] = {}
        self.error: BaseException | None = None


class DescribeBatches:
    """Describes by ids of one kind share calls, as a database's group commit shares a flush: one call per kind is
    in flight at a time, and the ids asked for while it is (up to the action's page size) go together in the next
    one. The describe of a new object also waits, ``LINGER_S`` at most, for the creates of its kind that were sent
    before it was asked for (``expect`` / ``settle``): the creates the engine runs at once then share one call. A
    describe with nothing in flight and nothing expected is sent at once."""

    def __init__(self, linger_s: float = LINGER_S) -> None:
        self.linger_s = linger_s
        self._pending: dict[tuple[Any, str], _Batch] = {}
        self._busy: set[tuple[Any, str]] = set()
        self._started: dict[tuple[Any, str], int] = {}  # creates sent, by kind
        self._settled: dict[tuple[Any, str], int] = {}  # of those, described or failed
        self._cond = threading.Condition()

    def expect(self, api: MpsApi, spec: ConfigSpec) -> None:
        """A create of ``spec``'s kind is about to be sent: its describe (or ``settle``) follows."""
        key = (api.settings, spec.kind)
        with self._cond:
            self._started[key] = self._started.get(key, 0) + 1

    def settle(self, api: MpsApi, spec: ConfigSpec) -> None:
        """An expected create will not be described (it failed)."""
        key = (api.settings, spec.kind)
        with self._cond:
            self._settled[key] = self._settled.get(key, 0) + 1
            self._cond.notify_all()

    def unsettled(self, api: MpsApi, spec: ConfigSpec) -> int:
        """The creates of ``spec``'s kind sent and neither described nor settled yet."""
        key = (api.settings, spec.kind)
        with self._cond:
            return self._started.get(key, 0) - self._settled.get(key, 0)

    def describe(
        self, api: MpsApi, spec: ConfigSpec, id_: int, *, expected: bool = False
    ) -> dict[str, Any] | None:
        key = (api.settings, spec.kind)
        with self._cond:
            if expected:
                self._settled[key] = self._settled.get(key, 0) + 1
                self._cond.notify_all()
            batch = self._pending.get(key)
            leader = batch is None
            if batch is None:
                batch = self._pending[key] = _Batch()
            batch.ids.append(id_)
            if len(batch.ids) >= spec.page_limit:
                self._pending.pop(key, None)
        if leader:
            with self._cond:
                # The creates sent before this describe was asked for answer within about one round trip.
                awaited = self._started.get(key, 0)
                deadline = time.monotonic() + self.linger_s
                while (
                    self._settled.get(key, 0) < awaited
                    and self._pending.get(key) is batch
                    and (left := deadline - time.monotonic()) > 0
                ):
                    self._cond.wait(left)
                while key in self._busy:
                    self._cond.wait()
                self._busy.add(key)
                if self._pending.get(key) is batch:  # ids asked for from here on go in the next call
                    self._pending.pop(key)
            try:
                ids = sorted(set(batch.ids))
                answer = api.call(spec.describe, {spec.ids_filter: ids, "Limit": spec.page_limit})
                for item in answer.get(spec.list_member) or []:
                    batch.found[str(item.get(spec.id_member))] = item
            except BaseException as exc:  # every Read of the batch reports the call's failure
                batch.error = exc
            finally:
                with self._cond:
                    self._busy.discard(key)
                    self._cond.notify_all()
                batch.done.set()
        else:
            batch.done.wait()
        if batch.error is not None:
            raise batch.error
        return batch.found.get(str(id_))


class Listing:
    """The objects of one kind in the account (the custom ones where Describe filters by Type), read page by page
    as Reads ask for ids not seen yet, and shared by the Reads of one refresh: N objects cost ceil(N/page) calls
    when the stack's are the account's. An id not listed (made after the listing started, or gone) is described
    by id."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.items: dict[str, dict[str, Any]] = {}
        self.offset = 0
        self.done = False
        self.lock = threading.Lock()

    def find(self, api: MpsApi, spec: ConfigSpec, id_: int) -> dict[str, Any] | None:
        with self.lock:
            while str(id_) not in self.items and not self.done:
                self._next_page(api, spec)
            return self.items.get(str(id_))

    def named(self, api: MpsApi, spec: ConfigSpec, name: str) -> list[dict[str, Any]]:
        with self.lock:
            while not self.done:
                self._next_page(api, spec)
            return [item for item in self.items.values() if item.get(spec.name_member) == name]

    def _next_page(self, api: MpsApi, spec: ConfigSpec) -> None:
        items, self.done = list_page(api, spec, self.offset)
        for item in items:
            self.items[str(item.get(spec.id_member))] = item
        self.offset += len(items)


def list_page(
    api: MpsApi, spec: ConfigSpec, offset: int, name: str | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """One page of the kind's custom objects (where Describe filters by Type; named ``name`` where it filters by
    Name) from ``offset``, and whether it is the last."""
    params: dict[str, Any] = {"Limit": spec.page_limit, "Offset": offset}
    if name is not None and spec.name_filter:
        params["Name"] = name
    if spec.custom_filter:
        params["Type"] = "Custom"
    page = api.call(spec.describe, params)
    items = page.get(spec.list_member) or []
    return items, not items or offset + len(items) >= int(page.get("TotalCount") or 0)


class Reads:
    """How Reads find their objects: in the kind's shared listing (``Listing``, kept ``LISTING_TTL_S``), else in a
    Describe by ids shared with the Reads running at the same time (``DescribeBatches``)."""

    def __init__(self) -> None:
        self.batches = DescribeBatches()
        self._listings: dict[tuple[Any, str, str], Listing] = {}
        self._lock = threading.Lock()

    def _listing(self, api: MpsApi, spec: ConfigSpec, purpose: str = "reads") -> Listing:
        key = (api.settings, spec.kind, purpose)
        with self._lock:
            listing = self._listings.get(key)
            if listing is None or time.monotonic() - listing.started > LISTING_TTL_S:
                listing = self._listings[key] = Listing()
        return listing

    def describe(self, api: MpsApi, spec: ConfigSpec, id_: int) -> dict[str, Any] | None:
        return self._listing(api, spec).find(api, spec, id_) or self.batches.describe(api, spec, id_)

    def named(self, api: MpsApi, spec: ConfigSpec, name: str) -> list[dict[str, Any]]:
        """The objects named ``name`` exactly: those listed (the whole listing is read, once per process, apart from
        the Reads' own) and those this process created since (``created``)."""
        return self._listing(api, spec, "names").named(api, spec, name)

    def created(self, api: MpsApi, spec: ConfigSpec, object_id: int, name: str) -> None:
        """Record an object this process created, so that a later create of the same name finds it."""
        listing = self._listing(api, spec, "names")
        with listing.lock:
            listing.items[str(object_id)] = {spec.id_member: object_id, spec.name_member: name}


BATCHES = Reads()
# Objects this process adopted by name while creating a resource: a replacement that found its own object (`pulumi up
# --replace` of a resource whose derived name does not change) must not delete it as "the original".
_adopted_here: set[tuple[str, str]] = set()
_adopted_lock = threading.Lock()


class ConfigProvider(MpsProvider):
    """A Pulumi dynamic provider for one kind of MPS configuration object. Holds no state: subclasses set ``spec``."""

    spec: ConfigSpec

    # -- engine hooks -------------------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        spec = self.spec
        settings = {"triggers", spec.id_field, *(["enabled"] if spec.enable else [])}
        known = settings | {SECRET_INPUTS, NAME_DERIVED, *spec.outputs, *OUTPUT_EXTRAS}
        start = CheckStart(spec.kind, set(spec.fields), _olds, news, known)
        olds, news, fail, failures = start.olds, start.news, start.fail, start.failures
        request_in = start.request_in
        derived = spec.name_field not in request_in
        identity = start.identity()
        marker = news.get(MARKER)
        triggers = start.triggers(spec.kind)
        if derived:
            # Validate with a placeholder first: the name depends on the canonical values of the other members.
            request_in = {**request_in, spec.name_field: "-"}
        request = start.canonical(spec, request_in)
        if derived:
            unresolved = contains_unknown([immutable_values(spec, request), triggers, identity, marker])
            if unresolved:
                request[spec.name_field] = Unknown()
            elif (
                olds.get(NAME_DERIVED)
                and olds.get(spec.name_field)
                and self._same_object(olds, request, triggers)
            ):
                request[spec.name_field] = olds[spec.name_field]
            else:
                request[spec.name_field] = derive_name(
                    spec, str(identity), marker, immutable_values(spec, request), triggers
                )
        name = request.get(spec.name_field)
        if isinstance(name, str) and len(name) > spec.name_max_length:
            # The schema's own limit ("长度限制：64 个字符", "最多128字符"), read by tools/gen_kinds.py.
            failures.append(
                fail(spec.name_field, f"at most {spec.name_max_length} characters ({len(name)} given)")
            )
        start.validate(spec, request)
        inputs: dict[str, Any] = dict(request)
        inputs[NAME_DERIVED] = derived
        if triggers is not None:
            inputs["triggers"] = triggers
        adopt = news.get(spec.id_field)
        if adopt is not None:
            if not is_unknown(adopt):
                adopt = canonical_value(adopt)
                if isinstance(adopt, str) and adopt.strip().isdigit():
                    adopt = int(adopt)
                if isinstance(adopt, bool) or not isinstance(adopt, int) or adopt <= 0:
                    failures.append(
                        fail(spec.id_field, f"must be the {spec.id_member} of an existing object", adopt)
                    )
                elif adopt in preset_definitions(spec.kind):
                    failures.append(fail(spec.id_field, _preset_refusal(spec, adopt)))
            inputs[spec.id_field] = adopt
        if spec.enable:
            enabled = news.get("enabled", True)
            if not is_unknown(enabled) and not isinstance(enabled, bool):
                failures.append(fail("enabled", "must be a boolean", enabled))
            inputs["enabled"] = enabled
        inputs[IDENTITY] = identity
        if marker is not None:
            inputs[MARKER] = marker
        if SECRET_INPUTS in news:
            inputs[SECRET_INPUTS] = news[SECRET_INPUTS]
        return CheckResult(inputs, start.redacted_failures())

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        spec = self.spec
        fields = set(spec.fields)
        wanted = {k: v for k, v in news.items() if k in fields}
        changed = self._changed(olds, wanted)
        replaces = [p for p in changed if is_immutable(spec, p)]
        if canonical_value(olds.get("triggers")) != canonical_value(news.get("triggers")):
            replaces.append("triggers")
        adopt = news.get(spec.id_field)
        if adopt is not None and not is_unknown(adopt) and str(adopt) != str(olds.get(spec.id_field)):
            replaces.append(spec.id_field)
        removed = sorted(set(olds.get(DECLARED) or ()) - set(declared_paths(wanted)))
        if removed and not spec.modify_is_reset:
            replaces += [p for p in removed if not any(p.startswith(r + ".") for r in removed)]
        enabled = news.get("enabled") if spec.enable else None
        toggled = enabled is not None and (
            is_unknown(enabled) or enabled != (olds.get("status") == STATUS_ENABLED)
        )
        changes = bool(changed or replaces or removed or toggled)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=False)

    @_redacting
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec
        inputs = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        api = self._api()
        adopt = inputs.get(spec.id_field)
        if adopt:
            adopt = int(adopt)  # the engine sends every number as a float
            existing = self._describe_one(api, adopt)
            if existing is None:
                raise NotOwned(
                    f"cannot adopt {spec.kind} {spec.id_member} {adopt}: MPS reports no such object. Check the id "
                    f"and the region (tencentcloud:region), or leave `{spec.id_field}` out to create one"
                )
            if existing.get("Type") == "Preset" and spec.custom_filter:  # one the presets table does not list
                raise NotOwned(f"cannot adopt it: {_preset_refusal(spec, adopt)}")
            return CreateResult(str(adopt), self._outputs(inputs, existing, adopted=True))
        object_id, adopted = self._create(api, inputs)
        item: dict[str, Any] = {}
        try:
            # A new object is described with the creates running beside it (a shared Describe by ids).
            item = (
                BATCHES.batches.describe(api, self.spec, object_id, expected=True)
                if not adopted
                else self._describe_one(api, object_id, batched=False)
            ) or {}
            if adopted and item:
                # An earlier attempt's object, made from the spec of its time: bring it to the declared one.
                fields = set(spec.fields)
                wanted = {k: v for k, v in inputs.items() if k in fields}
                if drifted_paths(snake_value(item), wanted, ""):
                    self._modify(api, object_id, wanted, item.get("Status") == STATUS_ENABLED)
                    item = self._describe_one(api, object_id, batched=False) or {}
            if spec.enable:
                # A new workflow or schedule is disabled: "注意：创建工作流成功后是禁用状态，需要手动启用。" (api.json,
                # CreateWorkflow; CreateSchedule says the same of a schedule, "创建编排成功后是禁用状态").
                item = self._switch(api, object_id, bool(inputs.get("enabled", True)), item)
        except MpsError as exc:
            # The object exists: it must reach the state, or the next `up` could not show it is this resource's
            # (a name given explicitly) and would report it instead of finishing it. The outputs are what is known
            # of it (MPS's last description, else the inputs it was made from); the next `up` updates it.
            outputs = self._outputs(inputs, item, adopted=adopted)
            outputs[spec.id_field] = object_id
            raise ObjectInitFailed(
                f"{spec.kind} {spec.id_member} {object_id} was {'found' if adopted else 'created'} and is kept in "
                f"the state, but {exc}. Run `pulumi up` again to finish it",
                str(object_id),
                {**outputs, PROVIDER_KEY: props.get(PROVIDER_KEY)},
            ) from None
        outputs = self._outputs(inputs, item, adopted=adopted)
        outputs[spec.id_field] = object_id
        return CreateResult(str(object_id), outputs)

    @_redacting
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        api = self._api()
        try:
            item = BATCHES.describe(api, self.spec, int(id_))
        except ApiError as exc:
            if not _is_gone(exc):
                raise
            item = None
        if item is None:
            # Deleted outside Pulumi: the resource is gone, and the next `pulumi up` creates it again.
            return ReadResult("", {})
        return ReadResult(id_, self._outputs(state, item, adopted=bool(state.get("adopted"))))

    @_redacting
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = self.spec
        inputs = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        api = self._api()
        object_id = int(id_)
        fields = set(spec.fields)
        wanted = {k: v for k, v in inputs.items() if k in fields}
        changed = self._changed(olds, wanted)
        removed = set(olds.get(DECLARED) or ()) - set(declared_paths(wanted))
        if changed or removed:
            self._modify(api, object_id, wanted, olds.get("status") == STATUS_ENABLED)
        item = self._describe_one(api, object_id, batched=False) or {}
        if spec.enable:
            item = self._switch(api, object_id, bool(inputs.get("enabled", True)), item)
        outputs = self._outputs(inputs, item, adopted=bool(olds.get("adopted")))
        outputs[spec.id_field] = object_id
        return UpdateResult(outputs)

    @_redacting
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        spec = self.spec
        with _adopted_lock:
            if (spec.kind, id_) in _adopted_here:
                say(
                    log.warn,
                    f"{spec.kind} {spec.id_member} {id_} is kept: its replacement found it under the same derived "
                    "name and took it over. Change `triggers` to have a replacement make a new one",
                )
                return
        api = self._api()
        try:
            if spec.delete_requires_disabled and props.get("status") != "Disabled":
                # "对于已启用的工作流，需要禁用后才能删除" (DeleteWorkflow); the status may have changed since the state's.
                api.call(spec.disable, {spec.id_member: int(id_)})
            api.call(spec.delete, {spec.id_member: int(id_)})
        except ApiError as exc:
            if _is_gone(exc):
                return  # already deleted outside Pulumi
            raise ApiError(
                exc.action,
                exc.code,
                f"MPS refused to delete {spec.kind} {spec.id_member} {id_}: {exc.message}. If a workflow, schedule "
                "or another stack still uses it, remove that use first (or delete it in the MPS console), then run "
                "`pulumi destroy` again; `pulumi state delete` forgets it without deleting it",
                exc.request_id,
                answered=exc.answered,
            ) from None

    # -- helpers ------------------------------------------------------------------------------------------------
    def _changed(self, olds: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
        """The paths the program sets whose value differs from the object's, and the members it now sets that it
        did not before and that MPS does not report (so that they are not taken as unchanged)."""
        fields = set(self.spec.fields)
        actual = {k: v for k, v in olds.items() if k in fields}
        changed = drifted_paths(actual, wanted, "")
        changed += sorted(k for k in wanted if k not in actual and k not in changed)
        return changed

    def _modify(self, api: MpsApi, object_id: int, wanted: dict[str, Any], enabled: bool) -> None:
        """One Modify (Reset) call that brings the object to ``wanted``; an enabled workflow is disabled first, as
        ResetWorkflow requires ("重新设置一个已经存在且处于禁用状态的工作流"), and switched on again by ``_switch``."""
        spec = self.spec
        params = models.to_api(spec.request, wanted)
        if not spec.modify_is_reset:
            params = {k: v for k, v in params.items() if k in spec.modify_members}
        switched_off = spec.modify_requires_disabled and enabled
        if switched_off:
            api.call(spec.disable, {spec.id_member: object_id})
        try:
            api.call(spec.modify, {**params, spec.id_member: object_id})
        except MpsError:
            if switched_off:  # it runs on as it was rather than not at all
                try:
                    api.call(spec.enable, {spec.id_member: object_id})
                except MpsError as exc:
                    say(
                        log.warn,
                        f"{spec.kind} {spec.id_member} {object_id} was disabled to be changed and could not be "
                        f"enabled again ({exc}): the next `pulumi up` enables it",
                    )
            raise

    def _switch(self, api: MpsApi, object_id: int, enabled: bool, item: dict[str, Any]) -> dict[str, Any]:
        """Enable or disable the object unless it already is as asked; ``item`` with the status it now has."""
        spec = self.spec
        if (item.get("Status") == STATUS_ENABLED) != enabled:
            api.call(spec.enable if enabled else spec.disable, {spec.id_member: object_id})
            item = {**item, "Status": STATUS_ENABLED if enabled else "Disabled"}
        return item

    def _same_object(self, olds: dict[str, Any], request: dict[str, Any], triggers: Any) -> bool:
        """Whether the new inputs keep the old object (same members that only a replacement changes)."""
        old_request = models.normalize(
            self.spec.request, {k: v for k, v in olds.items() if k in self.spec.fields}
        )
        return (
            immutable_values(self.spec, old_request) == immutable_values(self.spec, request)
            and canonical_value(olds.get("triggers")) == triggers
        )

    def _describe_one(self, api: MpsApi, object_id: int, *, batched: bool = True) -> dict[str, Any] | None:
        if batched:
            return BATCHES.describe(api, self.spec, object_id)
        spec = self.spec
        try:
            answer = api.call(spec.describe, {spec.ids_filter: [object_id], "Limit": spec.page_limit})
        except ApiError as exc:
            if _is_gone(exc):
                return None
            raise
        return next(
            (i for i in answer.get(spec.list_member) or [] if str(i.get(spec.id_member)) == str(object_id)),
            None,
        )

    def _outputs(self, inputs: dict[str, Any], item: dict[str, Any], *, adopted: bool) -> dict[str, Any]:
        """The inputs, overlaid with what MPS reports of the object (snake_case, secret members left out)."""
        spec = self.spec
        fields = set(spec.fields)
        outputs = {k: v for k, v in inputs.items() if k not in spec.outputs or k in fields}
        for key, value in snake_value(item).items():
            if key in spec.outputs:
                outputs[key] = value
        if item:
            outputs[spec.id_field] = int(item.get(spec.id_member) or outputs.get(spec.id_field) or 0)
        outputs[DECLARED] = declared_paths({k: v for k, v in inputs.items() if k in fields})
        outputs["adopted"] = adopted
        return outputs

    def _find_by_name(self, api: MpsApi, name: str) -> list[dict[str, Any]]:
        """The custom objects named ``name`` exactly (the Name filter's matching is not documented as exact), from
        a fresh search."""
        found: list[dict[str, Any]] = []
        offset, done = 0, False
        while not done:
            items, done = list_page(api, self.spec, offset, name)
            found += [i for i in items if i.get(self.spec.name_member) == name]
            offset += len(items)
        return found

    def _create(self, api: MpsApi, inputs: dict[str, Any]) -> tuple[int, bool]:
        """Create the object, exactly once: (its id, whether an earlier attempt's object was adopted)."""
        spec = self.spec
        name = inputs[spec.name_field]
        derived = bool(inputs.get(NAME_DERIVED))
        owned = derived and _stack.proves_ownership(inputs.get(MARKER))
        fields = set(spec.fields)
        params = models.to_api(spec.request, {k: v for k, v in inputs.items() if k in fields})
        # Before the first attempt an interrupted `up` may have made it: the creates of one process share one
        # listing of the kind to look in. After a failure MPS may have carried out, a fresh search by name.
        if derived or spec.unique_name:
            found = BATCHES.named(api, spec, name)
            if found:
                return self._adopt_found(found, name, owned), True
        look = False
        attempts = 0
        while True:
            if look:
                found = self._find_by_name(api, name)
                if found:
                    return self._adopt_found(found, name, owned), True
            attempts += 1
            started = time.monotonic()
            BATCHES.batches.expect(api, spec)  # its describe follows (create), or it settles here
            try:
                try:
                    answer = api.call(spec.create, params, retry=False)
                    object_id = int(answer[spec.id_member])
                except BaseException:
                    BATCHES.batches.settle(api, spec)
                    raise
                BATCHES.created(api, spec, object_id, name)
                return object_id, False
            except ApiError as exc:
                policy = api.retrier.policy
                if not _retry.is_retryable(exc.code) or attempts >= policy.max_attempts:
                    if _retry.may_have_run(exc.code) and not owned:
                        raise ApiError(
                            exc.action,
                            exc.code,
                            f"{exc.message}. MPS may have created {spec.kind} {name!r} all the same; a "
                            f"{'derived' if derived else 'given'} name cannot show it is this resource's, so "
                            f"look for it in the MPS console and adopt it with `{spec.id_field}=`, or delete it",
                            exc.request_id,
                            answered=exc.answered,
                        ) from None
                    raise
                # Before trying again, look for what this attempt may have made (never a blind second create).
                look = look or _retry.may_have_run(exc.code)
                time.sleep(
                    min(policy.delay(attempts), max(0.0, policy.deadline_s - (time.monotonic() - started)))
                )

    def _adopt_found(self, found: list[dict[str, Any]], name: str, owned: bool) -> int:
        spec = self.spec
        ids = ", ".join(str(i.get(spec.id_member)) for i in found)
        if not owned:
            raise NotOwned(
                f"MPS already holds {spec.kind} {name!r} ({spec.id_member} {ids}), which this resource cannot show "
                "it made: its name was given explicitly (or derived without this stack's random marker), and "
                f"another resource or stack may use the same. Adopt it with `{spec.id_field}={found[0].get(spec.id_member)}` "
                f"if it is this resource's, or choose another `{spec.name_field}`"
            )
        newest = max(found, key=lambda i: (str(i.get("CreateTime") or ""), int(i.get(spec.id_member) or 0)))
        object_id = int(newest[spec.id_member])
        if len(found) > 1:
            say(
                log.warn,
                f"{spec.kind} {name!r}: MPS holds {len(found)} objects under this resource's derived name "
                f"({spec.id_member} {ids}); adopting the newest, {object_id}",
            )
        with _adopted_lock:
            _adopted_here.add((spec.kind, str(object_id)))
        say(
            log.info,
            f"{spec.kind} {name!r}: found {spec.id_member} {object_id}, made by an earlier attempt; adopting it",
        )
        return object_id
