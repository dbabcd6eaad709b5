"""The transition table of design.md §2 and the plans it yields.

``plan_action`` turns a selection (rows the operator picked, or 学号 typed in a file) and an
action into a plan: per student, the write to make or a skip with its reason. It is decided
entirely before anything is sent, so a confirmation dialog can show it and the journal can
store it.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from .model import Action, CardStatus, StudentRow, StudentStatus
from .outcomes import Skipped, SkipReason

# (action, card status) -> skip reason; a pair that is absent is a write.
# Reading it row by row gives design.md §2:
#   开通 from 未开通/注销, 冻结 from 正常, 解冻 from 冻结, 注销 from 正常/冻结.
TRANSITIONS: dict[Action, dict[CardStatus, SkipReason | None]] = {
    Action.OPEN: {
        CardStatus.NONE: None,
        CardStatus.CANCELLED: None,
        CardStatus.ACTIVE: SkipReason.ALREADY_OPEN,
        CardStatus.FROZEN: SkipReason.ALREADY_OPEN,
    },
    Action.FREEZE: {
        CardStatus.ACTIVE: None,
        CardStatus.NONE: SkipReason.NOT_OPEN,
        CardStatus.FROZEN: SkipReason.ALREADY_FROZEN,
        CardStatus.CANCELLED: SkipReason.ALREADY_CANCELLED,
    },
    Action.UNFREEZE: {
        CardStatus.FROZEN: None,
        CardStatus.NONE: SkipReason.NOT_OPEN,
        CardStatus.ACTIVE: SkipReason.NOT_FROZEN,
        CardStatus.CANCELLED: SkipReason.ALREADY_CANCELLED,
    },
    Action.CANCEL: {
        CardStatus.ACTIVE: None,
        CardStatus.FROZEN: None,
        CardStatus.NONE: SkipReason.NOT_OPEN,
        CardStatus.CANCELLED: SkipReason.ALREADY_CANCELLED,
    },
}


class PlannedWrite(NamedTuple):
    """One write: for OPEN a new card record (``card_id``: the cancelled card it replaces, if
    any); otherwise a status update of ``card_id``.

    A NamedTuple rather than a frozen dataclass: a plan over 100,000 selected rows builds this
    100,000 times, and a tuple is built several times faster.
    """

    student_no: str
    name: str
    action: Action
    from_status: CardStatus
    card_id: str = ""  # the card to update ("" for OPEN: a new record is created)
    revision: str = ""  # the card's revision when it was read, for backends that check it
    student_record_id: str = ""  # the backend's id of the student record (OPEN links to it)

    @property
    def to_status(self) -> CardStatus:
        return self.action.target


class PlannedSkip(NamedTuple):
    student_no: str
    name: str
    skipped: Skipped


@dataclass(slots=True)
class Plan:
    action: Action
    writes: list[PlannedWrite] = field(default_factory=list)
    skips: list[PlannedSkip] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.writes) + len(self.skips)

    def skip_summary(self) -> list[tuple[SkipReason, int]]:
        """Skip counts per reason, most frequent first (for the confirmation dialog)."""
        return Counter(s.skipped.reason for s in self.skips).most_common()


def check_transition(
    action: Action, row: StudentRow, *, allow_non_enrolled: bool = False
) -> Skipped | None:
    """None when ``action`` applies to ``row``; otherwise why it is skipped."""
    reason = TRANSITIONS[action][row.card_status]
    if reason is not None:
        return Skipped(reason)
    status = row.student.status
    if action is Action.OPEN and status is not StudentStatus.ENROLLED and not allow_non_enrolled:
        return Skipped(SkipReason.STUDENT_NOT_ENROLLED, status.value)
    return None


@contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    A plan over 100,000 rows allocates 100,000 tuples; each collection pass would walk the
    whole heap of loaded rows. Measured: 170 ms with collection, 62 ms without.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_action(
    action: Action,
    rows: Iterable[StudentRow],
    *,
    allow_non_enrolled: bool = False,
) -> Plan:
    """Plan ``action`` over ``rows`` (a selection of known students, in selection order).

    A 学号 selected twice is written once; the second is skipped as a duplicate.
    """
    with _bulk_allocation():
        return _plan(action, rows, allow_non_enrolled)


def _plan(action: Action, rows: Iterable[StudentRow], allow_non_enrolled: bool) -> Plan:
    plan = Plan(action)
    writes, skips = plan.writes, plan.skips
    seen: set[str] = set()
    table = TRANSITIONS[action]
    # Skipped values are immutable: share one per reason instead of building one per row.
    skipped_for = {reason: Skipped(reason) for reason in SkipReason}
    not_enrolled = {s: Skipped(SkipReason.STUDENT_NOT_ENROLLED, s.value) for s in StudentStatus}
    is_open = action is Action.OPEN
    enrolled = StudentStatus.ENROLLED
    for row in rows:
        student = row.student
        no = student.student_no
        if no in seen:
            skips.append(PlannedSkip(no, student.name, skipped_for[SkipReason.DUPLICATE]))
            continue
        seen.add(no)
        card = row.card
        from_status = card.status if card is not None else CardStatus.NONE
        reason = table[from_status]
        if reason is not None:
            skips.append(PlannedSkip(no, student.name, skipped_for[reason]))
        elif is_open and student.status is not enrolled and not allow_non_enrolled:
            skips.append(PlannedSkip(no, student.name, not_enrolled[student.status]))
        elif is_open:
            # from 注销: the cancelled card rides along (a backend allowing one card record
            # per student re-opens it); from 未开通 there is none
            writes.append(PlannedWrite(no, student.name, action, from_status,
                                       card.card_id if card else "",
                                       card.revision if card else "", student.record_id))
        else:
            assert card is not None  # every non-open write starts from an existing card
            writes.append(
                PlannedWrite(no, student.name, action, from_status, card.card_id, card.revision,
                             student.record_id)
            )
    return plan


def plan_for_ids(
    action: Action,
    student_nos: Iterable[str],
    rows_by_no: Mapping[str, StudentRow],
    *,
    allow_non_enrolled: bool = False,
) -> Plan:
    """Plan over 学号 given as text (CLI, files): unknown numbers become skips, not errors."""
    known: list[StudentRow] = []
    unknown: list[PlannedSkip] = []
    seen_unknown: set[str] = set()
    for raw in student_nos:
        no = raw.strip()
        if not no:
            continue
        row = rows_by_no.get(no)
        if row is None:
            reason = SkipReason.DUPLICATE if no in seen_unknown else SkipReason.UNKNOWN_STUDENT
            seen_unknown.add(no)
            unknown.append(PlannedSkip(no, "", Skipped(reason)))
        else:
            known.append(row)
    plan = plan_action(action, known, allow_non_enrolled=allow_non_enrolled)
    plan.skips.extend(unknown)
    return plan
