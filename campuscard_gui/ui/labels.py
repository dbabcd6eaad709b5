"""Translated display texts for the domain's enums.

The core keeps stable codes and canonical Chinese labels; the window shows these through Qt's
translation so that the zh_CN and en catalogues both apply. Source strings are English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..core.model import Action, CardStatus, StudentStatus
from ..core.outcomes import (
    Cancelled,
    Failed,
    Outcome,
    OutcomeKind,
    Skipped,
    SkipReason,
)

_CTX = "Labels"


def _t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def action_label(action: Action) -> str:
    return {
        Action.OPEN: _t("Open card"),
        Action.FREEZE: _t("Freeze"),
        Action.UNFREEZE: _t("Unfreeze"),
        Action.CANCEL: _t("Cancel card"),
    }[action]


def student_status_label(status: StudentStatus) -> str:
    return {
        StudentStatus.ENROLLED: _t("Enrolled"),
        StudentStatus.SUSPENDED: _t("Suspended"),
        StudentStatus.WITHDRAWN: _t("Withdrawn"),
        StudentStatus.GRADUATED: _t("Graduated"),
    }[status]


def card_status_label(status: CardStatus) -> str:
    return {
        CardStatus.NONE: _t("Not opened"),
        CardStatus.ACTIVE: _t("Active"),
        CardStatus.FROZEN: _t("Frozen"),
        CardStatus.CANCELLED: _t("Cancelled"),
    }[status]


def outcome_kind_label(kind: OutcomeKind | None) -> str:
    if kind is None:
        return _t("Pending")
    return {
        OutcomeKind.SUCCEEDED: _t("Succeeded"),
        OutcomeKind.FAILED: _t("Failed"),
        OutcomeKind.SKIPPED: _t("Skipped"),
        OutcomeKind.CANCELLED: _t("Cancelled by operator"),
    }[kind]


def skip_reason_label(reason: SkipReason, detail: str = "") -> str:
    text = {
        SkipReason.ALREADY_OPEN: _t("Card already opened"),
        SkipReason.NOT_OPEN: _t("No card opened"),
        SkipReason.ALREADY_FROZEN: _t("Card already frozen"),
        SkipReason.NOT_FROZEN: _t("Card is not frozen"),
        SkipReason.ALREADY_CANCELLED: _t("Card already cancelled"),
        SkipReason.STUDENT_NOT_ENROLLED: _t("Student is not enrolled"),
        SkipReason.UNKNOWN_STUDENT: _t("Unknown student number"),
        SkipReason.DUPLICATE: _t("Duplicate student number"),
    }[reason]
    if detail:
        if reason is SkipReason.STUDENT_NOT_ENROLLED:
            try:
                detail = student_status_label(StudentStatus(detail))
            except ValueError:
                pass
        return f"{text} ({detail})"
    return text


def outcome_reason_label(outcome: Outcome | None) -> str:
    """The reason column of the results table, translated."""
    if isinstance(outcome, Skipped):
        return skip_reason_label(outcome.reason, outcome.detail)
    if isinstance(outcome, Failed):
        return f"[{outcome.code}] {outcome.message}" if outcome.code else outcome.message
    if isinstance(outcome, Cancelled):
        return _t("Cancelled before it was sent")
    return ""
