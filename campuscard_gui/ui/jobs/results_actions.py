"""What the results panel does beyond showing a job, kept apart from the widget: the words
for a wait ("限流，3 秒后重试（第 2 次）"), the inverse of a job, the question which records to
export, and selecting a job's students in the student table."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QWidget

from ...batch import Wait, WaitKind
from ...core.model import Action
from ..labels import fill
from .job_report import count

__all__ = ["INVERSE", "ExportScope", "ask_export_scope", "select_students", "wait_text"]

# what undoes a job's writes: 解冻 what a 冻结 job froze and back; 开通 and 注销 have none
INVERSE = {Action.FREEZE: Action.UNFREEZE, Action.UNFREEZE: Action.FREEZE}

ExportScope = Callable[[QWidget, int, int], "str | None"]


def wait_text(wait: Wait) -> str:
    """A wait as the operator reads it: "限流，3 秒后重试（第 2 次）"."""
    seconds = str(max(1, math.ceil(wait.seconds)))
    if wait.kind is WaitKind.SETTLE:
        return fill(QCoreApplication.translate(
            "ResultsPanel", "Waiting for unanswered writes to settle: %1 s left"), seconds)
    text = {
        WaitKind.RATE_LIMITED: QCoreApplication.translate(
            "ResultsPanel", "Rate limited, retrying in %1 s (attempt %2)"),
        WaitKind.NETWORK: QCoreApplication.translate(
            "ResultsPanel", "Network down, retrying in %1 s (attempt %2)"),
        WaitKind.TIMEOUT: QCoreApplication.translate(
            "ResultsPanel", "No answer in time, retrying in %1 s (attempt %2)"),
        WaitKind.SERVER: QCoreApplication.translate(
            "ResultsPanel", "Server busy or in error, retrying in %1 s (attempt %2)"),
    }[wait.kind]
    return fill(text, seconds, str(wait.attempt))


def ask_export_scope(parent: QWidget, total: int, shown: int) -> str | None:
    """Whether to export all the job's records or only those shown: "all", "shown" or None
    (cancelled). Asked only while the filter or the search hides some."""
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("ResultsPanel", "Export results"),
                      fill(QCoreApplication.translate(
                          "ResultsPanel", "The filter shows %1 of the job's %2 records. "
                          "Export all of them, or only those shown?"), count(shown),
                          count(total)),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("exportScopeBox")
    every = box.addButton(fill(QCoreApplication.translate("ResultsPanel", "All %1"),
                               count(total)), QMessageBox.ButtonRole.AcceptRole)
    every.setObjectName("exportAllButton")
    only = box.addButton(fill(QCoreApplication.translate("ResultsPanel", "Only the %1 shown"),
                              count(shown)), QMessageBox.ButtonRole.AcceptRole)
    only.setObjectName("exportShownButton")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(every)
    box.exec()
    clicked = box.clickedButton()
    return "all" if clicked is every else "shown" if clicked is only else None


def select_students(view: QAbstractItemView, student_nos: Sequence[str]) -> str:
    """Select, in the student table ``view`` (rows carry ``row_at(row).student``), the
    students of ``student_nos`` that it shows; return what the status bar says of it."""
    model = view.model()
    wanted = set(student_nos)
    runs: list[tuple[int, int]] = []
    row_at = getattr(model, "row_at")  # noqa: B009 - the student model's API
    for pos in range(model.rowCount()):
        if row_at(pos).student.student_no in wanted:
            if runs and runs[-1][1] == pos - 1:
                runs[-1] = (runs[-1][0], pos)
            else:
                runs.append((pos, pos))
    selection = getattr(model, "selection_for")(runs)  # noqa: B009
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    found = sum(b - a + 1 for a, b in runs)
    if runs:
        view.scrollTo(model.index(runs[0][0], 0))
        view.setFocus()
    text = fill(QCoreApplication.translate("ResultsPanel", "%1 of %2 students selected"),
                count(found), count(len(wanted)))
    if found < len(wanted):
        text += " " + QCoreApplication.translate(
            "ResultsPanel", "(the others are hidden by the filter or no longer listed)")
    return text
