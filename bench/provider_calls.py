"""CPU per call of the provider's pieces, in process, against the emulator (its own process, limit off).

Usage (from the repo root)::

    .venv/bin/python bench/provider_calls.py [--calls 2000] [--threads 1 8]

- ``client``: one ProcessMedia through the tencentcloud SDK's CommonClient as the SDK builds it, next to the
  provider's client (``pulumi_mps._client.sdk_client``: the same, with the ``requests`` session tuned), same
  process, alternated; CPU ms per call, sequential.
- ``connections``: 32 threads x 20 calls through each client: connections discarded by urllib3 ("Connection pool
  is full" warnings) and the sockets it left in TIME-WAIT towards the emulator (``ss -tan``, after - before).
- ``handlers``: the dynamic-provider server's own Check and Create handlers (``pulumi.dynamic.__main__``'s
  servicer, called directly with the request the engine sends) for MediaProcessTask and for the no-op of
  bench/noop_provider.py, from ``--threads`` threads; CPU ms per call (and the kernel's part of a Create: GIL
  hand-offs between threads are futex calls), and the emulator's CPU per ProcessMedia.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import threading
import time
import types
from itertools import count

from _common import SECRET_ID, SECRET_KEY, EmulatorProcess, machine

REGION = "ap-chongqing"
_ids = count()


def params() -> dict:
    return {
        "InputInfo": {
            "Type": "COS",
            "CosInputInfo": {
                "Bucket": "series-1250000000",
                "Region": REGION,
                "Object": "/episodes/00001.mov",
            },
        },
        "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 20}, {"Definition": 30}]},
        "SessionId": f"bench-{os.getpid()}-{next(_ids)}",
    }


def clients(url: str) -> dict:
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    from pulumi_mps._client import API_SERVICE, API_VERSION, sdk_client
    from pulumi_mps._settings import Settings, parse_endpoint

    scheme, host = parse_endpoint(url)
    http = HttpProfile(protocol=scheme, endpoint=host, keepAlive=True)
    as_built = CommonClient(
        API_SERVICE, API_VERSION, Credential(SECRET_ID, SECRET_KEY), REGION, ClientProfile(httpProfile=http)
    )
    provider = sdk_client(
        Settings(SECRET_ID, SECRET_KEY, region=REGION, scheme=scheme, host=host, rate_limit=0)
    )
    return {"SDK as built": as_built, "provider's": provider}


def client_cpu(clients_: dict, calls: int) -> dict[str, float]:
    spent = dict.fromkeys(clients_, 0.0)
    for client in clients_.values():
        for _ in range(50):
            client.call_json("ProcessMedia", params())
    for _ in range(calls // 100):
        for name, client in clients_.items():
            start = time.process_time()
            for _ in range(100):
                client.call_json("ProcessMedia", params())
            spent[name] += time.process_time() - start
    return {name: 1e3 * cpu / calls for name, cpu in spent.items()}


def time_wait(port: str) -> int:
    lines = subprocess.run(["ss", "-tan"], capture_output=True, text=True, check=False).stdout.splitlines()
    return sum(f":{port} " in line and "TIME-WAIT" in line for line in lines)


def connections(client, port: str) -> tuple[int, int]:
    class Count(logging.Handler):
        full = 0

        def emit(self, record: logging.LogRecord) -> None:
            Count.full += "pool is full" in record.getMessage()

    handler = Count()
    before = time_wait(port)
    logging.getLogger("urllib3").addHandler(handler)
    try:
        threads = [
            threading.Thread(target=lambda: [client.call_json("ProcessMedia", params()) for _ in range(20)])
            for _ in range(32)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        logging.getLogger("urllib3").removeHandler(handler)
    return Count.full, time_wait(port) - before


def servicer():
    """The dynamic-provider server's servicer class, without starting the server (its module runs main())."""
    import pulumi.dynamic

    path = os.path.join(pulumi.dynamic.__path__[0], "__main__.py")
    with open(path, encoding="utf-8") as fh:
        source = fh.read().rsplit("main()", 1)[0]
    module = types.ModuleType("pulumi.dynamic._bench_server")
    module.__package__ = "pulumi.dynamic"
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - the SDK module itself, minus main()
    return module.DynamicResourceProviderServicer()


def handlers(kind: str, calls: int, threads: int, emu: EmulatorProcess) -> tuple[float, float, float, float]:
    from pulumi.dynamic.dynamic import serialize_provider
    from pulumi.runtime import rpc
    from pulumi.runtime.proto import provider_pb2 as proto

    if kind == "mps":
        from pulumi_mps._providers import MediaProcessTaskProvider as Provider
    else:
        from noop_provider import NoopProvider as Provider
    text = serialize_provider(Provider())
    loop = asyncio.new_event_loop()

    def struct(props: dict):
        return loop.run_until_complete(rpc.serialize_properties(props, {}))

    def news(i: int):
        props = {
            "input_info": {
                "type": "COS",
                "cos_input_info": {
                    "bucket": "series-1250000000",
                    "region": REGION,
                    "object": f"/episodes/{i:05}.mov",
                },
            },
            "media_process_task": {"transcode_task_set": [{"definition": 20}, {"definition": 30}]},
            "__provider": text,
        }
        if kind == "mps":
            props["resource_identity"] = f"bench/bench/{kind}-{os.getpid()}-{i}-{time.time()}"
        return struct(props)

    server, empty = servicer(), struct({})
    requests = [news(i) for i in range(calls + 20)]

    def check(i: int):
        return server.Check(proto.CheckRequest(olds=empty, news=requests[i]), None).inputs

    for i in range(20):
        server.Create(proto.CreateRequest(properties=check(i)), None)

    def run(work) -> None:
        def part(first: int) -> None:
            for i in range(first, calls, threads):
                work(20 + i)

        workers = [threading.Thread(target=part, args=(k,)) for k in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    checked: dict[int, object] = {}
    start = time.process_time()
    run(lambda i: checked.__setitem__(i, check(i)))
    check_ms = 1e3 * (time.process_time() - start) / calls
    emu_start, start, kernel = emu.cpu_seconds(), time.process_time(), os.times().system
    run(lambda i: server.Create(proto.CreateRequest(properties=checked[i]), None))
    create_ms = 1e3 * (time.process_time() - start) / calls
    kernel_ms = 1e3 * (os.times().system - kernel) / calls
    return check_ms, create_ms, kernel_ms, 1e3 * (emu.cpu_seconds() - emu_start) / calls


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    with EmulatorProcess(rate_limit=0) as emu:
        os.environ.update(
            MPS_ENDPOINT=emu.url,
            TENCENTCLOUD_SECRET_ID=SECRET_ID,
            TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
            TENCENTCLOUD_REGION=REGION,
            MPS_RATE_LIMIT="0",
        )
        built = clients(emu.url)
        print(f"\nclient: CPU ms per ProcessMedia, {args.calls} sequential calls each, alternated by 100")
        for name, ms in client_cpu(built, args.calls).items():
            print(f"| {name} | {ms:.3f} |", flush=True)
        port = emu.url.rsplit(":", 1)[1]
        print("\nconnections: 32 threads x 20 calls | 'pool is full' warnings | new TIME-WAIT sockets")
        for name, client in built.items():
            full, waiting = connections(client, port)
            print(f"| {name} | {full} | {waiting} |", flush=True)
        print(
            f"\nhandlers: CPU ms per call, {args.calls} calls | kind | threads | Check | Create | of which kernel "
            "| emulator per Create"
        )
        for threads in args.threads:
            for kind in ("noop", "mps"):
                check_ms, create_ms, kernel_ms, emu_ms = handlers(kind, args.calls, threads, emu)
                print(
                    f"| {kind} | {threads} | {check_ms:.3f} | {create_ms:.3f} | {kernel_ms:.3f} | {emu_ms:.3f} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
