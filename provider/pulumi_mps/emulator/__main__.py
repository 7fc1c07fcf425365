"""``python -m pulumi_mps.emulator``: serve the MPS emulator until SIGTERM or SIGINT (exit code 0)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence

from ._backend import Account
from ._controls import DEFAULT_RATE_LIMIT
from ._emulator import Emulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulumi-mps-emulator", description="Local emulator of the Tencent Cloud MPS API 2019-06-12."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)")
    parser.add_argument(
        "--db", default=None, help="SQLite file keeping state across restarts (default: memory)"
    )
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        type=_account,
        metavar="ID:KEY[:APPID]",
        help="an accepted credential (repeatable); default: the built-in test account",
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=DEFAULT_RATE_LIMIT,
        help=f"calls per second per action and account, 0 = off (default {DEFAULT_RATE_LIMIT})",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
        type=str.upper,
    )
    return parser


def _account(text: str) -> Account:
    try:
        return Account.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.rate_limit < 0:
        _parser().error("--rate-limit must be >= 0")
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    emulator = Emulator(
        host=args.host, port=args.port, db=args.db, accounts=args.account or None, rate_limit=args.rate_limit
    )
    emulator.start()
    print(f"listening on {emulator.url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
