"""LocalConnector on real SQLite files (connectors/local.py)."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import cast

import pytest

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import (
    SCHEMA_VERSION,
    ImportSummary,
    LocalConnector,
    init_demo,
    init_empty,
)
from campuscard_gui.config.paths import Paths
from campuscard_gui.config.settings import Profile
from campuscard_gui.connectors.base import CardCreate, CardUpdate, Connector
from campuscard_gui.core.demo import generate_school
from campuscard_gui.core.errors import CampusCardError, ConnectorError, FatalError
from campuscard_gui.core.model import CardStatus, Student, StudentRow, StudentStatus
from campuscard_gui.core.outcomes import Failed, Skipped, SkipReason, Succeeded

N, SEED = 300, 3
T0 = 1_800_000_000_000


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "local.sqlite3"


@pytest.fixture
def conn(db: Path) -> Iterator[LocalConnector]:
    clock = itertools.count(T0)
    c = LocalConnector(db, demo_students=N, demo_seed=SEED, now_ms=lambda: next(clock))
    yield c
    c.close()


def first(rows: list[StudentRow], status: StudentStatus, card: CardStatus) -> StudentRow:
    return next(r for r in rows if r.student.status is status and r.card_status is card)


def card_records(db: Path) -> int:
    with sqlite3.connect(db) as raw:
        return int(raw.execute("SELECT count(*) FROM cards").fetchone()[0])


def test_first_use_writes_the_demo_school(conn: LocalConnector, db: Path) -> None:
    assert isinstance(conn, Connector)
    assert conn.kind == "local" and conn.limits.batch_size == 200
    assert db.is_file() and conn.is_demo()
    stats = conn.stats()
    assert (stats.students, stats.is_demo, stats.seed) == (N, True, SEED)
    conn.check_connection()
    expected = generate_school(N, SEED).rows()
    rows = conn.list_rows()
    assert [r.student for r in rows] == [r.student for r in expected]
    for got, want in zip(rows, expected, strict=True):
        if want.card is None:
            assert got.card is None
        else:
            assert got.card is not None
            assert (got.card.card_id, got.card.status, got.card.open_time, got.card.amount) == (
                want.card.card_id, want.card.status, want.card.open_time, want.card.amount)
            assert got.card.revision == "1"
    assert not list(db.parent.glob("*.tmp"))


def test_factory_opens_the_local_profile(paths: Paths) -> None:
    connector = open_connector(Profile("local"), paths)
    try:
        assert isinstance(connector, LocalConnector)
        assert len(connector.list_rows()) == 2000
    finally:
        connector.close()


def test_list_rows_reports_progress(conn: LocalConnector) -> None:
    calls: list[tuple[int, int | None]] = []
    rows = conn.list_rows(lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, N) and calls[-1] == (N, N) and len(rows) == N


def test_create_opens_a_card_and_replays_by_key(conn: LocalConnector, db: Path) -> None:
    rows = conn.list_rows()
    new = first(rows, StudentStatus.ENROLLED, CardStatus.NONE).student_no
    live = first(rows, StudentStatus.ENROLLED, CardStatus.ACTIVE).student_no
    items = [CardCreate(new, open_time=T0 - 5), CardCreate(live), CardCreate("1999000000")]
    before = card_records(db)
    results = conn.create_cards(items, CardStatus.ACTIVE, "job1-chunk1")
    assert isinstance(results[0], Succeeded)
    assert results[1:] == [Skipped(SkipReason.CHANGED_BY_OTHER, "正常"),
                           Failed("unknown_student", "学号不存在")]
    assert card_records(db) == before + 1
    card = conn.read_cards([new])[new]
    assert (card.card_id, card.status, card.open_time, card.amount, card.revision) == (
        results[0].card_id, CardStatus.ACTIVE, T0 - 5, Decimal("0.00"), "1")
    # The same key again (a resumed job) answers from the table and writes nothing.
    assert conn.create_cards(items, CardStatus.ACTIVE, "job1-chunk1") == results
    assert conn.create_cards(items[1:2], CardStatus.ACTIVE, "job1-chunk1") == results[1:2]
    assert card_records(db) == before + 1
    with pytest.raises(FatalError) as err:
        conn.create_cards([CardCreate("2024000001")], CardStatus.ACTIVE, "job1-chunk1")
    assert err.value.code == "idempotency_mismatch"
    with pytest.raises(FatalError):
        conn.update_cards([CardUpdate(new, results[0].card_id)], CardStatus.FROZEN,
                          "job1-chunk1")
    # A new key for an open card is refused: never two live cards.
    again = conn.create_cards([CardCreate(new)], CardStatus.ACTIVE, "job2-chunk1")
    assert again == [Skipped(SkipReason.CHANGED_BY_OTHER, "正常")]


def test_same_student_twice_in_a_chunk_gets_one_card(conn: LocalConnector) -> None:
    new = first(conn.list_rows(), StudentStatus.ENROLLED, CardStatus.NONE).student_no
    results = conn.create_cards([CardCreate(new), CardCreate(new)], CardStatus.ACTIVE, "k")
    assert isinstance(results[0], Succeeded)
    assert results[1] == Skipped(SkipReason.CHANGED_BY_OTHER, "正常")


def test_update_checks_card_owner_and_revision(conn: LocalConnector) -> None:
    rows = conn.list_rows()
    row = first(rows, StudentStatus.SUSPENDED, CardStatus.ACTIVE)
    other = first(rows, StudentStatus.ENROLLED, CardStatus.ACTIVE)
    assert row.card is not None and other.card is not None
    no, cid, rev = row.student_no, row.card.card_id, row.card.revision
    results = conn.update_cards(
        [CardUpdate(no, cid, rev), CardUpdate(no, "C9999999999"),
         CardUpdate(no, other.card.card_id)], CardStatus.FROZEN, "freeze-1")
    assert results[0] == Succeeded(cid)
    assert results[1] == Failed("card_not_found", "卡记录不存在")
    assert isinstance(results[2], Failed) and results[2].code == "card_mismatch"
    card = conn.read_cards([no])[no]
    assert (card.status, card.revision) == (CardStatus.FROZEN, "2")
    # Replaying the chunk does not bump the revision again.
    assert conn.update_cards([CardUpdate(no, cid, rev)], CardStatus.FROZEN, "freeze-1") == \
        results[:1]
    assert conn.read_cards([no])[no].revision == "2"
    # A write based on the stale revision: changed by someone else, skipped with the state now.
    stale = conn.update_cards([CardUpdate(no, cid, rev)], CardStatus.ACTIVE, "unfreeze-1")
    assert stale[0] == Skipped(SkipReason.CHANGED_BY_OTHER, "冻结")
    assert conn.update_cards([CardUpdate(no, cid, "2")], CardStatus.ACTIVE, "unfreeze-2") == [
        Succeeded(cid)]
    assert conn.read_cards([no])[no].revision == "3"


def test_cancel_then_reopen_gives_a_new_current_card(db: Path) -> None:
    clock = itertools.chain([T0], itertools.repeat(T0 - 60_000))  # the wall clock steps back
    conn = LocalConnector(db, demo_students=N, demo_seed=SEED, now_ms=lambda: next(clock))
    try:
        row = first(conn.list_rows(), StudentStatus.ENROLLED, CardStatus.NONE)
        no = row.student_no
        opened = conn.create_cards([CardCreate(no)], CardStatus.ACTIVE, "open-1")
        assert isinstance(opened[0], Succeeded)
        old_id = opened[0].card_id
        assert conn.update_cards([CardUpdate(no, old_id)], CardStatus.CANCELLED, "cancel-1") == \
            [Succeeded(old_id)]
        assert conn.update_cards([CardUpdate(no, old_id)], CardStatus.ACTIVE, "x") == [
            Failed("cancelled", "该卡已注销，不能再修改")]
        reopened = conn.create_cards([CardCreate(no)], CardStatus.ACTIVE, "open-2")
        assert isinstance(reopened[0], Succeeded) and reopened[0].card_id != old_id
        current = {r.student_no: r for r in conn.list_rows()}[no]
        assert current.card is not None and current.card.card_id == reopened[0].card_id
        assert current.card_status is CardStatus.ACTIVE
        assert conn.read_cards([no, "nobody"]) == {no: current.card}
    finally:
        conn.close()


def test_a_failing_chunk_writes_nothing(db: Path) -> None:
    calls = itertools.count()

    def clock() -> int:
        if next(calls) == 1:
            raise RuntimeError("boom")
        return T0

    conn = LocalConnector(db, demo_students=N, demo_seed=SEED, now_ms=clock)
    try:
        unopened = [r.student_no for r in conn.list_rows() if r.card_status is CardStatus.NONE]
        before = card_records(db)
        with pytest.raises(RuntimeError):
            conn.create_cards([CardCreate(n) for n in unopened[:2]], CardStatus.ACTIVE, "k1")
        assert card_records(db) == before
        results = conn.create_cards([CardCreate(n) for n in unopened[:2]], CardStatus.ACTIVE,
                                    "k1")
        assert all(isinstance(r, Succeeded) for r in results)
    finally:
        conn.close()


def test_concurrent_writers_never_create_two_live_cards(conn: LocalConnector, db: Path) -> None:
    unopened = [r.student_no for r in conn.list_rows() if r.card_status is CardStatus.NONE]
    assert len(unopened) >= 4
    results: dict[int, list[Succeeded | Failed]] = {}
    barrier = threading.Barrier(2)

    def worker(n: int) -> None:
        barrier.wait()
        out: list[Succeeded | Failed] = []
        for i, no in enumerate(unopened):  # both threads try every student
            out += conn.create_cards([CardCreate(no)], CardStatus.ACTIVE, f"t{n}-{i}")
        results[n] = out

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(len(unopened)):
        pair = [results[1][i], results[2][i]]
        assert sum(isinstance(r, Succeeded) for r in pair) == 1, pair
    with sqlite3.connect(db) as raw:
        live = raw.execute("SELECT student_no, count(*) FROM cards WHERE status IN ('正常','冻结')"
                           " GROUP BY student_no HAVING count(*) > 1").fetchall()
    assert live == []


def test_corrupt_file_gives_a_clear_error(db: Path) -> None:
    db.write_bytes(b"this is not a database\n" * 200)
    conn = LocalConnector(db)  # an existing file is never overwritten
    with pytest.raises(ConnectorError) as err:
        conn.list_rows()
    assert "损坏" in err.value.message and err.value.code == "corrupt"
    with pytest.raises(ConnectorError):
        conn.check_connection()
    assert db.read_bytes().startswith(b"this is not a database")


def test_foreign_or_outdated_database_is_refused(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE other (x)")
    with pytest.raises(ConnectorError, match="不是一卡通本地数据库"):
        LocalConnector(db).check_connection()
    other = db.with_name("old.sqlite3")
    init_demo(other, 5)
    with sqlite3.connect(other) as raw:
        raw.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(ConnectorError) as err:
        LocalConnector(other).is_demo()
    assert err.value.code == "schema_version" and str(SCHEMA_VERSION) in err.value.message


def test_unwritable_location_is_an_expected_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CampusCardError) as err:
        LocalConnector(blocker / "local.sqlite3")
    assert "无法写入本地数据库文件" in err.value.message


def test_init_demo_refuses_to_overwrite_without_force(db: Path) -> None:
    init_demo(db, 50, seed=1)
    with pytest.raises(CampusCardError) as err:
        init_demo(db, 80, seed=2)
    assert "已存在" in err.value.message
    conn = LocalConnector(db)
    assert conn.stats().students == 50
    conn.close()
    init_demo(db, 80, seed=2, force=True)
    conn = LocalConnector(db)
    try:
        stats = conn.stats()
        assert (stats.students, stats.seed, stats.is_demo) == (80, 2, True)
        assert [r.student for r in conn.list_rows()] == generate_school(80, 2).students
    finally:
        conn.close()
    assert not list(db.parent.glob("*.tmp"))


def test_import_upserts_in_one_transaction(db: Path) -> None:
    init_empty(db)
    conn = LocalConnector(db)
    try:
        assert not conn.is_demo() and conn.list_rows() == []
        a = Student("2024100001", "张三", "计算机学院", "计科2401", StudentStatus.ENROLLED)
        b = Student("2024100002", "李四", "理学院", "数学2401", StudentStatus.SUSPENDED, "r-2")
        assert conn.import_students([a, b]) == ImportSummary(2, 0, 0)
        b2 = Student("2024100002", "李四", "理学院", "数学2401", StudentStatus.WITHDRAWN)
        assert conn.import_students([a, b2]) == ImportSummary(0, 1, 1)
        got = {r.student_no: r.student for r in conn.list_rows()}
        assert got["2024100002"].status is StudentStatus.WITHDRAWN
        assert got["2024100002"].record_id == "r-2"  # a blank record id keeps the stored one
        bad = Student("2024100003", "王五", "", "", cast(StudentStatus, "在职"))
        c = Student("2024100004", "赵六", "", "", StudentStatus.ENROLLED)
        with pytest.raises(Exception):  # noqa: B017 - any failure must roll back
            conn.import_students([c, bad])
        assert "2024100004" not in {r.student_no for r in conn.list_rows()}
        opened = conn.create_cards([CardCreate("2024100001")], CardStatus.ACTIVE, "k")
        assert isinstance(opened[0], Succeeded)
    finally:
        conn.close()


def test_import_into_demo_keeps_the_demo_label(conn: LocalConnector) -> None:
    s = Student("2099000001", "新生", "理学院", "数学9901", StudentStatus.ENROLLED)
    assert conn.import_students([s]) == ImportSummary(1, 0, 0)
    assert conn.is_demo()


def test_close_then_use_again(conn: LocalConnector) -> None:
    assert len(conn.list_rows()) == N
    conn.close()
    assert len(conn.list_rows()) == N


@pytest.mark.slow
def test_benchmark_list_rows_100k(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite3"
    start = time.perf_counter()
    init_demo(db, 100_000)
    built = time.perf_counter() - start
    conn = LocalConnector(db)
    try:
        start = time.perf_counter()
        rows = conn.list_rows()
        listed = time.perf_counter() - start
    finally:
        conn.close()
    print(f"\ninit_demo(100000): {built:.3f} s; list_rows: {listed:.3f} s for {len(rows)} rows")
    assert len(rows) == 100_000
