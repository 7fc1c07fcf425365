"""The provider's API client (the tencentcloud SDK's CommonClient) over real HTTP to the emulator."""

from __future__ import annotations

import logging
import threading

import pytest

from pulumi_mps._client import HTTP_CONNECTIONS, MpsApi
from pulumi_mps._settings import Settings, parse_endpoint
from pulumi_mps.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.emulator.helpers import media_params

pytestmark = pytest.mark.protocol


def test_as_many_concurrent_calls_as_the_provider_serves_reuse_their_connections(mps_emulator, caplog):
    mps_emulator.admin.set_rate_limit(0)
    scheme, host = parse_endpoint(mps_emulator.url)
    api = MpsApi(Settings(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, region="ap-chongqing", scheme=scheme, host=host,
                          rate_limit=0))
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
