"""The results table of a big job pages from the journal: it holds the keys it shows and a
small cache, not the job's records; filter, search and sort of more than SYNC_MAX records are
made on a worker and keep the selection on its records."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QItemSelectionModel, Qt

from campuscard_gui.batch import JobRecord, Journal
from campuscard_gui.core.model import Action, CardStatus
from campuscard_gui.core.outcomes import Failed, OutcomeKind, Succeeded
from campuscard_gui.core.plan import Plan, PlannedWrite
from campuscard_gui.ui.jobs import results_model
from campuscard_gui.ui.jobs.results_model import COL_STUDENT_NO, RecordRole

N = 12_000  # above SYNC_MAX: views are made on a worker


def big_job(journal: Journal, n: int = N) -> int:
    plan = Plan(Action.FREEZE)
    plan.writes.extend(PlannedWrite(f"2024{i:05d}", f"学生{i}", Action.FREEZE,
                                    CardStatus.ACTIVE, f"C{i}", "1", f"S{i}")
                       for i in range(n))
    job = journal.create_job(plan, profile="local", operator="t", chunk_size=n)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {i: Failed("conflict", "改过了") if i % 10 == 3
                                  else Succeeded(f"C{i}") for i in range(n)})
    journal.finish_job(job)
    return job


def _live_records() -> int:
    gc.collect()
    return sum(isinstance(o, JobRecord) for o in gc.get_objects())


def test_a_big_job_is_paged_not_held(qtbot, panel, journal):
    assert N > results_model.SYNC_MAX
    job = big_job(journal)
    with qtbot.waitSignal(panel.jobLoaded, timeout=10_000):
        panel.show_job(job)
    model = panel.model
    assert model.rowCount() == N and model.total_count() == N
    assert model.counts()[OutcomeKind.FAILED] == N // 10
    table = panel.table
    for row in (0, N // 2, N - 1):  # paint the top, the middle and the end
        table.scrollTo(model.index(row, 0))
        panel.grab()
        assert model.index(row, COL_STUDENT_NO).data() == f"2024{row:05d}"
    assert model.cached_count() <= results_model.CACHE_MAX
    assert _live_records() <= results_model.CACHE_MAX  # nobody holds the 12,000 records


def test_filter_search_and_sort_of_a_big_job_run_on_a_worker(qtbot, panel, journal):
    job = big_job(journal)
    with qtbot.waitSignal(panel.jobLoaded, timeout=10_000):
        panel.show_job(job)
    model = panel.model
    with qtbot.waitSignal(model.viewReady, timeout=10_000):
        panel.set_outcome_filter(OutcomeKind.FAILED)
    assert model.rowCount() == N // 10
    assert {model.record(r).outcome.kind for r in range(0, model.rowCount(), 97)} == {
        OutcomeKind.FAILED}
    assert model.is_narrowed()
    with qtbot.waitSignal(model.viewReady, timeout=10_000):
        panel.set_outcome_filter(None)
    with qtbot.waitSignal(model.viewReady, timeout=10_000):
        panel.search_edit.setText("202400123")
    assert [model.record(r).student_no for r in range(model.rowCount())] == ["202400123"]
    with qtbot.waitSignal(model.viewReady, timeout=10_000):
        panel.search_edit.clear()
    assert model.rowCount() == N

    # a selected record stays selected through a sort made on a worker
    panel.table.selectionModel().select(
        model.index(5, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    with qtbot.waitSignal(model.viewReady, timeout=10_000):
        panel.table.sortByColumn(COL_STUDENT_NO, Qt.SortOrder.DescendingOrder)
    assert model.record(0).student_no == f"2024{N - 1:05d}"
    chosen = [i.data(RecordRole).student_no for i in panel.table.selectionModel().selectedRows()]
    assert chosen == ["202400005"]
    assert panel.table.selectionModel().selectedRows()[0].row() == N - 1 - 5


def test_exporting_a_big_job_reads_it_on_the_worker(qtbot, panel, journal, tmp_path):
    job = big_job(journal)
    with qtbot.waitSignal(panel.jobLoaded, timeout=10_000):
        panel.show_job(job)
    target = tmp_path / "all.csv"
    with qtbot.waitSignal(panel.exported, timeout=20_000):
        panel.export_to(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert sum(1 for line in lines if line.startswith("2024")) == N


def test_a_live_refresh_keeps_the_selection_and_the_rows(qtbot, panel, journal):
    """While a job runs, re-reading its records changes only the outcomes shown: the rows,
    the selection and the scroll position stay where the operator left them."""
    plan = Plan(Action.FREEZE)
    plan.writes.extend(PlannedWrite(f"2024{i:05d}", f"学生{i}", Action.FREEZE,
                                    CardStatus.ACTIVE, f"C{i}", "1", f"S{i}")
                       for i in range(40))
    job = journal.create_job(plan, profile="local", operator="t", chunk_size=20)
    panel.job_started(job, 40)
    with qtbot.waitSignal(panel.liveRecordsShown, timeout=5000):
        panel._load_live()  # noqa: SLF001 - the first live read, as a progress tick starts it
    model = panel.model
    assert model.rowCount() == 40 and model.counts()[None] == 40
    panel.table.selectRow(25)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {i: Succeeded(f"C{i}") for i in range(20)})
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(panel.liveRecordsShown, timeout=5000):
        panel._load_live()  # noqa: SLF001
    assert not resets
    assert model.counts()[OutcomeKind.SUCCEEDED] == 20
    assert model.index(3, 3).data() == "Succeeded"
    rows = [i.row() for i in panel.table.selectionModel().selectedRows()]
    assert rows == [25]


def test_the_rows_shown_are_read_with_the_view_not_by_the_paint(qtbot, panel, journal,
                                                                  monkeypatch):
    """A big job's view is made on a worker with the page the table shows: painting it reads
    nothing from the journal on the GUI thread (after a load, a live re-read or a sort)."""
    job = big_job(journal)
    gui_reads: list[int] = []
    reader = panel._reader  # noqa: SLF001 - the table's own connection
    records = reader.records

    def counted(job_id, positions=None):
        if threading.current_thread() is threading.main_thread():
            gui_reads.append(len(positions or ()))
        return records(job_id, positions)

    monkeypatch.setattr(reader, "records", counted)
    with qtbot.waitSignal(panel.jobLoaded, timeout=10_000):
        panel.show_job(job)
    panel.grab()
    assert panel.model.index(0, COL_STUDENT_NO).data() == "202400000"
    assert gui_reads == []
    panel.table.scrollTo(panel.model.index(5000, 0))  # a scroll reads its page: allowed
    panel.grab()
    gui_reads.clear()
    with qtbot.waitSignal(panel.jobLoaded, timeout=10_000):
        panel.show_job(job)  # the same job again (as when it finishes): the page shown
    panel.grab()
    assert gui_reads == []
    with qtbot.waitSignal(panel.model.viewReady, timeout=10_000):
        panel.table.sortByColumn(COL_STUDENT_NO, Qt.SortOrder.DescendingOrder)
    panel.grab()
    assert gui_reads == []
