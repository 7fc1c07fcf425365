"""The outputs of tasks seen finished, kept on disk for a day, so that the next provider process does not describe
them again.

``pulumi refresh`` and ``pulumi up --refresh`` run their preview and their update in two provider processes,
and the update reads each resource from the state as it was before the preview. A task that finished since the
last refresh was described in the preview; without this record, the update described it again. A finished task
never changes, so its outputs are kept as they were read: one small JSON file per task under
``<cache>/finished/<account>/<TaskId>.json``, where ``<cache>`` is ``MPS_CACHE_DIR`` (empty: keep nothing) or
``${XDG_CACHE_HOME:-~/.cache}/pulumi-mps`` and ``<account>`` a digest of SecretId, region and endpoint. The files
hold what the state holds (status, times, errors, subtasks, output paths: never a secret), are written
atomically, and are removed after ``KEPT_S``; anything the disk refuses is skipped (the task is described).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ._settings import Settings

KEPT_S = 86_400.0
FORMAT = 1
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


def default_directory() -> Path | None:
    configured = os.environ.get("MPS_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser() / "finished" if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pulumi-mps" / "finished"


class FinishedTasks:
    """Outputs of finished tasks by account (``Settings``) and TaskId; ``keys`` are the outputs a record must hold."""

    def __init__(
        self,
        keys: Collection[str],
        directory: Callable[[], Path | None] = default_directory,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = frozenset(keys)
        self._directory = directory
        self._clock = clock
        self._pruned: set[Path] = set()
        self._lock = threading.Lock()

    def _folder(self, settings: Settings) -> Path | None:
        root = self._directory()
        if root is None:
            return None
        account = hashlib.sha256(
            f"{settings.secret_id}\n{settings.region}\n{settings.host}".encode()
        ).hexdigest()
        return root / account[:32]

    def get(self, settings: Settings, task_id: str) -> dict[str, Any] | None:
        folder = self._folder(settings)
        if folder is None or not _SAFE_ID.fullmatch(task_id):
            return None
        try:
            path = folder / f"{task_id}.json"
            if self._clock() - path.stat().st_mtime >= KEPT_S:
                return None
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        outputs = (
            record.get("outputs") if isinstance(record, dict) and record.get("format") == FORMAT else None
        )
        if not isinstance(outputs, dict) or set(outputs) != self._keys or outputs.get("status") != "FINISH":
            return None
        return outputs

    def put(self, settings: Settings, task_id: str, outputs: dict[str, Any]) -> None:
        folder = self._folder(settings)
        if (
            folder is None
            or not _SAFE_ID.fullmatch(task_id)
            or set(outputs) != self._keys
            or outputs.get("status") != "FINISH"
        ):
            return
        with contextlib.suppress(OSError, TypeError, ValueError):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._prune(folder)
            text = json.dumps({"format": FORMAT, "outputs": outputs}, sort_keys=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, folder / f"{task_id}.json")
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def _prune(self, folder: Path) -> None:
        """Remove the records older than KEPT_S (and leftover temporary files), once per folder and process."""
        with self._lock:
            if folder in self._pruned:
                return
            self._pruned.add(folder)
        now = self._clock()
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime >= KEPT_S:
                    path.unlink()
