"""A bug is said in a dialog, not a vanished window: an exception raised in a slot, on a plain
thread or in a background task nobody listens to shows the crash dialog (in the operator's
language, with the log's place and copyable details without secrets), the log holds its
traceback, and the program keeps working."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from campuscard_gui.app import setup_logging
from campuscard_gui.core.text import has_cjk
from campuscard_gui.ui.crash import CrashDialog, CrashReporter, masked
from campuscard_gui.ui.workers import run_in_thread, wait_for_workers

pytestmark = pytest.mark.qt_no_exception_capture  # the reporter is what hears them here


@pytest.fixture
def log_file(paths):
    """The real rotating log file, as the program writes it."""
    paths.ensure_dir("log", writable=True)
    handler = setup_logging(paths)
    yield paths.log_path
    logging.getLogger().removeHandler(handler)
    handler.close()


@pytest.fixture
def reporter(qtbot, log_file):
    quits: list[bool] = []
    crash = CrashReporter(log_file, lambda: quits.append(True))
    crash.quits = quits  # type: ignore[attr-defined]
    crash.install()
    yield crash
    crash.uninstall()
    box = crash._box
    if box is not None:
        box.close()


def shown_dialog(qtbot, reporter) -> CrashDialog:
    with qtbot.waitSignal(reporter.shown, timeout=5000) as blocker:
        pass
    dialog = blocker.args[0]
    assert isinstance(dialog, CrashDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_an_exception_in_a_slot_shows_the_dialog_logs_the_traceback_and_work_goes_on(
        qtbot, reporter, log_file, chinese):
    button = QPushButton("go")
    qtbot.addWidget(button)
    clicks: list[int] = []

    def broken_slot() -> None:
        clicks.append(1)
        raise ValueError("a bug in a slot")

    button.clicked.connect(broken_slot)
    with qtbot.waitSignal(reporter.shown, timeout=5000) as blocker:
        button.click()
    dialog = blocker.args[0]
    assert dialog.windowTitle() == "意外错误"
    text = dialog.text_label.text()
    assert "任务日志" in text and str(log_file) in text  # the work is safe; where the log is
    assert "ValueError: a bug in a slot" in dialog.summary_label.text()
    assert "broken_slot" in dialog.details_edit.toPlainText()
    log = log_file.read_text(encoding="utf-8")
    assert "unhandled exception on thread MainThread" in log
    assert "Traceback" in log and "broken_slot" in log and "a bug in a slot" in log

    # 复制详细信息 copies and leaves the dialog open; 继续工作 (the default) closes it
    dialog.copy_button.click()
    assert "broken_slot" in QApplication.clipboard().text()
    assert dialog.isVisible()
    assert dialog.keep_button.isDefault()
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert reporter.quits == []
    # the program keeps running: the same button works (and fails) again
    with qtbot.waitSignal(reporter.shown, timeout=5000):
        button.click()
    assert clicks == [1, 1]


def test_an_exception_on_a_plain_thread_shows_the_dialog(qtbot, reporter, log_file):
    def work() -> None:
        raise RuntimeError("a bug on a worker thread")

    with qtbot.waitSignal(reporter.shown, timeout=5000) as blocker:
        thread = threading.Thread(target=work, name="import-worker")
        thread.start()
        thread.join()
    dialog = blocker.args[0]
    assert "thread: import-worker" in dialog.details_edit.toPlainText()
    assert "RuntimeError: a bug on a worker thread" in dialog.summary_label.text()
    assert "a bug on a worker thread" in log_file.read_text(encoding="utf-8")


def test_a_background_task_that_fails_with_nobody_listening_shows_the_dialog(
        qtbot, reporter, log_file):
    def task() -> None:
        raise KeyError("no such column")

    with qtbot.waitSignal(reporter.shown, timeout=5000) as blocker:
        run_in_thread(task, lambda _r: None)
    wait_for_workers()
    assert "KeyError" in blocker.args[0].summary_label.text()
    assert "background task failed" in log_file.read_text(encoding="utf-8")


def test_errors_in_a_row_make_one_dialog_that_counts(qtbot, reporter, chinese):
    def fail(n: int) -> None:
        raise ValueError(f"bug {n}")

    threads = [threading.Thread(target=fail, args=(n,)) for n in range(3)]
    with qtbot.waitSignal(reporter.shown, timeout=5000) as blocker:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    dialog = blocker.args[0]
    qtbot.waitUntil(lambda: "3 次" in dialog.text_label.text())
    assert dialog.details_edit.toPlainText().count("Traceback") == 3
    assert [w for w in QApplication.topLevelWidgets()
            if isinstance(w, CrashDialog) and w.isVisible()] == [dialog]


def test_quit_closes_the_window_the_usual_way(qtbot, reporter):
    threading.Thread(target=lambda: 1 / 0).start()
    dialog = shown_dialog(qtbot, reporter)
    dialog.quit_button.click()
    qtbot.waitUntil(lambda: reporter.quits == [True])


def test_details_carry_no_secret(qtbot, reporter):
    def leaky() -> None:
        raise RuntimeError('request failed: api_key=K3y-SECRET-123 '
                           '{"secret": "SK-Very-Secret"} Authorization: Bearer tok.SECRET')

    threading.Thread(target=leaky).start()
    dialog = shown_dialog(qtbot, reporter)
    dialog.copy_button.click()
    for text in (dialog.details_edit.toPlainText(), dialog.summary_label.text(),
                 QApplication.clipboard().text()):
        assert "SECRET" not in text and "Secret" not in text, text
        assert "api_key=***" in text


def test_masked_keeps_what_is_not_a_secret():
    assert masked("student_no=2024001 status=frozen") == "student_no=2024001 status=frozen"
    assert masked("password: hunter2, user: ops") == "password: ***, user: ops"


def test_the_dialog_speaks_english_in_english_mode(qtbot, reporter):
    threading.Thread(target=lambda: 1 / 0).start()
    dialog = shown_dialog(qtbot, reporter)
    words = [dialog.windowTitle(), dialog.text_label.text(), dialog.keep_button.text(),
             dialog.copy_button.text(), dialog.quit_button.text(),
             dialog.details_button.text()]
    assert not any(has_cjk(w) for w in words), words
    assert dialog.windowTitle() == "Unexpected error"
