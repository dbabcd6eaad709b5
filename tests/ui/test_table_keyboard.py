"""The student table from the keyboard: Down from the search box enters it, Tab leaves it,
Ctrl+C copies the selected rows as TSV (formula cells as text)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.backends.local.store import init_demo
from campuscard_gui.batch import Journal
from campuscard_gui.config.settings import ConfigStore
from campuscard_gui.core.model import Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.ui.students.student_model import StudentTableModel
from campuscard_gui.ui.students.student_view import StudentTableView
from campuscard_gui.ui.window.main_window import MainWindow


@pytest.fixture
def window(qtbot, paths):
    db = paths.local_db_path("local")
    init_demo(db, students=50, seed=5)
    journal = Journal(paths.journal_path)
    w = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                   connector=LocalConnector(db), offer_resume=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.model.total_count == 50 and not w.loader.is_busy())
    yield w
    w.close()
    journal.close()


def focused() -> object:
    return QApplication.focusWidget()


def test_down_from_search_enters_the_table_and_tab_leaves_it(qtbot, window):
    window.activateWindow()
    search = window.filter_bar.search_edit
    search.setFocus()
    qtbot.waitUntil(lambda: focused() is search)
    qtbot.keyClicks(search, "20")
    qtbot.keyClick(search, Qt.Key.Key_Down)
    table = window.table
    qtbot.waitUntil(lambda: focused() is table)
    assert table.currentIndex().row() == 0 and table.selected_count() == 1
    assert window.model.search_text == "20"  # the pending search was applied first
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: focused() is not table)
    assert focused() is not None


def hostile_model() -> StudentTableModel:
    model = StudentTableModel()
    model.set_rows([
        StudentRow(Student("2024001", '=HYPERLINK("http://x","y")', "计算机\t学院", "一班",
                           StudentStatus.ENROLLED), Card("C1", "2024001", CardStatus.ACTIVE)),
        StudentRow(Student("2024002", "李\n四", "@学院", "二班", StudentStatus.SUSPENDED), None),
        StudentRow(Student("2024003", "王五", "理学院", "三班", StudentStatus.ENROLLED), None),
    ])
    return model


def test_ctrl_c_copies_the_selected_rows_as_tsv(qtbot):
    model = hostile_model()
    view = StudentTableView(model)
    qtbot.addWidget(view)
    view.show()
    view.setColumnHidden(7, True)  # a hidden column is not copied
    view.selectRow(0)
    view.selectionModel().select(
        model.index(1, 0), view.selectionModel().SelectionFlag.Select
        | view.selectionModel().SelectionFlag.Rows)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    lines = text.splitlines()
    assert len(lines) == 3  # header + 2 rows, each row one line
    header = lines[0].split("\t")
    assert header[0] == "Student No." and len(header) == 7
    first = lines[1].split("\t")
    assert first[0] == "2024001" and first[1] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert first[2] == "计算机 学院"  # a tab inside a cell does not make a new cell
    second = lines[2].split("\t")
    assert second[1] == "李 四" and second[2] == "'@学院" and len(second) == 7
