"""SQLite persistence of the emulator: tasks, SessionId dedup records, the clock offset, the configuration
objects (templates, workflows, schedules) with the templates each task named, and the tables other modules add
(the notifications of ``_notify``).

In memory by default; with a file path the database uses WAL, so a restart on the same file keeps everything.
One connection shared by every thread, guarded by a re-entrant lock (``transaction()`` holds it).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL UNIQUE,
    appid TEXT NOT NULL,
    secret_id TEXT NOT NULL,
    action TEXT NOT NULL,
    session_id TEXT NOT NULL,
    created REAL NOT NULL,
    begin_at REAL,
    finish_at REAL NOT NULL,
    aborted_at REAL,
    failing INTEGER NOT NULL,
    request TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_account ON tasks (appid, created);
CREATE TABLE IF NOT EXISTS dedup (
    appid TEXT NOT NULL,
    action TEXT NOT NULL,
    session_id TEXT NOT NULL,
    created REAL NOT NULL,
    task_id TEXT NOT NULL,
    PRIMARY KEY (appid, action, session_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS configs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id INTEGER NOT NULL DEFAULT 0,
    appid TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS configs_by_kind ON configs (kind, id);
CREATE TABLE IF NOT EXISTS task_templates (task_id TEXT PRIMARY KEY, refs TEXT NOT NULL);
"""
_CONFIG_COLUMNS = "seq, kind, id, appid, name, status, created, updated, body"

_COLUMNS = "seq, task_id, appid, secret_id, action, session_id, created, begin_at, finish_at, aborted_at, failing, request"

_STATUS_SQL = {
    "FINISH": "finish_at <= :now",
    "PROCESSING": "begin_at IS NOT NULL AND begin_at <= :now AND finish_at > :now",
    "WAITING": "(begin_at IS NULL OR begin_at > :now) AND finish_at > :now",
}


@dataclass
class TaskRecord:
    """One stored task. Times are virtual epoch seconds; ``begin_at`` is None when it never starts."""

    task_id: str
    appid: str
    secret_id: str
    action: str
    session_id: str
    created: float
    begin_at: float | None
    finish_at: float
    aborted_at: float | None
    failing: bool
    request: dict[str, Any]
    seq: int = 0


@dataclass
class ConfigRecord:
    """One stored template, workflow or schedule: ``body`` holds its members as the API names them."""

    kind: str
    appid: str
    name: str
    status: str | None
    created: float
    updated: float
    body: dict[str, Any]
    id: int = 0
    seq: int = 0


@dataclass
class DedupRecord:
    created: float
    task_id: str


class Store:
    """The emulator's database (``path=None``: in memory)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        if path:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store lock and one SQLite transaction (re-entrant: nested uses join the outer one)."""
        with self._lock:
            if self._db.in_transaction:
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def insert_task(self, task: TaskRecord) -> None:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO tasks (task_id, appid, secret_id, action, session_id, created, begin_at, finish_at,"
                " aborted_at, failing, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    task.task_id,
                    task.appid,
                    task.secret_id,
                    task.action,
                    task.session_id,
                    task.created,
                    task.begin_at,
                    task.finish_at,
                    task.aborted_at,
                    int(task.failing),
                    json.dumps(task.request, separators=(",", ":")),
                ),
            )
            task.seq = int(cur.lastrowid or 0)

    def get_task(self, task_id: str) -> TaskRecord | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        return _task(row) if row else None

    def update_task_times(
        self, task_id: str, begin_at: float | None, finish_at: float, aborted_at: float | None
    ) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE tasks SET begin_at = ?, finish_at = ?, aborted_at = ? WHERE task_id = ?",
                (begin_at, finish_at, aborted_at, task_id),
            )

    def list_tasks(
        self,
        appid: str,
        *,
        status: str,
        now: float,
        created_after: float,
        start: float | None = None,
        end: float | None = None,
        failed: bool | None = None,
        cursor: tuple[float, int] | None = None,
        limit: int = 10,
    ) -> tuple[list[TaskRecord], int]:
        """Tasks of one account in ``status`` at ``now``, newest first, after ``cursor``; and the total count."""
        where = ["appid = :appid", "created > :after", _STATUS_SQL[status]]
        args: dict[str, Any] = {"appid": appid, "after": created_after, "now": now, "limit": limit}
        if start is not None:
            where.append("created >= :start")
            args["start"] = start
        if end is not None:
            where.append("created < :end")
            args["end"] = end
        if failed is not None:
            where.append(("" if failed else "NOT ") + "(failing = 1 OR aborted_at IS NOT NULL)")
        condition = " AND ".join(where)
        page_condition = condition
        if cursor is not None:
            page_condition += " AND (created < :c_created OR (created = :c_created AND seq < :c_seq))"
            args["c_created"], args["c_seq"] = cursor
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM tasks WHERE {condition}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM tasks WHERE {page_condition} ORDER BY created DESC, seq DESC LIMIT :limit",
                args,
            ).fetchall()
        return [_task(row) for row in rows], int(total)

    def all_tasks(self) -> list[TaskRecord]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM tasks ORDER BY seq").fetchall()
        return [_task(row) for row in rows]

    def get_dedup(self, appid: str, action: str, session_id: str) -> DedupRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT created, task_id FROM dedup WHERE appid = ? AND action = ? AND session_id = ?",
                (appid, action, session_id),
            ).fetchone()
        return DedupRecord(created=row[0], task_id=row[1]) if row else None

    def put_dedup(self, appid: str, action: str, session_id: str, created: float, task_id: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO dedup VALUES (?, ?, ?, ?, ?)",
                (appid, action, session_id, created, task_id),
            )

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def insert_config(self, config: ConfigRecord, id_base: int) -> int:
        """Store a new configuration object; its id is ``id_base`` plus its row number (set on ``config``)."""
        with self.transaction():
            cur = self._db.execute(
                "INSERT INTO configs (kind, appid, name, status, created, updated, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    config.kind,
                    config.appid,
                    config.name,
                    config.status,
                    config.created,
                    config.updated,
                    _dump(config.body),
                ),
            )
            config.seq = int(cur.lastrowid or 0)
            config.id = id_base + config.seq
            self._db.execute("UPDATE configs SET id = ? WHERE seq = ?", (config.id, config.seq))
        return config.id

    def get_config(self, kind: str, config_id: int) -> ConfigRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_CONFIG_COLUMNS} FROM configs WHERE kind = ? AND id = ?", (kind, config_id)
            ).fetchone()
        return _config(row) if row else None

    def list_configs(
        self,
        kind: str | None = None,
        appid: str | None = None,
        ids: Iterable[int] | None = None,
        name: str | None = None,
    ) -> list[ConfigRecord]:
        """Configuration objects (of one kind, of one account, of those ids, of that name), oldest first."""
        where, params = _config_filter(kind, appid, ids, name)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_CONFIG_COLUMNS} FROM configs {where} ORDER BY seq", params
            ).fetchall()
        return [_config(row) for row in rows]

    def count_configs(self, kind: str, appid: str) -> int:
        """How many configuration objects of one kind an account holds."""
        where, params = _config_filter(kind, appid)
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM configs {where}", params).fetchone()[0])

    def update_config(self, config: ConfigRecord) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE configs SET name = ?, status = ?, updated = ?, body = ? WHERE seq = ?",
                (config.name, config.status, config.updated, _dump(config.body), config.seq),
            )

    def delete_config(self, config: ConfigRecord) -> None:
        with self._lock:
            self._db.execute("DELETE FROM configs WHERE seq = ?", (config.seq,))

    def put_task_templates(self, task_id: str, refs: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO task_templates VALUES (?, ?)", (task_id, _dump(refs)))

    def get_task_templates(self, task_id: str) -> dict[str, Any]:
        """What ``put_task_templates`` kept for the task (``{}`` when nothing)."""
        with self._lock:
            row = self._db.execute("SELECT refs FROM task_templates WHERE task_id = ?", (task_id,)).fetchone()
        return dict(json.loads(row[0])) if row else {}

    def add_tables(self, script: str) -> None:
        """Create the tables of a module that keeps its own rows here (``_notify``), if they do not exist."""
        with self._lock:
            self._db.executescript(script)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """One statement on those tables; its rows."""
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def reset(self) -> None:
        """Forget every task, dedup record and setting, and the rows of every other table."""
        with self.transaction():
            tables = self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for (table,) in tables:
                self._db.execute(f"DELETE FROM {table}")


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _config(row: tuple[Any, ...]) -> ConfigRecord:
    seq, kind, config_id, appid, name, status, created, updated, body = row
    return ConfigRecord(kind, appid, name, status, created, updated, json.loads(body), config_id, seq)


def _task(row: tuple[Any, ...]) -> TaskRecord:
    (
        seq,
        task_id,
        appid,
        secret_id,
        action,
        session_id,
        created,
        begin_at,
        finish_at,
        aborted_at,
        failing,
        req,
    ) = row
    return TaskRecord(
        task_id=task_id,
        appid=appid,
        secret_id=secret_id,
        action=action,
        session_id=session_id,
        created=created,
        begin_at=begin_at,
        finish_at=finish_at,
        aborted_at=aborted_at,
        failing=bool(failing),
        request=json.loads(req),
        seq=seq,
    )


def _config_filter(
    kind: str | None = None,
    appid: str | None = None,
    ids: Iterable[int] | None = None,
    name: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (empty when nothing is asked) and its parameters for a query of the configs table."""
    params: dict[str, Any] = {"kind": kind, "appid": appid, "name": name}
    clauses = [
        clause
        for clause, value in (("kind = :kind", kind), ("appid = :appid", appid), ("name = :name", name))
        if value is not None
    ]
    if ids is not None:
        wanted = sorted({int(i) for i in ids})
        params.update({f"id{n}": i for n, i in enumerate(wanted)})
        clauses.append(f"id IN ({', '.join(f':id{n}' for n in range(len(wanted)))})")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
