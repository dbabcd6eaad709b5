"""ConfirmDialog: what will be written, what is skipped and why, typed count for 注销."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from campuscard_gui.core.model import Action, Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.confirm_dialog import ConfirmDialog


def rows() -> list[StudentRow]:
    """10 students: 0-3 no card, 4-6 正常, 7-8 冻结, 9 注销; 2 and 3 are 休学."""
    out = []
    for i in range(10):
        no = f"2024{i:04d}"
        status = StudentStatus.SUSPENDED if i in (2, 3) else StudentStatus.ENROLLED
        card_status = (None if i < 4 else CardStatus.ACTIVE if i < 7
                       else CardStatus.FROZEN if i < 9 else CardStatus.CANCELLED)
        card = None if card_status is None else Card(f"C{i}", no, card_status)
        out.append(StudentRow(Student(no, f"学生{i}", "学院", "班", status), card))
    return out


def dialog(qtbot, action: Action, selection: list[StudentRow] | None = None,
           guard: int = 0) -> ConfirmDialog:
    d = ConfirmDialog(plan_action(action, rows() if selection is None else selection),
                      guard=guard)
    qtbot.addWidget(d)
    return d


def test_open_counts_and_skip_reasons(qtbot):
    d = dialog(qtbot, Action.OPEN)
    # writes: 0, 1 (no card, enrolled) and 9 (注销 -> reopen); skips: 2, 3 休学; 4-8 已开通
    assert d.headline.text() == "A campus card will be opened for 3 student(s)."
    assert "Open card" in d.windowTitle()
    assert d.skip_label.text() == "7 selected student(s) will be skipped:"
    assert d.skip_rows() == [("Card already opened", 5),
                             ("Student is not enrolled (Suspended)", 2)]
    assert d.confirm_button.isEnabled()
    assert d.count_edit is None
    assert d.findChild(object, "confirmCountEdit") is None


def test_freeze_without_skips(qtbot):
    d = dialog(qtbot, Action.FREEZE, rows()[4:7])
    assert d.headline.text() == "The card of 3 student(s) will be frozen."
    assert d.skip_label.text() == "No selected student is skipped."
    assert d.skip_table.isHidden()
    with qtbot.waitSignal(d.accepted):
        qtbot.mouseClick(d.confirm_button, Qt.MouseButton.LeftButton)
    assert d.result() == QDialog.DialogCode.Accepted


def test_cancel_needs_typed_count(qtbot):
    d = dialog(qtbot, Action.CANCEL)
    assert d.headline.text() == "The card of 5 student(s) will be cancelled."
    edit = d.findChild(object, "confirmCountEdit")
    assert edit is d.count_edit and edit is not None
    assert edit.accessibleName()
    assert not d.confirm_button.isEnabled()
    qtbot.keyClicks(edit, "4")
    assert not d.confirm_button.isEnabled()
    d.accept()  # Enter in the field must not get past the gate
    assert d.result() != QDialog.DialogCode.Accepted
    edit.clear()
    qtbot.keyClicks(edit, "5")
    assert d.confirm_button.isEnabled()
    qtbot.keyClicks(edit, "0")  # 50
    assert not d.confirm_button.isEnabled()
    edit.setText(" 5 ")
    assert d.confirm_button.isEnabled()
    with qtbot.waitSignal(d.accepted):
        qtbot.mouseClick(d.confirm_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("action", list(Action))
def test_nothing_to_write(qtbot, action):
    only_cancelled = [r for r in rows() if r.card_status is CardStatus.CANCELLED]
    selection = rows()[4:7] if action is Action.OPEN else only_cancelled
    if action is Action.UNFREEZE:
        selection = rows()[4:7]  # 正常: not frozen
    d = dialog(qtbot, action, selection)
    assert d.headline.text().startswith("Nothing will be written")
    assert not d.confirm_button.isEnabled()
    assert d.count_edit is None
    assert d.skip_table.rowCount() == 1


def test_cancel_button_rejects(qtbot):
    d = dialog(qtbot, Action.FREEZE)
    assert d.cancel_button.objectName() == "confirmCancelButton"
    assert d.confirm_button.isDefault() and not d.cancel_button.isDefault()
    assert not d.cancel_button.autoDefault()  # Enter never lands on 取消
    with qtbot.waitSignal(d.rejected):
        qtbot.mouseClick(d.cancel_button, Qt.MouseButton.LeftButton)


def _shown(qtbot, d: ConfirmDialog) -> None:
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()


def test_enter_confirms_a_valid_dialog(qtbot):
    d = dialog(qtbot, Action.FREEZE)
    _shown(qtbot, d)
    with qtbot.waitSignal(d.accepted):
        qtbot.keyClick(d, Qt.Key.Key_Return)
    assert d.result() == QDialog.DialogCode.Accepted


def test_enter_after_typing_the_cancel_count_confirms(qtbot):
    """The bug: typing the 注销 count and pressing Enter closed the dialog and ran nothing."""
    d = dialog(qtbot, Action.CANCEL)
    _shown(qtbot, d)
    edit = d.count_edit
    assert edit is not None
    edit.setFocus()
    rejected: list[bool] = []
    d.rejected.connect(lambda: rejected.append(True))
    qtbot.keyClicks(edit, "4")
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # wrong count: nothing happens, still open
    assert d.isVisible() and not rejected and d.result() != QDialog.DialogCode.Accepted
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, "5")
    with qtbot.waitSignal(d.accepted):
        qtbot.keyClick(edit, Qt.Key.Key_Enter)
    assert not rejected


def test_escape_still_cancels(qtbot):
    d = dialog(qtbot, Action.CANCEL)
    _shown(qtbot, d)
    with qtbot.waitSignal(d.rejected):
        qtbot.keyClick(d, Qt.Key.Key_Escape)


@pytest.mark.parametrize(("guard", "asks"), [(0, False), (4, False), (3, True), (1, True)])
def test_mass_write_guard_asks_for_the_count(qtbot, guard, asks):
    d = dialog(qtbot, Action.FREEZE, guard=guard)  # 3 writes
    assert (d.count_edit is not None) is asks
    assert d.confirm_button.isEnabled() is not asks
    if asks:
        assert d.count_edit is not None
        assert "3 records" in d.findChild(object, "confirmWarning").text()
        qtbot.keyClicks(d.count_edit, "3")
        assert d.confirm_button.isEnabled()


def test_guard_counts_take_group_separators(qtbot):
    from campuscard_gui.ui.jobs.confirm_dialog import typed_count

    assert typed_count("72,230") == 72230 and typed_count(" 72 230 ") == 72230
    assert typed_count("72230") == 72230
    assert typed_count("7a") is None and typed_count("") is None and typed_count("٣") is None


def test_duplicates_and_unknown_in_skip_table(qtbot):
    sel = rows()[4:6] + rows()[4:5]
    d = dialog(qtbot, Action.FREEZE, sel)
    assert d.skip_rows() == [("Duplicate student number", 1)]
    assert d.confirm_button.objectName() == "confirmButton"
    assert d.confirm_button.accessibleName()


# -- where the job writes -------------------------------------------------------------------


@pytest.mark.parametrize("kind, options, address", [
    ("jiandaoyun", {}, "api.jiandaoyun.com"),
    ("jiandaoyun", {"base_url": "https://jdy.example.edu.cn:8443/api"}, "jdy.example.edu.cn"),
    ("kintone", {"base_url": "https://school.cybozu.com"}, "school.cybozu.com"),
    ("shenbi", {"base_url": "https://openapi.shenbi.example/v1"}, "openapi.shenbi.example"),
    ("ipaas", {"gateway_url": "https://gw.example.edu.cn/route", "read_profile": "sb"},
     "gw.example.edu.cn"),
    ("local", {}, "prod.sqlite3"),
    ("local", {"database": "shared/cards.sqlite3"}, "cards.sqlite3"),
])
def test_profile_target_names_kind_and_address(paths, kind, options, address):
    from campuscard_gui.config import Profile
    from campuscard_gui.ui.jobs.confirm_dialog import Target, profile_target

    if kind == "local" and not options:
        assert paths.local_db_path("prod").name == address
    assert profile_target(Profile("prod", kind, options), paths) == Target(kind, "prod", address)


def _target_dialog(qtbot, target) -> ConfirmDialog:
    d = ConfirmDialog(plan_action(Action.FREEZE, rows()[4:7]), target=target)
    qtbot.addWidget(d)
    return d


def test_confirmation_names_the_profile_it_writes_to(qtbot):
    from campuscard_gui.ui.jobs.confirm_dialog import Target

    d = _target_dialog(qtbot, Target("jiandaoyun", "生产", "api.jiandaoyun.com"))
    assert d.target_label.text() == "Writes to: Jiandaoyun · 生产 (api.jiandaoyun.com)"
    assert d.target_label.isVisibleTo(d) and d.target_label.accessibleName()
    d = _target_dialog(qtbot, Target("local", "local", "local.sqlite3"))
    assert d.target_label.text() == "Writes to: Local database · local (local.sqlite3)"
    d = _target_dialog(qtbot, Target("", "%3 odd", ""))  # profiles unreadable: the name
    assert d.target_label.text() == "Writes to: %3 odd"


def test_confirmation_target_in_chinese(qtbot, chinese):
    from campuscard_gui.ui.jobs.confirm_dialog import Target

    d = _target_dialog(qtbot, Target("jiandaoyun", "生产", "api.jiandaoyun.com"))
    assert d.target_label.text() == "写入：简道云 · 生产 (api.jiandaoyun.com)"
    d = _target_dialog(qtbot, Target("ipaas", "路由", "gw.example.edu.cn"))
    assert d.target_label.text() == "写入：iPaaS 集成流 · 路由 (gw.example.edu.cn)"
