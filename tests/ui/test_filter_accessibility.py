"""The status filters speak their current value, open from the keyboard, and the 毕业 preset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QMenu

from campuscard_gui.core.model import CardStatus, StudentStatus
from campuscard_gui.ui.students.filter_bar import PRESET_BY_KEY, FilterBar


def accessible_name(widget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    return iface.text(QAccessible.Text.Name)


def test_the_accessible_name_says_the_current_value(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert accessible_name(bar.student_filter) == "Student status: All"
    bar.set_statuses({StudentStatus.ENROLLED}, set())
    assert accessible_name(bar.student_filter) == "Student status: Enrolled"
    bar.set_statuses(set(), {CardStatus.ACTIVE, CardStatus.FROZEN})
    assert accessible_name(bar.card_filter) == "Card status: Active, Frozen"
    description = bar.card_filter.accessibleDescription()
    assert "Not opened" in description or "Active" in description


# a popup menu on the offscreen platform: it says it cannot raise or grab the keyboard
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_status_filter_is_used_from_the_keyboard(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    button = bar.student_filter
    button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    picked: list[str] = []

    def choose() -> None:  # the popup menu runs its own loop: answer it from a timer
        menu = button.menu()
        assert isinstance(menu, QMenu) and menu.isVisible()
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)  # the first choice: 在读
        picked.append("done")

    QTimer.singleShot(50, choose)
    with qtbot.waitSignal(bar.filterChanged, timeout=5_000):
        qtbot.keyClick(button, Qt.Key.Key_Space)
    assert picked == ["done"]
    assert bar.student_statuses() == {StudentStatus.ENROLLED}
    assert accessible_name(button) == "Student status: Enrolled"


def test_graduated_preset(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    preset = PRESET_BY_KEY["graduated"]
    assert preset.students == {StudentStatus.GRADUATED}
    assert preset.cards == {CardStatus.ACTIVE, CardStatus.FROZEN}
    keys = [bar.preset_combo.itemData(i) for i in range(bar.preset_combo.count())]
    assert "graduated" in keys
    bar.apply_preset("graduated")
    assert bar.student_statuses() == {StudentStatus.GRADUATED}
    assert bar.current_preset() == "graduated"


# the popup menu on the offscreen platform: it says it cannot raise or grab the keyboard
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_choices_are_on_the_accessibility_tree(qtbot):
    """A screen reader opens the filter through the button's ShowMenu action (Qt ignores it on
    an InstantPopup button), finds the choices as the popup's items, each with its checked
    state, and picks one with its Press action: no key or mouse event."""
    from PySide6.QtGui import QAccessibleActionInterface

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    button = bar.student_filter
    iface = QAccessible.queryAccessibleInterface(button)
    assert iface is not None
    actions = iface.actionInterface()
    assert actions is not None
    assert QAccessibleActionInterface.showMenuAction() in actions.actionNames()
    seen: list[tuple[str, bool]] = []

    def pick() -> None:  # ShowMenu runs the popup's own loop: answer from a timer
        popup = QApplication.activePopupWidget()
        assert popup is button.menu()
        menu_iface = QAccessible.queryAccessibleInterface(popup)
        assert menu_iface is not None
        items = [menu_iface.child(i) for i in range(menu_iface.childCount())]
        seen.extend((c.text(QAccessible.Text.Name), bool(c.state().checked)) for c in items)
        suspended = items[1]
        press = suspended.actionInterface()
        assert press is not None
        press.doAction(QAccessibleActionInterface.pressAction())
        assert bool(suspended.state().checked)
        popup.close()

    QTimer.singleShot(50, pick)
    with qtbot.waitSignal(bar.filterChanged, timeout=5_000):
        actions.doAction(QAccessibleActionInterface.showMenuAction())
    assert seen == [("Enrolled", False), ("Suspended", False), ("Withdrawn", False),
                    ("Graduated", False)]
    assert bar.student_statuses() == {StudentStatus.SUSPENDED}
    assert accessible_name(button) == "Student status: Suspended"
