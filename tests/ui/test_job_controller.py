"""JobController runs real jobs off the GUI thread (real Journal, real LocalConnector), reports
progress on a timer, cancels between chunks, shuts down cleanly; run_in_thread delivers on the
GUI thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence

import pytest
from fake_abilities import NoAbilities
from PySide6.QtCore import QObject, QTimer

from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.batch import JobInfo, JobState, Progress
from campuscard_gui.connectors.base import (
    CardCreate,
    CardUpdate,
    Consistency,
    Limits,
    RecordResult,
)
from campuscard_gui.core.errors import CampusCardError
from campuscard_gui.core.model import (
    Action,
    Card,
    CardStatus,
    Student,
    StudentRow,
    StudentStatus,
)
from campuscard_gui.core.outcomes import OutcomeKind, Succeeded
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.jobs.job_controller import JobController
from campuscard_gui.ui.workers import error_message, run_in_thread, wait_for_workers


class SlowConnector(NoAbilities):
    """In-memory, thread-safe; every write call sleeps ``delay`` seconds."""

    kind = "fake"
    consistency = Consistency(conditional_updates=True, one_card_per_student=True)

    def __init__(self, n: int, *, delay: float = 0.05, batch_size: int = 5,
                 boom: bool = False) -> None:
        self.limits = Limits(batch_size=batch_size, concurrency=1)
        self.delay = delay
        self.boom = boom
        self.calls = 0
        self._lock = threading.Lock()
        self.cards: dict[str, Card] = {}
        self.students = [Student(f"S{i:05d}", f"学生{i}", "学院", "班", StudentStatus.ENROLLED)
                         for i in range(n)]

    def rows(self) -> list[StudentRow]:
        return [StudentRow(s, self.cards.get(s.student_no)) for s in self.students]

    def list_rows(self, progress=None) -> list[StudentRow]:
        return self.rows()

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        with self._lock:
            return {no: self.cards[no] for no in student_nos if no in self.cards}

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        time.sleep(self.delay)  # a slow fake backend (no sandbox here), not a wait for anything
        if self.boom:
            raise ZeroDivisionError("a bug in a connector")
        with self._lock:
            self.calls += 1
            out: list[RecordResult] = []
            for it in items:
                card = Card(f"C-{it.student_no}", it.student_no, status)
                self.cards[it.student_no] = card
                out.append(Succeeded(card.card_id))
            return out

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        raise NotImplementedError

    def check_connection(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def local(tmp_path):
    conn = LocalConnector(tmp_path / "local.sqlite3", demo_students=400, demo_seed=3)
    yield conn
    conn.close()


@pytest.fixture
def controllers(journal):
    """Controllers made in a test are shut down before the journal closes."""
    made: list[JobController] = []
    yield made
    for c in made:
        assert c.shutdown(10_000)


@pytest.fixture
def make_controller(controllers):
    def make(connector, journal) -> JobController:
        controller = JobController(connector, journal)
        controllers.append(controller)
        return controller
    return make


def test_real_job_runs_to_completion(qtbot, local, journal, make_controller):
    rows = local.list_rows()
    plan = plan_action(Action.OPEN, rows)
    assert plan.writes, "the demo school has students without a card"
    controller = make_controller(local, journal)
    progress: list[Progress] = []
    controller.progress.connect(progress.append)
    started: list[tuple[int, int]] = []
    controller.started.connect(lambda job, total: started.append((job, total)))

    with qtbot.waitSignal(controller.finished, timeout=8000) as blocker:
        controller.start_plan(plan, profile="local", operator="tester")
        assert controller.is_running()
    info, changed = blocker.args
    assert isinstance(info, JobInfo)
    assert info.state is JobState.DONE
    assert started == [(info.job_id, plan.total)]
    assert info.succeeded == len(plan.writes) and info.failed == 0
    assert info.operator == "tester" and info.profile == "local"
    assert set(changed) == {w.student_no for w in plan.writes}
    assert all(c.status is CardStatus.ACTIVE for c in changed.values())
    assert progress and progress[-1].done == plan.total
    qtbot.waitUntil(lambda: not controller.is_running(), timeout=2000)
    assert controller.last_job_id == info.job_id

    # the backend really has the cards now
    fresh = {r.student_no: r for r in local.list_rows()}
    assert all(fresh[w.student_no].card_status is CardStatus.ACTIVE for w in plan.writes)


def test_start_existing_job_and_queue(qtbot, local, journal, make_controller):
    rows = local.list_rows()
    freeze = plan_action(Action.FREEZE, rows[:50])
    opened = plan_action(Action.OPEN, rows[50:100])
    j1 = journal.create_job(freeze, profile="local", operator="t", chunk_size=10)
    j2 = journal.create_job(opened, profile="local", operator="t", chunk_size=10)
    controller = make_controller(local, journal)
    finished: list[int] = []
    controller.finished.connect(lambda info, changed: finished.append(info.job_id))
    with qtbot.waitSignal(controller.idle, timeout=8000):
        controller.start(j1)
        controller.start(j2)  # queued behind j1
    assert finished == [j1, j2]
    assert journal.job(j1).state is JobState.DONE
    assert journal.job(j2).state is JobState.DONE


def test_cancel_mid_job_and_gui_not_blocked(qtbot, journal, make_controller):
    conn = SlowConnector(200, delay=0.04, batch_size=5)
    plan = plan_action(Action.OPEN, conn.rows())
    controller = make_controller(conn, journal)
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start()
    progress: list[Progress] = []
    controller.progress.connect(progress.append)

    controller.start_plan(plan, profile="fake", operator="t")
    qtbot.waitUntil(lambda: bool(progress) and progress[-1].done >= 10, timeout=5000)
    assert controller.is_running()
    with qtbot.waitSignal(controller.finished, timeout=5000) as blocker:
        controller.cancel()
    ticker.stop()
    info = blocker.args[0]
    assert info.state is JobState.CANCELLED
    assert info.cancelled > 0 and info.succeeded > 0
    assert info.succeeded + info.cancelled == 200
    assert conn.calls < 40  # stopped well before the end
    # the GUI thread kept running its event loop while the job ran
    assert len(ticks) >= 10
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 0.5
    # progress came on the timer, not per chunk
    assert len(progress) <= conn.calls


def test_shutdown_mid_job_cancels_and_waits(qtbot, journal):
    conn = SlowConnector(100, delay=0.05, batch_size=5)
    controller = JobController(conn, journal)
    started: list[int] = []
    controller.started.connect(lambda job, total: started.append(job))
    controller.start_plan(plan_action(Action.OPEN, conn.rows()), profile="fake", operator="t")
    qtbot.waitUntil(lambda: bool(started), timeout=5000)
    assert controller.shutdown(5000)
    assert not controller.is_running()
    assert journal.job(started[0]).state is JobState.CANCELLED
    assert conn.calls < 20


def test_bug_in_connector_is_reported_generically(qtbot, journal, caplog, make_controller):
    conn = SlowConnector(10, delay=0, boom=True)
    controller = make_controller(conn, journal)
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        controller.start_plan(plan_action(Action.OPEN, conn.rows()), profile="fake",
                              operator="t")
    assert "unexpected error" in blocker.args[0]
    assert "ZeroDivisionError" in caplog.text
    job = controller.last_job_id
    assert job is not None and journal.job(job).state is JobState.RUNNING  # resumable


def test_expected_error_message_is_passed_on(qtbot, journal, make_controller):
    controller = make_controller(SlowConnector(1), journal)
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        controller.start(424242)
    assert blocker.args == ["没有编号为 424242 的任务"]


def test_discard_sends_nothing(qtbot, journal, make_controller):
    conn = SlowConnector(20, delay=0)
    job = journal.create_job(plan_action(Action.OPEN, conn.rows()), profile="fake",
                             operator="t", chunk_size=5)
    controller = make_controller(conn, journal)
    with qtbot.waitSignal(controller.finished, timeout=5000) as blocker:
        controller.discard(job)
    info, changed = blocker.args
    assert info.state is JobState.CANCELLED and info.cancelled == 20
    assert changed == {}
    assert conn.calls == 0


def test_run_in_thread_delivers_on_gui_thread(qtbot):
    main = threading.get_ident()
    seen: dict[str, object] = {}
    owner = QObject()

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["done_on"] = threading.get_ident()

    run_in_thread(work, done, parent=owner)
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen["value"] == 42 and seen["done_on"] == main and seen["worker"] != main

    errors: list[BaseException] = []
    run_in_thread(lambda: (_ for _ in ()).throw(CampusCardError("连接失败")),
                  done, errors.append, parent=owner)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert error_message(errors[0]) == "连接失败"
    assert "unexpected" in error_message(ValueError("x"))


def test_run_in_thread_drops_result_when_parent_is_gone(qtbot):
    owner = QObject()
    gate = threading.Event()
    got: list[object] = []
    run_in_thread(lambda: gate.wait(3) and 1, got.append, parent=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: _deleted(owner), timeout=3000)
    gate.set()
    assert wait_for_workers(3000)
    qtbot.wait(50)
    assert got == []


def _deleted(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:
        return True
    return False


def test_changed_cards_of_succeeded_only(qtbot, journal, make_controller):
    conn = SlowConnector(12, delay=0, batch_size=4)
    controller = make_controller(conn, journal)
    with qtbot.waitSignal(controller.finished, timeout=5000) as blocker:
        controller.start_plan(plan_action(Action.OPEN, conn.rows()[:6]), profile="fake",
                              operator="t")
    info, changed = blocker.args
    records = journal.records(info.job_id)
    assert all(r.outcome is not None and r.outcome.kind is OutcomeKind.SUCCEEDED
               for r in records)
    assert sorted(changed) == [f"S{i:05d}" for i in range(6)]
