"""Templates end to end: the real Pulumi CLI, the provider process and the emulator."""

from __future__ import annotations

import json
import time

import pytest

from pulumi_mps._config_specs import CONFIG_SPECS
from pulumi_mps.models import api_to_snake
from tests.api_examples import request_examples
from tests.e2e.test_interrupted import kill_everything
from tests.emulator.helpers import call, make_client
from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

TEMPLATES = [spec for spec in CONFIG_SPECS.values() if spec.kind.endswith("Template")]


def custom_templates(client, spec) -> list[dict]:
    params = {"Limit": spec.page_limit}
    if spec.custom_filter:
        params["Type"] = "Custom"
    items = call(client, spec.describe, params)[spec.list_member]
    return [i for i in items if i.get("Type", "Custom") == "Custom" or not spec.custom_filter]


EXAMPLES_PROGRAM = """
import json
import pulumi_mps

for kind, index, params in json.load(open("examples.json")):
    getattr(pulumi_mps, kind)(f"{kind}-{index}", **params)
"""


def test_every_create_template_example_deploys_as_its_resource(make_stack, tmp_path, mps_env, mps_emulator):
    """Each Create<X>Template request example of the docs (query strings unflattened) is one resource."""
    examples = []
    for spec in TEMPLATES:
        for index, (_title, params) in enumerate(request_examples(spec.create)):
            examples.append([spec.kind, index, {api_to_snake(k): v for k, v in params.items()}])
    assert {e[0] for e in examples} == {s.kind for s in TEMPLATES}
    project = new_project(
        tmp_path / "examples", "examples", EXAMPLES_PROGRAM, {"examples.json": json.dumps(examples)}
    )
    stack = make_stack(project, env=mps_env)
    stack.up()
    client = make_client(mps_emulator.endpoint)
    made = {spec.kind: len(custom_templates(client, spec)) for spec in TEMPLATES}
    assert sum(made.values()) == len(examples)
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert {kind: len(custom_templates(client, CONFIG_SPECS[kind])) for kind in made} == dict.fromkeys(
        made, 0
    )


PIPELINE = """
import pulumi
from pulumi_mps import MediaProcessTask, TranscodeTemplate

config = pulumi.Config()
hd = TranscodeTemplate(
    "hd",
    container="mp4",
    video_template={"codec": "libx264", "fps": config.get_int("fps") or 25, "bitrate": 2000},
    audio_template={"codec": "libfdk_aac", "bitrate": 64, "sample_rate": 44100},
    std_ext_info=config.get("ext"),
)
task = MediaProcessTask(
    "transcode",
    input_info={"type": "COS", "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing",
                                                  "object": "/movie/a.mov"}},
    output_storage={"type": "COS", "cos_output_storage": {"bucket": "b-1250000000", "region": "ap-chongqing"}},
    media_process_task={"transcode_task_set": [{"definition": hd.definition}]},
)
pulumi.export("definition", hd.definition)
pulumi.export("name", hd.name)
pulumi.export("task_id", task.task_id)
"""


@pytest.fixture
def pipeline(make_stack, tmp_path, mps_env):
    return make_stack(new_project(tmp_path / "pipeline", "pipeline", PIPELINE), env=mps_env)


def test_update_replace_drift_and_a_task_of_the_same_stack(pipeline, mps_emulator):
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    spec = CONFIG_SPECS["TranscodeTemplate"]
    preview = pipeline.preview("--diff")
    assert "+ pulumi-python:dynamic/mps:TranscodeTemplate" in preview.stdout
    assert "output<string>" in preview.stdout or "[unknown]" in preview.stdout  # the task's Definition
    pipeline.up()
    first = pipeline.outputs()
    assert first["name"].startswith("hd-")
    task = admin.task(first["task_id"])
    assert task["Request"]["MediaProcessTask"]["TranscodeTaskSet"] == [{"Definition": first["definition"]}]
    pipeline.preview("--expect-no-changes")

    # In place: one Modify call, the Definition stays, and the task (same request) is untouched.
    admin.clear_requests()
    pipeline.set_config("fps", "30")
    assert "~ pulumi-python:dynamic/mps:TranscodeTemplate" in pipeline.preview("--diff").stdout
    pipeline.up()
    assert [r["Action"] for r in admin.requests("ModifyTranscodeTemplate")] == ["ModifyTranscodeTemplate"]
    assert pipeline.outputs()["definition"] == first["definition"]
    assert pipeline.outputs()["task_id"] == first["task_id"]

    # Drift made outside Pulumi shows at refresh and `up` puts it back.
    call(client, "ModifyTranscodeTemplate", {"Definition": first["definition"], "VideoTemplate": {"Fps": 50}})
    drift = pipeline.preview("--refresh", "--diff")
    assert (
        "video_template" in drift.stdout and "~ pulumi-python:dynamic/mps:TranscodeTemplate" in drift.stdout
    )
    pipeline.up("--refresh")
    current = call(client, spec.describe, {"Definitions": [first["definition"]]})[spec.list_member][0]
    assert current["VideoTemplate"]["Fps"] == 30
    pipeline.preview("--refresh", "--expect-no-changes")

    # A member Modify cannot change replaces the template; the task naming it is submitted anew.
    pipeline.set_config("ext", "{}")
    replace = pipeline.preview("--diff")
    assert "+-pulumi-python:dynamic/mps:TranscodeTemplate: (replace)" in replace.stdout
    assert "std_ext_info" in replace.stdout
    pipeline.up()
    second = pipeline.outputs()
    assert second["definition"] != first["definition"] and second["name"] != first["name"]
    assert second["task_id"] != first["task_id"]
    assert admin.task(second["task_id"])["Request"]["MediaProcessTask"]["TranscodeTaskSet"] == [
        {"Definition": second["definition"]}
    ]
    assert [int(t["Definition"]) for t in custom_templates(client, spec)] == [second["definition"]]

    # Deleted outside Pulumi: gone at refresh, created again by the next `up`.
    call(client, "DeleteTranscodeTemplate", {"Definition": second["definition"]})
    pipeline.refresh()
    pipeline.up()
    assert len(custom_templates(client, spec)) == 1

    pipeline.destroy()
    assert custom_templates(client, spec) == []


def test_a_lost_create_answer_and_a_killed_up_make_one_template(pipeline, mps_emulator):
    """The template is made, its answer held back and then lost; `up` is killed meanwhile. After the recovery the
    stack holds that template, the only one."""
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    spec = CONFIG_SPECS["TranscodeTemplate"]
    admin.add_fault("CreateTranscodeTemplate", count=1, mode="accept_then_drop", latency_ms=60_000)
    proc = pipeline.popen("up", "--yes", "--skip-preview")
    try:
        deadline = time.monotonic() + 60
        while not custom_templates(client, spec):
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "the template was never made"
            time.sleep(0.05)
    finally:
        kill_everything(proc)
    admin.clear_faults()
    made = custom_templates(client, spec)
    assert len(made) == 1
    pipeline.run("cancel", "--yes")
    pipeline.up()
    templates = custom_templates(client, spec)
    assert [t["Definition"] for t in templates] == [made[0]["Definition"]]
    assert int(templates[0]["Definition"]) == pipeline.outputs()["definition"]
    pipeline.preview("--expect-no-changes")


def test_a_lost_create_answer_is_found_by_name(pipeline, mps_emulator):
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    spec = CONFIG_SPECS["TranscodeTemplate"]
    admin.add_fault("CreateTranscodeTemplate", count=1, mode="accept_then_drop")
    pipeline.up()
    templates = custom_templates(client, spec)
    assert len(templates) == 1 and len(admin.requests("CreateTranscodeTemplate")) == 1
    assert int(templates[0]["Definition"]) == pipeline.outputs()["definition"]


def test_a_refused_create_fails_the_up_with_the_api_error_not_a_traceback(pipeline, mps_emulator):
    mps_emulator.admin.add_fault(
        "CreateTranscodeTemplate",
        count=1,
        code="LimitExceeded.TooMuchTemplate",
        message="Too many templates.",
    )
    failed = pipeline.up(check=False)
    assert failed.returncode != 0
    assert (
        "MPS CreateTranscodeTemplate failed: LimitExceeded.TooMuchTemplate: Too many templates."
        in failed.output
    ), failed.output
    assert "a quota of the account is reached: delete what is no longer used" in failed.output  # what to do
    assert "Traceback" not in failed.output and "pulumi_mps" not in failed.output, failed.output

    assert len(mps_emulator.admin.requests("CreateTranscodeTemplate")) == 1


EXPLICIT = """
import pulumi
from pulumi_mps import TranscodeTemplate

tpl = TranscodeTemplate("hd", name="explicit-hd", container="mp4", remove_video=1)
pulumi.export("definition", tpl.definition)
pulumi.export("create_time", tpl.create_time)
"""


def test_a_template_made_but_not_described_is_kept_and_finished_by_the_next_up(
    make_stack, tmp_path, mps_env, mps_emulator
):
    """With a name given explicitly, a template the state did not hold could never be shown to be this resource's:
    once made, it is recorded whatever fails after."""
    admin = mps_emulator.admin
    client = make_client(mps_emulator.endpoint)
    spec = CONFIG_SPECS["TranscodeTemplate"]
    stack = make_stack(new_project(tmp_path / "explicit", "explicit", EXPLICIT), env=mps_env)
    admin.add_fault("DescribeTranscodeTemplates", count=1, code="AuthFailure.UnauthorizedOperation")
    failed = stack.up(check=False)
    assert failed.returncode != 0 and "Traceback" not in failed.output
    (made,) = custom_templates(client, spec)
    assert (
        f"TranscodeTemplate Definition {made['Definition']} was created and is kept in the state"
        in failed.output
    )
    assert "AuthFailure.UnauthorizedOperation" in failed.output, failed.output
    (resource,) = stack.resources("TranscodeTemplate")
    assert resource["id"] == str(made["Definition"]) and resource.get("initErrors")

    stack.up()
    assert [t["Definition"] for t in custom_templates(client, spec)] == [made["Definition"]]
    assert stack.outputs()["definition"] == int(made["Definition"]) and stack.outputs()["create_time"]
    assert len(admin.requests("CreateTranscodeTemplate")) == 1
    stack.preview("--expect-no-changes")


ADOPT = """
import pulumi
from pulumi_mps import TranscodeTemplate

config = pulumi.Config()
tpl = TranscodeTemplate("adopted", definition=config.require_int("definition"), container="mp4", remove_video=1,
                        name="kept-name")
pulumi.export("definition", tpl.definition)
"""


def test_adopting_a_template_with_definition(make_stack, tmp_path, mps_env, mps_emulator):
    client = make_client(mps_emulator.endpoint)
    made = call(client, "CreateTranscodeTemplate", {"Container": "flv", "RemoveVideo": 1, "Name": "console"})
    stack = make_stack(new_project(tmp_path / "adopt", "adopt", ADOPT), env=mps_env)
    stack.set_config("definition", str(made["Definition"]))
    stack.up()
    spec = CONFIG_SPECS["TranscodeTemplate"]
    held = call(client, spec.describe, {"Definitions": [made["Definition"]]})[spec.list_member][0]
    assert held["Container"] == "flv"  # adopting changes nothing
    stack.up()  # the next `up` brings it to the declared spec
    held = call(client, spec.describe, {"Definitions": [made["Definition"]]})[spec.list_member][0]
    assert (held["Container"], held["Name"]) == ("mp4", "kept-name")
    assert len(custom_templates(client, spec)) == 1
    stack.preview("--expect-no-changes")
    stack.set_config("definition", "100010")
    failed = stack.preview(check=False)
    assert failed.returncode != 0 and "100010" in failed.output
