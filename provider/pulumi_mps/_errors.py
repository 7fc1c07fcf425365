"""The errors pulumi-mps raises, each saying when."""

from __future__ import annotations


class MpsError(Exception):
    """Base class of every error raised by pulumi-mps."""


class MissingCredentials(MpsError):
    """No SecretId / SecretKey in stack config or environment when an API call is about to be made."""


class ApiError(MpsError):
    """MPS answered an error, or could not be reached before the retry deadline.

    ``code`` is the API's error code (``InvalidParameterValue``, ``ClientNetworkError``, ...).
    """

    def __init__(self, action: str, code: str, message: str, request_id: str | None = None) -> None:
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        suffix = f" (RequestId {request_id})" if request_id else ""
        super().__init__(f"MPS {action} failed: {code}: {message}{suffix}")


class TaskNotFound(MpsError):
    """A TaskId that MPS does not know (or no longer reports: it keeps task details for 7 days)."""


class DuplicateNotFound(MpsError):
    """MPS rejected a SessionId as already used, but no task carrying it could be found to adopt."""


class TaskFailed(MpsError):
    """A task waited for with ``wait_for_completion`` finished with a failed subtask, or did not finish in time."""
