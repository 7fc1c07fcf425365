"""Workflows and schedules: their rows of the configuration engine (``_templates``) and the rules the docs give.

- Both are stored per account and are disabled when created: "注意：创建工作流成功后是禁用状态，需要手动启用。"
  (CreateWorkflow), "注意：创建编排成功后是禁用状态，需要手动启用。" (CreateSchedule). Enable / Disable switch them.
- Names are unique per account, at most 128 characters: "工作流名称，最多128字符。同一个用户该名称唯一。" (WorkflowName),
  "编排名称，最多128字符。同一个用户该名称唯一。" (ScheduleName). A clash answers ``InvalidParameterValue``: the docs
  give no specific code and CreateWorkflow's / CreateSchedule's SDK lists name only that one for parameter values.
- ResetWorkflow replaces the whole workflow and only a disabled one: "重新设置一个已经存在且处于禁用状态的工作流。";
  DeleteWorkflow: "对于已启用的工作流，需要禁用后才能删除。". An enabled one answers ``InvalidParameterValue`` (the
  only parameter code their SDK lists name). ModifySchedule merges like the template Modify actions (Activities
  are replaced whole: "内部不允许部分更新，如果需要更新需全量提交编排任务列表"); the docs ask nothing of a schedule's state
  for ModifySchedule or DeleteSchedule, so the emulator asks nothing either.
- Unknown ids (or another account's): ``ResourceNotFound.TemplateNotExist``, which every one of these actions lists.
- The trigger: Type ``CosFileUpload`` or ``AwsS3FileUpload`` ("可选值"), the matching rule required ("当 Type 为
  CosFileUpload 时必填且有效" / "当 Type 为 AwsS3FileUpload 时必填且有效"); a workflow takes no AWS trigger ("AWS触发
  ... 只有编排支持，工作流不支持"); Dir "必须为绝对路径，即以 `/` 开头和结尾"; custom COS Formats "需满足数字、字母字符，长度
  在[1,64]范围内" (``*`` allowed, with or without the leading dot). A workflow's OutputDir "必选以 / 开头和结尾"; a
  schedule's is not checked, as CreateSchedule's own example sends ``"OutputDir": "output/"`` (and ModifySchedule:
  "如果设置为空，则表示取消老配置的OutputDir值"). TaskPriority "取值范围是 -10 到 10". These answer
  ``InvalidParameterValue`` (``InvalidParameter`` where an action lists only that).
- Listing: DescribeWorkflows (WorkflowIds, Status, Offset, Limit: default 10, max 100) and DescribeSchedules (also
  TriggerType) answer ``WorkflowInfo`` / ``SchedulesInfo`` items (a schedule's Type is ``Custom``), newest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ._errors import InvalidParameterValue, MissingParameter, WorkflowEnabled
from ._sdk_codes import pick
from ._store import ConfigRecord
from ._templates import Check, ConfigKind
from ._validate import as_number

NAME_MAX = 128
# WorkflowTrigger.Type -> the member holding its rule.
TRIGGER_RULES = {"CosFileUpload": "CosFileUploadTrigger", "AwsS3FileUpload": "AwsS3FileUploadTrigger"}


def _kind(noun: str, modify: str, item: str, **extra: Any) -> ConfigKind:
    """A row named as the workflow and schedule actions are: ``Create<Noun>``, ``<Noun>Id``, ``<Noun>InfoSet``, ..."""
    return ConfigKind(
        kind=noun,
        create=f"Create{noun}",
        modify=modify,
        delete=f"Delete{noun}",
        describe=f"Describe{noun}s",
        enable=f"Enable{noun}",
        disable=f"Disable{noun}",
        id_member=f"{noun}Id",
        ids_filter=f"{noun}Ids",
        name_member=f"{noun}Name",
        list_member=f"{noun}InfoSet",
        item=item,
        name_max=NAME_MAX,
        comment_max=None,
        unique_name=True,
        has_status=True,
        **extra,
    )


WORKFLOW = _kind("Workflow", "ResetWorkflow", "WorkflowInfo", reset=True)
SCHEDULE = _kind("Schedule", "ModifySchedule", "SchedulesInfo", paths={"TriggerType": ("Trigger", "Type")})
KINDS = (WORKFLOW, SCHEDULE)


def _refuse(action: str, message: str) -> InvalidParameterValue:
    return InvalidParameterValue(message, pick(action, "InvalidParameterValue", "InvalidParameter"))


def _disabled(kind: ConfigKind, action: str, params: Mapping[str, Any], record: ConfigRecord | None) -> None:
    if record is not None and record.status == "Enabled":
        raise WorkflowEnabled(
            f"The {kind.kind} `{record.id}` is enabled: disable it first ({action} takes only a disabled one).",
            pick(action, "InvalidParameterValue"),
        )


def _trigger(kind: ConfigKind, action: str, params: Mapping[str, Any], record: ConfigRecord | None) -> None:
    trigger = params.get("Trigger")
    if not isinstance(trigger, dict):
        return
    trigger_type = trigger.get("Type")
    member = TRIGGER_RULES.get(trigger_type or "")
    if member is None:
        raise _refuse(action, "The parameter `Trigger.Type` must be CosFileUpload or AwsS3FileUpload.")
    if kind is WORKFLOW and trigger_type == "AwsS3FileUpload":
        raise _refuse(action, "A workflow takes no AwsS3FileUpload trigger: only schedules do.")
    rule = trigger.get(member)
    if not isinstance(rule, dict):
        raise MissingParameter(
            f"The parameter `Trigger.{member}` is required when Trigger.Type is {trigger_type}."
        )
    folder = rule.get("Dir")
    if folder and not (folder.startswith("/") and folder.endswith("/")):
        raise _refuse(action, f"The parameter `Trigger.{member}.Dir` must start and end with /.")
    custom = (rule.get("Formats") or []) if member == "CosFileUploadTrigger" else []
    for fmt in custom:
        if fmt != "*" and not re.fullmatch(r"\.?[0-9A-Za-z]{1,64}", fmt):
            raise _refuse(action, f"The format `{fmt}` is not an extension of 1 to 64 letters and digits.")


def _outputs(kind: ConfigKind, action: str, params: Mapping[str, Any], record: ConfigRecord | None) -> None:
    folder = params.get("OutputDir")
    if kind is WORKFLOW and folder and not re.fullmatch(r"/(.*/)?", folder):
        raise _refuse(action, "The parameter `OutputDir` must start and end with /.")
    priority = as_number("int64", params.get("TaskPriority"))
    if isinstance(priority, int) and not -10 <= priority <= 10:
        raise _refuse(action, "The parameter `TaskPriority` must be between -10 and 10.")


CHECKS: dict[str, Sequence[Check]] = {
    "CreateWorkflow": (_trigger, _outputs),
    "ResetWorkflow": (_disabled, _trigger, _outputs),
    "DeleteWorkflow": (_disabled,),
    "CreateSchedule": (_trigger, _outputs),
    "ModifySchedule": (_trigger, _outputs),
}
