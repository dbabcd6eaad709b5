"""The field map found by label (config.field_discovery), which the profile dialog's 读取字段
and ``campuscard-cli profiles add`` share: no Qt, the same picks."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from campuscard_gui.backends import field_forms
from campuscard_gui.config.field_discovery import (
    FieldsNotFound,
    discover_field_map,
    guess_field,
    read_fields,
)
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.core.errors import CampusCardError
from campuscard_gui.core.model import CardStatus


@dataclass(frozen=True)
class F:
    name: str
    label: str
    type: str = "text"
    options: tuple[str, ...] = ()


STUDENTS = [F("_w1", "学 号"), F("_w2", "姓名"), F("_w3", "学院"), F("_w4", "班级"),
            F("_w5", "学籍状态", "radio", ("在读", "休学"))]
CARDS = [F("_w6", "学号"), F("_w7", "开卡时间"), F("_w8", "余额"), F("_w9", "卡状态")]


def test_every_key_found_by_label():
    fm = discover_field_map(STUDENTS, CARDS)
    assert [getattr(fm, k) for k in ("student_no", "name", "college", "class_name",
                                     "student_status")] == ["_w1", "_w2", "_w3", "_w4", "_w5"]
    # the cards: 学号 is a hint for the card's student, 卡状态 for the status
    assert (fm.card_student, fm.card_open_time, fm.card_amount, fm.card_status) == (
        "_w6", "_w7", "_w8", "_w9")


def test_given_fields_win_and_the_option_labels_are_kept():
    base = FieldMap()
    base.card_status_labels[CardStatus.FROZEN] = "停用"
    fm = discover_field_map(STUDENTS, CARDS, {"name": "_w3", "card_amount": "money"},
                            base=base)
    assert (fm.name, fm.card_amount, fm.college) == ("_w3", "money", "_w3")
    assert fm.card_status_labels[CardStatus.FROZEN] == "停用"
    assert base.card_amount == "amount"  # the base itself is not changed


def test_the_default_name_is_the_last_resort():
    cards = [F("studentInfo", "Student"), F("openTime", "Opened"), F("amount", "Balance"),
             F("status", "Status")]
    fm = discover_field_map(STUDENTS, cards)
    assert fm.card_fields() == FieldMap().card_fields()
    assert guess_field("card_status", cards, saved="openTime") == "openTime"  # a saved pick


def test_a_key_not_found_names_the_labels_looked_for_and_seen():
    cards = [F("_w6", "学号"), F("_w7", "备注")]
    with pytest.raises(FieldsNotFound) as caught:
        discover_field_map(STUDENTS, cards, {"card_amount": "_w7"})
    err = caught.value
    assert [m.key for m in err.missing] == ["card_open_time", "card_status"]
    assert err.code == "field"
    assert "一卡通表单中按标签找不到这些字段" in err.message
    assert "card_open_time（标签“开通时间”或“开卡时间”）" in err.message
    assert "card_status（标签“状态”或“卡状态”或“一卡通状态”）" in err.message
    assert "学号（_w6）、备注（_w7）" in err.message
    assert "card_amount" not in err.message  # given with --map


def test_which_kinds_list_their_fields():
    assert field_forms("jiandaoyun", {"students_entry": "s", "cards_entry": "c"}) == ("s", "c")
    assert field_forms("kintone", {"students_app": "12", "cards_app": "13"}) == ("12", "13")
    for kind in ("shenbi", "ipaas", "local"):
        assert field_forms(kind, {}) is None
    with pytest.raises(CampusCardError):
        read_fields(None, ("s", "c"))


def test_no_qt_below_the_ui():
    code = ("import sys, campuscard_gui.config.field_discovery, campuscard_gui.cli.profiles; "
            "sys.exit('PySide6' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
