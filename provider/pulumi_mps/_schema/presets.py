"""The preset (system) templates every account has, each with where the docs list it.

Shared by the emulator (which answers them) and the provider (whose preview refuses to adopt one).

Two sources, merged per family: the API docs' own ``Describe<X>Templates`` response examples (tccli's
examples.json, kept beside the schema): every item they show with ``"Type": "Preset"`` is a preset, with the
members the example shows; and the preset tables and sentences of the docs below, for IDs no example shows.
Presets are the same for every account, cannot be changed or deleted, and are never stored.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import load_examples

PRESET_TIME = "2019-07-25T00:00:00Z"  # CreateTime / UpdateTime of presets no example shows


@dataclass(frozen=True)
class Preset:
    definition: int
    body: Mapping[str, Any]  # the members as Describe shows them (without Definition, Type and the times)
    created: str = PRESET_TIME
    updated: str = PRESET_TIME


def _video(height: int, bitrate: int) -> dict[str, Any]:
    return {
        "Codec": "libx264",
        "Fps": 25,
        "Bitrate": bitrate,
        "ResolutionAdaptive": "open",
        "Width": 0,
        "Height": height,
    }


def _audio(bitrate: int, codec: str = "libfdk_aac") -> dict[str, Any]:
    return {"Codec": codec, "Bitrate": bitrate, "SampleRate": 44100, "AudioChannel": 2}


def _transcode(
    name: str, container: str, video: dict[str, Any] | None, audio: dict[str, Any]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Name": name,
        "Comment": "",
        "Container": container,
        "RemoveVideo": 0,
        "RemoveAudio": 0,
    }
    if video is None:
        body["RemoveVideo"] = 1
    else:
        body["VideoTemplate"] = video
    body["AudioTemplate"] = audio
    return body


# MPS docs, "系统预设模板" (cloud.tencent.com/document/product/876/37042; MPS intl 1041/33476): MP4 100010 (流畅, ×360,
# 400 kbps), 100020 (标清, ×540, 1000 kbps), 100030 (高清, ×720, 1800 kbps), 100040 (全高清, ×1080, 2500 kbps), 100070
# (2K, ×1440, 3000 kbps), 100080 (4K, ×2160, 6000 kbps), each also as HLS at 100210 ... 100280; 25 fps, H.264, AAC
# 44100 Hz stereo at 64 kbps (FLU, SD), 128 kbps (HD, FHD), 160 kbps (2K, 4K). Audio: M4A 1100, 1110, 1120, 1130,
# 1140 (AAC 24, 48, 96, 192, 256 kbps); MP3 1010, 1020 (128, 320 kbps). The example names 100010 "MP4-FLU"; the
# other names follow its pattern.
_LEVELS = (("FLU", 10, 360, 400, 64), ("SD", 20, 540, 1000, 64), ("HD", 30, 720, 1800, 128),
           ("FHD", 40, 1080, 2500, 128), ("2K", 70, 1440, 3000, 160), ("4K", 80, 2160, 6000, 160))  # fmt: skip
_TRANSCODE = {
    **{100000 + n: _transcode(f"MP4-{lv}", "mp4", _video(h, vb), _audio(ab)) for lv, n, h, vb, ab in _LEVELS},
    **{100200 + n: _transcode(f"HLS-{lv}", "hls", _video(h, vb), _audio(ab)) for lv, n, h, vb, ab in _LEVELS},
    **{
        d: _transcode(f"M4A-{kb}K", "m4a", None, _audio(kb))
        for d, kb in zip(range(1100, 1150, 10), (24, 48, 96, 192, 256), strict=True)
    },
    1010: _transcode("MP3-128K", "mp3", None, _audio(128, "libmp3lame")),
    1020: _transcode("MP3-320K", "mp3", None, _audio(320, "libmp3lame")),
    # The same page: "名称为流畅、标清、高清和全高清等的常用参数模板在转码模板中分别通过10、20、30以及40等 ID 来标识";
    # ProcessMedia's example transcodes with 20, 30 and 40, CreateSchedule's with 10.
    **{n: _transcode(lv, "mp4", _video(h, vb), _audio(ab)) for lv, n, h, vb, ab in _LEVELS[:4]},
    # DescribeTaskDetail's example: Definition 210, output ".m3u8", Container "hls,applehttp".
    210: _transcode("HLS-FLU", "hls", _video(360, 400), _audio(64)),
}

_DOCUMENTED: dict[str, dict[int, dict[str, Any]]] = {
    "TranscodeTemplate": _TRANSCODE,
    # api.json AiQualityControlTaskInput.Definition: "预设模板如下： - 10：开启所有质检项； - 20：仅开启格式诊断对应质检项；
    # - 30：仅开启无参考打分对应质检项； - 40：仅开启画面质量对应质检项。"
    "QualityControlTemplate": {
        10: {"Name": "开启所有质检项"},
        20: {"Name": "仅开启格式诊断对应质检项"},
        30: {"Name": "仅开启无参考打分对应质检项"},
        40: {"Name": "仅开启画面质量对应质检项"},
    },
    # ProcessLiveStream's example (examples.json and /work/shared/seeds/ProcessLiveStream-API.txt) recognises with
    # "AiRecognitionTask.Definition=10".
    "AIRecognitionTemplate": {10: {"Name": "Presetting Template10"}},
    # ProcessMedia's example "发起自适应码流任务" streams with AdaptiveDynamicStreamingTaskSet Definition 10.
    "AdaptiveDynamicStreamingTemplate": {10: {"Name": "Adaptive-HLS", "Format": "HLS"}},
}


@functools.cache
def presets() -> dict[str, dict[int, Preset]]:
    """Every family's presets by Definition: the examples' first, then the documented ones no example shows."""
    found: dict[str, dict[int, Preset]] = {}
    for action, examples in load_examples()["actions"].items():
        listing = re.fullmatch(r"Describe(\w+Template)s", action)
        if listing is None:
            continue
        for example in examples:
            answer = json.loads(example["output"])["Response"]
            for items in (v for v in answer.values() if isinstance(v, list)):
                for item in items:
                    if isinstance(item, dict) and item.get("Type") == "Preset":
                        _add(found, listing[1], item)
    for family, table in _DOCUMENTED.items():
        for definition, body in table.items():
            found.setdefault(family, {}).setdefault(definition, Preset(definition, body))
    return found


def _add(found: dict[str, dict[int, Preset]], family: str, item: Mapping[str, Any]) -> None:
    definition = int(item["Definition"])
    body = {k: v for k, v in item.items() if k not in ("Definition", "Type", "CreateTime", "UpdateTime")}
    preset = Preset(
        definition, body, item.get("CreateTime") or PRESET_TIME, item.get("UpdateTime") or PRESET_TIME
    )
    found.setdefault(family, {}).setdefault(definition, preset)
