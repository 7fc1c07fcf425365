"""Advice from the docs' recommendations: warnings at preview, never failures."""

from __future__ import annotations

from pulumi_mps._advice import advice
from pulumi_mps.models import ProcessLiveStreamRequest, ProcessMediaRequest, validate


def test_live_input_the_docs_only_recommend_against_is_advice_not_a_failure():
    request = {
        "url": "https://cdn.example.com/live/stream",
        "output_dir": "out",
        "task_notify_config": {
            "notify_type": "CMQ",
            "cmq_model": "Queue",
            "cmq_region": "gz",
            "queue_name": "q",
        },
    }
    assert validate(ProcessLiveStreamRequest, request) == []
    found = dict(advice("ProcessLiveStreamRequest", request))
    assert set(found) == {"url", "output_dir", "task_notify_config.notify_type"}
    assert "rtmp" in found["url"] and "/movie/201909/" in found["output_dir"]


def test_documented_live_input_gets_no_advice():
    for url in (
        "rtmp://l.example.com/app/s",
        "https://cdn.example.com/a.m3u8?t=1",
        "http://c.example.com/a.flv",
        "srt://1.2.3.4:9000",
        "trtc://trtc.rtc.qq.com/mps/1",
    ):
        request = {
            "url": url,
            "output_dir": "/out/",
            "task_notify_config": {"notify_type": "URL", "notify_url": "u"},
        }
        assert advice("ProcessLiveStreamRequest", request) == [], url


def test_retired_and_discouraged_notify_types_are_advice_with_their_path():
    request = {
        "input_info": {"type": "COS", "cos_input_info": {"bucket": "b", "region": "r", "object": "/a"}},
        "task_notify_config": {"notify_type": "SCF"},
    }
    assert validate(ProcessMediaRequest, request) == []
    ((path, message),) = advice("ProcessMediaRequest", request)
    assert path == "task_notify_config.notify_type" and "SCF" in message
    assert (
        advice(
            "ProcessMediaRequest",
            {**request, "task_notify_config": {"notify_type": "URL", "notify_url": "u"}},
        )
        == []
    )
