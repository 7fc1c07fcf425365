"""The provider classes that task resources (and the stack marker) pickle into their ``__provider`` property.

Their import paths (``pulumi_mps._providers.MediaProcessTaskProvider``,
``pulumi_mps._providers.LiveStreamProcessTaskProvider``, ``pulumi_mps._providers.EditMediaTaskProvider`` and
``pulumi_mps._providers.StackMarkerProvider``) are recorded in every stack's state: never move or rename them.
Instances hold no attributes, so the pickled provider carries no settings and no secret.
"""

from __future__ import annotations

from ._core import TaskProvider
from ._specs import EDIT, LIVE, MEDIA
from ._stack import StackMarkerProviderBase


class MediaProcessTaskProvider(TaskProvider):
    spec = MEDIA


class LiveStreamProcessTaskProvider(TaskProvider):
    spec = LIVE


class EditMediaTaskProvider(TaskProvider):
    spec = EDIT


class StackMarkerProvider(StackMarkerProviderBase):
    pass
