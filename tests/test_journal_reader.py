"""JournalReader: a job's records a page at a time, on a connection of its own (what the
window's results table reads), counted by outcome inside SQLite exactly as they decode."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_journal import make_plan

from campuscard_gui.batch import Journal
from campuscard_gui.batch.journal_reader import KIND_SQL, RECORD_COLUMNS, decode_record
from campuscard_gui.core.errors import CampusCardError
from campuscard_gui.core.model import Action, CardStatus
from campuscard_gui.core.outcomes import Failed, OutcomeKind, SkipReason, Succeeded


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def _finished(journal: Journal, writes: int, skips: int = 0) -> int:
    job = journal.create_job(make_plan(Action.FREEZE, writes, skips), profile="p",
                             operator="t", chunk_size=writes)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {i: Failed("conflict", "x") if i % 7 == 3
                                  else Succeeded(f"c{i}") for i in range(writes)})
    journal.finish_job(job)
    return job


def test_the_sql_kind_is_the_decoded_kind_for_every_combination() -> None:
    """KIND_SQL (counts and picks in SQLite) and decode_record (what the table shows) agree
    on every outcome, skip reason, card state and chunk, known or not."""
    outcomes = [None, *(k.value for k in OutcomeKind), "exploded"]
    reasons = [None, SkipReason.ALREADY_OPEN.value, "whatever"]
    states = [None, CardStatus.ACTIVE.value, "melted"]
    chunks = [None, 0]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE records (position, student_no, name, card_id, from_status,"
                 " outcome, code, message, reason, detail, result_card_id, chunk_seq)")
    combos = list(itertools.product(outcomes, reasons, states, chunks))
    conn.executemany("INSERT INTO records VALUES (?, 'S', 'N', '', ?, ?, '', '', ?, '', '', ?)",
                     [(i, fs, outcome, reason, seq)
                      for i, (outcome, reason, fs, seq) in enumerate(combos)])
    rows = conn.execute(f"SELECT {RECORD_COLUMNS}, {KIND_SQL} FROM records"  # noqa: S608
                        " ORDER BY position").fetchall()
    assert len(rows) == len(combos) == 108
    for row in rows:
        record = decode_record(Action.FREEZE, row[:-1])
        decoded = None if record.outcome is None else record.outcome.kind.value
        assert row[-1] == decoded, row


def test_pages_counts_and_picks_match_the_whole_read(journal: Journal) -> None:
    job = _finished(journal, 1200, skips=30)
    every = journal.records(job)
    reader = journal.reader()
    assert reader.records(job, [5, 1100, 0, 1229]) == [every[5], every[1100], every[0],
                                                       every[1229]]
    assert reader.records(job, range(100, 1100)) == every[100:1100]
    assert reader.records(job, list(range(0, 1230, 3))) == every[::3]  # several IN queries
    kinds = Counter(None if r.outcome is None else r.outcome.kind for r in every)
    assert reader.counts(job) == dict(kinds)
    failed = [r.position for r in every if r.outcome and r.outcome.kind is OutcomeKind.FAILED]
    assert list(reader.positions_of(job, OutcomeKind.FAILED)) == failed
    assert reader.student_nos_of(job, OutcomeKind.SKIPPED) == [f"K{i:05d}" for i in range(30)]
    assert reader.student_nos(job, [7, 2]) == ["S00007", "S00002"]
    assert reader.student_nos(job, range(0, 3)) == ["S00000", "S00001", "S00002"]
    assert [r for block in reader.scan(job) for r in block] == every


def test_a_page_is_read_while_the_runner_holds_a_write_transaction(journal: Journal) -> None:
    """The reader has its own connection: a page read does not wait for the journal's lock
    or its write transaction (WAL), so the window never waits for a commit."""
    job = _finished(journal, 50)
    reader = journal.reader()
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with journal._tx() as cur:  # noqa: SLF001 - hold a write transaction open
            cur.execute("UPDATE records SET message = 'x' WHERE job_id = ?", (job,))
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        records = reader.records(job, [1, 2, 3])  # would block on the journal's own lock
        assert [r.student_no for r in records] == ["S00001", "S00002", "S00003"]
        assert reader.counts(job)[OutcomeKind.SUCCEEDED] > 0
    finally:
        release.set()
        thread.join(10)


def test_a_reader_closes_with_its_journal(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    job = _finished(journal, 5)
    reader = journal.reader()
    assert len(reader.records(job, [0])) == 1
    journal.close()
    with pytest.raises(CampusCardError) as err:
        reader.records(job, [0])
    assert err.value.code == "journal"


def test_an_unknown_job_is_said(journal: Journal) -> None:
    with pytest.raises(CampusCardError) as err:
        journal.reader().counts(999)
    assert err.value.code == "no_such_job"
