"""BatchRunner against an in-test fake connector (and the real LocalConnector for resume)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from fake_abilities import NoAbilities

from campuscard_gui.batch import (
    BatchRunner,
    CancelToken,
    ChunkState,
    JobState,
    Journal,
    Progress,
    RateLimiter,
    RetryPolicy,
    chunk_size_for,
    current_operator,
)
from campuscard_gui.connectors.base import (
    CardCreate,
    CardUpdate,
    Consistency,
    Limits,
    RecordResult,
)
from campuscard_gui.core.errors import (
    AmbiguousError,
    CampusCardError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from campuscard_gui.core.model import (
    Action,
    Card,
    CardStatus,
    Student,
    StudentRow,
    StudentStatus,
)
from campuscard_gui.core.outcomes import Cancelled, Failed, OutcomeKind, Succeeded
from campuscard_gui.core.plan import plan_action


class Crash(BaseException):
    """Stands in for the process dying (not an Exception: nothing may catch it)."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Fault = Callable[[], None] | str | None


class FakeConnector(NoAbilities):
    """A backend in memory. ``faults[n]`` says what the n-th write call (1-based) does:
    "retryable", "fatal", "ambiguous_before", "ambiguous_after" (applies, then raises),
    "crash_after" (applies, then raises Crash) or a callable run before applying."""

    kind = "fake"
    # like the local backend: one card per student, a key makes a resend a replay
    consistency = Consistency(conditional_updates=True, one_card_per_student=True)

    def __init__(self, rows: Sequence[StudentRow], limits: Limits | None = None) -> None:
        self.limits = limits or Limits(batch_size=100)
        self.cards: dict[str, Card] = {r.student_no: r.card for r in rows if r.card}
        self.created: Counter[str] = Counter()  # cards created per student
        self.applied: Counter[str] = Counter()  # writes applied per student
        self.sent: Counter[str] = Counter()  # items received per student
        self.replays: dict[str, list[RecordResult]] = {}
        self.faults: dict[int, Fault] = {}
        self.write_calls = 0
        self.read_calls = 0
        self.read_faults: list[Exception] = []
        self.keys: list[str] = []
        self.statuses: list[CardStatus] = []
        self.fail_items: dict[str, Failed] = {}
        self._lock = threading.Lock()
        self._next_id = 1
        self.in_flight = 0
        self.max_in_flight = 0
        self.call_hook: Callable[[], None] | None = None

    def list_rows(self, progress: object = None) -> list[StudentRow]:  # pragma: no cover
        raise NotImplementedError

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        with self._lock:
            self.read_calls += 1
            if self.read_faults:
                raise self.read_faults.pop(0)
            return {no: self.cards[no] for no in student_nos if no in self.cards}

    def _write(self, nos: list[str], key: str, status: CardStatus,
               apply: Callable[[int], RecordResult]) -> list[RecordResult]:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.write_calls += 1
            fault = self.faults.get(self.write_calls)
            self.keys.append(key)
            self.statuses.append(status)
        try:
            if self.call_hook is not None:
                self.call_hook()
            with self._lock:
                for no in nos:
                    self.sent[no] += 1
                if callable(fault):
                    fault()
                if fault == "retryable":
                    raise RetryableError("限流", code="8303", retry_after=None)
                if fault == "fatal":
                    raise FatalError("没有权限", code="403")
                if fault == "ambiguous_before":
                    raise AmbiguousError("超时", code="timeout")
                if key in self.replays:
                    return self.replays[key]
                results = [apply(i) for i in range(len(nos))]
                self.replays[key] = results
                if fault == "ambiguous_after":
                    raise AmbiguousError("连接中断", code="timeout")
                if fault == "crash_after":
                    raise Crash()
                return results
        finally:
            with self._lock:
                self.in_flight -= 1

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        def apply(i: int) -> RecordResult:
            item = items[i]
            if item.student_no in self.fail_items:
                return self.fail_items[item.student_no]
            card_id = f"N{self._next_id}"
            self._next_id += 1
            self.cards[item.student_no] = Card(card_id, item.student_no, status, item.open_time)
            self.created[item.student_no] += 1
            self.applied[item.student_no] += 1
            return Succeeded(card_id)

        return self._write([i.student_no for i in items], idempotency_key, status, apply)

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        def apply(i: int) -> RecordResult:
            item = items[i]
            if item.student_no in self.fail_items:
                return self.fail_items[item.student_no]
            card = self.cards[item.student_no]
            assert card.card_id == item.card_id
            self.cards[item.student_no] = replace(card, status=status)
            self.applied[item.student_no] += 1
            return Succeeded(card.card_id)

        return self._write([i.student_no for i in items], idempotency_key, status, apply)

    def check_connection(self) -> None:
        pass

    def close(self) -> None:
        pass


def make_rows(n: int, card: CardStatus = CardStatus.NONE) -> list[StudentRow]:
    rows = []
    for i in range(n):
        student = Student(f"2024{i:05d}", f"学生{i}", "计算机学院", "一班",
                          StudentStatus.ENROLLED, f"rec{i}")
        c = None if card is CardStatus.NONE else Card(f"C{i}", student.student_no, card)
        rows.append(StudentRow(student, c))
    return rows


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def setup(journal: Journal, action: Action, rows: list[StudentRow], *, chunk: int = 100,
          limits: Limits | None = None, retry: RetryPolicy | None = None,
          ) -> tuple[int, FakeConnector, BatchRunner, FakeClock]:
    fake = FakeConnector(rows, limits or Limits(batch_size=chunk))
    clock = FakeClock()
    runner = BatchRunner(fake, journal, retry=retry, clock=clock, sleep=clock.sleep,
                         now_ms=lambda: 1_700_000_000_000, rand=lambda: 0.0)
    job_id = journal.create_job(plan_action(action, rows), profile="test", operator="tester",
                                chunk_size=chunk_size_for(fake))
    return job_id, fake, runner, clock


def test_open_250_in_three_chunks(journal: Journal) -> None:
    rows = make_rows(250)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows)
    seen: list[Progress] = []
    info = runner.run(job_id, progress=seen.append)
    assert info.state is JobState.DONE and info.finished_at is not None
    assert (info.succeeded, info.failed, info.pending) == (250, 0, 0)
    assert fake.write_calls == 3 and len(set(fake.keys)) == 3
    assert set(fake.statuses) == {CardStatus.ACTIVE}
    assert all(n == 1 for n in fake.created.values()) and len(fake.created) == 250
    assert [p.done for p in seen] == [100, 200, 250]
    assert seen[-1].total == 250 and seen[-1].eta == 0.0
    recs = journal.records(job_id)
    assert all(isinstance(r.outcome, Succeeded) and r.card_id.startswith("N") for r in recs)
    assert fake.cards["202400000"].open_time == 1_700_000_000_000


def test_skips_are_counted_and_never_sent(journal: Journal) -> None:
    rows = make_rows(5, CardStatus.ACTIVE)
    rows += [StudentRow(replace(r.student, student_no="X" + r.student_no))
             for r in make_rows(2)]  # no card: 冻结 skips them as 未开通
    job_id, fake, runner, _ = setup(journal, Action.FREEZE, rows)
    info = runner.run(job_id)
    assert (info.succeeded, info.skipped, info.total) == (5, 2, 7)
    assert not any(no.startswith("X") for no in fake.sent)
    assert fake.cards["202400000"].status is CardStatus.FROZEN


def test_progress_rate_and_eta() -> None:
    p = Progress(1, total=100, done=40, succeeded=30, failed=0, skipped=10, cancelled=0,
                 elapsed=2.0, written=30)
    assert p.rate == 15.0 and p.eta == pytest.approx(4.0)
    assert replace(p, written=0).eta is None
    assert replace(p, elapsed=0.0).rate == 0.0


def test_cancel_between_chunks(journal: Journal) -> None:
    rows = make_rows(250)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows)
    token = CancelToken()
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        token.cancel()

    info = runner.run(job_id, cancel=token, progress=progress)
    assert info.state is JobState.CANCELLED
    assert (info.succeeded, info.cancelled, info.pending) == (100, 150, 0)
    assert fake.write_calls == 1 and len(fake.sent) == 100
    assert seen[-1].cancelled == 150 and seen[-1].done == 250
    assert runner.run(job_id).state is JobState.CANCELLED  # finished: nothing more is sent
    assert fake.write_calls == 1
    assert [r.outcome for r in journal.records(job_id)][100:] == [Cancelled()] * 150


def test_cancel_before_start_sends_nothing(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(10))
    token = CancelToken()
    token.cancel()
    info = runner.run(job_id, cancel=token)
    assert info.cancelled == 10 and fake.write_calls == 0 and fake.read_calls == 0


def test_retry_then_success_with_backoff(journal: Journal) -> None:
    job_id, fake, runner, clock = setup(journal, Action.OPEN, make_rows(150))
    fake.faults = {1: "retryable", 2: "retryable"}
    info = runner.run(job_id)
    assert info.succeeded == 150 and info.failed == 0
    assert fake.write_calls == 4
    assert fake.keys[0] == fake.keys[1] == fake.keys[2] != fake.keys[3]
    assert clock.sleeps == [0.5, 1.0]  # exponential, jitter 0 here
    assert journal.chunks(job_id)[0].attempts == 3


def test_each_retry_wait_is_reported_to_the_progress_callback(journal: Journal) -> None:
    """The window says "限流，0.5 秒后重试（第 2 次）" instead of nothing while it waits."""
    job_id, fake, runner, clock = setup(journal, Action.OPEN, make_rows(150))
    fake.faults = {1: "retryable", 2: "retryable"}
    seen: list[Progress] = []
    assert runner.run(job_id, progress=seen.append).succeeded == 150
    waits = [(p.retry_in_s, p.retry_attempt, p.retry_reason) for p in seen if p.retry_in_s]
    assert waits == [(0.5, 2, "限流"), (1.0, 3, "限流")]
    # each wait is followed by a progress without it (the retry is under way)
    after = [seen[i + 1] for i, p in enumerate(seen) if p.retry_in_s]
    assert all(p.retry_in_s == 0 and p.retry_reason == "" for p in after)
    assert clock.sleeps == [0.5, 1.0]


def test_retry_after_is_honoured(journal: Journal) -> None:
    job_id, fake, runner, clock = setup(journal, Action.OPEN, make_rows(5))

    def limited() -> None:
        raise RetryableError("限流", code="429", retry_after=7.5)

    fake.faults = {1: limited}
    assert runner.run(job_id).succeeded == 5
    assert clock.sleeps == [7.5]


def test_retries_exhausted_fail_with_code(journal: Journal) -> None:
    job_id, fake, runner, clock = setup(journal, Action.OPEN, make_rows(120),
                                        retry=RetryPolicy(max_attempts=3))
    fake.faults = {1: "retryable", 2: "retryable", 3: "retryable"}
    info = runner.run(job_id)
    assert info.state is JobState.DONE
    assert (info.failed, info.succeeded) == (100, 20)
    assert len(clock.sleeps) == 2
    failed = journal.records(job_id)[0].outcome
    assert failed == Failed("8303", "限流")


def test_cancel_stops_retrying(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(5))
    token = CancelToken()

    def retry_and_cancel() -> None:
        token.cancel()
        raise RetryableError("限流", code="8303")

    fake.faults = {1: retry_and_cancel}
    info = runner.run(job_id, cancel=token)
    assert info.cancelled == 5 and fake.write_calls == 1 and info.state is JobState.CANCELLED


def test_fatal_error_fails_the_chunk_and_goes_on(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(150))
    fake.faults = {1: "fatal"}
    info = runner.run(job_id)
    assert (info.failed, info.succeeded, info.state) == (100, 50, JobState.DONE)
    assert fake.write_calls == 2
    assert journal.records(job_id)[0].outcome == Failed("403", "没有权限")


def test_per_record_failures_are_kept(journal: Journal) -> None:
    rows = make_rows(4)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows)
    fake.fail_items = {"202400002": Failed("E_DUP", "学号重复")}
    info = runner.run(job_id)
    assert (info.succeeded, info.failed) == (3, 1)
    assert journal.records(job_id)[2].outcome == Failed("E_DUP", "学号重复")


@pytest.mark.parametrize("action,card", [(Action.OPEN, CardStatus.NONE),
                                         (Action.CANCEL, CardStatus.FROZEN)])
def test_ambiguous_after_apply_is_reconciled_without_resend(
        journal: Journal, action: Action, card: CardStatus) -> None:
    job_id, fake, runner, _ = setup(journal, action, make_rows(150, card))
    fake.faults = {1: "ambiguous_after"}
    info = runner.run(job_id)
    assert (info.succeeded, info.failed) == (150, 0)
    assert fake.write_calls == 2  # chunk 1 once (reconciled), chunk 2 once
    assert max(fake.sent.values()) == 1 and max(fake.applied.values()) == 1
    assert fake.read_calls == 1
    rec = journal.records(job_id)[0]
    assert rec.outcome == Succeeded(fake.cards[rec.student_no].card_id)


def test_ambiguous_before_apply_resends_with_same_key(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(30))
    fake.faults = {1: "ambiguous_before"}
    info = runner.run(job_id)
    assert info.succeeded == 30 and fake.write_calls == 2 and fake.keys[0] == fake.keys[1]
    assert max(fake.created.values()) == 1


def test_ambiguous_partly_applied_resends_only_the_missing(journal: Journal) -> None:
    rows = make_rows(10)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows)

    def half_applied() -> None:  # someone else's view: the first 4 cards exist already
        for r in rows[:4]:
            fake.cards[r.student_no] = Card("OLD" + r.student_no, r.student_no,
                                            CardStatus.ACTIVE)
        raise AmbiguousError("超时", code="timeout")

    fake.faults = {1: half_applied}
    info = runner.run(job_id)
    assert info.succeeded == 10
    assert fake.sent[rows[0].student_no] == 1 and fake.sent[rows[9].student_no] == 2
    assert not fake.created[rows[0].student_no]
    assert journal.records(job_id)[0].card_id == "OLD" + rows[0].student_no


def test_ambiguous_bounded(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(3),
                                    retry=RetryPolicy(max_ambiguous=2))
    fake.faults = {1: "ambiguous_before", 2: "ambiguous_before"}
    info = runner.run(job_id)
    assert info.failed == 3 and fake.write_calls == 2
    assert journal.records(job_id)[0].outcome == Failed(
        "timeout", "超时；已核对 2 次，后台没有这次写入的结果，未写入")


@pytest.mark.parametrize(("message", "final"), [
    ("简道云等待应答超时（ReadTimeout）：请求可能已生效，正在核对",
     "简道云等待应答超时（ReadTimeout）；已核对 3 次，后台没有这次写入的结果，未写入"),
    ("transaction_id 已存在：正在核对数据是否已写入",
     "transaction_id 已存在；已核对 3 次，后台没有这次写入的结果，未写入"),
    ("简道云没有确认全部 5 条卡记录已新建，正在核对",
     "简道云没有确认全部 5 条卡记录已新建；已核对 3 次，后台没有这次写入的结果，未写入"),
])
def test_a_final_reason_is_past_tense(message: str, final: str) -> None:
    """Once the checks are over, a reason never says "正在核对" (still checking)."""
    from campuscard_gui.batch.runner import checked_reason

    assert checked_reason(message, 3) == final and "正在核对" not in final


def test_unreadable_reconciliation_leaves_job_resumable(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(3))
    fake.faults = {1: "ambiguous_after"}
    fake.read_faults = [FatalError("没有权限", code="403")]
    with pytest.raises(ConnectorError) as err:
        runner.run(job_id)
    assert err.value.code == "unconfirmed"
    assert journal.job(job_id).state is JobState.RUNNING
    assert journal.chunks(job_id)[0].state is ChunkState.SENT
    info = runner.run(job_id)  # the read works now: applied, nothing resent
    assert info.succeeded == 3 and fake.write_calls == 1


def test_a_stop_after_unfinished_checks_is_past_tense(journal: Journal) -> None:
    """The job stops when what was sent cannot be read back: its message never says "…正在核对"
    (still checking) although the checking has stopped."""
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(3),
                                    retry=RetryPolicy(max_attempts=1))
    fake.faults = {1: "ambiguous_after"}
    fake.read_faults = [AmbiguousError("神笔等待应答超时（ReadTimeout）：请求可能已生效，正在核对",
                                       code="timeout")]
    with pytest.raises(ConnectorError) as err:
        runner.run(job_id)
    assert err.value.code == "unconfirmed"
    assert err.value.message == ("无法核对已发送的数据：神笔等待应答超时（ReadTimeout）。"
                                 "任务保持未完成，可稍后继续。")


def test_crash_then_resume_writes_nothing_twice(tmp_path: Path) -> None:
    rows = make_rows(350)
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows)
    fake.faults = {2: "crash_after"}
    with pytest.raises(Crash):
        runner.run(job_id)
    journal.close()

    journal2 = Journal(path)
    info = journal2.job(job_id)
    assert info.state is JobState.RUNNING and (info.succeeded, info.pending) == (100, 250)
    assert [c.state for c in journal2.chunks(job_id)] == [
        ChunkState.DONE, ChunkState.SENT, ChunkState.PENDING, ChunkState.PENDING]
    assert [j.job_id for j in journal2.unfinished_jobs()] == [job_id]
    clock = FakeClock()
    runner2 = BatchRunner(fake, journal2, clock=clock, sleep=clock.sleep)
    info = runner2.run(job_id)
    assert info.state is JobState.DONE and info.succeeded == 350
    assert fake.write_calls == 4  # chunk 2 was reconciled, not resent
    assert len(fake.created) == 350 and max(fake.created.values()) == 1
    assert max(fake.sent.values()) == 1
    journal2.close()


def test_bug_leaves_chunk_sent_and_is_reraised(journal: Journal,
                                               caplog: pytest.LogCaptureFixture) -> None:
    job_id, fake, runner, _ = setup(journal, Action.FREEZE, make_rows(5, CardStatus.ACTIVE))

    def bug() -> None:
        raise ZeroDivisionError("oops")

    fake.faults = {1: bug}
    with pytest.raises(ZeroDivisionError):
        runner.run(job_id)
    assert "内部错误" in caplog.text
    assert journal.job(job_id).pending == 5
    assert journal.chunks(job_id)[0].state is ChunkState.SENT
    assert runner.run(job_id).succeeded == 5  # resumable once the bug is gone


def test_concurrency_never_exceeds_limit(journal: Journal) -> None:
    rows = make_rows(70)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows,
                                    limits=Limits(batch_size=10, concurrency=3))
    barrier = threading.Barrier(3, timeout=10)
    calls = iter(range(1_000))

    def wait_for_two_others() -> None:  # so that 3 calls are really in flight at once
        if next(calls):  # the job's first chunk goes alone (it is verified first)
            barrier.wait()

    fake.call_hook = wait_for_two_others
    seen: list[Progress] = []
    info = runner.run(job_id, progress=seen.append)
    assert info.succeeded == 70 and info.state is JobState.DONE
    assert fake.max_in_flight == 3 and fake.write_calls == 7
    assert len(fake.created) == 70
    assert sorted(p.done for p in seen) == [10, 20, 30, 40, 50, 60, 70]


def test_concurrent_cancel(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(100),
                                    limits=Limits(batch_size=10, concurrency=2))
    token = CancelToken()
    info = runner.run(job_id, cancel=token, progress=lambda p: token.cancel())
    assert info.state is JobState.CANCELLED
    assert info.succeeded + info.cancelled == 100 and info.succeeded <= 30
    assert sum(fake.sent.values()) == info.succeeded


def test_pooled_bug_waits_for_in_flight_then_reraises(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(40),
                                    limits=Limits(batch_size=10, concurrency=2))

    def bug() -> None:
        raise KeyError("oops")

    fake.faults = {1: bug}
    with pytest.raises(KeyError):
        runner.run(job_id)
    states = [c.state for c in journal.chunks(job_id)]
    assert ChunkState.SENT in states and journal.job(job_id).state is JobState.RUNNING
    info = runner.run(job_id)  # resume: the applied chunks are not sent again
    assert info.succeeded == 40 and max(fake.created.values()) == 1


def test_only_skips_finishes_without_sending(journal: Journal) -> None:
    job_id, fake, runner, _ = setup(journal, Action.OPEN, make_rows(3, CardStatus.ACTIVE))
    seen: list[Progress] = []
    info = runner.run(job_id, progress=seen.append)
    assert info.state is JobState.DONE and info.skipped == 3
    assert fake.write_calls == 0 and seen == []


def test_reconcile_read_is_retried(journal: Journal) -> None:
    job_id, fake, runner, clock = setup(journal, Action.OPEN, make_rows(4))
    fake.faults = {1: "ambiguous_after"}
    fake.read_faults = [RetryableError("忙", code="busy", retry_after=2.0)]
    info = runner.run(job_id)
    assert info.succeeded == 4 and fake.write_calls == 1 and fake.read_calls == 2
    assert 2.0 in clock.sleeps


def test_cancel_reconciles_a_chunk_left_sent(journal: Journal) -> None:
    rows = make_rows(30)
    job_id, fake, runner, _ = setup(journal, Action.OPEN, rows, chunk=10)
    fake.faults = {1: "crash_after"}
    with pytest.raises(Crash):
        runner.run(job_id)
    token = CancelToken()
    token.cancel()
    info = runner.run(job_id, cancel=token)  # resumed and cancelled at once
    assert info.state is JobState.CANCELLED
    assert (info.succeeded, info.cancelled) == (10, 20)  # chunk 1 was applied: not "cancelled"
    assert fake.write_calls == 1


def test_rate_limiter_spacing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(5):
        limiter.acquire()
        starts.append(clock.now)
    assert [round(b - a, 6) for a, b in zip(starts, starts[1:], strict=False)] == [0.25] * 4
    clock.now += 10  # idle: no waiting afterwards, no saved-up burst either
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(0.25)
    assert RateLimiter(0, clock=clock, sleep=clock.sleep).acquire() == 0.0


def test_rate_limiter_burst_and_threads() -> None:
    clock = FakeClock()
    lock = threading.Lock()
    slept: list[float] = []

    def sleep(s: float) -> None:
        with lock:
            slept.append(s)

    limiter = RateLimiter(10.0, burst=2, clock=clock, sleep=sleep)
    threads = [threading.Thread(target=limiter.acquire) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the clock stands still: 2 go at once, the others are reserved 0.1 s apart
    assert sorted(round(s, 6) for s in slept) == [0.1, 0.2, 0.3, 0.4]


def test_runner_uses_the_rate_limit(journal: Journal) -> None:
    job_id, fake, runner, clock = setup(
        journal, Action.OPEN, make_rows(50),
        limits=Limits(batch_size=10, requests_per_second=2.0))
    runner.run(job_id)
    assert fake.write_calls == 5 and clock.sleeps == [0.5] * 4


def test_a_paced_send_moves_the_journal_send_time(journal: Journal) -> None:
    """A connector that waits for its own rate slot sends after the runner's mark: when the
    request leaves (note_write_sent), the journal's send time follows, so the settle rule
    after a crash counts from the real send; a send on time writes nothing more."""
    from campuscard_gui.connectors.common import note_write_sent

    rows = make_rows(20)
    fake = FakeConnector(rows, Limits(batch_size=10))
    wall = FakeClock()
    runner = BatchRunner(fake, journal, clock=wall, sleep=wall.sleep, wall=wall,
                         now_ms=lambda: 1_700_000_000_000, rand=lambda: 0.0)
    job_id = journal.create_job(plan_action(Action.OPEN, rows), profile="test",
                                operator="tester", chunk_size=10)
    seen: list[tuple[float | None, float | None]] = []

    def sent_late(seq: int, waited: float) -> Callable[[], None]:
        def fault() -> None:
            before = journal.sent_at(job_id, seq)
            wall.now += waited  # the connector's rate slot came this much later
            note_write_sent()
            seen.append((before, journal.sent_at(job_id, seq)))
        return fault

    fake.faults = {1: sent_late(0, 0.01), 2: sent_late(1, 2.0)}
    info = runner.run(job_id)
    assert info.succeeded == 20
    (on_time_before, on_time_after), (late_before, late_after) = seen
    assert on_time_before is not None and on_time_after == on_time_before
    assert late_before is not None and late_after is not None and late_after > late_before
    note_write_sent()  # nobody listens outside a send: nothing happens


def test_retry_policy_delay() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=0.5)
    assert [policy.delay(n, rand=lambda: 0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.delay(1, rand=lambda: 1.0) == 1.5
    assert policy.delay(1, retry_after=60.0, rand=lambda: 0.0) == 60.0


def test_helpers() -> None:
    assert current_operator()
    fake = FakeConnector([], Limits(batch_size=0))
    assert chunk_size_for(fake) == 1
    assert chunk_size_for(FakeConnector([], Limits(batch_size=200))) == 200
    assert issubclass(ConnectorError, CampusCardError)
    assert OutcomeKind.SUCCEEDED.value == "succeeded"


class CountingLocal(NoAbilities):
    """The real LocalConnector behind a wrapper that counts what is sent per student and can
    die (Crash) after the n-th write call has been applied by the database."""

    kind = "local"
    consistency = Consistency(conditional_updates=True, one_card_per_student=True)

    def __init__(self, db: Path, *, crash_after_call: int | None = None) -> None:
        from campuscard_gui.backends.local.connector import LocalConnector

        self.inner = LocalConnector(db, demo_students=2000, demo_seed=7)
        self.limits = Limits(batch_size=40)
        self.crash_after_call = crash_after_call
        self.calls = 0
        self.sent: Counter[str] = Counter()

    def list_rows(self, progress: object = None) -> list[StudentRow]:
        return self.inner.list_rows()

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        return self.inner.read_cards(student_nos)

    def _count(self, nos: list[str]) -> None:
        self.calls += 1
        self.sent.update(nos)

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        self._count([i.student_no for i in items])
        results = self.inner.create_cards(items, status, idempotency_key)
        if self.calls == self.crash_after_call:
            raise Crash()
        return results

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        self._count([i.student_no for i in items])
        results = self.inner.update_cards(items, status, idempotency_key)
        if self.calls == self.crash_after_call:
            raise Crash()
        return results

    def check_connection(self) -> None:
        self.inner.check_connection()

    def close(self) -> None:
        self.inner.close()


def test_local_crash_and_resume_one_card_each(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "local.sqlite3"
    jpath = tmp_path / "journal.sqlite3"
    first = CountingLocal(db, crash_after_call=2)
    rows = first.list_rows()
    plan = plan_action(Action.OPEN, rows, allow_non_enrolled=True)
    assert len(plan.writes) > 3 * 40  # at least 4 chunks
    journal = Journal(jpath)
    job_id = journal.create_job(plan, profile="local", operator=current_operator(),
                                chunk_size=chunk_size_for(first))
    with pytest.raises(Crash):
        BatchRunner(first, journal).run(job_id)
    first.close()
    journal.close()  # the process "dies": nothing else survives but the two files

    second = CountingLocal(db)
    journal2 = Journal(jpath)
    assert [j.job_id for j in journal2.unfinished_jobs()] == [job_id]
    info = BatchRunner(second, journal2).run(job_id)
    assert info.state is JobState.DONE
    assert (info.succeeded, info.failed, info.pending) == (len(plan.writes), 0, 0)
    # no student was ever sent twice: chunk 2 (applied, then the crash) was reconciled
    assert not set(first.sent) & set(second.sent)
    assert max((first.sent + second.sent).values()) == 1
    n_chunks = -(-len(plan.writes) // 40)
    assert first.calls == 2 and second.calls == n_chunks - 2  # chunk 2 was not resent
    conn = sqlite3.connect(db)
    live = dict(conn.execute(
        "SELECT student_no, count(*) FROM cards WHERE status IN ('正常', '冻结')"
        " GROUP BY student_no").fetchall())
    conn.close()
    assert all(live[w.student_no] == 1 for w in plan.writes)
    assert max(live.values()) == 1
    recs = journal2.records(job_id)
    cards = second.read_cards([w.student_no for w in plan.writes])
    for rec in recs[:len(plan.writes)]:
        assert rec.outcome == Succeeded(cards[rec.student_no].card_id)
    journal2.close()
    second.close()
