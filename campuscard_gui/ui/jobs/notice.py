"""The journal's notice at start-up (a broken journal moved aside, a read-only journal): shown
in a box that does not block the window, and logged by the journal itself."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def show_journal_notice(parent: QWidget, notice: str | None) -> QMessageBox | None:
    """Open a warning box with ``notice`` (window-modal, not blocking); None if no notice."""
    if not notice:
        return None
    box = QMessageBox(QMessageBox.Icon.Warning,
                      QCoreApplication.translate("JournalNotice", "Job history"),
                      notice, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("journalNoticeBox")
    box.setAccessibleName(QCoreApplication.translate("JournalNotice", "Job history notice"))
    box.open()
    return box
