"""The per-action, per-account rate limit (token bucket) and switching it off."""

from __future__ import annotations

from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from .helpers import OTHER_SECRET_ID, OTHER_SECRET_KEY, call, make_client, media_params


def _burst(client, action: str, params: dict, n: int) -> list[str]:
    codes = []
    for _ in range(n):
        try:
            call(client, action, params)
            codes.append("ok")
        except TencentCloudSDKException as exc:
            codes.append(exc.get_code())
    return codes


def test_calls_beyond_the_limit_are_refused_per_action_and_account(emulator, mps_client, admin):
    assert admin.set_rate_limit(5) == {"rate_limit": 5}
    codes = _burst(mps_client, "DescribeTasks", {"Status": "WAITING"}, 25)
    assert set(codes) == {"ok", "RequestLimitExceeded"}
    assert 5 <= codes.count("ok") < 25
    assert codes[:5] == ["ok"] * 5
    assert call(mps_client, "ProcessMedia", media_params())["TaskId"]
    other = make_client(emulator.endpoint, OTHER_SECRET_ID, OTHER_SECRET_KEY)
    assert call(other, "DescribeTasks", {"Status": "WAITING"})["TotalCount"] == 0


def test_a_rate_limited_process_media_creates_nothing(mps_client, admin):
    admin.set_rate_limit(2)
    codes = _burst(mps_client, "ProcessMedia", media_params(), 12)
    assert "RequestLimitExceeded" in codes
    assert len(admin.tasks()) == codes.count("ok")


def test_rate_limit_zero_turns_it_off(mps_client, admin):
    admin.set_rate_limit(0)
    assert _burst(mps_client, "DescribeTasks", {"Status": "WAITING"}, 150) == ["ok"] * 150


def test_the_default_limit_is_one_hundred_per_second(admin):
    assert admin.config() == {"rate_limit": 100}
