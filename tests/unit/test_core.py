"""Pure parts of the task provider: diff paths, the status summary of a DescribeTaskDetail answer, waiting on a
fake clock, and what check() reports."""

from __future__ import annotations

import pytest
from pulumi.output import Unknown

from pulumi_mps._core import changed_paths
from pulumi_mps._errors import TaskFailed
from pulumi_mps._providers import LiveStreamProcessTaskProvider, MediaProcessTaskProvider
from pulumi_mps._specs import LIVE, MEDIA


def test_changed_paths_are_precise():
    old = {"transcode_task_set": [{"definition": 20}, {"definition": 30}], "watermark": {"a": 1}}
    new = {"transcode_task_set": [{"definition": 20}, {"definition": 31}], "watermark": {"a": 1}}
    assert changed_paths(old, new, "media_process_task") == [
        "media_process_task.transcode_task_set[1].definition"
    ]


def test_changed_paths_added_removed_and_resized():
    assert changed_paths({"a": 1}, {"b": 1}, "x") == ["x.a", "x.b"]
    assert changed_paths([1], [1, 2], "x") == ["x"]
    assert changed_paths(None, {"a": 1}, "x") == ["x"]
    assert changed_paths({"a": 1}, {"a": 1}, "x") == []


def test_unknown_always_differs():
    assert changed_paths({"a": 1}, {"a": Unknown()}, "x") == ["x.a"]


DETAIL = {
    "TaskType": "WorkflowTask",
    "Status": "FINISH",
    "CreateTime": "2026-11-23T10:00:00Z",
    "BeginProcessTime": "2026-11-23T10:00:05Z",
    "FinishTime": "0000-00-00T00:00:00Z",
    "WorkflowTask": {
        "TaskId": "1250000000-WorkflowTask-abc",
        "Status": "FINISH",
        "ErrCode": 0,
        "Message": "",
        "MediaProcessResultSet": [
            {
                "Type": "Transcode",
                "TranscodeTask": {
                    "Status": "SUCCESS",
                    "ErrCode": 0,
                    "Message": "",
                    "Input": {"Definition": 20},
                    "Output": {"Path": "/movie/a.transcode_20.mp4"},
                },
            },
            {
                "Type": "Transcode",
                "TranscodeTask": {
                    "Status": "FAIL",
                    "ErrCode": 30010,
                    "Message": "corrupt",
                    "Input": {"Definition": 30},
                    "Output": {"Path": "/x.mp4"},
                },
            },
            {
                "Type": "ImageSprites",
                "ImageSpriteTask": {
                    "Status": "SUCCESS",
                    "ErrCode": 0,
                    "Message": "",
                    "Output": {"ImagePathSet": ["/s/1.jpg", "/s/2.jpg"], "WebVttPath": "/s/s.vtt"},
                },
            },
        ],
    },
}


def test_summary_of_a_media_task():
    summary = MEDIA.summarize(DETAIL)
    assert summary["status"] == "FINISH"
    assert summary["create_time"] == "2026-11-23T10:00:00Z"
    assert summary["finish_time"] == ""
    assert [s["status"] for s in summary["subtasks"]] == ["SUCCESS", "FAIL", "SUCCESS"]
    assert summary["subtasks"][1]["err_code"] == 30010
    assert summary["output_paths"] == ["/movie/a.transcode_20.mp4", "/s/1.jpg", "/s/2.jpg", "/s/s.vtt"]


def test_summary_of_a_live_task():
    detail = {
        "TaskType": "LiveStreamProcessTask",
        "Status": "PROCESSING",
        "CreateTime": "2026-11-23T10:00:00Z",
        "LiveStreamProcessTask": {
            "TaskId": "t",
            "Status": "PROCESSING",
            "ErrCode": 0,
            "Message": "",
            "Url": "rtmp://a/b",
        },
    }
    summary = LIVE.summarize(detail)
    assert (summary["status"], summary["err_code"], summary["subtasks"]) == ("PROCESSING", 0, [])


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class TaskOnAClock:
    """What DescribeTaskDetail says of a task that reaches FINISH ``finish_at`` seconds in (never, if None)."""

    def __init__(self, clock: FakeClock, finish_at: float | None) -> None:
        self.clock, self.finish_at, self.polled = clock, finish_at, []

    def task_detail(self, task_id: str) -> dict:
        self.polled.append(self.clock.now)
        done = self.finish_at is not None and self.clock.now >= self.finish_at
        return {
            **DETAIL,
            "Status": "FINISH" if done else "PROCESSING",
            "WorkflowTask": {"TaskId": task_id, "Status": "FINISH" if done else "PROCESSING", "ErrCode": 0},
        }


def test_wait_lasts_the_whole_timeout_and_sees_a_task_finish_before_it():
    clock = FakeClock()
    api = TaskOnAClock(clock, finish_at=15.0)
    summary = MediaProcessTaskProvider()._wait(api, "t", 18.0, clock=clock, sleep=clock.sleep)
    assert summary["status"] == "FINISH"
    assert 15.0 <= api.polled[-1] <= 18.0


def test_wait_polls_at_the_deadline_and_reports_the_time_waited():
    clock = FakeClock()
    api = TaskOnAClock(clock, finish_at=None)
    with pytest.raises(TaskFailed, match=r"still PROCESSING after 8\.0 s \(wait_timeout_seconds 8\)"):
        LiveStreamProcessTaskProvider()._wait(api, "t", 8.0, clock=clock, sleep=clock.sleep)
    assert api.polled[0] == 0.0 and api.polled[-1] == 8.0


MEDIA_INPUTS = {
    "input_info": {
        "type": "COS",
        "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing", "object": "/in.mov"},
    },
    "resource_identity": "p/s/t",
}


def texts(failures) -> list[str]:
    assert all(f.property == "" for f in failures)  # the engine would print a nested path's value as {<nil>}
    return [f.reason for f in failures]


def test_a_nested_problem_names_its_path_and_shows_the_value_shortened():
    news = {
        **MEDIA_INPUTS,
        "media_process_task": {"TranscodeTaskSet": [{"Definition": float(2**70)}]},
        "output_dir": "x" * 100_000,
    }
    failures = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert (
        "media_process_task.transcode_task_set[0].definition: must be at most 18446744073709551615 "
        "(value: 1180591620717411303424)"
    ) in failures
    (long,) = [f for f in failures if f.startswith("output_dir:")]
    assert len(long) < 200 and "(100000 characters)" in long


def test_a_long_value_is_reported_with_its_own_length_not_its_json_length():
    news = {**MEDIA_INPUTS, "session_context": "长" * 1001}
    (failure,) = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert failure.startswith('session_context: at most 1000 characters (value: "长长')
    assert failure.endswith("(1001 characters))")


def test_non_finite_numbers_fail_the_check():
    news = {
        **MEDIA_INPUTS,
        "media_process_task": {"transcode_task_set": [{"definition": 20, "start_time_offset": float("nan")}]},
        "triggers": {"n": float("nan"), "list": [1, float("inf")]},
        "wait_timeout_seconds": float("inf"),
    }
    failures = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert any(
        f.startswith("media_process_task.transcode_task_set[0].start_time_offset: must be a finite")
        for f in failures
    )
    assert [f.split(":")[0] for f in failures if "never compare equal" in f] == [
        "triggers.n",
        "triggers.list[1]",
    ]
    assert any(f.startswith("wait_timeout_seconds: must be a number of seconds") for f in failures)


def test_a_secret_is_never_shown_in_a_problem():
    news = {
        **MEDIA_INPUTS,
        "input_info": {
            "type": "AWS-S3",
            "s3_input_info": {
                "s3_bucket": "b",
                "s3_region": "us-east-1",
                "s3_object": "/o",
                "s3_secret_key": 12345678,
            },
        },
    }
    failures = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert failures == ["input_info.s3_input_info.s3_secret_key: must be a string (value: [secret])"]


def test_program_problems_and_offline_config_fail_the_check_naming_their_keys(monkeypatch):
    for name in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)  # a preview needs no credentials
    monkeypatch.setenv("MPS_ENDPOINT", "http://127.0.0.1:99999")
    monkeypatch.setenv("MPS_RATE_LIMIT", "fast")
    news = {**MEDIA_INPUTS, "program_problems": ["triggers: nested more than 64 levels deep"]}
    failures = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert failures[0].startswith("MPS_ENDPOINT must be a URL") and "port" in failures[0]
    assert failures[1].startswith("MPS_RATE_LIMIT must be a number")
    assert failures[2] == "triggers: nested more than 64 levels deep"
    monkeypatch.setenv("MPS_ENDPOINT", "http://127.0.0.1:18080")
    monkeypatch.delenv("MPS_RATE_LIMIT")
    assert MediaProcessTaskProvider().check({}, MEDIA_INPUTS).failures == []


REFRESH_OF_A_FINISHED_TASK = """
import json, sys
from pulumi_mps._providers import MediaProcessTaskProvider

inputs = json.loads(sys.argv[1])
state = {**inputs, "task_id": "1250000000-WorkflowTask-1", "status": "FINISH", "create_time": "2026-01-01T00:00:00Z",
         "begin_process_time": "2026-01-01T00:00:01Z", "finish_time": "2026-01-01T00:00:09Z", "err_code": 0,
         "message": "", "subtasks": [], "output_paths": ["/out.mp4"], "adopted": False}
provider = MediaProcessTaskProvider()
read = provider.read(state["task_id"], state)
diff = provider.diff(state["task_id"], read.outs, inputs)  # what the engine asks after each refresh
print(json.dumps({"outs": read.outs == state, "inputs": read.inputs, "changes": diff.changes,
                  "models loaded": "pydantic" in sys.modules or "pulumi_mps.models._convert" in sys.modules}))
"""


def test_refreshing_a_finished_task_reads_its_state_and_loads_no_model():
    """The refresh of a finished task is answered from its state, leaves the inputs to the engine and, with the
    diff the engine asks for after it, never loads the models (pydantic): it runs before the program does."""
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", REFRESH_OF_A_FINISHED_TASK, json.dumps(MEDIA_INPUTS)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "outs": True,
        "inputs": None,
        "changes": False,
        "models loaded": False,
    }


def test_the_kind_of_a_task_is_its_task_type_or_its_part():
    from pulumi_mps._specs import EDIT, kind_of

    assert kind_of({"TaskType": "ScheduleTask"}) == ("ScheduleTask", MEDIA)
    assert kind_of({"TaskType": "EditMediaTask"}) == ("EditMediaTask", EDIT)
    assert kind_of({"LiveStreamProcessTask": {"TaskId": "t"}}) == ("LiveStreamProcessTask", LIVE)
    assert kind_of({"TaskType": "ImageTask"}) == ("ImageTask", None)


S3_SECRET = "PLAINS3SECRETKEY-zz9q"


def s3_input(**members) -> dict:
    return {
        "type": "AWS-S3",
        "s3_input_info": {"s3_bucket": "b", "s3_region": "us-east-1", "s3_object": "/o.mov", **members},
    }


@pytest.mark.parametrize(
    "members",
    [
        {"s3_secret_kee": S3_SECRET},
        {"S3SecretKy": S3_SECRET},
        {"s3_secret_key": S3_SECRET, "s3_object": 5},
    ],
    ids=["misspelt", "misspelt-api-name", "beside-a-bad-member"],
)
def test_a_value_under_a_secret_member_is_never_shown_even_misspelt(members):
    news = {**MEDIA_INPUTS, "input_info": s3_input(s3_secret_id="AKIDEXAMPLE", **members)}
    failures = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert failures and not any(S3_SECRET[:6] in f for f in failures), failures
    if "s3_object" not in members:
        assert failures[0].endswith("(value: [secret])"), failures


def test_a_value_the_program_marked_secret_is_never_shown():
    context = "SECRETCONTEXT-" + "x" * 1000
    news = {
        **MEDIA_INPUTS,
        "session_context": context,
        "tasks_priority": 97,
        "output_dir": "/out/",
        "secret_inputs": ["session_context", "tasks_priority"],
    }
    failures = sorted(texts(MediaProcessTaskProvider().check({}, news).failures))
    assert failures == [
        "session_context: at most 1000 characters (value: [secret])",
        "tasks_priority: must be between -10 and 10 (value: [secret])",
    ]
    news = {**MEDIA_INPUTS, "session_id": "", "secret_inputs": ["session_id"]}
    (failure,) = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert failure.endswith("(value: [secret])")


def test_inputs_not_known_to_be_plain_are_all_hidden():
    news = {**MEDIA_INPUTS, "tasks_priority": 97, "secret_inputs": Unknown()}
    (failure,) = texts(MediaProcessTaskProvider().check({}, news).failures)
    assert failure == "tasks_priority: must be between -10 and 10 (value: [secret])"


def test_redaction_hides_whole_secrets_and_short_ones_only_where_they_stand_alone():
    from pulumi_mps._secrets import Hidden

    hidden = Hidden.of({"session_id": "abc", "session_context": S3_SECRET, "secret_inputs": ["session_id"]})
    assert hidden.redact("SessionId abc is used; abcd is not") == "SessionId [secret] is used; abcd is not"
    hidden = Hidden.of({"input_info": s3_input(s3_secret_key=S3_SECRET)})
    assert hidden.redact(f"MPS said: bad key {S3_SECRET}!") == "MPS said: bad key [secret]!"
