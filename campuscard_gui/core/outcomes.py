"""Typed per-record outcomes of a job and the reasons a record is skipped."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import CardStatus, StudentStatus, status_label
from .text import N_, _


class SkipReason(StrEnum):
    """Why a selected record is not written. Value = stable code stored in the journal."""

    ALREADY_OPEN = "already_open"
    NOT_OPEN = "not_open"
    ALREADY_FROZEN = "already_frozen"
    NOT_FROZEN = "not_frozen"
    ALREADY_CANCELLED = "already_cancelled"
    STUDENT_NOT_ENROLLED = "student_not_enrolled"
    UNKNOWN_STUDENT = "unknown_student"
    DUPLICATE = "duplicate"
    # Found when the chunk was about to be sent (fresh state) or refused by a conditional
    # write: someone else changed the card after the plan was made. Detail: the card's state now.
    CHANGED_BY_OTHER = "changed_by_other"
    # A concurrent writer opened a card for the student at the same moment; the earliest
    # card record is kept and ours was removed. Detail: the card record kept.
    OPENED_BY_OTHER = "opened_by_other"

    @property
    def text(self) -> str:
        """In the installed language (the CLI prints it; the window translates the code)."""
        return _(_SKIP_TEXT[self])


_SKIP_TEXT = {
    SkipReason.ALREADY_OPEN: N_("已开通"),
    SkipReason.NOT_OPEN: N_("未开通"),
    SkipReason.ALREADY_FROZEN: N_("已冻结"),
    SkipReason.NOT_FROZEN: N_("卡未冻结"),
    SkipReason.ALREADY_CANCELLED: N_("已注销"),
    SkipReason.STUDENT_NOT_ENROLLED: N_("学籍状态不是在读"),
    SkipReason.UNKNOWN_STUDENT: N_("学号不存在"),
    SkipReason.DUPLICATE: N_("重复的学号"),
    SkipReason.CHANGED_BY_OTHER: N_("由他人修改"),
    SkipReason.OPENED_BY_OTHER: N_("已由他人开通"),
}


class OutcomeKind(StrEnum):
    """Stable names, used in the journal and in the CLI's JSON."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Succeeded:
    card_id: str
    kind: OutcomeKind = OutcomeKind.SUCCEEDED


@dataclass(frozen=True, slots=True)
class Failed:
    code: str  # the backend's error code or a connector code such as "network"
    message: str  # operator-facing explanation (Chinese by default), never holds secrets
    kind: OutcomeKind = OutcomeKind.FAILED


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: SkipReason
    detail: str = ""  # e.g. the student status for STUDENT_NOT_ENROLLED
    kind: OutcomeKind = OutcomeKind.SKIPPED

    @property
    def text(self) -> str:
        if not self.detail:
            return self.reason.text
        detail = self.detail
        if self.reason in (SkipReason.CHANGED_BY_OTHER, SkipReason.STUDENT_NOT_ENROLLED):
            detail = _label_of(detail)
        if self.reason is SkipReason.CHANGED_BY_OTHER:
            return _("{reason}（现为{now}）").format(reason=self.reason.text, now=detail)
        if self.reason is SkipReason.OPENED_BY_OTHER:
            return _("{reason}（卡记录 {card_id}）").format(reason=self.reason.text,
                                                      card_id=detail)
        return _("{reason}（{detail}）").format(reason=self.reason.text, detail=detail)


@dataclass(frozen=True, slots=True)
class Cancelled:
    kind: OutcomeKind = OutcomeKind.CANCELLED


Outcome = Succeeded | Failed | Skipped | Cancelled


def outcome_reason(outcome: Outcome) -> str:
    """The one-line reason shown beside an outcome ("" for a success)."""
    if isinstance(outcome, Failed):
        return f"[{outcome.code}] {outcome.message}" if outcome.code else outcome.message
    if isinstance(outcome, Skipped):
        return outcome.text
    if isinstance(outcome, Cancelled):
        return _("已取消")
    return ""


def _label_of(value: str) -> str:
    """A stored status value (在读, 正常) as the installed language says it; any other text
    as it is."""
    for kind in (StudentStatus, CardStatus):
        try:
            return status_label(kind(value))
        except ValueError:
            continue
    return value
