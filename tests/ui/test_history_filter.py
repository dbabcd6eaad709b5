"""The history: the job id is a column, times carry seconds, counts have thousands
separators, a search box narrows the jobs, and opening a job closes the dialog so it never
covers the results panel it loads into."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from test_history import open_dialog, three_jobs

from campuscard_gui.ui.jobs.history_dialog import (
    COL_JOB,
    COL_OPERATOR,
    COL_TIME,
    COL_TOTAL,
    HistoryModel,
)


def test_search_narrows_the_jobs(qtbot, journal):
    done, cancelled, unfinished = three_jobs(journal)
    d = open_dialog(qtbot, journal)
    assert d.model.headerData(COL_JOB, Qt.Orientation.Horizontal) == "Job"
    assert d.status_label.text() == "Jobs: 3"
    qtbot.keyClicks(d.search_edit, "BOB")  # case-insensitive, any column
    assert d.model.rowCount() == 1
    assert d.model.index(0, COL_OPERATOR).data() == "bob"
    assert d.status_label.text() == "Jobs: 1 of 3"
    assert d.selected_job() is not None and d.selected_job().job_id == cancelled
    d.search_edit.clear()
    assert d.model.rowCount() == 3
    d.search_edit.setText(str(done))  # by job id
    assert [d.model.job(r).job_id for r in range(d.model.rowCount())] == [done]
    d.search_edit.setText("Unfinished")  # by state
    assert [d.model.job(r).job_id for r in range(d.model.rowCount())] == [unfinished]
    d.search_edit.setText("no such thing")
    assert d.model.rowCount() == 0 and not d.open_button.isEnabled()


def test_seconds_and_thousands(qtmodeltester, journal):
    three_jobs(journal)
    jobs = journal.list_jobs()
    model = HistoryModel()
    model.set_jobs([replace(jobs[0], total=72_230, created_at=1_700_000_007.0), *jobs[1:]])
    qtmodeltester.check(model)
    assert model.index(0, COL_TOTAL).data() == "72,230"
    assert model.index(0, COL_TIME).data().endswith(":27")  # …:mm:27, to the second
    model.set_search_text("72")  # the search looks at the job's words, not at its counts
    qtmodeltester.check(model)


def test_opening_a_job_closes_the_history(qtbot, journal):
    _done, _cancelled, unfinished = three_jobs(journal)
    d = open_dialog(qtbot, journal)
    assert not d.isModal()  # the window stays usable beside it
    with qtbot.waitSignal(d.openJobRequested) as opened:
        d.open_button.click()
    assert opened.args == [unfinished]
    assert not d.isVisible()
