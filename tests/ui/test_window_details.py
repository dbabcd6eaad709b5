"""The main window's details: messages kept after the status bar drops them, a hint in an empty
table, counts with the locale's separators, the card id whole, Help/About with the version,
the first-start hint and resetting the demo school."""

from __future__ import annotations

from importlib import metadata

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QPlainTextEdit

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.backends.local.store import init_demo, init_empty
from campuscard_gui.batch import Journal
from campuscard_gui.config.settings import ConfigStore, Profile
from campuscard_gui.core.model import Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.ui.students.student_model import COL_CARD_ID, StudentTableModel
from campuscard_gui.ui.students.student_view import StudentTableView
from campuscard_gui.ui.window.main_window import MainWindow


@pytest.fixture
def journal(paths):
    j = Journal(paths.journal_path)
    yield j
    j.close()


@pytest.fixture
def english_numbers():
    """The en locale for numbers (the test process runs under C, which groups nothing)."""
    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(old)


@pytest.fixture
def start(qtbot, paths, journal):
    opened: list[MainWindow] = []

    def make(students: int | None = 60, *, profile: str | None = None) -> MainWindow:
        if students is not None:
            init_demo(paths.local_db_path(profile or "local"), students=students, seed=6)
        w = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                       profile=profile, offer_resume=False)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: (w.connector is not None or "not connected"
                                 in w.connection_label.text()) and not w.loader.is_busy(),
                        timeout=20_000)
        opened.append(w)
        return w

    yield make
    for w in opened:
        w.close()


def test_messages_stay_reachable_after_the_status_bar_drops_them(qtbot, start):
    w = start()
    long = "刷新失败：" + "后台返回了一条很长的错误说明，" * 12 + "RequestId=abc-123"
    w.say(long, 1)
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == "")
    assert w.message_button.toolTip() == long
    assert w.message_button.text() == "Messages (1)"
    w.flow.statusMessage.emit("Import done: 3 added, 0 updated.", 1)  # what the flow says
    assert w.message_button.text() == "Messages (2)"
    dialog = w.message_button.open_dialog()
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QPlainTextEdit, "messageLogText")
    assert shown is not None and long in shown.toPlainText()
    assert "Import done" in shown.toPlainText()
    dialog.close()
    # while it is shown, a message cut off by a narrow window is whole in the tooltip
    w.say(long, 0)
    assert w.statusBar().toolTip() == long


def test_ctrl_shift_m_opens_the_messages(qtbot, start):
    w = start()
    w.say("hello", 0)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None
                    and QApplication.activeModalWidget().objectName() == "messageLogDialog")
    QApplication.activeModalWidget().close()


def test_an_empty_table_says_why(qtbot, start, paths):
    w = start()
    assert w.table.empty_hint() == ""
    w.filter_bar.search_edit.setText("no-such-student-anywhere")
    w.filter_bar.flush()
    assert w.model.rowCount() == 0
    assert w.table.empty_hint().startswith("No students match the filter")
    assert w.table.accessibleDescription() == w.table.empty_hint()
    w.close()

    init_empty(paths.local_db_path("local"), force=True)
    empty = start(students=None)
    assert empty.model.total_count == 0
    assert "Import students" in empty.table.empty_hint()
    assert "Ctrl+I" in empty.table.accessibleDescription()


def test_a_table_that_failed_to_load_says_so(qtbot, start, paths):
    store = ConfigStore(paths)
    store.save_profile(Profile("broken", "local", {"database": str(paths.data_dir / "nope.db")}))
    w = start(students=None, profile="broken")
    qtbot.waitUntil(lambda: "could not be loaded" in w.table.empty_hint())
    assert "nope.db" in w.table.empty_hint()


def test_counts_have_thousands_separators(qtbot, english_numbers, start):
    w = start(students=1200)
    assert w.rows_label.text() == "1,200 of 1,200 students shown"
    w.table.select_all_filtered()
    assert w.selected_label.text() == "1,200 selected"


def test_a_24_character_card_id_is_shown_whole(qtbot):
    card_id = "5f9b3c2a7d4e6f8a1b2c3d4e"
    assert len(card_id) == 24
    model = StudentTableModel()
    model.set_rows([StudentRow(Student("20240001", "张三", "理学院", "数学2401",
                                       StudentStatus.ENROLLED),
                               Card(card_id, "20240001", CardStatus.ACTIVE))])
    view = StudentTableView(model)
    qtbot.addWidget(view)
    view.set_column_visible(COL_CARD_ID, True)
    width = view.horizontalHeader().sectionSize(COL_CARD_ID)
    assert width >= view.fontMetrics().horizontalAdvance(card_id) + 8
    index = model.index(0, COL_CARD_ID)
    assert index.data() == card_id and index.data(Qt.ItemDataRole.ToolTipRole) == card_id
    # narrowed by hand it is elided in the middle (start and end readable), never cut
    delegate = view.itemDelegateForColumn(COL_CARD_ID)
    assert delegate is not None


def test_help_shows_the_version_and_how_to_begin(qtbot, start):
    w = start()
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: w.help_dialog is not None)
    dialog = w.help_dialog
    text = dialog.text()
    assert metadata.version("campuscard-gui") in text
    assert "Manage profiles" in text and "Import students" in text
    assert "campuscard-sandbox" in text and str(w.paths.config_dir) in text
    dialog.close()


def test_the_first_start_hint(qtbot, start):
    w = start()
    banner = w.first_start_banner
    assert banner.isVisible() and "Import" in banner.label.text()
    banner.dismiss_button.setFocus()
    qtbot.keyClick(banner.dismiss_button, Qt.Key.Key_Space)
    assert not banner.isVisible()
    w.close()
    again = start(students=None)
    assert not again.first_start_banner.isVisible()  # settings.json exists now


def answer(qtbot, box, name: str) -> None:
    button = box.findChild(QAbstractButton, name)
    assert button is not None
    button.click()


def test_reset_demo_school(qtbot, start, paths, journal):
    w = start(students=60)
    assert w.reset_demo_action.isEnabled()
    # declined: nothing changes
    box = w.reset_demo_school()
    assert box is not None and box.defaultButton().objectName() == "resetDemoCancel"
    answer(qtbot, box, "resetDemoCancel")
    assert w.model.total_count == 60
    box = w.reset_demo_school()
    with qtbot.waitSignal(w.rowsLoaded, timeout=60_000) as loaded:
        answer(qtbot, box, "resetDemoConfirm")
    assert loaded.args == [2000]
    assert w.demo_badge.isVisible()
    assert LocalConnector(paths.local_db_path("local")).stats().students == 2000


def test_reset_is_offered_only_on_the_built_in_local_database(qtbot, start, paths):
    shared = paths.data_dir / "shared.sqlite3"
    init_demo(shared, students=30, seed=1)
    ConfigStore(paths).save_profile(Profile("team", "local", {"database": str(shared)}))
    w = start(students=None, profile="team")
    qtbot.waitUntil(lambda: w.model.total_count == 30)
    assert not w.reset_demo_action.isEnabled()
    assert w.reset_demo_school() is None


def test_every_action_has_a_keyboard_path_and_no_shortcut_is_taken_twice(qtbot, start):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenu

    w = start()
    bar = w.menuBar()
    for menu_action in bar.actions():
        assert "&" in menu_action.text(), menu_action.text()  # Alt+letter opens the menu
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        for qa in menu.actions():
            assert qa.isSeparator() or qa.text() or qa.menu() is not None
    in_menus = {qa for m in bar.actions() for qa in m.menu().actions()}
    # a button's menu (the results panel's 任务) is reached by Tab and Space
    from PySide6.QtWidgets import QPushButton
    in_menus |= {qa for b in w.findChildren(QPushButton) if b.menu() is not None
                 for qa in b.menu().actions()}
    for name in ("actionOpenCard", "actionFreezeCard", "actionUnfreezeCard",
                 "actionCancelCard", "refreshAction", "historyAction", "importStudentsAction",
                 "helpAction", "messagesAction", "profilesAction"):
        qa = w.findChild(QAction, name)
        assert qa is not None and not qa.shortcut().isEmpty(), name
    # the toolbar-only and table actions are in a menu too (Alt path) or have keys
    for qa in w.findChildren(QAction):
        if qa.text() and qa.objectName().endswith("Action") and qa.shortcut().isEmpty():
            assert qa in in_menus or qa.objectName() in {"copyStudentNosAction"}, \
                qa.objectName()
    keys = [qa.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
            for qa in w.findChildren(QAction) if not qa.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), sorted(keys)
