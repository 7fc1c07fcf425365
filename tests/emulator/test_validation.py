"""Generic validation from the schema: codes, paths in messages, and nothing created by an invalid request."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.mps.v20190612 import models

from .helpers import call, expect_error, live_params, media_params


def _without(params: dict[str, Any], path: str) -> dict[str, Any]:
    params = copy.deepcopy(params)
    *parents, last = path.split(".")
    node = params
    for key in parents:
        node = node[key]
    del node[last]
    return params


def _with(params: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    params = copy.deepcopy(params)
    *parents, last = path.split(".")
    node = params
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[last] = value
    return params


MEDIA_CASES = [
    ("missing input", _without(media_params(), "InputInfo"), "MissingParameter", "`InputInfo`"),
    (
        "missing nested",
        _without(media_params(), "InputInfo.CosInputInfo.Bucket"),
        "MissingParameter",
        "InputInfo.CosInputInfo.Bucket",
    ),
    (
        "condition COS",
        _without(media_params(), "InputInfo.CosInputInfo"),
        "MissingParameter",
        "InputInfo.CosInputInfo",
    ),
    (
        "condition URL needs OutputStorage",
        {"InputInfo": {"Type": "URL", "UrlInputInfo": {"Url": "https://example.com/a.mp4"}}},
        "MissingParameter",
        "OutputStorage",
    ),
    (
        "condition notify URL",
        media_params(TaskNotifyConfig={"NotifyType": "URL"}),
        "MissingParameter",
        "TaskNotifyConfig.NotifyUrl",
    ),
    ("not a number", media_params(TasksPriority="high"), "InvalidParameter", "TasksPriority"),
    ("float for int", media_params(TasksPriority=5.0), "InvalidParameter", "TasksPriority"),
    ("bool for int", media_params(TasksPriority=True), "InvalidParameter", "TasksPriority"),
    (
        "int for string",
        _with(media_params(), "InputInfo.CosInputInfo.Object", 7),
        "InvalidParameter",
        "InputInfo.CosInputInfo.Object",
    ),
    (
        "object for list",
        _with(media_params(), "MediaProcessTask.TranscodeTaskSet", {"Definition": 10}),
        "InvalidParameter",
        "MediaProcessTask.TranscodeTaskSet",
    ),
    (
        "list element type",
        _with(media_params(), "MediaProcessTask.TranscodeTaskSet.0.Definition", "ten"),
        "InvalidParameter",
        "MediaProcessTask.TranscodeTaskSet.0.Definition",
    ),
    ("above maximum", media_params(TasksPriority=11), "InvalidParameterValue", "TasksPriority"),
    ("below minimum", media_params(TasksPriority=-11), "InvalidParameterValue", "TasksPriority"),
    ("enum", _with(media_params(), "InputInfo.Type", "FTP"), "InvalidParameterValue", "InputInfo.Type"),
    ("enum int", media_params(SkipMateData=2), "InvalidParameterValue", "SkipMateData"),
    ("pattern", media_params(OutputDir="movie/out"), "InvalidParameterValue", "OutputDir"),
    (
        "SessionId too long",
        media_params(SessionId="s" * 51),
        "InvalidParameterValue.SessionIdTooLong",
        "SessionId",
    ),
    (
        "SessionContext too long",
        media_params(SessionContext="c" * 1001),
        "InvalidParameterValue.SessionContextTooLong",
        "SessionContext",
    ),
    ("unknown top-level", media_params(Foo=1), "UnknownParameter", "`Foo`"),
    (
        "unknown nested",
        _with(media_params(), "InputInfo.CosInputInfo.Key", "x"),
        "UnknownParameter",
        "InputInfo.CosInputInfo.Key",
    ),
]


@pytest.mark.parametrize(
    ("params", "code", "needle"), [c[1:] for c in MEDIA_CASES], ids=[c[0] for c in MEDIA_CASES]
)
def test_invalid_process_media_is_rejected_and_creates_nothing(mps_client, admin, params, code, needle):
    error = expect_error(mps_client, "ProcessMedia", params, code)
    assert needle in error.get_message()
    assert admin.tasks() == []


def test_negative_uint_is_reported_as_out_of_range(mps_client):
    params = _with(media_params(), "MediaProcessTask.TranscodeTaskSet.0.Definition", -1)
    error = expect_error(mps_client, "ProcessMedia", params, "InvalidParameterValue")
    assert "MediaProcessTask.TranscodeTaskSet.0.Definition" in error.get_message()


LIVE_CASES = [
    ("missing notify", _without(live_params(), "TaskNotifyConfig"), "MissingParameter"),
    ("url without notify url", _with(live_params(), "TaskNotifyConfig.NotifyUrl", None), "MissingParameter"),
    ("SessionId too long", live_params(SessionId="x" * 51), "InvalidParameterValue.SessionIdTooLong"),
]


@pytest.mark.parametrize(("params", "code"), [c[1:] for c in LIVE_CASES], ids=[c[0] for c in LIVE_CASES])
def test_invalid_process_live_stream_is_rejected(mps_client, admin, params, code):
    expect_error(mps_client, "ProcessLiveStream", params, code)
    assert admin.tasks() == []


# The docs list no closed set of addresses ("支持 rtmp，hls 和 flv, trtc,webrtc,srt等"): none is rejected.
@pytest.mark.parametrize(
    "url",
    [
        "rtmp://live.example.com/app/stream",
        "https://cdn.example.com/live/s.m3u8",
        "http://cdn.example.com/live/s.flv?txSecret=1",
        "srt://1.2.3.4:9000",
        "https://cdn.example.com/live/stream",
        "ftp://example.com/x",
    ],
)
def test_live_stream_addresses_are_accepted(mps_client, url):
    assert call(mps_client, "ProcessLiveStream", live_params(url=url))["TaskId"]


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("DescribeTasks", {}, "MissingParameter"),
        ("DescribeTasks", {"Status": "DONE"}, "InvalidParameterValue"),
        ("DescribeTasks", {"Status": "WAITING", "Limit": 101}, "InvalidParameterValue.Limit"),
        ("DescribeTasks", {"Status": "WAITING", "Limit": "101"}, "InvalidParameterValue.Limit"),
        ("DescribeTasks", {"Status": "WAITING", "StartTime": "yesterday"}, "InvalidParameterValue"),
        ("DescribeTaskDetail", {}, "MissingParameter"),
        ("DescribeTaskDetail", {"TaskId": 5}, "InvalidParameter"),
        ("ManageTask", {"TaskId": "x"}, "MissingParameter"),
        ("ManageTask", {"OperationType": "Pause", "TaskId": "x"}, "InvalidParameterValue"),
    ],
)
def test_invalid_query_requests(mps_client, action, params, code):
    expect_error(mps_client, action, params, code)


def test_a_typed_sdk_request_with_a_missing_member_names_its_path(mps_client):
    request = models.ProcessMediaRequest()
    request.from_json_string(
        '{"InputInfo": {"Type": "COS", "CosInputInfo": {"Region": "ap-chongqing", "Object": "/a.mov"}}}'
    )
    with pytest.raises(TencentCloudSDKException) as info:
        mps_client.ProcessMedia(request)
    assert info.value.get_code() == "MissingParameter"
    assert "InputInfo.CosInputInfo.Bucket" in info.value.get_message()


def test_numbers_written_as_strings_are_accepted(mps_client):
    """The docs' own examples write "Definition": "30" (ProcessMedia) and "Limit": "5" (DescribeTasks)."""
    params = _with(media_params(TasksPriority="5"), "MediaProcessTask.TranscodeTaskSet.0.Definition", "30")
    assert call(mps_client, "ProcessMedia", params)["TaskId"]
    assert call(mps_client, "DescribeTasks", {"Status": "WAITING", "Limit": "5"})["TotalCount"] == 1


def test_an_empty_optional_enum_means_unset(mps_client):
    params = media_params(TaskNotifyConfig={"NotifyType": "", "NotifyMode": "Change"}, OutputDir="")
    assert call(mps_client, "ProcessMedia", params)["TaskId"]


def test_a_full_valid_request_with_every_input_kind_is_accepted(mps_client, admin):
    s3 = {
        "Type": "AWS-S3",
        "S3InputInfo": {
            "S3Bucket": "b",
            "S3Region": "us-east-1",
            "S3Object": "/in/a.mov",
            "S3SecretId": "AKS3",
            "S3SecretKey": "s3-secret",
        },
    }
    url = {"Type": "URL", "UrlInputInfo": {"Url": "https://example.com/in/b.mp4"}}
    out = {"Type": "COS", "CosOutputStorage": {"Bucket": "out", "Region": "ap-chongqing"}}
    for info in (s3, url):
        call(
            mps_client,
            "ProcessMedia",
            media_params(
                InputInfo=info,
                OutputStorage=out,
                OutputDir="/out/",
                TasksPriority=-10,
                TaskType="Offline",
                SkipMateData=1,
            ),
        )
    assert len(admin.tasks()) == 2
