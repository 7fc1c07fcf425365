"""More threads for the calls that wait, inside Pulumi's dynamic-provider server.

The server (``python -m pulumi.dynamic``, started by the ``pulumi-resource-pulumi-python`` plugin) handles
every call on a pool of four threads. A Create that waits for its task (``wait_for_completion``), for the rate
limit or for retries holds one of them, so four such creates at once stall the rest of the deployment (Checks
included). gRPC lets a method handler name its own pool (``experimental_thread_pool``, looked up on every
call), so the first time our provider is configured in that process, Create, Update, Delete and Read get a
pool of their own, as large as the engine's parallelism is likely to be; Check, Diff and the rest keep the
server's four threads and never queue behind a waiting create. Outside that server (a Pulumi program, the
tests' in-process calls) nothing changes.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

BLOCKING_CALLS = ("Create", "Update", "Delete", "Read")
BLOCKING_CALL_WORKERS = 64
SERVER_MODULE = "pulumi.dynamic.__main__"

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def widen_provider_server() -> bool:
    """Give the blocking calls of the running dynamic-provider server their own thread pool (idempotent).
    True when it is in place."""
    global _pool
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    servicer = getattr(main, "DynamicResourceProviderServicer", None)
    if spec is None or spec.name != SERVER_MODULE or servicer is None:
        return False
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=BLOCKING_CALL_WORKERS, thread_name_prefix="pulumi-mps-call")
        for name in BLOCKING_CALLS:
            method = getattr(servicer, name, None)
            if callable(method) and getattr(method, "experimental_thread_pool", None) is None:
                method.experimental_thread_pool = _pool
    return True
