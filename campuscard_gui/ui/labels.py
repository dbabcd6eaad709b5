"""Translated display texts for the domain's enums.

The core keeps stable codes and canonical Chinese labels; the window shows these through Qt's
translation so that the zh_CN and en catalogues both apply. Source strings are English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

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


def fill(text: str, *args: str) -> str:
    """``text`` with %1, %2, … replaced by ``args`` in one pass (an argument that itself holds
    "%2", e.g. a profile's name, is left as it is)."""
    return re.sub(r"%(\d)", lambda m: args[int(m.group(1)) - 1]
                  if 0 < int(m.group(1)) <= len(args) else m.group(0), text)


def join_names(names: Iterable[str]) -> str:
    """Names listed in a sentence: "a, b" (en), "a、b" (zh_CN)."""
    separator = QCoreApplication.translate("Labels", ", ", "between names listed in a sentence")
    return separator.join(names)


def _t(text: object) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP("Labels", …) (lupdate extracts those)."""
    return QCoreApplication.translate(_CTX, str(text))


def action_label(action: Action) -> str:
    return {
        Action.OPEN: _t(QT_TRANSLATE_NOOP("Labels", "Open card")),
        Action.FREEZE: _t(QT_TRANSLATE_NOOP("Labels", "Freeze")),
        Action.UNFREEZE: _t(QT_TRANSLATE_NOOP("Labels", "Unfreeze")),
        Action.CANCEL: _t(QT_TRANSLATE_NOOP("Labels", "Cancel card")),
    }[action]


def student_status_label(status: StudentStatus) -> str:
    return {
        StudentStatus.ENROLLED: _t(QT_TRANSLATE_NOOP("Labels", "Enrolled")),
        StudentStatus.SUSPENDED: _t(QT_TRANSLATE_NOOP("Labels", "Suspended")),
        StudentStatus.WITHDRAWN: _t(QT_TRANSLATE_NOOP("Labels", "Withdrawn")),
        StudentStatus.GRADUATED: _t(QT_TRANSLATE_NOOP("Labels", "Graduated")),
    }[status]


def card_status_label(status: CardStatus) -> str:
    return {
        CardStatus.NONE: _t(QT_TRANSLATE_NOOP("Labels", "Not opened")),
        CardStatus.ACTIVE: _t(QT_TRANSLATE_NOOP("Labels", "Active")),
        CardStatus.FROZEN: _t(QT_TRANSLATE_NOOP("Labels", "Frozen")),
        CardStatus.CANCELLED: _t(QT_TRANSLATE_NOOP("Labels", "Cancelled")),
    }[status]


def outcome_kind_label(kind: OutcomeKind | None) -> str:
    if kind is None:
        return _t(QT_TRANSLATE_NOOP("Labels", "Pending"))
    return {
        OutcomeKind.SUCCEEDED: _t(QT_TRANSLATE_NOOP("Labels", "Succeeded")),
        OutcomeKind.FAILED: _t(QT_TRANSLATE_NOOP("Labels", "Failed")),
        OutcomeKind.SKIPPED: _t(QT_TRANSLATE_NOOP("Labels", "Skipped")),
        OutcomeKind.CANCELLED: _t(QT_TRANSLATE_NOOP("Labels", "Cancelled by operator")),
    }[kind]


def kind_label(kind: str) -> str:
    """A profile's kind (backend) as the operator calls it: the built-in kinds' names from
    the catalogues; a backend registered from outside names itself (``BackendSpec.label``,
    or ``label_en`` while the window speaks English)."""
    local = _t(QT_TRANSLATE_NOOP("Labels", "Local database"))
    builtin = {
        "local": local,
        "jiandaoyun": _t(QT_TRANSLATE_NOOP("Labels", "Jiandaoyun")),
        "kintone": _t(QT_TRANSLATE_NOOP("Labels", "kintone")),
        "shenbi": _t(QT_TRANSLATE_NOOP("Labels", "Shenbi")),
        "ipaas": _t(QT_TRANSLATE_NOOP("Labels", "iPaaS flow")),
    }
    if kind in builtin:
        return builtin[kind]
    from ..backends import find

    spec = find(kind)
    if spec is None:
        return kind
    english = local == "Local database"  # no catalogue translates the window's words
    return (spec.label_en or spec.label) if english else spec.label


def target_label(kind: str, name: str, address: str = "") -> str:
    """Where a job writes: "Jiandaoyun · 生产 (api.jiandaoyun.com)" — the profile's kind (left
    out when unknown), its name and its address (left out when empty)."""
    kind_text = kind_label(kind) if kind else ""
    if kind_text and address:
        text = _t(QT_TRANSLATE_NOOP("Labels", "%1 · %2 (%3)"))
    elif kind_text:
        text = _t(QT_TRANSLATE_NOOP("Labels", "%1 · %2"))
    elif address:
        text = _t(QT_TRANSLATE_NOOP("Labels", "%2 (%3)"))
    else:
        return name
    return fill(text, kind_text, name, address)


def kind_and_address(kind: str, address: str = "") -> str:
    """"Jiandaoyun · api.jiandaoyun.com": a profile's kind and address (either may be empty)."""
    return " · ".join(part for part in (kind_label(kind) if kind else "", address) if part)


def skip_reason_label(reason: SkipReason, detail: str = "") -> str:
    text = {
        SkipReason.ALREADY_OPEN: _t(QT_TRANSLATE_NOOP("Labels", "Card already opened")),
        SkipReason.NOT_OPEN: _t(QT_TRANSLATE_NOOP("Labels", "No card opened")),
        SkipReason.ALREADY_FROZEN: _t(QT_TRANSLATE_NOOP("Labels", "Card already frozen")),
        SkipReason.NOT_FROZEN: _t(QT_TRANSLATE_NOOP("Labels", "Card is not frozen")),
        SkipReason.ALREADY_CANCELLED: _t(QT_TRANSLATE_NOOP("Labels", "Card already cancelled")),
        SkipReason.STUDENT_NOT_ENROLLED: _t(QT_TRANSLATE_NOOP("Labels", "Student is not enrolled")),
        SkipReason.UNKNOWN_STUDENT: _t(QT_TRANSLATE_NOOP("Labels", "Unknown student number")),
        SkipReason.DUPLICATE: _t(QT_TRANSLATE_NOOP("Labels", "Duplicate student number")),
        SkipReason.CHANGED_BY_OTHER: _t(QT_TRANSLATE_NOOP("Labels", "Changed by someone else")),
        SkipReason.OPENED_BY_OTHER: _t(QT_TRANSLATE_NOOP("Labels", "Opened by someone else")),
    }[reason]
    if detail and reason is SkipReason.CHANGED_BY_OTHER:
        try:
            detail = card_status_label(CardStatus(detail))
        except ValueError:
            pass  # the backend's own label, shown as it is
        return (_t(QT_TRANSLATE_NOOP("Labels", "%1 (now %2)"))
                .replace("%1", text).replace("%2", detail))
    if detail and reason is SkipReason.OPENED_BY_OTHER:
        return (_t(QT_TRANSLATE_NOOP("Labels", "%1 (card record %2)"))
                .replace("%1", text).replace("%2", detail))
    if detail:
        if reason is SkipReason.STUDENT_NOT_ENROLLED:
            try:
                detail = student_status_label(StudentStatus(detail))
            except ValueError:
                pass
        return (_t(QT_TRANSLATE_NOOP("Labels", "%1 (%2)"))
                .replace("%1", text).replace("%2", detail))
    return text


def outcome_reason_label(outcome: Outcome | None) -> str:
    """The reason column of the results table, translated."""
    if isinstance(outcome, Skipped):
        return skip_reason_label(outcome.reason, outcome.detail)
    if isinstance(outcome, Failed):
        return f"[{outcome.code}] {outcome.message}" if outcome.code else outcome.message
    if isinstance(outcome, Cancelled):
        return _t(QT_TRANSLATE_NOOP("Labels", "Cancelled before it was sent"))
    return ""
