"""DescribeTasks: status filter, newest first, ScrollToken paging, time filters and the TaskSimpleInfo shape."""

from __future__ import annotations

from .helpers import (
    OTHER_SECRET_ID,
    OTHER_SECRET_KEY,
    assert_schema_shape,
    call,
    live_params,
    make_client,
    media_params,
)


def _all_pages(client, **params) -> tuple[list[str], list[int]]:
    ids: list[str] = []
    page_sizes: list[int] = []
    token = ""
    while True:
        answer = call(client, "DescribeTasks", {**params, "ScrollToken": token})
        ids += [t["TaskId"] for t in answer["TaskSet"]]
        page_sizes.append(len(answer["TaskSet"]))
        token = answer["ScrollToken"]
        if not token:
            return ids, page_sizes


def test_paging_lists_every_task_once_newest_first(mps_client):
    created = []
    for _ in range(23):
        created.append(call(mps_client, "ProcessMedia", media_params())["TaskId"])
    first = call(mps_client, "DescribeTasks", {"Status": "WAITING", "Limit": 10})
    assert first["TotalCount"] == 23 and len(first["TaskSet"]) == 10 and first["ScrollToken"]
    ids, sizes = _all_pages(mps_client, Status="WAITING", Limit=10)
    assert sizes == [10, 10, 3]
    assert ids == list(reversed(created))


def test_default_limit_is_ten(mps_client):
    for _ in range(12):
        call(mps_client, "ProcessMedia", media_params())
    answer = call(mps_client, "DescribeTasks", {"Status": "WAITING"})
    assert len(answer["TaskSet"]) == 10 and answer["TotalCount"] == 12


def test_status_filter_follows_the_clock(mps_client, admin):
    media = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    live = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]

    def listed(status: str) -> set[str]:
        return {
            t["TaskId"]
            for t in call(mps_client, "DescribeTasks", {"Status": status, "Limit": 100})["TaskSet"]
        }

    assert listed("WAITING") == {media, live} and listed("PROCESSING") == set()
    admin.advance_clock(6)
    assert listed("PROCESSING") == {media, live}
    admin.advance_clock(10)
    assert (listed("PROCESSING"), listed("FINISH")) == ({live}, {media})


def test_task_simple_info_has_the_documented_members_only(mps_client):
    media = call(mps_client, "ProcessMedia", media_params(SessionId="simple", SessionContext="c"))["TaskId"]
    live = call(mps_client, "ProcessLiveStream", live_params())["TaskId"]
    answer = call(mps_client, "DescribeTasks", {"Status": "WAITING"})
    items = {t["TaskId"]: t for t in answer["TaskSet"]}
    for item in items.values():
        assert_schema_shape(item, "TaskSimpleInfo")
        assert "SessionId" not in item and "Status" not in item
        assert item["BeginProcessTime"] == "0000-00-00T00:00:00Z"
    assert items[media]["TaskType"] == "WorkflowTask"
    assert items[media]["SubTaskTypes"] == ["action-trans"]  # as the schema's examples spell them
    assert items[live]["TaskType"] == "LiveProcessTask"
    assert items[live]["SubTaskTypes"] == ["action-AIRecognition"]


def test_start_and_end_time_filter_on_create_time(mps_client, admin):
    admin.set_clock("2026-11-20T10:00:00Z")
    early = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    admin.set_clock("2026-11-20T11:00:00Z")
    late = call(mps_client, "ProcessMedia", media_params())["TaskId"]

    def listed(**window: str) -> list[str]:
        answer = call(mps_client, "DescribeTasks", {"Status": "FINISH", **window})
        return [t["TaskId"] for t in answer["TaskSet"]]

    admin.set_clock("2026-11-20T12:00:00Z")
    assert listed() == [late, early]
    assert listed(StartTime="2026-11-20T10:30:00Z") == [late]
    assert listed(EndTime="2026-11-20T10:00:00Z") == [early]
    assert listed(StartTime="2026-11-20T10:00:00Z", EndTime="2026-11-20T10:59:59Z") == [early]
    assert listed(StartTime="2026-11-20T18:30:00+08:00") == [late]


def test_sub_task_has_failed_filter(mps_client, admin):
    ok = call(mps_client, "ProcessMedia", media_params())["TaskId"]
    bad = call(mps_client, "ProcessMedia", media_params(obj="/in/fail-x.mov"))["TaskId"]
    admin.advance_clock(30)
    failed = call(mps_client, "DescribeTasks", {"Status": "FINISH", "SubTaskHasFailed": True})["TaskSet"]
    passed = call(mps_client, "DescribeTasks", {"Status": "FINISH", "SubTaskHasFailed": False})["TaskSet"]
    assert [t["TaskId"] for t in failed] == [bad]
    assert [t["TaskId"] for t in passed] == [ok]


def test_other_accounts_tasks_are_not_listed(emulator, mps_client):
    call(mps_client, "ProcessMedia", media_params())
    other = make_client(emulator.endpoint, OTHER_SECRET_ID, OTHER_SECRET_KEY)
    answer = call(other, "DescribeTasks", {"Status": "WAITING"})
    assert (answer["TaskSet"], answer["ScrollToken"], answer["TotalCount"]) == ([], "", 0)
    assert call(mps_client, "DescribeTasks", {"Status": "WAITING"})["TotalCount"] == 1
