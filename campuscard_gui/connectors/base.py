"""The one Connector protocol every backend implements, and the values it trades in.

A connector is used from worker threads (never the GUI thread). It must be safe to call from a
thread other than the one that created it; the batch runner may call write methods from several
threads at once up to ``limits.concurrency``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..config.field_discovery import FieldLister
from ..core.model import Card, CardStatus, Student, StudentRow
from ..core.outcomes import Failed, Skipped, Succeeded

# progress(done, total_or_None) while listing
ListProgress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class Limits:
    """What a backend allows; the batch runner obeys these."""

    batch_size: int = 100  # records per write call
    requests_per_second: float = 0.0  # 0 = unlimited
    concurrency: int = 1  # write calls in flight at once


@dataclass(frozen=True, slots=True)
class Consistency:
    """What the backend itself guarantees when several writers act at once (design.md §5);
    the batch runner makes up for what it does not.

    - ``conditional_updates``: an update of a card changed since it was read is refused
      (a revision check); the connector answers ``Skipped(CHANGED_BY_OTHER)`` for it.
      Without it the runner reads each chunk's cards just before sending and re-plans.
    - ``one_card_per_student``: the backend refuses a second live card for a student.
      Without it the connector must implement :class:`CardHistory`, and after an open the
      runner reads every card record back and removes the duplicates a concurrent writer made.
    - ``settle_s``: how long after it was sent an unanswered write may still be applied (0
      when a resend cannot double it). Read from the journal's send time, across restarts.
    - ``open_time_resolution_ms``: how exactly the backend keeps the open time we write (1:
      to the millisecond; 60,000: minutes; 0: we cannot tell, e.g. a flow sets its own). A
      chunk's opens all carry one open time, kept in the journal, so when a chunk left
      unanswered is reconciled a live card with another open time is known to be someone
      else's (已由他人开通), not ours.
    """

    conditional_updates: bool = False
    one_card_per_student: bool = False
    settle_s: float = 0.0
    open_time_resolution_ms: int = 0


@dataclass(frozen=True, slots=True)
class CardCreate:
    """Create a card record for a student (开通)."""

    student_no: str
    student_record_id: str = ""
    open_time: int = 0  # ms since the epoch
    # The student's cancelled card when the plan saw one ("" when none): a backend that keeps
    # one card record per student (kintone with a unique student field) re-opens it in place.
    card_id: str = ""
    revision: str = ""


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """Change the status of an existing card record (冻结/解冻/注销)."""

    student_no: str
    card_id: str
    revision: str = ""


# Skipped: the backend showed at write time that nothing was to be done (e.g. kintone refused
# a second card for a student who has one: 已开通), and nothing was written.
RecordResult = Succeeded | Failed | Skipped


@runtime_checkable
class Connector(Protocol):
    """A backend holding students and cards."""

    kind: str
    limits: Limits
    consistency: Consistency

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        """All students joined with their card (the newest, if a student has several)."""
        ...

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        """The current card of each given student that has one (for reconciliation)."""
        ...

    def create_cards(
        self, items: Sequence[CardCreate], status: CardStatus, idempotency_key: str
    ) -> list[RecordResult]:
        """Create one card per item, in order; one result per item, in the same order.

        ``idempotency_key`` identifies the chunk: sending the same key again must not create a
        second card (the backend replays or the connector checks). Raises RetryableError,
        AmbiguousError or FatalError for failures of the whole call.
        """
        ...

    def update_cards(
        self, items: Sequence[CardUpdate], status: CardStatus, idempotency_key: str
    ) -> list[RecordResult]:
        """Set ``status`` on each card; one result per item, in order. Errors as for create."""
        ...

    def check_connection(self) -> None:
        """Raise a ConnectorError saying exactly what is wrong, or return."""
        ...

    def close(self) -> None: ...

    # -- what a backend can do beyond the above: declared, typed, never probed ---------------

    @property
    def list_warnings(self) -> Sequence[str]:
        """What the last ``list_rows`` left out, and why (the window shows it)."""
        ...

    def card_history(self) -> CardHistory | None:
        """Every card record of a student and removing duplicates, where the backend allows
        several per student (``Consistency.one_card_per_student`` false); else None."""
        ...

    def field_lister(self) -> FieldLister | None:
        """Listing a form's fields (field discovery by label), where the backend can; else
        None."""
        ...

    def local_database(self) -> LocalDatabase | None:
        """The local backend's own abilities (importing students, the demo school), else
        None."""
        ...

    def delta_listing(self) -> DeltaListing | None:
        """Bringing a kept listing up to date by reading only what changed since, where the
        backend can tell what changed (and what was deleted); else None."""
        ...


@runtime_checkable
class CardHistory(Protocol):
    """Every card record of a student, for backends that allow several (see Consistency)."""

    def read_card_records(self, student_nos: Iterable[str]) -> dict[str, list[Card]]:
        """学号 -> every card record of that student, any status, with ``Card.created`` set
        where the backend tells it; students with none are absent."""
        ...

    def remove_cards(self, cards: Sequence[Card]) -> list[RecordResult]:
        """Remove duplicate card records (``core.cards.duplicates``): deleted where the API
        allows, otherwise set to 注销. One result per card, in order: Succeeded(card_id) when
        the card is gone or no longer live (already removed by another writer included)."""
        ...


@runtime_checkable
class LocalDatabase(Protocol):
    """What the local database can do that no remote backend does."""

    def import_students(self, students: Sequence[Student]) -> Any:
        """Add or update students in one transaction; a summary of what changed."""
        ...

    def is_demo(self) -> bool:
        """Whether the database holds the generated demo school."""
        ...


@runtime_checkable
class DeltaListing(Protocol):
    """A listing kept with a *mark* (an opaque text: the backend's state when it was read)
    brought up to date by reading only the records changed since."""

    def listing_mark(self) -> str:
        """The mark of the last ``list_rows`` or ``refresh_rows`` ("" when there is none),
        to keep with its rows."""
        ...

    def refresh_rows(self, rows: Sequence[StudentRow], mark: str,
                     progress: ListProgress | None = None) -> list[StudentRow] | None:
        """``rows`` (listed when ``mark`` was taken) with what changed since; None when only
        a full listing can tell (records deleted, another source, a mark it cannot read, a
        server that ignores the filter); the log says why. ``list_warnings`` and
        ``listing_mark`` then describe the result."""
        ...


class Abilities:
    """The abilities part of :class:`Connector`, none of them: a connector inherits this and
    overrides what its backend can do (``return self``), so that what it declares is all that
    differs between backends. (``list_warnings`` is each connector's own.)"""

    def card_history(self) -> CardHistory | None:
        return None

    def field_lister(self) -> FieldLister | None:
        return None

    def local_database(self) -> LocalDatabase | None:
        return None

    def delta_listing(self) -> DeltaListing | None:
        return None
