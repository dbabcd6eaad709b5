"""StudentTableModel: Python-side filtering and sorting, in-place card updates, and the
selection following its rows through sorts and filters."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from campuscard_gui.core.demo import generate_school
from campuscard_gui.core.model import Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.ui.students.student_model import (
    COL_AMOUNT,
    COL_CARD_STATUS,
    COL_NAME,
    COL_OPEN_TIME,
    COL_STUDENT_NO,
    COLUMN_COUNT,
    ROW_ROLE,
    StudentTableModel,
    format_open_time,
)

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


@pytest.fixture
def rows() -> list[StudentRow]:
    return generate_school(300, seed=7).rows()


@pytest.fixture
def model(qapp, rows) -> StudentTableModel:
    m = StudentTableModel()
    m.set_rows(rows)
    return m


def visible(m: StudentTableModel) -> list[StudentRow]:
    return [m.index(r, 0).data(ROW_ROLE) for r in range(m.rowCount())]


def test_model_tester_through_filters_and_sorts(qtmodeltester, rows):
    m = StudentTableModel()
    qtmodeltester.check(m)
    m.set_rows(rows)
    qtmodeltester.check(m)
    m.sort(COL_NAME, DESC)
    m.set_filter("计", {StudentStatus.ENROLLED}, {CardStatus.ACTIVE, CardStatus.NONE})
    m.sort(COL_OPEN_TIME, ASC)
    m.set_filter("")
    m.update_cards({rows[0].student_no: Card("X1", rows[0].student_no, CardStatus.FROZEN, 5)})
    m.set_filter("no such text at all")
    m.sort(-1)
    m.set_filter("", set(), set())
    qtmodeltester.check(m)


def test_columns_and_display(qapp):
    card = Card("C1", "20240001", CardStatus.ACTIVE, 1_700_000_000_000, Decimal("12.5"))
    student = Student("20240001", "张三", "理学院", "数学2401", StudentStatus.ENROLLED)
    row = StudentRow(student, card)
    bare = StudentRow(Student("20240002", "李四", "理学院", "数学2401", StudentStatus.SUSPENDED))
    m = StudentTableModel()
    m.set_rows([row, bare])
    assert m.columnCount() == COLUMN_COUNT == 9
    cells = [m.index(0, c).data() for c in range(COLUMN_COUNT)]
    assert cells[:4] == ["20240001", "张三", "理学院", "数学2401"]
    assert cells[4] == "Enrolled" and cells[5] == "Active"
    assert cells[6] == format_open_time(1_700_000_000_000) and len(cells[6]) == 16
    assert cells[7] == "12.50"
    assert cells[8] == "C1" and m.index(0, 8).data(Qt.ItemDataRole.ToolTipRole) == "C1"
    assert [m.index(1, c).data() for c in (5, 6, 7, 8)] == ["Not opened", "", "", ""]
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(COLUMN_COUNT)]
    assert headers[0] == "Student No." and headers[7] == "Balance" and headers[8] == "Card ID"
    assert m.index(0, 0).data(ROW_ROLE) is row


def test_search_is_case_insensitive_over_no_name_class(qapp):
    rows = [
        StudentRow(Student("A100", "Alice", "C", "Math-01", StudentStatus.ENROLLED)),
        StudentRow(Student("B200", "bob", "ALICE college", "Phys-02", StudentStatus.ENROLLED)),
        StudentRow(Student("C300", "Carol", "C", "MATH-03", StudentStatus.ENROLLED)),
    ]
    m = StudentTableModel()
    m.set_rows(rows)
    m.set_filter("alice")  # college is not searched
    assert [r.student_no for r in visible(m)] == ["A100"]
    m.set_filter("math")
    assert [r.student_no for r in visible(m)] == ["A100", "C300"]
    m.set_filter(" b2 ")
    assert [r.student_no for r in visible(m)] == ["B200"]
    m.set_filter("")
    assert m.rowCount() == 3 and m.visible_count == 3 and m.total_count == 3


def test_status_filters_and_search_combine(model, rows):
    model.set_filter("", {StudentStatus.WITHDRAWN}, {CardStatus.ACTIVE, CardStatus.FROZEN})
    expected = [r for r in rows if r.student.status is StudentStatus.WITHDRAWN
                and r.card_status in (CardStatus.ACTIVE, CardStatus.FROZEN)]
    assert expected and visible(model) == expected
    model.set_filter(card_statuses=set())
    assert visible(model) == [r for r in rows if r.student.status is StudentStatus.WITHDRAWN]
    model.set_filter("2024", student_statuses=set())
    assert visible(model) == [r for r in rows if "2024" in r.student_no]


@pytest.mark.parametrize("column", range(COLUMN_COUNT))
def test_sort_every_column_is_stable(model, rows, column):
    model.set_filter("", {StudentStatus.ENROLLED}, set())
    base = [r for r in rows if r.student.status is StudentStatus.ENROLLED]

    def key(r: StudentRow):
        c = r.card
        return [
            r.student_no, r.student.name, r.student.college, r.student.class_name,
            list(StudentStatus).index(r.student.status), list(CardStatus).index(r.card_status),
            -1 if c is None or c.open_time is None else c.open_time,
            -1.0 if c is None else float(c.amount),
            "" if c is None else c.card_id,
        ][column]

    model.sort(column, ASC)
    assert visible(model) == sorted(base, key=key)
    model.sort(column, DESC)
    assert visible(model) == sorted(base, key=key, reverse=True)  # stable too
    model.sort(-1)
    assert visible(model) == base


def test_student_no_sorts_as_string(qapp):
    rows = [StudentRow(Student(no, no, "", "", StudentStatus.ENROLLED))
            for no in ("9", "10", "100")]
    m = StudentTableModel()
    m.set_rows(rows)
    m.sort(COL_STUDENT_NO, ASC)
    assert [r.student_no for r in visible(m)] == ["10", "100", "9"]


def test_update_cards_in_place_emits_data_changed_only(qtbot, model, rows):
    model.sort(COL_NAME, ASC)
    target = [r for r in rows if r.card_status is CardStatus.ACTIVE][:3]
    changed = {
        r.student_no: replace(r.card, status=CardStatus.FROZEN) for r in target if r.card
    }
    changed["nobody"] = Card("Z", "nobody", CardStatus.ACTIVE)
    before = visible(model)
    resets, layouts, data_changed = [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.layoutChanged.connect(lambda *a: layouts.append(1))
    model.dataChanged.connect(lambda tl, br, roles=(): data_changed.append((tl.row(), br.row())))
    assert model.update_cards(changed) == 3
    assert resets == [] and layouts == []
    positions = sorted(before.index(r) for r in target)
    # one signal over the shown rows (the view repaints what it shows of it): thousands of
    # scattered ranges cost a second at 100,000 rows
    assert len(data_changed) == 1
    covered = {p for tl, br in data_changed for p in range(tl, br + 1)}
    assert covered >= set(positions)
    after = visible(model)
    assert [r.student_no for r in after] == [r.student_no for r in before]
    for p in positions:
        assert model.index(p, COL_CARD_STATUS).data() == "Frozen"
        assert after[p].card_status is CardStatus.FROZEN
    # The cached card-status order is rebuilt from the new state.
    model.set_filter("", set(), {CardStatus.FROZEN})
    assert {r.student_no for r in target} <= {r.student_no for r in visible(model)}
    # Unchanged cards are no change at all.
    assert model.update_cards({target[0].student_no: changed[target[0].student_no]}) == 0


def test_cards_prepared_off_the_gui_thread_are_dropped_when_the_rows_were_replaced(
        model, rows):
    import threading

    target = next(r for r in rows if r.card_status is CardStatus.ACTIVE)
    assert target.card is not None
    changed = {target.student_no: replace(target.card, status=CardStatus.FROZEN)}
    made = []
    worker = threading.Thread(target=lambda: made.append(model.prepare_cards(changed)))
    worker.start()
    worker.join()
    model.set_rows(rows)  # a reload came in between: its rows are the newer truth
    assert model.apply_cards(made[0]) == 0
    assert model.apply_cards(model.prepare_cards(changed)) == 1


def test_update_cards_opens_card_for_row_without_one(model, rows):
    r = next(r for r in rows if r.card is None)
    model.update_cards({r.student_no: Card("NEW", r.student_no, CardStatus.ACTIVE, 0, Decimal(0))})
    p = visible(model).index(model.row_for(r.student_no))
    assert model.index(p, COL_CARD_STATUS).data() == "Active"
    assert model.index(p, COL_AMOUNT).data() == "0.00"
    assert model.row_for(r.student_no).card.card_id == "NEW"


def selected_rows(view: QTableView) -> set[str]:
    return {i.data(ROW_ROLE).student_no for i in view.selectionModel().selectedRows()}


def test_selection_follows_rows_through_sort_and_filter(qtbot, model, rows):
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    sm = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in (3, 10, 11, 200):
        sm.select(model.index(r, 0), flags)
    picked = selected_rows(view)
    assert len(picked) == 4
    model.sort(COL_NAME, DESC)
    assert selected_rows(view) == picked
    model.sort(COL_OPEN_TIME, ASC)
    assert selected_rows(view) == picked
    # A filter drops hidden rows from the selection, never selects others.
    keep = sorted(picked)[0]
    model.set_filter(keep)
    assert selected_rows(view) == {keep}


def test_rows_in_ranges_merges_overlaps(model):
    got = model.rows_in_ranges([(5, 9), (0, 2), (8, 12), (3, 3), (290, 400)])
    vis = visible(model)
    assert got == vis[0:4] + vis[5:13] + vis[290:300]


def test_select_all_range_and_sort_keep_everything_selected(qtbot, model):
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_filter("", {StudentStatus.ENROLLED}, set())
    n = model.rowCount()
    sel = QItemSelection(model.index(0, 0), model.index(n - 1, COLUMN_COUNT - 1))
    view.selectionModel().select(
        sel, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    model.sort(COL_NAME, ASC)
    assert len(selected_rows(view)) == n


def view_selected(view) -> set[str]:
    return {r.student_no for r in view.selected_rows()}


def test_student_view_carries_selection_through_sort_and_filter(qtbot, model, rows):
    from campuscard_gui.ui.students.student_view import StudentTableView

    view = StudentTableView(model)
    qtbot.addWidget(view)
    sm = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    sm.select(QItemSelection(model.index(10, 0), model.index(120, COLUMN_COUNT - 1)), flags)
    sm.select(model.index(200, 0), flags)
    picked = view_selected(view)
    assert len(picked) == 112 == view.selected_count()
    model.sort(COL_NAME, DESC)
    assert view_selected(view) == picked and view.selected_count() == 112
    # Selected rows are contiguous ranges in the view, whatever the order.
    assert view.selected_rows() == [r for r in visible(model) if r.student_no in picked]
    model.set_filter("", {StudentStatus.ENROLLED}, set())
    kept = {r.student_no for r in visible(model)} & picked
    assert kept and view_selected(view) == kept  # hidden rows leave the selection
    model.set_filter("", set(), set())
    assert view_selected(view) == kept  # and do not come back by themselves


def test_select_all_filtered_then_narrow_and_sort(qtbot, model, rows):
    from campuscard_gui.ui.students.student_view import StudentTableView

    view = StudentTableView(model)
    qtbot.addWidget(view)
    model.set_filter("", {StudentStatus.ENROLLED}, set())
    view.select_all_filtered()
    assert view.selected_count() == model.rowCount()
    assert len(view.selectionModel().selection()) == 1  # one range, not one per row
    model.set_filter("2024")
    assert view_selected(view) == {r.student_no for r in visible(model)}
    model.sort(COL_OPEN_TIME, DESC)
    assert view.selected_count() == model.rowCount()
    assert len(view.selectionModel().selection()) == 1  # still one range


def test_reapply_filter_drops_rows_that_no_longer_match_and_their_selection(qtbot, model, rows):
    model.set_filter(card_statuses={CardStatus.ACTIVE})
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    sm = view.selectionModel()
    first = visible(model)[:4]
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in range(4):
        sm.select(model.index(r, 0), flags)
    frozen = {r.student_no: replace(r.card, status=CardStatus.FROZEN) for r in first[:3] if r.card}
    before = model.visible_count
    model.update_cards(frozen)
    assert model.visible_count == before  # in place until the filter is applied again
    assert model.reapply_filter() == 3
    assert model.visible_count == before - 3
    assert all(r.card_status is CardStatus.ACTIVE for r in visible(model))
    selected = {model.row_at(i.row()).student_no for i in sm.selectedRows()}
    assert selected == {first[3].student_no}
    assert model.reapply_filter() == 0
