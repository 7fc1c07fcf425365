"""The task kinds, one entry each: its API action, its resource class and that class's summary.

The generator's other lists derive from it: ``tools/generate.py`` keeps the actions' request and response trees
(``ACTIONS``) and their members' docs (``DOCUMENTED``); ``tools/gen_models.py`` renders one request model per
action (``ROOTS``); ``tools/gen_types.py`` one resource class and one ``*Args`` class per kind (``RESOURCES``),
each naming the provider class ``<kind>Provider`` of ``pulumi_mps._providers``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskKind:
    action: str  # the API action that submits the task
    kind: str  # the resource class (and the type token's name)
    # The resource's default (pulumi_mps._specs holds the provider's; a test compares them).
    abort_on_delete: bool
    doc: tuple[str, ...]  # the class docstring's summary


TASK_KINDS = (
    TaskKind(
        "ProcessMedia",
        "MediaProcessTask",
        False,
        (
            "An MPS ``ProcessMedia`` task: transcoding, snapshots, AI analysis, ... of one COS, URL, S3 or VOD object.",
            "",
            "Submitted once, with a deterministic SessionId; refresh brings back its status; destroy leaves the task",
            "alone unless ``abort_on_delete=True`` (which aborts a task still WAITING).",
        ),
    ),
    TaskKind(
        "ProcessLiveStream",
        "LiveStreamProcessTask",
        True,
        (
            "An MPS ``ProcessLiveStream`` task: moderation, recognition, ... of a live stream while it runs.",
            "",
            "Destroy aborts the task (WAITING or PROCESSING) unless ``abort_on_delete=False``.",
        ),
    ),
    TaskKind(
        "EditMedia",
        "EditMediaTask",
        False,
        (
            "An MPS ``EditMedia`` task: clip or concatenate files, or compose a video from tracks, into one new file.",
            "",
            "Submitted once, with a deterministic SessionId; refresh brings back its status and output path; destroy",
            "leaves the task alone unless ``abort_on_delete=True`` (which aborts a task still WAITING).",
        ),
    ),
)
TASK_ACTIONS = tuple(k.action for k in TASK_KINDS)
