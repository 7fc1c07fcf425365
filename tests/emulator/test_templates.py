"""Templates through the real SDK: presets, Create/Describe/Modify/Delete, the documented codes, filters and
paging, accounts, persistence, faults, and what tasks naming templates do."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from pulumi_mps._schema import load_schema
from pulumi_mps.emulator import Emulator, EmulatorAdmin

from .helpers import (
    OTHER_SECRET_ID,
    OTHER_SECRET_KEY,
    TEST_ACCOUNTS,
    assert_schema_shape,
    call,
    checked_call,
    detail,
    expect_error,
    live_params,
    make_client,
    media_params,
    without_nulls,
)

TRANSCODE = {
    "Container": "mp4",
    "Name": "emu-720p",
    "Comment": "made by a test",
    "VideoTemplate": {"Codec": "libx264", "Fps": 25, "Bitrate": 1800, "Height": 720},
    "AudioTemplate": {"Codec": "libfdk_aac", "Bitrate": 128, "SampleRate": 44100, "AudioChannel": 2},
}


def transcode(client: Any, **members: Any) -> int:
    return int(checked_call(client, "CreateTranscodeTemplate", {**TRANSCODE, **members})["Definition"])


def listed(client: Any, **params: Any) -> dict[str, Any]:
    return checked_call(client, "DescribeTranscodeTemplates", params)


def test_presets_carry_the_documented_ids_and_type_preset(mps_client):
    presets = listed(mps_client, Type="Preset", Limit=100)["TranscodeTemplateSet"]
    ids = {t["Definition"] for t in presets}
    # The docs' preset table: MP4 100010-100040 (and 2K, 4K), HLS 100210-100240, MP3 and M4A audio.
    assert {"100010", "100020", "100030", "100040", "100070", "100080"} <= ids
    assert {"100210", "100220", "100230", "100240", "100270", "100280"} <= ids
    assert {"1010", "1020", "1100", "1140"} <= ids
    assert all(t["Type"] == "Preset" for t in presets)
    (flu,) = listed(mps_client, Definitions=[100010])["TranscodeTemplateSet"]
    assert (flu["Name"], flu["Container"], flu["ContainerType"]) == ("MP4-FLU", "mp4", "Video")
    assert flu["VideoTemplate"]["Height"] == 360
    (hls,) = listed(mps_client, Definitions=[100230])["TranscodeTemplateSet"]
    assert hls["Container"] == "hls"
    # Every family the docs list presets for has some.
    for family in (
        "SnapshotByTimeOffset",
        "SampleSnapshot",
        "ImageSprite",
        "AnimatedGraphics",
        "QualityControl",
    ):
        answer = call(mps_client, f"Describe{family}Templates", {"Type": "Preset"})
        assert answer["TotalCount"] >= 1, family


def test_create_then_describe_shows_the_members_as_created(mps_client, admin):
    definition = transcode(mps_client)
    (item,) = listed(mps_client, Definitions=[definition])["TranscodeTemplateSet"]
    assert item["Definition"] == str(
        definition
    )  # a string in TranscodeTemplate, an integer in the Create answer
    assert (item["Name"], item["Comment"], item["Type"], item["Container"]) == (
        "emu-720p",
        "made by a test",
        "Custom",
        "mp4",
    )
    assert item["VideoTemplate"]["Bitrate"] == 1800 and item["VideoTemplate"]["Gop"] is None
    assert without_nulls(item["AudioTemplate"]) == TRANSCODE["AudioTemplate"]
    assert item["TEHDConfig"] is None and item["RemoveVideo"] is None
    assert item["CreateTime"] == item["UpdateTime"]
    (stored,) = admin.templates("TranscodeTemplate")
    assert (stored["Id"], stored["AppId"], stored["Name"], stored["Status"]) == (
        definition,
        1250000000,
        "emu-720p",
        None,
    )
    assert stored["Body"] == TRANSCODE


def test_modify_merges_members_and_nested_objects_and_moves_update_time(mps_client, admin):
    definition = transcode(mps_client)
    admin.advance_clock(60)
    answer = call(
        mps_client,
        "ModifyTranscodeTemplate",
        {"Definition": definition, "Name": "emu-1080p", "VideoTemplate": {"Height": 1080}},
    )
    assert_schema_shape(answer, "ModifyTranscodeTemplateResponse")
    (item,) = listed(mps_client, Definitions=[definition])["TranscodeTemplateSet"]
    assert item["Name"] == "emu-1080p" and item["Comment"] == "made by a test"
    assert item["VideoTemplate"]["Height"] == 1080 and item["VideoTemplate"]["Bitrate"] == 1800
    assert item["VideoTemplate"]["Codec"] == "libx264"
    assert item["UpdateTime"] > item["CreateTime"]


def test_presets_cannot_be_changed_or_deleted(mps_client):
    expect_error(
        mps_client,
        "ModifyTranscodeTemplate",
        {"Definition": 100010, "Name": "mine"},
        "InvalidParameterValue.ModifyDefaultTemplate",
    )
    expect_error(
        mps_client,
        "DeleteTranscodeTemplate",
        {"Definition": 100010},
        "InvalidParameterValue.DeleteDefaultTemplate",
    )
    # "模板 ID 为 10000 以下的为系统预置模板，不允许删除" (DeleteAIAnalysisTemplate), listed or not.
    expect_error(
        mps_client,
        "DeleteAIAnalysisTemplate",
        {"Definition": 9999},
        "InvalidParameterValue.DeleteDefaultTemplate",
    )


def test_unknown_templates_answer_the_codes_each_action_lists(mps_client):
    expect_error(
        mps_client, "ModifyTranscodeTemplate", {"Definition": 999999}, "ResourceNotFound.TemplateNotExist"
    )
    expect_error(
        mps_client, "DeleteTranscodeTemplate", {"Definition": 999999}, "ResourceNotFound.TemplateNotExist"
    )
    expect_error(mps_client, "DeleteWatermarkTemplate", {"Definition": 999999}, "ResourceNotFound")
    definition = transcode(mps_client)
    assert set(call(mps_client, "DeleteTranscodeTemplate", {"Definition": definition})) == {"RequestId"}
    assert listed(mps_client, Definitions=[definition])["TotalCount"] == 0
    expect_error(
        mps_client, "DeleteTranscodeTemplate", {"Definition": definition}, "ResourceNotFound.TemplateNotExist"
    )


def test_name_filter_type_filter_and_paging(mps_client):
    ids = [transcode(mps_client, Name=f"episode-{n}") for n in range(5)]
    transcode(mps_client, Name="trailer")
    named = listed(mps_client, Name="episode", Limit=2)
    assert named["TotalCount"] == 5
    assert [t["Definition"] for t in named["TranscodeTemplateSet"]] == [
        str(ids[4]),
        str(ids[3]),
    ]  # newest first
    page = listed(mps_client, Name="episode", Offset=4, Limit=2)
    assert [t["Definition"] for t in page["TranscodeTemplateSet"]] == [str(ids[0])]
    assert listed(mps_client, Name="episode-3")["TotalCount"] == 1
    custom = listed(mps_client, Type="Custom", Limit=100)
    assert custom["TotalCount"] == 6
    page = listed(mps_client, Type="Custom", Offset=1, Limit=2)
    assert page["TotalCount"] == 6
    assert [t["Definition"] for t in page["TranscodeTemplateSet"]] == [str(ids[4]), str(ids[3])]
    assert listed(mps_client, Type="Custom", Name="episode")["TotalCount"] == 5
    assert listed(mps_client, Type="Preset", Name="episode")["TotalCount"] == 0
    everything = listed(mps_client, Limit=100)
    assert everything["TotalCount"] == 6 + listed(mps_client, Type="Preset")["TotalCount"]
    assert len(listed(mps_client)["TranscodeTemplateSet"]) == 10  # "默认值：10"
    audio = listed(mps_client, ContainerType="PureAudio", Limit=100)["TranscodeTemplateSet"]
    assert audio and all(t["Container"] in ("mp3", "m4a") for t in audio)


def test_describe_rejects_what_the_docs_rule_out(mps_client):
    expect_error(mps_client, "DescribeTranscodeTemplates", {"Limit": 101}, "InvalidParameterValue.Limit")
    assert call(mps_client, "DescribeAIRecognitionTemplates", {"Limit": 50})["TotalCount"] >= 1
    expect_error(mps_client, "DescribeAIRecognitionTemplates", {"Limit": 51}, "InvalidParameterValue.Limit")
    expect_error(mps_client, "DescribeContentReviewTemplates", {"Limit": 51}, "InvalidParameterValue.Limit")
    expect_error(
        mps_client,
        "DescribeTranscodeTemplates",
        {"Definitions": list(range(1, 102))},
        "InvalidParameterValue.Definitions",
    )
    expect_error(mps_client, "DescribeTranscodeTemplates", {"Type": "Mine"}, "InvalidParameterValue.Type")
    expect_error(
        mps_client, "CreateTranscodeTemplate", {**TRANSCODE, "Name": "n" * 65}, "InvalidParameterValue.Name"
    )
    expect_error(
        mps_client,
        "CreateWatermarkTemplate",
        {"Type": "text", "Comment": "c" * 257},
        "InvalidParameterValue.Comment",
    )
    assert call(mps_client, "CreateTranscodeTemplate", {**TRANSCODE, "Name": "n" * 64})["Definition"]


def test_watermark_type_is_the_watermark_kind(mps_client):
    image = call(
        mps_client,
        "CreateWatermarkTemplate",
        {"Type": "image", "Name": "logo", "ImageTemplate": {"ImageContent": "aGVsbG8=", "Width": "10%"}},
    )
    assert image["ImageUrl"].startswith("https://")
    text = call(
        mps_client,
        "CreateWatermarkTemplate",
        {
            "Type": "text",
            "TextTemplate": {
                "FontType": "arial.ttf",
                "FontSize": "16px",
                "FontColor": "0xFFFFFF",
                "FontAlpha": 1,
            },
        },
    )["Definition"]
    images = call(mps_client, "DescribeWatermarkTemplates", {"Type": "image"})
    assert_schema_shape(images, "DescribeWatermarkTemplatesResponse")
    (item,) = images["WatermarkTemplateSet"]
    assert (item["Definition"], item["Type"]) == (image["Definition"], "image")
    assert item["ImageTemplate"] == {
        "ImageUrl": image["ImageUrl"],
        "Width": "10%",
        "Height": None,
        "RepeatType": None,
    }
    (item,) = call(mps_client, "DescribeWatermarkTemplates", {"Type": "text"})["WatermarkTemplateSet"]
    assert item["Definition"] == text


def test_a_quota_stops_creation(mps_client):
    body = {"Fps": 10, "Format": "gif"}
    for _ in range(16):  # "创建用户自定义转动图模板，数量上限：16"
        call(mps_client, "CreateAnimatedGraphicsTemplate", body)
    expect_error(mps_client, "CreateAnimatedGraphicsTemplate", body, "LimitExceeded.TooMuchTemplate")


def test_accounts_see_only_their_own_templates(mps_client, client_for):
    other = client_for(OTHER_SECRET_ID, OTHER_SECRET_KEY)
    definition = transcode(mps_client)
    assert listed(other, Definitions=[definition])["TotalCount"] == 0
    assert listed(other, Definitions=[100010])["TotalCount"] == 1
    expect_error(
        other,
        "ModifyTranscodeTemplate",
        {"Definition": definition, "Name": "x"},
        "ResourceNotFound.TemplateNotExist",
    )
    expect_error(
        other, "DeleteTranscodeTemplate", {"Definition": definition}, "ResourceNotFound.TemplateNotExist"
    )
    assert listed(mps_client, Definitions=[definition])["TotalCount"] == 1


def test_templates_survive_a_restart_and_reset_forgets_them(tmp_path):
    db = tmp_path / "mps.sqlite"
    with Emulator(db=db, accounts=TEST_ACCOUNTS) as first:
        definition = transcode(make_client(first.endpoint))
    with Emulator(db=db, accounts=TEST_ACCOUNTS) as second:
        client = make_client(second.endpoint)
        (item,) = listed(client, Definitions=[definition])["TranscodeTemplateSet"]
        assert item["Name"] == "emu-720p"
        assert transcode(client) > definition
        EmulatorAdmin(second.url).reset()
        assert listed(client, Type="Custom")["TotalCount"] == 0
        assert listed(client, Definitions=[100010])["TotalCount"] == 1  # presets come back


def test_accept_then_drop_makes_the_template_but_loses_the_answer(mps_client, admin):
    admin.add_fault("CreateTranscodeTemplate", count=1, mode="accept_then_drop")
    with pytest.raises(TencentCloudSDKException) as info:
        call(mps_client, "CreateTranscodeTemplate", TRANSCODE)
    assert info.value.get_code() == "ClientNetworkError"
    (made,) = admin.templates("TranscodeTemplate")
    assert listed(mps_client, Name="emu-720p")["TranscodeTemplateSet"][0]["Definition"] == str(made["Id"])
    admin.add_fault("DescribeTranscodeTemplates", count=1, code="InternalError")
    expect_error(mps_client, "DescribeTranscodeTemplates", {}, "InternalError")


def _transcode_result(answer: dict[str, Any], definition: int) -> dict[str, Any]:
    return next(
        r["TranscodeTask"]
        for r in answer["WorkflowTask"]["MediaProcessResultSet"]
        if r["TranscodeTask"]["Input"]["Definition"] == definition
    )


def test_a_task_naming_an_unknown_template_fails_that_sub_task(mps_client, admin):
    hls = transcode(mps_client, Container="hls")
    params = media_params(
        MediaProcessTask={"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 41}, {"Definition": hls}]}
    )
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    call(mps_client, "DeleteTranscodeTemplate", {"Definition": hls})  # the task kept what it named
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert answer["WorkflowTask"]["ErrCode"] == 0
    assert _transcode_result(answer, 20)["Status"] == "SUCCESS"
    missing = _transcode_result(answer, 41)
    assert (missing["Status"], missing["ErrCodeExt"]) == ("FAIL", "InvalidInput.DefinitionNotExist")
    assert missing["Output"] is None
    custom = _transcode_result(answer, hls)
    assert custom["Status"] == "SUCCESS" and custom["Output"]["Path"].endswith(f"_transcode_{hls}.m3u8")


def test_a_live_task_naming_an_unknown_template_is_refused(mps_client, admin):
    expect_error(
        mps_client,
        "ProcessLiveStream",
        live_params(AiRecognitionTask={"Definition": 999}),
        "InvalidParameterValue.Definition",
    )
    assert admin.tasks() == []
    mine = call(
        mps_client, "CreateAIRecognitionTemplate", {"Name": "faces", "FaceConfigure": {"Switch": "ON"}}
    )
    assert call(
        mps_client, "ProcessLiveStream", live_params(AiRecognitionTask={"Definition": mine["Definition"]})
    )


def test_faults_fire_on_every_template_workflow_and_schedule_action(mps_client, admin):
    actions = [a for a in load_schema()["actions"] if re.search(r"Template|Workflow|Schedule", a)]
    assert len(actions) == 17 * 4 + 12
    for action in actions:
        admin.add_fault(action, probability=1.0, count=1, code="FailedOperation", seed=1)
        expect_error(mps_client, action, {}, "FailedOperation")
    admin.add_fault("DescribeSchedules", count=1, latency_ms=200)
    started = time.monotonic()
    assert call(mps_client, "DescribeSchedules", {})["TotalCount"] == 0
    assert time.monotonic() - started >= 0.2
