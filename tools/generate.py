"""Regenerate the MPS schema and the pydantic input models from the API's own metadata.

    python tools/generate.py            # downloads the pinned tccli wheel, rewrites the generated files
    python tools/generate.py --check    # fails if the generated files are not what the generator writes

Sources: ``tccli/services/mps/v20190612/api.json`` inside the ``tccli`` wheel on PyPI (the machine-readable
API description: objects, members, types, ``required`` flags, docs) plus ``tools/schema_overlay.json`` (rules the
API states only in prose: enums, ranges, lengths, conditional requirements, secret fields). Re-run whenever the
pinned ``tencentcloud-sdk-python-mps`` moves, with ``TCCLI_VERSION`` set to the matching tccli release.
"""

from __future__ import annotations

import argparse
import glob
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from config_kinds import CONFIG_ACTIONS, NOTIFICATION_ACTIONS
from gen_kinds import render_kinds
from gen_models import ROOTS, TABLES, closure, render_models
from gen_types import render_types
from task_actions import TASK_ACTIONS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "provider" / "pulumi_mps"
SCHEMA_OUT = PACKAGE / "_schema" / "mps-2019-06-12.json"
# The API docs' request and response examples of ACTIONS, as tccli ships them (tests send every one).
EXAMPLES_OUT = PACKAGE / "_schema" / "mps-2019-06-12.examples.json"
OVERLAY = ROOT / "tools" / "schema_overlay.json"
TCCLI_VERSION = os.environ.get("TCCLI_VERSION", "3.1.189.1")
API_JSON = "tccli/services/mps/v20190612/api.json"
EXAMPLES_JSON = "tccli/services/mps/v20190612/examples.json"

# The actions the provider and the emulator speak, request and response trees included.
ACTIONS = (
    *TASK_ACTIONS,
    "DescribeTaskDetail",
    "DescribeTasks",
    "ManageTask",
    *CONFIG_ACTIONS,
    *NOTIFICATION_ACTIONS,
)
# Request trees whose member docs are kept (they become the models' field descriptions).
DOCUMENTED = tuple(ROOTS)


def download_tccli(directory: str) -> str:
    """The pinned tccli wheel in ``directory``, downloaded from PyPI unless it is there already."""
    found = sorted(glob.glob(os.path.join(directory, f"tccli-{TCCLI_VERSION}-*.whl")))
    if not found:
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", directory]
        subprocess.run([*pip, f"tccli=={TCCLI_VERSION}"], check=True, timeout=600)
        found = sorted(glob.glob(os.path.join(directory, f"tccli-{TCCLI_VERSION}-*.whl")))
    return found[-1]


def load_api(path: str | None, member: str = API_JSON) -> dict:
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(download_tccli(tmp)) as z:
        return json.loads(z.read(member))


def clean_doc(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text or ""))
    return re.sub(r"\s+", " ", text).strip()


def build_schema(api: dict, overlay: dict) -> dict:
    objects = api["objects"]
    documented: set[str] = set()
    for root in DOCUMENTED:
        documented.update(closure(objects, root))
    actions: dict = {}
    wanted: set[str] = set()
    for action in ACTIONS:
        spec = api["actions"][action]
        actions[action] = {"input": spec["input"], "output": spec["output"]}
        for root in (spec["input"], spec["output"]):
            wanted.update(closure(objects, root))
    out_objects: dict = {}
    for name in sorted(wanted):
        members = []
        for m in objects[name]["members"]:
            if m.get("disabled"):
                continue
            entry = {
                "name": m["name"],
                "type": m["type"],
                "member": m["member"],
                "required": bool(m.get("required", False)),
            }
            if name in documented:
                entry["doc"] = clean_doc(m.get("document", ""))
            entry.update(overlay["members"].get(f"{name}.{m['name']}", {}))
            members.append(entry)
        out_objects[name] = {"members": members}
    for key in overlay["members"]:
        obj, _, field = key.partition(".")
        if not any(m["name"] == field for m in out_objects.get(obj, {}).get("members", [])):
            raise SystemExit(f"overlay names {key}, which the API schema does not have")
    return {
        "generated": f"by tools/generate.py from tccli=={TCCLI_VERSION} {API_JSON} and tools/schema_overlay.json;"
        " do not edit",
        "apiVersion": api["metadata"]["apiVersion"],
        "service": "mps",
        "actions": actions,
        "conditions": overlay["conditions"],
        "objects": out_objects,
    }


def render_examples(examples: dict) -> str:
    """The examples of ACTIONS (title, input, output, as the docs give them)."""
    kept = {
        action: [{k: e[k] for k in ("title", "input", "output")} for e in examples["actions"].get(action, [])]
        for action in ACTIONS
    }
    return (
        json.dumps(
            {
                "generated": f"by tools/generate.py from tccli=={TCCLI_VERSION} {EXAMPLES_JSON}; do not edit",
                "actions": kept,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def render_schema(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--api-json", help="read this api.json instead of downloading the tccli wheel")
    parser.add_argument(
        "--examples-json", help="read this examples.json instead of downloading the tccli wheel"
    )
    parser.add_argument("--check", action="store_true", help="fail if the generated files are out of date")
    args = parser.parse_args()
    api = load_api(args.api_json)
    schema = build_schema(api, json.loads(OVERLAY.read_text(encoding="utf-8")))
    examples = load_api(
        args.examples_json or (args.api_json and str(Path(args.api_json).with_name("examples.json"))),
        EXAMPLES_JSON,
    )
    outputs = {SCHEMA_OUT: render_schema(schema), EXAMPLES_OUT: render_examples(examples)}
    outputs.update({PACKAGE / "models" / name: text for name, text in render_models(schema).items()})
    outputs.update({PACKAGE / path: text for path, text in render_types(schema, TABLES).items()})
    outputs.update({PACKAGE / path: text for path, text in render_kinds(schema, api).items()})
    stale = []
    for path, text in outputs.items():
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run python tools/generate.py):", *[str(p.relative_to(ROOT)) for p in stale])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
