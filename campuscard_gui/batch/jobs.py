"""Values the journal stores and hands out: job and chunk states, job summaries, records."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..core.errors import CampusCardError
from ..core.model import Action, CardStatus
from ..core.outcomes import (
    Cancelled,
    Failed,
    Outcome,
    OutcomeKind,
    Skipped,
    SkipReason,
    Succeeded,
)
from ..core.text import _


class JobState(StrEnum):
    RUNNING = "running"  # created, in progress or interrupted (offered for resume)
    DONE = "done"
    CANCELLED = "cancelled"


class WaitKind(StrEnum):
    """Why the runner waits: said to the operator ("限流，3 秒后重试（第 2 次）")."""

    RATE_LIMITED = "rate_limited"  # the backend refused for its rate or concurrency limit
    NETWORK = "network"  # no connection, or it broke
    TIMEOUT = "timeout"  # no answer in time
    SERVER = "server"  # the server is busy, answered 5xx or something unreadable
    SETTLE = "settle"  # a write left unanswered may still land: waited for before reading back


# error codes (never message texts) that mean "rate limited": 简道云 8303/8304, kintone
# GAIA_TO04 (too many concurrent requests), 神笔 RequestLimitExceeded, HTTP 429 anywhere
RATE_LIMIT_CODES = frozenset({"429", "8303", "8304", "GAIA_TO04", "RequestLimitExceeded"})


def wait_kind_of(code: str) -> WaitKind:
    """The kind of wait a retryable or ambiguous error's ``code`` calls for."""
    if code in RATE_LIMIT_CODES:
        return WaitKind.RATE_LIMITED
    if code == "network":
        return WaitKind.NETWORK
    if code in ("timeout", "deadline"):
        return WaitKind.TIMEOUT
    return WaitKind.SERVER


@dataclass(frozen=True)
class Wait:
    """One wait of the runner, as the progress callback hears it: its kind, the seconds it
    lasts (for SETTLE: the seconds still left), the attempt that follows it (0 for SETTLE)
    and the backend's own words (for a tooltip or a log; never interpreted)."""

    kind: WaitKind
    seconds: float
    attempt: int = 0
    detail: str = ""


class ChunkState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DONE = "done"


@dataclass(frozen=True)
class JobInfo:
    job_id: int
    created_at: float  # epoch seconds
    finished_at: float | None
    operator: str
    profile: str
    action: Action
    state: JobState
    total: int
    succeeded: int
    failed: int
    skipped: int
    cancelled: int
    pending: int
    parent_job_id: int | None
    chunk_size: int = 0
    # records whose outcome the program does not know (counted in ``failed`` too)
    unknown: int = 0

    @property
    def done(self) -> int:
        return self.total - self.pending

    @property
    def finished(self) -> bool:
        return self.state is not JobState.RUNNING


@dataclass(frozen=True)
class JobRecord:
    student_no: str
    name: str
    action: Action
    outcome: Outcome | None  # None = not decided yet
    card_id: str  # the resulting card when known, otherwise the planned card ("" if none)
    position: int = 0
    from_status: CardStatus | None = None  # None for a planned skip


@dataclass(frozen=True)
class ChunkInfo:
    job_id: int
    seq: int
    idempotency_key: str
    state: ChunkState
    attempts: int
    sent_at: float | None = None  # epoch seconds of the last send (survives restarts)
    open_ms: int | None = None  # the open time every send of this chunk's opens carries


@dataclass(frozen=True)
class PendingWrite:
    """A record of a chunk whose outcome is not known yet (what the runner sends)."""

    position: int
    student_no: str
    name: str
    card_id: str
    revision: str
    student_record_id: str
    from_status: CardStatus


@dataclass(frozen=True)
class ClaimHolder:
    """Who claimed a job last, as the journal's job_claims row says (information only)."""

    host: str
    pid: int
    since: float  # epoch seconds
    alive: bool = False  # a process with that id runs on this computer (it may be another)

    @property
    def since_text(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.since))

    def describe(self) -> str:
        return _("电脑 {value}，进程 {pid}，自 {since_text} 起").format(
            value=self.host or _('未知'), pid=self.pid, since_text=self.since_text)


class JobClaimedError(CampusCardError):
    """A job is claimed by another process. ``can_take_over``: False while its OS lock is
    held (a live process on this computer runs it); True when only a claim row of another
    host name says so, which the program cannot check (the operator may take it over)."""

    code = "job_busy"

    def __init__(self, message: str, holder: ClaimHolder | None, *, can_take_over: bool,
                 code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.holder = holder
        self.can_take_over = can_take_over


def unknown_value(where: str, what: Sequence[str]) -> CampusCardError:
    """The error for journal rows holding values this program does not know."""
    return CampusCardError(
        _("{where} 在任务日志中有本程序无法识别的值：{value}（可能来自更新版本的程序，或文件已损坏"
          "）").format(
            where=where, value=_('，').join(what)), code="journal_value")


def unknown_outcome(what: str) -> Failed:
    """How a record holding an unknown value is shown: an error naming it (never one of the
    outcomes, e.g. never 已取消)."""
    return Failed("unknown_value", _("任务日志中有本程序无法识别的值：{what}").format(what=what))


def outcome_columns(outcome: Outcome) -> tuple[str, str | None, str | None, str | None,
                                                   str | None, str | None]:
    """(outcome, code, message, reason, detail, result_card_id) for storing ``outcome``."""
    if isinstance(outcome, Succeeded):
        return (OutcomeKind.SUCCEEDED.value, None, None, None, None, outcome.card_id)
    if isinstance(outcome, Failed):
        return (OutcomeKind.FAILED.value, outcome.code, outcome.message, None, None, None)
    if isinstance(outcome, Skipped):
        return (OutcomeKind.SKIPPED.value, None, None, outcome.reason.value, outcome.detail,
                None)
    return (OutcomeKind.CANCELLED.value, None, None, None, None, None)


def outcome_from_row(kind: str | None, code: str | None, message: str | None,
                     reason: str | None, detail: str | None,
                     result_card_id: str | None) -> Outcome | None:
    """The stored outcome; an unknown kind or skip reason gives ``unknown_outcome``."""
    if kind is None:
        return None
    if kind == OutcomeKind.SUCCEEDED.value:
        return Succeeded(result_card_id or "")
    if kind == OutcomeKind.FAILED.value:
        return Failed(code or "", message or "")
    if kind == OutcomeKind.SKIPPED.value:
        if reason not in _REASONS:
            return unknown_outcome(f"reason={reason!r}")
        return Skipped(SkipReason(reason), detail or "")
    if kind == OutcomeKind.CANCELLED.value:
        return Cancelled()
    return unknown_outcome(f"outcome={kind!r}")


_REASONS = frozenset(r.value for r in SkipReason)
