"""The one error type of the emulator: an MPS API error answered in the ``Response.Error`` envelope."""

from __future__ import annotations


class ApiError(Exception):
    """An API error with the service's own code (``InvalidParameterValue.SessionId``) and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
