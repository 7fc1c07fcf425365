"""The program-side classes: every request field is a keyword, unknown keywords fail with a hint."""

from __future__ import annotations

import datetime
import decimal
import enum
import inspect
import pathlib

import pytest

from pulumi_mps import EditMediaTask, LiveStreamProcessTask, MediaProcessTask
from pulumi_mps._core import holds_secret as _holds_secret
from pulumi_mps._schema import load_schema
from pulumi_mps.models import api_to_snake
from pulumi_mps.resources import _plain


class Color(enum.Enum):
    RED = "red"


@pytest.mark.parametrize(("cls", "request_name"), [(MediaProcessTask, "ProcessMediaRequest"),
                                                   (LiveStreamProcessTask, "ProcessLiveStreamRequest"),
                                                   (EditMediaTask, "EditMediaRequest")])
def test_one_keyword_per_request_field(cls, request_name):
    params = inspect.signature(cls.__init__).parameters
    members = [api_to_snake(m["name"]) for m in load_schema()["objects"][request_name]["members"]]
    assert set(members) <= set(params)
    assert {"triggers", "task_id", "abort_on_delete", "wait_for_completion", "opts"} <= set(params)
    assert all(params[m].kind is inspect.Parameter.KEYWORD_ONLY for m in members)


def test_unknown_keyword_names_the_closest_field():
    with pytest.raises(TypeError, match="unexpected keyword argument 'input_infos'; did you mean 'input_info'"):
        MediaProcessTask("x", input_infos={})


def test_models_become_plain_dicts_and_secrets_are_spotted():
    from pulumi_mps.models import MediaInputInfo, S3InputInfo

    info = MediaInputInfo(type="AWS-S3", s3_input_info=S3InputInfo(s3_bucket="b", s3_region="r", s3_object="/o",
                                                                   s3_secret_key="k"))
    plain = _plain(info)
    assert plain == {"type": "AWS-S3", "s3_input_info": {"s3_bucket": "b", "s3_region": "r", "s3_object": "/o",
                                                         "s3_secret_key": "k"}}
    assert _holds_secret(plain)
    assert _holds_secret({"S3InputInfo": {"S3SecretId": "x"}})
    assert not _holds_secret({"type": "COS", "cos_input_info": {"bucket": "b"}})


def test_type_tokens_and_provider_paths_are_stable():
    """Recorded in every stack's state: a change would orphan existing resources."""
    assert {cls._resource_type_name for cls in (MediaProcessTask, LiveStreamProcessTask, EditMediaTask)} == {
        "dynamic/mps:MediaProcessTask", "dynamic/mps:LiveStreamProcessTask", "dynamic/mps:EditMediaTask"}
    assert [f"{c._provider_class.__module__}.{c._provider_class.__qualname__}"
            for c in (MediaProcessTask, LiveStreamProcessTask, EditMediaTask)] == [
        "pulumi_mps._providers.MediaProcessTaskProvider", "pulumi_mps._providers.LiveStreamProcessTaskProvider",
        "pulumi_mps._providers.EditMediaTaskProvider"]


def test_edit_media_s3_keys_in_file_infos_are_secret():
    files = [{"InputInfo": {"Type": "AWS-S3", "S3InputInfo": {"S3Bucket": "b", "S3Region": "us-east-1",
                                                              "S3Object": "/a.mp4", "S3SecretKey": "k"}}}]
    assert _holds_secret(_plain(files))


def test_trigger_values_get_a_canonical_form():
    problems: list[str] = []
    value = {"when": datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone.utc),
             "day": datetime.date(2026, 11, 24), "tags": {"b", "a"}, "blob": b"\x00\x01", "n": 1, 7: "seven",
             "color": Color.RED, "price": decimal.Decimal("1.10"), "path": pathlib.PurePosixPath("/a/b")}
    assert _plain(value, "triggers", problems, triggers=True) == {
        "when": "2026-11-24T10:00:00+00:00", "day": "2026-11-24", "tags": ["a", "b"], "blob": "AAE=", "n": 1,
        "7": "seven", "color": "red", "price": "1.10", "path": "/a/b"}
    assert problems == []


def test_values_that_cannot_be_sent_are_reported_naming_the_keyword():
    problems: list[str] = []
    deep: list = []
    cursor = deep
    for _ in range(2000):
        cursor.append([])
        cursor = cursor[0]
    assert _plain({"deep": deep, "obj": object()}, "triggers", problems, triggers=True)["obj"] is None
    assert problems[0].startswith("triggers.deep") and "nested more than 64 levels deep" in problems[0]
    assert problems[1].startswith("triggers.obj: a value of type object cannot be a trigger")
    request_problems: list[str] = []
    _plain({"cos_input_info": {"bucket": b"x", "region": {"r"}}}, "input_info", request_problems)
    assert request_problems == ["input_info.cos_input_info.bucket: a value of type bytes cannot be sent to MPS",
                                "input_info.cos_input_info.region: a value of type set cannot be sent to MPS"]
