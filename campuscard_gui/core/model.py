"""Domain values: students, cards, their states and the four card actions.

Pure data: no I/O, no Qt. The enum values are the canonical Chinese labels; backends map their
own option labels onto these through the profile's field map.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .text import C_, NC_


class StudentStatus(StrEnum):
    """学籍状态. The value is stored and compared as it is; ``label`` is what is said."""

    ENROLLED = "在读"  # text: data (stored and sent as it is)
    SUSPENDED = "休学"  # text: data (stored and sent as it is)
    WITHDRAWN = "退学"  # text: data (stored and sent as it is)
    GRADUATED = "毕业"  # text: data (stored and sent as it is)


class CardStatus(StrEnum):
    """一卡通状态. ``NONE`` means there is no card record for the student. The value is stored
    and compared as it is; ``label`` is what is said."""

    NONE = "未开通"  # text: data (stored and sent as it is)
    ACTIVE = "正常"  # text: data (stored and sent as it is)
    FROZEN = "冻结"  # text: data (stored and sent as it is)
    CANCELLED = "注销"  # text: data (stored and sent as it is)


class Action(StrEnum):
    """The four card actions. The value is the CLI verb and the journal's stored name."""

    OPEN = "open"
    FREEZE = "freeze"
    UNFREEZE = "unfreeze"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        """The label in the installed language (the window has its own table)."""
        return C_("action", _ACTION_LABELS[self])

    @property
    def target(self) -> CardStatus:
        """The card status a successful write leaves behind."""
        return _ACTION_TARGETS[self]

    @property
    def irreversible(self) -> bool:
        return self is Action.CANCEL


_ACTION_LABELS = {
    Action.OPEN: NC_("action", "开通一卡通"),
    Action.FREEZE: NC_("action", "冻结"),
    Action.UNFREEZE: NC_("action", "解冻"),
    Action.CANCEL: NC_("action", "注销"),
}
_STATUS_LABELS = {
    StudentStatus.ENROLLED: NC_("status", "在读"),
    StudentStatus.SUSPENDED: NC_("status", "休学"),
    StudentStatus.WITHDRAWN: NC_("status", "退学"),
    StudentStatus.GRADUATED: NC_("status", "毕业"),
    CardStatus.NONE: NC_("status", "未开通"),
    CardStatus.ACTIVE: NC_("status", "正常"),
    CardStatus.FROZEN: NC_("status", "冻结"),
    CardStatus.CANCELLED: NC_("status", "注销"),
}


def status_label(status: StudentStatus | CardStatus) -> str:
    """A student or card status as the installed language says it (在读 / Enrolled)."""
    return C_("status", _STATUS_LABELS[status])
_ACTION_TARGETS = {
    Action.OPEN: CardStatus.ACTIVE,
    Action.FREEZE: CardStatus.FROZEN,
    Action.UNFREEZE: CardStatus.ACTIVE,
    Action.CANCEL: CardStatus.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class Student:
    """A student record. ``student_no`` (学号) is the business key across every backend."""

    student_no: str
    name: str
    college: str
    class_name: str
    status: StudentStatus
    record_id: str = ""  # the backend's own id of the student record ("" when not known)


@dataclass(frozen=True, slots=True)
class Card:
    """A card record. ``card_id`` is the backend's record id, always a string."""

    card_id: str
    student_no: str
    status: CardStatus
    open_time: int | None = None  # milliseconds since the epoch, as the backends store it
    amount: Decimal = Decimal("0")
    revision: str = ""  # optimistic-lock token where the backend has one ("" otherwise)
    # When the backend created the record (ms, the server's clock; None when not known): with
    # the card id it orders a student's card records the same way for every reader.
    created: int | None = None


@dataclass(frozen=True, slots=True)
class StudentRow:
    """One line of the student table: a student joined with their card (if any)."""

    student: Student
    card: Card | None = None

    @property
    def student_no(self) -> str:
        return self.student.student_no

    @property
    def card_status(self) -> CardStatus:
        return self.card.status if self.card is not None else CardStatus.NONE
