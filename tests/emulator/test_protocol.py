"""The wire protocol: TC3 signatures, versions, actions and the answer envelope, through the real SDK."""

from __future__ import annotations

import time
import uuid

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

from .helpers import OTHER_SECRET_ID, call, expect_error, media_params, raw_call


def test_answers_are_http_200_plain_json_with_fresh_uuid4_request_ids(emulator):
    ids = []
    for params in ({"Status": "WAITING"}, {"Status": "NOPE"}):
        status, headers, body = raw_call(emulator.endpoint, "DescribeTasks", params)
        assert status == 200
        assert headers["Content-Type"] == "application/json"
        ids.append(body["Response"]["RequestId"])
    assert "TaskSet" in (raw_call(emulator.endpoint, "DescribeTasks", {"Status": "WAITING"})[2]["Response"])
    assert uuid.UUID(ids[0]).version == 4 and uuid.UUID(ids[1]).version == 4
    assert ids[0] != ids[1]


def test_error_envelope_has_code_message_and_request_id(emulator):
    _, _, body = raw_call(emulator.endpoint, "DescribeTasks", {"Status": "NOPE"})
    error = body["Response"]["Error"]
    assert error["Code"] == "InvalidParameterValue"
    assert "Status" in error["Message"]
    assert body["Response"]["RequestId"]


def test_a_correctly_signed_sdk_call_succeeds(mps_client):
    task_id = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    assert task_id.startswith("1250000000-WorkflowTask-")


def test_wrong_secret_key_is_a_signature_failure(client_for, admin):
    client = client_for(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY + "-wrong")
    expect_error(client, "ProcessMedia", media_params(), "AuthFailure.SignatureFailure")
    assert admin.tasks() == []
    assert admin.requests()[-1]["Error"] == "AuthFailure.SignatureFailure"


def test_unknown_secret_id_is_reported(client_for):
    client = client_for("AKIDNOBODYKNOWSTHISID000000000000000", "whatever")
    expect_error(client, "DescribeTasks", {"Status": "WAITING"}, "AuthFailure.SecretIdNotFound")


def test_a_key_of_another_account_does_not_sign_for_this_one(client_for):
    client = client_for(OTHER_SECRET_ID, DEFAULT_SECRET_KEY)
    expect_error(client, "DescribeTasks", {"Status": "WAITING"}, "AuthFailure.SignatureFailure")


def test_a_body_changed_after_signing_is_rejected(emulator):
    _, _, body = raw_call(
        emulator.endpoint, "DescribeTasks", {"Status": "WAITING"}, sent_body=b'{"Status": "FINISH"}'
    )
    assert body["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


@pytest.mark.parametrize(
    ("skew", "code"),
    [(-400, "AuthFailure.SignatureExpire"), (400, "AuthFailure.SignatureExpire"), (-200, None)],
)
def test_client_clock_more_than_300_s_off_is_expired(emulator, skew, code):
    _, _, body = raw_call(
        emulator.endpoint, "DescribeTasks", {"Status": "WAITING"}, timestamp=int(time.time()) + skew
    )
    assert body["Response"].get("Error", {}).get("Code") == code


def test_expiry_uses_the_real_clock_not_the_virtual_one(emulator, admin, mps_client):
    admin.advance_clock(3600)
    assert "TaskSet" in call(mps_client, "DescribeTasks", {"Status": "WAITING"})


def test_temporary_credentials_with_a_token_are_accepted(client_for):
    client = client_for(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, token="temporary-session-token")
    assert call(client, "DescribeTasks", {"Status": "FINISH"})["TotalCount"] == 0


def test_an_empty_token_header_is_a_token_failure(emulator):
    _, _, body = raw_call(emulator.endpoint, "DescribeTasks", {"Status": "WAITING"}, token="")
    assert body["Response"]["Error"]["Code"] == "AuthFailure.TokenFailure"


def test_a_malformed_authorization_header_is_rejected(emulator):
    _, _, body = raw_call(
        emulator.endpoint, "DescribeTasks", {"Status": "WAITING"}, authorization="Basic abc"
    )
    assert body["Response"]["Error"]["Code"] == "AuthFailure.InvalidAuthorization"


@pytest.mark.parametrize("raw_body", [b"not json", b"[1, 2]", b""])
def test_a_signed_body_that_is_not_a_json_object_is_an_invalid_parameter(emulator, admin, raw_body):
    _, _, body = raw_call(emulator.endpoint, "ProcessMedia", None, raw_body=raw_body)
    assert body["Response"]["Error"]["Code"] == "InvalidParameter"
    assert admin.tasks() == []


def test_another_api_version_is_no_such_version(emulator):
    _, _, body = raw_call(emulator.endpoint, "DescribeTasks", {"Status": "WAITING"}, version="2018-07-17")
    assert body["Response"]["Error"]["Code"] == "NoSuchVersion"


def test_an_unknown_action_is_invalid_action(mps_client):
    err = expect_error(mps_client, "DescribeNothing", {}, "InvalidAction")
    assert "DescribeNothing" in err.get_message()


def test_typed_sdk_methods_get_typed_answers(mps_client):
    from tencentcloud.mps.v20190612 import models

    request = models.DescribeTasksRequest()
    request.Status = "WAITING"
    request.Limit = 5
    response = mps_client.DescribeTasks(request)
    assert response.TotalCount == 0
    assert response.ScrollToken == ""
    assert response.RequestId


def test_sdk_raises_on_every_emulator_error(mps_client):
    with pytest.raises(TencentCloudSDKException) as info:
        call(mps_client, "DescribeTaskDetail", {"TaskId": "1250000000-WorkflowTask-" + "0" * 32})
    assert info.value.get_code() == "ResourceNotFound"
