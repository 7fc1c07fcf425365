"""SessionId dedup: 3 days for ProcessMedia, 7 days for ProcessLiveStream, per AppId and per action."""

from __future__ import annotations

import threading

from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from .helpers import (
    OTHER_SECRET_ID,
    OTHER_SECRET_KEY,
    SIBLING_SECRET_ID,
    SIBLING_SECRET_KEY,
    call,
    expect_error,
    live_params,
    make_client,
    media_params,
)

DAY = 86400


def test_a_repeated_media_session_id_is_refused_and_creates_nothing(mps_client, admin):
    first = call(mps_client, "ProcessMedia", media_params(SessionId="dup-1"))["TaskId"]
    error = expect_error(
        mps_client, "ProcessMedia", media_params(SessionId="dup-1"), "InvalidParameterValue.SessionId"
    )
    assert "dup-1" in error.get_message()
    assert [t["TaskId"] for t in admin.tasks()] == [first]


def test_media_window_is_three_days(mps_client, admin):
    call(mps_client, "ProcessMedia", media_params(SessionId="media-window"))
    admin.advance_clock(3 * DAY - 60)
    expect_error(
        mps_client, "ProcessMedia", media_params(SessionId="media-window"), "InvalidParameterValue.SessionId"
    )
    admin.advance_clock(61)
    assert call(mps_client, "ProcessMedia", media_params(SessionId="media-window"))["TaskId"]
    expect_error(
        mps_client, "ProcessMedia", media_params(SessionId="media-window"), "InvalidParameterValue.SessionId"
    )
    assert len(admin.tasks()) == 2


def test_live_window_is_seven_days(mps_client, admin):
    call(mps_client, "ProcessLiveStream", live_params(SessionId="live-window"))
    admin.advance_clock(3 * DAY + 60)
    expect_error(
        mps_client,
        "ProcessLiveStream",
        live_params(SessionId="live-window"),
        "InvalidParameterValue.SessionId",
    )
    admin.advance_clock(4 * DAY)
    assert call(mps_client, "ProcessLiveStream", live_params(SessionId="live-window"))["TaskId"]


def test_media_and_live_session_ids_do_not_collide(mps_client, admin):
    call(mps_client, "ProcessMedia", media_params(SessionId="shared"))
    assert call(mps_client, "ProcessLiveStream", live_params(SessionId="shared"))["TaskId"]
    assert len(admin.tasks()) == 2


def test_dedup_is_per_account_app_id(emulator, mps_client, admin):
    call(mps_client, "ProcessMedia", media_params(SessionId="per-account"))
    other = make_client(emulator.endpoint, OTHER_SECRET_ID, OTHER_SECRET_KEY)
    other_task = call(other, "ProcessMedia", media_params(SessionId="per-account"))["TaskId"]
    assert other_task.startswith("1250000001-WorkflowTask-")
    sibling = make_client(emulator.endpoint, SIBLING_SECRET_ID, SIBLING_SECRET_KEY)
    expect_error(
        sibling, "ProcessMedia", media_params(SessionId="per-account"), "InvalidParameterValue.SessionId"
    )
    assert len(admin.tasks()) == 2


def test_empty_or_absent_session_id_never_deduplicates(mps_client, admin):
    for params in (media_params(), media_params(), media_params(SessionId=""), media_params(SessionId="")):
        call(mps_client, "ProcessMedia", params)
    assert len(admin.tasks()) == 4


def test_an_invalid_request_does_not_reserve_its_session_id(mps_client):
    bad = media_params(SessionId="reserve", TasksPriority=99)
    expect_error(mps_client, "ProcessMedia", bad, "InvalidParameterValue")
    assert call(mps_client, "ProcessMedia", media_params(SessionId="reserve"))["TaskId"]


def test_concurrent_duplicates_create_exactly_one_task(emulator, admin):
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        client = make_client(emulator.endpoint)
        try:
            call(client, "ProcessMedia", media_params(SessionId="race"))
            result = "ok"
        except TencentCloudSDKException as exc:
            result = exc.get_code()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["InvalidParameterValue.SessionId"] * 7 + ["ok"]
    assert len(admin.tasks()) == 1
