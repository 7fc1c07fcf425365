"""A local emulator of the Tencent Cloud MPS API (2019-06-12) that the real tencentcloud SDK talks to over HTTP.

Run it::

    python -m pulumi_mps.emulator --host 127.0.0.1 --port 8990 [--db FILE] [--account ID:KEY[:APPID]]...
                                  [--rate-limit 100] [--log-level WARNING]

It prints ``listening on http://HOST:PORT`` once it accepts connections (``--port 0``: a free port, the line
shows the real one) and exits 0 on SIGTERM or SIGINT. In tests::

    with Emulator(port=0) as emu:
        profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=emu.endpoint))
        client = MpsClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-chongqing", profile)

Accounts: without ``--account`` the default test account (``DEFAULT_SECRET_ID`` / ``DEFAULT_SECRET_KEY``,
AppId ``DEFAULT_APPID``). With ``--account`` only the given ones; an account given without an AppId gets a
stable one derived from its SecretId. Tasks, dedup records and rate limits belong to the AppId.

Protocol (``_forms``, ``_auth``): ``POST /`` with ``application/json`` signed with TC3-HMAC-SHA256, ``POST /`` with
``application/x-www-form-urlencoded`` signed with signature v1 (HmacSHA1 / HmacSHA256; TC3 there is
``UnsupportedProtocol``, as the docs make form bodies v1 only), and ``GET /?...`` with either; a query or form's
flattened names (``MediaProcessTask.TranscodeTaskSet.0.Definition``) are made whole by the schema's types
(``UnknownParameter``, ``InvalidParameter``). Signatures are checked with the SDK's own ``Sign.sign_tc3`` /
``Sign.sign`` (``AuthFailure.SignatureFailure``, ``AuthFailure.SecretIdNotFound``, ``AuthFailure.SignatureExpire``
beyond 300 s of the real clock, ``AuthFailure.InvalidAuthorization`` for a malformed or missing TC3 header,
``MissingParameter`` for a v1 request without SecretId, Timestamp or Nonce); any non-empty token (``X-TC-Token``,
``Token``) is accepted; ``NoSuchVersion``, ``InvalidAction``. The one leniency: for a Host that is a loopback address
or ``localhost`` with a port, a TC3 signature over the host without its port and/or with the endpoint's first
label as the service (what Tencent's Node.js SDK signs there) is accepted too; see ``_auth``. Every answer is
HTTP 200, ``Content-Type: application/json``, fresh RequestId; errors are ``{"Response": {"Error": {"Code",
"Message"}, "RequestId"}}``, each code a subclass of :class:`EmulatorError` in ``_errors`` noting where the code
comes from.

Actions: ProcessMedia, ProcessLiveStream, EditMedia, DescribeTaskDetail, DescribeTasks, ManageTask, Create / Modify
/ Delete / Describe of the 17 template families (``Create<X>Template``, ...), the six workflow actions
(CreateWorkflow, ResetWorkflow, DeleteWorkflow, DescribeWorkflows, EnableWorkflow, DisableWorkflow), the six
schedule actions (CreateSchedule, ModifySchedule, DeleteSchedule, DescribeSchedules, EnableSchedule,
DisableSchedule), ParseNotification and ParseLiveStreamProcessNotification (they answer the ``Content`` they are
given, ``InvalidParameterValue.InvalidContent`` when it is not a JSON object), validated from the generated schema
(``MissingParameter``, ``InvalidParameter``, ``InvalidParameterValue[.X]``, ``UnknownParameter``; see
``_validate``). An invalid request creates nothing.

Templates (``_templates``, with every rule's evidence; presets in ``_presets``): stored per account (AppId) in
SQLite, ids from one sequence above ``CUSTOM_ID_BASE``. Presets are the same for every account: the ids the docs'
preset tables list (transcode MP4 100010-100080, HLS 100210-100280, MP3 1010/1020, M4A 1100-1140, the legacy
10-40 and 210; quality control 10-40; ...) and every item the docs' Describe examples show as ``Preset``, with
``Type`` ``Preset`` (others ``Custom``; for Watermark and BlindWatermark ``Type`` is the watermark kind). Describe
answers items shaped by the schema's object (members never set are ``null``), presets first, then the account's
own, newest first; ``Name`` matches names containing it; Offset / Limit (default 10, max 100, 50 for AIRecognition
and ContentReview: ``InvalidParameterValue.Limit``), Definitions (at most 100), Type, TotalCount. Modify merges
(members left out stay, nested objects merge member-wise) and moves UpdateTime. Presets:
``InvalidParameterValue.ModifyDefaultTemplate`` / ``.DeleteDefaultTemplate``; unknown or another account's id:
``ResourceNotFound.TemplateNotExist`` (``ResourceNotFound`` for DeleteWatermarkTemplate and
DeleteBlindWatermarkTemplate, ``InvalidParameterValue.Definition`` for ModifyAdaptiveDynamicStreamingTemplate, as
their SDK lists say). Name over 64 / Comment over 256 characters, quotas (``LimitExceeded.TooMuchTemplate``). A
task naming a template that does not exist: ProcessLiveStream answers ``InvalidParameterValue.Definition`` and
creates nothing; a ProcessMedia task is created and that sub-task FAILs with ErrCodeExt
``InvalidInput.DefinitionNotExist`` (the templates are resolved when the task is created). A transcode output's
format follows its template's Container. Deleting a template a workflow or schedule uses is allowed (the docs say
nothing about it); the tasks the workflow starts afterwards fail that sub-task.

Workflows and schedules (``_workflows``, with the evidence): stored per account, Disabled when created,
Enable / Disable; names unique per account (at most 128 characters; a clash is ``InvalidParameterValue``);
ResetWorkflow replaces the whole workflow and, like DeleteWorkflow, takes only a disabled one
(``InvalidParameterValue``); ModifySchedule merges like the template Modify actions and asks nothing of the state;
unknown ids ``ResourceNotFound.TemplateNotExist``. Triggers: ``CosFileUpload`` or ``AwsS3FileUpload`` with their
rule, no AWS trigger on a workflow, Dir starting and ending with ``/``. DescribeWorkflows / DescribeSchedules filter
by ids, Status (and TriggerType), page with Offset / Limit (max 100), newest first.

Uploads (``_uploads``): ``POST /_emulator/uploads`` stands for an object arriving in storage. Every enabled workflow
and schedule (of any account, or of ``appid``) whose trigger names the object's storage, bucket, region, a
directory above it and its format (COS: no Formats = the system formats, ``*`` = any; AWS: no Formats = any) starts
a task through the ProcessMedia path: a workflow's is a ``WorkflowTask`` with its media and AI tasks, output
storage and directory, notify config and TaskPriority; a schedule's a ``ScheduleTask`` with its Activities. They
are tasks like any other (DescribeTasks, DescribeTaskDetail, ManageTask, results, the clock).

Tasks:

- Task kinds: one row each in ``_kinds.KINDS`` (action, TaskTypes, TaskId infix, dedup window, abortable states,
  durations, input), plus ``_kinds.SCHEDULE``: a ProcessMedia with ScheduleId or Activities is a schedule task,
  DescribeTaskDetail's TaskType ``ScheduleTask`` with the results under ``ScheduleTask.ActivityResultSet`` (one
  ActivityResult per Activity; for a ScheduleId alone, per Activity of the account's schedule of that id when
  the task is created, else per sub-task the request itself names; ``SubTaskTypes`` come from the request). TaskId, spelled as in the docs' examples: ProcessMedia ``{AppId}-WorkflowTask-{32 hex}``
  (schedule: ``{AppId}-ScheduleTask-{32 hex}``), ProcessLiveStream ``{AppId}-live-procedure-{32 hex}``,
  EditMedia ``{AppId}-EditMedia-{32 hex}``.
- Lifecycle on a virtual clock (real time + an offset moved by ``POST /_emulator/clock``): media tasks are
  WAITING for ``MEDIA_WAITING_SECONDS`` (5 s), PROCESSING for ``MEDIA_PROCESSING_SECONDS`` (10 s), then FINISH;
  live tasks are WAITING for ``LIVE_WAITING_SECONDS`` (5 s) then PROCESSING until aborted or for
  ``LIVE_PROCESSING_SECONDS`` (12 h), then FINISH; edit tasks like media tasks (``EDIT_WAITING_SECONDS``,
  ``EDIT_PROCESSING_SECONDS``). An EditMedia request is a compose task when ComposeConfig is set, otherwise a
  clip; its ``EditMediaTask`` detail part and output path are described in ``_edit``.
- Failure: when the input object path or URL (live: the stream URL; edit: any of FileInfos) contains
  ``FAIL_MARKER`` (``"fail-"``, e.g. ``/movie/fail-corrupt.mov``) the task still reaches FINISH (live: after 10 s
  of PROCESSING) with the source failing: the WorkflowTask (LiveStreamProcessTask, EditMediaTask) carries ErrCode
  ``SOURCE_ERROR_CODE`` (30010), Message ``"emulator: source media is corrupt"``, and every sub-task is ``FAIL``
  with the same. When the marker names a kind of sub-task, ``fail-<kind>`` (``fail-transcode``,
  ``fail-animatedgraphics``, ``fail-snapshotbytimeoffset``, ``fail-samplesnapshot``, ``fail-imagesprites``,
  ``fail-adaptivedynamicstreaming``, ``fail-aicontentreview``, ``fail-aianalysis``, ``fail-airecognition``,
  ``fail-aiqualitycontrol``, ``fail-smartsubtitles``, ``fail-smarterase``, ``fail-aidubbing``; the ``marker``
  of ``RESULT_KINDS``), only the sub-tasks of that kind fail (ErrCode ``SUBTASK_ERROR_CODE``, 70000,
  ErrCodeExt ``InternalError``) and the task's own ErrCode stays 0, as the schema describes
  (``WorkflowTask.ErrCode``: non-zero only when the source fails; read each sub-task's ErrCode otherwise).
- Dedup: a non-empty SessionId already used by the same AppId for the same action within 3 days
  (ProcessMedia, EditMedia) or 7 days (ProcessLiveStream) -> ``InvalidParameterValue.SessionId``, nothing
  created. (EditMedia's SDK error list names no SessionId code; the emulator answers as ProcessMedia does.)
- Visibility: tasks created more than 7 days ago (virtual clock) are ``ResourceNotFound`` to DescribeTaskDetail
  and ``InvalidParameterValue.TaskId`` to ManageTask (the codes the SDK lists for each action) and left out of
  DescribeTasks; so are unknown tasks and tasks of another AppId.
- DescribeTasks: newest first, Limit up to 100 (default 10; ``InvalidParameterValue.Limit`` beyond), ScrollToken
  the TaskId the next page starts with (as in examples.json; an unknown one gives an empty page; empty = end),
  StartTime / EndTime on CreateTime (EndTime inclusive to the second), TaskType ``WorkflowTask``,
  ``ScheduleTask``, ``LiveProcessTask`` or ``EditMediaTask``; SubTaskTypes spelled as the schema's examples
  (``action-trans``).
- ManageTask Abort: a live task while WAITING or PROCESSING, a media or edit task only while WAITING; otherwise
  ``InvalidParameterValue.NotProcessingTask``. An aborted task is FINISH at once with ErrCode
  ``ABORTED_ERROR_CODE`` (30020) and
  Message ``"emulator: task aborted by ManageTask"``; the admin task list shows ``"Aborted": true``.
- Notifications (``_notify``): a task whose TaskNotifyConfig.NotifyType is ``URL`` POSTs each event to NotifyUrl as
  ``application/json``, the output of ParseNotification (``WorkflowTask``, ``ScheduleTask``, ``EditMediaTask``
  events; NotifyMode ``Finish``: one when the task finishes, ``Change``: one when it starts processing and one when
  it finishes) or, for a live task, of ParseLiveStreamProcessNotification (one result per requested AI task
  ``LIVE_RESULT_SECONDS`` after processing starts, then ``ProcessEof`` when it ends). SessionId and SessionContext
  pass through; Timestamp is the event's virtual time + 600 s and ``Sign = MD5(Timestamp + NotifyKey)``; the
  NotifyKey is held in memory only. A failed delivery (no 2xx within ``NOTIFY_TIMEOUT_SECONDS``) is retried
  ``NOTIFY_RETRIES`` times, ``RETRY_BACKOFF_SECONDS`` apart. A worker thread delivers what falls due; moving the
  clock delivers what is due at the new time before the admin call answers. Other NotifyTypes deliver nothing.
- Answers: every member of the schema's response object is present, absent ones as ``null``; numbers written
  as strings (``"Limit": "5"``) are accepted. Results: see ``_results`` for the result shapes of every kind of
  sub-task and the default output paths; sub-task Status is PROCESSING, SUCCESS or FAIL, a nested task's
  PROCESSING or FINISH. Secret members (S3 keys, NotifyKey) are never echoed back and are stored and logged
  masked as ``***``.

Limits and faults: ``RequestLimitExceeded`` beyond ``--rate-limit`` calls per second per action and AppId
(token bucket; 0 = off). Admin endpoints, the one list of them (JSON in and out, no signature; 400 on a bad
body, 404 elsewhere; served by :class:`Controls`, ``Emulator.controls``; :class:`EmulatorAdmin` has a method for
each):

- ``POST /_emulator/faults`` ``{"action": <any action>|"*", "count": N, "code": "InternalError",
  "message": "..."}`` fails the next N calls; ``"mode": "accept_then_drop"`` runs the call then closes the
  connection with no answer (its ``"latency_ms"`` passes between the two: the answer is lost late); ``"mode": "not_mps"`` (optional ``"http_status"``, default 200) answers a web page
  (``text/html``), as a web server or proxy at the endpoint's address would, and runs nothing; ``"latency_ms": X`` delays; ``"probability": p`` (optional ``"seed"``) fires on each
  call with that probability until cleared (with ``count`` too: at most N times). ``GET`` lists, ``DELETE``
  clears.
- ``GET /_emulator/tasks``: every task with AppId, SecretId, SessionId, Status, Aborted, Failing, Expired and
  the (masked) request.
- ``POST /_emulator/uploads`` ``{"type": "COS"|"AWS-S3" (default COS), "bucket": B, "region": R, "object":
  "/movie/a.mp4", "appid": N (optional)}``: ``{"TaskIds": [...], "Triggered": [{"TaskId", "AppId", "Kind"
  ("Workflow" / "Schedule"), "Id", "Name"}]}``, the tasks the matching enabled workflows and schedules started
  (a match ProcessMedia refuses carries ``"Error": {"Code", "Message"}`` instead of a TaskId).
- ``GET /_emulator/templates[?kind=TranscodeTemplate|Workflow|Schedule|...]``: ``{"templates": [{"Kind", "AppId",
  "Id", "Name", "Status" (Enabled / Disabled, null for templates), "CreateTime", "UpdateTime", "Body" (the members
  as stored, secrets masked)}]}``, every stored template, workflow and schedule, oldest first (presets are not
  stored).
- ``GET /_emulator/notifications[?task_id=T]``: every event notification delivery, oldest first: TaskId, Event,
  Url, DueTime, State (``pending``, ``delivered``, ``failed``), Body (as POSTed; it holds no secret), Attempts
  (Time, VirtualTime, Status, Answer, Error) and the last Status and Answer.
- ``GET /_emulator/requests[?action=A]``: the request log (Action, Time, SecretId, masked Params, Error code,
  Dropped, Token: whether an X-TC-Token was sent); ``DELETE`` clears it.
- ``POST /_emulator/clock`` ``{"advance_seconds": S}`` or ``{"set": "2026-11-23T10:00:00Z"}``, then attempts every
  notification due at the new time before it answers (``{"advance_seconds": 0}`` just delivers); ``GET`` reads it.
- ``POST /_emulator/reset``: forget everything (presets stay). ``POST /_emulator/config`` ``{"rate_limit": N}``; ``GET`` reads it.
- ``GET /_emulator/health``.

State lives in SQLite (in memory, or ``--db FILE``: a restart keeps tasks, dedup records, templates, workflows,
schedules, notification deliveries and the clock offset; not the NotifyKeys). Faults, the request log and config
changes are not persisted.
"""

from ._backend import (
    DEDUP_WINDOW_SECONDS,
    DEFAULT_APPID,
    DEFAULT_SECRET_ID,
    DEFAULT_SECRET_KEY,
    EDIT_PROCESSING_SECONDS,
    EDIT_WAITING_SECONDS,
    LIVE_PROCESSING_SECONDS,
    LIVE_WAITING_SECONDS,
    MEDIA_PROCESSING_SECONDS,
    MEDIA_WAITING_SECONDS,
    TASK_RETENTION_SECONDS,
    Account,
    Backend,
    Durations,
)
from ._controls import DEFAULT_RATE_LIMIT, Controls
from ._emulator import Emulator
from ._errors import EmulatorError
from ._faults import (
    FAIL_MARKER,
    SOURCE_ERROR_CODE,
    SOURCE_ERROR_MESSAGE,
    SUBTASK_ERROR_CODE,
    SUBTASK_ERROR_MESSAGE,
)
from ._notify import (
    LIVE_RESULT_SECONDS,
    NOTIFY_RETRIES,
    NOTIFY_TIMEOUT_SECONDS,
    RETRY_BACKOFF_SECONDS,
)
from ._results import ABORTED_ERROR_CODE, ABORTED_ERROR_MESSAGE, RESULT_KINDS
from .admin import EmulatorAdmin, EmulatorAdminError

__all__ = [
    "ABORTED_ERROR_CODE",
    "ABORTED_ERROR_MESSAGE",
    "DEDUP_WINDOW_SECONDS",
    "DEFAULT_APPID",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_SECRET_ID",
    "DEFAULT_SECRET_KEY",
    "EDIT_PROCESSING_SECONDS",
    "EDIT_WAITING_SECONDS",
    "FAIL_MARKER",
    "LIVE_RESULT_SECONDS",
    "LIVE_PROCESSING_SECONDS",
    "LIVE_WAITING_SECONDS",
    "MEDIA_PROCESSING_SECONDS",
    "MEDIA_WAITING_SECONDS",
    "NOTIFY_RETRIES",
    "NOTIFY_TIMEOUT_SECONDS",
    "RESULT_KINDS",
    "RETRY_BACKOFF_SECONDS",
    "SOURCE_ERROR_CODE",
    "SOURCE_ERROR_MESSAGE",
    "SUBTASK_ERROR_CODE",
    "SUBTASK_ERROR_MESSAGE",
    "TASK_RETENTION_SECONDS",
    "Account",
    "Backend",
    "Controls",
    "Durations",
    "Emulator",
    "EmulatorAdmin",
    "EmulatorAdminError",
    "EmulatorError",
]
