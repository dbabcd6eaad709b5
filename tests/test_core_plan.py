"""Table-driven tests of the transition table (design.md §2) and planning."""

from __future__ import annotations

import pytest

from campuscard_gui.core import (
    Action,
    CardStatus,
    Skipped,
    SkipReason,
    Student,
    StudentRow,
    StudentStatus,
    check_transition,
    plan_action,
    plan_for_ids,
)
from campuscard_gui.core.model import Card
from campuscard_gui.core.plan import TRANSITIONS

A, C, R = Action, CardStatus, SkipReason
S = StudentStatus

# (action, card status, student status) -> None (write) or the skip reason
CASES = [
    (A.OPEN, C.NONE, S.ENROLLED, None),
    (A.OPEN, C.CANCELLED, S.ENROLLED, None),
    (A.OPEN, C.ACTIVE, S.ENROLLED, R.ALREADY_OPEN),
    (A.OPEN, C.FROZEN, S.ENROLLED, R.ALREADY_OPEN),
    (A.OPEN, C.NONE, S.SUSPENDED, R.STUDENT_NOT_ENROLLED),
    (A.OPEN, C.NONE, S.WITHDRAWN, R.STUDENT_NOT_ENROLLED),
    (A.OPEN, C.NONE, S.GRADUATED, R.STUDENT_NOT_ENROLLED),
    (A.OPEN, C.ACTIVE, S.WITHDRAWN, R.ALREADY_OPEN),
    (A.FREEZE, C.ACTIVE, S.SUSPENDED, None),
    (A.FREEZE, C.ACTIVE, S.ENROLLED, None),
    (A.FREEZE, C.NONE, S.SUSPENDED, R.NOT_OPEN),
    (A.FREEZE, C.FROZEN, S.SUSPENDED, R.ALREADY_FROZEN),
    (A.FREEZE, C.CANCELLED, S.SUSPENDED, R.ALREADY_CANCELLED),
    (A.UNFREEZE, C.FROZEN, S.ENROLLED, None),
    (A.UNFREEZE, C.ACTIVE, S.ENROLLED, R.NOT_FROZEN),
    (A.UNFREEZE, C.NONE, S.ENROLLED, R.NOT_OPEN),
    (A.UNFREEZE, C.CANCELLED, S.ENROLLED, R.ALREADY_CANCELLED),
    (A.CANCEL, C.ACTIVE, S.WITHDRAWN, None),
    (A.CANCEL, C.FROZEN, S.WITHDRAWN, None),
    (A.CANCEL, C.NONE, S.WITHDRAWN, R.NOT_OPEN),
    (A.CANCEL, C.CANCELLED, S.WITHDRAWN, R.ALREADY_CANCELLED),
]


def row(no: str, card: CardStatus, status: StudentStatus = S.ENROLLED) -> StudentRow:
    student = Student(no, f"学生{no}", "计算机学院", "计科2401", status, record_id=f"r{no}")
    if card is CardStatus.NONE:
        return StudentRow(student)
    return StudentRow(student, Card(f"c{no}", no, card, 1_700_000_000_000, revision="3"))


@pytest.mark.parametrize(("action", "card", "student", "expected"), CASES)
def test_transition_table(action, card, student, expected):
    r = row("1", card, student)
    skipped = check_transition(action, r)
    assert (skipped.reason if skipped else None) is expected
    plan = plan_action(action, [r])
    if expected is None:
        assert [w.student_no for w in plan.writes] == ["1"] and plan.skips == []
        write = plan.writes[0]
        assert write.to_status is action.target and write.from_status is card
        # OPEN from 注销 carries the cancelled card (kintone re-opens it in place)
        has_card = card is not CardStatus.NONE
        assert write.card_id == ("c1" if has_card else "")
        assert write.revision == ("3" if has_card else "")
        assert write.student_record_id == "r1"
    else:
        assert plan.writes == [] and plan.skips[0].skipped.reason is expected


def test_every_pair_is_covered():
    for action in Action:
        for card in CardStatus:
            assert card in TRANSITIONS[action]


def test_open_override_allows_non_enrolled():
    r = row("1", C.NONE, S.SUSPENDED)
    assert plan_action(A.OPEN, [r], allow_non_enrolled=True).writes[0].student_no == "1"
    skipped = check_transition(A.OPEN, r)
    assert skipped == Skipped(R.STUDENT_NOT_ENROLLED, "休学")
    assert skipped.text == "学籍状态不是在读（休学）"


def test_cancel_is_irreversible_and_targets():
    assert A.CANCEL.irreversible and not A.FREEZE.irreversible
    assert [a.target for a in Action] == [C.ACTIVE, C.FROZEN, C.ACTIVE, C.CANCELLED]
    # nothing leads out of 注销 except opening a new card
    for action in (A.FREEZE, A.UNFREEZE, A.CANCEL):
        assert check_transition(action, row("1", C.CANCELLED)) is not None


def test_duplicates_in_selection_are_written_once():
    r = row("1", C.NONE)
    plan = plan_action(A.OPEN, [r, r, row("2", C.NONE)])
    assert [w.student_no for w in plan.writes] == ["1", "2"]
    assert [(s.student_no, s.skipped.reason) for s in plan.skips] == [("1", R.DUPLICATE)]
    assert plan.total == 3


def test_plan_for_ids_unknown_blank_and_duplicate():
    rows = {r.student_no: r for r in (row("1", C.ACTIVE), row("2", C.FROZEN))}
    plan = plan_for_ids(A.FREEZE, ["1", " 2 ", "", "9", "9", "1"], rows)
    assert [w.student_no for w in plan.writes] == ["1"]
    reasons = sorted((s.student_no, s.skipped.reason.value) for s in plan.skips)
    assert reasons == [("1", "duplicate"), ("2", "already_frozen"), ("9", "duplicate"),
                       ("9", "unknown_student")]


def test_skip_summary_most_frequent_first():
    rows = [row(str(i), C.ACTIVE) for i in range(3)] + [row("9", C.CANCELLED)]
    plan = plan_action(A.OPEN, rows)
    assert plan.skip_summary() == [(R.ALREADY_OPEN, 3)]
    assert [w.student_no for w in plan.writes] == ["9"]  # a cancelled card may be opened anew
    freeze = plan_action(A.FREEZE, rows + [row("8", C.NONE)])
    assert freeze.skip_summary() == [(R.ALREADY_CANCELLED, 1), (R.NOT_OPEN, 1)]


def test_planning_restores_garbage_collection():
    import gc

    assert gc.isenabled()
    plan_action(A.OPEN, [row("1", C.NONE)])
    assert gc.isenabled()
    gc.disable()
    try:
        plan_action(A.OPEN, [row("1", C.NONE)])
        assert not gc.isenabled()  # a caller's choice is left as it was
    finally:
        gc.enable()
