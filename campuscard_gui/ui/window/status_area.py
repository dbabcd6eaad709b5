"""The main window's status bar: rows shown and selected (with the locale's separators), loading
progress, the keyring and demo-data notices, the profile and connection, and the messages
(``say``), which are also kept in a ``MessageLog`` behind the 消息 (N) button so that a long or
short-lived one is not lost. The window tells it what to show; it decides nothing."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar

from ..labels import fill
from .message_log import MessageLog, MessageLogButton

_DEMO_STYLE = ("QLabel { background: #f6c343; color: #3d2e00; border-radius: 3px;"
               " padding: 1px 6px; font-weight: bold; }")
_KEYRING_STYLE = ("QLabel { background: #fdecea; color: #611a15; border-radius: 3px;"
                  " padding: 1px 6px; }")


class StatusArea(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        bar = window.statusBar()
        bar.setObjectName("mainStatusBar")
        self._bar = bar

        def label(name: str, accessible: str, text: str = "") -> QLabel:
            widget = QLabel(text, window)
            widget.setObjectName(name)
            widget.setAccessibleName(accessible)
            return widget

        self.rows_label = label("rowsLabel", self.tr("Rows shown"))
        self.selected_label = label("selectedLabel", self.tr("Rows selected"))
        self.connection_label = label("connectionLabel", self.tr("Profile and connection"))
        self.demo_badge = label("demoBadge", self.tr("Demo data"), self.tr("Demo data"))
        self.demo_badge.setToolTip(self.tr("The students and cards are generated demo data"))
        self.demo_badge.setStyleSheet(_DEMO_STYLE)
        self.demo_badge.hide()
        self.load_progress = QProgressBar(window)
        self.load_progress.setObjectName("loadProgress")
        self.load_progress.setAccessibleName(self.tr("Loading students"))
        self.load_progress.setRange(0, 0)
        self.load_progress.setMaximumWidth(120)
        self.load_progress.setTextVisible(False)
        self.load_progress.hide()
        self.load_count_label = label("loadCountLabel", self.tr("Records read so far"))
        self.load_count_label.hide()
        self.keyring_label = label("keyringWarningLabel", self.tr("Keyring problem"),
                                   self.tr("No keyring"))
        self.keyring_label.setStyleSheet(_KEYRING_STYLE)
        self.keyring_label.hide()
        self.messages = MessageLog(self)
        self.message_button = MessageLogButton(self.messages, window)
        bar.addWidget(self.rows_label)
        bar.addWidget(self.selected_label)
        bar.addPermanentWidget(self.load_count_label)
        bar.addPermanentWidget(self.load_progress)
        bar.addPermanentWidget(self.keyring_label)
        bar.addPermanentWidget(self.demo_badge)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.message_button)
        bar.messageChanged.connect(self._on_message_changed)

    def say(self, text: str, ms: int = 15_000, *, keep: bool = True) -> None:
        """A status-bar message, also kept in the message log (消息: whole, after it went)."""
        self._bar.showMessage(text, ms)
        if keep:
            self.messages.add(text)

    @Slot(str)
    def _on_message_changed(self, text: str) -> None:
        self._bar.setToolTip(text)  # a message cut off by a narrow window, whole

    def set_connection(self, profile: str, state: str, tooltip: str = "") -> None:
        self.connection_label.setText(fill(self.tr("Profile: %1 · %2"), profile, state))
        self.connection_label.setToolTip(tooltip)

    def set_counts(self, visible: int, total: int, selected: int) -> None:
        locale = QLocale()  # 72,230 as the locale writes it
        self.rows_label.setText(fill(self.tr("%1 of %2 students shown"),
                                     locale.toString(visible), locale.toString(total)))
        self.selected_label.setText(self.tr("%Ln selected", "", selected))

    def set_loading(self, busy: bool) -> None:
        self.load_progress.setVisible(busy)
        if busy:
            self.load_progress.setRange(0, 0)
            self.load_count_label.clear()
        self.load_count_label.setVisible(busy)

    def set_load_progress(self, done: int, total: object) -> None:
        """A busy bar with the count when the backend pages without a total (简道云)."""
        if isinstance(total, int) and total > 0:
            self.load_progress.setRange(0, total)
            self.load_progress.setValue(min(done, total))
            locale = QLocale()
            text = fill(self.tr("Loading %1 of %2…"), locale.toString(done),
                        locale.toString(total))
        else:
            self.load_progress.setRange(0, 0)
            text = self.tr("Loading… records read: %Ln", "", done)
        self.load_count_label.setText(text)

    def set_keyring_problem(self, show: bool, problem: str) -> None:
        self.keyring_label.setVisible(show)
        self.keyring_label.setToolTip(problem)
        if show:
            self.say(self.tr("Remote profiles cannot be used: %1").replace("%1", problem),
                     30_000)
