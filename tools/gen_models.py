"""Render ``provider/pulumi_mps/models/_generated.py`` (pydantic v2 input models) and ``_tables.py`` (their member
tables, without pydantic) from the generated MPS schema.

Called by ``tools/generate.py`` (``render_models(schema)``); not a command of its own. One class per API object
of the task actions' request trees (``tools/task_actions.py``), fields in API order, dependencies before their
users.
"""

from __future__ import annotations

import importlib.util
import keyword
from pathlib import Path
from types import ModuleType
from typing import Any

from config_kinds import CONFIG_KINDS
from task_actions import TASK_ACTIONS

ROOT = Path(__file__).resolve().parent.parent
NAMING = ROOT / "provider" / "pulumi_mps" / "models" / "_naming.py"

# Request roots and the action each one belongs to.
ROOTS = {
    **{f"{action}Request": action for action in TASK_ACTIONS},
    **{f"{k.create}Request": k.create for k in CONFIG_KINDS},
}
SCALARS = {
    "string": "StrictStr",
    "int64": "Int64",
    "uint64": "UInt64",
    "float": "Float",
    "bool": "StrictBool",
}
DOC_LIMIT = 300
# Response-side boilerplate that says nothing about an input.
DOC_NOISE = ("注意：此字段可能返回 null，表示取不到有效值。", "注意：此字段可能返回 null，表示取不到有效值")
# The tables ``_tables.py`` holds and ``_generated`` re-exports.
TABLES = [
    "API_TO_SNAKE",
    "CONDITIONS",
    "FIELDS",
    "MODEL_NAMES",
    "SECRET_FIELDS",
    "SECRET_MEMBERS",
    "WARNINGS",
]
# Attribute names pydantic's BaseModel already uses (a field may not shadow them).
RESERVED = {
    "construct",
    "copy",
    "dict",
    "from_orm",
    "json",
    "parse_file",
    "parse_obj",
    "parse_raw",
    "schema",
    "schema_json",
    "update_forward_refs",
    "validate",
    "fields",
}


def _load_naming() -> ModuleType:
    """The runtime's own name converter, loaded by path so a stale generated module cannot break generation."""
    spec = importlib.util.spec_from_file_location("_pulumi_mps_naming", NAMING)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


api_to_snake = _load_naming().api_to_snake


class GenerationError(SystemExit):
    """The schema cannot be rendered as models (name collision, unsupported rule...)."""


def closure(objects: dict, root: str) -> set[str]:
    """Every object reachable from ``root`` (root included)."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(m["member"] for m in objects[name]["members"] if m["member"] in objects)
    return seen


def class_order(objects: dict) -> list[str]:
    """Dependencies first (post-order DFS from the roots, members in API order); fails on a cycle."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in visiting:
            raise GenerationError(f"cyclic object reference: {' -> '.join((*trail, name))}")
        visiting.add(name)
        for m in objects[name]["members"]:
            if m["member"] in objects:
                visit(m["member"], (*trail, name))
        visiting.discard(name)
        order.append(name)

    for root in ROOTS:
        visit(root, ())
    return order


def snake_names(obj: str, members: list[dict]) -> dict[str, str]:
    """API name -> attribute name for one object; fails on a collision or an unusable name."""
    result: dict[str, str] = {}
    taken: dict[str, str] = {}
    for m in members:
        snake = api_to_snake(m["name"])
        if snake in taken:
            raise GenerationError(f"{obj}: members {taken[snake]} and {m['name']} both become {snake!r}")
        if keyword.iskeyword(snake) or snake in RESERVED or snake.startswith(("model_", "_")):
            raise GenerationError(
                f"{obj}.{m['name']}: attribute name {snake!r} is not usable on a pydantic model"
            )
        taken[snake] = m["name"]
        result[m["name"]] = snake
    return result


def trim_doc(doc: str) -> str:
    """The member's documentation without response-side noise, cut to about DOC_LIMIT characters."""
    for noise in DOC_NOISE:
        doc = doc.replace(noise, "")
    doc = " ".join(doc.split())
    if len(doc) <= DOC_LIMIT:
        return doc
    cut = doc[:DOC_LIMIT]
    end = max(cut.rfind("。"), cut.rfind(". "), cut.rfind("；"))
    if end >= DOC_LIMIT // 2:
        return cut[: end + 1]
    return cut.rstrip() + "…"


def _literal(values: list[Any]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def _tuple(items: list[str]) -> str:
    """A tuple literal of already rendered items."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def scalar_annotation(obj: str, m: dict) -> str:
    """The type expression of a scalar member, overlay rules included."""
    kind = m["member"]
    base = SCALARS[kind]
    constraints: list[str] = []
    if "enum" in m:
        if kind == "string":
            if any(k in m for k in ("pattern", "maxLength")):
                raise GenerationError(
                    f"{obj}.{m['name']}: enum together with pattern/maxLength is not supported"
                )
            return _literal(m["enum"])
        if kind in ("int64", "uint64"):
            return f"Annotated[{base}, one_of({', '.join(repr(v) for v in m['enum'])})]"
        raise GenerationError(f"{obj}.{m['name']}: enum on a {kind} member is not supported")
    if "minimum" in m:
        constraints.append(f"ge={m['minimum']!r}")
    if "maximum" in m:
        constraints.append(f"le={m['maximum']!r}")
    if "maxLength" in m:
        constraints.append(f"max_length={m['maxLength']!r}")
    if "pattern" in m:
        if kind != "string":
            raise GenerationError(f"{obj}.{m['name']}: pattern on a {kind} member")
        rule = m.get("rule") or f"must match {m['pattern']}"
        base = f"Annotated[{base}, matches({m['pattern']!r}, {rule!r})]"
    if constraints:
        base = f"Annotated[{base}, Field({', '.join(constraints)})]"
    return base


def member_annotation(obj: str, m: dict, objects: dict) -> str:
    """The attribute's type expression (without ``| None``)."""
    rules = [k for k in ("enum", "minimum", "maximum", "maxLength", "pattern") if k in m]
    if m["type"] == "object":
        if rules:
            raise GenerationError(f"{obj}.{m['name']}: rules {rules} on an object member")
        return m["member"]
    if m["type"] == "list":
        if rules:
            raise GenerationError(f"{obj}.{m['name']}: rules {rules} on a list member are not supported")
        inner = m["member"] if m["member"] in objects else SCALARS[m["member"]]
        return f"list[{inner}]"
    if m["member"] not in SCALARS:
        raise GenerationError(f"{obj}.{m['name']}: unknown scalar type {m['member']!r}")
    return scalar_annotation(obj, m)


def field_spec(m: dict, snake: str) -> str:
    """The ``FieldSpec(...)`` literal of one member."""
    args = [repr(snake), repr(m["name"]), repr(m["type"]), repr(m["member"])]
    if m["required"]:
        args.append("required=True")
    if "enum" in m:
        args.append(f"enum={_tuple([repr(v) for v in m['enum']])}")
    minimum = m.get("minimum")
    if m["member"] == "uint64" and m["type"] != "list":
        minimum = 0 if minimum is None else max(minimum, 0)
    if minimum is not None:
        args.append(f"minimum={minimum!r}")
    if "maximum" in m:
        args.append(f"maximum={m['maximum']!r}")
    if "maxLength" in m:
        args.append(f"max_length={m['maxLength']!r}")
    if "pattern" in m:
        args.append(f"pattern={m['pattern']!r}")
        args.append(f"rule={(m.get('rule') or 'must match ' + m['pattern'])!r}")
    if m.get("secret"):
        args.append("secret=True")
    return f"FieldSpec({', '.join(args)})"


def conditions_for(schema: dict, names: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Class name -> ``Condition(...)`` literals; every path in a condition must exist."""
    objects = schema["objects"]
    out: dict[str, list[str]] = {}
    for cond in schema.get("conditions", []):
        obj = cond["object"]
        if obj not in names:
            continue
        when = []
        for key, value in cond["when"].items():
            path: list[str] = []
            current = obj
            for part in key.split("."):
                if current not in names or part not in names[current]:
                    raise GenerationError(f"condition on {obj}: {key} is not a member path")
                path.append(names[current][part])
                member = next(m for m in objects[current]["members"] if m["name"] == part)
                current = member["member"]
            when.append(f"({_tuple([repr(p) for p in path])}, {value!r})")
        for field in cond["require"]:
            if field not in names[obj]:
                raise GenerationError(f"condition on {obj} requires {field}, which it does not have")
        require = _tuple([repr(names[obj][f]) for f in cond["require"]])
        out.setdefault(obj, []).append(f"Condition(when={_tuple(when)}, require={require})")
    return out


def class_doc(name: str, users: list[str]) -> str:
    if name in ROOTS:
        return f"Request of the MPS ``{ROOTS[name]}`` action (API 2019-06-12)."
    shown = ", ".join(users[:4]) + (f" and {len(users) - 4} more" if len(users) > 4 else "")
    return f"MPS API object ``{name}``; used by {shown}."


def render_models(schema: dict) -> dict[str, str]:
    """The texts of ``_generated.py`` and ``_tables.py`` for ``schema`` (the dict ``load_schema()`` returns)."""
    objects = schema["objects"]
    for root in ROOTS:
        if root not in objects:
            raise GenerationError(f"schema has no {root}")
    order = class_order(objects)
    names = {obj: snake_names(obj, objects[obj]["members"]) for obj in order}
    users: dict[str, list[str]] = {}
    for obj in sorted(order):
        for m in objects[obj]["members"]:
            if m["member"] in objects:
                users.setdefault(m["member"], []).append(f"{obj}.{m['name']}")
    conditions = conditions_for(schema, names)

    out: list[str] = [
        "# This file is generated by tools/generate.py — do not edit.",
        "# Rendered by tools/gen_models.py from provider/pulumi_mps/_schema/mps-2019-06-12.json.",
        f'"""Pydantic v2 input models of the MPS 2019-06-12 requests of {", ".join(ROOTS.values())}.',
        "",
        "Attributes are snake_case; each has the API's PascalCase name as its alias and both are accepted.",
        "Use the helpers in ``pulumi_mps.models`` (normalize, validate, to_api) rather than this module directly.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Annotated, ClassVar, Literal",
        "",
        "from pydantic import Field, StrictBool, StrictStr, model_validator",
        "",
        f"from ._tables import {', '.join(TABLES)}",
        "from ._types import Condition, Float, Int64, MpsModel, UInt64, check_conditions, matches, one_of",
    ]
    for obj in order:
        out += ["", "", f"class {obj}(MpsModel):", f'    """{class_doc(obj, users.get(obj, []))}"""', ""]
        if obj in conditions:
            out += [f"    MPS_CONDITIONS: ClassVar[tuple[Condition, ...]] = CONDITIONS[{obj!r}]", ""]
        for m in objects[obj]["members"]:
            annotation = member_annotation(obj, m, objects)
            args = [] if m["required"] else ["default=None"]
            args.append(f"alias={m['name']!r}")
            doc = trim_doc(m.get("doc", ""))
            if doc:
                args.append(f"description={doc!r}")
            optional = "" if m["required"] else " | None"
            out.append(f"    {names[obj][m['name']]}: {annotation}{optional} = Field(")
            out += [f"        {a}," for a in args]
            out.append("    )")
        if obj in conditions:
            out += [
                "",
                '    @model_validator(mode="after")',
                f"    def _check_conditions(self) -> {obj}:",
                "        return check_conditions(self, self.MPS_CONDITIONS)",
            ]

    out += ["", "", "# Every generated model by API object name.", "MODELS: dict[str, type[MpsModel]] = {"]
    out += [f"    {obj!r}: {obj}," for obj in sorted(order)]
    out += ["}", "", "# The request model of each action.", "REQUESTS: dict[str, type[MpsModel]] = {"]
    out += [f"    {action!r}: {root}," for root, action in ROOTS.items()]
    out += ["}"]
    exported = sorted([*order, *TABLES, "MODELS", "REQUESTS"])
    out += ["", "__all__ = list(MODEL_NAMES)  # every model class and table, listed once in _tables.py", ""]
    tables = render_tables(objects, order, names, exported, conditions)
    return {"_generated.py": "\n".join(out), "_tables.py": tables}


def render_tables(
    objects: dict,
    order: list[str],
    names: dict[str, dict[str, str]],
    exported: list[str],
    conditions: dict[str, list[str]],
) -> str:
    """The text of ``_tables.py``: what a Pulumi program needs of the models, without pydantic."""
    out: list[str] = [
        "# This file is generated by tools/generate.py — do not edit.",
        "# Rendered by tools/gen_models.py from provider/pulumi_mps/_schema/mps-2019-06-12.json.",
        '"""The member tables of the generated models (``_generated.py``), importable without pydantic.',
        "",
        "A Pulumi program declaring tasks needs only these (field names, secret members), and so does the provider",
        "for a valid input (types, rules, conditional requirements, advice); the model classes are imported to word",
        "the problems of an invalid one.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        "from ._fields import Condition, FieldSpec",
        "",
        "# The names ``pulumi_mps.models`` takes from ``_generated`` (model classes and these tables).",
        "MODEL_NAMES: tuple[str, ...] = (",
    ]
    out += [f"    {name!r}," for name in exported]
    out += [
        ")",
        "",
        "# Object name -> its members in API order (names, types and rules).",
        "FIELDS: dict[str, tuple[FieldSpec, ...]] = {",
    ]
    for obj in sorted(order):
        out.append(f"    {obj!r}: (")
        out += [f"        {field_spec(m, names[obj][m['name']])}," for m in objects[obj]["members"]]
        out.append("    ),")
    out += [
        "}",
        "",
        "# Object name -> {API name: attribute name}.",
        "API_TO_SNAKE: dict[str, dict[str, str]] = {",
    ]
    for obj in sorted(order):
        pairs = ", ".join(f"{api!r}: {snake!r}" for api, snake in names[obj].items())
        out.append(f"    {obj!r}: {{{pairs}}},")
    out += [
        "}",
        "",
        "# Object name -> its conditional requirements (the objects that have any; snake_case names).",
        "CONDITIONS: dict[str, tuple[Condition, ...]] = {",
    ]
    for obj in sorted(conditions):
        out.append(f"    {obj!r}: (")
        out += [f"        {c}," for c in conditions[obj]]
        out.append("    ),")
    out += [
        "}",
        "",
        "# Object name -> attribute names holding credentials (mark them secret).",
        "SECRET_FIELDS: dict[str, frozenset[str]] = {",
    ]
    for obj in sorted(order):
        secret = sorted(names[obj][m["name"]] for m in objects[obj]["members"] if m.get("secret"))
        if secret:
            out.append(f"    {obj!r}: frozenset({{{', '.join(repr(s) for s in secret)}}}),")
    every_secret = sorted(
        {names[obj][m["name"]] for obj in order for m in objects[obj]["members"] if m.get("secret")}
    )
    for obj in order:
        for m in objects[obj]["members"]:
            if names[obj][m["name"]] in every_secret and not m.get("secret"):
                raise GenerationError(
                    f"{obj}.{m['name']} is not secret but a member of that name is elsewhere"
                )
    out += [
        "}",
        "",
        "# Attribute names that are secret in every object that has them.",
        f"SECRET_MEMBERS: frozenset[str] = frozenset({{{', '.join(repr(s) for s in every_secret)}}})",
        "",
        "# (object, API member name) -> what the API docs only recommend for its values (the schema's ``warn``).",
        "WARNINGS: dict[tuple[str, str], dict[str, Any]] = {",
    ]
    for obj in sorted(order):
        for m in objects[obj]["members"]:
            if "warn" in m:
                out.append(f"    ({obj!r}, {m['name']!r}): {m['warn']!r},")
    out += ["}", ""]
    return "\n".join(out)
