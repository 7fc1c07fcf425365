"""The emulator against the API's own examples and schema (tccli's examples.json and api.json at the pinned
version, kept beside the schema by tools/generate.py): every request example is accepted, and every answer
has the members, types and nesting of the response examples and of the schema's output objects."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pulumi_mps._schema import load_examples, load_schema
from tests.api_examples import is_query, parse_request, query_pairs

from .helpers import assert_schema_shape, call, detail, expect_error, media_params, v1_call, without_nulls

EXAMPLES = load_examples()["actions"]
CASES = [
    (action, index, example)
    for action, examples in EXAMPLES.items()
    for index, example in enumerate(examples)
]
# TaskIds the examples name as placeholders: DescribeTaskDetail and ManageTask answer with the codes the SDK
# lists for them.
NOT_FOUND = {"DescribeTaskDetail": "ResourceNotFound", "ManageTask": "InvalidParameterValue.TaskId"}
# The actions on one template, workflow or schedule (Modify, Delete, Enable, ...): the examples name ids that are
# placeholders or presets. Verbatim, they answer the documented code; with the id of an object the first Create
# example made, they succeed.
KINDS = {
    **{
        action: (family[1], "Definition")
        for action in EXAMPLES
        if (family := re.fullmatch(r"(?:Modify|Delete)(\w+)Template", action))
    },
    **{
        a: ("Workflow", "WorkflowId")
        for a in ("ResetWorkflow", "DeleteWorkflow", "EnableWorkflow", "DisableWorkflow")
    },
    **{
        a: ("Schedule", "ScheduleId")
        for a in ("ModifySchedule", "DeleteSchedule", "EnableSchedule", "DisableSchedule")
    },
}
# What the SDK lists for an unknown id where it lists no ResourceNotFound.TemplateNotExist (tencentcloud-sdk-go
# mps/v20190612/client.go).
UNKNOWN_ID = {
    "DeleteWatermarkTemplate": "ResourceNotFound",
    "DeleteBlindWatermarkTemplate": "ResourceNotFound",
    "ModifyAdaptiveDynamicStreamingTemplate": "InvalidParameterValue.Definition",
}
# The Parse actions' examples give Content as a placeholder (`{"EventType":"ProcedureStateChanged",XXX`): not JSON,
# so the code both actions list for it (tencentcloud-sdk-go client.go).
PLACEHOLDER = {
    **NOT_FOUND,
    "ParseNotification": "InvalidParameterValue.InvalidContent",
    "ParseLiveStreamProcessNotification": "InvalidParameterValue.InvalidContent",
}
QUERY_CASES = [case for case in CASES if is_query(case[2]["input"])]


def request_of(action: str, example: dict[str, Any]) -> dict[str, Any]:
    return parse_request(action, example["input"])


def response_of(example: dict[str, Any]) -> dict[str, Any]:
    return json.loads(example["output"])["Response"]


def test_the_examples_file_covers_every_action_the_emulator_speaks():
    assert set(EXAMPLES) == set(load_schema()["actions"])
    assert all(EXAMPLES[action] for action in EXAMPLES)


@pytest.mark.parametrize(("action", "index", "example"), CASES, ids=[f"{a}-{i}" for a, i, _ in CASES])
def test_every_request_example_is_accepted_verbatim(mps_client, admin, action, index, example):
    params = request_of(action, example)
    assert params or example["input"].rstrip().endswith("{}"), example["input"]
    if action in PLACEHOLDER:
        expect_error(mps_client, action, params, PLACEHOLDER[action])
        return
    if action in KINDS:
        expect_error(mps_client, action, params, _documented_code(mps_client, action, params))
        params = {**params, KINDS[action][1]: _create(mps_client, KINDS[action][0])}
    answer = call(mps_client, action, params)
    assert_schema_shape(answer, load_schema()["actions"][action]["output"])
    if action.startswith("Process"):
        assert admin.task(answer["TaskId"])["Request"] == params


def _create(client: Any, kind: str) -> int:
    """The id of a new object of ``kind``, made by its first Create example."""
    action = f"Create{kind}" if kind in ("Workflow", "Schedule") else f"Create{kind}Template"
    answer = call(client, action, request_of(action, EXAMPLES[action][0]))
    return int(next(v for k, v in answer.items() if k != "RequestId"))


def _documented_code(client: Any, action: str, params: dict[str, Any]) -> str:
    """What the action answers for the id the example names: a preset (as Describe shows it) cannot be changed or
    deleted; any other id of the examples does not exist here."""
    kind, member = KINDS[action]
    if member == "Definition":
        listed = call(client, f"Describe{kind}Templates", {"Definitions": [params[member]]})
        items = next(v for k, v in listed.items() if k.endswith("Set"))
        if any(item.get("Type") == "Preset" for item in items):
            return f"InvalidParameterValue.{action[: -len(kind) - len('Template')]}DefaultTemplate"
    return UNKNOWN_ID.get(action, "ResourceNotFound.TemplateNotExist")


@pytest.mark.parametrize(
    ("action", "index", "example"), QUERY_CASES, ids=[f"{a}-{i}" for a, i, _ in QUERY_CASES]
)
def test_every_get_example_is_accepted_as_a_get_query(emulator, mps_client, action, index, example):
    """The GET examples as written: flattened names in a query, signed with signature v1."""
    expected = PLACEHOLDER.get(action)
    if action in KINDS:
        expected = _documented_code(mps_client, action, request_of(action, example))
    answer = v1_call(emulator.endpoint, "GET", action, query_pairs(example["input"]))
    assert answer.get("Error", {}).get("Code") == expected, answer
    if "Error" not in answer:
        assert_schema_shape(answer, load_schema()["actions"][action]["output"])


@pytest.mark.parametrize("action", ["ParseNotification", "ParseLiveStreamProcessNotification"])
def test_the_parse_actions_answer_their_response_examples_given_as_content(mps_client, action):
    for example in EXAMPLES[action]:
        expected = {k: v for k, v in response_of(example).items() if k != "RequestId"}
        answer = call(mps_client, action, {"Content": json.dumps(expected)})
        assert_schema_shape(answer, load_schema()["actions"][action]["output"])
        assert without_nulls(answer) == without_nulls({**expected, "RequestId": answer["RequestId"]})


@pytest.mark.parametrize(("action", "index", "example"), CASES, ids=[f"{a}-{i}" for a, i, _ in CASES])
def test_every_response_example_fits_the_schema(action, index, example):
    """The examples and the schema agree, so matching one is matching the other."""
    answer = response_of(example)
    output = load_schema()["actions"][action]["output"]
    _assert_members_of(answer, output)


def _assert_members_of(value: Any, object_name: str, path: str = "") -> None:
    members = {m["name"]: m for m in load_schema()["objects"][object_name]["members"]}
    for key, item in value.items():
        assert key in members, f"{path}{key} not in {object_name}"
        member = members[key]
        if isinstance(item, dict):
            _assert_members_of(item, member["member"], f"{path}{key}.")
        elif isinstance(item, list) and member["member"] in load_schema()["objects"]:
            for element in item:
                _assert_members_of(element, member["member"], f"{path}{key}.")


def assert_same_shape(example: Any, answer: Any, path: str = "") -> None:
    """Every member the example has, the answer has too, with the same JSON type and nesting (null matches any)."""
    if example is None or answer is None:
        return
    if isinstance(example, dict):
        assert isinstance(answer, dict), f"{path} is not an object"
        for key, item in example.items():
            if key == "RequestId":
                continue
            assert key in answer, f"{path}{key} is missing"
            assert_same_shape(item, answer[key], f"{path}{key}.")
    elif isinstance(example, list):
        assert isinstance(answer, list), f"{path} is not a list"
        if example and answer:
            assert_same_shape(example[0], answer[0], f"{path}0.")
    elif isinstance(example, bool) or isinstance(answer, bool):
        assert type(example) is type(answer), path
    elif isinstance(example, (int, float)):
        assert isinstance(answer, (int, float)) and not isinstance(answer, bool), f"{path}: {answer!r}"
    else:
        assert type(example) is type(answer), f"{path}: {answer!r}"


def test_describe_task_detail_answers_like_the_example(mps_client, admin):
    (example,) = EXAMPLES["DescribeTaskDetail"]
    expected = response_of(example)
    transcode = expected["WorkflowTask"]["MediaProcessResultSet"][0]["TranscodeTask"]
    params = media_params(
        obj=expected["WorkflowTask"]["InputInfo"]["CosInputInfo"]["Object"],
        MediaProcessTask={"TranscodeTaskSet": [{"Definition": transcode["Input"]["Definition"]}]},
    )
    task_id = call(mps_client, "ProcessMedia", params)["TaskId"]
    admin.advance_clock(60)
    answer = detail(mps_client, task_id)
    assert_schema_shape(answer, "DescribeTaskDetailResponse")
    assert_same_shape(expected, answer)
    assert set(answer["WorkflowTask"]) == set(expected["WorkflowTask"]) | {
        "SmartSubtitlesTaskResult",
        "SmartEraseTaskResult",
        "AiDubbingTaskResult",
    }  # newer than the example
    ours = answer["WorkflowTask"]["MediaProcessResultSet"][0]["TranscodeTask"]
    # Definition 210 is an HLS template: the example's output is .m3u8 with Container "hls,applehttp".
    assert ours["Output"]["Path"].endswith("/videoplayback_transcode_210.m3u8")
    assert ours["Output"]["Container"] == transcode["Output"]["Container"]


@pytest.mark.parametrize("index", range(len(EXAMPLES["DescribeTasks"])))
def test_describe_tasks_answers_like_the_examples(mps_client, admin, index):
    example = EXAMPLES["DescribeTasks"][index]
    for _ in range(7):
        call(mps_client, "ProcessMedia", media_params())
    admin.advance_clock(6 if request_of("DescribeTasks", example)["Status"] == "PROCESSING" else 60)
    answer = call(
        mps_client, "DescribeTasks", {"Status": request_of("DescribeTasks", example)["Status"], "Limit": "5"}
    )
    assert_schema_shape(answer, "DescribeTasksResponse")
    assert_same_shape(response_of(example), answer)
    assert answer["TaskSet"][0]["SubTaskTypes"] == response_of(example)["TaskSet"][0]["SubTaskTypes"]
    # The ScrollToken is the TaskId the next page starts with, as in the paging example ("taskId6").
    following = call(
        mps_client,
        "DescribeTasks",
        {
            "Status": request_of("DescribeTasks", example)["Status"],
            "Limit": "5",
            "ScrollToken": answer["ScrollToken"],
        },
    )
    assert following["TaskSet"][0]["TaskId"] == answer["ScrollToken"]
    assert following["ScrollToken"] == ""


def test_manage_task_answers_like_the_example(mps_client):
    from .helpers import live_params

    (example,) = EXAMPLES["ManageTask"]
    task_id = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]
    answer = call(mps_client, "ManageTask", {**request_of("ManageTask", example), "TaskId": task_id})
    assert_same_shape(response_of(example), answer)
    assert_schema_shape(answer, "ManageTaskResponse")


def test_process_answers_and_task_ids_look_like_the_examples(mps_client):
    for action, pattern in (("ProcessMedia", "-WorkflowTask-"), ("ProcessLiveStream", "-live-procedure-")):
        example = next(e for e in EXAMPLES[action] if pattern in response_of(e)["TaskId"])
        answer = call(mps_client, action, request_of(action, example))
        assert_same_shape(response_of(example), answer)
        assert answer["TaskId"].split(pattern)[0].isdigit()


@pytest.mark.parametrize(
    "action", sorted(a for a in EXAMPLES if a.startswith("Describe") and a.endswith("Templates"))
)
def test_preset_templates_answer_like_the_examples_show_them(mps_client, action):
    """Every preset a Describe example shows is answered with the example's members, types and nesting."""
    for example in EXAMPLES[action]:
        expected = response_of(example)
        list_member = next(k for k, v in expected.items() if isinstance(v, list))
        presets = [t for t in expected[list_member] if t.get("Type") == "Preset"]
        if not presets:
            continue
        answer = call(mps_client, action, {"Definitions": [int(t["Definition"]) for t in presets]})
        assert_schema_shape(answer, load_schema()["actions"][action]["output"])
        ours = {str(t["Definition"]): t for t in answer[list_member]}
        for preset in presets:
            assert_same_shape(preset, ours[str(preset["Definition"])])
            assert ours[str(preset["Definition"])]["Name"] == preset["Name"]
