"""A whole job without a mouse: search → select → action → confirm → results → export, on the
real main window against the local backend, driven by key events only (the file chooser, the
platform's own dialog, answers with a name). Any mouse event that
reaches a widget during the run fails the test."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.backends.local.store import init_demo
from campuscard_gui.batch import Journal
from campuscard_gui.config.settings import ConfigStore
from campuscard_gui.core.model import CardStatus
from campuscard_gui.ui.window.main_window import MainWindow


class NoMouse(QObject):
    """Counts every mouse event delivered to any object while installed."""

    KINDS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
             QEvent.Type.MouseButtonDblClick}

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.KINDS:
            self.seen += 1
        return False


@pytest.fixture
def window(qtbot, paths):
    db = paths.local_db_path("local")
    init_demo(db, students=200, seed=11)
    journal = Journal(paths.journal_path)
    w = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                   connector=LocalConnector(db), offer_resume=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.model.total_count == 200 and not w.loader.is_busy())
    yield w
    w.close()
    journal.close()


def focus() -> object:
    return QApplication.focusWidget()


def test_a_whole_job_from_the_keyboard(qtbot, window, tmp_path: Path, monkeypatch):
    guard = NoMouse()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(guard)
    try:
        window.activateWindow()
        # 1. search: Ctrl+F, type a student number, Down into the table
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        search = window.filter_bar.search_edit
        qtbot.waitUntil(lambda: focus() is search)
        model = window.model
        target = next(r for r in (model.row_at(i) for i in range(model.visible_count))
                      if r.card_status is CardStatus.ACTIVE)
        qtbot.keyClicks(search, target.student_no)
        qtbot.keyClick(search, Qt.Key.Key_Down)
        table = window.table
        qtbot.waitUntil(lambda: focus() is table)
        # 2. select: the row under the cursor (Down selected it), Shift+End would extend
        assert [r.student_no for r in window.selected_rows()] == [target.student_no]
        # 3. action: 冻结 by its shortcut
        with qtbot.waitSignal(window.flow.confirmRequested, timeout=10_000) as shown:
            qtbot.keyClick(table, Qt.Key.Key_F,
                           Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        dialog = shown.args[0]
        qtbot.waitUntil(dialog.isVisible)
        # 4. confirm: Enter
        controller = window.flow.controller
        with qtbot.waitSignal(controller.finished, timeout=30_000):
            qtbot.keyClick(dialog, Qt.Key.Key_Return)
        # 5. results: the record is there, 成功
        qtbot.waitUntil(lambda: window.results.job is not None
                        and window.results.model.rowCount() == 1
                        and not window.flow.is_busy())
        assert window.model.row_for(target.student_no).card_status is CardStatus.FROZEN
        # 6. export: Ctrl+Shift+E. The file chooser is the platform's own dialog (native on
        # Windows and macOS), answered here with the name an operator would type.
        out = tmp_path / "frozen.csv"
        asked: list[str] = []

        def choose(*args: object, **kwargs: object) -> tuple[str, str]:
            asked.append(str(args[1]))
            return str(out), "CSV, UTF-8 (*.csv)"

        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
        window.activateWindow()  # the confirmation was the active window (what an OS does)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        with qtbot.waitSignal(window.results.exported, timeout=10_000):
            qtbot.keyClick(window, Qt.Key.Key_E,
                           Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert asked == ["Export results"]
    finally:
        app.removeEventFilter(guard)
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    assert any(target.student_no in row for row in rows[1:])
    assert guard.seen == 0, f"{guard.seen} mouse events"
