"""The results panel: search in the results, "select these students" in the student table,
the result never shown by colour alone, every wait said in words (both languages)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_main_window import make_window, run_and_confirm
from test_results_panel import finished_job

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import Journal, Progress, Wait, WaitKind
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.core.outcomes import OutcomeKind
from campuscard_gui.ui.jobs.results_actions import wait_text
from campuscard_gui.ui.jobs.results_model import COL_RESULT
from campuscard_gui.ui.jobs.results_panel import ResultsPanel
from campuscard_gui.ui.students.student_model import ROW_ROLE


@pytest.fixture
def panel(panel, qtbot, journal):
    """The shown results panel (tests/ui/conftest.py) with a finished job loaded."""
    with qtbot.waitSignal(panel.jobLoaded, timeout=5000):
        panel.show_job(finished_job(journal))
    return panel


def test_search_in_results(qtbot, panel, qtmodeltester):
    model = panel.model
    panel.search_edit.setText("学生3")
    assert [model.record(r).student_no for r in range(model.rowCount())] == ["20240003"]
    panel.search_edit.clear()
    qtbot.keyClicks(panel.search_edit, "conflict")  # the reason's code and words
    assert [model.record(r).student_no for r in range(model.rowCount())] == ["20240001"]
    panel.search_edit.setText("failed")  # the result's words, with the outcome filter
    assert model.rowCount() == 2
    panel.set_outcome_filter(OutcomeKind.SUCCEEDED)
    assert model.rowCount() == 0
    panel.set_outcome_filter(None)
    panel.search_edit.clear()
    assert model.rowCount() == 8 and not model.is_narrowed()
    qtmodeltester.check(model)


def test_status_is_never_colour_alone(panel):
    model = panel.model
    for row in range(model.rowCount()):
        index = model.index(row, COL_RESULT)
        assert index.data()  # words
        assert index.data(Qt.ItemDataRole.DecorationRole) is not None  # and an icon
    kinds = {model.record(r).outcome.kind: model.index(r, COL_RESULT).data(
        Qt.ItemDataRole.DecorationRole).cacheKey() for r in range(model.rowCount())}
    assert len(set(kinds.values())) == len(kinds)  # one icon per outcome


@pytest.mark.parametrize(("kind", "en", "zh"), [
    (WaitKind.RATE_LIMITED, "Rate limited, retrying in 3 s (attempt 2)",
     "限流，3 秒后重试（第 2 次）"),
    (WaitKind.NETWORK, "Network down, retrying in 3 s (attempt 2)",
     "网络中断，3 秒后重试（第 2 次）"),
    (WaitKind.TIMEOUT, "No answer in time, retrying in 3 s (attempt 2)",
     "应答超时，3 秒后重试（第 2 次）"),
    (WaitKind.SERVER, "Server busy or in error, retrying in 3 s (attempt 2)",
     "服务器繁忙或出错，3 秒后重试（第 2 次）"),
    (WaitKind.SETTLE, "Waiting for unanswered writes to settle: 3 s left",
     "等待未应答的写入落定，还需 3 秒"),
])
def test_each_wait_in_both_languages(request, kind, en, zh):
    wait = Wait(kind, 2.4, 2 if kind is not WaitKind.SETTLE else 0)
    assert wait_text(wait) == en
    request.getfixturevalue("chinese")
    assert wait_text(wait) == zh


def test_a_wait_in_the_status_line_in_chinese(qtbot, chinese, journal):
    panel = ResultsPanel(journal)
    qtbot.addWidget(panel)
    job = finished_job(journal)
    panel.job_started(job, 10)
    panel.on_progress(Progress(job, 10, 0, 0, 0, 0, 0, 1.0, 0, wait=Wait(
        WaitKind.NETWORK, 5.0, 1, "无法连接简道云服务器（ConnectError）")))
    assert panel.status_label.text().endswith(" · 网络中断，5 秒后重试（第 1 次）")
    assert "Network" not in panel.status_label.text()
    assert "ConnectError" in panel.status_label.toolTip()


@pytest.fixture
def db(paths):
    path = paths.local_db_path("local")
    init_demo(path, students=300, seed=3)
    return path


@pytest.fixture
def window_journal(paths):
    j = Journal(paths.journal_path)
    yield j
    j.close()


def test_select_these_students(qtbot, paths, db, window_journal):
    rows = LocalConnector(db).list_rows()
    assert any(r.card_status is CardStatus.ACTIVE and r.student.status
               is StudentStatus.SUSPENDED for r in rows)
    window = make_window(qtbot, paths, window_journal, LocalConnector(db))
    window.select_all_filtered()
    _plan, info = run_and_confirm(qtbot, window, Action.FREEZE)
    panel = window.results
    panel.set_outcome_filter(OutcomeKind.SKIPPED)  # e.g. the students it skipped
    wanted = panel.model.student_nos(shown=True)
    assert 0 < len(wanted) < info.total
    window.table.clearSelection()
    assert panel.select_action.isEnabled()
    panel.select_action.trigger()
    picked = [r.student_no for r in window.table.selected_rows()]
    shown = {window.model.index(r, 0).data(ROW_ROLE).student_no
             for r in range(window.model.rowCount())}
    assert set(picked) == set(wanted) & shown and picked
    assert f"{len(picked):,} of {len(wanted):,} students selected" in \
        window.statusBar().currentMessage()
    window.close()
