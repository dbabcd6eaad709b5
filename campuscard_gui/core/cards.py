"""Which of a student's card records counts, when a backend lets a student have several.

简道云 and 神笔 do not refuse a second card record for a student, so two operators opening the
same student at the same moment can both create one. Every reader and every writer applies the
same rule, with no lock shared between them (design.md §5):

- the **survivor** is the earliest *live* (正常/冻结) card record, ordered by the server's
  creation time, then by the record id (numeric ids by value, others as text); the writer of
  any other live card removes it;
- the **current** card shown for a student is the survivor, or — when no card is live — the
  newest record (the student's last card, e.g. 注销).

Because the order is the server's, a card that a reader saw first can only ever be the
survivor: a writer that saw its own card alone may report it, and a later writer whose card
is not the survivor removes its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Card, CardStatus

LIVE = frozenset({CardStatus.ACTIVE, CardStatus.FROZEN})


def card_rank(card: Card) -> tuple[int, int, str]:
    """Creation order: the server's creation time where known, then the id (numbers by
    value). Never the open time: each writer sets that from its own clock, and an order that
    is not the server's could make a later card the survivor after an earlier one was
    already reported."""
    created = card.created if card.created is not None else 0
    ident = card.card_id
    # shorter first, then as text: numbers by value, and fixed-width ids (简道云's 24 hex
    # digits) in their own order whether or not they happen to be all digits
    return (created, len(ident), ident)


def survivor(cards: Iterable[Card]) -> Card | None:
    """The student's earliest live card, or None when none is live."""
    live = [c for c in cards if c.status in LIVE]
    return min(live, key=card_rank) if live else None


def current_card(cards: Iterable[Card]) -> Card | None:
    """The card that counts for the student: the survivor, else the newest record."""
    every = list(cards)
    kept = survivor(every)
    if kept is not None:
        return kept
    return max(every, key=card_rank) if every else None


def duplicates(cards: Iterable[Card]) -> list[Card]:
    """The live cards that are not the survivor (to be removed by whoever made them)."""
    every = list(cards)
    kept = survivor(every)
    return [c for c in every if c.status in LIVE and kept is not None
            and c.card_id != kept.card_id]
