"""The filter bar above the student table: search, 学籍状态 and 卡状态 filters, and presets.

It only describes the filter; the main window applies it to the model. Typing is debounced by
a single-shot timer so a burst of keystrokes filters once; status and preset changes apply at
once. ``filterChanged(text, student_statuses, card_statuses)`` carries the whole filter (an
empty set means "no filter on that column").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from ...core.model import CardStatus, StudentStatus
from ..labels import card_status_label, student_status_label

SEARCH_DEBOUNCE_MS = 120


@dataclass(frozen=True, slots=True)
class Preset:
    key: str
    students: frozenset[StudentStatus]
    cards: frozenset[CardStatus]


PRESETS: tuple[Preset, ...] = (
    Preset("all", frozenset(), frozenset()),
    Preset("to_open", frozenset({StudentStatus.ENROLLED}), frozenset({CardStatus.NONE})),
    Preset("to_freeze", frozenset({StudentStatus.SUSPENDED}), frozenset({CardStatus.ACTIVE})),
    Preset(
        "to_cancel",
        frozenset({StudentStatus.WITHDRAWN}),
        frozenset({CardStatus.ACTIVE, CardStatus.FROZEN}),
    ),
    # graduates whose card is still live: usually cancelled after graduation
    Preset(
        "graduated",
        frozenset({StudentStatus.GRADUATED}),
        frozenset({CardStatus.ACTIVE, CardStatus.FROZEN}),
    ),
)
PRESET_BY_KEY = {p.key: p for p in PRESETS}


class _StatusFilterButton(QToolButton):
    """A drop-down button with one checkable action per status; none checked = all."""

    changed = Signal()

    def __init__(
        self, name: str, title: str, labels: list[tuple[object, str]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._title = title
        # Not InstantPopup: for that mode Qt's accessibility ignores "ShowMenu", so a screen
        # reader could not open the choices. A click or Space opens the menu all the same.
        self.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
        self.clicked.connect(self.showMenu)
        menu = QMenu(self)
        menu.setObjectName(f"{name}Menu")
        self._actions: list[QAction] = []
        for value, label in labels:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setData(value)
            action.toggled.connect(self._on_toggled)
            self._actions.append(action)
        self._silent = False
        self.setMenu(menu)
        self._refresh_text()

    def status_actions(self) -> list[QAction]:
        return list(self._actions)

    def values(self) -> frozenset[Any]:
        return frozenset(a.data() for a in self._actions if a.isChecked())

    def set_values(self, values: Collection[object]) -> None:
        self._silent = True
        try:
            for a in self._actions:
                a.setChecked(a.data() in values)
        finally:
            self._silent = False
        self._refresh_text()

    def _on_toggled(self, _checked: bool) -> None:
        self._refresh_text()
        if not self._silent:
            self.changed.emit()

    def _refresh_text(self) -> None:
        checked = [a.text() for a in self._actions if a.isChecked()]
        # The list separator is a translation too (zh_CN: "、").
        shown = self.tr(", ").join(checked) if checked else self.tr("All")
        self.setText(self.tr("%1: %2").replace("%1", self._title).replace("%2", shown))
        # A screen reader says the current value ("Student status: Enrolled"), not only what
        # the button is; the description names the choices and how to change them.
        self.setAccessibleName(self.text())
        self.setAccessibleDescription(
            self.tr("Filter. Press Space for the choices: %1")
            .replace("%1", self.tr(", ").join(a.text() for a in self._actions)))
        # Room for the text plus the drop-down indicator, which is drawn over the text otherwise.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.text()) + 32)


class FilterBar(QWidget):
    """Search box, status filters, presets and the 全选筛选结果 button."""

    # text, frozenset[StudentStatus], frozenset[CardStatus]
    filterChanged = Signal(str, object, object)
    selectAllRequested = Signal()
    tableRequested = Signal()  # Down (or Page Down) in the search box: go into the table

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Search student no., name or class"))
        self.search_edit.setAccessibleName(self.tr("Search students"))
        self.search_edit.setToolTip(
            self.tr("Filters as you type (student no., name or class; case-insensitive)")
        )
        self.search_edit.setMinimumWidth(240)
        self._debounce = QTimer(self)
        self._debounce.setObjectName("searchDebounce")
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.returnPressed.connect(self.flush)
        self.search_edit.installEventFilter(self)

        self.student_filter = _StatusFilterButton(
            "studentStatusFilter",
            self.tr("Student status"),
            [(s, student_status_label(s)) for s in StudentStatus],
            self,
        )
        self.student_filter.changed.connect(self._on_status_changed)

        self.card_filter = _StatusFilterButton(
            "cardStatusFilter",
            self.tr("Card status"),
            [(c, card_status_label(c)) for c in CardStatus],
            self,
        )
        self.card_filter.changed.connect(self._on_status_changed)

        preset_label = QLabel(self.tr("Preset:"), self)
        self.preset_combo = QComboBox(self)
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.setAccessibleName(self.tr("Filter preset"))
        self.preset_combo.setPlaceholderText(self.tr("Custom"))
        titles = {
            "all": self.tr("All students"),
            "to_open": self.tr("To open: enrolled, no card"),
            "to_freeze": self.tr("To freeze: suspended, card active"),
            "to_cancel": self.tr("To cancel: withdrawn, card active or frozen"),
            "graduated": self.tr("Graduated: card active or frozen"),
        }
        for preset in PRESETS:
            self.preset_combo.addItem(titles[preset.key], preset.key)
        self.preset_combo.setCurrentIndex(0)
        preset_label.setBuddy(self.preset_combo)
        self.preset_combo.activated.connect(self._on_preset_activated)

        self.select_all_button = QPushButton(self.tr("Select all filtered"), self)
        self.select_all_button.setObjectName("selectAllFilteredButton")
        self.select_all_button.setAccessibleName(self.tr("Select all filtered rows"))
        self.select_all_button.setToolTip(self.tr("Select every row the filter shows"))
        self.select_all_button.clicked.connect(self.selectAllRequested)

        self.find_action = QAction(self.tr("Find"), self)
        self.find_action.setObjectName("findAction")
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)

        layout.addWidget(self.search_edit, 2)
        layout.addWidget(self.student_filter)
        layout.addWidget(self.card_filter)
        layout.addSpacing(12)
        layout.addWidget(preset_label)
        layout.addWidget(self.preset_combo, 1)
        layout.addStretch(0)
        layout.addWidget(self.select_all_button)

    # ---- state -----------------------------------------------------------------------------

    def text(self) -> str:
        return self.search_edit.text()

    def student_statuses(self) -> frozenset[StudentStatus]:
        return self.student_filter.values()

    def card_statuses(self) -> frozenset[CardStatus]:
        return self.card_filter.values()

    def set_statuses(
        self, students: Collection[StudentStatus], cards: Collection[CardStatus]
    ) -> None:
        """Set both status filters and apply them (one filter change)."""
        self.student_filter.set_values(students)
        self.card_filter.set_values(cards)
        self._sync_preset()
        self._emit()

    def apply_preset(self, key: str) -> None:
        preset = PRESET_BY_KEY[key]
        self.set_statuses(preset.students, preset.cards)

    def current_preset(self) -> str | None:
        key = self.preset_combo.currentData()
        return key if isinstance(key, str) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Page Down in the search box moves into the table (the search applied
        first), as in a mail client's search field."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.flush()
            self.tableRequested.emit()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def flush(self) -> None:
        """Apply a pending (debounced) search now."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._emit()

    # ---- internals -------------------------------------------------------------------------

    def _on_preset_activated(self, index: int) -> None:
        key = self.preset_combo.itemData(index)
        if isinstance(key, str):
            self.apply_preset(key)

    def _on_status_changed(self) -> None:
        self._sync_preset()
        self._emit()

    def _sync_preset(self) -> None:
        students, cards = self.student_statuses(), self.card_statuses()
        for i, preset in enumerate(PRESETS):
            if preset.students == students and preset.cards == cards:
                self.preset_combo.setCurrentIndex(i)
                return
        self.preset_combo.setCurrentIndex(-1)

    def _emit(self) -> None:
        self._debounce.stop()
        self.filterChanged.emit(self.text(), self.student_statuses(), self.card_statuses())
