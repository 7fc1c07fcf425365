"""The configuration core's pure parts: derived names, drift, replacement paths, the generated spec table."""

from __future__ import annotations

import pytest

from pulumi_mps import _base
from pulumi_mps._config import declared_paths, derive_name, drifted_paths, is_immutable, snake_value
from pulumi_mps._config_specs import CONFIG_SPECS
from pulumi_mps._providers import TranscodeTemplateProvider, WatermarkTemplateProvider, WorkflowProvider
from pulumi_mps._schema import load_schema

TRANSCODE = CONFIG_SPECS["TranscodeTemplate"]
MARKER = "s1-" + "a" * 32


def test_every_template_family_of_the_schema_is_a_kind():
    """One kind per family that has Create, Modify, Delete and Describe actions in the schema (17 at 3.1.189.1)."""
    actions = load_schema()["actions"]
    families = {
        a[len("Create") : -len("Template")]
        for a in actions
        if a.startswith("Create")
        and a.endswith("Template")
        and {f"Modify{a[6:]}", f"Delete{a[6:]}", f"Describe{a[6:]}s"} <= set(actions)
    }
    assert len(families) == 17
    assert {f"{f}Template" for f in families} | {"Workflow", "Schedule"} == set(CONFIG_SPECS)


def test_the_spec_table_comes_from_the_schema():
    assert TRANSCODE.page_limit == 100 and CONFIG_SPECS["AIRecognitionTemplate"].page_limit == 50
    assert CONFIG_SPECS["ContentReviewTemplate"].page_limit == 50
    assert TRANSCODE.name_max_length == 64 and CONFIG_SPECS["Workflow"].name_max_length == 128
    assert "std_ext_info" in TRANSCODE.immutable
    assert CONFIG_SPECS["WatermarkTemplate"].immutable == ("type",)
    assert not CONFIG_SPECS["WatermarkTemplate"].custom_filter  # its Type is the watermark's kind
    assert {"definition", "create_time", "update_time", "type"} <= set(TRANSCODE.outputs)
    assert CONFIG_SPECS["Workflow"].modify_is_reset and CONFIG_SPECS["Workflow"].modify_requires_disabled
    assert not CONFIG_SPECS["Schedule"].modify_requires_disabled
    assert CONFIG_SPECS["Workflow"].unique_name and not TRANSCODE.unique_name
    assert TranscodeTemplateProvider.spec is TRANSCODE and WorkflowProvider().__dict__ == {}


def test_a_derived_name_is_stable_scoped_and_within_the_limit():
    name = derive_name(TRANSCODE, "proj/dev/hd", MARKER, {}, None)
    assert name == derive_name(TRANSCODE, "proj/dev/hd", MARKER, {}, None)
    assert name.startswith("hd-") and len(name) == len("hd-") + 8
    assert name != derive_name(TRANSCODE, "proj/dev/hd", "s1-" + "b" * 32, {}, None)  # another stack
    assert name != derive_name(TRANSCODE, "proj/prod/hd", MARKER, {}, None)
    # A replacement (a member Modify cannot change, or triggers) gets a new name.
    assert name != derive_name(TRANSCODE, "proj/dev/hd", MARKER, {"std_ext_info": "{}"}, None)
    assert name != derive_name(TRANSCODE, "proj/dev/hd", MARKER, {}, 2)
    long = derive_name(TRANSCODE, "proj/dev/" + "x" * 200, MARKER, {}, None)
    assert len(long) == TRANSCODE.name_max_length
    assert derive_name(TRANSCODE, "proj/dev/a b/c", MARKER, {}, None).startswith("a-b-c-")
    assert derive_name(TRANSCODE, "proj/dev/高清", MARKER, {}, None).startswith("高清-")


def test_drift_is_judged_on_what_the_program_sets():
    actual = {
        "container": "mp4",
        "video_template": {"codec": "libx264", "fps": 25, "bitrate": 1000, "gop": 0},
    }
    assert drifted_paths(actual, {"container": "mp4", "video_template": {"fps": 25.0}}, "") == []
    assert drifted_paths(actual, {"video_template": {"fps": 30}}, "") == ["video_template.fps"]
    assert (
        drifted_paths({"definition": "1234"}, {"definition": 1234}, "") == []
    )  # MPS reports some ids as text
    assert drifted_paths({"items": [1, 2]}, {"items": [1]}, "") == ["items"]
    assert drifted_paths({}, {"std_ext_info": "{}"}, "") == []  # not reported: never a drift


def test_replacement_paths_and_declared_paths():
    assert is_immutable(TRANSCODE, "std_ext_info")
    assert is_immutable(TRANSCODE, "audio_template.track_channel_info.channels_remix")
    assert not is_immutable(TRANSCODE, "video_template.fps")
    assert is_immutable(CONFIG_SPECS["WatermarkTemplate"], "type")
    assert declared_paths({"a": {"b": 1, "c": [{"d": 1}]}}) == ["a", "a.b", "a.c"]


def test_a_read_never_keeps_a_secret_member():
    item = {"Trigger": {"AwsS3FileUploadTrigger": {"S3Bucket": "b", "S3SecretKey": "k", "S3SecretId": "i"}}}
    assert snake_value(item) == {"trigger": {"aws_s3_file_upload_trigger": {"s3_bucket": "b"}}}


def test_the_check_derives_a_name_and_keeps_it(monkeypatch):
    monkeypatch.setattr(_base._settings, "offline_problems", list)
    provider = TranscodeTemplateProvider()
    news = {"container": "mp4", "remove_video": 1, "resource_identity": "p/dev/hd", "stack_marker": MARKER}
    first = provider.check({}, news)
    assert first.failures == []
    name = first.inputs["name"]
    assert name.startswith("hd-") and first.inputs["name_derived"] is True
    # An update keeps the name; a change that replaces the template derives a new one.
    olds = {**first.inputs, "name": "hd-kept0000"}
    assert provider.check(olds, {**news, "comment": "x"}).inputs["name"] == "hd-kept0000"
    assert provider.check(olds, {**news, "std_ext_info": "{}"}).inputs["name"] != "hd-kept0000"
    given = provider.check({}, {**news, "name": "mine"})
    assert given.inputs["name"] == "mine" and given.inputs["name_derived"] is False


@pytest.mark.parametrize(
    ("news", "path"),
    [
        ({"container": 5}, "container"),
        ({"container": "mp4", "definition": "x"}, "definition"),
        ({"container": "mp4", "nope": 1}, "nope"),
        ({"container": "mp4", "name": "n" * 65}, "name"),
    ],
)
def test_bad_input_fails_the_check_naming_the_field(monkeypatch, news, path):
    monkeypatch.setattr(_base._settings, "offline_problems", list)
    result = TranscodeTemplateProvider().check(
        {}, {**news, "resource_identity": "p/dev/hd", "stack_marker": MARKER}
    )
    assert any(f.reason.startswith(f"{path}:") for f in result.failures), result.failures


def test_a_watermark_type_change_replaces_and_a_removed_member_too():
    provider = WatermarkTemplateProvider()
    olds = {"type": "image", "name": "w", "x_pos": "10%", "declared_paths": ["type", "name", "x_pos"]}
    diff = provider.diff("1", olds, {"type": "text", "name": "w", "x_pos": "10%"})
    assert diff.changes and diff.replaces == ["type"]
    diff = provider.diff("1", olds, {"type": "image", "name": "w"})
    assert diff.changes and diff.replaces == ["x_pos"]
    diff = provider.diff("1", olds, {"type": "image", "name": "w", "x_pos": "20%"})
    assert diff.changes and diff.replaces == []


def test_a_workflow_update_covers_removals_and_enabled():
    provider = WorkflowProvider()
    olds = {
        "workflow_name": "w",
        "output_dir": "/o/",
        "status": "Enabled",
        "declared_paths": ["workflow_name", "output_dir"],
    }
    assert (
        provider.diff("1", olds, {"workflow_name": "w", "output_dir": "/o/", "enabled": True}).changes
        is False
    )
    removed = provider.diff("1", olds, {"workflow_name": "w", "enabled": True})
    assert removed.changes and removed.replaces == []  # ResetWorkflow replaces the whole workflow in place
    toggled = provider.diff("1", olds, {"workflow_name": "w", "output_dir": "/o/", "enabled": False})
    assert toggled.changes and toggled.replaces == []
