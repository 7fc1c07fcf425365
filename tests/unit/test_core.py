"""Pure parts of the task provider: diff paths and the status summary of a DescribeTaskDetail answer."""

from __future__ import annotations

from pulumi.output import Unknown

from pulumi_mps._core import changed_paths
from pulumi_mps._specs import LIVE, MEDIA


def test_changed_paths_are_precise():
    old = {"transcode_task_set": [{"definition": 20}, {"definition": 30}], "watermark": {"a": 1}}
    new = {"transcode_task_set": [{"definition": 20}, {"definition": 31}], "watermark": {"a": 1}}
    assert changed_paths(old, new, "media_process_task") == ["media_process_task.transcode_task_set[1].definition"]


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
            {"Type": "Transcode", "TranscodeTask": {"Status": "SUCCESS", "ErrCode": 0, "Message": "",
                                                    "Input": {"Definition": 20},
                                                    "Output": {"Path": "/movie/a.transcode_20.mp4"}}},
            {"Type": "Transcode", "TranscodeTask": {"Status": "FAIL", "ErrCode": 30010, "Message": "corrupt",
                                                    "Input": {"Definition": 30}, "Output": {"Path": "/x.mp4"}}},
            {"Type": "ImageSprites", "ImageSpriteTask": {"Status": "SUCCESS", "ErrCode": 0, "Message": "",
                                                         "Output": {"ImagePathSet": ["/s/1.jpg", "/s/2.jpg"],
                                                                    "WebVttPath": "/s/s.vtt"}}},
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
    detail = {"TaskType": "LiveStreamProcessTask", "Status": "PROCESSING", "CreateTime": "2026-11-23T10:00:00Z",
              "LiveStreamProcessTask": {"TaskId": "t", "Status": "PROCESSING", "ErrCode": 0, "Message": "",
                                        "Url": "rtmp://a/b"}}
    summary = LIVE.summarize(detail)
    assert (summary["status"], summary["err_code"], summary["subtasks"]) == ("PROCESSING", 0, [])
