"""Values the journal stores and hands out: job and chunk states, job summaries, records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


class JobState(StrEnum):
    RUNNING = "running"  # created, in progress or interrupted (offered for resume)
    DONE = "done"
    CANCELLED = "cancelled"


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
    if kind is None:
        return None
    if kind == OutcomeKind.SUCCEEDED.value:
        return Succeeded(result_card_id or "")
    if kind == OutcomeKind.FAILED.value:
        return Failed(code or "", message or "")
    if kind == OutcomeKind.SKIPPED.value:
        return Skipped(SkipReason(reason or SkipReason.UNKNOWN_STUDENT.value), detail or "")
    return Cancelled()
