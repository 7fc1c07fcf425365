"""AI content moderation of a live stream for as long as it runs, with results posted to a URL callback.

Destroying the stack aborts the live processing (set abort_on_delete=False to leave it running).
"""

import pulumi

from pulumi_mps import LiveStreamProcessTask
from pulumi_mps.inputs import LiveStreamTaskNotifyConfigArgsDict

config = pulumi.Config()

notify: LiveStreamTaskNotifyConfigArgsDict = {
    "notify_type": "URL",
    "notify_url": config.get("callbackUrl") or "https://hooks.example.com/mps/live-moderation",
}
# The key MPS signs each callback with (Sign = MD5(Timestamp + NotifyKey)); a secret, so it comes from secret config.
notify_key = config.get_secret("notifyKey")
if notify_key is not None:
    notify["notify_key"] = notify_key

moderation = LiveStreamProcessTask(
    "channel-1-moderation",
    url=config.get("streamUrl") or "rtmp://live.example.com/live/channel-1",
    task_notify_config=notify,
    ai_content_review_task={"definition": 10},
    ai_recognition_task={"definition": 10},
)

pulumi.export("task_id", moderation.task_id)
pulumi.export("session_id", moderation.session_id)
