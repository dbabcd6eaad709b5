"""The survivor rule every reader and writer applies (core/cards.py)."""

from __future__ import annotations

from campuscard_gui.core.cards import current_card, duplicates, survivor
from campuscard_gui.core.model import Card, CardStatus

A, F, C = CardStatus.ACTIVE, CardStatus.FROZEN, CardStatus.CANCELLED


def card(ident: str, status: CardStatus = A, created: int | None = None,
         opened: int | None = None) -> Card:
    return Card(ident, "S1", status, opened, created=created)


def test_the_earliest_live_card_survives_by_server_time_then_id() -> None:
    cards = [card("9", created=200), card("10", F, created=100), card("11", created=100)]
    assert survivor(cards).card_id == "10"
    assert [c.card_id for c in duplicates(cards)] == ["9", "11"]


def test_numeric_ids_by_value_and_hex_ids_by_their_own_order() -> None:
    assert survivor([card("1000"), card("999")]).card_id == "999"
    hexes = [card("66c3e8a0000000000000000a"), card("66c3e8a0000000000000000b"),
             card("666666666666666666666666")]  # all digits: still ordered as its peers
    assert survivor(hexes).card_id == "666666666666666666666666"


def test_the_open_time_a_writer_chose_never_decides() -> None:
    later_server, earlier_server = card("2", opened=1), card("1", opened=999)
    assert survivor([later_server, earlier_server]).card_id == "1"


def test_current_is_the_survivor_else_the_newest_record() -> None:
    assert current_card([card("1", C), card("2", A), card("3", C)]).card_id == "2"
    assert current_card([card("1", C), card("3", C)]).card_id == "3"
    assert current_card([]) is None and survivor([card("1", C)]) is None
    assert duplicates([card("1", C), card("2")]) == []
