"""Replacements: a resource replaced with its SessionId unchanged runs its task again (README, "The SessionId
contract"), and never ends up holding, or aborting, the task it replaces.

A replacement the engine decides on its own (``pulumi up --replace``, a tainted resource, ``replace_on_changes``,
``replacement_trigger``, a dependency replaced) checks the new inputs as for a new resource: their SessionId is
the replaced task's, MPS refuses it as a duplicate, and the create would adopt the very task the engine is about
to delete. Only the engine knows a create is a replacement, and it tells a provider nothing of it; what one
provider process does see, it records here:

- the delete of the replaced resource (task resources are replaced delete-first: the resource class sets
  ``delete_before_replace``), and the diff of a resource, whose old outputs name the task the state holds (the
  ``up`` that resumes an interrupted replacement diffs it before creating the replacement);
- the tasks its creates adopted (a replacement made create-first, as ``task_id`` resources are, adopts the task
  of the resource it replaces: that resource's delete must leave it alone).

A create whose SessionId is the one a replaced task was submitted under submits under the re-run SessionId
derived from it and that task's TaskId instead (``_session.derive_rerun_session_id``): a new task, and the same one
again if that create is retried or resumed.

A resource also keeps, as its ``replaced_tasks`` output, the tasks it held before (requested SessionId -> TaskId),
so that a spec edited and then edited back runs again instead of adopting the task the first edit replaced.
"""

from __future__ import annotations

import threading
from typing import Any

# Entries a process keeps (a burst of `pulumi up` is well within it).
LIMIT = 200_000
# The tasks a resource remembers having held (the most recent; older ones are past MPS's dedup window in practice).
HISTORY = 32


class Replacements:
    """What one provider process saw of its stack's tasks: the task the state holds (or a delete released) under
    each requested SessionId, and the TaskIds its creates adopted."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._held: dict[str, str] = {}
        self._histories: dict[str, dict[str, str]] = {}
        self._created: dict[str, None] = {}
        self._lock = threading.Lock()

    def saw(self, requested_session_id: Any, task_id: Any, history: Any = None, identity: Any = None) -> None:
        """The task ``task_id``, submitted for ``requested_session_id`` (the inputs' SessionId), is held by the state
        (a diff), or was just released by a delete; ``history`` is the ``replaced_tasks`` of its resource, whose
        ``resource_identity`` is ``identity``."""
        if not isinstance(requested_session_id, str) or not isinstance(task_id, str) or not task_id:
            return
        held = {k: v for k, v in (history or {}).items() if isinstance(k, str) and isinstance(v, str)}
        held.pop(requested_session_id, None)
        held[requested_session_id] = task_id
        with self._lock:
            for requested, task in held.items():
                self._held.pop(requested, None)
                if len(self._held) >= self.limit:
                    del self._held[next(iter(self._held))]
                self._held[requested] = task
            if isinstance(identity, str):
                self._histories.pop(identity, None)
                if len(self._histories) >= self.limit:
                    del self._histories[next(iter(self._histories))]
                self._histories[identity] = held

    def history(self, identity: Any) -> dict[str, str]:
        """The tasks the resource ``identity`` held before the create that replaces it (the most recent last), for
        its ``replaced_tasks`` output."""
        held = self._histories.get(identity, {}) if isinstance(identity, str) else {}
        return dict(list(held.items())[-HISTORY:])

    def replaced(self, requested_session_id: str) -> str | None:
        """The TaskId of the task a create with ``requested_session_id`` replaces, if this process saw one."""
        return self._held.get(requested_session_id)

    def adopted(self, task_id: str) -> None:
        """A create of this process adopted ``task_id`` (given as ``task_id``, or found behind its SessionId)."""
        with self._lock:
            if task_id not in self._created and len(self._created) >= self.limit:
                del self._created[next(iter(self._created))]
            self._created[task_id] = None

    def holds(self, task_id: str) -> bool:
        """Whether a create of this process adopted ``task_id`` (then it is not a deleted resource's to abort)."""
        return task_id in self._created
