"""Every request form the API documents, each with either signature: POST JSON and GET with TC3-HMAC-SHA256,
POST form and GET with signature v1 (HmacSHA1, HmacSHA256); flattened names made whole by the schema; the same
errors as TC3 for a bad signature, an expired timestamp or an unknown SecretId; the one leniency, for a TC3
signature of the Node.js SDK on loopback, and nothing more.

Requests are sent by the real Python SDK in each form it can send, and built by hand by the docs' steps."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.mps.v20190612.mps_client import MpsClient

from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from pulumi_mps.emulator._auth import signed_as
from tests.api_examples import parse_request, query_pairs

from .helpers import (
    REGION,
    call,
    flatten,
    live_params,
    media_params,
    s3_input,
    send,
    tc3_authorization,
    v1_call,
)

FORM = "application/x-www-form-urlencoded"
SIGN_METHODS = ("TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256")

# The only example of the ProcessLiveStream page (docs 862/39227, the English page kept in the project's seeds):
# a GET with flattened names, after `https://mps.tencentcloudapi.com/?Action=ProcessLiveStream`.
LIVE_DOCS_EXAMPLE = """https://mps.tencentcloudapi.com/?Action=ProcessLiveStream
&Url=http://www.abc.com/abc.m3u8
&TaskNotifyConfig.CmqModel=Queue
&TaskNotifyConfig.CmqRegion=gz
&TaskNotifyConfig.QueueName=queue-125717729292
&AiRecognitionTask.Definition=10
&<Common request parameters>"""


def sdk_client(
    endpoint: str, sign_method: str, req_method: str, secret_key: str = DEFAULT_SECRET_KEY
) -> MpsClient:
    http = HttpProfile(protocol="http", endpoint=endpoint, reqMethod=req_method, reqTimeout=10)
    profile = ClientProfile(signMethod=sign_method, httpProfile=http)
    return MpsClient(Credential(DEFAULT_SECRET_ID, secret_key), REGION, profile)


def tc3_get(
    endpoint: str,
    action: str,
    pairs: list[tuple[str, str]],
    *,
    host: str | None = None,
    signed_host: str | None = None,
    service: str = "mps",
    secret_id: str = DEFAULT_SECRET_ID,
    secret_key: str = DEFAULT_SECRET_KEY,
    timestamp: int | None = None,
    sent_query: str | None = None,
) -> dict:
    """A GET signed with TC3 by the docs' steps; ``host`` is the Host header sent, ``signed_host`` the one signed."""
    host = host or endpoint
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    ts = int(time.time()) if timestamp is None else timestamp
    auth = tc3_authorization(
        "GET",
        signed_host or host,
        FORM,
        query,
        b"",
        ts,
        secret_id=secret_id,
        secret_key=secret_key,
        service=service,
    )
    headers = {
        "Host": host,
        "Content-Type": FORM,
        "X-TC-Action": action,
        "X-TC-Version": "2019-06-12",
        "X-TC-Timestamp": str(ts),
        "X-TC-Region": REGION,
        "Authorization": auth,
    }
    return send(endpoint, "GET", "/?" + (query if sent_query is None else sent_query), headers)[2]["Response"]


def error_of(response: dict) -> str | None:
    return response.get("Error", {}).get("Code")


# --- every form through the Python SDK ---------------------------------------------------------------------


@pytest.mark.parametrize("req_method", ["POST", "GET"])
@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_the_python_sdk_works_in_every_form_it_sends(emulator, admin, req_method, sign_method):
    client = sdk_client(emulator.endpoint, sign_method, req_method)
    params = media_params(SessionContext="a b&c=d/中文+%", TasksPriority=-3)
    task_id = call(client, "ProcessMedia", params)["TaskId"]
    assert admin.task(task_id)["Request"] == params  # numbers as numbers, text as sent
    assert call(client, "DescribeTaskDetail", {"TaskId": task_id})["WorkflowTask"]["TaskId"] == task_id
    listed = call(client, "DescribeTasks", {"Status": "WAITING", "Limit": 5})
    assert [t["TaskId"] for t in listed["TaskSet"]] == [task_id]
    logged = admin.requests("ProcessMedia")[-1]
    assert logged["SecretId"] == DEFAULT_SECRET_ID and logged["Error"] is None


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_sdk_errors_arrive_the_same_in_every_form(emulator, sign_method):
    client = sdk_client(emulator.endpoint, sign_method, "GET", secret_key=DEFAULT_SECRET_KEY + "-wrong")
    with pytest.raises(Exception, match="AuthFailure.SignatureFailure"):
        call(client, "DescribeTasks", {"Status": "WAITING"})


# --- the docs' GET example, as sent ------------------------------------------------------------------------


def test_the_docs_get_example_of_process_live_stream_is_accepted_as_written(emulator, admin):
    pairs = query_pairs(LIVE_DOCS_EXAMPLE)
    assert ("TaskNotifyConfig.CmqModel", "Queue") in pairs
    for answer in (
        v1_call(emulator.endpoint, "GET", "ProcessLiveStream", pairs),
        tc3_get(emulator.endpoint, "ProcessLiveStream", pairs),
    ):
        assert "-live-procedure-" in answer["TaskId"], answer
        assert admin.task(answer["TaskId"])["Request"] == {
            "Url": "http://www.abc.com/abc.m3u8",
            "TaskNotifyConfig": {"CmqModel": "Queue", "CmqRegion": "gz", "QueueName": "queue-125717729292"},
            "AiRecognitionTask": {"Definition": 10},
        }
    assert parse_request("ProcessLiveStream", LIVE_DOCS_EXAMPLE) == admin.tasks()[0]["Request"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_flattened_lists_objects_and_scalars_are_made_whole_by_the_schema(emulator, admin, method):
    params = media_params(
        MediaProcessTask={
            "TranscodeTaskSet": [
                {"Definition": 10, "WatermarkSet": [{"Definition": 1, "StartTimeOffset": 1.5}]}
            ],
            "SnapshotByTimeOffsetTaskSet": [{"Definition": 10, "ExtTimeOffsetSet": ["1s", "5s"]}],
        },
        AiRecognitionTask={"Definition": 10},
        SkipMateData=1,
    )
    answer = v1_call(emulator.endpoint, method, "ProcessMedia", flatten(params))
    assert admin.task(answer["TaskId"])["Request"] == params


@pytest.mark.parametrize(
    ("pairs", "code", "named"),
    [
        ([("Nope", "1")], "UnknownParameter", "Nope"),
        ([("InputInfo.CosInputInfo.Nope", "1")], "UnknownParameter", "InputInfo.CosInputInfo.Nope"),
        ([("MediaProcessTask.TranscodeTaskSet.Definition", "10")], "InvalidParameter", "TranscodeTaskSet"),
        ([("MediaProcessTask.TranscodeTaskSet.0.Definition", "ten")], "InvalidParameter", "0.Definition"),
        (
            [("MediaProcessTask.TranscodeTaskSet.1.Definition", "10")],
            "InvalidParameter",
            "TranscodeTaskSet.0",
        ),
        ([("InputInfo", "COS")], "InvalidParameter", "InputInfo"),
    ],
)
def test_flattened_names_that_do_not_fit_the_schema_are_refused_and_named(
    emulator, admin, pairs, code, named
):
    base = [p for p in flatten(media_params()) if not p[0].startswith("MediaProcessTask")]
    for method in ("GET", "POST"):
        answer = v1_call(emulator.endpoint, method, "ProcessMedia", base + pairs)
        assert error_of(answer) == code, answer
        assert named in answer["Error"]["Message"]
    assert admin.tasks() == []


def test_a_name_given_twice_is_refused(emulator, admin):
    pairs = [*flatten(media_params()), ("TasksPriority", "1"), ("TasksPriority", "2")]
    answer = tc3_get(emulator.endpoint, "ProcessMedia", pairs)
    assert error_of(answer) == "InvalidParameter" and "TasksPriority" in answer["Error"]["Message"]
    assert admin.tasks() == []


def test_a_required_member_missing_from_a_query_is_named(emulator):
    pairs = [p for p in flatten(live_params()) if p[0] != "Url"]
    answer = v1_call(emulator.endpoint, "GET", "ProcessLiveStream", pairs)
    assert error_of(answer) == "MissingParameter" and "Url" in answer["Error"]["Message"]


def test_secret_members_of_a_query_are_masked_in_the_request_log(emulator, admin):
    params = media_params(InputInfo=s3_input("hush"))
    v1_call(emulator.endpoint, "GET", "ProcessMedia", flatten(params))
    v1_call(emulator.endpoint, "GET", "ProcessMedia", [*flatten(params), ("Nope", "1")])
    assert "hush" not in json.dumps(admin.requests()) + json.dumps(admin.tasks())


# --- signature v1: the same errors as TC3 ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("sign_method", ["HmacSHA1", "HmacSHA256"])
def test_signature_v1_by_the_docs_steps_is_accepted(emulator, method, sign_method):
    answer = v1_call(
        emulator.endpoint, method, "DescribeTasks", [("Status", "WAITING")], sign_method=sign_method
    )
    assert answer["TotalCount"] == 0, answer


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"secret_key": DEFAULT_SECRET_KEY + "-wrong"}, "AuthFailure.SignatureFailure"),
        ({"signature": "bm90IGEgc2lnbmF0dXJl"}, "AuthFailure.SignatureFailure"),
        ({"timestamp": int(time.time()) - 400}, "AuthFailure.SignatureExpire"),
        ({"timestamp": int(time.time()) + 400}, "AuthFailure.SignatureExpire"),
        ({"timestamp": int(time.time()) - 200}, None),
        ({"secret_id": "AKIDNOBODYKNOWSTHISID000000000000000"}, "AuthFailure.SecretIdNotFound"),
        ({"common": {"Token": ""}}, "AuthFailure.TokenFailure"),
        ({"common": {"Token": "temporary-session-token"}}, None),
        ({"common": {"Nonce": None}}, "MissingParameter"),
        ({"common": {"Timestamp": "yesterday"}}, "InvalidParameter"),
        ({"common": {"Version": "2018-07-17"}}, "NoSuchVersion"),
        ({"common": {"Action": "DescribeNothing"}}, "InvalidAction"),
    ],
)
def test_signature_v1_errors_are_those_of_tc3(emulator, method, options, code):
    answer = v1_call(emulator.endpoint, method, "DescribeTasks", [("Status", "WAITING")], **options)
    assert error_of(answer) == code, answer
    assert answer["RequestId"]


def test_a_v1_request_changed_after_signing_is_refused(emulator, admin):
    signed = flatten(media_params(SessionContext="a b"))
    answer = v1_call(emulator.endpoint, "GET", "ProcessMedia", signed, tamper={"SessionContext": "a c"})
    assert error_of(answer) == "AuthFailure.SignatureFailure"
    assert admin.tasks() == []


@pytest.mark.parametrize("sign_method", [None, "HMACSHA999"])
def test_v1_verifies_with_hmac_sha1_unless_hmac_sha256_is_named(emulator, sign_method):
    # "只有指定此参数为 HmacSHA256 时，才使用 HmacSHA256 算法验证签名，其他情况均使用 HmacSHA1 验证签名"
    answer = v1_call(
        emulator.endpoint, "GET", "DescribeTasks", [("Status", "WAITING")], sign_method=sign_method
    )
    assert error_of(answer) is None, answer


def test_the_request_log_names_the_v1_caller_and_its_token(emulator, admin):
    v1_call(emulator.endpoint, "GET", "DescribeTasks", [("Status", "WAITING")], common={"Token": "t"})
    (entry,) = admin.requests("DescribeTasks")
    assert entry["SecretId"] == DEFAULT_SECRET_ID and entry["Token"] is True
    assert entry["Params"] == {"Status": "WAITING"}


# --- TC3 over GET --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({}, None),
        ({"secret_key": "wrong"}, "AuthFailure.SignatureFailure"),
        ({"timestamp": int(time.time()) - 400}, "AuthFailure.SignatureExpire"),
        ({"secret_id": "AKIDNOBODYKNOWSTHISID000000000000000"}, "AuthFailure.SecretIdNotFound"),
        ({"sent_query": "Status=FINISH"}, "AuthFailure.SignatureFailure"),
        ({"service": "cvm"}, "AuthFailure.SignatureFailure"),
    ],
)
def test_tc3_over_get_signs_the_query(emulator, options, code):
    assert error_of(tc3_get(emulator.endpoint, "DescribeTasks", [("Status", "WAITING")], **options)) == code


def test_a_form_post_signed_with_tc3_is_refused_as_the_docs_say(emulator, admin):
    # "application/x-www-form-urlencoded，必须使用签名方法 v1（HmacSHA1 或 HmacSHA256）"
    body = b"Status=WAITING"
    ts = int(time.time())
    headers = {
        "Host": emulator.endpoint,
        "Content-Type": FORM,
        "X-TC-Action": "DescribeTasks",
        "X-TC-Version": "2019-06-12",
        "X-TC-Timestamp": str(ts),
        "Authorization": tc3_authorization("POST", emulator.endpoint, FORM, "", body, ts),
    }
    answer = send(emulator.endpoint, "POST", "/", headers, body)[2]["Response"]
    assert error_of(answer) == "UnsupportedProtocol"


def test_a_request_with_no_signature_at_all_is_an_invalid_authorization(emulator):
    answer = send(emulator.endpoint, "GET", "/?Action=DescribeTasks&Status=WAITING", {})[2]["Response"]
    assert error_of(answer) == "AuthFailure.InvalidAuthorization"


# --- the Node.js SDK's TC3 on loopback, and nowhere else ---------------------------------------------------


def test_signed_as_adds_the_node_sdk_variants_only_for_loopback_with_a_port():
    assert signed_as("mps.tencentcloudapi.com") == [("mps.tencentcloudapi.com", "mps")]
    assert signed_as("mps.example.com:8080") == [("mps.example.com:8080", "mps")]
    assert signed_as("10.0.0.5:8080") == [("10.0.0.5:8080", "mps")]
    assert signed_as("127.0.0.1") == [("127.0.0.1", "mps")]
    assert set(signed_as("127.0.0.1:8080")) == {
        ("127.0.0.1:8080", "mps"),
        ("127.0.0.1:8080", "127"),
        ("127.0.0.1", "mps"),
        ("127.0.0.1", "127"),
    }
    assert ("localhost", "localhost:9") in signed_as("localhost:9")
    assert ("[::1]", "[::1]:9") in signed_as("[::1]:9")
    assert ("127.1.2.3", "127") in signed_as("127.1.2.3:9")


@pytest.mark.parametrize(
    ("host", "signed_host", "service", "code"),
    [
        # What the Node.js SDK signs at 127.0.0.1:PORT / localhost:PORT: accepted.
        ("{endpoint}", "127.0.0.1", "127", None),
        ("{endpoint}", "127.0.0.1", "mps", None),
        ("{endpoint}", "{endpoint}", "127", None),
        ("localhost:{port}", "localhost", "localhost:{port}", None),
        # Any other host or service on loopback: refused.
        ("{endpoint}", "127.0.0.2", "127", "AuthFailure.SignatureFailure"),
        ("{endpoint}", "localhost", "mps", "AuthFailure.SignatureFailure"),
        ("{endpoint}", "127.0.0.1", "128", "AuthFailure.SignatureFailure"),
        # The same mismatch for a host that is not loopback, or loopback without a port: refused.
        ("mps.example.com:{port}", "mps.example.com", "mps", "AuthFailure.SignatureFailure"),
        ("api.example.com:{port}", "api.example.com:{port}", "api", "AuthFailure.SignatureFailure"),
        ("10.0.0.5:{port}", "10.0.0.5", "10", "AuthFailure.SignatureFailure"),
        ("127.0.0.1", "127.0.0.1", "127", "AuthFailure.SignatureFailure"),
        # Exact host and service: accepted whatever the host.
        ("mps.example.com:{port}", "mps.example.com:{port}", "mps", None),
    ],
)
def test_only_a_loopback_host_with_a_port_may_be_signed_without_it(
    emulator, host, signed_host, service, code
):
    fill = {"endpoint": emulator.endpoint, "port": emulator.port}
    answer = tc3_get(
        emulator.endpoint,
        "DescribeTasks",
        [("Status", "WAITING")],
        host=host.format(**fill),
        signed_host=signed_host.format(**fill),
        service=service.format(**fill),
    )
    assert error_of(answer) == code, answer
