"""The generated input models and their helpers: accepted forms, canonical form, problems, unknowns, API JSON."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pulumi
import pytest
from pulumi.output import Unknown
from pydantic import ValidationError
from tencentcloud.mps.v20190612 import models as sdk

from pulumi_mps._config_specs import CONFIG_SPECS
from pulumi_mps._schema import load_schema
from pulumi_mps.models import (
    FIELDS,
    MODELS,
    REQUESTS,
    SECRET_FIELDS,
    SECRET_MEMBERS,
    UNKNOWN,
    CosInputInfo,
    CosOutputStorage,
    EditMediaRequest,
    LiveStreamTaskNotifyConfig,
    MediaInputInfo,
    MediaProcessTaskInput,
    Problem,
    ProcessLiveStreamRequest,
    ProcessMediaRequest,
    TaskOutputStorage,
    TranscodeTaskInput,
    api_to_snake,
    format_path,
    normalize,
    secret_paths,
    to_api,
    validate,
)
from pulumi_mps.models._empty import without_empty
from pulumi_mps.models._unknown import RPC_UNKNOWN

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
import gen_models  # noqa: E402  (found through the sys.path entry above)

# The ProcessMedia example of the MPS API documentation, exactly as the docs write it.
DOCS_PASCAL = {
    "InputInfo": {
        "Type": "COS",
        "CosInputInfo": {
            "Bucket": "TopRankVideo-125xxx88",
            "Region": "ap-chongqing",
            "Object": "/movie/201907/WildAnimal.mov",
        },
    },
    "OutputStorage": {
        "Type": "COS",
        "CosOutputStorage": {"Bucket": "TopRankVideo-125xxx88", "Region": "ap-chongqing"},
    },
    "OutputDir": "/movie/201907/",
    "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 30}, {"Definition": 40}]},
}
DOCS_SNAKE = {
    "input_info": {
        "type": "COS",
        "cos_input_info": {
            "bucket": "TopRankVideo-125xxx88",
            "region": "ap-chongqing",
            "object": "/movie/201907/WildAnimal.mov",
        },
    },
    "output_storage": {
        "type": "COS",
        "cos_output_storage": {"bucket": "TopRankVideo-125xxx88", "region": "ap-chongqing"},
    },
    "output_dir": "/movie/201907/",
    "media_process_task": {
        "transcode_task_set": [{"definition": 20}, {"definition": 30}, {"definition": 40}]
    },
}


def _sorted_deep(value):
    if isinstance(value, dict):
        return {k: _sorted_deep(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_deep(v) for v in value]
    return value


def _as_protobuf(value):
    """What a protobuf Struct turns a value into: every number a float."""
    if isinstance(value, dict):
        return {k: _as_protobuf(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_protobuf(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _keys_in_order(value) -> list:
    """Every dict's key order, depth first (equality of dicts ignores it)."""
    if isinstance(value, dict):
        return [list(value), *[k for v in value.values() for k in _keys_in_order(v)]]
    if isinstance(value, list):
        return [k for v in value for k in _keys_in_order(v)]
    return []


def _problems(model, data, **kwargs) -> dict[str, str]:
    return {p.path: p.reason for p in validate(model, data, **kwargs)}


def _media(**overrides) -> dict:
    """A valid snake_case ProcessMedia input with some top-level fields replaced (None removes one)."""
    data = copy.deepcopy(DOCS_SNAKE)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# --- accepted forms and the canonical form ---------------------------------------------------------------------


def test_docs_example_is_valid_in_both_spellings():
    assert validate(ProcessMediaRequest, DOCS_PASCAL) == []
    assert validate(ProcessMediaRequest, DOCS_SNAKE) == []


def test_every_accepted_form_has_one_canonical_form():
    canonical = normalize(ProcessMediaRequest, DOCS_PASCAL)
    assert canonical == _sorted_deep(DOCS_SNAKE)
    built = ProcessMediaRequest(
        input_info=MediaInputInfo(
            type="COS",
            cos_input_info=CosInputInfo(
                bucket="TopRankVideo-125xxx88", region="ap-chongqing", object="/movie/201907/WildAnimal.mov"
            ),
        ),
        output_storage=TaskOutputStorage(
            type="COS",
            cos_output_storage=CosOutputStorage(bucket="TopRankVideo-125xxx88", region="ap-chongqing"),
        ),
        output_dir="/movie/201907/",
        media_process_task=MediaProcessTaskInput(
            transcode_task_set=[TranscodeTaskInput(definition=d) for d in (20, 30, 40)]
        ),
    )
    mixed = {  # PascalCase on top, snake_case and model instances below, floats as protobuf sends them
        "InputInfo": {
            "type": "COS",
            "CosInputInfo": {
                "bucket": "TopRankVideo-125xxx88",
                "Region": "ap-chongqing",
                "Object": "/movie/201907/WildAnimal.mov",
            },
        },
        "output_storage": TaskOutputStorage.model_validate(DOCS_PASCAL["OutputStorage"]),
        "OutputDir": "/movie/201907/",
        "media_process_task": {
            "TranscodeTaskSet": [
                {"Definition": 20.0},
                TranscodeTaskInput(definition=30),
                {"definition": 40.0},
            ]
        },
    }
    reordered = {k: DOCS_PASCAL[k] for k in reversed(list(DOCS_PASCAL))}
    forms = {
        "snake": DOCS_SNAKE,
        "model": built,
        "model from PascalCase": ProcessMediaRequest.model_validate(DOCS_PASCAL),
        "model from snake_case": ProcessMediaRequest.model_validate(DOCS_SNAKE),
        "mixed": mixed,
        "reordered": reordered,
        "protobuf (ints as floats)": _as_protobuf(DOCS_PASCAL),
    }
    assert (
        type(forms["protobuf (ints as floats)"]["MediaProcessTask"]["TranscodeTaskSet"][0]["Definition"])
        is float
    )
    for name, form in forms.items():
        result = normalize(ProcessMediaRequest, form)
        assert result == canonical, name
        assert _keys_in_order(result) == _keys_in_order(canonical), name
        definitions = [t["definition"] for t in result["media_process_task"]["transcode_task_set"]]
        assert definitions == [20, 30, 40] and all(type(d) is int for d in definitions), name


def test_canonical_keys_are_sorted_and_none_is_dropped():
    data = {
        "OutputDir": None,
        "InputInfo": {
            "UrlInputInfo": None,
            "Type": "COS",
            "CosInputInfo": {"Region": "r", "Object": "/o", "Bucket": "b"},
        },
        "SessionId": None,
        "TasksPriority": 3.0,
    }
    result = normalize(ProcessMediaRequest, data)
    assert result == {
        "input_info": {"cos_input_info": {"bucket": "b", "object": "/o", "region": "r"}, "type": "COS"},
        "tasks_priority": 3,
    }
    assert list(result) == ["input_info", "tasks_priority"]
    assert list(result["input_info"]["cos_input_info"]) == ["bucket", "object", "region"]
    assert type(result["tasks_priority"]) is int


EMPTY_MEMBERS_SNAKE = {
    "input_info": {
        "type": "COS",
        "cos_input_info": {"bucket": "b", "region": "r", "object": "/o"},
        "url_input_info": {},
    },
    "session_context": "",
    "output_dir": "",
    "media_process_task": {
        "transcode_task_set": [{"definition": 20, "watermark_set": [], "override_parameter": {}}],
        "snapshot_by_time_offset_task_set": [],
        "animated_graphic_task_set": [],
    },
    "ai_analysis_task": {},
}
EMPTY_MEMBERS_API = {
    "InputInfo": {
        "Type": "COS",
        "CosInputInfo": {"Bucket": "b", "Region": "r", "Object": "/o"},
        "UrlInputInfo": {},
    },
    "SessionContext": "",
    "OutputDir": "",
    "MediaProcessTask": {
        "TranscodeTaskSet": [{"Definition": "20", "WatermarkSet": [], "OverrideParameter": {}}],
        "SnapshotByTimeOffsetTaskSet": [],
        "AnimatedGraphicTaskSet": [],
    },
    "AiAnalysisTask": {},
}
WITHOUT_EMPTY_MEMBERS = {
    "input_info": {"cos_input_info": {"bucket": "b", "object": "/o", "region": "r"}, "type": "COS"},
    "media_process_task": {"transcode_task_set": [{"definition": 20}]},
}


def test_empty_members_are_absent_ones_in_every_input_form():
    model = ProcessMediaRequest.model_construct(
        input_info=MediaInputInfo(
            type="COS", cos_input_info=CosInputInfo(bucket="b", region="r", object="/o")
        ),
        session_context="",
        output_dir="",
        media_process_task=MediaProcessTaskInput(
            transcode_task_set=[TranscodeTaskInput(definition=20, watermark_set=[])],
            snapshot_by_time_offset_task_set=[],
        ),
    )
    for data in (EMPTY_MEMBERS_SNAKE, EMPTY_MEMBERS_API, model):
        assert normalize(ProcessMediaRequest, data) == WITHOUT_EMPTY_MEMBERS
        assert validate(ProcessMediaRequest, data) == []
    # What the provider's diff makes of inputs recorded before empty members were left out.
    assert without_empty("ProcessMediaRequest", EMPTY_MEMBERS_SNAKE) == WITHOUT_EMPTY_MEMBERS


def test_an_empty_value_the_docs_give_a_meaning_is_kept():
    # SmartEraseSubtitleConfig.SubtitleFormat: absent means vtt, an empty string no subtitle file.
    config = {
        "SubtitleEraseMethod": "smart",
        "SubtitleModel": "standard",
        "OcrSwitch": "ON",
        "SubtitleEmbedId": 7,
    }
    data = {
        "SmartEraseTask": {
            "RawParameter": {
                "EraseType": "subtitle",
                "EraseSubtitleConfig": {**config, "SubtitleFormat": "", "SubtitleLang": ""},
            }
        }
    }
    (canonical,) = [normalize(ProcessMediaRequest, data)]
    erase = canonical["smart_erase_task"]["raw_parameter"]["erase_subtitle_config"]
    assert erase["subtitle_format"] == "" and "subtitle_lang" not in erase
    recorded = copy.deepcopy(canonical)
    recorded["smart_erase_task"]["raw_parameter"]["erase_subtitle_config"]["subtitle_lang"] = ""
    assert without_empty("ProcessMediaRequest", recorded) == canonical
    sent = to_api(ProcessMediaRequest, canonical)["SmartEraseTask"]["RawParameter"]["EraseSubtitleConfig"]
    assert sent["SubtitleFormat"] == ""


def test_an_unknown_member_is_reported_even_when_empty():
    (problem,) = [p for p in validate(ProcessMediaRequest, {**EMPTY_MEMBERS_SNAKE, "sesion_context": ""})]
    assert problem.path == "sesion_context" and "unknown field" in problem.reason


def test_float_fields_become_floats_and_int_lists_ints():
    data = {
        "MediaProcessTask": {
            "SnapshotByTimeOffsetTaskSet": [{"Definition": 10.0, "TimeOffsetSet": [1, 2.5]}],
            "AdaptiveDynamicStreamingTaskSet": [{"Definition": 30.0, "KeyPTSList": [100.0, 200]}],
        }
    }
    result = normalize(ProcessMediaRequest, data)["media_process_task"]
    snapshot = result["snapshot_by_time_offset_task_set"][0]
    assert snapshot == {"definition": 10, "time_offset_set": [1.0, 2.5]}
    assert [type(v) for v in snapshot["time_offset_set"]] == [float, float]
    assert type(snapshot["definition"]) is int
    assert result["adaptive_dynamic_streaming_task_set"][0]["key_pts_list"] == [100, 200]
    assert all(type(v) is int for v in result["adaptive_dynamic_streaming_task_set"][0]["key_pts_list"])


def test_snake_spelling_wins_when_a_field_is_given_twice_and_validate_says_so():
    data = _media(OutputDir="/pascal/", output_dir="/snake/")
    assert normalize(ProcessMediaRequest, data)["output_dir"] == "/snake/"
    assert _problems(ProcessMediaRequest, data) == {
        "output_dir": "given twice, as 'output_dir' and 'OutputDir'"
    }


def test_models_accept_both_names_and_reject_unknown_keys():
    assert CosInputInfo(Bucket="b", region="r", Object="/o").bucket == "b"
    with pytest.raises(ValidationError, match="bucket_name"):
        CosInputInfo(bucket="b", region="r", object="/o", bucket_name="x")


def test_live_stream_request_canonical_form():
    pascal = {
        "Url": "rtmp://live.example.com/live/stream1",
        "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://hook.example.com/mps"},
        "AiRecognitionTask": {"Definition": 10.0},
    }
    snake = {
        "url": "rtmp://live.example.com/live/stream1",
        "task_notify_config": LiveStreamTaskNotifyConfig(
            notify_type="URL", notify_url="https://hook.example.com/mps"
        ),
        "ai_recognition_task": {"definition": 10},
    }
    assert validate(ProcessLiveStreamRequest, pascal) == []
    assert (
        normalize(ProcessLiveStreamRequest, pascal)
        == normalize(ProcessLiveStreamRequest, snake)
        == {
            "ai_recognition_task": {"definition": 10},
            "task_notify_config": {"notify_type": "URL", "notify_url": "https://hook.example.com/mps"},
            "url": "rtmp://live.example.com/live/stream1",
        }
    )


def test_normalize_refuses_a_non_mapping_and_foreign_classes():
    with pytest.raises(TypeError):
        normalize(ProcessMediaRequest, "InputInfo")
    with pytest.raises(TypeError):
        normalize(dict, DOCS_SNAKE)


# --- problems: one per rule, each with its path ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path", "reason"),
    [
        # enum
        (
            _media(input_info={"type": "cos", "cos_input_info": DOCS_SNAKE["input_info"]["cos_input_info"]}),
            "input_info.type",
            "must be one of COS, URL, AWS-S3, VOD",
        ),
        (_media(task_type="online"), "task_type", "must be one of Online, Offline"),
        (_media(skip_mate_data=2), "skip_mate_data", "must be one of 0, 1"),
        (
            _media(
                task_notify_config={"notify_type": "URL", "notify_url": "https://x", "notify_mode": "Done"}
            ),
            "task_notify_config.notify_mode",
            "must be one of Finish, Change",
        ),
        # range
        (_media(tasks_priority=11), "tasks_priority", "must be between -10 and 10"),
        (_media(tasks_priority=-11.0), "tasks_priority", "must be between -10 and 10"),
        (
            _media(media_process_task={"transcode_task_set": [{"definition": 20}, {"definition": -1}]}),
            "media_process_task.transcode_task_set[1].definition",
            "must be at least 0",
        ),
        # length
        (_media(session_id="s" * 51), "session_id", "at most 50 characters"),
        (_media(session_context="c" * 1001), "session_context", "at most 1000 characters"),
        # pattern
        (_media(output_dir="movie/201907/"), "output_dir", "must start and end with /"),
        (_media(output_dir="/movie/201907"), "output_dir", "must start and end with /"),
        # types
        (
            _media(media_process_task={"transcode_task_set": [{"definition": 20}, {"definition": 20.5}]}),
            "media_process_task.transcode_task_set[1].definition",
            "must be an integer",
        ),
        (
            _media(media_process_task={"transcode_task_set": [{"definition": "20x"}]}),
            "media_process_task.transcode_task_set[0].definition",
            "must be an integer",
        ),
        (
            _media(media_process_task={"transcode_task_set": [{"definition": True}]}),
            "media_process_task.transcode_task_set[0].definition",
            "must be an integer",
        ),
        (
            _media(
                input_info={"type": "COS", "cos_input_info": {"bucket": 5, "region": "r", "object": "/o"}}
            ),
            "input_info.cos_input_info.bucket",
            "must be a string",
        ),
        (
            _media(
                media_process_task={
                    "snapshot_by_time_offset_task_set": [{"definition": 10, "time_offset_set": [1.5, "2s"]}]
                }
            ),
            "media_process_task.snapshot_by_time_offset_task_set[0].time_offset_set[1]",
            "must be a number",
        ),
        (
            _media(media_process_task={"transcode_task_set": {"definition": 20}}),
            "media_process_task.transcode_task_set",
            "must be a list",
        ),
        (_media(output_storage="cos://bucket"), "output_storage", "must be an object (TaskOutputStorage)"),
        (
            _media(
                smart_subtitles_task={
                    "definition": 1,
                    "raw_parameter": {
                        "subtitle_type": 0,
                        "video_src_language": "zh",
                        "translate_switch": "OFF",
                        "process_type": 0,
                        "selecting_subtitle_areas_config": {
                            "auto_areas": [
                                {
                                    "left_top_x": "zero",
                                    "left_top_y": 0,
                                    "right_bottom_x": 1,
                                    "right_bottom_y": 1,
                                    "unit": 0,
                                }
                            ]
                        },
                    },
                }
            ),
            "smart_subtitles_task.raw_parameter.selecting_subtitle_areas_config.auto_areas[0].left_top_x",
            "must be a number",
        ),
        # required
        (_media(input_info=None), "input_info", "field required"),
        (
            _media(input_info={"type": "COS", "cos_input_info": {"bucket": "b", "region": "r"}}),
            "input_info.cos_input_info.object",
            "field required",
        ),
        (
            _media(media_process_task={"transcode_task_set": [{"definition": 20}, {}]}),
            "media_process_task.transcode_task_set[1].definition",
            "field required",
        ),
        # unknown keys
        (_media(foo=1), "foo", "unknown field 'foo'"),
        (
            _media(
                media_process_task={
                    "transcode_task_set": [{"definition": 20}, {"definition": 30, "Definiton": 3}]
                }
            ),
            "media_process_task.transcode_task_set[1].Definiton",
            "unknown field 'Definiton' (did you mean 'definition'?)",
        ),
        # conditional requirements
        (_media(input_info={"type": "COS"}), "input_info.cos_input_info", "required when type is COS"),
        (_media(input_info={"type": "AWS-S3"}), "input_info.s3_input_info", "required when type is AWS-S3"),
        (
            _media(
                input_info={"type": "URL", "url_input_info": {"url": "https://x/a.mp4"}}, output_storage=None
            ),
            "output_storage",
            "required when input_info.type is URL",
        ),
        (
            _media(task_notify_config={"notify_type": "URL"}),
            "task_notify_config.notify_url",
            "required when notify_type is URL",
        ),
        (
            _media(task_notify_config={"notify_type": "AWS-SQS"}),
            "task_notify_config.aws_sqs",
            "required when notify_type is AWS-SQS",
        ),
        (
            _media(
                media_process_task={
                    "adaptive_dynamic_streaming_task_set": [
                        {
                            "definition": 10,
                            "add_on_audios": [
                                {
                                    "input_info": {
                                        "type": "COS",
                                        "cos_input_info": {"bucket": "b", "region": "r", "object": "/a.aac"},
                                    }
                                },
                                {"input_info": {"type": "URL"}},
                            ],
                        }
                    ]
                }
            ),
            "media_process_task.adaptive_dynamic_streaming_task_set[0].add_on_audios[1].input_info.url_input_info",
            "required when type is URL",
        ),
    ],
)
def test_each_rule_reports_its_path_and_reason(data, path, reason):
    problems = _problems(ProcessMediaRequest, data)
    assert problems == {path: reason}


def test_values_at_the_limits_are_valid():
    for data in (
        _media(tasks_priority=-10),
        _media(tasks_priority=10.0),
        _media(session_id="s" * 50),
        _media(session_context="c" * 1000),
        _media(output_dir="/"),
        _media(skip_mate_data=1.0),
        _media(task_type="Offline"),
    ):
        assert validate(ProcessMediaRequest, data) == []


def test_live_stream_rules():
    good = {
        "url": "rtmp://live.example.com/app/stream",
        "task_notify_config": {"notify_type": "URL", "notify_url": "u"},
    }
    assert validate(ProcessLiveStreamRequest, good) == []
    # Nothing the API docs do not state blocks a preview: an address without .m3u8/.flv ("支持 rtmp，hls 和 flv,
    # trtc,webrtc,srt等" is an open list), an OutputDir without slashes (only an example: "如 /movie/201909/"),
    # NotifyType CMQ (used by the tencentcloud Pulumi registry's own ProcessLiveStream example).
    for url in (
        "http://cdn.example.com/live/a.m3u8?t=1",
        "https://cdn.example.com/live/a.flv",
        "srt://h:9000",
        "https://cdn.example.com/live/stream",
    ):
        assert validate(ProcessLiveStreamRequest, {**good, "url": url}) == [], url
    cmq = {"notify_type": "CMQ", "cmq_model": "Queue", "cmq_region": "gz", "queue_name": "q"}
    assert validate(ProcessLiveStreamRequest, {**good, "output_dir": "out", "task_notify_config": cmq}) == []
    assert _problems(ProcessLiveStreamRequest, {"url": good["url"]}) == {
        "task_notify_config": "field required"
    }


def test_all_problems_are_reported_at_once_with_conditions_next_to_field_errors():
    data = {"InputInfo": {"Type": "COS", "Extra": 1}, "TasksPriority": 20, "SessionId": 7}
    assert _problems(ProcessMediaRequest, data) == {
        "input_info.Extra": "unknown field 'Extra'",
        "tasks_priority": "must be between -10 and 10",
        "session_id": "must be a string",
        "input_info.cos_input_info": "required when type is COS",
    }


def test_problem_shape_and_path_format():
    (problem,) = validate(
        ProcessMediaRequest, _media(media_process_task={"transcode_task_set": [{"definition": "x"}]})
    )
    assert isinstance(problem, Problem)
    assert problem.loc == ("media_process_task", "transcode_task_set", 0, "definition")
    assert problem.path == "media_process_task.transcode_task_set[0].definition"
    assert str(problem) == "media_process_task.transcode_task_set[0].definition: must be an integer"
    assert format_path(("a", 0, 1, "b")) == "a[0][1].b"
    assert format_path(()) == ""


def test_a_model_of_the_wrong_class_and_a_non_mapping_are_problems():
    problems = _problems(ProcessMediaRequest, _media(output_storage=CosOutputStorage(bucket="b", region="r")))
    assert problems["output_storage"] == "must be a TaskOutputStorage or a dict, not a CosOutputStorage"
    assert _problems(ProcessMediaRequest, ["not", "a", "dict"]) == {
        "": "must be a mapping or a ProcessMediaRequest, not list"
    }


def test_models_enforce_conditions_when_used_directly():
    with pytest.raises(ValidationError, match="cos_input_info is required when type is COS"):
        MediaInputInfo(type="COS")
    with pytest.raises(ValidationError, match="output_storage is required when input_info.type is URL"):
        ProcessMediaRequest(input_info={"Type": "URL", "UrlInputInfo": {"Url": "https://x/a.mp4"}})
    assert (
        MediaInputInfo(type="URL", url_input_info={"url": "https://x/a.mp4"}).url_input_info.url
        == "https://x/a.mp4"
    )


# --- unknown values (preview) ---------------------------------------------------------------------------------


def test_unknown_values_are_kept_by_normalize():
    unknown = Unknown()
    result = normalize(
        ProcessMediaRequest, {"OutputDir": unknown, "InputInfo": {"Type": "COS", "CosInputInfo": unknown}}
    )
    assert result["output_dir"] is unknown
    assert result["input_info"]["cos_input_info"] is unknown
    listed = normalize(
        ProcessMediaRequest, {"MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 20.0}, unknown]}}
    )
    assert listed["media_process_task"]["transcode_task_set"] == [{"definition": 20}, unknown]


@pytest.mark.parametrize(
    "data",
    [
        _media(output_dir=Unknown()),  # a pattern-checked string
        _media(input_info={"type": Unknown()}),  # a condition's subject
        _media(input_info={"type": "COS", "cos_input_info": Unknown()}),  # a condition's requirement
        _media(
            input_info={"type": "COS", "cos_input_info": {"bucket": Unknown(), "region": "r", "object": "/o"}}
        ),
        _media(
            input_info=Unknown(), output_storage=None
        ),  # a container, and the subject of a nested condition
        _media(media_process_task=Unknown()),
        _media(media_process_task={"transcode_task_set": Unknown()}),
        _media(media_process_task={"transcode_task_set": [{"definition": 20}, Unknown()]}),  # a list element
        _media(
            media_process_task={
                "snapshot_by_time_offset_task_set": [{"definition": 10, "time_offset_set": [1.5, Unknown()]}]
            }
        ),  # a scalar list element
        _media(tasks_priority=Unknown(), skip_mate_data=Unknown(), session_id=Unknown()),
        _media(task_notify_config={"notify_type": "TDMQ-CMQ", "cmq_model": Unknown(), "cmq_region": "gz"}),
        _media(output_dir=RPC_UNKNOWN),  # the engine's raw marker
    ],
)
def test_unknown_values_are_present_but_unchecked(data):
    assert validate(ProcessMediaRequest, data) == []
    assert validate(ProcessMediaRequest, normalize(ProcessMediaRequest, data)) == []


def test_known_problems_are_still_reported_next_to_unknowns():
    data = _media(
        output_dir=Unknown(),
        tasks_priority=99,
        media_process_task={"transcode_task_set": [Unknown(), {"definition": "x"}]},
        task_notify_config={"notify_type": "URL", "notify_mode": Unknown()},
    )
    assert _problems(ProcessMediaRequest, data) == {
        "tasks_priority": "must be between -10 and 10",
        "media_process_task.transcode_task_set[1].definition": "must be an integer",
        "task_notify_config.notify_url": "required when notify_type is URL",
    }


def test_a_caller_predicate_marks_more_values_unknown():
    class Pending:
        pass

    data = _media(
        output_dir=Pending(), media_process_task={"transcode_task_set": [Pending(), {"definition": 30}]}
    )
    assert "output_dir" in _problems(ProcessMediaRequest, data)  # not unknown by default: a type error
    assert validate(ProcessMediaRequest, data, is_unknown=lambda v: isinstance(v, Pending)) == []
    result = normalize(ProcessMediaRequest, data, is_unknown=lambda v: isinstance(v, Pending))
    assert isinstance(result["output_dir"], Pending)
    assert validate(ProcessMediaRequest, Pending(), is_unknown=lambda v: isinstance(v, Pending)) == []


def test_outputs_may_sit_inside_model_instances():
    bucket = pulumi.Output.from_input("TopRankVideo-125xxx88")
    info = MediaInputInfo(
        type="COS", cos_input_info=CosInputInfo(bucket=bucket, region="ap-chongqing", object="/a")
    )
    assert info.cos_input_info.bucket is bucket
    result = normalize(ProcessMediaRequest, {"input_info": info})
    assert result["input_info"]["cos_input_info"]["bucket"] is bucket
    assert validate(ProcessMediaRequest, result) == []


def test_models_let_only_unknown_markers_through_unchecked():
    assert isinstance(CosInputInfo(bucket=Unknown(), region="r", object="/o").bucket, Unknown)
    assert CosInputInfo(bucket=UNKNOWN, region="r", object="/o").bucket is UNKNOWN
    with pytest.raises(ValidationError, match="bucket"):
        CosInputInfo(bucket=object(), region="r", object="/o")


# --- API JSON, secrets ----------------------------------------------------------------------------------------


def test_to_api_round_trip():
    canonical = normalize(ProcessMediaRequest, DOCS_PASCAL)
    body = to_api(ProcessMediaRequest, canonical)
    assert body == DOCS_PASCAL
    assert list(body) == ["InputInfo", "OutputStorage", "OutputDir", "MediaProcessTask"]  # API order
    assert normalize(ProcessMediaRequest, body) == canonical
    assert to_api(ProcessMediaRequest, {**canonical, "session_id": None}) == DOCS_PASCAL
    assert to_api(ProcessMediaRequest, DOCS_SNAKE) == DOCS_PASCAL
    with pytest.raises(ValueError, match="foo"):
        to_api(ProcessMediaRequest, {**canonical, "foo": 1})


def test_to_api_output_is_what_the_sdk_serialises():
    for model, data in (
        (ProcessMediaRequest, DOCS_PASCAL),
        (
            ProcessLiveStreamRequest,
            {
                "Url": "rtmp://h/app/s",
                "TaskNotifyConfig": {"NotifyType": "URL", "NotifyUrl": "https://h"},
                "SessionId": "abc",
                "AiContentReviewTask": {"Definition": 10},
            },
        ),
    ):
        body = to_api(model, normalize(model, data))
        request = getattr(sdk, model.__name__)()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the SDK warns about fields it does not know
            request.from_json_string(json.dumps(body))
        assert request._serialize(allow_none=False) == body


SECRET_INPUT = {
    "InputInfo": {
        "Type": "AWS-S3",
        "S3InputInfo": {
            "S3Bucket": "in",
            "S3Region": "us-east-1",
            "S3Object": "/a.mp4",
            "S3SecretId": "AKID-in",
            "S3SecretKey": "key-in",
        },
    },
    "OutputStorage": {
        "Type": "AWS-S3",
        "S3OutputStorage": {"S3Bucket": "out", "S3Region": "us-east-1", "S3SecretKey": "key-out"},
    },
    "TaskNotifyConfig": {
        "NotifyType": "AWS-SQS",
        "AwsSQS": {
            "SQSRegion": "us-east-1",
            "SQSQueueName": "q",
            "S3SecretId": "AKID-sqs",
            "S3SecretKey": "key-sqs",
        },
    },
}


def test_secret_paths_find_every_credential():
    assert validate(ProcessMediaRequest, SECRET_INPUT) == []
    expected = {
        ("input_info", "s3_input_info", "s3_secret_id"),
        ("input_info", "s3_input_info", "s3_secret_key"),
        ("output_storage", "s3_output_storage", "s3_secret_key"),
        ("task_notify_config", "aws_sqs", "s3_secret_id"),
        ("task_notify_config", "aws_sqs", "s3_secret_key"),
    }
    canonical = normalize(ProcessMediaRequest, SECRET_INPUT)
    assert set(secret_paths(ProcessMediaRequest, canonical)) == expected
    assert set(secret_paths(ProcessMediaRequest, SECRET_INPUT)) == expected
    assert secret_paths(ProcessMediaRequest, normalize(ProcessMediaRequest, DOCS_PASCAL)) == []
    live = {
        "url": "rtmp://h/a/s",
        "task_notify_config": {"notify_type": "URL", "notify_url": "u", "notify_key": "k"},
    }
    assert secret_paths(ProcessLiveStreamRequest, live) == [("task_notify_config", "notify_key")]


def test_secret_tables():
    assert SECRET_FIELDS["S3InputInfo"] == {"s3_secret_id", "s3_secret_key"}
    assert SECRET_FIELDS["AwsSQS"] == {"s3_secret_id", "s3_secret_key"}
    assert SECRET_FIELDS["TaskNotifyConfig"] == {"notify_key"}
    assert SECRET_MEMBERS == {"s3_secret_id", "s3_secret_key", "notify_key"}
    flagged = {(obj, s.name) for obj, specs in FIELDS.items() for s in specs if s.secret}
    assert flagged == {(obj, name) for obj, names in SECRET_FIELDS.items() for name in names}


# --- names ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "snake"),
    [
        ("InputInfo", "input_info"),
        ("AIDubbingTask", "ai_dubbing_task"),
        ("VODInputInfo", "vod_input_info"),
        ("S3SecretKey", "s3_secret_key"),
        ("AwsSQS", "aws_sqs"),
        ("SQSRegion", "sqs_region"),
        ("SQSQueueName", "sqs_queue_name"),
        ("CmqModel", "cmq_model"),
        ("URLInputInfo", "url_input_info"),
        ("Url", "url"),
        ("KeyPTSList", "key_pts_list"),
        ("TEHDConfig", "tehd_config"),
        ("Type", "type"),
        ("SkipMateData", "skip_mate_data"),
        ("Stereo3dType", "stereo3d_type"),
        ("FpsDen", "fps_den"),
    ],
)
def test_api_to_snake(api, snake):
    assert api_to_snake(api) == snake


def test_api_to_snake_rejects_non_names():
    for bad in ("", "Foo-Bar", "1Abc"):
        with pytest.raises(ValueError):
            api_to_snake(bad)


def test_generated_names_are_the_converter_s():
    for obj, specs in FIELDS.items():
        for spec in specs:
            assert spec.name == api_to_snake(spec.api), (obj, spec.api)
            assert MODELS[obj].model_fields[spec.name].alias == spec.api


# --- the generated module ---------------------------------------------------------------------------------------


def _tree(root: str) -> set[str]:
    seen, stack = set(), [root]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(s.member for s in FIELDS[name] if s.is_object)
    return seen


def test_the_request_trees_are_complete():
    media, live = _tree("ProcessMediaRequest"), _tree("ProcessLiveStreamRequest")
    edit = _tree("EditMediaRequest")
    # Classes besides the request itself, and fields, as the API reference counts them.
    assert (len(media) - 1, sum(len(FIELDS[o]) for o in media)) == (97, 517)
    assert (len(live) - 1, sum(len(FIELDS[o]) for o in live)) == (10, 43)
    assert (len(edit) - 1, sum(len(FIELDS[o]) for o in edit)) == (33, 141)
    config = {f"{spec.create}Request" for spec in CONFIG_SPECS.values()}
    assert set(MODELS) == media | live | edit | {o for root in config for o in _tree(root)}
    assert {a: r for a, r in REQUESTS.items() if not a.startswith("Create")} == {
        "ProcessMedia": ProcessMediaRequest,
        "ProcessLiveStream": ProcessLiveStreamRequest,
        "EditMedia": EditMediaRequest,
    }
    # One request model per configuration kind (tools/config_kinds.py): 17 template families, Workflow, Schedule.
    assert {r.__name__ for a, r in REQUESTS.items() if a.startswith("Create")} == config
    assert len(config) == 19
    schema = load_schema()["objects"]
    for obj, specs in FIELDS.items():
        assert [s.api for s in specs] == [m["name"] for m in schema[obj]["members"]], obj
        assert list(MODELS[obj].model_fields) == [s.name for s in specs], obj
        for spec, member in zip(specs, schema[obj]["members"], strict=True):
            assert MODELS[obj].model_fields[spec.name].is_required() == member["required"], (obj, spec.api)


def test_every_generated_field_exists_in_the_pinned_sdk():
    for obj, specs in FIELDS.items():
        sdk_cls = getattr(sdk, obj, None)
        assert sdk_cls is not None, f"the SDK has no {obj}"
        attributes = {name[1:] for name in vars(sdk_cls()) if name.startswith("_")}
        assert {s.api for s in specs} == attributes, obj


def test_descriptions_come_from_the_docs_and_are_trimmed():
    field = ProcessMediaRequest.model_fields["output_dir"]
    assert "/movie/201907/" in field.description
    lengths = [len(f.description or "") for m in MODELS.values() for f in m.model_fields.values()]
    assert max(lengths) <= gen_models.DOC_LIMIT + 1
    assert sum(1 for n in lengths if n) > 500


def test_generated_files_are_current_and_deterministic():
    schema = load_schema()
    texts = gen_models.render_models(schema)
    assert texts == gen_models.render_models(json.loads(json.dumps(schema)))
    assert sorted(texts) == ["_generated.py", "_tables.py"]
    for name, text in texts.items():
        assert text.startswith("# This file is generated by tools/generate.py — do not edit.")
        on_disk = (REPO / "provider" / "pulumi_mps" / "models" / name).read_text(encoding="utf-8")
        assert text == on_disk, f"{name}: run tools/generate.py"


def test_lazy_names_match_the_generated_module():
    import pulumi_mps.models as package
    from pulumi_mps.models import _convert, _generated

    assert set(_generated.__all__) == set(package.MODEL_NAMES)
    assert set(package.__all__) >= {*_generated.__all__, *_convert.__all__, "UNKNOWN", "MpsModel"}
    assert all(getattr(package, name) is getattr(_generated, name) for name in _generated.__all__)
    with pytest.raises(AttributeError, match="no attribute 'NoSuchModel'"):
        package.NoSuchModel  # noqa: B018


LEAF_MEMBERS = [{"name": "Value", "type": "string", "member": "string", "required": False}]


def _fake_schema(members: list[dict], conditions: list | None = None) -> dict:
    return {
        "conditions": conditions or [],
        "objects": {
            "ProcessMediaRequest": {"members": members},
            "ProcessLiveStreamRequest": {"members": LEAF_MEMBERS},
            "EditMediaRequest": {"members": LEAF_MEMBERS},
            **{root: {"members": LEAF_MEMBERS} for root in gen_models.ROOTS if root.startswith("Create")},
        },
    }


def test_generator_fails_on_name_collisions_and_bad_rules():
    collide = [
        {"name": "URLPath", "type": "string", "member": "string", "required": False},
        {"name": "UrlPath", "type": "string", "member": "string", "required": False},
    ]
    with pytest.raises(gen_models.GenerationError, match="both become 'url_path'"):
        gen_models.render_models(_fake_schema(collide))
    reserved = [{"name": "Json", "type": "string", "member": "string", "required": False}]
    with pytest.raises(gen_models.GenerationError, match="not usable"):
        gen_models.render_models(_fake_schema(reserved))
    bad_condition = [{"object": "ProcessMediaRequest", "when": {"Nope.Type": "X"}, "require": ["Value"]}]
    with pytest.raises(gen_models.GenerationError, match="not a member path"):
        gen_models.render_models(_fake_schema(LEAF_MEMBERS, bad_condition))
    rule_on_list = [{"name": "Items", "type": "list", "member": "string", "required": False, "maxLength": 3}]
    with pytest.raises(gen_models.GenerationError, match="list member"):
        gen_models.render_models(_fake_schema(rule_on_list))
    ok = gen_models.render_models(
        _fake_schema([{"name": "UrlPath", "type": "string", "member": "string", "required": True}])
    )
    assert "    url_path: StrictStr = Field(" in ok["_generated.py"]
    assert "FieldSpec('url_path', 'UrlPath', 'string', 'string', required=True)," in ok["_tables.py"]


def _tccli_wheel() -> str:
    """The pinned tccli wheel: ``TCCLI_WHEEL``, or downloaded once from PyPI into the user's cache."""
    import generate

    if os.environ.get("TCCLI_WHEEL"):
        return os.environ["TCCLI_WHEEL"]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pulumi-mps" / "tccli"
    cache.mkdir(parents=True, exist_ok=True)
    return generate.download_tccli(str(cache))


def test_the_generated_files_are_what_the_pinned_tccli_gives(tmp_path):
    api_json, examples_json = tmp_path / "api.json", tmp_path / "examples.json"
    with zipfile.ZipFile(_tccli_wheel()) as wheel:
        api_json.write_bytes(wheel.read("tccli/services/mps/v20190612/api.json"))
        examples_json.write_bytes(wheel.read("tccli/services/mps/v20190612/examples.json"))
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "generate.py"),
            "--check",
            "--api-json",
            str(api_json),
            "--examples-json",
            str(examples_json),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_decimal_integer_strings_are_integers_as_in_the_api_docs_example():
    docs = {
        "InputInfo": {
            "Type": "COS",
            "CosInputInfo": {
                "Region": "ap-chongqing",
                "Object": "/movie/201907/WildAnimal.mov",
                "Bucket": "TopRankVideo-125xxx88",
            },
        },
        "MediaProcessTask": {
            "TranscodeTaskSet": [{"Definition": "30"}, {"Definition": "20"}, {"Definition": "40"}]
        },
    }
    canonical = normalize(ProcessMediaRequest, docs)
    assert canonical["media_process_task"] == {
        "transcode_task_set": [{"definition": 30}, {"definition": 20}, {"definition": 40}]
    }
    assert validate(ProcessMediaRequest, canonical) == []
    assert to_api(ProcessMediaRequest, canonical)["MediaProcessTask"]["TranscodeTaskSet"][0] == {
        "Definition": 30
    }


def test_edit_media_three_input_forms_are_one_canonical_request():
    """An EditMedia request as models, as snake_case dicts and as the docs' PascalCase JSON is the same input."""
    from pulumi_mps.models import EditMediaFileInfo, EditMediaOutputConfig, MediaInputInfo, TaskOutputStorage

    cos = {
        "bucket": "TopRankVideo-125xxx88",
        "region": "ap-chongqing",
        "object": "/movie/201907/WildAnimal.mov",
    }
    as_models = {
        "file_infos": [
            EditMediaFileInfo(
                input_info=MediaInputInfo(type="COS", cos_input_info=CosInputInfo(**cos)),
                start_time_offset=60.0,
                end_time_offset=120.0,
            )
        ],
        "output_storage": TaskOutputStorage(
            type="COS",
            cos_output_storage=CosOutputStorage(bucket="TopRankVideo-125xxx88", region="ap-chongqing"),
        ),
        "output_object_path": "/clip_result/clip_WildAnimal.{format}",
        "output_config": EditMediaOutputConfig(container="mp4"),
    }
    as_snake = {
        "file_infos": [
            {
                "input_info": {"type": "COS", "cos_input_info": cos},
                "start_time_offset": 60,
                "end_time_offset": 120,
            }
        ],
        "output_storage": {
            "type": "COS",
            "cos_output_storage": {"bucket": "TopRankVideo-125xxx88", "region": "ap-chongqing"},
        },
        "output_object_path": "/clip_result/clip_WildAnimal.{format}",
        "output_config": {"container": "mp4"},
    }
    as_docs = {
        "FileInfos": [
            {
                "InputInfo": {"Type": "COS", "CosInputInfo": {k.capitalize(): v for k, v in cos.items()}},
                "StartTimeOffset": 60.0,
                "EndTimeOffset": 120,
            }
        ],
        "OutputStorage": {
            "Type": "COS",
            "CosOutputStorage": {"Bucket": "TopRankVideo-125xxx88", "Region": "ap-chongqing"},
        },
        "OutputObjectPath": "/clip_result/clip_WildAnimal.{format}",
        "OutputConfig": {"Container": "mp4"},
    }
    from pulumi_mps._resource import _plain

    forms = [
        normalize(EditMediaRequest, _plain(as_models)),
        normalize(EditMediaRequest, as_snake),
        normalize(EditMediaRequest, as_docs),
    ]
    assert forms[0] == forms[1] == forms[2]
    from pulumi_mps._session import derive_session_id

    assert len({derive_session_id("EditMediaTask", "p/s/clip", form) for form in forms}) == 1
    assert validate(EditMediaRequest, forms[0]) == []
    assert to_api(EditMediaRequest, forms[0])["FileInfos"][0]["StartTimeOffset"] == 60


def test_float_members_take_decimal_strings_as_the_docs_write_them():
    """CreateAIRecognitionTemplate's own example writes ``"Score": "90"`` for a float member."""
    from pulumi_mps.models import CreateAIRecognitionTemplateRequest, normalize, validate

    data = normalize(CreateAIRecognitionTemplateRequest, {"FaceConfigure": {"Switch": "ON", "Score": "90"}})
    assert data["face_configure"]["score"] == 90.0
    assert validate(CreateAIRecognitionTemplateRequest, data) == []
    bad = normalize(CreateAIRecognitionTemplateRequest, {"FaceConfigure": {"Switch": "ON", "Score": "high"}})
    assert [p.path for p in validate(CreateAIRecognitionTemplateRequest, bad)] == ["face_configure.score"]
