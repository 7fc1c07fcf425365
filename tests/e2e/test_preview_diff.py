"""What `pulumi preview --diff` prints, as GitOps pipelines read it: precise on change, silent otherwise."""

from __future__ import annotations

import re

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

PASCAL = """
from pulumi_mps import MediaProcessTask
MediaProcessTask("movie", input_info={"Type": "COS", "CosInputInfo": {"Bucket": "b-1250000000",
                 "Region": "ap-chongqing", "Object": "/movie.mov"}},
                 media_process_task={"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 30}]},
                 tasks_priority=2, output_dir="/out/")
MediaProcessTask("trailer", input_info={"Type": "COS", "CosInputInfo": {"Bucket": "b-1250000000",
                 "Region": "ap-chongqing", "Object": "/trailer.mov"}},
                 media_process_task={"TranscodeTaskSet": [{"Definition": 20}]})
"""

# The same two specs: snake_case keys in another order, numbers as floats and strings, a model instance.
REWRITTEN = """
from pulumi_mps import MediaProcessTask
from pulumi_mps.models import CosInputInfo, MediaInputInfo
MediaProcessTask("movie", output_dir="/out/", tasks_priority=2.0,
                 media_process_task={"transcode_task_set": [{"definition": 20.0}, {"definition": "30"}]},
                 input_info={"cos_input_info": {"object": "/movie.mov", "region": "ap-chongqing",
                                                "bucket": "b-1250000000"}, "type": "COS"})
MediaProcessTask("trailer", media_process_task={"TranscodeTaskSet": [{"definition": 20}]},
                 input_info=MediaInputInfo(type="COS", cos_input_info=CosInputInfo(
                     bucket="b-1250000000", region="ap-chongqing", object="/trailer.mov")))
"""

# The same two specs again, with empty values added (an empty member is an absent one), one as *Args.
WITH_EMPTIES = """
from pulumi_mps import MediaProcessTask, MediaProcessTaskArgs
MediaProcessTask("movie", input_info={"Type": "COS", "CosInputInfo": {"Bucket": "b-1250000000",
                 "Region": "ap-chongqing", "Object": "/movie.mov"}, "UrlInputInfo": {}},
                 media_process_task={"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 30}],
                                     "SnapshotByTimeOffsetTaskSet": []},
                 tasks_priority=2, output_dir="/out/", session_context="", ai_analysis_task={})
MediaProcessTask("trailer", MediaProcessTaskArgs(
    input_info={"type": "COS", "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing",
                                                  "object": "/trailer.mov"}},
    media_process_task={"transcode_task_set": [{"definition": 20}], "animated_graphic_task_set": []},
    session_context="", resource_id=""))
"""


def changed_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if re.match(r"\s*(~ |\+-pulumi|-\+pulumi)", line)]


def test_preview_diff_text(make_stack, tmp_path, mps_env, mps_emulator):
    stack = make_stack(new_project(tmp_path / "diff", "diff", PASCAL), env=mps_env)

    created = stack.preview("--diff").stdout
    assert created.count("+ pulumi-python:dynamic/mps:MediaProcessTask: (create)") == 2
    assert created.count("+ pulumi-python:dynamic/mps:StackMarker: (create)") == 1
    stack.up()
    session_ids = {r["outputs"]["session_id"] for r in stack.resources("MediaProcessTask")}
    assert len(session_ids) == 2 and all(re.fullmatch(r"pmps2-[0-9a-f]{40}", s) for s in session_ids)
    assert {t["SessionId"] for t in mps_emulator.admin.tasks()} == session_ids

    again = stack.preview("--diff", "--expect-no-changes").stdout
    assert changed_lines(again) == [] and "4 unchanged" in again

    (stack.workdir / "__main__.py").write_text(REWRITTEN)
    rewritten = stack.preview("--diff", "--expect-no-changes").stdout
    assert changed_lines(rewritten) == []
    (stack.workdir / "__main__.py").write_text(WITH_EMPTIES)
    assert changed_lines(stack.preview("--diff", "--expect-no-changes").stdout) == []
    (stack.workdir / "__main__.py").write_text(REWRITTEN)

    mps_emulator.admin.advance_clock(60)
    stack.refresh()
    stack.preview("--diff", "--expect-no-changes")

    movie_session = next(
        r["outputs"]["session_id"]
        for r in stack.resources("MediaProcessTask")
        if r["urn"].endswith("::movie")
    )
    (stack.workdir / "__main__.py").write_text(REWRITTEN.replace('"definition": "30"', '"definition": "31"'))
    edited = stack.preview("--diff").stdout
    assert edited.count("(replace)") == 1
    assert "[urn=urn:pulumi:test::diff::pulumi-python:dynamic/mps:MediaProcessTask::movie]" in edited
    assert changed_lines(edited) == [
        "+-pulumi-python:dynamic/mps:MediaProcessTask: (replace)",
        "~ media_process_task: {",
        "~ transcode_task_set: [",
        "~ [1]: {",
        "~ definition: 30 => 31",
        f'~ session_id        : "{movie_session}" => "{re.search(r"=> .(pmps2-[0-9a-f]{40})", edited)[1]}"',
    ]
    assert "+-1 to replace" in edited and "3 unchanged" in edited  # the stack, its marker and the other task
