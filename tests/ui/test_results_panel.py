"""The results area: ResultsModel (qtmodeltester, filter, sort) and ResultsPanel (a journalled
job's records and summary, filter, retry, copy, export, progress while running)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from campuscard_gui.batch import JobRecord, JobState, Journal, Progress, Wait, WaitKind
from campuscard_gui.core.model import Action, Card, CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.core.outcomes import Cancelled, Failed, OutcomeKind, Succeeded
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.results_model import (
    COL_RESULT,
    COL_STUDENT_NO,
    RecordRole,
    ResultsModel,
)
from campuscard_gui.ui.jobs.results_panel import ResultsPanel, format_duration

# The offscreen platform says this whenever a window is shown; it is not our warning.


def _rows() -> list[StudentRow]:
    rows = []
    for i in range(8):
        no = f"2024{i:04d}"
        student = Student(no, f"学生{i}", "计算机学院", "一班", StudentStatus.ENROLLED, f"S{i}")
        card = Card(f"C{i}", no, CardStatus.ACTIVE) if i < 6 else None
        rows.append(StudentRow(student, card))
    return rows


def finished_job(journal: Journal) -> int:
    """A FREEZE job of 8: 3 succeeded, 2 failed, 1 cancelled, 2 skipped (no card)."""
    plan = plan_action(Action.FREEZE, _rows())
    assert len(plan.writes) == 6 and len(plan.skips) == 2
    job = journal.create_job(plan, profile="local", operator="tester", chunk_size=6)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {
        0: Succeeded("C0"), 1: Failed("conflict", "该卡在此期间已被修改"), 2: Succeeded("C2"),
        3: Failed("network", "网络错误"), 4: Succeeded("C4"), 5: Cancelled(),
    })
    journal.finish_job(job)
    return job


def test_model_passes_modeltester_and_filters(qtmodeltester, journal):
    job = finished_job(journal)
    records = journal.records(job)
    model = ResultsModel()
    qtmodeltester.check(model)
    model.set_records(records)
    qtmodeltester.check(model)
    assert model.rowCount() == 8
    assert model.counts()[OutcomeKind.FAILED] == 2
    assert model.failed_student_nos() == ["20240001", "20240003"]
    assert isinstance(model.index(0, 0).data(RecordRole), JobRecord)
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None

    model.set_outcome_filter(OutcomeKind.FAILED)
    qtmodeltester.check(model)
    assert [model.record(r).student_no for r in range(model.rowCount())] == [
        "20240001", "20240003"]
    model.set_outcome_filter(OutcomeKind.SKIPPED)
    assert model.rowCount() == 2
    model.set_outcome_filter(None)
    assert model.rowCount() == 8


def test_model_sort_keeps_persistent_indexes(qtmodeltester, journal):
    model = ResultsModel()
    model.set_records(journal.records(finished_job(journal)))
    pinned = model.index(3, 0)  # 20240003, failed
    from PySide6.QtCore import QPersistentModelIndex

    persistent = QPersistentModelIndex(pinned)
    model.sort(COL_RESULT, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    assert model.index(0, COL_RESULT).data() == "Failed"
    assert persistent.data(RecordRole).student_no == "20240003"
    model.sort(COL_STUDENT_NO, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "20240007"
    assert persistent.data() == "20240003"
    model.sort(-1)
    assert [model.record(r).position for r in range(8)] == list(range(8))


def show(qtbot, panel: ResultsPanel, job: int) -> None:
    with qtbot.waitSignal(panel.jobLoaded, timeout=5000):
        panel.show_job(job)


def test_panel_shows_finished_job(qtbot, panel, journal):
    job = finished_job(journal)
    assert not panel.cancel_button.isEnabled()
    show(qtbot, panel, job)
    assert panel.table.model().rowCount() == 8
    assert panel.summary_label.text() == "Succeeded 3 · Failed 2 · Skipped 2 · Cancelled 1"
    assert panel.progress_bar.value() == 8 and panel.progress_bar.maximum() == 8
    assert panel.job is not None and panel.job.state is JobState.DONE
    assert panel.retry_button.isEnabled()
    assert panel.export_button.isEnabled()
    assert not panel.cancel_button.isEnabled()
    assert f"Job {job}" in panel.status_label.text()


def test_panel_filter_and_retry(qtbot, panel, journal):
    job = finished_job(journal)
    show(qtbot, panel, job)
    combo = panel.filter_combo
    combo.setCurrentIndex(combo.findData(OutcomeKind.FAILED))
    assert panel.model.rowCount() == 2
    combo.setCurrentIndex(combo.findData(OutcomeKind.SUCCEEDED))
    assert panel.model.rowCount() == 3
    with qtbot.waitSignal(panel.retryRequested) as blocker:
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [Action.FREEZE, ["20240001", "20240003"]]


def test_retry_disabled_without_failures(qtbot, panel, journal):
    plan = plan_action(Action.FREEZE, _rows()[:2])
    job = journal.create_job(plan, profile="local", operator="t", chunk_size=5)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {0: Succeeded("C0"), 1: Succeeded("C1")})
    journal.finish_job(job)
    show(qtbot, panel, job)
    assert not panel.retry_button.isEnabled()


def test_copy_selected_rows(qtbot, panel, journal):
    show(qtbot, panel, finished_job(journal))
    panel.table.selectRow(1)
    panel.copy_selection()
    text = QApplication.clipboard().text()
    assert text.split("\t")[:4] == ["20240001", "学生1", "Freeze", "Failed"]


def _save_as(monkeypatch, path, chosen="CSV, UTF-8 (*.csv)"):
    def fake(*args, **kwargs):
        return str(path), chosen
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def _table(rows: list[list[str]]) -> list[list[str]]:
    """The records table of an export: what follows the job's metadata and its empty row."""
    return rows[rows.index([]) + 1:]


def test_export_csv(qtbot, panel, journal, tmp_path, monkeypatch):
    job = finished_job(journal)
    show(qtbot, panel, job)
    panel.set_outcome_filter(OutcomeKind.FAILED)
    asked: list[tuple[int, int]] = []
    panel.ask_export_scope = lambda _parent, total, shown: asked.append((total, shown)) \
        or "shown"
    target = tmp_path / "failed"  # no suffix: the chosen filter decides
    _save_as(monkeypatch, target)
    with qtbot.waitSignal(panel.exported, timeout=5000) as blocker:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert asked == [(8, 2)]  # the filter hides some: asked which
    assert blocker.args == [str(tmp_path / "failed.csv")]
    raw = (tmp_path / "failed.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    every = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    meta = dict(r for r in every[:every.index([])])
    assert meta["Job"] == str(job) and meta["Operator"] == "tester"
    assert meta["Profile"] == "local" and meta["Failed"] == "2"
    rows = _table(every)
    assert rows[0] == ["Student no.", "Name", "Action", "Result", "Reason / error",
                       "Card record ID"]
    assert [r[0] for r in rows[1:]] == ["20240001", "20240003"]
    assert rows[1][1] == "学生1" and rows[1][4] == "[conflict] 该卡在此期间已被修改"
    assert "Exported 2 records" in panel.status_label.text()


def test_export_xlsx(qtbot, panel, journal, tmp_path, monkeypatch):
    show(qtbot, panel, finished_job(journal))
    target = tmp_path / "all.xlsx"
    _save_as(monkeypatch, target)
    with qtbot.waitSignal(panel.exported, timeout=5000):
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    book = load_workbook(target)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(values) == 9
    assert values[1][:4] == ("20240000", "学生0", "Freeze", "Succeeded")
    meta = dict(book.worksheets[1].iter_rows(values_only=True))  # the job's details
    assert meta["Action"] == "Freeze" and meta["Records"] == "8"


def test_export_error_shows_message(qtbot, panel, journal, tmp_path, monkeypatch):
    show(qtbot, panel, finished_job(journal))
    blocker_file = tmp_path / "not-a-dir"
    blocker_file.write_text("x")
    _save_as(monkeypatch, blocker_file / "out.csv")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: shown.append(text)))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "could not be exported" in shown[0] and "out.csv" in shown[0]
    assert panel.export_button.isEnabled()


def test_export_cancelled_dialog_does_nothing(qtbot, panel, journal, monkeypatch):
    show(qtbot, panel, finished_job(journal))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert panel.export_button.isEnabled()


def test_running_job_progress_and_cancel(qtbot, panel, journal):
    job = finished_job(journal)
    panel.job_started(job, 8)
    assert panel.cancel_button.isEnabled()
    assert not panel.retry_button.isEnabled() and not panel.export_button.isEnabled()
    assert panel.progress_bar.maximum() == 8 and panel.progress_bar.value() == 0
    panel.on_progress(Progress(job, 8, 4, 2, 1, 1, 0, elapsed=2.0, written=3))
    assert panel.progress_bar.value() == 4
    text = panel.status_label.text()
    assert "4 of 8" in text and "1.5 records/s" in text and "0:03 left" in text
    assert panel.summary_label.text() == "Succeeded 2 · Failed 1 · Skipped 1 · Cancelled 0"
    panel.on_progress(Progress(job + 99, 8, 8, 8, 0, 0, 0, 1.0, 8))  # another job: ignored
    assert panel.progress_bar.value() == 4
    panel.on_progress(Progress(job, 8, 4, 2, 1, 1, 0, 2.0, 3, waiting_s=41.2))
    assert "Waiting for unanswered writes to settle: 42 s left" in panel.status_label.text()
    assert "left" not in panel.status_label.text().replace("s left", "")  # no ETA meanwhile
    with qtbot.waitSignal(panel.cancelRequested):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isEnabled()

    info = journal.job(job)
    with qtbot.waitSignal(panel.jobLoaded, timeout=5000):
        panel.job_finished(info, {})
    assert not panel.cancel_button.isEnabled()
    assert panel.model.rowCount() == 8


def test_a_retry_wait_is_said_while_the_job_runs(qtbot, panel, journal):
    job = finished_job(journal)
    panel.job_started(job, 8)
    panel.on_progress(Progress(job, 8, 0, 0, 0, 0, 0, 2.0, 0, retry_in_s=2.4,
                               retry_attempt=2, retry_reason="限流",
                               wait=Wait(WaitKind.RATE_LIMITED, 2.4, 2, "超出频率限制")))
    assert "Rate limited, retrying in 3 s (attempt 2)" in panel.status_label.text()
    assert panel.status_label.toolTip() == "超出频率限制"  # the backend's words, aside
    panel.on_progress(Progress(job, 8, 0, 0, 0, 0, 0, 2.5, 0))  # the retry is under way
    assert "retrying" not in panel.status_label.text()


def test_records_are_shown_while_the_job_runs(qtbot, panel, journal):
    """Per-record results arrive from the journal as chunks are committed, not only at the
    end: a failure in a long job is visible while it runs."""
    job = finished_job(journal)
    panel.job_started(job, 8)
    assert panel.model.rowCount() == 0
    with qtbot.waitSignal(panel.liveRecordsShown, timeout=5000) as shown:
        panel.on_progress(Progress(job, 8, 4, 2, 1, 1, 0, elapsed=2.0, written=3))
    assert shown.args[0] == job and panel.is_running()
    assert panel.model.rowCount() == 8
    assert panel.model.counts()[OutcomeKind.FAILED] >= 1
    # progress that the records shown already cover reads nothing again; a new count does,
    # after the gap between live reads
    panel.on_progress(Progress(job, 8, 8, 6, 1, 1, 0, elapsed=2.5, written=7))
    assert not panel._live_timer.isActive()  # noqa: SLF001 - the journal said 8 decided
    panel.on_progress(Progress(job, 9, 9, 6, 1, 1, 0, elapsed=2.5, written=7))
    assert panel._live_timer.isActive()  # noqa: SLF001
    assert panel._live_timer.interval() >= 1000  # noqa: SLF001 - at most one read a second


def test_job_failed_keeps_message_and_loads_records(qtbot, panel, journal):
    job = finished_job(journal)
    panel.job_started(job, 8)
    with qtbot.waitSignal(panel.jobLoaded, timeout=5000):
        panel.job_failed("无法连接服务器")
    assert "无法连接服务器" in panel.status_label.text()
    assert not panel.cancel_button.isEnabled()


def test_missing_job_reports_error(qtbot, panel):
    panel.show_job(12345)
    qtbot.waitUntil(lambda: "Could not load" in panel.status_label.text(), timeout=5000)


def test_format_duration():
    assert format_duration(0) == "0:00"
    assert format_duration(61.2) == "1:02"
    assert format_duration(3725) == "1:02:05"


def test_object_names(panel):
    for name in ("jobProgress", "cancelJobButton", "resultsTable", "retryFailedButton",
                 "exportButton", "outcomeFilterCombo"):
        w = panel.findChild(object, name)
        assert w is not None, name
        assert w.accessibleName(), name


def test_bound_to_controller_shows_a_real_job(qtbot, panel, journal, tmp_path):
    from campuscard_gui.backends.local.connector import LocalConnector
    from campuscard_gui.ui.jobs.job_controller import JobController

    local = LocalConnector(tmp_path / "local.sqlite3", demo_students=300, demo_seed=5)
    controller = JobController(local, journal)
    try:
        panel.bind(controller)
        plan = plan_action(Action.FREEZE, local.list_rows())
        with qtbot.waitSignal(panel.jobLoaded, timeout=8000):
            controller.start_plan(plan, profile="local", operator="t")
        assert panel.model.rowCount() == plan.total
        assert panel.model.counts()[OutcomeKind.SUCCEEDED] == len(plan.writes)
        assert panel.progress_bar.value() == plan.total
        assert not panel.cancel_button.isEnabled()
        assert panel.job is not None and panel.job.state is JobState.DONE
    finally:
        assert controller.shutdown(5000)
        local.close()


def test_waiting_for_unanswered_writes_in_chinese(qtbot, chinese, journal):
    panel = ResultsPanel(journal)
    qtbot.addWidget(panel)
    job = finished_job(journal)
    panel.job_started(job, 8)
    panel.on_progress(Progress(job, 8, 4, 2, 1, 1, 0, 2.0, 3, waiting_s=9.5))
    text = panel.status_label.text()
    assert "等待未应答的写入落定，还需 10 秒" in text
    assert "Waiting" not in text
    panel.on_progress(Progress(job, 8, 5, 3, 1, 1, 0, 3.0, 4))  # settled: the ETA again
    assert "等待" not in panel.status_label.text()


def _job_changed_by_others(journal: Journal) -> int:
    """A FREEZE job of 3: one frozen, one 由他人修改 (now 注销), one 已由他人开通."""
    from campuscard_gui.core.outcomes import Skipped, SkipReason

    plan = plan_action(Action.FREEZE, _rows()[:3])
    job = journal.create_job(plan, profile="local", operator="t", chunk_size=3)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {
        0: Succeeded("C0"),
        1: Skipped(SkipReason.CHANGED_BY_OTHER, CardStatus.CANCELLED.value),
        2: Skipped(SkipReason.OPENED_BY_OTHER, "C-77"),
    })
    journal.finish_job(job)
    return job


@pytest.mark.parametrize("lang, changed, opened, skipped", [
    ("en", "Changed by someone else (now Cancelled)", "Opened by someone else (card record C-77)",
     "Skipped"),
    ("zh_CN", "由他人修改（现为注销）", "已由他人开通（卡记录 C-77）", "跳过"),
])
def test_skips_by_someone_else_in_table_filter_and_export(
        qtbot, request, journal, tmp_path, monkeypatch, lang, changed, opened, skipped):
    from campuscard_gui.ui.jobs.results_model import COL_REASON

    if lang == "zh_CN":
        request.getfixturevalue("chinese")
    panel = ResultsPanel(journal)
    qtbot.addWidget(panel)
    show(qtbot, panel, _job_changed_by_others(journal))
    panel.set_outcome_filter(OutcomeKind.SKIPPED)
    # with its count
    assert panel.filter_combo.currentText() == (f"{skipped}（2）" if lang == "zh_CN"
                                                else f"{skipped} (2)")
    model = panel.model
    assert model.rowCount() == 2
    reasons = [model.index(r, COL_REASON).data() for r in range(2)]
    assert reasons == [changed, opened]
    assert [model.index(r, COL_RESULT).data() for r in range(2)] == [skipped, skipped]
    _save_as(monkeypatch, tmp_path / "skipped.csv")
    with qtbot.waitSignal(panel.exported, timeout=5000):
        panel.export_to(tmp_path / "skipped.csv", shown_only=True)
    rows = _table(list(csv.reader(io.StringIO(
        (tmp_path / "skipped.csv").read_text(encoding="utf-8-sig"), newline=""))))
    assert [r[4] for r in rows[1:]] == [changed, opened]
    english = lang == "en"
    for text in (*reasons, panel.filter_combo.currentText()):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text) != english, text
