"""The configuration kinds: one entry per template family, plus the workflow and the schedule.

A configuration resource is created by an action that takes no idempotency key, changed in place by another,
deleted by a third, and read back from a listing. Everything else about a kind comes from the API schema at
generation time (``tools/gen_config.py``): its members, which of them Modify cannot change, its listing's page
size, its name's length limit. A template family is one ``template(...)`` line: the four actions follow the
API's naming (``Create<X>Template``, ``Modify<X>Template``, ``Delete<X>Template``, ``Describe<X>Templates``)
and ``tools/generate.py`` fails if the schema lacks one of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigKind:
    kind: str  # the resource class (and the type token's name)
    create: str
    modify: str
    delete: str
    describe: str
    id_member: str  # the Create answer's member that identifies the object (also the resource id)
    ids_filter: str  # the Describe request's member that lists ids
    name_member: str  # the member that names the object
    doc: tuple[str, ...]  # the class docstring's summary
    enable: str = ""  # the actions that switch the object on and off, where it has a status
    disable: str = ""
    # True when Modify replaces the whole object (ResetWorkflow: every member not sent is cleared), False when
    # a member left out of Modify stays as it is (every ``*ForUpdate`` action).
    modify_is_reset: bool = False
    # Modify changes a disabled object only: ResetWorkflow "重新设置一个已经存在且处于禁用状态的工作流" (api.json, the
    # action's description). ModifySchedule's says only "修改编排".
    modify_requires_disabled: bool = False
    # Delete takes a disabled object only: DeleteWorkflow "对于已启用的工作流，需要禁用后才能删除" (api.json).
    delete_requires_disabled: bool = False
    # The name must be unique per account (api.json, WorkflowName / ScheduleName: "同一个用户该名称唯一").
    unique_name: bool = False


def template(family: str, what: str) -> ConfigKind:
    return ConfigKind(
        kind=f"{family}Template",
        create=f"Create{family}Template",
        modify=f"Modify{family}Template",
        delete=f"Delete{family}Template",
        describe=f"Describe{family}Templates",
        id_member="Definition",
        ids_filter="Definitions",
        name_member="Name",
        doc=(
            f"An MPS {what} template (``Create{family}Template``): tasks name it by its ``definition``.",
            "",
            "Created once (found again by its derived name after a lost answer or an interrupted `pulumi up`),",
            f"changed in place where ``Modify{family}Template`` allows it, replaced otherwise; refresh shows",
            "changes made outside Pulumi; destroy deletes it.",
        ),
    )


TEMPLATE_KINDS = (
    template("AIAnalysis", "AI content analysis"),
    template("AIRecognition", "AI content recognition"),
    template("AdaptiveDynamicStreaming", "adaptive bitrate streaming"),
    template("AnimatedGraphics", "animated image"),
    template("BlindWatermark", "digital (blind) watermark"),
    template("ContentReview", "content moderation"),
    template("ImageSprite", "image sprite"),
    template("LiveRecord", "live recording"),
    template("ProcessImage", "image processing"),
    template("QualityControl", "media quality inspection"),
    template("SampleSnapshot", "sampled screenshot"),
    template("SmartErase", "smart erase"),
    template("SmartSubtitle", "smart subtitle"),
    template("SnapshotByTimeOffset", "time point screenshot"),
    template("SubtitleEmbed", "subtitle embedding"),
    template("Transcode", "transcoding"),
    template("Watermark", "watermark"),
)

WORKFLOW = ConfigKind(
    kind="Workflow",
    create="CreateWorkflow",
    modify="ResetWorkflow",
    delete="DeleteWorkflow",
    describe="DescribeWorkflows",
    id_member="WorkflowId",
    ids_filter="WorkflowIds",
    name_member="WorkflowName",
    enable="EnableWorkflow",
    disable="DisableWorkflow",
    modify_is_reset=True,
    modify_requires_disabled=True,
    delete_requires_disabled=True,
    unique_name=True,
    doc=(
        "An MPS workflow (``CreateWorkflow``): every file that arrives under its trigger runs its tasks.",
        "",
        "Enabled unless ``enabled=False``; changed with ``ResetWorkflow`` (disabled around the reset, as the",
        "API requires); refresh shows changes made outside Pulumi; destroy deletes it.",
    ),
)

SCHEDULE = ConfigKind(
    kind="Schedule",
    create="CreateSchedule",
    modify="ModifySchedule",
    delete="DeleteSchedule",
    describe="DescribeSchedules",
    id_member="ScheduleId",
    ids_filter="ScheduleIds",
    name_member="ScheduleName",
    enable="EnableSchedule",
    disable="DisableSchedule",
    unique_name=True,
    doc=(
        "An MPS schedule (``CreateSchedule``): every file that arrives under its trigger runs its activities.",
        "",
        "Enabled unless ``enabled=False``; changed in place with ``ModifySchedule``; refresh shows changes made",
        "outside Pulumi; destroy deletes it.",
    ),
)

CONFIG_KINDS = (*TEMPLATE_KINDS, WORKFLOW, SCHEDULE)
CONFIG_ACTIONS = tuple(
    action
    for k in CONFIG_KINDS
    for action in (k.create, k.modify, k.delete, k.describe, k.enable, k.disable)
    if action
)
# The event notification parsers (the emulator answers them; their outputs are the bodies it delivers).
NOTIFICATION_ACTIONS = ("ParseNotification", "ParseLiveStreamProcessNotification")
