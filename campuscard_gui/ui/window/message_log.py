"""The status bar's messages, kept: a long one is not lost to a narrow window, nor a short-lived
one to 30 seconds away from the desk.

``MessageLog`` remembers the last ``LIMIT`` messages with their time; the status bar's
消息 button shows how many there are, its tooltip the latest in full, and a click (or
Ctrl+Shift+M) opens them all, word-wrapped and selectable, newest last.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..screen_fit import fit_inside_screen

LIMIT = 200


class MessageLog(QObject):
    """``added(text)`` after each message."""

    added = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: deque[tuple[QDateTime, str]] = deque(maxlen=LIMIT)

    def add(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self._entries.append((QDateTime.currentDateTime(), text))
        self.added.emit(text)

    def entries(self) -> list[tuple[QDateTime, str]]:
        return list(self._entries)

    def last(self) -> str:
        return self._entries[-1][1] if self._entries else ""

    def as_text(self) -> str:
        locale = QLocale()
        return "\n\n".join(
            f"{locale.toString(when.time(), 'HH:mm:ss')}  {text}" for when, text in self._entries)


class MessageLogButton(QToolButton):
    """The status bar's 消息 (N) button: tooltip = the latest message, click = all of them."""

    def __init__(self, log: MessageLog, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("messageLogButton")
        self.setAutoRaise(True)
        self._log = log
        log.added.connect(self._refresh)
        self.clicked.connect(self.open_dialog)
        self._refresh()

    @Slot()
    def _refresh(self) -> None:
        n = len(self._log.entries())
        self.setText(self.tr("Messages (%1)").replace("%1", QLocale().toString(n)))
        self.setAccessibleName(self.text())
        last = self._log.last()
        self.setToolTip(last or self.tr("No messages yet"))
        self.setAccessibleDescription(last)
        self.setEnabled(n > 0)

    @Slot()
    def open_dialog(self) -> QDialog:
        dialog = QDialog(self.window())
        dialog.setObjectName("messageLogDialog")
        dialog.setWindowTitle(self.tr("Messages"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        text = QPlainTextEdit(dialog)
        text.setObjectName("messageLogText")
        text.setAccessibleName(self.tr("Messages"))
        text.setReadOnly(True)
        text.setPlainText(self._log.as_text())
        text.moveCursor(text.textCursor().MoveOperation.End)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        fit_inside_screen(dialog, 640, 420)
        dialog.open()
        return dialog
