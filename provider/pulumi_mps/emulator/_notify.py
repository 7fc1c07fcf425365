"""Event notifications, delivered as MPS delivers them, and the two actions that parse them.

**What MPS sends** (api.json at tccli 3.1.189.1):

- ``TaskNotifyConfig.NotifyType`` ``URL``: "指定URL时HTTP回调推送到 NotifyUrl 指定的地址，回调协议http+json，包体内容同
  解析事件通知接口的输出参数" -- an HTTP POST of JSON to NotifyUrl whose body is ParseNotification's output: EventType
  ``WorkflowTask``, ``EditMediaTask`` or ``ScheduleTask`` ("支持事件类型，目前取值有：WorkflowTask ... EditMediaTask ...
  ScheduleTask") with the task's ``WorkflowTaskEvent`` / ``EditMediaTaskEvent`` / ``ScheduleTaskEvent``, SessionId,
  SessionContext ("任务流状态变更回调将返回该字段值"), Timestamp and Sign.
- A live task's ``LiveStreamTaskNotifyConfig`` URL: "包体内容同解析直播事件通知接口的输出参数" --
  ParseLiveStreamProcessNotification's output: a ``NotificationType`` per result (AiReviewResult, AiRecognitionResult,
  AiAnalysisResult, AiQualityControlResult, AiSmartSubtitleResult, LiveRecordResult; ``ProcessEof``: "直播流处理结束")
  with the matching ``*ResultInfo``, TaskId, SessionId, SessionContext, Timestamp and Sign.
- ``NotifyMode``: "工作流通知的模式，可取值有 Finish 和 Change，不填代表 Finish".
- ``Timestamp``: "过期时间，事件通知签名过期 UNIX 时间戳 ... 来自媒体处理的消息通知默认过期时间是10分钟"; ``Sign``: "Sign =
  MD5（Timestamp + NotifyKey）... 媒体处理把Timestamp 和 TaskNotifyConfig 里面的NotifyKey 进行字符串拼接后通过 MD5 计算得出".

**What the emulator sends**, on the virtual clock (``_clock``):

- A media, schedule or edit task with NotifyType URL: with NotifyMode ``Finish`` (or none) one event when it
  finishes; with ``Change`` one when it starts PROCESSING and one when it finishes (creation, in WAITING, is not a
  change; a task aborted while WAITING never starts, so it has only the second). The event part is the task's
  part of DescribeTaskDetail at that instant, so a FINISH event carries the same outputs as DescribeTaskDetail.
- A live task with NotifyType URL: one result of each AI task the request names (AiContentReviewTask ->
  AiReviewResult, AiRecognitionTask -> AiRecognitionResult, AiAnalysisTask -> AiAnalysisResult,
  AiQualityControlTask -> AiQualityControlResult, SmartSubtitlesTask -> AiSmartSubtitleResult)
  ``LIVE_RESULT_SECONDS`` after it starts processing (none when it fails or ends before), then ``ProcessEof`` when
  it ends (aborted, failed or after ``LIVE_PROCESSING_SECONDS``) with the task's ErrCode and Message. The results
  are shapes of the schema's ``LiveStream*ResultInfo`` with no findings, as the emulator's AI outputs are empty
  shapes. LiveRecordResult is never sent: recording is asked for by a live schedule, which the emulator does
  not model.
- ``Timestamp`` is the event's virtual time + ``SIGN_EXPIRY_SECONDS`` (600); ``Sign`` is the MD5 hex of
  ``str(Timestamp) + NotifyKey`` (an empty NotifyKey when none is given). The NotifyKey is kept in memory only,
  for that computation: never stored, logged or listed (a restart with ``--db`` forgets it, and the events of
  tasks created before the restart are signed with an empty key).
- Delivery: a POST with ``Content-Type: application/json``, no proxy, ``NOTIFY_TIMEOUT_SECONDS`` (3 s) to answer;
  any 2xx answer delivers it. A receiver that fails (no connection, timeout, another status) is retried
  ``NOTIFY_RETRIES`` (3) times, ``RETRY_BACKOFF_SECONDS`` (1, 2, 4 virtual seconds) apart, then given up. MPS
  documents no retry policy (neither TaskNotifyConfig nor the ParseNotification pages say one); three retries
  with a doubling wait is the emulator's choice, enough to see a receiver recover and bounded so that a dead one
  costs at most four attempts.
- When: a worker thread delivers what falls due as time passes (polling every ``WORKER_POLL_SECONDS``, and at once
  after a task is created or aborted); ``POST /_emulator/clock`` delivers everything due at the new time before it
  answers (one attempt each; retries fall due later). ``GET /_emulator/notifications`` lists every delivery: its
  target, body, state and attempts with the receiver's answers.
- Other NotifyTypes (TDMQ-CMQ, the default; CMQ; SCF; AWS-SQS) deliver nothing.

ParseNotification and ParseLiveStreamProcessNotification answer the ``Content`` they are given, as the schema's
output object (every member, absent ones ``null``). "该接口不用于发起网络调用，而是用来帮助生成各个语言平台的 SDK": MPS parses
the message its SDK hands it, so Content must be a JSON object, else ``InvalidParameterValue.InvalidContent`` (the
code both actions list in tencentcloud-sdk-go ``mps/v20190612/client.go``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._clock import format_iso, format_iso_ms
from ._errors import InvalidContent
from ._results import ResultBuilder, task_kind
from ._store import TaskRecord

if TYPE_CHECKING:
    from ._backend import Account, Backend

NOTIFY_TIMEOUT_SECONDS = 3.0
RETRY_BACKOFF_SECONDS = (1.0, 2.0, 4.0)
NOTIFY_RETRIES = len(RETRY_BACKOFF_SECONDS)
SIGN_EXPIRY_SECONDS = 600
LIVE_RESULT_SECONDS = 10.0
WORKER_POLL_SECONDS = 0.2
MAX_ANSWER_CHARS = 4096

OUTPUT = "ParseNotificationResponse"
LIVE_OUTPUT = "ParseLiveStreamProcessNotificationResponse"
PROCESS_EOF = "ProcessEof"

logger = logging.getLogger("pulumi_mps.emulator.notify")

_TABLES = """
CREATE TABLE IF NOT EXISTS notify_watch (task_id TEXT PRIMARY KEY, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    due REAL NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    next_at REAL NOT NULL,
    attempts TEXT NOT NULL,
    UNIQUE (task_id, event)
);
"""


@dataclass(frozen=True)
class LiveResult:
    """One kind of live AI result: the request member asking for it, its NotificationType, the member of the
    notification holding it, and its content."""

    request: str
    notification_type: str
    info: str
    value: Mapping[str, Any]


LIVE_RESULTS: tuple[LiveResult, ...] = (
    LiveResult(
        "AiContentReviewTask",
        "AiReviewResult",
        "AiReviewResultInfo",
        {"ResultSet": [{"Type": "ImagePorn", "ImagePornResultSet": []}]},
    ),
    LiveResult(
        "AiRecognitionTask",
        "AiRecognitionResult",
        "AiRecognitionResultInfo",
        {"ResultSet": [{"Type": "AsrFullTextRecognition", "AsrFullTextRecognitionResultSet": []}]},
    ),
    LiveResult(
        "AiAnalysisTask",
        "AiAnalysisResult",
        "AiAnalysisResultInfo",
        {"ResultSet": [{"Type": "SegmentRecognition", "SegmentResultSet": []}]},
    ),
    LiveResult(
        "AiQualityControlTask",
        "AiQualityControlResult",
        "AiQualityControlResultInfo",
        {"QualityControlResultSet": [], "DiagnoseResultSet": []},
    ),
    LiveResult(
        "SmartSubtitlesTask",
        "AiSmartSubtitleResult",
        "AiSmartSubtitleResultInfo",
        {"SmartSubtitleResult": []},
    ),
)
_LIVE_BY_TYPE = {row.notification_type: row for row in LIVE_RESULTS}


@dataclass(frozen=True)
class Event:
    """One notification of a task: ``name`` (the status it reports, or the live NotificationType) at ``due``."""

    name: str
    due: float


def notify_url(request: Mapping[str, Any]) -> str | None:
    """The URL a task's events go to; None unless its NotifyType is URL."""
    config = request.get("TaskNotifyConfig") or {}
    if config.get("NotifyType") != "URL" or not config.get("NotifyUrl"):
        return None
    return str(config["NotifyUrl"])


def planned_events(task: TaskRecord) -> list[Event]:
    """Every event of ``task`` as it stands (an abort moves its end earlier), in the order they fall due."""
    kind = task_kind(task)
    started = task.begin_at is not None and task.begin_at < task.finish_at
    if kind.part == "live":
        events = []
        if started and not task.failing and task.begin_at is not None:
            at = task.begin_at + LIVE_RESULT_SECONDS
            if at < task.finish_at:
                events = [Event(r.notification_type, at) for r in LIVE_RESULTS if task.request.get(r.request)]
        return [*events, Event(PROCESS_EOF, task.finish_at)]
    mode = (task.request.get("TaskNotifyConfig") or {}).get("NotifyMode") or "Finish"
    events = [Event("PROCESSING", task.begin_at)] if mode == "Change" and started and task.begin_at else []
    return [*events, Event("FINISH", task.finish_at)]


def sign(timestamp: int, notify_key: str) -> str:
    """``Sign = MD5（Timestamp + NotifyKey）`` as lowercase hex."""
    return hashlib.md5(f"{timestamp}{notify_key}".encode(), usedforsecurity=False).hexdigest()


class Notifier:
    """Plans, delivers and records the event notifications of one backend's tasks (thread-safe)."""

    def __init__(
        self,
        backend: Backend,
        *,
        timeout: float = NOTIFY_TIMEOUT_SECONDS,
        backoff: tuple[float, ...] = RETRY_BACKOFF_SECONDS,
        poll: float = WORKER_POLL_SECONDS,
    ) -> None:
        self.backend = backend
        self.store = backend.store
        self.store.add_tables(_TABLES)
        self._results = ResultBuilder(backend.schema, backend.secrets)
        self._timeout = timeout
        self._backoff = backoff
        self._poll = poll
        self._keys: dict[str, str] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        backend.task_hooks.append(self._task_changed)

    def start(self) -> None:
        """Deliver in a background thread as events fall due (idempotent)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="mps-emulator-notify", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            self._wake.set()
            thread.join(timeout=NOTIFY_TIMEOUT_SECONDS + 2)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No delivery while the block runs (a reset)."""
        with self._lock:
            yield

    def forget(self) -> None:
        """Forget the NotifyKeys (with a reset of the store, which forgets the deliveries)."""
        self._keys.clear()

    def flush(self) -> int:
        """Attempt every delivery due at the virtual clock's now, once; the number of attempts made."""
        with self._lock:
            now = self.backend.clock.now()
            self._enqueue(now)
            rows = self.store.execute(
                "SELECT id, task_id, event, url, body, attempts FROM notifications"
                " WHERE state = 'pending' AND next_at <= ? ORDER BY due, id",
                (now,),
            )
            for row in rows:
                self._attempt(*row)
            return len(rows)

    def deliveries(self, task_id: str | None = None) -> list[dict[str, Any]]:
        """Every delivery, oldest first: its target, body, state, attempts and the last answer."""
        rows = self.store.execute(
            "SELECT id, task_id, event, url, due, body, state, attempts FROM notifications"
            + (" WHERE task_id = ?" if task_id else "")
            + " ORDER BY due, id",
            (task_id,) if task_id else (),
        )
        out = []
        for id_, task, event, url, due, body, state, attempts_text in rows:
            attempts = json.loads(attempts_text)
            last = attempts[-1] if attempts else {}
            out.append(
                {
                    "Id": id_,
                    "TaskId": task,
                    "Event": event,
                    "Url": url,
                    "DueTime": format_iso(due),
                    "State": state,
                    "Body": json.loads(body),
                    "Attempts": attempts,
                    "Status": last.get("Status"),
                    "Answer": last.get("Answer"),
                }
            )
        return out

    def _task_changed(self, task_id: str, params: dict[str, Any] | None) -> None:
        if params is not None:
            if notify_url(params) is None:
                return
            key = (params.get("TaskNotifyConfig") or {}).get("NotifyKey")
            if key:
                self._keys[task_id] = str(key)
            self.store.execute("INSERT OR IGNORE INTO notify_watch (task_id) VALUES (?)", (task_id,))
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._poll)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.flush()
            except Exception:
                logger.exception("notification delivery failed")

    def _enqueue(self, now: float) -> None:
        """Queue the events of watched tasks that fell due by ``now``; stop watching a task whose last one is."""
        for (task_id,) in self.store.execute("SELECT task_id FROM notify_watch WHERE done = 0"):
            task = self.store.get_task(task_id)
            url = notify_url(task.request) if task is not None else None
            if task is None or url is None:
                self.store.execute("DELETE FROM notify_watch WHERE task_id = ?", (task_id,))
                continue
            queued = {
                e
                for (e,) in self.store.execute(
                    "SELECT event FROM notifications WHERE task_id = ?", (task_id,)
                )
            }
            events = planned_events(task)
            for event in events:
                if event.due <= now and event.name not in queued:
                    body = json.dumps(self._body(task, event), ensure_ascii=False, separators=(",", ":"))
                    self.store.execute(
                        "INSERT OR IGNORE INTO notifications (task_id, event, url, due, body, state, next_at, attempts)"
                        " VALUES (?, ?, ?, ?, ?, 'pending', ?, '[]')",
                        (task_id, event.name, url, event.due, body, event.due),
                    )
                    queued.add(event.name)
            if task.finish_at <= now and all(e.name in queued for e in events):
                self.store.execute("UPDATE notify_watch SET done = 1 WHERE task_id = ?", (task_id,))
                self._keys.pop(task_id, None)

    def _body(self, task: TaskRecord, event: Event) -> dict[str, Any]:
        """The event's body: ParseNotification's (or ParseLiveStreamProcessNotification's) output, no RequestId."""
        kind = task_kind(task)
        part = self._results.detail(task, event.due)[kind.task_type]
        timestamp = int(event.due) + SIGN_EXPIRY_SECONDS
        body: dict[str, Any] = {
            "SessionId": task.session_id,
            "SessionContext": task.request.get("SessionContext", ""),
            "Timestamp": timestamp,
            "Sign": sign(timestamp, self._keys.get(task.task_id, "")),
        }
        if kind.part != "live":
            body.update({"EventType": kind.task_type, f"{kind.task_type}Event": part})
            return _without_request_id(self._results.conform(OUTPUT, body))
        body.update({"NotificationType": event.name, "TaskId": task.task_id})
        if event.name == PROCESS_EOF:
            body["ProcessEofInfo"] = {"ErrCode": part["ErrCode"], "Message": part["Message"]}
        else:
            result = _LIVE_BY_TYPE[event.name]
            body[result.info] = result.value
        return _without_request_id(self._results.conform(LIVE_OUTPUT, body))

    def _attempt(self, id_: int, task_id: str, event: str, url: str, body: str, attempts_text: str) -> None:
        attempts: list[dict[str, Any]] = json.loads(attempts_text)
        status: int | None = None
        answer: str | None = None
        error: str | None = None
        request = urllib.request.Request(
            url, data=body.encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                status, answer = response.status, _text(response.read(MAX_ANSWER_CHARS))
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, _text(exc.read(MAX_ANSWER_CHARS))
        except (OSError, ValueError) as exc:  # no connection, timeout, a URL urllib cannot open
            error = f"{type(exc).__name__}: {exc}"
        now = self.backend.clock.now()
        attempts.append(
            {
                "Time": format_iso_ms(time.time()),
                "VirtualTime": format_iso(now),
                "Status": status,
                "Answer": answer,
                "Error": error,
            }
        )
        if status is not None and 200 <= status < 300:
            state, next_at = "delivered", now
        elif len(attempts) > len(self._backoff):
            state, next_at = "failed", now
        else:
            state, next_at = "pending", now + self._backoff[len(attempts) - 1]
        self.store.execute(
            "UPDATE notifications SET state = ?, next_at = ?, attempts = ? WHERE id = ?",
            (state, next_at, json.dumps(attempts, ensure_ascii=False), id_),
        )
        logger.info(
            "notification %s of %s to %s: attempt %d, %s",
            event,
            task_id,
            url,
            len(attempts),
            f"HTTP {status}" if status is not None else error,
        )


def parse_handlers(results: ResultBuilder) -> dict[str, Callable[[dict[str, Any], Account], dict[str, Any]]]:
    """The backend's handlers of ParseNotification and ParseLiveStreamProcessNotification."""
    return {
        "ParseNotification": functools.partial(_parse, results, OUTPUT),
        "ParseLiveStreamProcessNotification": functools.partial(_parse, results, LIVE_OUTPUT),
    }


def _parse(results: ResultBuilder, output: str, params: dict[str, Any], account: Account) -> dict[str, Any]:
    try:
        content = json.loads(params["Content"])
    except (TypeError, ValueError):
        content = None
    if not isinstance(content, dict):
        raise InvalidContent("The Content is not the JSON object of an event notification.")
    return _without_request_id(results.conform(output, content))


def _without_request_id(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != "RequestId"}


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")
