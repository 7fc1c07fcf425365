"""Templates, and the engine every configuration object of the emulator runs on (templates, workflows, schedules).

A kind of configuration object is one :class:`ConfigKind` row: its actions, the members that identify and name
it, its listing's object and page size, and the few facts that differ. The 17 template families are read from
the schema (every ``Create<X>Template`` with its ``Modify``, ``Delete`` and ``Describe<X>Templates``); workflows and
schedules are the rows of ``_workflows``. :class:`Configs` answers every action of every kind the same way:

- Create stores the request's members (secrets masked) per account (AppId) and answers the new id from one
  sequence (``CUSTOM_ID_BASE`` + n, as the examples' custom templates 200022 ... 304479).
- Describe answers ``<X>Set`` items shaped by the schema's response object: every member of the request that the
  object has, under the same name and nested objects alike; members never set are ``null``. ``TranscodeTemplate``
  writes its Definition as a string, as its object says. Presets first (highest id first), then the account's
  own, newest first, as the SmartErase and SmartSubtitle examples list them.
- Modify merges: a member left out stays as it is and nested objects merge member by member (``*ForUpdate``
  objects have nothing required); lists are replaced. A kind whose Modify is a reset (ResetWorkflow) replaces
  every member. UpdateTime moves.
- Modify and Delete of a preset: ``InvalidParameterValue.ModifyDefaultTemplate`` / ``.DeleteDefaultTemplate``; of an
  unknown id or another account's: ``ResourceNotFound.TemplateNotExist`` (or the code the action's SDK list names
  instead, see ``_errors.TemplateNotFound``).

Rules that reject input, each with its sentence of the docs (api.json unless said otherwise):

- Name at most 64 characters ("长度限制：64 个字符", every Create/Modify<X>Template), Comment at most 256 ("长度限制：256
  个字符"): ``InvalidParameterValue.Name`` / ``.Comment`` (or the action's listed code).
- Describe: Limit up to 100, 50 for AIRecognition and ContentReview ("返回记录条数，默认值：10，最大值：100" / "最大值：50"):
  ``InvalidParameterValue.Limit``; at most 100 ids ("数组长度限制：100"): ``InvalidParameterValue.Definitions``; Type
  ``Preset`` or ``Custom`` ("可选值： Preset：系统预置模板； Custom：用户自定义模板"): ``InvalidParameterValue.Type``. For
  Watermark and BlindWatermark, Type is the watermark kind and filters as given.
- Create beyond the family's quota ("数量上限：N" in the action's docs, ``QUOTAS``): ``LimitExceeded.TooMuchTemplate``,
  where the action's SDK list names that code.

Filters: ``Name`` keeps the templates whose name contains it (the docs do not say whether it is exact, so a client
must compare names itself); any other filter that names a member of the listed object keeps equal values
(``ContainerType``, ``EraseType``, ``ProcessType``, ``PureAudio``); filters on what the emulator does not model
(``TEHDType``, ``TranscodeType``, ``SceneType``, ``CompressType``, ``Enhance*``, ``OrderBy``) are ignored.

Tasks and templates: :meth:`Configs.task_templates` resolves, when a task is created, each Definition its
sub-tasks name (0 means the sub-task's RawParameter). ProcessLiveStream refuses an unknown one with
``InvalidParameterValue.Definition`` (its error list). ProcessMedia's error list names no such code; the docs'
task-level table does ("InvalidInput.DefinitionNotExist：输入参数不合法：指定的模板 ID 不存在", 862/50369, the list
``ErrCodeExt`` refers to), so the task is accepted and that sub-task FAILs with ErrCodeExt
``InvalidInput.DefinitionNotExist`` while the others run (``_results.MISSING_TEMPLATE_ERROR``; its ErrCode
40000 is the emulator's).
The docs say nothing about deleting a template a workflow or schedule uses: the emulator allows it, and a task
the workflow starts afterwards fails that sub-task as above.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._schema.presets import Preset, presets
from ._clock import VirtualClock, format_iso
from ._errors import (
    DeleteDefaultTemplate,
    EmulatorError,
    InvalidParameterValue,
    ModifyDefaultTemplate,
    NameTaken,
    TemplateNotFound,
    TooMuchTemplate,
    UnknownDefinition,
)
from ._results import ResultBuilder, asked
from ._sdk_codes import SDK_CODES, pick
from ._secrets import mask, strip
from ._store import ConfigRecord, Store
from ._validate import as_number

if TYPE_CHECKING:
    from ._backend import Account

CUSTOM_ID_BASE = 200000
PAGE_SIZE = 10  # "默认值：10" (every Describe's Limit)
MAX_IDS = 100  # "数组长度限制：100" (every Describe's Definitions / WorkflowIds / ScheduleIds)
TEMPLATE_NAME_MAX = 64
COMMENT_MAX = 256
PRESET, CUSTOM = "Preset", "Custom"

# "返回记录条数，默认值：10，最大值：50" (DescribeAIRecognitionTemplates, DescribeContentReviewTemplates); the others 100.
_MAX_LIMIT = {"AIRecognitionTemplate": 50, "ContentReviewTemplate": 50}
# "数量上限：N" in each Create action's docs (CreateTranscodeTemplate "创建用户自定义转码模板，数量上限：1000", ...).
_QUOTAS = {
    "TranscodeTemplate": 1000,
    "WatermarkTemplate": 1000,
    "AIAnalysisTemplate": 50,
    "AIRecognitionTemplate": 50,
    "ContentReviewTemplate": 50,
    "QualityControlTemplate": 50,
    "AdaptiveDynamicStreamingTemplate": 100,
    "AnimatedGraphicsTemplate": 16,
    "ImageSpriteTemplate": 16,
    "SampleSnapshotTemplate": 16,
    "SnapshotByTimeOffsetTemplate": 16,
}
# DeleteAIAnalysisTemplate / ModifyAIAnalysisTemplate: "模板 ID 为 10000 以下的为系统预置模板，不允许删除/修改".
_PRESETS_BELOW = {"AIAnalysisTemplate": 10000}
# CreateTranscodeTemplateRequest.Container: "其中，mp3、flac、ogg、m4a、wav 为纯音频文件" (TranscodeTemplate.ContainerType
# "PureAudio：纯音频格式"; "Video" otherwise).
_PURE_AUDIO = frozenset({"mp3", "flac", "ogg", "m4a", "wav"})
# The template family a kind of sub-task names by its Definition (``RESULT_KINDS`` markers); AI dubbing has none.
TASK_FAMILIES = {
    "transcode": "TranscodeTemplate",
    "animatedgraphics": "AnimatedGraphicsTemplate",
    "snapshotbytimeoffset": "SnapshotByTimeOffsetTemplate",
    "samplesnapshot": "SampleSnapshotTemplate",
    "imagesprites": "ImageSpriteTemplate",
    "adaptivedynamicstreaming": "AdaptiveDynamicStreamingTemplate",
    "aicontentreview": "ContentReviewTemplate",
    "aianalysis": "AIAnalysisTemplate",
    "airecognition": "AIRecognitionTemplate",
    "aiqualitycontrol": "QualityControlTemplate",
    "smartsubtitles": "SmartSubtitleTemplate",
    "smarterase": "SmartEraseTemplate",
}
# Actions that refuse a task naming an unknown template (the others accept it and fail that sub-task).
_REFUSES_UNKNOWN_TEMPLATES = frozenset({"ProcessLiveStream"})

Overlay = Callable[[dict[str, Any], int, str], None]
Handler = Callable[[dict[str, Any], "Account"], dict[str, Any]]
# (kind, action, request, the stored object or None for a Create); raises to refuse.
Check = Callable[["ConfigKind", str, Mapping[str, Any], "ConfigRecord | None"], None]


@dataclass(frozen=True)
class ConfigKind:
    kind: str  # "TranscodeTemplate", "Workflow", "Schedule"
    create: str
    modify: str
    delete: str
    describe: str
    id_member: str  # the Create answer's id, the Modify/Delete/... request's key
    ids_filter: str
    name_member: str
    list_member: str  # the Describe answer's list
    item: str  # the schema object of its items
    enable: str = ""
    disable: str = ""
    max_limit: int = 100
    name_max: int = TEMPLATE_NAME_MAX
    comment_max: int | None = COMMENT_MAX
    typed: bool = False  # Type is the object's own (watermark kind), not Preset / Custom
    reset: bool = False  # Modify replaces every member (ResetWorkflow)
    unique_name: bool = False
    has_status: bool = False  # Enabled / Disabled, Disabled when created
    quota: int | None = None
    overlay: Overlay | None = (
        None  # what its listed object shows differently from the request (with evidence)
    )
    paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # filters on nested members


@dataclass(frozen=True)
class _Entry:
    """A preset or a stored object, as Describe sees it."""

    id: int
    body: Mapping[str, Any]
    created: str
    updated: str
    preset: bool
    status: str | None = None
    appid: str = ""


def _transcode_view(item: dict[str, Any], config_id: int, appid: str) -> None:
    if item.get("Container"):
        item.setdefault(
            "ContainerType", "PureAudio" if str(item["Container"]).lower() in _PURE_AUDIO else "Video"
        )


def _watermark_view(item: dict[str, Any], config_id: int, appid: str) -> None:
    """The image is uploaded: the listed ImageTemplate has ImageUrl ("水印图片地址") instead of ImageContent, and
    Create/Modify answer it (CreateWatermarkTemplateResponse.ImageUrl)."""
    if item.get("Type") == "image":
        url = f"https://mps-emulator.invalid/watermark/{appid}/{config_id}.png"
        image = {k: v for k, v in (item.get("ImageTemplate") or {}).items() if k != "ImageContent"}
        item["ImageTemplate"] = {**image, "ImageUrl": url}
        item["ImageUrl"] = url


def _process_image_view(item: dict[str, Any], config_id: int, appid: str) -> None:
    """CreateProcessImageTemplate.ProcessImageTemplate is listed as ProcessImageConfig (both ImageTaskInput,
    "图片处理模板配置参数")."""
    if "ProcessImageTemplate" in item:
        item["ProcessImageConfig"] = item.pop("ProcessImageTemplate")


_OVERLAYS: dict[str, Overlay] = {
    "TranscodeTemplate": _transcode_view,
    "WatermarkTemplate": _watermark_view,
    "ProcessImageTemplate": _process_image_view,
}


def template_kinds(schema: Mapping[str, Any]) -> list[ConfigKind]:
    """One row per template family of the schema."""
    objects, actions = schema["objects"], schema["actions"]
    kinds = []
    for action in sorted(actions):
        family = re.fullmatch(r"Create(\w+)Template", action)
        if family is None:
            continue
        kind, describe = f"{family[1]}Template", f"Describe{family[1]}Templates"
        listed = next(m for m in objects[actions[describe]["output"]]["members"] if m["type"] == "list")
        requested = {m["name"] for m in objects[actions[action]["input"]]["members"]}
        listed_code = "LimitExceeded.TooMuchTemplate" in SDK_CODES.get(action, frozenset())
        kinds.append(
            ConfigKind(
                kind=kind,
                create=action,
                modify=f"Modify{family[1]}Template",
                delete=f"Delete{family[1]}Template",
                describe=describe,
                id_member="Definition",
                ids_filter="Definitions",
                name_member="Name",
                list_member=listed["name"],
                item=listed["member"],
                max_limit=_MAX_LIMIT.get(kind, 100),
                typed="Type" in requested,
                quota=_QUOTAS.get(kind) if listed_code else None,
                overlay=_OVERLAYS.get(kind),
            )
        )
    return kinds


def merge(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """``old`` with ``new``'s members: nested objects merge member by member, null leaves a member as it is."""
    out = dict(old)
    for key, value in new.items():
        if value is None:
            continue
        previous = out.get(key)
        out[key] = merge(previous, value) if isinstance(value, dict) and isinstance(previous, dict) else value
    return out


class Configs:
    """Every configuration object of every account (thread-safe through the backend's lock and the store)."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        store: Store,
        clock: VirtualClock,
        lock: threading.RLock,
        results: ResultBuilder,
        secrets: frozenset[str],
        kinds: Iterable[ConfigKind],
        checks: Mapping[str, Sequence[Check]] | None = None,
    ) -> None:
        self._actions = schema["actions"]
        self._request_members = {
            name: [m["name"] for m in obj["members"]] for name, obj in schema["objects"].items()
        }
        self.store, self.clock, self.lock = store, clock, lock
        self._results, self._secrets = results, secrets
        self.kinds = {kind.kind: kind for kind in kinds}
        self._checks = checks or {}

    def handlers(self) -> dict[str, Handler]:
        """The answer of every action of every kind."""
        out: dict[str, Handler] = {}
        for kind in self.kinds.values():
            out[kind.create] = functools.partial(self._create, kind)
            out[kind.modify] = functools.partial(self._modify, kind)
            out[kind.delete] = functools.partial(self._delete, kind)
            out[kind.describe] = functools.partial(self._describe, kind)
            if kind.has_status:
                out[kind.enable] = functools.partial(self._switch, kind, kind.enable, "Enabled")
                out[kind.disable] = functools.partial(self._switch, kind, kind.disable, "Disabled")
        return out

    # The actions.

    def _create(self, kind: ConfigKind, params: dict[str, Any], account: Account) -> dict[str, Any]:
        action, appid = kind.create, str(account.appid)
        self._check_texts(kind, action, params)
        with self.lock, self.store.transaction():
            now = self.clock.now()
            self._check_name(kind, action, params.get(kind.name_member), appid, None)
            if kind.quota is not None and self.store.count_configs(kind.kind, appid) >= kind.quota:
                raise TooMuchTemplate(f"An account has at most {kind.quota} {kind.kind}s.")
            self._run_checks(kind, action, params, None)
            body = mask(params, self._secrets)
            status = "Disabled" if kind.has_status else None  # "创建工作流成功后是禁用状态，需要手动启用"
            record = ConfigRecord(
                kind.kind, appid, str(body.get(kind.name_member) or ""), status, now, now, body
            )
            self.store.insert_config(record, CUSTOM_ID_BASE)
        return self._answer(kind, action, record)

    def _modify(self, kind: ConfigKind, params: dict[str, Any], account: Account) -> dict[str, Any]:
        action = kind.modify
        self._check_texts(kind, action, params)
        with self.lock, self.store.transaction():
            record = self._find(kind, action, params, account, ModifyDefaultTemplate)
            self._run_checks(kind, action, params, record)
            changes = mask({k: v for k, v in params.items() if k != kind.id_member}, self._secrets)
            body = changes if kind.reset else merge(record.body, changes)
            name = body.get(kind.name_member)
            self._check_name(kind, action, name, record.appid, record)
            record.body, record.name, record.updated = body, str(name or ""), self.clock.now()
            self.store.update_config(record)
        return self._answer(kind, action, record)

    def _delete(self, kind: ConfigKind, params: dict[str, Any], account: Account) -> dict[str, Any]:
        with self.lock, self.store.transaction():
            record = self._find(kind, kind.delete, params, account, DeleteDefaultTemplate)
            self._run_checks(kind, kind.delete, params, record)
            self.store.delete_config(record)
        return {}

    def _switch(
        self, kind: ConfigKind, action: str, status: str, params: dict[str, Any], account: Account
    ) -> dict[str, Any]:
        with self.lock, self.store.transaction():
            record = self._find(kind, action, params, account, None)
            self._run_checks(kind, action, params, record)
            record.status = status
            self.store.update_config(record)
        return {}

    def _describe(self, kind: ConfigKind, params: dict[str, Any], account: Account) -> dict[str, Any]:
        action = kind.describe
        ids = {int(as_number("int64", x)) for x in params.get(kind.ids_filter) or []}
        if len(params.get(kind.ids_filter) or []) > MAX_IDS:
            code = pick(
                action,
                f"InvalidParameterValue.{kind.ids_filter}",
                "InvalidParameterValue",
                "InvalidParameter",
            )
            raise InvalidParameterValue(
                f"The parameter `{kind.ids_filter}` has more than {MAX_IDS} items.", code
            )
        limit = int(as_number("int64", params.get("Limit") or PAGE_SIZE))
        if limit > kind.max_limit:
            code = pick(action, "InvalidParameterValue.Limit", "InvalidParameterValue", "InvalidParameter")
            raise InvalidParameterValue(f"The parameter `Limit` must be at most {kind.max_limit}.", code)
        offset = max(0, int(as_number("int64", params.get("Offset") or 0)))
        wanted = self._filters(kind, action, params)
        entries = self._entries(kind, str(account.appid), ids)
        if not kind.typed:  # Type is Preset or Custom: known without shaping the object
            types = {str(value) for path, value, _ in wanted if path == ("Type",)}
            wanted = [f for f in wanted if f[0] != ("Type",)]
            entries = [e for e in entries if not types or {PRESET if e.preset else CUSTOM} == types]
        if wanted:
            items = [
                item for item in map(functools.partial(self._listed, kind), entries) if _matches(item, wanted)
            ]
            total, page = len(items), items[offset : offset + limit]
        else:  # only the page is shaped
            total, page = len(entries), [self._listed(kind, e) for e in entries[offset : offset + limit]]
        answer = {"TotalCount": total, kind.list_member: page}
        return self._conform(self._actions[action]["output"], answer)

    # Tasks and templates.

    def task_templates(self, action: str, params: Mapping[str, Any], appid: str) -> dict[str, Any]:
        """What a new task of ``action`` keeps of the templates it names: ``missing`` ([marker, Definition] of the
        sub-tasks whose template does not exist), ``containers`` (each transcode Definition's Container) and, for a
        ScheduleId without Activities, the account's schedule's ``activities`` ("Activities优先级大于ScheduleId").
        Raises for an action that refuses unknown templates."""
        missing: list[list[Any]] = []
        containers: dict[str, str] = {}
        activities = None
        schedule_id = as_number("int64", params.get("ScheduleId"))
        if isinstance(schedule_id, int) and not params.get("Activities"):
            entry = self._entry("Schedule", appid, schedule_id)
            activities = entry.body.get("Activities") if entry is not None else None
        for result_kind, item in asked({**params, "Activities": activities} if activities else params):
            family = TASK_FAMILIES.get(result_kind.marker)
            definition = as_number("int64", item.get("Definition"))
            if family is None or not isinstance(definition, int) or definition == 0:
                continue
            entry = self._entry(family, appid, definition)
            if entry is None:
                missing.append([result_kind.marker, definition])
            elif entry.body.get("Container"):
                containers[str(definition)] = str(entry.body["Container"]).lower()
        if missing and action in _REFUSES_UNKNOWN_TEMPLATES:
            marker, definition = missing[0]
            raise UnknownDefinition(f"The {TASK_FAMILIES[marker]} `{definition}` does not exist.")
        kept = (("missing", missing), ("containers", containers), ("activities", activities))
        return {k: v for k, v in kept if v}

    def listing(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every stored object (no presets) for the admin listing: Kind, AppId, Id, Name, Status, times, body."""
        out = []
        for record in self.store.list_configs(kind):
            out.append(
                {
                    "Kind": record.kind,
                    "AppId": int(record.appid),
                    "Id": record.id,
                    "Name": record.name,
                    "Status": record.status,
                    "CreateTime": format_iso(record.created),
                    "UpdateTime": format_iso(record.updated),
                    "Body": record.body,
                }
            )
        return out

    # Helpers.

    def _entry(self, kind: str, appid: str, config_id: int) -> _Entry | None:
        preset = presets().get(kind, {}).get(config_id)
        if preset is not None:
            return _preset_entry(preset)
        record = self.store.get_config(kind, config_id)
        if record is None or record.appid != appid:
            return None
        return _record_entry(record)

    def _entries(self, kind: ConfigKind, appid: str, ids: set[int]) -> list[_Entry]:
        """Every object the account sees of ``kind`` (those of ``ids`` when given), in the listing's order."""
        preset_entries = [_preset_entry(p) for p in sorted(presets().get(kind.kind, {}).values(), key=_by_id)]
        own = [_record_entry(r) for r in reversed(self.store.list_configs(kind.kind, appid, ids or None))]
        return [e for e in (*reversed(preset_entries), *own) if not ids or e.id in ids]

    def _listed(self, kind: ConfigKind, entry: _Entry) -> dict[str, Any]:
        """An object shaped as its Describe action lists it."""
        return self._conform(kind.item, self._view(kind, entry))

    def _view(self, kind: ConfigKind, entry: _Entry) -> dict[str, Any]:
        """The object's members under the names its listed object uses, before shaping."""
        item = dict(strip(entry.body, self._secrets))
        if kind.overlay is not None:
            kind.overlay(item, entry.id, entry.appid)
        item[kind.id_member] = entry.id
        item["CreateTime"], item["UpdateTime"] = entry.created, entry.updated
        if not kind.typed:
            item["Type"] = PRESET if entry.preset else CUSTOM
        if kind.has_status:
            item["Status"] = entry.status
        return item

    def _answer(self, kind: ConfigKind, action: str, record: ConfigRecord) -> dict[str, Any]:
        return self._conform(self._actions[action]["output"], self._view(kind, _record_entry(record)))

    def _conform(self, object_name: str, value: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in self._results.conform(object_name, value).items() if k != "RequestId"}

    def _find(
        self,
        kind: ConfigKind,
        action: str,
        params: Mapping[str, Any],
        account: Account,
        refuse: type[EmulatorError] | None,
    ) -> ConfigRecord:
        """The account's object the request names; presets refused with ``refuse``; else not found."""
        config_id = int(as_number("int64", params[kind.id_member]))
        record = self.store.get_config(kind.kind, config_id)
        if record is not None and record.appid == str(account.appid):
            return record
        is_preset = config_id in presets().get(kind.kind, {}) or config_id < _PRESETS_BELOW.get(kind.kind, 0)
        if refuse is not None and is_preset:
            raise refuse(f"The {kind.kind} `{config_id}` is a preset; presets cannot be changed or deleted.")
        code = pick(
            action,
            "ResourceNotFound.TemplateNotExist",
            "ResourceNotFound",
            "InvalidParameterValue.Definition",
        )
        raise TemplateNotFound(f"The {kind.kind} `{config_id}` does not exist.", code)

    def _check_texts(self, kind: ConfigKind, action: str, params: Mapping[str, Any]) -> None:
        for member, limit in ((kind.name_member, kind.name_max), ("Comment", kind.comment_max)):
            value = params.get(member)
            if limit is not None and isinstance(value, str) and len(value) > limit:
                suffix = "Name" if member == kind.name_member else member
                code = pick(
                    action, f"InvalidParameterValue.{suffix}", "InvalidParameterValue", "InvalidParameter"
                )
                raise InvalidParameterValue(
                    f"The parameter `{member}` is longer than {limit} characters.", code
                )

    def _check_name(
        self,
        kind: ConfigKind,
        action: str,
        name: Any,
        appid: str,
        record: ConfigRecord | None,
    ) -> None:
        if not kind.unique_name or not name:
            return
        others = self.store.list_configs(kind.kind, appid, name=str(name))
        if any(record is None or other.seq != record.seq for other in others):
            code = pick(action, "InvalidParameterValue", "InvalidParameter")
            raise NameTaken(f"The account already has a {kind.kind} named `{name}`.", code)

    def _run_checks(
        self, kind: ConfigKind, action: str, params: Mapping[str, Any], record: ConfigRecord | None
    ) -> None:
        for check in self._checks.get(action, ()):
            check(kind, action, params, record)

    def _filters(self, kind: ConfigKind, action: str, params: Mapping[str, Any]) -> list[_Filter]:
        """The Describe request's filters, checked: (path in the listed object, wanted value, contains?)."""
        skip = {kind.ids_filter, "Offset", "Limit"}
        wanted: list[_Filter] = []
        type_ = params.get("Type")
        if type_ and not kind.typed and type_ not in (PRESET, CUSTOM):
            code = pick(action, "InvalidParameterValue.Type", "InvalidParameterValue", "InvalidParameter")
            raise InvalidParameterValue("The parameter `Type` must be Preset or Custom.", code)
        status = params.get("Status")
        if status and kind.has_status and status not in ("Enabled", "Disabled"):
            code = pick(action, "InvalidParameterValue", "InvalidParameter")
            raise InvalidParameterValue("The parameter `Status` must be Enabled or Disabled.", code)
        listed = set(self._request_members[kind.item])
        for name, value in params.items():
            if name in skip or value is None or value == "":
                continue
            path = kind.paths.get(name) or ((name,) if name in listed else None)
            if path is not None:
                wanted.append((path, value, name == "Name"))
        return wanted


_Filter = tuple[tuple[str, ...], Any, bool]


def _matches(item: Mapping[str, Any], wanted: Iterable[_Filter]) -> bool:
    for path, value, contains in wanted:
        found: Any = item
        for key in path:
            found = found.get(key) if isinstance(found, dict) else None
        if found is None:
            return False
        if contains and str(value) not in str(found):
            return False
        if not contains and str(found) != str(value):
            return False
    return True


def _by_id(preset: Preset) -> int:
    return preset.definition


def _preset_entry(preset: Preset) -> _Entry:
    return _Entry(preset.definition, preset.body, preset.created, preset.updated, True)


def _record_entry(record: ConfigRecord) -> _Entry:
    return _Entry(
        record.id,
        record.body,
        format_iso(record.created),
        format_iso(record.updated),
        False,
        record.status,
        record.appid,
    )
