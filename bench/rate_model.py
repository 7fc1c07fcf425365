"""The adaptive rate limiter's design choices, compared in virtual time (no CLI, no emulator, no machine load):
K provider processes share one account's limit (tests/rate_model.py), each with the limiter as it is
(``chosen``) or with one choice of pulumi_mps/_rate.py undone, and the fixed limiter the provider had before.

Usage (from the repo root)::

    .venv/bin/python bench/rate_model.py [--stacks 3] [--n 60] [--rate-limit 20] [--seeds 8] [--parallel 8]

Each variant runs over start offsets (the stacks start together, 0.3 s apart, 1 s apart) x round trips (10 ms,
30 ms) x seeds (the retry backoff's jitter); the table gives the mean and worst share of refused calls and of
the aggregate rate (accepted calls from the first call to the last accepted one, against the limit; above 100%
where the account's initial burst helps). The real runs are bench/shared_account.py's.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
from collections.abc import Callable, Iterator
from unittest import mock

import _common  # noqa: F401  (puts the repo on sys.path)

from pulumi_mps import _rate
from tests import rate_model as model
from tests.rate_model import shared_account, summary

STARTS = ((0.0, 0.0, 0.0), (0.0, 0.3, 0.6), (0.0, 1.0, 2.0))
ROUND_TRIPS = (0.01, 0.03, 0.2)
ORIGINAL_INIT = _rate._Pace.__init__


def _initial_burst(self: _rate._Pace, ceiling: float, now: float) -> None:
    ORIGINAL_INIT(self, ceiling, now)
    self.tokens = ceiling


def _throttled(*, every_refusal: bool, from_sent: bool) -> Callable:
    def throttled(self: _rate._Pace, ticket: _rate.Ticket, now: float) -> None:
        if not every_refusal and ticket.sent_at <= self.last_decrease:
            return
        measured = self.count(self.sent if from_sent else self.accepted, now)
        self.w_max = max(_rate.MIN_RATE, min(measured, self.rate))
        self.k = (self.w_max * (1 - _rate.BETA) / _rate.SCALE) ** (1 / 3)
        self.last_decrease = now
        self.adapting = True
        self.set_rate(self.w_max * _rate.BETA, now)

    return throttled


VARIANTS: dict[str, list[tuple[object, str, object]]] = {
    "chosen": [],
    "fixed 95/s limiter (before)": [
        (_rate._Pace, "__init__", _initial_burst),
        (_rate._Pace, "throttled", lambda self, ticket, now: None),
    ],
    "initial burst of a second's calls": [(_rate._Pace, "__init__", _initial_burst)],
    "C = 0.4 (botocore)": [(_rate, "SCALE", 0.4)],
    "C = 2.0": [(_rate, "SCALE", 2.0)],
    "a decrease per refusal (botocore)": [
        (_rate._Pace, "throttled", _throttled(every_refusal=True, from_sent=False))
    ],
    "W_max from calls sent (botocore)": [
        (_rate._Pace, "throttled", _throttled(every_refusal=False, from_sent=True))
    ],
    "beta = 0.8": [(_rate, "BETA", 0.8)],
}


@contextlib.contextmanager
def variant(name: str) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for target, attribute, value in VARIANTS[name]:
            stack.enter_context(mock.patch.object(target, attribute, value))
        yield


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stacks", type=int, default=3)
    parser.add_argument("--n", type=int, default=60, help="tasks per stack")
    parser.add_argument("--rate-limit", type=float, default=20)
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument(
        "--parallel", type=int, default=8, help="creates in flight per stack (pulumi up --parallel)"
    )
    args = parser.parse_args()
    model.PARALLEL = args.parallel

    print(
        f"{args.stacks} stacks x {args.n} tasks, account limit {args.rate_limit}/s, ceiling 95/s, {args.parallel} creates "
        f"in flight per stack; starts {STARTS}, round trips {ROUND_TRIPS}, {args.seeds} seeds each\n"
    )
    print("| variant | refused, mean | refused, worst | aggregate, mean | aggregate, worst |")
    print("|---|---|---|---|---|")
    for name in VARIANTS:
        with variant(name):
            results = [
                summary(
                    shared_account(args.stacks, args.n, args.rate_limit, starts[: args.stacks], trip, seed)
                )
                for starts in STARTS
                for trip in ROUND_TRIPS
                for seed in range(args.seeds)
            ]
        refused = [r["refused_share"] for r in results]
        aggregate = [r["aggregate_share"] for r in results]
        print(
            f"| {name} | {statistics.mean(refused):.1%} | {max(refused):.1%} | {statistics.mean(aggregate):.0%} | "
            f"{min(aggregate):.0%} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
