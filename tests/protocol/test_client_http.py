"""The provider's API client (the tencentcloud SDK's CommonClient) over real HTTP to the emulator."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from pulumi_mps._client import (
    DUPLICATE_SESSION,
    HTTP_CONNECTIONS,
    ApiError,
    MpsApi,
    forget_known_tasks,
)
from pulumi_mps._retry import Retrier
from pulumi_mps._settings import DEFAULT_RATE_LIMIT, Settings, parse_endpoint
from pulumi_mps._specs import MEDIA
from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from pulumi_mps.emulator._backend import DEFAULT_ACCOUNT
from tests.emulator.helpers import media_params

pytestmark = pytest.mark.protocol


def api_for(emulator) -> MpsApi:
    scheme, host = parse_endpoint(emulator.url)
    return MpsApi(
        Settings(
            DEFAULT_SECRET_ID,
            DEFAULT_SECRET_KEY,
            region="ap-chongqing",
            scheme=scheme,
            host=host,
            rate_limit=0,
        )
    )


@pytest.fixture
def fresh_process():
    forget_known_tasks()
    yield
    forget_known_tasks()


def test_a_rerun_of_an_interrupted_up_adopts_every_task_sharing_the_listings(mps_emulator, fresh_process):
    # The interrupted run's tasks exist; a new process submits each again, 8 at a time, and adopts them.
    mps_emulator.admin.set_rate_limit(0)
    count = 60
    expected = [
        mps_emulator.backend.call(
            "ProcessMedia", media_params(f"/in/{n}.mov", SessionId=f"rerun-{n}"), DEFAULT_ACCOUNT
        )["TaskId"]
        for n in range(count)
    ]
    apis: list[MpsApi] = []

    def create(n: int) -> str:
        api = api_for(mps_emulator)
        apis.append(api)
        submitted_at = datetime.now(timezone.utc)
        with pytest.raises(ApiError) as duplicate:
            api.submit("ProcessMedia", media_params(f"/in/{n}.mov", SessionId=f"rerun-{n}"))
        assert duplicate.value.code == DUPLICATE_SESSION
        return api.find_by_session(f"rerun-{n}", MEDIA.list_task_types, MEDIA.dedup_window, submitted_at)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(create, range(count))) == expected
    assert len(mps_emulator.admin.tasks()) == count
    assert sum(api.calls.get("DescribeTaskDetail", 0) for api in apis) == count  # each task described once
    # Alone, each search lists a page per status (180 calls here); shared, a listing serves every search
    # answered before it began (about 48).
    assert sum(api.calls.get("DescribeTasks", 0) for api in apis) < 2 * count


def test_as_many_concurrent_calls_as_the_provider_serves_reuse_their_connections(mps_emulator, caplog):
    mps_emulator.admin.set_rate_limit(0)
    api = api_for(mps_emulator)
    threads = 32
    assert HTTP_CONNECTIONS >= threads
    start = threading.Barrier(threads)
    task_ids: list[str] = []

    def submit(worker: int) -> None:
        start.wait()
        for call in range(5):
            task_ids.append(api.submit("ProcessMedia", media_params(SessionId=f"pool-{worker}-{call}")))

    with caplog.at_level(logging.WARNING, logger="urllib3"):
        workers = [threading.Thread(target=submit, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert len(set(task_ids)) == threads * 5
    assert not [r for r in caplog.records if "pool is full" in r.getMessage()]


def test_a_refused_call_slows_this_process_for_that_account_and_action_only(mps_emulator):
    scheme, host = parse_endpoint(mps_emulator.url)
    api = MpsApi(
        Settings(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, region="ap-chongqing", scheme=scheme, host=host),
        Retrier(sleep=lambda _: None),
    )
    key = (DEFAULT_SECRET_ID, "ap-chongqing", host)
    for n in range(5):
        api.submit("ProcessMedia", media_params(SessionId=f"paced-{n}"))
    api.call("DescribeTasks", {"Status": "WAITING"})
    assert (
        api.state.limiter.rate((*key, "ProcessMedia"))
        == api.state.limiter.rate((*key, "DescribeTasks"))
        == DEFAULT_RATE_LIMIT
    )
    mps_emulator.admin.add_fault("ProcessMedia", count=1, code="RequestLimitExceeded")
    api.submit("ProcessMedia", media_params(SessionId="paced-refused"))  # refused once, then accepted
    assert api.state.limiter.rate((*key, "ProcessMedia")) < DEFAULT_RATE_LIMIT
    assert api.state.limiter.rate((*key, "DescribeTasks")) == DEFAULT_RATE_LIMIT
    assert len(mps_emulator.admin.tasks()) == 6
