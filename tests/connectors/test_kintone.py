"""KintoneConnector against the kintone sandbox over real loopback HTTP, through the real
BatchRunner and Journal: listing past 10,000 records, the four actions, both auth modes, a
guest space, a bulkRequest with a bad record, revision conflicts, the concurrency limit and
every fault kind — each ending with one card per student and a definite outcome per record."""

from __future__ import annotations

import logging

import pytest
from jdy_helpers import FAST_RETRY, assert_definite, run_action
from kintone_helpers import FIELDS, raw

from campuscard_gui.backends.kintone.connector import KintoneAuth
from campuscard_gui.batch import Journal
from campuscard_gui.connectors.base import CardCreate, CardUpdate
from campuscard_gui.core.errors import ConnectorError
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.core.outcomes import Failed, OutcomeKind, Skipped, SkipReason, Succeeded
from campuscard_gui.sandbox import FAULT_KINDS, KintoneSettings, SandboxInfo

KINTONE_FAULTS = tuple(k for k in FAULT_KINDS if k != "partial")  # kintone is all-or-nothing


def cards_of(sb: SandboxInfo) -> dict[str, dict]:
    return {rec["student_no"]["value"]: rec for rec in sb.control.records("cards")}


def assert_one_card_each(sb: SandboxInfo, journal: Journal, job_id: int) -> None:
    """Succeeded → exactly the card recorded; failed → none; never two cards."""
    counts = sb.control.cards_by_student()
    assert max(counts.values(), default=0) <= 1, "a student has two cards"
    cards = cards_of(sb)
    for r in journal.records(job_id):
        assert r.outcome is not None
        if r.outcome.kind is OutcomeKind.SUCCEEDED:
            assert cards[r.student_no]["$id"]["value"] == r.card_id
        elif r.outcome.kind is OutcomeKind.FAILED:
            assert counts.get(r.student_no, 0) == 0, r.student_no
        elif r.outcome.kind is OutcomeKind.SKIPPED:  # 已开通 found at write time
            assert counts.get(r.student_no) == 1


# -- listing -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_lists_more_than_10000_students_by_id_seek(kintone_sandbox, kconnect):
    sb = kintone_sandbox(students=10_600, seed=4, with_cards=True)
    conn = kconnect(sb)
    seen: list[tuple[int, int | None]] = []
    rows = conn.list_rows(lambda done, total: seen.append((done, total)))
    assert len(rows) == 10_600
    assert len({r.student_no for r in rows}) == 10_600
    assert sum(r.card is not None for r in rows) == len(sb.control.records("cards"))
    assert seen[-1][0] == 10_600 + len(sb.control.records("cards"))
    assert seen[-1][1] == seen[-1][0]  # the total is known (totalCount on the first pages)
    requests = sb.control.counters().requests
    assert not any("cursor" in name for name in requests)  # seek paging, no cursors
    # every page asked for ≤ 500 records and none used an offset past 10,000 (the sandbox
    # refuses that): 10,600 students need 22 pages
    assert requests["GET records"] >= 22


def test_list_rows_joins_students_with_their_cards(kintone_sandbox, kconnect):
    sb = kintone_sandbox(students=120, seed=5, with_cards=True)
    conn = kconnect(sb)
    rows = conn.list_rows()
    assert len(rows) == 120
    cards = cards_of(sb)
    for row in rows:
        rec = cards.get(row.student_no)
        if rec is None:
            assert row.card is None
            continue
        assert row.card is not None
        assert row.card.card_id == rec["$id"]["value"]
        assert row.card.revision == rec["$revision"]["value"]
        assert row.card.status.value == rec["status"]["value"]
    assert {r.student.status for r in rows} <= set(StudentStatus)
    assert conn.list_warnings == []


# -- the four actions ---------------------------------------------------------------------------

def test_open_freeze_unfreeze_cancel_and_reopen_through_the_runner(kintone_sandbox, kconnect,
                                                                  tmp_path):
    sb = kintone_sandbox(students=260, seed=6)
    conn = kconnect(sb)
    rows = conn.list_rows()
    steps = [(Action.OPEN, CardStatus.ACTIVE), (Action.FREEZE, CardStatus.FROZEN),
             (Action.UNFREEZE, CardStatus.ACTIVE), (Action.CANCEL, CardStatus.CANCELLED),
             (Action.OPEN, CardStatus.ACTIVE)]
    first_ids: dict[str, str] = {}
    for n, (action, target) in enumerate(steps):
        job, journal = run_action(conn, tmp_path / f"{n}.sqlite3", action, rows)
        outcomes = assert_definite(journal, job.job_id)
        assert outcomes == {"succeeded": 260}, (action, outcomes)
        rows = conn.list_rows()
        assert {r.card.status for r in rows if r.card} == {target}
        assert all(r.card is not None for r in rows)
        if n == 0:
            first_ids = {r.student_no: r.card.card_id for r in rows if r.card}
    # the cards app allows one record per student: the cancelled card was opened again
    assert {r.student_no: r.card.card_id for r in rows if r.card} == first_ids
    assert max(sb.control.cards_by_student().values()) == 1
    # one bulkRequest per 2,000 records: 260 students → one call per action
    assert sb.control.counters().requests["POST bulkRequest"] == 5


def test_each_auth_mode_and_a_guest_space(kintone_sandbox, kconnect, tmp_path):
    sb = kintone_sandbox(students=40, seed=7, settings=KintoneSettings(guest_space=12))
    for auth in (KintoneAuth(password=sb.password),
                 KintoneAuth(students_token=sb.students_token, cards_token=sb.cards_token)):
        extra = {"auth": "password", "user": sb.user} if auth.password else {}
        conn = kconnect(sb, auth, **extra)
        conn.check_connection()
        rows = conn.list_rows()
        assert len(rows) == 40
        action = Action.OPEN if auth.password else Action.FREEZE
        job, journal = run_action(conn, tmp_path / f"{action}.sqlite3", action, rows)
        assert assert_definite(journal, job.job_id) == {"succeeded": 40}
    assert {c["status"]["value"] for c in sb.control.records("cards")} == {"冻结"}


@pytest.mark.parametrize("change, code, words", [
    ({"guest_space": ""}, "space", "来宾空间"),
    ({"guest_space": "99"}, "permission", "权限"),
    ({"cards_app": "77"}, "app", "应用"),
    ({"fields": {**FIELDS.to_json(), "card_status": "state"}}, "field", "state"),
])
def test_check_connection_says_what_is_wrong(kintone_sandbox, kconnect, change, code, words):
    sb = kintone_sandbox(students=5, settings=KintoneSettings(guest_space=3))
    # password auth: the user may see every app (a token would not match app 77 at all)
    conn = kconnect(sb, KintoneAuth(password=sb.password), auth="password", user=sb.user,
                    **change)
    with pytest.raises(ConnectorError) as err:
        conn.check_connection()
    assert err.value.code == code
    assert words in err.value.message


@pytest.mark.parametrize("auth, extra", [
    (KintoneAuth(students_token="wrongTok7Qx", cards_token="wrongTok8Rz"), {}),
    (KintoneAuth(password="wrongPass9Zk"), {"auth": "password", "user": "sandbox-admin"}),
])
def test_wrong_secrets_are_an_auth_problem_and_never_shown(kintone_sandbox, kconnect, caplog,
                                                           auth, extra):
    sb = kintone_sandbox(students=5)
    conn = kconnect(sb, auth, **extra)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConnectorError) as err:
        conn.check_connection()
    assert err.value.code == "auth"
    shown = err.value.message + caplog.text + repr(conn) + repr(auth) + repr(err.value)
    for secret in ("wrongTok7Qx", "wrongTok8Rz", "wrongPass9Zk", sb.password, sb.cards_token):
        assert secret not in shown


def test_a_token_without_write_permission_fails_the_job_definitively(kintone_sandbox, kconnect,
                                                                    tmp_path):
    sb = kintone_sandbox(students=30)
    conn = kconnect(sb, cards_app=sb.students_app, students_app=sb.cards_app)
    # the apps swapped: the cards "app" is the students app, whose token may only view
    rows = kconnect(sb).list_rows()
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    assert assert_definite(journal, job.job_id) == {"failed": 30}
    failed = journal.records(job.job_id)[0].outcome
    assert isinstance(failed, Failed) and failed.code == "GAIA_NO01"
    assert "权限" in failed.message


# -- bad records inside a bulkRequest ------------------------------------------------------------

def test_a_bad_record_among_2000_fails_alone_and_the_rest_is_written(kintone_sandbox, kconnect):
    sb = kintone_sandbox(students=2100, seed=8)
    conn = kconnect(sb)
    rows = conn.list_rows()
    nos = [r.student_no for r in rows[:2000]]
    # someone else opened a card for student #1234 (sub-request 12, record 34) meanwhile,
    # and cancelled one for student #1777
    assert raw(sb, "POST", "records", {"app": sb.cards_app, "records": [
        {"student_no": {"value": nos[1234]}, "status": {"value": "正常"}},
        {"student_no": {"value": nos[1777]}, "status": {"value": "注销"}},
    ]}).status_code == 200
    before = sb.control.counters().requests["POST bulkRequest"] \
        if "POST bulkRequest" in sb.control.counters().requests else 0
    results = conn.create_cards([CardCreate(no) for no in nos], CardStatus.ACTIVE, "k1")
    assert len(results) == 2000
    skipped = [i for i, r in enumerate(results) if isinstance(r, Skipped)]
    assert skipped == [1234]
    assert results[1234].reason is SkipReason.CHANGED_BY_OTHER
    assert results[1234].detail == "正常"
    assert all(isinstance(r, Succeeded) for i, r in enumerate(results) if i != 1234)
    cards = cards_of(sb)
    assert results[1777].card_id == cards[nos[1777]]["$id"]["value"]  # re-opened in place
    assert cards[nos[1777]]["status"]["value"] == "正常"
    assert max(sb.control.cards_by_student().values()) == 1
    assert len(cards) == 2000
    # refused at #1234, refused at #1777, then 20 creates of ≤100 (the re-open of #1777, a
    # 21st sub-request, waits for a fourth call)
    assert sb.control.counters().requests["POST bulkRequest"] - before == 4


def test_a_card_changed_by_someone_else_is_reported_not_overwritten(kintone_sandbox, kconnect,
                                                                   tmp_path):
    sb = kintone_sandbox(students=150, seed=9, with_cards=True)
    conn = kconnect(sb)
    rows = [r for r in conn.list_rows() if r.card and r.card.status is CardStatus.ACTIVE]
    assert len(rows) > 20
    victim, gone = rows[3], rows[140 % len(rows)]
    assert raw(sb, "PUT", "record", {"app": sb.cards_app, "id": victim.card.card_id,
                                     "record": {"amount": {"value": "12.5"}}}).status_code == 200
    assert raw(sb, "DELETE", "records", {"app": sb.cards_app,
                                         "ids": [gone.card.card_id]}).status_code == 200
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.FREEZE, rows)
    outcomes = assert_definite(journal, job.job_id)
    assert outcomes == {"succeeded": len(rows) - 2, "failed": 1, "skipped": 1}
    by_no = {r.student_no: r.outcome for r in journal.records(job.job_id)}
    assert by_no[victim.student_no] == Skipped(SkipReason.CHANGED_BY_OTHER, "正常")
    assert isinstance(by_no[gone.student_no], Failed)
    assert by_no[gone.student_no].code == "GAIA_RE01"
    cards = cards_of(sb)
    assert cards[victim.student_no]["status"]["value"] == "正常"  # not overwritten
    assert cards[victim.student_no]["amount"]["value"] == "12.5"


def test_updates_check_the_revision_directly(kintone_sandbox, kconnect):
    sb = kintone_sandbox(students=10, seed=10, with_cards=True)
    conn = kconnect(sb)
    card = next(r.card for r in conn.list_rows() if r.card and r.card.status is CardStatus.ACTIVE)
    stale = CardUpdate(card.student_no, card.card_id, str(int(card.revision) - 1 or 99))
    (result,) = conn.update_cards([stale], CardStatus.FROZEN, "u")
    assert result == Skipped(SkipReason.CHANGED_BY_OTHER, "正常")
    (result,) = conn.update_cards([CardUpdate(card.student_no, card.card_id, card.revision)],
                                  CardStatus.FROZEN, "u")
    assert result == Succeeded(card.card_id)


# -- concurrency and faults -------------------------------------------------------------------

def test_never_more_requests_in_flight_than_configured(kintone_sandbox, kconnect, tmp_path):
    sb = kintone_sandbox(students=9000, seed=11, latency_ms=30)
    conn = kconnect(sb, concurrency=3)
    rows = conn.list_rows()
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    assert assert_definite(journal, job.job_id) == {"succeeded": 9000}
    counters = sb.control.counters()
    assert 2 <= counters.max_in_flight <= 3  # five chunks of 2,000, ≤ three at a time
    assert counters.concurrency_rejected == 0


def test_the_domain_limit_answer_429_is_retried(kintone_sandbox, kconnect, tmp_path):
    sb = kintone_sandbox(students=6000, seed=12, latency_ms=40,
                         settings=KintoneSettings(max_in_flight=2))
    conn = kconnect(sb, concurrency=3)  # one more than the domain allows
    rows = conn.list_rows()
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    assert assert_definite(journal, job.job_id) == {"succeeded": 6000}
    assert max(sb.control.cards_by_student().values()) == 1


@pytest.mark.parametrize("kind", KINTONE_FAULTS)
def test_each_fault_kind_ends_with_one_card_per_student(kintone_sandbox, kconnect, tmp_path,
                                                        kind):
    sb = kintone_sandbox(students=2500, seed=13, settings=KintoneSettings(fault_timeout_s=1.0))
    conn = kconnect(sb, timeout_s=0.5, records_per_request=50, requests_per_bulk=4)
    rows = conn.list_rows()
    sb.control.set_faults([kind], 0.35)
    job, journal = run_action(conn, tmp_path / "open.sqlite3", Action.OPEN, rows,
                              retry=FAST_RETRY)
    outcomes = assert_definite(journal, job.job_id)
    assert outcomes["succeeded"] + outcomes["failed"] + outcomes["skipped"] == 2500
    assert sb.control.counters().faults.get(kind, 0) > 0
    assert sb.control.wait_landed(30)  # the held requests land: they must not add a card
    assert_one_card_each(sb, journal, job.job_id)

    rows = conn.list_rows()
    job2, journal2 = run_action(conn, tmp_path / "freeze.sqlite3", Action.FREEZE, rows)
    assert_definite(journal2, job2.job_id)
    assert sb.control.wait_landed(30)
    sb.control.clear_faults()
    cards = conn.read_cards([r.student_no for r in rows])
    for r in journal2.records(job2.job_id):
        if r.outcome is not None and r.outcome.kind is OutcomeKind.SUCCEEDED:
            assert cards[r.student_no].status is CardStatus.FROZEN


@pytest.mark.slow
def test_acceptance_5000_students_at_fault_rate_0_2(kintone_sandbox, kconnect, tmp_path):
    """Every fault kind at 20 % of the writes: opening 5,000 students leaves exactly one card
    per student and a definite outcome for everyone."""
    sb = kintone_sandbox(students=5000, seed=20, settings=KintoneSettings(fault_timeout_s=2.0))
    # chunks of 40 (2 × 20): 125 bulkRequests, so that 20 % of them is many faults
    conn = kconnect(sb, timeout_s=1.0, records_per_request=20, requests_per_bulk=2)
    rows = conn.list_rows()
    assert len(rows) == 5000
    sb.control.set_faults(KINTONE_FAULTS, 0.2)
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    outcomes = assert_definite(journal, job.job_id)
    assert sum(outcomes.values()) == 5000
    assert outcomes["succeeded"] + outcomes["skipped"] >= 4900
    assert sb.control.wait_landed(30)  # held ("timeout") requests land late: still one each
    assert_one_card_each(sb, journal, job.job_id)
    assert sum(sb.control.cards_by_student().values()) == outcomes["succeeded"] \
        + outcomes["skipped"]
    assert sum(sb.control.counters().faults.values()) >= 15
