"""The reads around each send that keep "one selection, one outcome per student, never two
cards" true for a card center's team (design.md §5).

A plan is only a proposal: the table may be hours old, a job may be resumed a day later, and
another operator may act on the same students from another PC at the same moment. Around each
chunk the runner asks this module:

- **before sending** (backends without conditional writes or without one card per student):
  the chunk's current cards are read and the chunk re-planned; a record whose card someone
  else changed is ``Skipped(CHANGED_BY_OTHER)`` with the card's state now, and nothing is
  written over it;
- **after sending**: what the backend answered is verified by reading it back. After an open
  on a backend that allows several cards per student, every card record of the students is
  read and the duplicates a concurrent writer made are removed by the one rule of
  ``core.cards`` (the earliest live card survives); a student whose surviving card is not ours
  is ``Skipped(OPENED_BY_OTHER)``. A record the read-back cannot show is ``Failed
  ("unverified")``, never 成功. The first chunk of a job is verified on every backend: a field
  map that writes cards without a student link or a status stops the job there;
- **reconciling** a chunk that may have been applied (an unanswered send, a crash): the same
  reads decide what was applied; only the rest is sent again.

Reads (and duplicate removals) go through ``retrying``, the runner's retry loop; one that
still fails raises a ConnectorError, and the chunk stays ``sent`` to be resumed — an outcome
is never guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from ..connectors.base import CardHistory, Connector
from ..core.cards import LIVE, duplicates, survivor
from ..core.errors import ConnectorError
from ..core.model import Action, Card, CardStatus
from ..core.outcomes import Failed, Outcome, Skipped, SkipReason, Succeeded
from ..core.text import _
from .jobs import PendingWrite

logger = logging.getLogger(__name__)

T = TypeVar("T")
Retrying = Callable[[Callable[[], T]], T]

UNVERIFIED = "unverified"
FIELD_MAP = "field_map"


class SendChecks:
    """The fresh-state, verification and convergence reads for one connector."""

    def __init__(self, connector: Connector, retrying: Retrying[object]) -> None:
        self._connector = connector
        self._retrying = retrying
        cons = connector.consistency
        self._unique = cons.one_card_per_student
        self._conditional = cons.conditional_updates
        self._resolution = max(0, int(cons.open_time_resolution_ms))
        self._history: CardHistory | None = connector.card_history()
        if not self._unique and self._history is None:
            raise TypeError(f"connector {connector.kind} allows several cards per student"
                            " but cannot read them all (CardHistory)")

    def _guarded(self, action: Action) -> bool:
        """Whether the backend itself refuses a write the current state no longer allows."""
        return self._unique if action is Action.OPEN else self._conditional

    # -- reads --------------------------------------------------------------------------------

    def _current(self, student_nos: list[str]) -> dict[str, Card]:
        found = self._retrying(lambda: self._connector.read_cards(student_nos))
        assert isinstance(found, dict)
        return found

    def converge(self, student_nos: list[str]) -> dict[str, Card]:
        """Read every card record of the students, remove the live ones that are not the
        survivor, and return each student's surviving (live) card."""
        history = self._history
        assert history is not None
        records = self._retrying(lambda: history.read_card_records(student_nos))
        assert isinstance(records, dict)
        extra = [c for no in student_nos for c in duplicates(records.get(no, []))]
        if extra:
            results = self._retrying(lambda: history.remove_cards(extra))
            assert isinstance(results, list)
            left = [(c, r) for c, r in zip(extra, results, strict=True)
                    if not isinstance(r, Succeeded)]
            if left:
                card, result = left[0]
                why = result.message if isinstance(result, Failed) else _("未能删除")
                raise ConnectorError(
                    _("学号 {student_no} 同时有多张有效卡，多余的卡记录 {card_id} 未能删除（{why}"
                      "）。任务保持未完成，可稍后继续。").format(
                        student_no=card.student_no, card_id=card.card_id, why=why),
                    code="duplicate_left")
            logger.warning("并发开卡：保留每名学生最早的有效卡，已删除多余的卡记录 %s",
                           ", ".join(f"{c.student_no}:{c.card_id}" for c in extra))
        kept: dict[str, Card] = {}
        for no in student_nos:
            kept_card = survivor(records.get(no, []))
            if kept_card is not None:
                kept[no] = kept_card
        return kept

    # -- before sending -----------------------------------------------------------------------

    def needs_fresh_state(self, action: Action) -> bool:
        return not self._guarded(action)

    def fresh_state(self, action: Action, todo: Sequence[PendingWrite]) -> dict[int, Outcome]:
        """The records whose card someone else changed since the plan, as skips."""
        cards = self._current([w.student_no for w in todo])
        found: dict[int, Outcome] = {}
        for w in todo:
            now = changed(action, w, cards.get(w.student_no))
            if now is not None:
                found[w.position] = Skipped(SkipReason.CHANGED_BY_OTHER, now.value)
        return found

    # -- reconciling --------------------------------------------------------------------------

    def reconcile(self, action: Action, todo: Sequence[PendingWrite],
                  open_ms: int | None = None) -> dict[int, Outcome]:
        """The records whose write is already applied, as Succeeded (read back now); for an
        open, a live card whose open time is not the chunk's ``open_ms`` is someone else's,
        ``Skipped(OPENED_BY_OTHER)`` (where the backend keeps open times exactly enough)."""
        if not todo:
            return {}
        nos = [w.student_no for w in todo]
        if action is Action.OPEN and not self._unique:
            cards = self.converge(nos)
        else:
            cards = self._current(nos)
        found: dict[int, Outcome] = {}
        for w in todo:
            card = cards.get(w.student_no)
            if card is None or not applied(action, w, card):
                continue
            if action is Action.OPEN and not self._ours(card, open_ms):
                found[w.position] = Skipped(SkipReason.OPENED_BY_OTHER, card.card_id)
            else:
                found[w.position] = Succeeded(card.card_id)
        return found

    def _ours(self, card: Card, open_ms: int | None) -> bool:
        """Whether a live card found for a chunk of opens can be the chunk's own write."""
        res = self._resolution
        if res <= 0 or open_ms is None or card.open_time is None:
            return True  # cannot tell: one card either way, counted as the job's
        if card.open_time % res:  # kept finer than the backend promises: compare exactly
            return card.open_time == open_ms
        return card.open_time // res == open_ms // res

    # -- after sending ------------------------------------------------------------------------

    def needs_verify(self, action: Action) -> bool:
        return not self._guarded(action)

    def verify(self, action: Action, claimed: Mapping[int, tuple[PendingWrite, Succeeded]],
               *, first: bool = False) -> dict[int, Outcome]:
        """Outcomes for the records the backend said it wrote, from what a read-back shows.

        ``first``: the job's first chunk — a read that fails on the written cards' status label
        (a field map pointing at the wrong field) is a ``field_map`` failure of these records
        instead of leaving the chunk unfinished.
        """
        if not claimed:
            return {}
        nos = [w.student_no for w, _r in claimed.values()]
        try:
            if action is Action.OPEN:
                return self._verify_open(claimed, nos)
            return self._verify_updates(action, claimed, nos)
        except ConnectorError as exc:
            if not first or exc.code != "label":
                raise
            return {pos: Failed(FIELD_MAP, exc.message) for pos in claimed}

    def _verify_open(self, claimed: Mapping[int, tuple[PendingWrite, Succeeded]],
                     nos: list[str]) -> dict[int, Outcome]:
        if self._unique:
            kept = {no: c for no, c in self._current(nos).items() if c.status in LIVE}
        else:
            kept = self.converge(nos)
        out: dict[int, Outcome] = {}
        for pos, (w, said) in claimed.items():
            card = kept.get(w.student_no)
            if card is None:
                out[pos] = Failed(UNVERIFIED, _("后端确认了写入，但回读时该学生没有有效的卡记录："
                                  "写入未生效，或卡记录没有关联到学生（请检查字段对应）"))
            elif not said.card_id or card.card_id == said.card_id:
                out[pos] = Succeeded(card.card_id)
            else:
                out[pos] = Skipped(SkipReason.OPENED_BY_OTHER, card.card_id)
        return out

    def _verify_updates(self, action: Action,
                        claimed: Mapping[int, tuple[PendingWrite, Succeeded]],
                        nos: list[str]) -> dict[int, Outcome]:
        cards = self._current(nos)
        target = action.target
        out: dict[int, Outcome] = {}
        for pos, (w, _said) in claimed.items():
            card = cards.get(w.student_no)
            if card is not None and card.card_id == w.card_id and card.status is target:
                out[pos] = Succeeded(card.card_id)
            else:
                now = card.status.value if card is not None else CardStatus.NONE.value
                if card is not None and card.card_id != w.card_id:
                    now = _("{now}，卡记录 {card_id}").format(now=now, card_id=card.card_id)
                out[pos] = Failed(UNVERIFIED, _("写入后回读，卡状态为“{now}”而不是“{value}”：可能"
                                                "同时被他人修改，请刷新后核对").format(
                    now=now, value=target.value))
        return out


def changed(action: Action, write: PendingWrite, card: Card | None) -> CardStatus | None:
    """The card's state now when it no longer allows ``write`` (someone else acted), else
    None."""
    if action is Action.OPEN:
        return card.status if card is not None and card.status in LIVE else None
    if card is None:
        return CardStatus.NONE
    if card.card_id != write.card_id or card.status is not write.from_status:
        return card.status
    return None


def applied(action: Action, write: PendingWrite, card: Card) -> bool:
    """Whether ``card`` (read back now) shows that ``write`` has been applied."""
    if action is Action.OPEN:
        # The plan saw no live card (未开通 or 注销); a live one now means it was opened —
        # a new record, or (kintone, one record per student) the cancelled one re-opened.
        return card.status in LIVE
    return card.card_id == write.card_id and card.status is action.target


def is_broken_first_chunk(outcomes: Sequence[Outcome]) -> bool:
    """Whether a job's first chunk shows a broken field map: it wrote, and not one of its
    writes could be read back (or read at all)."""
    written = [o for o in outcomes if isinstance(o, Succeeded | Failed)]
    return bool(written) and all(
        isinstance(o, Failed) and o.code in (UNVERIFIED, FIELD_MAP) for o in written)
