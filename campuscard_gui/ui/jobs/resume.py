"""Offer unfinished jobs for resume (design.md §5, §7).

    ids = ask_resume(window, this_profiles_unfinished_jobs, on_discard=controller_discard_all,
                     note="…of other profiles…")
    for job_id in ids: controller.start(job_id)

Only the open profile's jobs are given: a job runs on its own profile's connector alone (the
window offers the others when their profile is opened; ``note`` names them).

继续执行 returns the jobs' ids; 稍后 returns [] and leaves them unfinished (offered again next
time); 放弃 calls ``on_discard(ids)`` and returns []. Discarding must not simply mark the rest
cancelled: a chunk that was sent may have been applied, so ``JobController.discard`` reads those
back first (through the runner) and cancels only what was never applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...batch import JobInfo
from .. import labels
from .history_dialog import format_time


class ResumeChoice(Enum):
    RESUME = "resume"
    LATER = "later"
    DISCARD = "discard"


class ResumeDialog(QDialog):
    """Lists unfinished jobs; the operator's answer is ``choice`` (LATER if closed)."""

    def __init__(self, jobs: Sequence[JobInfo], parent: QWidget | None = None, *,
                 note: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("resumeDialog")
        self.setWindowTitle(self.tr("Unfinished jobs"))
        self.setAccessibleName(self.windowTitle())
        self.jobs = list(jobs)
        self.choice = ResumeChoice.LATER

        text = QLabel(self.tr(
            "%n job(s) did not finish last time (the program was closed or stopped). "
            "Continuing sends only what has not been written yet; nothing is written twice.",
            "", len(self.jobs)), self)
        text.setObjectName("resumeText")
        text.setWordWrap(True)
        self.note_label = QLabel(note, self)
        self.note_label.setObjectName("resumeNote")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))

        self.table = QTableWidget(len(self.jobs), 4, self)
        self.table.setObjectName("resumeTable")
        self.table.setAccessibleName(self.tr("Unfinished jobs"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Action"), self.tr("Profile"), self.tr("Not done yet")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, job in enumerate(self.jobs):
            cells = (format_time(job.created_at), labels.action_label(job.action), job.profile,
                     str(job.pending))
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)

        buttons = QDialogButtonBox(self)
        self.resume_button = self._button(
            buttons, self.tr("&Continue"), "resumeButton",
            self.tr("Continue the unfinished jobs"), QDialogButtonBox.ButtonRole.AcceptRole,
            ResumeChoice.RESUME)
        self.later_button = self._button(
            buttons, self.tr("&Later"), "laterButton",
            self.tr("Decide later"), QDialogButtonBox.ButtonRole.RejectRole,
            ResumeChoice.LATER)
        self.discard_button = self._button(
            buttons, self.tr("&Discard"), "discardButton",
            self.tr("Discard: mark what was not written as cancelled"),
            QDialogButtonBox.ButtonRole.DestructiveRole, ResumeChoice.DISCARD)
        self.resume_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_label)
        layout.addWidget(buttons)
        self.resize(560, 260)

    def _button(self, box: QDialogButtonBox, text: str, name: str, accessible: str,
                role: QDialogButtonBox.ButtonRole, choice: ResumeChoice) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        box.addButton(button, role)
        button.clicked.connect(lambda: self.choose(choice))
        return button

    @Slot()
    def choose(self, choice: ResumeChoice) -> None:
        """Record ``choice`` and close (what the buttons do; tests call it directly)."""
        self.choice = choice
        if choice is ResumeChoice.RESUME:
            self.accept()
        else:
            self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:  # Esc or the window's close button: decide later
        self.choice = ResumeChoice.LATER
        super().reject()

    def job_ids(self) -> list[int]:
        return [j.job_id for j in self.jobs]


def ask_resume(
    parent: QWidget | None,
    jobs: Sequence[JobInfo],
    *,
    on_discard: Callable[[list[int]], None] | None = None,
    note: str = "",
) -> list[int]:
    """Ask what to do with ``jobs`` (modal). Returns the ids to resume (oldest first).

    On 放弃, ``on_discard`` gets the ids (e.g. ``lambda ids: [controller.discard(i) for i in
    ids]``) and [] is returned. ``note`` is shown under the list (e.g. other profiles' jobs)."""
    if not jobs:
        return []
    dialog = ResumeDialog(jobs, parent, note=note)
    try:
        dialog.exec()
        ids = sorted(dialog.job_ids())
        if dialog.choice is ResumeChoice.RESUME:
            return ids
        if dialog.choice is ResumeChoice.DISCARD and on_discard is not None:
            on_discard(ids)
        return []
    finally:
        dialog.deleteLater()
