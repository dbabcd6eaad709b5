"""HistoryDialog (jobs newest first, loaded off the GUI thread, open by double-click or button)
and the resume dialog offered for unfinished jobs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialog

from campuscard_gui.batch import JobState, Journal
from campuscard_gui.core.model import Action, Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.core.outcomes import Failed, Succeeded
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.history_dialog import (
    COL_ACTION,
    COL_FAILED,
    COL_JOB,
    COL_OPERATOR,
    COL_PROFILE,
    COL_STATE,
    COL_SUCCEEDED,
    COL_TIME,
    HistoryDialog,
    HistoryModel,
    JobRole,
    format_time,
)
from campuscard_gui.ui.jobs.resume import ResumeChoice, ResumeDialog, ask_resume


def _rows(n: int) -> list[StudentRow]:
    return [StudentRow(Student(f"S{i}", f"学生{i}", "", "", StudentStatus.ENROLLED),
                       Card(f"C{i}", f"S{i}", CardStatus.ACTIVE)) for i in range(n)]


def three_jobs(journal: Journal) -> list[int]:
    """A DONE freeze (2 ok, 1 failed), a CANCELLED cancel, an unfinished freeze (newest)."""
    done = journal.create_job(plan_action(Action.FREEZE, _rows(3)), profile="local",
                              operator="alice", chunk_size=3)
    journal.mark_sent(done, 0)
    journal.finish_chunk(done, 0, {0: Succeeded("C0"), 1: Failed("x", "错"), 2: Succeeded("C2")})
    journal.finish_job(done)
    cancelled = journal.create_job(plan_action(Action.CANCEL, _rows(2)), profile="jdy",
                                   operator="bob", chunk_size=2)
    journal.cancel_job(cancelled)
    unfinished = journal.create_job(plan_action(Action.FREEZE, _rows(4)), profile="local",
                                    operator="carol", chunk_size=2)
    return [done, cancelled, unfinished]


def test_model_passes_modeltester(qtmodeltester, journal):
    three_jobs(journal)
    model = HistoryModel()
    qtmodeltester.check(model)
    model.set_jobs(journal.list_jobs())
    qtmodeltester.check(model)
    assert model.rowCount() == 3


def open_dialog(qtbot, journal) -> HistoryDialog:
    d = HistoryDialog(journal)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.loaded, timeout=5000) as blocker:
        d.show()
    assert blocker.args == [len(journal.list_jobs())]
    return d


def test_lists_jobs_newest_first(qtbot, journal):
    done, cancelled, unfinished = three_jobs(journal)
    d = open_dialog(qtbot, journal)
    table = d.findChild(object, "historyTable")
    assert table is d.table
    m = d.model
    assert [m.index(r, 0).data(JobRole).job_id for r in range(3)] == [unfinished, cancelled,
                                                                       done]
    assert m.index(0, COL_STATE).data() == "Unfinished"
    assert m.index(1, COL_STATE).data() == "Cancelled"
    assert m.index(1, COL_ACTION).data() == "Cancel card"
    assert m.index(2, COL_STATE).data() == "Done"
    assert m.index(2, COL_SUCCEEDED).data() == "2" and m.index(2, COL_FAILED).data() == "1"
    assert [m.index(2, c).data() for c in (COL_OPERATOR, COL_PROFILE)] == ["alice", "local"]
    assert m.index(2, COL_JOB).data() == str(done)  # the job id is a column, not a tooltip
    # local time, as Qt would format it
    info = m.index(2, 0).data(JobRole)
    expected = QDateTime.fromSecsSinceEpoch(int(info.created_at)).toString("yyyy-MM-dd HH:mm:ss")
    assert m.index(2, COL_TIME).data() == expected == format_time(info.created_at)
    assert d.status_label.text() == "Jobs: 3"


def test_double_click_and_open_button_emit(qtbot, journal):
    done, cancelled, unfinished = three_jobs(journal)
    d = open_dialog(qtbot, journal)
    assert d.open_button.isEnabled()  # the newest is preselected
    with qtbot.waitSignal(d.openJobRequested) as blocker:
        qtbot.mouseClick(d.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [unfinished]
    assert not d.isVisible()  # closed: the job shows in the results panel it would cover

    d = open_dialog(qtbot, journal)
    index = d.model.index(2, 1)
    rect = d.table.visualRect(index)
    viewport = d.table.viewport()
    with qtbot.waitSignal(d.openJobRequested) as blocker:
        # a double click is a press and release, then the double-click event
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [done]


def test_empty_history(qtbot, journal):
    d = open_dialog(qtbot, journal)
    assert d.model.rowCount() == 0
    assert not d.open_button.isEnabled()


def test_object_names(qtbot, journal):
    d = open_dialog(qtbot, journal)
    for name in ("historyTable", "openJobButton", "closeHistoryButton"):
        w = d.findChild(object, name)
        assert w is not None and w.accessibleName(), name


# -- resume -------------------------------------------------------------------------------


def test_resume_dialog_lists_unfinished(qtbot, journal):
    three_jobs(journal)
    jobs = journal.unfinished_jobs()
    d = ResumeDialog(jobs)
    qtbot.addWidget(d)
    assert d.table.rowCount() == 1
    assert d.table.item(0, 1).text() == "Freeze"
    assert d.table.item(0, 3).text() == "4"  # pending
    assert d.choice is ResumeChoice.LATER
    for name in ("resumeButton", "laterButton", "discardButton"):
        w = d.findChild(object, name)
        assert w is not None and w.accessibleName(), name


@pytest.mark.parametrize("button,choice,result", [
    ("resume_button", ResumeChoice.RESUME, QDialog.DialogCode.Accepted),
    ("later_button", ResumeChoice.LATER, QDialog.DialogCode.Rejected),
    ("discard_button", ResumeChoice.DISCARD, QDialog.DialogCode.Rejected),
])
def test_resume_dialog_buttons(qtbot, journal, button, choice, result):
    three_jobs(journal)
    d = ResumeDialog(journal.unfinished_jobs())
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.finished):
        qtbot.mouseClick(getattr(d, button), Qt.MouseButton.LeftButton)
    assert d.choice is choice
    assert d.result() == result


def test_escape_means_later(qtbot, journal):
    three_jobs(journal)
    d = ResumeDialog(journal.unfinished_jobs())
    qtbot.addWidget(d)
    d.choose(ResumeChoice.DISCARD)
    d.reject()
    assert d.choice is ResumeChoice.LATER


@pytest.mark.parametrize("choice,expected,discarded", [
    (ResumeChoice.RESUME, "ids", None),
    (ResumeChoice.LATER, [], None),
    (ResumeChoice.DISCARD, [], "ids"),
])
def test_ask_resume(qtbot, journal, monkeypatch, choice, expected, discarded):
    ids = three_jobs(journal)
    more = journal.create_job(plan_action(Action.FREEZE, _rows(1)), profile="local",
                              operator="t", chunk_size=1)
    jobs = journal.unfinished_jobs()
    want = sorted([ids[2], more])

    def fake_exec(self):
        self.choose(choice)
        return int(self.result())

    monkeypatch.setattr(ResumeDialog, "exec", fake_exec)
    got: list[list[int]] = []
    result = ask_resume(None, jobs, on_discard=got.append)
    assert result == (want if expected == "ids" else expected)
    assert got == ([want] if discarded else [])


def test_ask_resume_without_jobs_asks_nothing(monkeypatch):
    def boom(self):
        raise AssertionError("no dialog without jobs")

    monkeypatch.setattr(ResumeDialog, "exec", boom)
    assert ask_resume(None, []) == []


def test_unfinished_state_label(journal):
    three_jobs(journal)
    assert [j.state for j in journal.unfinished_jobs()] == [JobState.RUNNING]


def test_resume_dialog_names_other_profiles_in_its_note(qtbot, journal, monkeypatch):
    three_jobs(journal)
    d = ResumeDialog(journal.unfinished_jobs(), note="1 unfinished job(s) of other profiles "
                                                     "(jdy) are offered when that profile is "
                                                     "opened.")
    qtbot.addWidget(d)
    assert d.note_label.isVisibleTo(d) and "jdy" in d.note_label.text()
    assert ResumeDialog(journal.unfinished_jobs()).note_label.isHidden()
    seen: list[str] = []

    def fake_exec(self):
        seen.append(self.note_label.text())
        self.choose(ResumeChoice.LATER)
        return int(self.result())

    monkeypatch.setattr(ResumeDialog, "exec", fake_exec)
    assert ask_resume(None, journal.unfinished_jobs(), note="x") == []
    assert seen == ["x"]
