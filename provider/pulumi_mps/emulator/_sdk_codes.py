"""The error codes the SDK lists per action, where the emulator has to choose between codes for one rule.

tencentcloud-sdk-go ``tencentcloud/mps/v20190612/client.go`` (commit 144f6c8d, 2026-08-21) lists, above each
action's method, the codes it "may return" (可能返回的错误码). The lists differ between actions that answer the
same situation: ``DeleteWatermarkTemplate`` names ``ResourceNotFound`` where ``DeleteTranscodeTemplate`` names
``ResourceNotFound.TemplateNotExist``; ``DescribeSchedules`` names only ``InvalidParameter``. :func:`pick` answers
a rule with the first of its candidate codes the action's list names. Only the codes the emulator may answer
for these actions are kept here.
"""

from __future__ import annotations

_LISTED: dict[str, str] = {
    "CreateAIAnalysisTemplate": "InvalidParameterValue InvalidParameterValue.Comment InvalidParameterValue.Definition InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateAIRecognitionTemplate": "InvalidParameter InvalidParameterValue InvalidParameterValue.Comment InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateAdaptiveDynamicStreamingTemplate": "InvalidParameter InvalidParameterValue InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateAnimatedGraphicsTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateBlindWatermarkTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name InvalidParameterValue.Type LimitExceeded.TooMuchTemplate",
    "CreateContentReviewTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateImageSpriteTemplate": "InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateLiveRecordTemplate": "InvalidParameterValue LimitExceeded.TooMuchTemplate",
    "CreateProcessImageTemplate": "InvalidParameter InvalidParameterValue",
    "CreateQualityControlTemplate": "InvalidParameter InvalidParameterValue",
    "CreateSampleSnapshotTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateSchedule": "InvalidParameterValue LimitExceeded.TooMuchTemplate",
    "CreateSmartEraseTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name",
    "CreateSmartSubtitleTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name",
    "CreateSnapshotByTimeOffsetTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name LimitExceeded.TooMuchTemplate",
    "CreateSubtitleEmbedTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name",
    "CreateTranscodeTemplate": "InvalidParameterValue InvalidParameterValue.Name InvalidParameterValue.Type LimitExceeded.TooMuchTemplate",
    "CreateWatermarkTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name InvalidParameterValue.Type LimitExceeded.TooMuchTemplate",
    "CreateWorkflow": "InvalidParameterValue LimitExceeded.TooMuchTemplate",
    "DeleteAIAnalysisTemplate": "InvalidParameterValue.DeleteDefaultTemplate ResourceNotFound ResourceNotFound.TemplateNotExist",
    "DeleteAIRecognitionTemplate": "InvalidParameter InvalidParameterValue.DeleteDefaultTemplate ResourceNotFound.TemplateNotExist",
    "DeleteAdaptiveDynamicStreamingTemplate": "ResourceNotFound ResourceNotFound.TemplateNotExist",
    "DeleteAnimatedGraphicsTemplate": "ResourceNotFound.TemplateNotExist",
    "DeleteBlindWatermarkTemplate": "InvalidParameterValue.Definition ResourceNotFound",
    "DeleteContentReviewTemplate": "InvalidParameter InvalidParameterValue.DeleteDefaultTemplate ResourceNotFound.TemplateNotExist",
    "DeleteImageSpriteTemplate": "ResourceNotFound.TemplateNotExist",
    "DeleteLiveRecordTemplate": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "DeleteProcessImageTemplate": "InvalidParameter ResourceNotFound.TemplateNotExist",
    "DeleteQualityControlTemplate": "InvalidParameter ResourceNotFound.TemplateNotExist",
    "DeleteSampleSnapshotTemplate": "ResourceNotFound.TemplateNotExist",
    "DeleteSchedule": "InvalidParameter ResourceNotFound.TemplateNotExist",
    "DeleteSmartEraseTemplate": "InvalidParameter InvalidParameterValue.DeleteDefaultTemplate ResourceNotFound.TemplateNotExist",
    "DeleteSmartSubtitleTemplate": "InvalidParameter InvalidParameterValue.DeleteDefaultTemplate ResourceNotFound.TemplateNotExist",
    "DeleteSnapshotByTimeOffsetTemplate": "ResourceNotFound.TemplateNotExist",
    "DeleteSubtitleEmbedTemplate": "InvalidParameter InvalidParameterValue.DeleteDefaultTemplate ResourceNotFound.TemplateNotExist",
    "DeleteTranscodeTemplate": "InvalidParameterValue InvalidParameterValue.Definition ResourceNotFound.TemplateNotExist",
    "DeleteWatermarkTemplate": "InvalidParameterValue.Definition ResourceNotFound",
    "DeleteWorkflow": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "DescribeAIAnalysisTemplates": "InvalidParameter LimitExceeded.TooMuchTemplate ResourceNotFound ResourceNotFound.TemplateNotExist",
    "DescribeAIRecognitionTemplates": "InvalidParameter InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeAdaptiveDynamicStreamingTemplates": "InvalidParameterValue.Definitions InvalidParameterValue.Limit InvalidParameterValue.Type",
    "DescribeAnimatedGraphicsTemplates": "InvalidParameterValue.Limit InvalidParameterValue.Type",
    "DescribeBlindWatermarkTemplates": "InvalidParameterValue.Definitions InvalidParameterValue.Limit InvalidParameterValue.Type ResourceNotFound.TemplateNotExist",
    "DescribeContentReviewTemplates": "InvalidParameter InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeImageSpriteTemplates": "InvalidParameterValue.Limit InvalidParameterValue.Type",
    "DescribeLiveRecordTemplates": "InvalidParameterValue InvalidParameterValue.Limit",
    "DescribeProcessImageTemplates": "InvalidParameterValue InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeQualityControlTemplates": "InvalidParameterValue InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeSampleSnapshotTemplates": "InvalidParameterValue.Limit InvalidParameterValue.Type",
    "DescribeSchedules": "InvalidParameter",
    "DescribeSmartEraseTemplates": "InvalidParameter InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeSmartSubtitleTemplates": "InvalidParameter InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeSnapshotByTimeOffsetTemplates": "InvalidParameterValue.Limit InvalidParameterValue.Type",
    "DescribeSubtitleEmbedTemplates": "InvalidParameter InvalidParameterValue.Definitions InvalidParameterValue.Limit ResourceNotFound.TemplateNotExist",
    "DescribeTranscodeTemplates": "InvalidParameterValue InvalidParameterValue.Definitions InvalidParameterValue.Limit InvalidParameterValue.Type ResourceNotFound.TemplateNotExist",
    "DescribeWatermarkTemplates": "InvalidParameterValue.Definitions InvalidParameterValue.Limit InvalidParameterValue.Type ResourceNotFound.TemplateNotExist",
    "DescribeWorkflows": "InvalidParameterValue",
    "DisableSchedule": "InvalidParameter ResourceNotFound.TemplateNotExist",
    "DisableWorkflow": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "EnableSchedule": "InvalidParameter ResourceNotFound.TemplateNotExist",
    "EnableWorkflow": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "ModifyAIAnalysisTemplate": "InvalidParameter InvalidParameterValue.Comment InvalidParameterValue.Name ResourceNotFound ResourceNotFound.TemplateNotExist",
    "ModifyAIRecognitionTemplate": "InvalidParameter InvalidParameterValue.Comment InvalidParameterValue.ModifyDefaultTemplate InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifyAdaptiveDynamicStreamingTemplate": "InvalidParameter InvalidParameterValue InvalidParameterValue.Comment InvalidParameterValue.Definition InvalidParameterValue.Name",
    "ModifyAnimatedGraphicsTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifyBlindWatermarkTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name InvalidParameterValue.Type ResourceNotFound.TemplateNotExist",
    "ModifyContentReviewTemplate": "InvalidParameter InvalidParameterValue.Comment InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifyImageSpriteTemplate": "InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifyLiveRecordTemplate": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "ModifyProcessImageTemplate": "InvalidParameter InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "ModifyQualityControlTemplate": "InvalidParameter InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "ModifySampleSnapshotTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifySchedule": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
    "ModifySmartEraseTemplate": "InvalidParameter InvalidParameterValue.Comment InvalidParameterValue.Definition InvalidParameterValue.ModifyDefaultTemplate InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifySmartSubtitleTemplate": "InvalidParameter InvalidParameterValue.Comment InvalidParameterValue.ModifyDefaultTemplate InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifySnapshotByTimeOffsetTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifySubtitleEmbedTemplate": "InvalidParameter InvalidParameterValue.Comment InvalidParameterValue.ModifyDefaultTemplate InvalidParameterValue.Name ResourceNotFound.TemplateNotExist",
    "ModifyTranscodeTemplate": "InvalidParameterValue InvalidParameterValue.Name InvalidParameterValue.Type ResourceNotFound.TemplateNotExist",
    "ModifyWatermarkTemplate": "InvalidParameterValue.Comment InvalidParameterValue.Name InvalidParameterValue.Type ResourceNotFound.TemplateNotExist",
    "ProcessLiveStream": "InvalidParameter InvalidParameterValue.Definition InvalidParameterValue.Definitions",
    "ResetWorkflow": "InvalidParameterValue ResourceNotFound.TemplateNotExist",
}
SDK_CODES: dict[str, frozenset[str]] = {action: frozenset(codes.split()) for action, codes in _LISTED.items()}


def pick(action: str, *candidates: str) -> str:
    """The first of ``candidates`` the SDK lists for ``action``; the first candidate when it lists none of them."""
    listed = SDK_CODES.get(action, frozenset())
    return next((code for code in candidates if code in listed), candidates[0])
