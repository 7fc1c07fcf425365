"""The errors the emulator answers in the ``Response.Error`` envelope: one class per code it raises.

Each class notes where its code comes from; ``EmulatorError`` itself carries any other code (injected faults).
"""

from __future__ import annotations


class EmulatorError(Exception):
    """An MPS API error: the class's ``code`` (or one given) and a message."""

    code = "InternalError"

    def __init__(self, message: str, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(f"{self.code}: {message}")
        self.message = message


# Common error codes of every Tencent Cloud API 3.0 action (the API docs' "公共错误码").


class AuthFailure(EmulatorError):
    code = "AuthFailure"


class SecretIdNotFound(AuthFailure):
    code = "AuthFailure.SecretIdNotFound"


class TokenFailure(AuthFailure):
    code = "AuthFailure.TokenFailure"


class InvalidAuthorization(AuthFailure):
    code = "AuthFailure.InvalidAuthorization"


class SignatureExpire(AuthFailure):
    """The timestamp is more than 300 s away from the server's clock (the docs' signature v3 page)."""

    code = "AuthFailure.SignatureExpire"


class SignatureFailure(AuthFailure):
    code = "AuthFailure.SignatureFailure"


class InvalidAction(EmulatorError):
    code = "InvalidAction"


class NoSuchVersion(EmulatorError):
    code = "NoSuchVersion"


class UnsupportedProtocol(EmulatorError):
    code = "UnsupportedProtocol"


class RateLimited(EmulatorError):
    code = "RequestLimitExceeded"


class InternalError(EmulatorError):
    code = "InternalError"


class MissingParameter(EmulatorError):
    code = "MissingParameter"


class UnknownParameter(EmulatorError):
    code = "UnknownParameter"


class InvalidParameter(EmulatorError):
    """A member of the wrong JSON type; also a schema member's own ``error`` code (tools/schema_overlay.json)."""

    code = "InvalidParameter"


class InvalidParameterValue(EmulatorError):
    """A value out of its rules; ``code`` may be the schema member's own (``InvalidParameterValue.Limit``)."""

    code = "InvalidParameterValue"


# Codes the SDK lists per action (tencentcloud-sdk-go mps/v20190612/client.go).


class DuplicateSession(InvalidParameterValue):
    """A SessionId used within the dedup window: ProcessMedia's and ProcessLiveStream's lists. EditMedia's list
    names no SessionId code; the emulator answers as ProcessMedia does."""

    code = "InvalidParameterValue.SessionId"


class InvalidContent(InvalidParameterValue):
    """A ParseNotification / ParseLiveStreamProcessNotification Content that is not a notification's JSON (both
    actions' lists: InvalidParameterValue.InvalidContent)."""

    code = "InvalidParameterValue.InvalidContent"


class TaskNotFound(EmulatorError):
    """An unknown, expired or other account's task in DescribeTaskDetail (its list: ResourceNotFound)."""

    code = "ResourceNotFound"


class TaskIdNotFound(TaskNotFound):
    """The same in ManageTask (its list: InvalidParameterValue.TaskId)."""

    code = "InvalidParameterValue.TaskId"


class NotProcessingTask(InvalidParameterValue):
    """ManageTask Abort of a task in a state its kind cannot be aborted in (ManageTask's list)."""

    code = "InvalidParameterValue.NotProcessingTask"


class NotMps(EmulatorError):
    """Not an API code: what the request log shows for a call answered by a web page (the not_mps fault)."""

    code = "NotMps"


# Templates, workflows and schedules. Where the SDK's lists differ between actions for one rule, the code is the
# first the action's list names (``_sdk_codes.pick``); these classes carry the usual one.


class TemplateNotFound(EmulatorError):
    """An unknown id (or another account's) in Modify/Delete/Enable/Disable/Reset: ResourceNotFound.TemplateNotExist
    ("资源不存在：模板不存在", errors.go), listed by nearly every such action; DeleteWatermarkTemplate and
    DeleteBlindWatermarkTemplate list only ResourceNotFound, ModifyAdaptiveDynamicStreamingTemplate only
    InvalidParameterValue.Definition."""

    code = "ResourceNotFound.TemplateNotExist"


class ModifyDefaultTemplate(InvalidParameterValue):
    """Modify of a preset ("参数值错误：不允许修改默认模板", errors.go)."""

    code = "InvalidParameterValue.ModifyDefaultTemplate"


class DeleteDefaultTemplate(InvalidParameterValue):
    """Delete of a preset ("参数值错误：不允许删除默认模板", errors.go)."""

    code = "InvalidParameterValue.DeleteDefaultTemplate"


class TooMuchTemplate(EmulatorError):
    """A Create beyond the family's quota ("超过限制值：模板数超限", errors.go; the quota in the action's docs)."""

    code = "LimitExceeded.TooMuchTemplate"


class UnknownDefinition(InvalidParameterValue):
    """ProcessLiveStream naming a template that does not exist: its error list names InvalidParameterValue.Definition
    ("Parameter error: Definition", /work/shared/seeds/ProcessLiveStream-API.txt)."""

    code = "InvalidParameterValue.Definition"


class NameTaken(InvalidParameterValue):
    """A workflow or schedule name already used by the account ("同一个用户该名称唯一", api.json WorkflowName /
    ScheduleName). No specific code is documented: CreateWorkflow's and CreateSchedule's lists name only
    InvalidParameterValue for parameter values."""


class WorkflowEnabled(InvalidParameterValue):
    """ResetWorkflow or DeleteWorkflow of an enabled workflow ("重新设置一个已经存在且处于禁用状态的工作流";
    "对于已启用的工作流，需要禁用后才能删除", api.json). Their lists name only InvalidParameterValue for it."""
