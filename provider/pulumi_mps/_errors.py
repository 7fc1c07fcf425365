"""The errors pulumi-mps raises, each saying when."""

from __future__ import annotations

from typing import Any


class MpsError(Exception):
    """Base class of every error raised by pulumi-mps."""


class MissingCredentials(MpsError):
    """No SecretId / SecretKey in stack config or environment when an API call is about to be made."""


class ConfigError(MpsError, ValueError):
    """A provider setting (``mps:endpoint``, ``mps:rateLimit``, ...) that cannot be used; names the key."""


# What a user can do about an error MPS answered and that no retry changes, by the first part of its code: the API's
# common error codes ("公共错误码": "InvalidParameterValue 参数取值错误", "MissingParameter 缺少参数", "LimitExceeded 超过配额
# 限制", "ResourceNotFound 资源不存在", "ResourceInUse 资源被占用", "ResourceUnavailable 资源不可用", "UnauthorizedOperation
# 未授权操作", "OperationDenied 操作被拒绝", "FailedOperation 操作失败", "UnsupportedOperation 操作不支持"). AuthFailure
# codes say more where they are raised (the endpoint and SecretId to check).
_SPEC_REFUSED = "MPS refused a value it checks beyond what the preview can: correct what its message names"
WHAT_TO_DO = {
    "InvalidParameter": _SPEC_REFUSED,
    "InvalidParameterValue": _SPEC_REFUSED,
    "MissingParameter": "MPS needs the member its message names here: set it in the program",
    "LimitExceeded": (
        "a quota of the account is reached: delete what is no longer used (in this stack or the MPS console), or ask "
        "Tencent Cloud to raise the quota"
    ),
    "ResourceNotFound": "MPS holds no such object in this account and region: check the id and tencentcloud:region",
    "ResourceInUse": "the object is in use: remove or change what uses it first",
    "ResourceUnavailable": "MPS is not available to the account (not activated, or in arrears): see the Tencent Cloud console",
    "UnauthorizedOperation": (
        "the SecretId's user may not do this: grant it the MPS actions it needs in CAM (`mps:<Action>`), and "
        "check that MPS is activated for the account"
    ),
    "OperationDenied": "MPS denies this operation to the account: its message says why",
    "FailedOperation": "MPS could not do this with the object as it is now: its message says why",
    "UnsupportedOperation": "MPS does not support this operation here: its message says which",
}


def what_to_do(code: str) -> str:
    """The advice for an error ``code`` that no retry changes; empty when there is none."""
    return WHAT_TO_DO.get(code.split(".", 1)[0], "")


class ApiError(MpsError):
    """MPS answered an error, or could not be reached (or did not answer as MPS) within the retries allowed.

    ``code`` is the API's error code (``InvalidParameterValue``, ``ClientNetworkError``, ...); codes starting
    with ``ClientError`` are the provider's own for failures no retry can fix (an answer that is not MPS's, an
    unknown host, a certificate that does not verify). ``answered`` is True when MPS itself answered with the
    error; ``earlier`` lists the codes of the attempts of the same call that failed before this one.
    """

    def __init__(
        self, action: str, code: str, message: str, request_id: str | None = None, *, answered: bool = False
    ) -> None:
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        self.answered = answered
        self.earlier: tuple[str, ...] = ()
        suffix = f" (RequestId {request_id})" if request_id else ""
        super().__init__(f"MPS {action} failed: {code}: {message}{suffix}")

    def gave_up(self, earlier: tuple[str, ...], seconds: float, reason: str) -> None:
        """Record the attempts made before this error; with a ``reason``, say why retrying stopped."""
        self.earlier = earlier
        if reason:
            attempts = len(earlier) + 1
            note = f"gave up after {attempts} attempt{'s' * (attempts > 1)} in {seconds:.1f} s: {reason}"
            self.args = (f"{self.args[0]} ({note})",)
        elif self.answered and what_to_do(self.code):
            self.args = (f"{self.args[0]}. {what_to_do(self.code)}",)


class TaskNotFound(MpsError):
    """A TaskId that MPS does not know (or no longer reports: it keeps task details for 7 days)."""


class DuplicateNotFound(MpsError):
    """MPS rejected a SessionId as already used, but no task carrying it could be found to adopt."""


class WrongTaskKind(MpsError):
    """A ``task_id`` names a task of another kind than the resource's (a live task given to a MediaProcessTask):
    it is not adopted."""


class TaskNotOwned(MpsError):
    """MPS rejected a SessionId as already used by a task this resource cannot show it submitted: it is never
    taken over silently (README, "The SessionId contract")."""


class NotOwned(MpsError):
    """A template, workflow or schedule that MPS holds under the name a resource would create, or that an update or
    delete would touch, which the resource cannot show is its own: never adopted, changed or deleted (README,
    "Templates")."""


class InitFailed(MpsError):
    """A resource exists (its task submitted or adopted, its object created or found) but is not all that was asked
    of it. The engine records the resource with ``outputs`` (``resource_id`` its id) as not initialized, fails the
    operation with this message, and runs an update of it at the next ``pulumi up``."""

    resource_id: str
    outputs: dict[str, Any]


class ObjectInitFailed(InitFailed):
    """A configuration object (template, workflow, schedule) was created or found, and a later step of its create
    (describing it, bringing it to the declared spec, enabling it) failed."""

    def __init__(self, message: str, resource_id: str, outputs: dict[str, Any]) -> None:
        super().__init__(message)
        self.resource_id = resource_id
        self.outputs = outputs


class TaskFailed(MpsError):
    """A task waited for with ``wait_for_completion`` finished with a failed subtask, or did not finish in time;
    or a task could not be aborted. ``summary`` holds the task's outputs as last described, when known."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.summary = summary


class TaskInitFailed(TaskFailed, InitFailed):
    """A task resource exists (its task was submitted or adopted) but is not what was asked of it: a
    ``wait_for_completion`` timed out, saw a failed subtask, or could not describe the task. The engine records the
    resource with ``outputs`` (``resource_id`` its TaskId) and fails the operation with this message."""

    def __init__(self, message: str, resource_id: str, outputs: dict[str, Any]) -> None:
        super().__init__(message, outputs)
        self.resource_id = resource_id
        self.outputs = outputs
