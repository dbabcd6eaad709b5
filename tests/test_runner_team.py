"""BatchRunner when a card center is a team (design.md §5): several writers on one backend
that allows several cards per student, tables that are stale, sends left unanswered by a
process that died, field maps that write broken cards.

The backend is an in-test fake shared by the runners (each with its own journal, as on two
PCs); the real-process versions against the sandboxes are in tests/reliability/.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from fake_abilities import NoAbilities

from campuscard_gui.batch import BatchRunner, JobState, Journal, Progress, chunk_size_for
from campuscard_gui.batch.checks import FIELD_MAP, UNVERIFIED
from campuscard_gui.connectors.base import (
    CardCreate,
    CardHistory,
    CardUpdate,
    Consistency,
    Limits,
    RecordResult,
)
from campuscard_gui.core.cards import LIVE, current_card
from campuscard_gui.core.errors import ConnectorError
from campuscard_gui.core.model import (
    Action,
    Card,
    CardStatus,
    Student,
    StudentRow,
    StudentStatus,
)
from campuscard_gui.core.outcomes import Failed, Skipped, SkipReason, Succeeded
from campuscard_gui.core.plan import plan_action


class Clock:
    """Wall and monotonic time at once; sleeping advances it (and may land late writes)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.on_sleep: Callable[[], None] = lambda: None
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.on_sleep()


class SharedBackend:
    """Card records in memory, several per student allowed (like 简道云 or 神笔)."""

    kind = "fake-shared"

    def __init__(self, student_nos: Iterable[str], *, link_cards: bool = True) -> None:
        self.students = list(student_nos)
        self.cards: dict[str, Card] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.link_cards = link_cards  # False: a field map that leaves the student link empty
        self.creates = 0

    def add(self, no: str, status: CardStatus = CardStatus.ACTIVE,
            open_time: int | None = None) -> Card:
        with self._lock:
            n = next(self._ids)
            card = Card(f"{n:08d}", no if self.link_cards else "", status, open_time,
                        created=n)
            self.cards[card.card_id] = card
            return card

    def of(self, no: str) -> list[Card]:
        with self._lock:
            return [c for c in self.cards.values() if c.student_no == no]

    def live_counts(self) -> dict[str, int]:
        return {no: sum(c.status in LIVE for c in self.of(no)) for no in self.students}

    def set_status(self, no: str, status: CardStatus) -> None:
        card = current_card(self.of(no))
        assert card is not None
        with self._lock:
            self.cards[card.card_id] = replace(card, status=status)


class Writer(NoAbilities):
    """One operator's connector onto the shared backend."""

    kind = "fake-shared"

    def __init__(self, backend: SharedBackend, *, batch: int = 50, settle_s: float = 0.0,
                 before_write: Callable[[], None] = lambda: None) -> None:
        self.backend = backend
        self.limits = Limits(batch_size=batch)
        self.consistency = Consistency(settle_s=settle_s, open_time_resolution_ms=1)
        self.before_write = before_write
        self.removed: list[str] = []
        self.answer_without_ids = False
        self.write_nothing = False

    def list_rows(self, progress: object = None) -> list[StudentRow]:
        rows = []
        for no in self.backend.students:
            student = Student(no, f"学生{no}", "学院", "一班", StudentStatus.ENROLLED)
            rows.append(StudentRow(student, current_card(self.backend.of(no))))
        return rows

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        found = {}
        for no in student_nos:
            card = current_card(self.backend.of(no))
            if card is not None:
                found[no] = card
        return found

    def card_history(self) -> CardHistory:
        return self

    def read_card_records(self, student_nos: Iterable[str]) -> dict[str, list[Card]]:
        return {no: cards for no in student_nos if (cards := self.backend.of(no))}

    def remove_cards(self, cards: Sequence[Card]) -> list[RecordResult]:
        with self.backend._lock:
            for c in cards:
                self.backend.cards.pop(c.card_id, None)
                self.removed.append(c.card_id)
        return [Succeeded(c.card_id) for c in cards]

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        self.before_write()
        if self.write_nothing:
            return [Succeeded("") for _ in items]
        made = [self.backend.add(it.student_no, status, it.open_time) for it in items]
        self.backend.creates += len(made)
        return [Succeeded("" if self.answer_without_ids else c.card_id) for c in made]

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        self.before_write()
        with self.backend._lock:
            for it in items:
                card = self.backend.cards[it.card_id]
                self.backend.cards[it.card_id] = replace(card, status=status)
        return [Succeeded(it.card_id) for it in items]

    def check_connection(self) -> None:
        pass

    def close(self) -> None:
        pass


NOS = [f"2025{i:05d}" for i in range(300)]


@pytest.fixture
def journals(tmp_path: Path) -> Iterator[Callable[[str], Journal]]:
    opened: list[Journal] = []

    def make(name: str) -> Journal:
        j = Journal(tmp_path / f"{name}.sqlite3")
        opened.append(j)
        return j

    yield make
    for j in opened:
        j.close()


def new_job(journal: Journal, writer: Writer, action: Action,
            rows: list[StudentRow] | None = None) -> int:
    plan = plan_action(action, rows if rows is not None else writer.list_rows())
    return journal.create_job(plan, profile="p", operator="op",
                              chunk_size=chunk_size_for(writer))


def test_the_fake_is_a_card_history() -> None:
    assert isinstance(Writer(SharedBackend(NOS)), CardHistory)


def test_two_writers_at_the_same_moment_leave_one_live_card_each(journals) -> None:
    """Both plan from the same table and both read fresh state before either writes, so both
    create a card for every student; the read-back after the open converges on one."""
    backend = SharedBackend(NOS)
    both_read = threading.Barrier(2, timeout=10)
    a = Writer(backend, before_write=both_read.wait)
    b = Writer(backend, before_write=both_read.wait)
    ja, jb = journals("a"), journals("b")
    job_a, job_b = new_job(ja, a, Action.OPEN), new_job(jb, b, Action.OPEN)
    infos = {}

    def run(name: str, w: Writer, j: Journal, job: int) -> None:
        infos[name] = BatchRunner(w, j).run(job)

    threads = [threading.Thread(target=run, args=("a", a, ja, job_a)),
               threading.Thread(target=run, args=("b", b, jb, job_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert backend.creates == 2 * len(NOS)  # the race really happened
    assert set(backend.live_counts().values()) == {1}
    a_info, b_info = infos["a"], infos["b"]
    assert a_info.pending == b_info.pending == 0
    assert a_info.failed == b_info.failed == 0
    # one 成功 per student over both operators; the other one 已由他人开通
    assert a_info.succeeded + b_info.succeeded == len(NOS)
    assert a_info.skipped + b_info.skipped == len(NOS)
    skips = [r.outcome for j, job in ((ja, job_a), (jb, job_b)) for r in j.records(job)
             if isinstance(r.outcome, Skipped)]
    assert {s.reason for s in skips} == {SkipReason.OPENED_BY_OTHER}
    kept = {c.card_id for c in backend.cards.values()}
    assert all(s.detail in kept for s in skips)
    assert len(a.removed) + len(b.removed) == len(NOS)


def test_a_stale_plan_skips_what_someone_else_changed(journals) -> None:
    backend = SharedBackend(NOS)
    w = Writer(backend)
    for no in NOS:
        backend.add(no)
    journal = journals("a")
    job = new_job(journal, w, Action.FREEZE)  # the table says 正常 for all
    changed = NOS[10:40]
    for no in changed[:15]:
        backend.set_status(no, CardStatus.CANCELLED)  # another operator cancelled these
    for no in changed[15:]:
        backend.set_status(no, CardStatus.FROZEN)  # and froze these
    info = BatchRunner(w, journal).run(job)
    assert info.state is JobState.DONE
    assert (info.succeeded, info.skipped, info.failed) == (len(NOS) - 30, 30, 0)
    by_no = {r.student_no: r.outcome for r in journal.records(job)}
    assert all(by_no[no] == Skipped(SkipReason.CHANGED_BY_OTHER, "注销") for no in changed[:15])
    assert all(by_no[no] == Skipped(SkipReason.CHANGED_BY_OTHER, "冻结") for no in changed[15:])
    assert all(current_card(backend.of(no)).status is CardStatus.CANCELLED  # not revived
               for no in changed[:15])


def test_a_stale_open_skips_students_opened_meanwhile(journals) -> None:
    backend = SharedBackend(NOS)
    w = Writer(backend)
    journal = journals("a")
    job = new_job(journal, w, Action.OPEN)
    for no in NOS[:20]:
        backend.add(no)  # someone else opened these after the table was loaded
    info = BatchRunner(w, journal).run(job)
    assert (info.succeeded, info.skipped) == (len(NOS) - 20, 20)
    assert set(backend.live_counts().values()) == {1}
    assert backend.creates == len(NOS) - 20  # nothing written over them


def test_an_unanswered_send_settles_from_the_journal_time_after_a_restart(journals) -> None:
    """The process died right after sending chunk 0; the send lands 20 s later. The next run
    waits settle_s from the journal's send time before reading back, so the late card is
    found and not created a second time."""
    backend = SharedBackend(NOS[:50])
    clock = Clock()
    w = Writer(backend, settle_s=30.0)
    journal = journals("a")
    job = new_job(journal, w, Action.OPEN)
    sent_at = clock.now  # as the dead process would have recorded it
    journal.mark_sent(job, 0)
    with journal._tx() as cur:  # the journal's clock is the real one: pin the send time
        cur.execute("UPDATE chunks SET sent_at = ? WHERE job_id = ?", (sent_at, job))
    landed = []

    def late_write_lands() -> None:
        if clock.now >= sent_at + 20 and not landed:
            landed.extend(backend.add(no) for no in NOS[:50])

    clock.on_sleep = late_write_lands
    clock.now = sent_at + 2  # restarted at once
    seen: list[Progress] = []
    info = BatchRunner(w, journal, clock=clock, sleep=clock.sleep, wall=clock).run(
        job, progress=seen.append)
    assert landed and info.succeeded == 50
    assert backend.creates == 0  # nothing sent again
    assert set(backend.live_counts().values()) == {1}
    waits = [p.waiting_s for p in seen if p.waiting_s > 0]
    assert waits and 27 <= waits[0] <= 28 and waits == sorted(waits, reverse=True)
    assert sum(clock.sleeps) == pytest.approx(28.0)


def test_a_field_map_without_the_student_link_stops_after_the_first_chunk(journals) -> None:
    backend = SharedBackend(NOS, link_cards=False)  # cards written, but linked to no one
    w = Writer(backend)
    journal = journals("a")
    job = new_job(journal, w, Action.OPEN)
    with pytest.raises(ConnectorError) as err:
        BatchRunner(w, journal).run(job)
    assert err.value.code == FIELD_MAP and "其余 250 条未发送" in err.value.message
    info = journal.job(job)
    assert info.state is JobState.CANCELLED
    assert (info.failed, info.cancelled, info.pending) == (50, 250, 0)
    assert backend.creates == 50
    assert {r.outcome.code for r in journal.records(job) if isinstance(r.outcome, Failed)} == \
        {UNVERIFIED}


def test_an_answer_that_proves_nothing_is_verified_and_fails(journals) -> None:
    """Like an iPaaS gateway answering {}: accepted, no card ids, nothing written."""
    backend = SharedBackend(NOS[:100])
    w = Writer(backend)
    w.write_nothing = True
    journal = journals("a")
    job = new_job(journal, w, Action.OPEN)
    with pytest.raises(ConnectorError):
        BatchRunner(w, journal).run(job)  # the first chunk already shows it
    info = journal.job(job)
    assert info.succeeded == 0 and info.failed == 50


def test_accepted_without_ids_is_succeeded_by_the_read_back(journals) -> None:
    backend = SharedBackend(NOS[:120])
    w = Writer(backend)
    w.answer_without_ids = True
    journal = journals("a")
    job = new_job(journal, w, Action.OPEN)
    info = BatchRunner(w, journal).run(job)
    assert info.succeeded == 120
    assert all(r.card_id for r in journal.records(job))  # the card ids the read-back showed


def test_an_update_overwritten_at_once_is_reported_not_counted(journals) -> None:
    backend = SharedBackend(NOS[:100])
    for no in NOS[:100]:
        backend.add(no)
    victim = NOS[70]
    w = Writer(backend)
    calls = itertools.count()

    def someone_unfreezes_after_our_second_chunk() -> None:
        if next(calls) == 2:
            backend.set_status(victim, CardStatus.ACTIVE)

    journal = journals("a")
    job = new_job(journal, w, Action.FREEZE)
    real = w.update_cards

    def update(items: Sequence[CardUpdate], status: CardStatus, key: str) -> list[RecordResult]:
        out = real(items, status, key)
        someone_unfreezes_after_our_second_chunk()
        return out

    w.update_cards = update  # type: ignore[method-assign]
    next(calls)
    info = BatchRunner(w, journal).run(job)
    by_no = {r.student_no: r.outcome for r in journal.records(job)}
    assert info.failed == 1 and info.succeeded == 99
    assert isinstance(by_no[victim], Failed) and by_no[victim].code == UNVERIFIED
    assert "正常" in by_no[victim].message


def test_a_resume_does_not_claim_a_card_another_operator_opened(journals) -> None:
    """A's send of chunk 0 never landed (the process died, the request was lost); B opened
    some of those students meanwhile. A's resume finds B's cards: their open time is not the
    one A's chunk carries, so A reports them 已由他人开通 and opens only the rest."""
    backend = SharedBackend(NOS[:50])
    a, b = Writer(backend), Writer(backend)
    ja, jb = journals("a"), journals("b")
    job_a = new_job(ja, a, Action.OPEN)
    assert ja.mark_sent(job_a, 0, 1_700_000_000_000) == 1_700_000_000_000  # then A died
    job_b = new_job(jb, b, Action.OPEN, b.list_rows()[:20])
    assert BatchRunner(b, jb).run(job_b).succeeded == 20
    info = BatchRunner(a, ja).run(job_a)
    by_no = {r.student_no: r.outcome for r in ja.records(job_a)}
    assert (info.succeeded, info.skipped, info.failed) == (30, 20, 0)
    assert all(isinstance(by_no[no], Skipped) and by_no[no].reason is SkipReason.OPENED_BY_OTHER
               for no in NOS[:20])
    assert set(backend.live_counts().values()) == {1}


class Guarded(Writer):
    """A backend that refuses a second card and a stale update itself (like kintone)."""

    def __init__(self, backend: SharedBackend) -> None:
        super().__init__(backend, batch=100)
        self.consistency = Consistency(conditional_updates=True, one_card_per_student=True)
        self.read_nos: list[str] = []

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        nos = list(student_nos)
        self.read_nos.extend(nos)
        return super().read_cards(nos)


def test_a_guarded_backend_reads_back_a_sample_of_the_first_chunk_only(journals) -> None:
    backend = SharedBackend(NOS)
    w = Guarded(backend)
    journal = journals("a")
    info = BatchRunner(w, journal).run(new_job(journal, w, Action.OPEN))
    assert info.succeeded == len(NOS)
    assert w.read_nos == NOS[:20]  # no fresh-state reads, no other read-back


def test_a_guarded_backend_with_a_broken_map_stops_after_the_first_chunk(journals) -> None:
    backend = SharedBackend(NOS, link_cards=False)
    w = Guarded(backend)
    journal = journals("a")
    job = new_job(journal, w, Action.OPEN)
    with pytest.raises(ConnectorError) as err:
        BatchRunner(w, journal).run(job)
    assert err.value.code == FIELD_MAP
    info = journal.job(job)
    assert (info.failed, info.cancelled, info.succeeded) == (100, 200, 0)
    assert backend.creates == 100
