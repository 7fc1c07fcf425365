"""What the provider's Check (and the Diff of a no-change preview) costs, call by call, beside the no-op floor with
the same properties: the provider server (``python -m pulumi.dynamic``) driven over gRPC as the engine drives it,
without the engine and the program around it.

Usage (from the repo root)::

    .venv/bin/python bench/check_cost.py [--n 200 1000] [--rounds 5] [--baseline REV]

For each N and round, each kind (``noop-shaped``, ``mps``, ``noop-template-shaped``, ``templates``; with
``--baseline REV`` also ``mps@base`` and ``templates@base``, the package at git revision REV) gets a fresh provider
process, a Configure, then N Checks of new resources as a first ``preview`` sends them (the program's inputs, the
stack's marker not known yet), then N Checks and Diffs of the same resources deployed (the marker known, the
previous inputs as olds, a create's outputs), as ``preview --expect-no-changes`` sends them. Kinds are interleaved
within a round. Each request is serialized before the clock starts; the time is the client's, call to answer.

Prints per round the first Check (the process's imports and first-use work), the median of the other Checks and
the whole of each phase, then medians over the rounds and each API kind's extra time per resource over its floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

import noop_provider
from _common import BENCH, FLOORS, baseline_package, git_rev, machine, median
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2

from tests.provider_harness import ProviderServer, to_struct

URN = "urn:pulumi:bench::bench::pulumi-python:dynamic:Resource::r"
MARKER = "bench-marker-0123456789abcdef"
# What the program registers as None besides a task's inputs (noop_provider.NoopShaped lists what a task does).
TASK_OUTPUTS = (*noop_provider.OUTPUTS, "task_id", "session_id")


def task_inputs(i: int) -> dict[str, Any]:
    return {
        "input_info": {
            "type": "COS",
            "cos_input_info": {
                "bucket": "series-1250000000",
                "region": "ap-chongqing",
                "object": f"/episodes/{i:05}.mov",
            },
        },
        "media_process_task": {"transcode_task_set": [{"definition": 20}, {"definition": 30}]},
    }


def template_inputs(i: int) -> dict[str, Any]:
    return {
        "container": "mp4",
        "video_template": {
            "codec": "libx264",
            "fps": 25,
            "bitrate": 3000 + i % 7,
            "height": 1080,
            "resolution_adaptive": "open",
        },
        "audio_template": {"codec": "libfdk_aac", "bitrate": 128, "sample_rate": 44100, "audio_channel": 2},
    }


def provider_for(kind: str) -> Any:
    if kind == "mps":
        from pulumi_mps._providers import MediaProcessTaskProvider

        return MediaProcessTaskProvider()
    if kind == "templates":
        from pulumi_mps._providers import TranscodeTemplateProvider

        return TranscodeTemplateProvider()
    return {
        "noop-shaped": noop_provider.NoopShapedProvider,
        "noop-template-shaped": noop_provider.NoopTemplateShapedProvider,
    }[kind]()


def program_props(kind: str, i: int, marker: Any) -> dict[str, Any]:
    """The inputs the program registers for resource ``i`` (as ``pulumi_mps`` or ``bench/noop_provider`` do)."""
    name = f"task-{i:05}"
    if kind in ("mps", "noop-shaped"):
        props = {**task_inputs(i), "resource_identity": f"bench/bench/{name}"}
        outputs: tuple[str, ...] = TASK_OUTPUTS
    else:
        props = {**template_inputs(i), "resource_identity": f"bench/bench/{name}"}
        outputs = noop_provider.TEMPLATE_OUTPUTS
    if kind in ("mps", "templates"):
        props["stack_marker"] = marker
    return {**dict.fromkeys(outputs), **props}  # each output registered as None unless given


def deployed_outputs(kind: str, checked: dict[str, Any]) -> dict[str, Any]:
    """What a create returned: the checked inputs and the outputs of a new task or template, as the no-op floor
    with the same properties makes them."""
    floor = (
        noop_provider.NoopShapedProvider
        if kind in ("mps", "noop-shaped")
        else noop_provider.NoopTemplateShapedProvider
    )
    outs: dict[str, Any] = floor().create(checked).outs
    if kind in FLOORS:  # the SessionId or the name pulumi-mps derived in check, which its create keeps
        outs.update({k: checked[k] for k in ("session_id", "name") if k in checked})
    return outs


def timed_call(method: Any, request: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    answer = method(request)
    return time.perf_counter() - t0, answer


def one_process(kind: str, n: int, package: str | None) -> dict[str, Any]:
    """A fresh provider process through N first-preview Checks, then N no-change Checks and Diffs."""
    env = {"PYTHONPATH": os.pathsep.join([p for p in (package, str(BENCH)) if p])}
    base = kind.partition("@")[0]
    provider = provider_for(base)
    with ProviderServer(provider, env=env) as server:
        key = server.provider_str
        server.configure({})
        news = [to_struct({**program_props(base, i, rpc.UNKNOWN), "__provider": key}) for i in range(n)]
        empty = to_struct({})
        checks = []
        checked = []
        for struct in news:
            seconds, answer = timed_call(
                server.stub.Check, provider_pb2.CheckRequest(urn=URN, olds=empty, news=struct)
            )
            if answer.failures:
                raise SystemExit(f"{kind}: the check failed: {[f.reason for f in answer.failures]}")
            checks.append(seconds)
            checked.append(rpc.deserialize_properties(answer.inputs, keep_unknowns=True))
        # The deployed stack, as an `up` checked and created it (the marker known: it is created first). A
        # no-change preview sends the previous inputs as olds to Check, and the create's outputs to Diff.
        news = [to_struct({**program_props(base, i, MARKER), "__provider": key}) for i in range(n)]
        deployed = [
            server.stub.Check(provider_pb2.CheckRequest(urn=URN, olds=empty, news=struct)).inputs
            for struct in news
        ]
        rechecks, diffs = [], []
        for old, new in zip(deployed, news, strict=True):
            seconds, answer = timed_call(
                server.stub.Check, provider_pb2.CheckRequest(urn=URN, olds=old, news=new)
            )
            rechecks.append(seconds)
            created = deployed_outputs(base, rpc.deserialize_properties(old, keep_unknowns=True))
            seconds, diff = timed_call(
                server.stub.Diff,
                provider_pb2.DiffRequest(id="id", urn=URN, olds=to_struct(created), news=answer.inputs),
            )
            if diff.changes == provider_pb2.DiffResponse.DIFF_SOME:
                raise SystemExit(f"{kind}: the no-change Diff found changes: {list(diff.diffs)}")
            diffs.append(seconds)
    return {
        "first_check_s": checks[0],
        "check_s": statistics.median(checks[1:]),
        "preview_s": sum(checks),
        "recheck_s": statistics.median(rechecks),
        "diff_s": statistics.median(diffs),
        "nochange_s": sum(rechecks) + sum(diffs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", help="git revision: mps@base and templates@base run its package too")
    parser.add_argument(
        "--kinds", nargs="+", default=["noop-shaped", "mps", "noop-template-shaped", "templates"]
    )
    args = parser.parse_args()
    kinds = [v for k in args.kinds for v in ([f"{k}@base", k] if args.baseline and k in FLOORS else [k])]
    print(f"machine: {machine()}")
    print(
        f"code: {git_rev()}"
        + (f", baseline {args.baseline} = {git_rev(args.baseline)}" if args.baseline else "")
    )
    rows: dict[tuple[int, str], list[dict[str, Any]]] = {}
    with baseline_package(args.baseline) as package:
        for n in args.n:
            for round_ in range(args.rounds):
                for kind in kinds:
                    r = one_process(kind, n, package if kind.endswith("@base") else None)
                    rows.setdefault((n, kind), []).append(r)
                    print(
                        f"N={n} round {round_ + 1} {kind:<21} first Check {r['first_check_s'] * 1000:6.1f} ms, "
                        f"Check {r['check_s'] * 1e6:5.0f} us, preview's Checks {r['preview_s']:5.2f} s; "
                        f"no-change Check {r['recheck_s'] * 1e6:5.0f} us + Diff {r['diff_s'] * 1e6:5.0f} us, "
                        f"{r['nochange_s']:5.2f} s",
                        flush=True,
                    )
    print(f"\nload after: {machine().split('load')[1]}")
    print(f"medians of {args.rounds} rounds; extra: (kind - floor) / N, per resource")
    print(
        "| N | kind | first Check ms | Check us | preview's Checks s | extra ms/resource | "
        "no-change Check + Diff us | no-change s | extra ms/resource |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for (n, kind), results in rows.items():
        m = {key: median([r[key] for r in results]) for key in results[0]}
        floor = FLOORS.get(kind.partition("@")[0])
        extra = ["", ""]
        if floor and (n, floor) in rows:
            f = {key: median([r[key] for r in rows[n, floor]]) for key in results[0]}
            extra = [
                f"{(m['preview_s'] - f['preview_s']) / n * 1000:.2f}",
                f"{(m['nochange_s'] - f['nochange_s']) / n * 1000:.2f}",
            ]
        print(
            f"| {n} | {kind} | {m['first_check_s'] * 1000:.1f} | {m['check_s'] * 1e6:.0f} | {m['preview_s']:.2f} | "
            f"{extra[0]} | {(m['recheck_s'] + m['diff_s']) * 1e6:.0f} | {m['nochange_s']:.2f} | {extra[1]} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
