"""The in-process emulator: a store, a backend, its controls and an HTTP server on a background thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from ._backend import Account, Backend, Durations
from ._controls import DEFAULT_RATE_LIMIT, Controls
from ._http import EmulatorHTTPServer
from ._store import Store
from .admin import EmulatorAdmin

if TYPE_CHECKING:
    from typing_extensions import Self


class Emulator:
    """An MPS emulator serving on ``host:port`` (``port=0``: a free port) until :meth:`stop`.

    ``db``: SQLite file (None: in memory); ``accounts``: :class:`Account` objects, ``(id, key, appid)`` tuples or
    ``"ID:KEY[:APPID]"`` strings (None: the default test account); ``rate_limit``: calls per second per action
    and account (0: off). Use as a context manager or call :meth:`start` / :meth:`stop`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | os.PathLike[str] | None = None,
        accounts: Iterable[Account | tuple[str, str, int] | str] | None = None,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        durations: Durations | None = None,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.db = os.fspath(db) if db is not None else None
        self.accounts = [_account(a) for a in accounts] if accounts is not None else None
        self.rate_limit = rate_limit
        self.durations = durations
        self._controls: Controls | None = None
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Open the store, bind the socket and serve on a daemon thread (idempotent)."""
        if self._server is not None:
            return self
        backend = Backend(Store(self.db), accounts=self.accounts, durations=self.durations)
        controls = Controls(backend, rate_limit=self.rate_limit)
        try:
            server = EmulatorHTTPServer((self.host, self._requested_port), controls)
        except BaseException:
            backend.close()
            raise
        self._controls, self._server = controls, server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"mps-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        controls.notifier.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the store (idempotent)."""
        server, thread, controls = self._server, self._thread, self._controls
        if server is None:
            return
        self._server = self._thread = None
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        if controls is not None:
            controls.notifier.stop()
            controls.backend.close()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        """``HOST:PORT``, what ``HttpProfile(endpoint=...)`` takes."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def controls(self) -> Controls:
        """The test controls (faults, clock, request log, reset) the admin endpoints call."""
        if self._controls is None:
            raise RuntimeError("the emulator has not been started")
        return self._controls

    @property
    def backend(self) -> Backend:
        return self.controls.backend

    @property
    def admin(self) -> EmulatorAdmin:
        return EmulatorAdmin(self.url)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _account(value: Account | tuple[str, str, int] | str) -> Account:
    if isinstance(value, Account):
        return value
    if isinstance(value, str):
        return Account.parse(value)
    secret_id, secret_key, appid = value
    return Account(secret_id, secret_key, int(appid))
