"""Event notifications end to end: stacks deployed by the real CLI whose tasks notify a receiver on loopback
(NotifyType URL), as a team would test the receiver its stack points at."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.emulator.helpers import eventually
from tests.pulumi_harness import new_project
from tests.receiver import Receiver

pytestmark = pytest.mark.e2e

NOTIFY_KEY = "e2e-notify-key-plaintext"

LIVE_PROGRAM = """
import pulumi
from pulumi_mps import LiveStreamProcessTask

config = pulumi.Config()
task = LiveStreamProcessTask(
    "moderation",
    url="rtmp://live.example.com/live/channel-1",
    task_notify_config={"NotifyType": "URL", "NotifyUrl": config.require("notifyUrl"),
                        "NotifyKey": config.require_secret("notifyKey")},
    ai_content_review_task={"Definition": 10},
    ai_recognition_task={"Definition": 10},
    session_context="channel-1",
)
pulumi.export("task_id", task.task_id)
"""

MEDIA_PROGRAM = """
import pulumi
from pulumi_mps import MediaProcessTask

config = pulumi.Config()
task = MediaProcessTask(
    "transcode",
    input_info={"Type": "COS", "CosInputInfo": {"Bucket": "TopRankVideo-125xxx88", "Region": "ap-chongqing",
                                                "Object": "/movie/201907/WildAnimal.mov"}},
    media_process_task={"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 30}]},
    task_notify_config={"NotifyType": "URL", "NotifyMode": "Finish", "NotifyUrl": config.require("notifyUrl"),
                        "NotifyKey": config.require_secret("notifyKey")},
)
pulumi.export("task_id", task.task_id)
"""


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def signed(event: dict) -> bool:
    return event["Sign"] == hashlib.md5(f"{event['Timestamp']}{NOTIFY_KEY}".encode()).hexdigest()


def notifying_stack(make_stack, tmp_path, mps_env, receiver, name, program):
    stack = make_stack(new_project(tmp_path / name, name, program), env=mps_env)
    stack.set_config("notifyUrl", receiver.url)
    stack.set_config("notifyKey", NOTIFY_KEY, secret=True)
    return stack


def test_a_live_task_notifies_its_ai_results_and_its_end_on_destroy(
    make_stack, tmp_path, mps_env, mps_emulator, receiver
):
    admin = mps_emulator.admin
    stack = notifying_stack(make_stack, tmp_path, mps_env, receiver, "live", LIVE_PROGRAM)
    stack.up()
    task_id = stack.outputs()["task_id"]
    assert receiver.events == []

    admin.advance_clock(30)  # WAITING 5 s, then the AI results 10 s into processing
    assert sorted(e["NotificationType"] for e in receiver.events) == ["AiRecognitionResult", "AiReviewResult"]

    stack.destroy()  # aborts the live task: ProcessEof
    assert eventually(lambda: len(receiver.events) == 3, timeout=10), receiver.events
    eof = receiver.events[-1]
    assert eof["NotificationType"] == "ProcessEof" and eof["ProcessEofInfo"]["ErrCode"] != 0
    for event in receiver.events:
        assert event["TaskId"] == task_id and event["SessionContext"] == "channel-1"
        assert signed(event), event
    assert NOTIFY_KEY not in json.dumps(admin.notifications()) + json.dumps(admin.tasks())


def test_a_media_task_with_finish_notifies_once_with_what_refresh_reports(
    make_stack, tmp_path, mps_env, mps_emulator, receiver
):
    admin = mps_emulator.admin
    stack = notifying_stack(make_stack, tmp_path, mps_env, receiver, "media", MEDIA_PROGRAM)
    stack.up()
    assert NOTIFY_KEY not in json.dumps(stack.export())

    admin.advance_clock(60)
    stack.refresh()
    admin.advance_clock(3600)
    stack.refresh()
    (event,) = receiver.events
    assert event["EventType"] == "WorkflowTask" and signed(event)
    workflow = event["WorkflowTaskEvent"]
    (resource,) = stack.resources("MediaProcessTask")
    outputs = resource["outputs"]
    assert workflow["TaskId"] == outputs["task_id"] == stack.outputs()["task_id"]
    assert (
        (workflow["Status"], workflow["ErrCode"]) == (outputs["status"], outputs["err_code"]) == ("FINISH", 0)
    )
    results = [r["TranscodeTask"] for r in workflow["MediaProcessResultSet"]]
    assert [r["Output"]["Path"] for r in results] == outputs["output_paths"]
    assert outputs["output_paths"] == [f"/movie/201907/WildAnimal_transcode_{d}.mp4" for d in (20, 30)]
    assert [r["Status"] for r in results] == [s["status"] for s in outputs["subtasks"]]
    assert event["SessionId"] == admin.task(workflow["TaskId"])["SessionId"]
