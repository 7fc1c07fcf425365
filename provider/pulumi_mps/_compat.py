"""Every use pulumi-mps makes of the Pulumi SDK's internals (names the SDK neither documents nor exports), in one
place, for the supported SDK range (``pulumi>=3.216,<4``).

1. Registering a task resource: what ``pulumi.dynamic.Resource.__init__`` does (the provider pickled into a
   secret ``__provider`` input, the ``pulumi-python:dynamic/mps:...`` type), with the provider pickled once per
   class instead of once per resource. Uses ``pulumi.runtime._serialization._serialize``,
   ``pulumi.dynamic.dynamic.serialize_provider`` and ``Resource._resource_type_name``; where they are missing it
   calls ``pulumi.dynamic.Resource.__init__`` itself (the same registration, one pickle per resource).
2. The dynamic-provider server (``python -m pulumi.dynamic``): its servicer class
   (``pulumi.dynamic.__main__.DynamicResourceProviderServicer``) and gRPC's per-method thread pool
   (``experimental_thread_pool``), so that waiting creates do not hold the server's four threads.
3. Reporting a resource created (or updated, or read) but not initialized, as Pulumi's own providers do (a gRPC
   status carrying ``pulumirpc.ErrorResourceInitFailed{id, properties, reasons}``): the dynamic-provider server
   turns every error into a plain failure, which would leave a submitted task out of the state. The
   ``context`` of the running call is found among the server's frames; the status comes from
   ``pulumi.runtime.proto.status_pb2`` and ``provider_pb2``. The same status, without details, reports an error
   of pulumi-mps (an API refusal, an object it cannot show is its own) as its message alone, where the server
   would show the exception's Python traceback.
4. The program's own process: the stack marker's value, which each task takes without a dependency on the marker
   (``Output.future``); the end-of-program wait (``pulumi.runtime.settings._get_rpc_manager().rpcs``, read by
   ``pulumi.runtime.stack.wait_for_rpcs``) and the cyclic garbage collector's threshold.

At run time each guard does nothing when what it expects is not there, so that an SDK upgrade never breaks a
program; it only makes it slower, or, for 3 and the marker, falls back on what the SDK does by itself (a wait that
fails fails the create, leaving its task out of the state; a task depends on the marker, which a targeted ``up``
of a new stack must then name). :func:`sdk_internals` reports each internal as present or not, and
``tests/unit/test_sdk_internals.py`` fails, naming it, on the locked SDK (``scripts/dev test``) and on the lowest
supported one (``scripts/dev test-oldest``).
"""

from __future__ import annotations

import asyncio
import collections
import functools
import gc
import importlib
import importlib.util
import inspect
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import grpc  # type: ignore[import-untyped]
import pulumi
from pulumi.dynamic import Resource

if TYPE_CHECKING:
    from pulumi.dynamic import ResourceProvider

PROVIDER_KEY = "__provider"


def _sdk_attribute(module: str, name: str) -> Any:
    """``module.name`` in the running SDK; None when it has no such thing (sdk_internals() reports it)."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


_serialize = _sdk_attribute("pulumi.runtime._serialization", "_serialize")
_serialize_provider = _sdk_attribute("pulumi.dynamic.dynamic", "serialize_provider")


# -- 1. registering a dynamic resource --------------------------------------------------------------------------
_serialized: dict[type, str] = {}


def serialized_provider(cls: type[ResourceProvider]) -> str:
    """What the SDK's dynamic ``Resource.__init__`` puts under ``__provider`` for an instance of ``cls``.

    The SDK dill-pickles the provider (with a process-wide pickle patch) for every resource; our providers hold no
    state, so the text is the same for all of them (pickled by reference): computed once per class, with the
    SDK's own functions. Raises when the SDK lacks them (register_dynamic_resource does not call it then)."""
    if not (callable(_serialize) and callable(_serialize_provider)):
        raise RuntimeError(
            "this pulumi SDK has no pulumi.runtime._serialization._serialize / serialize_provider"
        )
    text = _serialized.get(cls)
    if text is None:  # computed at most once per class and thread; every computation gives the same text
        text = _serialized.setdefault(cls, _serialize(True, _serialize_provider, cls())[0])
    return text


def _declares_type_names() -> bool:
    """``pulumi.dynamic.Resource`` subclasses declared with ``module=`` and ``name=`` get ``_resource_type_name``."""
    probe = type("Probe", (Resource,), {}, module="mps", name="Probe")
    return getattr(probe, "_resource_type_name", None) == "dynamic/mps:Probe"


@functools.cache
def _fast_registration_available() -> bool:
    return callable(_serialize) and callable(_serialize_provider) and _declares_type_names()


def register_dynamic_resource(
    resource: Resource,
    provider_class: type[ResourceProvider],
    name: str,
    props: dict[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> None:
    """Register ``resource`` (an instance of a ``pulumi.dynamic.Resource`` subclass declared with ``module=`` and
    ``name=``) exactly as ``pulumi.dynamic.Resource.__init__(resource, provider_class(), name, props, opts)``
    would, the provider as a secret, but pickled once per provider class."""
    if not _fast_registration_available():
        Resource.__init__(resource, provider_class(), name, props, opts)
        return
    props[PROVIDER_KEY] = pulumi.Output.secret(serialized_provider(provider_class))
    type_token = f"pulumi-python:{type(resource)._resource_type_name}"
    pulumi.CustomResource.__init__(resource, type_token, name, props, opts)


# -- 2. the dynamic-provider server -----------------------------------------------------------------------------
BLOCKING_CALLS = ("Create", "Update", "Delete", "Read")
BLOCKING_CALL_WORKERS = 64
SERVER_MODULE = "pulumi.dynamic.__main__"
SERVICER_CLASS = "DynamicResourceProviderServicer"

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def widen_provider_server() -> bool:
    """Give Create, Update, Delete and Read of the running dynamic-provider server a pool of their own (gRPC's
    per-method ``experimental_thread_pool``), so that waiting creates never hold its four threads (README,
    "Inputs"). Idempotent; True when the pool is in place, False outside that server."""
    global _pool
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    servicer = getattr(main, SERVICER_CLASS, None)
    if spec is None or spec.name != SERVER_MODULE or servicer is None:
        return False
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=BLOCKING_CALL_WORKERS, thread_name_prefix="pulumi-mps-call"
            )
        for name in BLOCKING_CALLS:
            method = getattr(servicer, name, None)
            if callable(method) and getattr(method, "experimental_thread_pool", None) is None:
                method.experimental_thread_pool = _pool
    return True


# -- 3. a resource created but not initialized ------------------------------------------------------------------
_Status = collections.namedtuple("_Status", ("code", "details", "trailing_metadata"))
"""A ``grpc.Status`` with details, as ``grpc_status.rpc_status.to_status`` builds one (``abort_with_status`` reads
these three attributes)."""


def _rpc_context() -> Any:
    """The gRPC context of the dynamic-provider server call running on this thread; None outside one."""
    frame = sys._getframe(1)
    while frame is not None:
        spec = frame.f_globals.get("__spec__")
        if frame.f_globals.get("__name__") == "__main__" and getattr(spec, "name", None) == SERVER_MODULE:
            context = frame.f_locals.get("context")
            if callable(getattr(context, "abort_with_status", None)):
                return context
        frame = frame.f_back  # type: ignore[assignment]
    return None


def report_init_failure(resource_id: str, outputs: dict[str, Any], reasons: list[str]) -> None:
    """End the running Create, Update or Read call of the dynamic-provider server as a resource that exists with
    ``outputs`` but failed to initialize for ``reasons``: the engine records it (its id, outputs and the reasons)
    and fails the operation with the reasons; the next ``pulumi up`` updates it, a refresh warns. ``outputs``
    must hold the ``__provider`` property. Raises (the call is over); returns only outside that server."""
    context = _rpc_context()
    if context is None:
        return
    from pulumi.runtime import rpc
    from pulumi.runtime.proto import provider_pb2, status_pb2

    loop = asyncio.new_event_loop()
    try:
        properties = loop.run_until_complete(rpc.serialize_properties(outputs, {}))
    finally:
        loop.close()
    message = "; ".join(reasons)
    # The server's own handler then aborts the call again, as UNKNOWN: the codes must match for the engine to
    # read these details (grpc-go keeps grpc-status-details-bin only when its code is the call's).
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=message)
    status.details.add().Pack(
        provider_pb2.ErrorResourceInitFailed(id=resource_id, properties=properties, reasons=reasons)
    )
    _abort(context, status)


def report_failure(message: str) -> None:
    """End the running call of the dynamic-provider server as failed with ``message`` alone: the engine shows it as
    the error, where the server would show the Python traceback of the exception (``traceback.format_exc()``), as
    for a bug. Raises (the call is over); returns only outside that server."""
    context = _rpc_context()
    if context is None:
        return
    from pulumi.runtime.proto import status_pb2

    _abort(context, status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=message))


def _abort(context: Any, status: Any) -> None:
    """Abort the call with ``status`` (a ``google.rpc.Status``) in ``grpc-status-details-bin``: the engine's gRPC
    client reads the status, its message included, from there, whatever the server writes in ``grpc-message``
    when its own handler aborts the call again with the traceback."""
    metadata = (("grpc-status-details-bin", status.SerializeToString()),)
    context.abort_with_status(_Status(grpc.StatusCode.UNKNOWN, status.message, metadata))


# -- 4. the program's own process -------------------------------------------------------------------------------
# The SDK allocates a dozen asyncio futures and tasks per declared property, so with the default gen-0
# threshold (700) a program declaring 1,000 tasks spends about half its CPU time in the collector.
GC_GEN0_THRESHOLD = 10_000
_gc_tuned = False


def tune_gc() -> None:
    """Raise the gen-0 collection threshold to GC_GEN0_THRESHOLD, once per process (never lower it)."""
    global _gc_tuned
    if not _gc_tuned:
        _gc_tuned = True
        gen0, gen1, gen2 = gc.get_threshold()
        if 0 < gen0 < GC_GEN0_THRESHOLD:
            gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


def rpc_list() -> list[Any] | None:
    """The list of outstanding RPCs the SDK's end-of-program wait goes through first; None when there is none."""
    try:
        from pulumi.runtime.settings import _get_rpc_manager

        rpcs = _get_rpc_manager().rpcs
    except (ImportError, AttributeError):
        return None
    return rpcs if isinstance(rpcs, list) else None


def await_registrations_first() -> bool:
    """Put a resolved future in the SDK's RPC list while it is empty, so that the end-of-program wait awaits the
    registrations before it scans every pending output (bench/RESULTS.md, "the SDK's end-of-program wait").
    False when the SDK keeps no such list or no event loop runs."""
    rpcs = rpc_list()
    if rpcs is None:
        return False
    if not rpcs:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        resolved = loop.create_future()
        resolved.set_result(None)
        rpcs.append(resolved)
    return True


def value_without_dependency(output: pulumi.Output[Any]) -> Any:
    """An input holding ``output``'s value (unknown at preview while it is) without making the resource that takes
    it depend on ``output``'s resources: an awaitable of ``Output.future(with_unknowns=True)``. The task resources
    take their stack's marker this way, so that ``pulumi up --target <task>`` needs no ``--target`` for the marker
    (README, "Troubleshooting"). ``output`` itself where the SDK has no such method."""
    future = getattr(output, "future", None)
    if not callable(future):
        return output

    async def value() -> Any:
        return await future(with_unknowns=True)

    return value()


def current_monitor() -> Any:
    """The running program's resource monitor (``pulumi.runtime.settings.get_monitor``): one per program run, so a
    key for what that run declared. ``None`` outside a program."""
    return pulumi.runtime.settings.get_monitor()


def prepare_program() -> None:
    """The program-side adjustments (a cheaper collector, the registrations awaited first); called by every task
    resource's constructor."""
    tune_gc()
    await_registrations_first()


# -- what the running SDK has ------------------------------------------------------------------------------------
def _servicer_methods() -> set[str]:
    """The methods of the dynamic-provider server's servicer class, read from its source: importing
    ``pulumi.dynamic.__main__`` starts a server."""
    import ast

    spec = importlib.util.find_spec(SERVER_MODULE)
    if spec is None or not spec.origin:
        return set()
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == SERVICER_CLASS]
    return {n.name for c in classes for n in c.body if isinstance(n, ast.FunctionDef)}


def _servicer_methods_take_context(names: tuple[str, ...]) -> bool:
    """Whether each of the servicer's ``names`` methods has a ``context`` parameter (read from the source)."""
    import ast

    spec = importlib.util.find_spec(SERVER_MODULE)
    if spec is None or not spec.origin:
        return False
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    methods = {
        n.name: [a.arg for a in n.args.args]
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name == SERVICER_CLASS
        for n in c.body
        if isinstance(n, ast.FunctionDef)
    }
    return all("context" in methods.get(name, ()) for name in names)


def _init_failure_messages() -> bool:
    from pulumi.runtime.proto import provider_pb2, status_pb2

    fields = set(provider_pb2.ErrorResourceInitFailed.DESCRIPTOR.fields_by_name)
    return {
        "id",
        "properties",
        "reasons",
    } <= fields and "details" in status_pb2.Status.DESCRIPTOR.fields_by_name


def _grpc_reads_the_method_pool() -> bool:
    choose = getattr(importlib.import_module("grpc._server"), "_select_thread_pool_for_behavior", None)
    if choose is None:
        return False

    def behaviour() -> None: ...

    default, own = ThreadPoolExecutor(max_workers=1), ThreadPoolExecutor(max_workers=1)
    try:
        behaviour.experimental_thread_pool = own  # type: ignore[attr-defined]
        return bool(choose(behaviour, default) is own)
    finally:
        default.shutdown()
        own.shutdown()


SDK_INTERNALS: dict[str, Callable[[], bool]] = {
    "pulumi.runtime._serialization._serialize": lambda: callable(_serialize),
    "pulumi.dynamic.dynamic.serialize_provider": lambda: callable(_serialize_provider),
    "pulumi.dynamic.dynamic.PROVIDER_KEY == '__provider'": (
        lambda: getattr(sys.modules.get("pulumi.dynamic.dynamic"), "PROVIDER_KEY", None) == PROVIDER_KEY
    ),
    "pulumi.dynamic.Resource._resource_type_name (from module= and name=)": _declares_type_names,
    f"{SERVER_MODULE}.{SERVICER_CLASS}.{{{','.join(BLOCKING_CALLS)}}}": (
        lambda: set(BLOCKING_CALLS) <= _servicer_methods()
    ),
    "grpc's experimental_thread_pool per method handler": _grpc_reads_the_method_pool,
    f"{SERVER_MODULE}.{SERVICER_CLASS}.{{Create,Update,Read}} take the call's `context`": (
        lambda: _servicer_methods_take_context(("Create", "Update", "Read"))
    ),
    "pulumi.runtime.proto.status_pb2.Status and provider_pb2.ErrorResourceInitFailed{id,properties,reasons}": (
        _init_failure_messages
    ),
    "pulumi.Output.future(with_unknowns=...)": lambda: (
        "with_unknowns" in inspect.signature(pulumi.Output.future).parameters
    ),
    "pulumi.runtime.settings.get_monitor": lambda: callable(
        getattr(pulumi.runtime.settings, "get_monitor", None)
    ),
    "pulumi.runtime.settings._get_rpc_manager().rpcs (a list)": lambda: rpc_list() is not None,
}


def sdk_internals() -> dict[str, bool]:
    """Each internal this module relies on, and whether the running SDK (and gRPC) has it."""
    present = {}
    for name, probe in SDK_INTERNALS.items():
        try:
            present[name] = bool(probe())
        except (
            ImportError,
            AttributeError,
            TypeError,
            ValueError,
            OSError,
            SyntaxError,
        ):  # not what we rely on
            present[name] = False
    return present
