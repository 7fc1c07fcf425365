"""The SessionId derivation is a contract with every deployed stack: these vectors must never change."""

from __future__ import annotations

import hashlib
import json

import pytest

from pulumi_mps._session import MAX_LENGTH, PREFIX, derive_session_id

SEED_REQUEST = {
    "input_info": {
        "type": "COS",
        "cos_input_info": {
            "bucket": "TopRankVideo-125xxx88",
            "object": "/movie/201907/WildAnimal.mov",
            "region": "ap-chongqing",
        },
    },
    "media_process_task": {
        "transcode_task_set": [{"definition": 20}, {"definition": 30}, {"definition": 40}]
    },
}

# The EditMedia API docs' clip example.
CLIP_REQUEST = {
    "file_infos": [
        {
            "input_info": {
                "type": "COS",
                "cos_input_info": {
                    "bucket": "TopRankVideo-125xxx88",
                    "region": "ap-chongqing",
                    "object": "/movie/201907/WildAnimal.mov",
                },
            },
            "start_time_offset": 60.0,
            "end_time_offset": 120.0,
        }
    ],
    "output_storage": {
        "type": "COS",
        "cos_output_storage": {"bucket": "TopRankVideo-125xxx88", "region": "ap-chongqing"},
    },
    "output_object_path": "/clip_result/clip_WildAnimal.{format}",
}

GOLDEN = [
    (
        ("MediaProcessTask", "quickstart/dev/transcode", SEED_REQUEST, None),
        "pmps1-f1054603ea71dca6c64f6ef004d7f5fea4ffba7f",
    ),
    (
        ("MediaProcessTask", "quickstart/dev/transcode", SEED_REQUEST, {"build": 2}),
        "pmps1-fa775cc55bb165c9ad55c0df4dcca8a521228705",
    ),
    (
        (
            "LiveStreamProcessTask",
            "live/prod/moderation",
            {
                "url": "rtmp://live.example.com/app/stream",
                "task_notify_config": {"notify_type": "URL", "notify_url": "https://hooks.example.com/mps"},
            },
            None,
        ),
        "pmps1-a2a484ba553e33fa692dea1438bd5d73af255c03",
    ),
    (
        ("MediaProcessTask", "p/s/名字", {"session_context": "上下文"}, ["a", 1.0]),
        "pmps1-a468fe42f1af69ded2f47b5f3641225ac94d3eb4",
    ),
    (
        ("EditMediaTask", "clips/dev/clip", CLIP_REQUEST, None),
        "pmps1-0dfe15e5c8d3c5d75b9d72cd4fe05b5d56182759",
    ),
]


@pytest.mark.parametrize(("args", "expected"), GOLDEN)
def test_golden_vectors(args, expected):
    assert derive_session_id(*args) == expected


def test_documented_recipe():
    material = json.dumps(
        {
            "identity": "quickstart/dev/transcode",
            "kind": "MediaProcessTask",
            "request": SEED_REQUEST,
            "triggers": None,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert GOLDEN[0][1] == PREFIX + hashlib.sha256(material.encode()).hexdigest()[:40]


def test_fits_the_api_limit():
    assert len(GOLDEN[0][1]) <= MAX_LENGTH


def test_floats_and_key_order_do_not_matter():
    reordered = {
        "media_process_task": {
            "transcode_task_set": [{"definition": 20.0}, {"definition": 30}, {"definition": 40.0}]
        },
        "input_info": SEED_REQUEST["input_info"],
    }
    assert derive_session_id("MediaProcessTask", "quickstart/dev/transcode", reordered) == GOLDEN[0][1]


@pytest.mark.parametrize("change", ["identity", "kind", "request", "triggers"])
def test_every_part_changes_the_id(change):
    args = {
        "kind": "MediaProcessTask",
        "identity": "quickstart/dev/transcode",
        "request": SEED_REQUEST,
        "triggers": None,
    }
    args[change] = {
        "identity": "quickstart/prod/transcode",
        "kind": "LiveStreamProcessTask",
        "request": {**SEED_REQUEST, "tasks_priority": 1},
        "triggers": 1,
    }[change]
    assert derive_session_id(**args) != GOLDEN[0][1]
