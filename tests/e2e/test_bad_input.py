"""A catalogue of invalid specs and settings: each is rejected at `pulumi preview` with a message naming the field
(or config key) and showing the value shortened, with no traceback, and not one request reaches MPS."""

from __future__ import annotations

import json

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

COS = {
    "type": "COS",
    "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing", "object": "/in.mov"},
}
NOTIFY = {"notify_type": "URL", "notify_url": "https://hooks.example.com/mps"}
RTMP = "rtmp://live.example.com/live/s"

# (resource kind, keyword arguments, the property path the error must name)
CATALOGUE = [
    ("media", {}, "input_info"),
    ("media", {"input_info": {"cos_input_info": COS["cos_input_info"]}}, "input_info.type"),
    ("media", {"input_info": {"type": "FTP"}}, "input_info.type"),
    ("media", {"input_info": {"type": "COS"}}, "input_info.cos_input_info"),
    (
        "media",
        {"input_info": {"type": "COS", "cos_input_info": {"region": "ap-chongqing", "object": "/a"}}},
        "input_info.cos_input_info.bucket",
    ),
    (
        "media",
        {"input_info": {"type": "COS", "cos_input_info": {"bucket": "b", "object": "/a"}}},
        "input_info.cos_input_info.region",
    ),
    (
        "media",
        {"input_info": {"type": "COS", "cos_input_info": {"bucket": "b", "region": "r"}}},
        "input_info.cos_input_info.object",
    ),
    (
        "media",
        {"input_info": {"type": "COS", "cos_input_info": {"bucket": 7, "region": "r", "object": "/a"}}},
        "input_info.cos_input_info.bucket",
    ),
    ("media", {"input_info": {"type": "URL"}}, "input_info.url_input_info"),
    (
        "media",
        {"input_info": {"type": "URL", "url_input_info": {"url": "https://x/a.mp4"}}},
        "output_storage",
    ),
    (
        "media",
        {"input_info": {"type": "AWS-S3", "s3_input_info": {"s3_bucket": "b", "s3_region": "us-east-1"}}},
        "input_info.s3_input_info.s3_object",
    ),
    ("media", {"input_info": COS, "output_storage": {"type": "HDFS"}}, "output_storage.type"),
    ("media", {"input_info": COS, "output_storage": {"type": "AWS-S3"}}, "output_storage.s3_output_storage"),
    ("media", {"input_info": COS, "output_dir": "out/"}, "output_dir"),
    ("media", {"input_info": COS, "output_dir": "/out"}, "output_dir"),
    ("media", {"input_info": COS, "tasks_priority": 11}, "tasks_priority"),
    ("media", {"input_info": COS, "tasks_priority": -11}, "tasks_priority"),
    ("media", {"input_info": COS, "tasks_priority": 1.5}, "tasks_priority"),
    ("media", {"input_info": COS, "session_context": "x" * 1001}, "session_context"),
    ("media", {"input_info": COS, "session_id": "s" * 51}, "session_id"),
    ("media", {"input_info": COS, "task_type": "Later"}, "task_type"),
    ("media", {"input_info": COS, "skip_mate_data": 2}, "skip_mate_data"),
    (
        "media",
        {"input_info": COS, "media_process_task": {"transcode_task_set": [{}]}},
        "media_process_task.transcode_task_set[0].definition",
    ),
    (
        "media",
        {
            "input_info": COS,
            "media_process_task": {"transcode_task_set": [{"definition": 20}, {"definition": "x20"}]},
        },
        "media_process_task.transcode_task_set[1].definition",
    ),
    (
        "media",
        {"input_info": COS, "media_process_task": {"transcode_task_set": {"definition": 20}}},
        "media_process_task.transcode_task_set",
    ),
    (
        "media",
        {"input_info": COS, "media_process_task": {"transcode_task_set": [{"definiton": 20}]}},
        "media_process_task.transcode_task_set[0].definiton",
    ),
    ("media", {"input_info": COS, "media_process_task": "transcode"}, "media_process_task"),
    ("media", {"input_info": COS, "ai_analysis_task": {"definition": -1}}, "ai_analysis_task.definition"),
    (
        "media",
        {"input_info": COS, "task_notify_config": {"notify_type": "URL"}},
        "task_notify_config.notify_url",
    ),
    (
        "media",
        {"input_info": COS, "task_notify_config": {"notify_type": "AWS-SQS"}},
        "task_notify_config.aws_sqs",
    ),
    (
        "media",
        {"input_info": COS, "task_notify_config": {"notify_mode": "Sometimes"}},
        "task_notify_config.notify_mode",
    ),
    ("media", {"input_info": COS, "abort_on_delete": "yes"}, "abort_on_delete"),
    ("media", {"input_info": COS, "wait_timeout_seconds": -5}, "wait_timeout_seconds"),
    ("live", {"task_notify_config": NOTIFY}, "url"),
    ("live", {"url": RTMP}, "task_notify_config"),
    ("live", {"url": RTMP, "task_notify_config": {"notify_type": "URL"}}, "task_notify_config.notify_url"),
    (
        "live",
        {"url": RTMP, "task_notify_config": NOTIFY, "ai_content_review_task": {"definition": "ten"}},
        "ai_content_review_task.definition",
    ),
    # Ranges and finiteness the schema's types imply, nested PascalCase paths, a large value.
    (
        "media",
        {"input_info": COS, "media_process_task": {"TranscodeTaskSet": [{"Definition": 2**70}]}},
        "media_process_task.transcode_task_set[0].definition",
    ),
    (
        "media",
        {
            "input_info": COS,
            "media_process_task": {"TranscodeTaskSet": [{"Definition": 20, "StartTimeOffset": float("nan")}]},
        },
        "media_process_task.transcode_task_set[0].start_time_offset",
    ),
    (
        "media",
        {
            "input_info": COS,
            "media_process_task": {
                "transcode_task_set": [{"definition": 20, "end_time_offset": float("inf")}]
            },
        },
        "media_process_task.transcode_task_set[0].end_time_offset",
    ),
    ("media", {"input_info": COS, "tasks_priority": -(2**70)}, "tasks_priority"),
    ("media", {"input_info": COS, "output_dir": "x" * 100_000}, "output_dir"),
    ("media", {"input_info": COS, "triggers": {"n": float("nan")}}, "triggers.n"),
    ("media", {"input_info": COS, "wait_timeout_seconds": float("nan")}, "wait_timeout_seconds"),
]


def test_catalogue_is_large_enough():
    assert len(CATALOGUE) >= 30


@pytest.fixture(scope="module")
def bad_stack(pulumi_cli, tmp_path_factory):
    from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator
    from tests.pulumi_harness import Stack

    home = tmp_path_factory.mktemp("bad-input")
    with Emulator(port=0) as emu:
        env = {
            "MPS_ENDPOINT": emu.url,
            "TENCENTCLOUD_SECRET_ID": DEFAULT_SECRET_ID,
            "TENCENTCLOUD_SECRET_KEY": DEFAULT_SECRET_KEY,
        }
        stack = Stack(new_project(home / "project", "bad", "\n"), pulumi_cli, home, env=env).init()
        yield stack, emu


@pytest.mark.parametrize(
    ("kind", "kwargs", "path"), CATALOGUE, ids=[f"{c[2]}-{i}" for i, c in enumerate(CATALOGUE)]
)
def test_invalid_spec_is_rejected_at_preview_naming_its_field(bad_stack, kind, kwargs, path):
    stack, emu = bad_stack
    cls = {"media": "MediaProcessTask", "live": "LiveStreamProcessTask"}[kind]
    (stack.workdir / "__main__.py").write_text(
        f"import json\nfrom pulumi_mps import {cls}\n{cls}('bad', **json.loads({json.dumps(json.dumps(kwargs))}))\n"
    )
    result = stack.preview(check=False)
    assert result.returncode != 0
    errors = [line for line in result.output.splitlines() if "error:" in line and "resource 'bad'" in line]
    assert errors, result.output
    assert any(f"has a problem: {path}: " in line for line in errors), f"{path!r} not named in:\n{errors}"
    assert "<nil>" not in result.output and "Traceback" not in result.output
    assert max(len(line) for line in errors) < 1000
    assert emu.admin.requests() == []
    assert emu.admin.tasks() == []


CONFIG_CATALOGUE = [
    ("mps:endpoint", "not a url at all", "must name a valid host"),
    ("mps:endpoint", "http://127.0.0.1:99999", "port must be a number from 1 to 65535"),
    ("mps:endpoint", "ftp://mps.example.com", "must start with http:// or https://"),
    ("mps:rateLimit", "fast", "must be a number of calls per second"),
    ("mps:rateLimit", "1e999", "must be a number of calls per second"),
    ("mps:adoptDuplicates", "maybe", "must be true or false"),
]


def test_bad_config_fails_at_preview_naming_the_key_and_credentials_are_not_needed(
    make_stack, tmp_path, mps_emulator
):
    program = f"from pulumi_mps import MediaProcessTask\nMediaProcessTask('t', input_info={COS!r})\n"
    stack = make_stack(
        new_project(tmp_path / "config", "config", program), env={"MPS_ENDPOINT": mps_emulator.url}
    )
    stack.preview()  # a GitOps preview job: no credentials anywhere
    for key, value, text in CONFIG_CATALOGUE:
        stack.set_config(key, value)
        result = stack.preview(check=False)
        assert result.returncode != 0, (key, value)
        assert any(
            f"{key} " in line and text in line for line in result.output.splitlines() if "error:" in line
        ), result.output
        assert "Traceback" not in result.output
        stack.run("config", "rm", key)
    assert mps_emulator.admin.requests() == []
    missing = stack.up(check=False)
    assert missing.returncode != 0 and "TENCENTCLOUD_SECRET_KEY" in missing.output


TRIGGERS_PROGRAM = """
import datetime
import pulumi
from pulumi_mps import MediaProcessTask

deep = []
for _ in range(pulumi.Config().get_int("depth") or 1):
    deep = [deep]
MediaProcessTask("t", input_info={cos!r},
                 triggers={{"at": datetime.datetime(2026, 11, 24, 10, 0), "tags": {{"b", "a"}}, "blob": b"\\x00",
                            "deep": deep}})
"""


def test_dates_sets_and_bytes_are_trigger_values_and_a_too_deep_one_is_named(
    make_stack, tmp_path, mps_env, mps_emulator
):
    stack = make_stack(
        new_project(tmp_path / "triggers", "triggers", TRIGGERS_PROGRAM.format(cos=COS)), env=mps_env
    )
    stack.up()
    (task,) = stack.resources("MediaProcessTask")
    assert (
        task["inputs"]["triggers"]["at"] == "2026-11-24T10:00:00"
        and task["inputs"]["triggers"]["tags"] == ["a", "b"]
        and task["inputs"]["triggers"]["blob"] == "AA=="
    )
    stack.preview("--expect-no-changes")
    stack.set_config("depth", "2000")
    result = stack.preview(check=False)
    assert result.returncode != 0 and "Traceback" not in result.output
    assert any(
        "has a problem: triggers.deep" in line and "nested more than 64 levels deep" in line
        for line in result.output.splitlines()
    ), result.output
