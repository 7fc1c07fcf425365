"""The engine's floor: dynamic providers that do nothing but echo their inputs.

Defined in an importable module (``bench/`` on PYTHONPATH for the program and the provider process), so they are
pickled by reference, exactly like ``pulumi_mps._providers.MediaProcessTaskProvider``. ``check`` and ``diff``
are the SDK defaults (inputs accepted as given; an empty DiffResult lets the engine compare inputs itself).

- ``Noop``: the trivial resource, the given inputs only (the floor the issue asks for).
- ``NoopShaped``: the same inputs plus the properties a ``MediaProcessTask`` declares (``resource_identity``,
  ``task_id``, ``session_id`` and the status outputs, registered as None and returned by create), to separate
  what the Pulumi SDK and engine spend per declared property from what the provider itself spends.
- ``NoopTemplateShaped``: the same for a ``TranscodeTemplate``: its inputs as given plus the properties the template
  resource declares (``resource_identity``, the outputs DescribeTranscodeTemplates reports, ``declared_paths``,
  ``adopted``), returned by create with values of the same shape (a Definition, a name, times, the video and
  audio settings with every member MPS reports, null where not set).
"""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

from pulumi.dynamic import CreateResult, Resource, ResourceProvider

OUTPUTS = (
    "status",
    "create_time",
    "begin_process_time",
    "finish_time",
    "err_code",
    "message",
    "subtasks",
    "output_paths",
    "adopted",
)


class NoopProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"noop-{uuid.uuid4().hex}", {k: v for k, v in props.items() if k != "__provider"})


class Noop(Resource, module="bench", name="Noop"):
    def __init__(self, resource_name: str, **props: Any) -> None:
        super().__init__(NoopProvider(), resource_name, props)


class NoopShapedProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        task_id = f"noop-{uuid.uuid4().hex}"
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            task_id=task_id,
            session_id=f"pmps1-{task_id[5:45]}",
            status="WAITING",
            create_time="",
            begin_process_time="",
            finish_time="",
            err_code=0,
            message="",
            subtasks=[],
            output_paths=[],
            adopted=False,
        )
        return CreateResult(task_id, outs)


class NoopShaped(Resource, module="bench", name="NoopShaped"):
    def __init__(self, resource_name: str, **props: Any) -> None:
        props["resource_identity"] = f"bench/bench/{resource_name}"
        for key in (*OUTPUTS, "task_id", "session_id"):
            props.setdefault(key, None)
        super().__init__(NoopShapedProvider(), resource_name, props)


# The outputs a TranscodeTemplate declares (pulumi_mps: the spec's outputs, then declared_paths and adopted); listed
# here so that neither the program nor the provider of the floor imports pulumi_mps.
TEMPLATE_OUTPUTS = (
    "definition",
    "container",
    "name",
    "comment",
    "type",
    "remove_video",
    "remove_audio",
    "video_template",
    "audio_template",
    "tehd_config",
    "container_type",
    "create_time",
    "update_time",
    "enhance_config",
    "alias_name",
    "declared_paths",
    "adopted",
)
# The members DescribeTranscodeTemplates reports of a template's video and audio settings, null where not set.
VIDEO_MEMBERS = (
    "bframes",
    "bit_depth",
    "bitrate",
    "codec",
    "compress",
    "compress_type",
    "fill_type",
    "fps",
    "fps_denominator",
    "gop",
    "gop_unit",
    "height",
    "hls_time",
    "mode",
    "no_scenecut",
    "raw_pts",
    "resolution_adaptive",
    "sar",
    "scenario_based",
    "scene_type",
    "segment_specific_info",
    "segment_type",
    "stereo3d_type",
    "vcrf",
    "video_level",
    "video_profile",
    "width",
)
AUDIO_MEMBERS = (
    "audio_channel",
    "audio_language",
    "audio_name",
    "bitrate",
    "codec",
    "default_track",
    "sample_rate",
    "track_channel_info",
)
_DEFINITIONS = itertools.count(1_000_000 + int(time.time()) % 1_000_000)


def _paths(value: Any, prefix: str = "") -> list[str]:
    """The dotted path of every key in ``value``, as the template's ``declared_paths`` output lists them."""
    found: list[str] = []
    for key, item in value.items() if isinstance(value, dict) else ():
        path = f"{prefix}.{key}" if prefix else key
        found += [path, *_paths(item, path)]
    return found


class NoopTemplateShapedProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        definition = next(_DEFINITIONS)
        outs = {k: v for k, v in props.items() if k != "__provider"}
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        outs.update(
            definition=definition,
            name=f"{str(props.get('resource_identity')).rsplit('/', 1)[-1]}-0123abcd",
            comment="",
            type="Custom",
            remove_video=0,
            remove_audio=0,
            tehd_config={"type": "", "max_video_bitrate": None},
            container_type="Video",
            create_time=now,
            update_time=now,
            enhance_config=None,
            alias_name="",
            declared_paths=_paths(
                {k: props.get(k) for k in ("container", "video_template", "audio_template")}
            ),
            adopted=False,
        )
        for key, members in (("video_template", VIDEO_MEMBERS), ("audio_template", AUDIO_MEMBERS)):
            if isinstance(props.get(key), dict):
                outs[key] = {**dict.fromkeys(members), **props[key]}
        return CreateResult(str(definition), outs)


class NoopTemplateShaped(Resource, module="bench", name="NoopTemplateShaped"):
    def __init__(self, resource_name: str, **props: Any) -> None:
        props["resource_identity"] = f"bench/bench/{resource_name}"
        for key in TEMPLATE_OUTPUTS:
            props.setdefault(key, None)
        super().__init__(NoopTemplateShapedProvider(), resource_name, props)
