"""The window's resume path (JobController, used by the resume dialog and the history) offers
接管 for a job claimed under another host name, after a question naming the holder; the
journal's notice (a broken journal moved aside) is shown in a box that does not block."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.batch import JobState
from campuscard_gui.batch.liveness import JobLock, this_host
from campuscard_gui.core.model import Action
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.job_controller import JobController, ask_take_over
from campuscard_gui.ui.jobs.notice import show_journal_notice


@pytest.fixture
def local(tmp_path):
    conn = LocalConnector(tmp_path / "local.sqlite3", demo_students=60, demo_seed=3)
    yield conn
    conn.close()


@pytest.fixture
def claimed_job(journal, local):
    plan = plan_action(Action.OPEN, local.list_rows(), allow_non_enrolled=True)
    job_id = journal.create_job(plan, profile="local", operator="t", chunk_size=10)
    with journal._tx() as cur:
        cur.execute("INSERT INTO job_claims VALUES (?, 'front-desk-pc', 31337, 0)", (job_id,))
    return job_id


@pytest.fixture
def controller(journal, local):
    made = JobController(local, journal)
    yield made
    assert made.shutdown(10_000)


def test_take_over_after_the_operator_confirms(qtbot, journal, claimed_job, controller):
    asked: list[str] = []
    controller.confirm_take_over = lambda message: asked.append(message) or True
    with qtbot.waitSignal(controller.finished, timeout=10_000) as blocker:
        controller.start(claimed_job)
    info, _changed = blocker.args
    assert info.state is JobState.DONE and info.pending == 0
    assert len(asked) == 1 and "front-desk-pc" in asked[0] and "31337" in asked[0]
    assert journal.holder(claimed_job) is None


def test_declined_take_over_leaves_the_job(qtbot, journal, claimed_job, controller):
    controller.confirm_take_over = lambda message: False
    with qtbot.waitSignal(controller.failed, timeout=10_000) as blocker:
        controller.start(claimed_job)
    assert "front-desk-pc" in blocker.args[0]
    info = journal.job(claimed_job)
    assert info.state is JobState.RUNNING and info.succeeded == 0
    assert journal.holder(claimed_job).host == "front-desk-pc"


def test_discard_takes_over_too(qtbot, journal, claimed_job, controller):
    controller.confirm_take_over = lambda message: True
    with qtbot.waitSignal(controller.finished, timeout=10_000) as blocker:
        controller.discard(claimed_job)
    assert blocker.args[0].state is JobState.CANCELLED


def test_a_live_holder_is_not_offered_a_take_over(qtbot, journal, claimed_job, controller):
    asked: list[str] = []
    controller.confirm_take_over = lambda message: asked.append(message) or True
    lock = JobLock(journal.lock_path(claimed_job))  # another run of the job holds its lock
    assert lock.try_acquire()
    try:
        with qtbot.waitSignal(controller.failed, timeout=10_000) as blocker:
            controller.start(claimed_job)
    finally:
        lock.release()
    assert asked == [] and "正在由另一个程序执行" in blocker.args[0]


def test_the_question_names_the_holder_and_defaults_to_cancel(qtbot):
    seen: list[str] = []

    def answer(click: str) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not shown yet: look again soon
            QTimer.singleShot(10, lambda: answer(click))
            return
        assert box.objectName() == "takeOverBox"
        seen.append(box.text())
        if click == "take":
            button = box.findChild(QPushButton, "takeOverButton")
        else:
            button = box.defaultButton()
        button.click()

    QTimer.singleShot(0, lambda: answer("take"))
    assert ask_take_over(f"任务 3 被 {this_host()}-old 占用") is True
    QTimer.singleShot(0, lambda: answer("default"))
    assert ask_take_over("任务 3 被 pc-2 占用") is False
    assert seen == [f"任务 3 被 {this_host()}-old 占用", "任务 3 被 pc-2 占用"]


def test_the_journal_notice_is_shown_without_blocking(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    assert show_journal_notice(parent, None) is None
    box = show_journal_notice(parent, "任务日志无法读取，已移到 x.broken-1")
    assert box is not None and box.objectName() == "journalNoticeBox"
    qtbot.waitUntil(box.isVisible, timeout=2000)  # open(): the caller goes on at once
    assert "broken-1" in box.text()
    box.close()


def test_the_history_says_which_jobs_it_could_not_read(qtbot, journal, local):
    from campuscard_gui.ui.jobs.history_dialog import HistoryDialog

    for _ in range(2):
        journal.create_job(plan_action(Action.OPEN, local.list_rows()[:3]), profile="local",
                           operator="t", chunk_size=10)
    with journal._tx() as cur:  # as a newer version might write it
        cur.execute("UPDATE jobs SET action = 'reissue' WHERE id = 2")
    dialog = HistoryDialog(journal)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000) as blocker:
        dialog.show()
    assert blocker.args == [1]
    assert dialog.status_label.text().startswith("Jobs: 1 (1 more could not be read")
    assert "任务 2" in dialog.status_label.toolTip()
    assert "reissue" in dialog.status_label.toolTip()
