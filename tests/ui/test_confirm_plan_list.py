"""The confirmation's list of students (显示学生名单: a table view over a small model, cheap for
100,000 rows), 导出计划… (the plan as CSV) and, for 注销, the total balance closed."""

from __future__ import annotations

import csv
import time
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialog, QTableView, QTableWidget

from campuscard_gui.core.model import Action, Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.confirm_dialog import ConfirmDialog, money_text, plan_balance


def rows(n: int = 10) -> list[StudentRow]:
    """0-3 no card, 4-6 正常 (balances 1000.5, 2000.25, 9345.25), 7-8 冻结, 9 注销."""
    out = []
    amounts = {4: "1000.5", 5: "2000.25", 6: "9345.25", 7: "0", 8: "-0.01", 9: "50"}
    for i in range(n):
        no = f"2024{i:04d}"
        k = i % 10
        card_status = (None if k < 4 else CardStatus.ACTIVE if k < 7
                       else CardStatus.FROZEN if k < 9 else CardStatus.CANCELLED)
        card = None if card_status is None else Card(f"C{i}", no, card_status,
                                                     amount=Decimal(amounts[k]))
        out.append(StudentRow(Student(no, f"学生{i}", "学院", "班", StudentStatus.ENROLLED),
                              card))
    return out


def make(qtbot, action: Action, selection=None, **kwargs) -> ConfirmDialog:
    d = ConfirmDialog(plan_action(action, rows() if selection is None else selection),
                      **kwargs)
    qtbot.addWidget(d)
    return d


def test_the_list_is_folded_and_shows_each_student(qtbot, qtmodeltester):
    d = make(qtbot, Action.FREEZE)  # writes 4-6, skips 0-3 (no card), 7-8, 9
    d.show()
    qtbot.waitExposed(d)
    assert isinstance(d.student_table, QTableView) and not isinstance(d.student_table,
                                                                       QTableWidget)
    assert not d.student_table.isVisible()
    assert d.list_button.text() == "Show the list of students (10)"
    qtbot.mouseClick(d.list_button, Qt.MouseButton.LeftButton)
    assert d.student_table.isVisible()
    assert d.list_button.text() == "Hide the list of students (10)"
    model = d.student_table.model()
    qtmodeltester.check(model)
    assert model.rowCount() == 10 and model.columnCount() == 5
    texts = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert texts[0] == ["20240004", "学生4", "Active", "Frozen", ""]
    assert ["20240000", "学生0", "", "(skipped)", "No card opened"] in texts
    assert ["20240007", "学生7", "", "(skipped)", "Card already frozen"] in texts
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Student No.", "Name", "Card now", "Card after", "Skipped because"]
    qtbot.mouseClick(d.list_button, Qt.MouseButton.LeftButton)
    assert not d.student_table.isVisible()


def test_enter_still_confirms_after_using_the_list(qtbot):
    d = make(qtbot, Action.FREEZE)
    d.show()
    qtbot.waitExposed(d)
    d.list_button.setFocus()
    qtbot.keyClick(d.list_button, Qt.Key.Key_Space)  # unfold with the keyboard
    assert d.student_table.isVisible()
    assert not d.list_button.autoDefault() and not d.export_button.autoDefault()
    with qtbot.waitSignal(d.accepted):
        qtbot.keyClick(d.student_table, Qt.Key.Key_Return)
    assert d.result() == QDialog.DialogCode.Accepted


def test_a_hundred_thousand_students_are_cheap(qtbot):
    many = rows(100_000)
    plan = plan_action(Action.FREEZE, many)
    start = time.perf_counter()
    d = ConfirmDialog(plan)
    qtbot.addWidget(d)
    d.show()
    d.list_button.click()
    qtbot.waitExposed(d)
    d.student_table.scrollToBottom()
    elapsed = time.perf_counter() - start
    assert d.plan_model.rowCount() == 100_000
    last = d.plan_model.index(99_999, 4).data()
    assert last  # a skip with its reason
    assert elapsed < 3.0, elapsed


def test_export_plan_writes_every_student_with_reasons(qtbot, tmp_path):
    d = make(qtbot, Action.FREEZE, target=("local", "local", "local.sqlite3"))
    path = tmp_path / "plan.csv"
    with qtbot.waitSignal(d.planExported, timeout=10_000) as exported:
        d.export_plan_to(path)
    assert exported.args == [str(path)]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    blank = lines.index([])
    meta = dict(lines[:blank])
    assert meta["Action"] == "Freeze" and meta["Written"] == "3" and meta["Skipped"] == "7"
    assert "local" in meta["Writes to"]
    header, *body = lines[blank + 1:]
    assert header == ["Student No.", "Name", "Card now", "Card after", "Skipped because"]
    assert len(body) == 10
    assert body[0] == ["20240004", "学生4", "Active", "Frozen", ""]
    assert ["20240009", "学生9", "", "(skipped)", "Card already cancelled"] in body
    # nothing was run: the dialog is still open for a decision
    assert d.result() != QDialog.DialogCode.Accepted


def test_export_plan_keeps_formulas_as_text(qtbot, tmp_path):
    evil = [StudentRow(Student("=1+1", "@SUM(A1)", "", "", StudentStatus.ENROLLED),
                       Card("C1", "=1+1", CardStatus.ACTIVE))]
    d = make(qtbot, Action.FREEZE, evil)
    path = tmp_path / "plan.csv"
    with qtbot.waitSignal(d.planExported, timeout=10_000):
        d.export_plan_to(path)
    text = path.read_text("utf-8-sig")
    assert "'=1+1" in text and "'@SUM(A1)" in text


def test_cancel_shows_the_total_balance_closed(qtbot):
    selection = rows()
    plan = plan_action(Action.CANCEL, selection)  # 4-8: 1000.5 + 2000.25 + 9345.25 + 0 - 0.01
    by_no = {r.student_no: r for r in selection}
    balance = plan_balance(plan, by_no.get)
    assert balance == Decimal("12345.99")
    d = ConfirmDialog(plan, balance=balance)
    qtbot.addWidget(d)
    assert d.balance_label is not None and d.balance_label.objectName() == "confirmBalance"
    assert d.balance_label.text() == \
        "Total balance on the cards that will be cancelled: ¥12,345.99"
    assert d.balance_label.accessibleName() == d.balance_label.text()
    # other actions never show one
    d = ConfirmDialog(plan_action(Action.FREEZE, selection), balance=balance)
    qtbot.addWidget(d)
    assert d.balance_label is None and d.findChild(object, "confirmBalance") is None


def test_money_follows_the_locale():
    assert money_text(Decimal("12345"), QLocale(QLocale.Language.English)) == "¥12,345.00"
    assert money_text(Decimal("1234567.005"), QLocale(QLocale.Language.English)) == \
        "¥1,234,567.01"
    assert money_text(Decimal("-3.1"), QLocale(QLocale.Language.English)) == "-¥3.10"
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    assert money_text(Decimal("12345.5"), german) == "¥12.345,50"


def test_balance_counts_only_the_cards_written(qtbot):
    selection = rows()
    plan = plan_action(Action.CANCEL, selection + selection[4:5])  # a duplicate is skipped
    by_no = {r.student_no: r for r in selection}
    assert plan_balance(plan, by_no.get) == Decimal("12345.99")
    assert plan_balance(plan, lambda _no: None) == Decimal("0")


def test_the_list_in_chinese(qtbot, chinese):
    d = make(qtbot, Action.CANCEL, balance=Decimal("12345"))
    assert d.list_button.text() == "显示学生名单（10）"
    assert d.export_button.text() == "导出计划(&E)…"
    assert d.balance_label is not None
    assert d.balance_label.text().startswith("注销的卡上余额合计")
    model = d.plan_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "学号", "姓名", "当前卡状态", "操作后", "跳过原因"]
