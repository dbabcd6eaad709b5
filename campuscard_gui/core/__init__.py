"""Pure domain: students, cards, statuses, actions, the transition table, plans, outcomes.

Nothing here does I/O or imports Qt; everything above builds on it.
"""

from .model import Action, Card, CardStatus, Student, StudentRow, StudentStatus
from .outcomes import (
    Cancelled,
    Failed,
    Outcome,
    OutcomeKind,
    Skipped,
    SkipReason,
    Succeeded,
    outcome_reason,
)
from .plan import Plan, PlannedSkip, PlannedWrite, check_transition, plan_action, plan_for_ids

__all__ = [
    "Action", "Card", "CardStatus", "Student", "StudentRow", "StudentStatus",
    "Cancelled", "Failed", "Outcome", "OutcomeKind", "Skipped", "SkipReason", "Succeeded",
    "outcome_reason", "Plan", "PlannedSkip", "PlannedWrite", "check_transition", "plan_action",
    "plan_for_ids",
]
