"""Reversing a job: 解冻 exactly what a 冻结 job froze (its succeeded records, never its
skipped, failed or cancelled ones), and 冻结 what an 解冻 job unfroze — planned on the
students' current state and confirmed like any action. 开通 and 注销 have no inverse: the
action is disabled and says why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_main_window import (  # the window fixtures of the end-to-end tests
    JOB_TIMEOUT,
    FlakyConnector,
    make_window,
    run_and_confirm,
)
from test_results_panel import finished_job

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import Journal
from campuscard_gui.core.model import Action, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.core.outcomes import OutcomeKind
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.results_panel import ResultsPanel


@pytest.fixture
def db(paths):
    path = paths.local_db_path("local")
    init_demo(path, students=300, seed=3)
    return path


@pytest.fixture
def journal(paths):
    j = Journal(paths.journal_path)
    yield j
    j.close()


def _show(qtbot, panel: ResultsPanel, job: int) -> None:
    with qtbot.waitSignal(panel.jobLoaded, timeout=5000):
        panel.show_job(job)


def test_the_inverse_is_of_the_succeeded_records_only(qtbot, journal):
    panel = ResultsPanel(journal)
    qtbot.addWidget(panel)
    _show(qtbot, panel, finished_job(journal))  # FREEZE: 3 ok, 2 failed, 1 cancelled, 2 skips
    assert panel.reverse_action.isEnabled()
    with qtbot.waitSignal(panel.reverseRequested) as asked:
        panel.reverse_action.trigger()
    assert asked.args == [Action.UNFREEZE, ["20240000", "20240002", "20240004"]]
    assert "Unfreeze the 3 students" in panel.reverse_action.toolTip()


@pytest.mark.parametrize(("action", "why"), [
    (Action.OPEN, "no inverse of Open card"), (Action.CANCEL, "irreversible")])
def test_open_and_cancel_have_no_inverse(qtbot, journal, action, why):
    rows = [StudentRow(Student(f"S{i}", f"学生{i}", "", "", StudentStatus.ENROLLED), None)
            for i in range(2)]
    job = journal.create_job(plan_action(action, rows), profile="local", operator="t",
                             chunk_size=2)
    journal.cancel_job(job)
    panel = ResultsPanel(journal)
    qtbot.addWidget(panel)
    _show(qtbot, panel, job)
    assert not panel.reverse_action.isEnabled()
    assert why in panel.reverse_action.toolTip()
    assert panel.reverse_plan() is None


def test_reverse_a_freeze_and_back_through_the_confirmation(qtbot, paths, db, journal):
    rows = LocalConnector(db).list_rows()
    active = [r.student_no for r in rows if r.student.status is StudentStatus.SUSPENDED
              and r.card_status is CardStatus.ACTIVE]
    flaky = active[0]  # its freeze fails: it must not be "unfrozen" by the reverse
    window = make_window(qtbot, paths, journal, FlakyConnector(db, {flaky}))
    window.select_all_filtered()  # all 300: most are skipped (no card, frozen, cancelled …)
    plan, first = run_and_confirm(qtbot, window, Action.FREEZE)
    assert first.failed == 1 and first.skipped > 0 and first.succeeded > 1
    records = window.results.model.records()
    froze = [r.student_no for r in records
             if r.outcome is not None and r.outcome.kind is OutcomeKind.SUCCEEDED]
    assert flaky not in froze

    with qtbot.waitSignal(window.flow.confirmRequested, timeout=JOB_TIMEOUT) as shown:
        window.results.reverse_action.trigger()
    dialog = shown.args[0]
    assert dialog.plan.action is Action.UNFREEZE
    assert [w.student_no for w in dialog.plan.writes] == froze  # exactly, in the job's order
    assert not dialog.plan.skips
    with qtbot.waitSignal(window.flow.controller.finished, timeout=JOB_TIMEOUT) as done:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    back = done.args[0]
    qtbot.waitUntil(lambda: not window.flow.is_busy() and window.results.job is not None
                    and window.results.job.job_id == back.job_id)
    assert back.parent_job_id == first.job_id and back.succeeded == len(froze)
    cards = window.connector.read_cards(froze + [flaky])
    assert all(cards[no].status is CardStatus.ACTIVE for no in froze + [flaky])

    # the reverse of the 解冻 job freezes the same students again
    with qtbot.waitSignal(window.flow.confirmRequested, timeout=JOB_TIMEOUT) as shown:
        window.results.reverse_action.trigger()
    again = shown.args[0]
    assert again.plan.action is Action.FREEZE
    assert [w.student_no for w in again.plan.writes] == froze
    again.reject()
    qtbot.waitUntil(lambda: not window.flow.is_busy())
    window.close()
