"""Partitioned cold listings (connectors/partitions.py) against the real sandboxes over
loopback HTTP: each backend's partitioned listing returns exactly the rows of its old
sequential one, records created while it runs are listed at most once, and an answer that
does not fit the partitioning falls back to the sequential path."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from jdy_helpers import jdy_options
from kintone_helpers import FIELDS, kintone_options, token_auth
from shenbi_profiles import shenbi_options

from campuscard_gui.backends.jiandaoyun.api import BATCH_CREATE
from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.connectors.base import Connector
from campuscard_gui.core.model import CardStatus, StudentRow, StudentStatus
from campuscard_gui.sandbox import SandboxInfo, run_sandbox

STUDENTS = 1500
NEW = 7  # students another writer adds while the listing runs


def _kintone(sb: SandboxInfo, parallel: bool) -> KintoneConnector:
    # pages of 100 so that 1,500 students are many ranges
    return KintoneConnector(kintone_options(sb, list_workers=0 if parallel else 1,
                                            page_size=100, concurrency=6), token_auth(sb))


def _kintone_writer(sb: SandboxInfo, parallel: bool) -> KintoneConnector:
    """The students app's token only reads: another writer signs in as a user."""
    return KintoneConnector(kintone_options(sb, auth="password", user=sb.user),
                            KintoneAuth(password=sb.password))


def _jdy(sb: SandboxInfo, parallel: bool) -> JiandaoyunConnector:
    return JiandaoyunConnector(jdy_options(sb, list_cursors=6 if parallel else 1,
                                           list_range_pages=2), sb.api_key)


def _shenbi(sb: SandboxInfo, parallel: bool) -> ShenbiConnector:
    return ShenbiConnector(shenbi_options(sb, list_workers=6 if parallel else 1,
                                          page_size=100),
                           sb.secret_id, sb.secret_key)


def _add_kintone(conn: Any, sb: SandboxInfo, nos: list[str]) -> None:
    conn._api.call("POST", "records", {"app": sb.students_app, "records": [
        {"student_no": {"value": no}, "name": {"value": "新生"}, "college": {"value": "x"},
         "class_name": {"value": "y"}, "student_status": {"value": "在读"}} for no in nos]},
        write=True)


def _add_jdy(conn: Any, sb: SandboxInfo, nos: list[str]) -> None:
    conn._api.post(BATCH_CREATE, {
        "app_id": sb.app_id, "entry_id": sb.students_entry_id, "data_list": [
            {"student_no": {"value": no}, "name": {"value": "新生"},
             "college": {"value": "x"}, "class_name": {"value": "y"},
             "student_status": {"value": "在读"}} for no in nos]}, write=True)


def _add_shenbi(conn: Any, sb: SandboxInfo, nos: list[str]) -> None:
    _shenbi_writes(conn, sb.students_object, "CreateEntityRecords",
                   Fields=["student_no", "name", "college", "class_name", "student_status"],
                   Values=[[no, "新生", "x", "y", ["在读"]] for no in nos])


Make = Callable[[SandboxInfo, bool], Any]
BACKENDS: dict[str, tuple[Make, Make, Callable[[Any, SandboxInfo, list[str]], None]]] = {
    "kintone": (_kintone, _kintone_writer, _add_kintone),
    "jiandaoyun": (_jdy, _jdy, _add_jdy),
    "shenbi": (_shenbi, _shenbi, _add_shenbi),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Any:
    kind = request.param
    with run_sandbox(kind, students=STUDENTS, seed=5, with_cards=True) as sb:
        yield kind, sb


def _listed(conn: Connector, progress: Callable[[int, int | None], None] | None = None
            ) -> list[StudentRow]:
    try:
        return conn.list_rows(progress)
    finally:
        conn.close()


def _no_fallback(caplog: pytest.LogCaptureFixture) -> None:
    assert "abandoned" not in caplog.text and "refused" not in caplog.text


def test_partitioned_listing_equals_the_sequential_one(backend: Any,
                                                      caplog: pytest.LogCaptureFixture
                                                      ) -> None:
    kind, sb = backend
    make, _writer, _add = BACKENDS[kind]
    sequential = _listed(make(sb, False))
    progress: list[tuple[int, int | None]] = []
    partitioned = _listed(make(sb, True), lambda d, t: progress.append((d, t)))
    assert len(sequential) == STUDENTS
    assert partitioned == sequential  # same rows, same cards, same order
    assert progress and progress[-1][0] >= STUDENTS
    _no_fallback(caplog)


def test_students_added_during_the_listing_appear_at_most_once(
        backend: Any, caplog: pytest.LogCaptureFixture) -> None:
    kind, sb = backend
    make, make_writer, add = BACKENDS[kind]
    before = {r.student_no for r in _listed(make(sb, False))}
    conn = make(sb, True)
    writer = make_writer(sb, False)
    added = threading.Event()
    lock = threading.Lock()
    nos = [f"NEW{i:04d}" for i in range(NEW)]

    def progress(done: int, total: int | None) -> None:
        with lock:  # the first page's report: a new student lands behind the listing's back
            if added.is_set():
                return
            add(writer, sb, nos)
            added.set()

    try:
        rows = _listed(conn, progress)
    finally:
        writer.close()
    assert added.is_set()
    counts = Counter(r.student_no for r in rows)
    assert max(counts.values()) == 1  # no student twice
    assert before <= set(counts)  # every student there before
    assert set(counts) - before <= set(nos)
    _no_fallback(caplog)
    assert {r.student_no for r in _listed(make(sb, True))} == before | set(nos)


def test_kintone_range_answer_out_of_range_falls_back_to_one_seek(kintone_sandbox, kconnect,
                                                                 caplog) -> None:
    """An answer holding records outside its ``$id`` range (a server that ignores part of
    the query) is not trusted: the listing is read again with the old seek."""
    sb = kintone_sandbox(students=450, with_cards=True)
    expected = _listed(kconnect(sb, list_workers=1))
    conn = kconnect(sb, page_size=100)
    real = conn._api.call

    def ignoring_lower_bounds(method: str, resource: str, params: Any, *, write: bool) -> Any:
        query = params.get("query", "") if isinstance(params, dict) else ""
        if " and $id <= " in query:
            params = {**params, "query": re.sub(r"\$id > \d+", "$id > 0", query)}
        return real(method, resource, params, write=write)

    conn._api.call = ignoring_lower_bounds  # type: ignore[method-assign]
    with caplog.at_level("WARNING"):
        assert conn.list_rows() == expected
    assert "partitioned listing abandoned" in caplog.text


def _pages_while_partitioned(conn: Any, list_page: Callable[..., Any]) -> None:
    """``conn``'s 简道云 pages come from ``list_page`` while it lists in ranges, and from the
    server again once it falls back to one cursor per form."""
    real, real_partitioned = conn._api.list_page, conn._api.partitioned

    def partitioned(*args: Any, **kwargs: Any) -> Any:
        conn._api.list_page = list_page
        try:
            return real_partitioned(*args, **kwargs)
        finally:
            conn._api.list_page = real

    conn._api.partitioned = partitioned


def test_jdy_cursor_that_is_not_followed_falls_back_to_one_cursor(jdy_sandbox, connect,
                                                                  caplog) -> None:
    """A server that refuses a data_id naming no record, or ignores it, gets one cursor per
    form (said in the log)."""
    sb = jdy_sandbox(students=450, with_cards=True)
    expected = _listed(connect(sb, list_cursors=1))
    conn = connect(sb, list_cursors=4, list_range_pages=1)
    real = conn._api.list_page

    def from_the_start(entry: str, fields: Any, cursor: Any, flt: Any = None) -> Any:
        return real(entry, fields, None, flt)  # as if the cursor restarted the form

    # the ranges' cursors are not followed; the single cursor of the fallback is (a server
    # that ignored that one too could not be listed at all)
    _pages_while_partitioned(conn, from_the_start)
    with caplog.at_level("WARNING"):
        assert conn.list_rows() == expected
    assert "one cursor per form" in caplog.text


def test_jdy_server_refusing_a_cursor_that_names_no_record_gets_one_cursor(
        jdy_sandbox, connect, caplog) -> None:
    """A server that answers 4001 to a range's cursor is listed in full all the same, with one
    cursor per form. (The sandbox's unknown_cursor=error refuses only ids that name no
    record; its ids are consecutive, so whether a range starts on one depends on the plan:
    the refusal is made here for every range's cursor.)"""
    from campuscard_gui.core.errors import FatalError

    sb = jdy_sandbox(students=450, with_cards=True)
    expected = _listed(connect(sb, list_cursors=1))
    conn = connect(sb, list_cursors=4, list_range_pages=1)
    real = conn._api.list_page

    def refusing(entry: str, fields: Any, cursor: Any, flt: Any = None) -> Any:
        if cursor is not None:
            raise FatalError("数据不存在", code="4001")
        return real(entry, fields, cursor, flt)

    _pages_while_partitioned(conn, refusing)
    with caplog.at_level("WARNING"):
        assert _listed(conn) == expected
    assert "synthetic cursor was refused (4001)" in caplog.text


def test_shenbi_pages_that_do_not_join_up_fall_back(monkeypatch, caplog) -> None:
    """Offset pages whose Ids overlap (records deleted meanwhile shift the offsets) are not
    trusted: the objects are paged again one at a time."""
    with run_sandbox("shenbi", students=450, with_cards=True) as sb:
        expected = _listed(_shenbi(sb, False))
        conn = _shenbi(sb, True)
        real = conn._api.page_at

        def shifted(entity: str, fields: Any, offset: int, flt: Any = None) -> Any:
            return real(entity, fields, max(0, offset - 1), flt)

        conn._api.page_at = shifted  # type: ignore[method-assign]
        with caplog.at_level("WARNING"):
            assert _listed(conn) == expected
        assert "parallel listing abandoned" in caplog.text


def test_kintone_refresh_equals_a_full_listing_and_sees_deletions(kintone_sandbox,
                                                                   kconnect) -> None:
    """A refresh from a listing's mark reads only what changed and gives the rows a full
    listing gives; a deleted record makes it ask for a full listing (None)."""
    sb = kintone_sandbox(students=600, with_cards=True)
    conn = kconnect(sb, page_size=100)
    rows = conn.list_rows()
    mark = conn.listing_mark()
    assert conn.delta_listing() is conn and mark
    writer = _kintone_writer(sb, False)
    try:
        writer._api.call("PUT", "records", {"app": sb.students_app, "records": [
            {"id": str(i), "record": {"student_status": {"value": "休学"}}}
            for i in range(1, 31)]}, write=True)
        writer._api.call("PUT", "records", {"app": sb.cards_app, "records": [
            {"id": str(i), "record": {"status": {"value": "冻结"}}} for i in range(1, 21)]},
            write=True)
        _add_kintone(writer, sb, ["NEW9001"])
        refreshed = conn.refresh_rows(rows, mark)
        assert refreshed is not None
        assert refreshed == kconnect(sb).list_rows()
        assert refreshed != rows
        writer._api.call("DELETE", "records", {"app": sb.cards_app, "ids": ["5"]}, write=True)
        assert conn.refresh_rows(refreshed, conn.listing_mark()) is None
        assert conn.refresh_rows(rows, "not a mark") is None
    finally:
        writer.close()


def test_kintone_students_joined_as_they_come_warn_as_one_join(kintone_sandbox,
                                                                caplog) -> None:
    """The partitioned kintone listing joins each range of students with its cards as it
    arrives: students and cards whose labels the profile does not know, spread over many
    ranges, are left out and said exactly as the sequential listing says them (counts and
    first examples)."""
    sb = kintone_sandbox(students=STUDENTS, seed=5, with_cards=True)
    known = _listed(_kintone(sb, False))
    odd = [r for r in known if r.student.status is StudentStatus.SUSPENDED
           or (r.card is not None and r.card.status is CardStatus.FROZEN)]
    assert len(odd) > 20
    fields = replace(FIELDS, student_status_labels={
        **FIELDS.student_status_labels, StudentStatus.SUSPENDED: "停学"},
        card_status_labels={**FIELDS.card_status_labels, CardStatus.FROZEN: "停用"})

    def make(parallel: bool) -> KintoneConnector:
        return KintoneConnector(kintone_options(
            sb, list_workers=0 if parallel else 1, page_size=100, concurrency=6,
            fields=fields.to_json()), token_auth(sb))

    sequential_conn, partitioned_conn = make(False), make(True)
    sequential = _listed(sequential_conn)
    partitioned = _listed(partitioned_conn)
    assert partitioned == sequential
    assert len(sequential) == STUDENTS - len(odd)
    assert partitioned_conn.list_warnings == sequential_conn.list_warnings
    said = "".join(sequential_conn.list_warnings)
    assert "休学" in said and "冻结" in said
    _no_fallback(caplog)


def _shenbi_writes(conn: Any, entity: str, action: str, **body: Any) -> list[str]:
    """Another operator's write. It shares the SecretId's 20 calls/s with the listing just
    made, so a refusal for the rate (RequestLimitExceeded: nothing applied) is retried."""
    api = conn._api
    answer = api.retried(lambda: api.call(action, api.body(entity, **body), write=True))
    return [str(i) for i in answer["Ids"]]


def _shenbi_changes(writer: Any, sb: SandboxInfo, rows: list[StudentRow]) -> None:
    """100 students set to 休学, 100 cards frozen, a new student with a new card, and a card
    moved to another student, as another operator would."""
    students = [r.student.record_id for r in rows[:100]]
    cards = [r.card.card_id for r in rows if r.card is not None
             and r.card.status.value == "正常"][:100]
    assert len(cards) == 100
    _shenbi_writes(writer, sb.students_object, "ModifyEntityRecords", Ids=students,
                   Fields=["student_status"], Values=[[["休学"]] for _ in students])
    _shenbi_writes(writer, sb.cards_object, "ModifyEntityRecords", Ids=cards,
                   Fields=["status"], Values=[[["冻结"]] for _ in cards])
    new = _shenbi_writes(writer, sb.students_object, "CreateEntityRecords",
                         Fields=["student_no", "name", "college", "class_name",
                                 "student_status"], Values=[["NEW9001", "新生", "x", "y",
                                                             ["在读"]]])
    _shenbi_writes(writer, sb.cards_object, "CreateEntityRecords",
                   Fields=["studentInfo", "openTime", "amount", "status"],
                   Values=[[new[0], 1_800_000_000_000, 0, ["正常"]]])
    without = next(r for r in rows if r.card is None)
    moved = next(r for r in reversed(rows) if r.card is not None)
    assert moved.card is not None
    _shenbi_writes(writer, sb.cards_object, "ModifyEntityRecords", Ids=[moved.card.card_id],
                   Fields=["studentInfo"], Values=[[without.student.record_id]])


def test_shenbi_refresh_equals_a_full_listing(tmp_path, caplog) -> None:
    """Through the path the window and the CLI share (batch.listing): after another operator
    changed 100 students and 100 cards, added a student with a card and moved a card, the
    refresh reads only the records changed (filtered on UpdatedTime) and gives the rows a full
    listing gives; so does a second refresh from its own mark. A student and a card changed
    just before the first listing are read again (the overlap) but not joined again."""
    from campuscard_gui.batch.listing import list_students
    from campuscard_gui.config.snapshots import SnapshotStore

    store = SnapshotStore(tmp_path)
    with run_sandbox("shenbi", students=STUDENTS, seed=5, with_cards=True) as sb:
        conn, writer = _shenbi(sb, True), _shenbi(sb, False)
        try:
            before = _listed(_shenbi(sb, False))
            earlier = next(r.card for r in before if r.card is not None
                           and r.card.status.value != "正常")
            assert earlier is not None
            _shenbi_writes(writer, sb.students_object, "ModifyEntityRecords",
                           Ids=[before[-1].student.record_id], Fields=["name"],
                           Values=[["改名"]])
            _shenbi_writes(writer, sb.cards_object, "ModifyEntityRecords",
                           Ids=[earlier.card_id], Fields=["amount"], Values=[[5]])
            first = list_students(conn, store, "p")
            assert not first.refreshed and conn.delta_listing() is conn and conn.listing_mark()
            _shenbi_changes(writer, sb, first.rows)
            with caplog.at_level("INFO"):
                again = list_students(conn, store, "p")
            assert again.refreshed
            # the changes, and the two made before the listing (within the overlap)
            assert ("102 student and 103 card records updated since the mark, 101 and 102 of "
                    "them not as listed") in caplog.text
            expected = _listed(_shenbi(sb, False))
            assert again.rows == expected and again.rows != first.rows
            assert conn.list_warnings == []
            third = list_students(conn, store, "p")  # from the refresh's own mark
            assert third.refreshed and third.rows == expected
        finally:
            conn.close()
            writer.close()


def test_shenbi_refresh_sees_deletions(caplog) -> None:
    """A card or a student deleted since the mark (even with another created, the count
    unchanged) makes the refresh ask for a full listing."""
    with run_sandbox("shenbi", students=300, seed=5, with_cards=True) as sb:
        conn, writer = _shenbi(sb, True), _shenbi(sb, False)
        try:
            rows = conn.list_rows()
            card = next(r for r in rows if r.card is not None).card
            student = next(r for r in rows if r.card is None)
            assert card is not None
            _shenbi_writes(writer, sb.cards_object, "DeleteEntityRecords", Ids=[card.card_id])
            _shenbi_writes(writer, sb.cards_object, "CreateEntityRecords",
                           Fields=["studentInfo", "openTime", "amount", "status"],
                           Values=[[student.student.record_id, 1_800_000_000_000, 0,
                                    ["正常"]]])
            with caplog.at_level("INFO"):
                assert conn.refresh_rows(rows, conn.listing_mark()) is None
            assert "cards records were deleted since the snapshot" in caplog.text
            rows = conn.list_rows()
            _shenbi_writes(writer, sb.students_object, "DeleteEntityRecords",
                           Ids=[student.student.record_id])
            with caplog.at_level("INFO"):
                assert conn.refresh_rows(rows, conn.listing_mark()) is None
            assert "students records were deleted since the snapshot" in caplog.text
        finally:
            conn.close()
            writer.close()


def test_shenbi_server_ignoring_the_filter_gets_a_full_listing(tmp_path, caplog) -> None:
    """A server that takes the UpdatedTime filter but does not apply it (the sandbox's
    filter_mode=ignore) is caught by the records it answers: the listing is read in full and
    the log says why."""
    from campuscard_gui.batch.listing import list_students
    from campuscard_gui.config.snapshots import SnapshotStore
    from campuscard_gui.sandbox import ShenbiSettings

    store = SnapshotStore(tmp_path)
    with run_sandbox("shenbi", students=450, seed=5, with_cards=True,
                     settings=ShenbiSettings(filter_mode="ignore")) as sb:
        conn, writer = _shenbi(sb, True), _shenbi(sb, False)
        try:
            first = list_students(conn, store, "p")
            ids = [r.student.record_id for r in first.rows[:5]]
            _shenbi_writes(writer, sb.students_object, "ModifyEntityRecords", Ids=ids,
                           Fields=["student_status"], Values=[[["休学"]] for _ in ids])
            with caplog.at_level("INFO"):
                again = list_students(conn, store, "p")
            assert not again.refreshed
            assert again.rows == _listed(_shenbi(sb, False)) != first.rows
            assert "the server does not honour the UpdatedTime filter" in caplog.text
            assert "listed in full" in caplog.text
        finally:
            conn.close()
            writer.close()


def test_shenbi_mark_of_another_profile_lists_in_full(caplog) -> None:
    """A mark taken with another 应用/object/field map, or none at all, is not used."""
    with run_sandbox("shenbi", students=50, seed=5, with_cards=True) as sb:
        conn = _shenbi(sb, False)
        other = ShenbiConnector(shenbi_options(sb, app_code="other"), sb.secret_id,
                                sb.secret_key)
        linked = ShenbiConnector(shenbi_options(sb, student_link="student_no"), sb.secret_id,
                                 sb.secret_key)
        try:
            rows = conn.list_rows()
            mark = conn.listing_mark()
            with caplog.at_level("INFO"):
                assert other.refresh_rows(rows, mark) is None
                assert linked.refresh_rows(rows, mark) is None
                assert conn.refresh_rows(rows, "not a mark") is None
            assert caplog.text.count("the snapshot's mark is not this profile's") == 3
            assert conn.refresh_rows(rows, mark) == rows  # its own: nothing changed
        finally:
            for c in (conn, other, linked):
                c.close()


def test_shenbi_filtered_count_of_the_whole_object_is_not_trusted(caplog) -> None:
    """A server whose answers hold only records updated since the bound but whose TotalCount
    is the whole object's, while the object holds older records, is not trusted either: it
    is caught on the first page."""
    from campuscard_gui.backends.shenbi.delta import UPDATED
    from campuscard_gui.backends.shenbi.records import value_of
    from campuscard_gui.sandbox import ShenbiSettings

    with run_sandbox("shenbi", students=450, seed=5, with_cards=True,
                     settings=ShenbiSettings(filter_mode="ignore")) as sb:
        conn = _shenbi(sb, False)
        try:
            rows = conn.list_rows()
            real = conn._api.pages
            pages: list[int] = []

            def recent_only(entity: str, fields: Any, flt: Any = None, on_page: Any = None,
                            budget_s: Any = None) -> Any:
                bound = flt["Children"][0]["Value"] if flt else 0
                for page in real(entity, fields, flt, on_page, budget_s):
                    pages.append(len(page))
                    yield [r for r in page if value_of(r, UPDATED) >= bound]

            conn._api.pages = recent_only  # type: ignore[method-assign]
            with caplog.at_level("INFO"):
                assert conn.refresh_rows(rows, conn.listing_mark()) is None
            assert "it matched all 450 students records" in caplog.text
            assert len(pages) == 2  # the first page of each object
        finally:
            conn.close()


def test_an_ipaas_profile_refreshes_through_its_shenbi_profile(tmp_path) -> None:
    """The iPaaS route lists through its 神笔 profile, so it refreshes as that profile does."""
    from campuscard_gui.backends.ipaas.connector import IpaasConnector
    from campuscard_gui.batch.listing import list_students
    from campuscard_gui.config.snapshots import SnapshotStore

    store = SnapshotStore(tmp_path)
    with run_sandbox("shenbi", students=300, seed=5, with_cards=True) as sb:
        reader = _shenbi(sb, True)
        conn = IpaasConnector({"gateway_url": "https://gw.example.com/flow",
                               "read_profile": "sb"}, "", reader)
        writer = _shenbi(sb, False)
        try:
            assert conn.delta_listing() is reader
            first = list_students(conn, store, "flow")
            assert not first.refreshed
            moved = first.rows[7].student.record_id
            _shenbi_writes(writer, sb.students_object, "ModifyEntityRecords", Ids=[moved],
                           Fields=["name"], Values=[["改名"]])
            again = list_students(conn, store, "flow")
            assert again.refreshed
            assert again.rows == _listed(_shenbi(sb, False)) != first.rows
        finally:
            conn.close()
            writer.close()
