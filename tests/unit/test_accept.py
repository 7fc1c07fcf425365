"""The check on the generated tables (``models/_accept.py``): it accepts only what the models accept, every docs'
example is accepted without pydantic, and a provider's check of a valid input loads neither pydantic nor the
model classes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_mps._config_specs import CONFIG_SPECS
from pulumi_mps._specs import EDIT, LIVE, MEDIA
from pulumi_mps.models import FIELDS, REQUESTS, FieldSpec, normalize, to_api, validate
from pulumi_mps.models._accept import accepts
from pulumi_mps.models._convert import _Canonicalizer, _pydantic_problems
from pulumi_mps.models._unknown import RPC_UNKNOWN, is_unknown_value
from tests.api_examples import request_examples

ROOTS = sorted(model.__name__ for model in REQUESTS.values())
# Values that break some rule of almost every scalar type: wrong types, out of range, NaN, long, unknown.
ODD = [
    None,
    True,
    1,
    -1,
    2**64,
    -(2**63) - 1,
    1.5,
    2.0,
    "x",
    "12",
    " 7 ",
    "",
    "a" * 300,
    [],
    {},
    float("nan"),
]
ODD += [float("inf"), RPC_UNKNOWN, 0, 0.0, "-3"]


def _scalar(spec: FieldSpec, r: random.Random, valid: bool) -> Any:
    if not valid:
        return r.choice(ODD)
    if spec.enum:
        return r.choice(spec.enum)
    if spec.member == "string":
        return r.choice(["abc", "/a/", "1", ""]) if spec.pattern else "s" * r.randint(0, 30)
    if spec.member in ("int64", "uint64"):
        value = r.randint(int(spec.minimum if spec.minimum is not None else -9), int(spec.maximum or 1000))
        return r.choice([value, float(value), str(value)])
    if spec.member == "float":
        return r.uniform(spec.minimum if spec.minimum is not None else -9, spec.maximum or 100)
    return r.choice([True, False])


def _object(name: str, r: random.Random, depth: int, valid_p: float) -> dict[str, Any]:
    """A random input of object ``name``: mostly valid (``valid_p``), in both spellings, with unknowns."""
    out: dict[str, Any] = {}
    for spec in FIELDS[name]:
        if r.random() < (0.03 if spec.required else 0.6 if depth < 3 else 0.9):
            continue
        key = spec.api if r.random() < 0.2 else spec.name
        valid = r.random() < valid_p
        if r.random() < 0.04:
            out[key] = RPC_UNKNOWN
        elif spec.type == "object":
            out[key] = _object(spec.member, r, depth + 1, valid_p) if valid else r.choice(ODD)
        elif spec.type == "list" and (valid or r.random() < 0.5):
            out[key] = [
                RPC_UNKNOWN
                if r.random() < 0.05
                else _object(spec.member, r, depth + 1, valid_p)
                if spec.is_object
                else _scalar(spec, r, r.random() < valid_p)
                for _ in range(r.randint(0, 3))
            ]
        else:
            out[key] = _scalar(spec, r, valid)
    if r.random() < 0.02:
        out["no_such_field"] = 1
    return out


def _prepared(root: str, data: Any) -> tuple[Any, list[Any]]:
    walk = _Canonicalizer(is_unknown_value, validating=True)
    return walk.obj(root, data, ()), walk.placeholders


def test_the_tables_accept_only_what_the_models_accept():
    """Random inputs of every request, a quarter of them valid: whatever the tables accept, pydantic finds no
    fault with; most valid ones are accepted (not those with an unknown list element, which pydantic decides);
    and validate answers the same given the model's name or its class."""
    r = random.Random(20261207)
    accepted = valid = 0
    for i in range(1500):
        root = ROOTS[i % len(ROOTS)]
        data = _object(root, r, 0, r.choice([1.0, 1.0, 0.99, 0.95, 0.8]))
        prepared, placeholders = _prepared(root, data)
        found = _pydantic_problems(root, prepared, placeholders)
        if accepts(root, prepared):
            accepted += 1
            assert found == [], (root, data)
        valid += not found
        assert validate(root, data) == validate(REQUESTS[root.removesuffix("Request")], data), data
    assert accepted >= 0.9 * valid > 300


@pytest.mark.parametrize(
    "action", [MEDIA.action, LIVE.action, EDIT.action, *(s.create for s in CONFIG_SPECS.values())]
)
def test_every_docs_example_the_models_accept_the_tables_accept(action):
    for title, params in request_examples(action):
        request = f"{action}Request"
        prepared, placeholders = _prepared(request, params)
        if not _pydantic_problems(request, prepared, placeholders):
            assert accepts(request, prepared), title


@pytest.mark.parametrize(
    "data",
    [
        {"definition": 20, "watermark_set": [{"definition": Unknown()}]},
        {"definition": Unknown()},
        {"definition": 20, "override_parameter": Unknown()},
    ],
)
def test_unknown_fields_are_accepted_and_unknown_elements_left_to_pydantic(data):
    prepared, _ = _prepared("TranscodeTaskInput", data)
    assert accepts("TranscodeTaskInput", prepared)
    prepared, placeholders = _prepared("TranscodeTaskInput", {"definition": 20, "watermark_set": [Unknown()]})
    assert placeholders and not accepts("TranscodeTaskInput", prepared)
    assert validate("TranscodeTaskInput", {"definition": 20, "watermark_set": [Unknown()]}) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tasks_priority", 11),  # range
        ("tasks_priority", 2.5),  # type
        ("session_id", "s" * 51),  # length
        ("output_dir", "movie/"),  # pattern
        ("task_type", "Later"),  # enum
        ("no_such_field", 1),  # unknown key
    ],
)
def test_a_broken_rule_is_never_accepted(field, value):
    data = {"input_info": {"type": "COS", "cos_input_info": {"bucket": "b", "region": "r", "object": "/o"}}}
    prepared, _ = _prepared("ProcessMediaRequest", data)
    assert accepts("ProcessMediaRequest", prepared)
    prepared, _ = _prepared("ProcessMediaRequest", {**data, field: value})
    assert not accepts("ProcessMediaRequest", prepared)
    assert validate("ProcessMediaRequest", {**data, field: value})


def test_the_helpers_take_a_request_name_and_refuse_other_names():
    data = {"input_info": {"Type": "COS", "CosInputInfo": {"Bucket": "b", "Region": "r", "Object": "/o"}}}
    assert normalize("ProcessMediaRequest", data) == normalize(REQUESTS["ProcessMedia"], data)
    assert to_api("ProcessMediaRequest", data) == to_api(REQUESTS["ProcessMedia"], data)
    with pytest.raises(TypeError, match="not a generated MPS model"):
        normalize("NoSuchRequest", data)


CHECKS = """
import json, sys
from pulumi_mps._providers import MediaProcessTaskProvider, TranscodeTemplateProvider
media, template = json.loads(sys.argv[1]), json.loads(sys.argv[2])
checks = [MediaProcessTaskProvider().check({}, media), TranscodeTemplateProvider().check({}, template)]
loaded = "pydantic" in sys.modules or "pulumi_mps.models._generated" in sys.modules
bad = MediaProcessTaskProvider().check({}, {**media, "tasks_priority": 11.0})
print(json.dumps({"failures": [len(c.failures) for c in checks], "loaded": loaded,
                  "bad": [f.reason for f in bad.failures]}))
"""


def test_checks_of_valid_inputs_load_no_model_and_an_invalid_one_is_worded_as_before():
    media = {
        "input_info": {"type": "COS", "cos_input_info": {"bucket": "b", "region": "r", "object": "/o.mov"}},
        "media_process_task": {"transcode_task_set": [{"definition": 20.0}]},
        "resource_identity": "p/s/task",
        "__provider": "x",
    }
    template = {
        "container": "mp4",
        "video_template": {"codec": "libx264", "fps": 25.0, "bitrate": 3000.0},
        "audio_template": {
            "codec": "libfdk_aac",
            "bitrate": 128.0,
            "sample_rate": 44100.0,
            "audio_channel": 2.0,
        },
        "resource_identity": "p/s/hd",
        "__provider": "x",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECKS, json.dumps(media), json.dumps(template)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["failures"] == [0, 0] and printed["loaded"] is False
    assert printed["bad"] == ["tasks_priority: must be between -10 and 10 (value: 11)"]
