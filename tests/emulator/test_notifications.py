"""Event notifications: the POSTs to NotifyUrl for NotifyType URL (ParseNotification's and
ParseLiveStreamProcessNotification's output), Finish and Change, Sign and Timestamp, retries, the admin listing,
the virtual clock, the other NotifyTypes, secrets; and the two Parse actions."""

from __future__ import annotations

import hashlib
import json
import logging

import pytest

from pulumi_mps.emulator import (
    ABORTED_ERROR_CODE,
    DEFAULT_APPID,
    LIVE_WAITING_SECONDS,
    MEDIA_PROCESSING_SECONDS,
    MEDIA_WAITING_SECONDS,
    SOURCE_ERROR_CODE,
    Account,
    Backend,
)
from pulumi_mps.emulator._notify import LIVE_RESULT_SECONDS, NOTIFY_RETRIES, RETRY_BACKOFF_SECONDS, Notifier
from tests.api_examples import request_examples
from tests.receiver import Receiver

from .helpers import (
    assert_schema_shape,
    call,
    detail,
    eventually,
    expect_error,
    live_params,
    media_params,
    s3_input,
)

KEY = "notify-key-do-not-leak"
FINISH_AT = MEDIA_WAITING_SECONDS + MEDIA_PROCESSING_SECONDS
LIVE_RESULTS_AT = LIVE_WAITING_SECONDS + LIVE_RESULT_SECONDS


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def url_config(receiver: Receiver, **extra: str) -> dict[str, str]:
    return {"NotifyType": "URL", "NotifyUrl": receiver.url, "NotifyKey": KEY, **extra}


def signed(body: dict) -> bool:
    """The receiver's check: Sign = MD5(Timestamp + NotifyKey)."""
    return body["Sign"] == hashlib.md5(f"{body['Timestamp']}{KEY}".encode()).hexdigest()


def created_at(admin, task_id: str) -> float:
    from pulumi_mps.emulator._clock import parse_iso

    return parse_iso(admin.task(task_id)["CreateTime"])


# --- media, schedule and edit tasks ------------------------------------------------------------------------


def test_finish_sends_one_workflow_task_event_when_the_task_finishes(mps_client, admin, receiver):
    params = media_params(
        TaskNotifyConfig=url_config(receiver), SessionId="s-finish", SessionContext="ctx: a b&c"
    )
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    admin.advance_clock(FINISH_AT - 1)
    assert receiver.events == []
    admin.advance_clock(2)
    (event,) = receiver.events
    assert_schema_shape(event, "ParseNotificationResponse")
    assert event["EventType"] == "WorkflowTask"
    assert event["EditMediaTaskEvent"] is None and event["ScheduleTaskEvent"] is None
    assert event["WorkflowTaskEvent"] == detail(mps_client, task_id)["WorkflowTask"]
    assert event["WorkflowTaskEvent"]["Status"] == "FINISH"
    assert (event["SessionId"], event["SessionContext"]) == ("s-finish", "ctx: a b&c")
    # "来自媒体处理的消息通知默认过期时间是10分钟": Timestamp is the event's time + 600 s.
    assert event["Timestamp"] == int(created_at(admin, task_id) + FINISH_AT) + 600
    assert signed(event)
    (sent,) = receiver.received
    assert sent["headers"]["Content-Type"] == "application/json" and sent["path"] == "/mps-events"
    (delivery,) = admin.notifications()
    assert (delivery["TaskId"], delivery["Event"], delivery["Url"]) == (task_id, "FINISH", receiver.url)
    assert (delivery["State"], delivery["Status"], delivery["Answer"]) == ("delivered", 200, "ok")
    assert delivery["Body"] == event and len(delivery["Attempts"]) == 1
    admin.advance_clock(3600)
    assert len(receiver.events) == 1  # once


def test_finish_is_the_default_mode(mps_client, admin, receiver):
    config = url_config(receiver)
    task_id = call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=config))["TaskId"]
    admin.advance_clock(60)
    assert [e["WorkflowTaskEvent"]["TaskId"] for e in receiver.events] == [task_id]


def test_change_sends_one_event_per_status_change(mps_client, admin, receiver):
    config = url_config(receiver, NotifyMode="Change")
    task_id = call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=config))["TaskId"]
    admin.advance_clock(MEDIA_WAITING_SECONDS + 1)
    (started,) = receiver.events
    assert started["WorkflowTaskEvent"]["Status"] == "PROCESSING"
    assert started["WorkflowTaskEvent"]["MediaProcessResultSet"][0]["TranscodeTask"]["Status"] == "PROCESSING"
    admin.advance_clock(60)
    assert [e["WorkflowTaskEvent"]["Status"] for e in receiver.events] == ["PROCESSING", "FINISH"]
    assert receiver.events[1]["WorkflowTaskEvent"] == detail(mps_client, task_id)["WorkflowTask"]
    assert all(signed(e) for e in receiver.events)
    assert [d["Event"] for d in admin.notifications(task_id)] == ["PROCESSING", "FINISH"]


def test_a_task_aborted_while_waiting_never_starts_so_change_sends_only_its_end(mps_client, admin, receiver):
    config = url_config(receiver, NotifyMode="Change")
    task_id = call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=config))["TaskId"]
    call(mps_client, "ManageTask", {"OperationType": "Abort", "TaskId": task_id})
    admin.advance_clock(60)
    (event,) = receiver.events
    assert (event["WorkflowTaskEvent"]["Status"], event["WorkflowTaskEvent"]["ErrCode"]) == (
        "FINISH",
        ABORTED_ERROR_CODE,
    )


def test_a_failed_source_is_reported_in_the_event(mps_client, admin, receiver):
    params = media_params(obj="/movie/fail-corrupt.mov", TaskNotifyConfig=url_config(receiver))
    call(mps_client, "ProcessMedia", params)
    admin.advance_clock(60)
    (event,) = receiver.events
    assert event["WorkflowTaskEvent"]["ErrCode"] == SOURCE_ERROR_CODE


def test_schedule_and_edit_tasks_send_their_own_event_types(mps_client, admin, receiver):
    schedule = media_params(
        ScheduleId=30000,
        TaskNotifyConfig=url_config(receiver),
    )
    schedule_id = call(mps_client, "ProcessMedia", schedule)["TaskId"]
    (_, clip), *_ = request_examples("EditMedia")
    edit_id = call(mps_client, "EditMedia", {**clip, "TaskNotifyConfig": url_config(receiver)})["TaskId"]
    admin.advance_clock(60)
    by_type = {e["EventType"]: e for e in receiver.events}
    assert set(by_type) == {"ScheduleTask", "EditMediaTask"}
    assert by_type["ScheduleTask"]["ScheduleTaskEvent"] == detail(mps_client, schedule_id)["ScheduleTask"]
    assert by_type["ScheduleTask"]["WorkflowTaskEvent"] is None
    assert by_type["EditMediaTask"]["EditMediaTaskEvent"] == detail(mps_client, edit_id)["EditMediaTask"]
    for event in receiver.events:
        assert_schema_shape(event, "ParseNotificationResponse")
        assert signed(event)


@pytest.mark.parametrize(
    "config",
    [
        {"NotifyType": "TDMQ-CMQ", "CmqModel": "Queue", "CmqRegion": "gz", "QueueName": "q"},
        {"NotifyType": "SCF", "NotifyUrl": "{url}"},
        {
            "NotifyType": "AWS-SQS",
            "AwsSQS": {"SQSRegion": "us-east-1", "SQSQueueName": "q", "S3SecretId": "id", "S3SecretKey": "k"},
        },
        {"NotifyUrl": "{url}"},  # no NotifyType: TDMQ-CMQ ("不填或为空时默认 TDMQ-CMQ")
        None,
    ],
    ids=["TDMQ-CMQ", "SCF", "AWS-SQS", "default", "none"],
)
def test_other_notify_types_deliver_nothing(mps_client, admin, receiver, config):
    extra = {}
    if config is not None:
        extra["TaskNotifyConfig"] = {
            k: v.format(url=receiver.url) if isinstance(v, str) else v for k, v in config.items()
        }
    call(mps_client, "ProcessMedia", media_params(**extra))
    admin.advance_clock(60)
    assert receiver.events == [] and admin.notifications() == []


# --- live tasks --------------------------------------------------------------------------------------------


def test_a_live_task_sends_each_ai_result_then_process_eof_when_aborted(mps_client, admin, receiver):
    params = live_params(
        TaskNotifyConfig=url_config(receiver),
        AiContentReviewTask={"Definition": 10},
        AiRecognitionTask={"Definition": 10},
        AiAnalysisTask={"Definition": 30},
        AiQualityControlTask={"Definition": 10},
        SmartSubtitlesTask={"Definition": 100},
        SessionId="live-1",
        SessionContext="channel-1",
    )
    task_id = call(mps_client, "ProcessLiveStream", params)["TaskId"]
    admin.advance_clock(LIVE_RESULTS_AT - 1)
    assert receiver.events == []
    admin.advance_clock(2)
    results = receiver.events
    assert [e["NotificationType"] for e in results] == [
        "AiReviewResult",
        "AiRecognitionResult",
        "AiAnalysisResult",
        "AiQualityControlResult",
        "AiSmartSubtitleResult",
    ]
    review = results[0]
    assert review["AiReviewResultInfo"]["ResultSet"][0]["Type"] == "ImagePorn"
    assert review["AiRecognitionResultInfo"] is None and review["ProcessEofInfo"] is None
    call(mps_client, "ManageTask", {"OperationType": "Abort", "TaskId": task_id})
    assert eventually(lambda: len(receiver.events) == 6)  # the worker delivers without a clock move
    eof = receiver.events[-1]
    assert eof["NotificationType"] == "ProcessEof"
    assert eof["ProcessEofInfo"] == {
        "ErrCode": ABORTED_ERROR_CODE,
        "Message": detail(mps_client, task_id)["LiveStreamProcessTask"]["Message"],
    }
    for event in receiver.events:
        assert_schema_shape(event, "ParseLiveStreamProcessNotificationResponse")
        assert (event["TaskId"], event["SessionId"], event["SessionContext"]) == (
            task_id,
            "live-1",
            "channel-1",
        )
        assert signed(event)
    admin.advance_clock(86400)
    assert len(receiver.events) == 6


def test_a_live_task_aborted_before_its_results_sends_only_process_eof(mps_client, admin, receiver):
    task_id = call(mps_client, "ProcessLiveStream", live_params(TaskNotifyConfig=url_config(receiver)))[
        "TaskId"
    ]
    admin.advance_clock(LIVE_WAITING_SECONDS + 1)
    call(mps_client, "ManageTask", {"OperationType": "Abort", "TaskId": task_id})
    admin.advance_clock(60)
    assert [e["NotificationType"] for e in receiver.events] == ["ProcessEof"]


def test_a_failing_live_stream_ends_with_its_error(mps_client, admin, receiver):
    params = live_params(
        url="rtmp://live.example.com/live/fail-stream", TaskNotifyConfig=url_config(receiver)
    )
    call(mps_client, "ProcessLiveStream", params)
    admin.advance_clock(120)
    (eof,) = receiver.events
    assert eof["ProcessEofInfo"]["ErrCode"] == SOURCE_ERROR_CODE


def test_without_a_notify_key_the_sign_is_over_the_timestamp_alone(mps_client, admin, receiver):
    config = {"NotifyType": "URL", "NotifyUrl": receiver.url}
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=config))
    admin.advance_clock(60)
    (event,) = receiver.events
    assert event["Sign"] == hashlib.md5(str(event["Timestamp"]).encode()).hexdigest()


# --- delivery ----------------------------------------------------------------------------------------------


def test_a_failing_receiver_is_retried_until_it_answers(mps_client, admin, receiver):
    receiver.statuses.extend([500, 503])
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=url_config(receiver)))
    admin.advance_clock(FINISH_AT + 1)
    for wait in RETRY_BACKOFF_SECONDS[:2]:
        assert admin.notifications()[0]["State"] == "pending"
        admin.advance_clock(wait)
    (delivery,) = admin.notifications()
    assert delivery["State"] == "delivered"
    assert [a["Status"] for a in delivery["Attempts"]] == [500, 503, 200]
    assert delivery["Attempts"][0]["Answer"] == "try again"
    assert len(receiver.events) == 3 and receiver.events[0] == receiver.events[2]  # the same message again


def test_a_dead_receiver_is_given_up_after_the_retries(mps_client, admin, receiver):
    receiver.statuses.extend([500] * 10)
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=url_config(receiver)))
    admin.advance_clock(FINISH_AT + 1)
    for wait in RETRY_BACKOFF_SECONDS:
        admin.advance_clock(wait)
    admin.advance_clock(3600)
    (delivery,) = admin.notifications()
    assert delivery["State"] == "failed"
    assert len(delivery["Attempts"]) == 1 + NOTIFY_RETRIES == len(receiver.events)


def test_a_receiver_that_cannot_be_reached_is_recorded(mps_client, admin):
    config = {"NotifyType": "URL", "NotifyUrl": "http://127.0.0.1:9/nobody-listens"}
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=config))
    admin.advance_clock(60)
    (delivery,) = admin.notifications()
    assert delivery["State"] == "pending" and delivery["Status"] is None
    assert "Connection" in delivery["Attempts"][0]["Error"] or "refused" in delivery["Attempts"][0]["Error"]


def test_a_receiver_that_does_not_answer_in_time_is_retried(receiver):
    backend = Backend()
    notifier = Notifier(backend, timeout=0.2)
    receiver.delay = 1.0
    account = Account("id", "key", DEFAULT_APPID)
    backend.call("ProcessMedia", media_params(TaskNotifyConfig=url_config(receiver)), account)
    backend.clock.advance(60)
    assert notifier.flush() == 1
    (delivery,) = notifier.deliveries()
    assert delivery["State"] == "pending" and "timed out" in delivery["Attempts"][0]["Error"]
    receiver.delay = 0.0
    backend.clock.advance(RETRY_BACKOFF_SECONDS[0])
    notifier.flush()
    assert notifier.deliveries()[0]["State"] == "delivered"
    backend.close()


def test_the_worker_delivers_as_real_time_passes(mps_client, admin, receiver):
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=url_config(receiver)))
    admin.advance_clock(FINISH_AT - 0.5)
    assert eventually(lambda: len(receiver.events) == 1, timeout=5)


def test_reset_forgets_the_notifications(mps_client, admin, receiver):
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=url_config(receiver)))
    admin.advance_clock(60)
    assert admin.notifications()
    admin.reset()
    assert admin.notifications() == []


def test_the_notify_key_and_other_secrets_are_never_shown_or_logged(mps_client, admin, receiver, caplog):
    caplog.set_level(logging.DEBUG, logger="pulumi_mps")
    params = media_params(
        InputInfo=s3_input("s3-key-do-not-leak", "s3-id-do-not-leak"),
        OutputStorage={
            "Type": "COS",
            "CosOutputStorage": {"Bucket": "out-1250000000", "Region": "ap-chongqing"},
        },
        TaskNotifyConfig=url_config(receiver, NotifyMode="Change"),
    )
    call(mps_client, "ProcessMedia", params)
    call(mps_client, "ProcessLiveStream", live_params(TaskNotifyConfig=url_config(receiver)))
    admin.advance_clock(60)
    assert len(receiver.events) == 3
    shown = json.dumps([admin.notifications(), admin.requests(), admin.tasks(), receiver.received])
    shown += caplog.text
    for secret in (KEY, "s3-key-do-not-leak"):
        assert secret not in shown


# --- the Parse actions -------------------------------------------------------------------------------------


def test_parse_notification_answers_the_content_it_is_given(mps_client, admin, receiver):
    call(mps_client, "ProcessMedia", media_params(TaskNotifyConfig=url_config(receiver), SessionId="p-1"))
    call(mps_client, "ProcessLiveStream", live_params(TaskNotifyConfig=url_config(receiver)))
    admin.advance_clock(60)
    for event in receiver.events:
        action = "ParseNotification" if "EventType" in event else "ParseLiveStreamProcessNotification"
        answer = call(mps_client, action, {"Content": json.dumps(event)})
        assert {k: v for k, v in answer.items() if k != "RequestId"} == event


@pytest.mark.parametrize("action", ["ParseNotification", "ParseLiveStreamProcessNotification"])
@pytest.mark.parametrize("content", ['{"EventType":"ProcedureStateChanged",XXX', "[1, 2]", ""])
def test_a_content_that_is_not_a_notification_is_invalid_content(mps_client, action, content):
    expect_error(mps_client, action, {"Content": content}, "InvalidParameterValue.InvalidContent")


def test_parse_notification_fills_in_the_members_a_content_leaves_out(mps_client):
    answer = call(mps_client, "ParseNotification", {"Content": '{"EventType": "WorkflowTask", "Other": 1}'})
    assert_schema_shape(answer, "ParseNotificationResponse")
    assert (answer["EventType"], answer["WorkflowTaskEvent"]) == ("WorkflowTask", None)
