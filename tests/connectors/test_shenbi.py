"""ShenbiConnector and the iPaaS route against the sandbox over real loopback HTTP (TC3-signed
requests verified by the server), through the real BatchRunner and Journal: the four actions,
each auth failure, Ids above 2^53 and both value spellings, the rate limit, every fault kind,
and 5,000 students at fault rate 0.2 — one card per student, a definite outcome each."""

from __future__ import annotations

import logging
import time

import pytest
from jdy_helpers import FAST_RETRY, assert_definite, run_action

from campuscard_gui.core.errors import ConnectorError
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.core.outcomes import OutcomeKind
from campuscard_gui.sandbox import FAULT_KINDS, SandboxInfo, ShenbiSettings

FAULTS = tuple(k for k in FAULT_KINDS if k != "partial")  # 神笔 writes are all-or-nothing
FAST = {"requests_per_second": 200}  # a sandbox and client both at 200 calls/s: quick tests


def assert_one_live_card_each(sb: SandboxInfo, conn, journal, job_id: int) -> None:
    """Succeeded → the student's current card is live and is the one recorded (when the
    answer carried Ids); failed → no card; never a second card from one open."""
    counts = sb.control.cards_by_student()
    cards = conn.read_cards([r.student_no for r in journal.records(job_id)])
    for r in journal.records(job_id):
        if r.outcome.kind is OutcomeKind.SUCCEEDED:
            assert counts.get(r.student_no) == 1, r.student_no
            assert cards[r.student_no].status is CardStatus.ACTIVE
            if r.card_id:
                assert cards[r.student_no].card_id == r.card_id
        elif r.outcome.kind is OutcomeKind.FAILED:
            assert counts.get(r.student_no, 0) == 0, r.student_no


# -- reading -----------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", [
    {},
    {"ids_as_numbers": True, "value_key_case": "lower", "capitalize_field_keys": True,
     "enum_value": "labels"},
])
def test_lists_students_and_cards_in_either_spelling(shenbi_sandbox, sconnect, spelling):
    sb = shenbi_sandbox(students=450, seed=3, with_cards=True,
                        settings=ShenbiSettings(**spelling))
    conn = sconnect(sb)
    seen: list[tuple[int, int | None]] = []
    rows = conn.list_rows(lambda done, total: seen.append((done, total)))
    assert len(rows) == 450 and conn.list_warnings == []
    assert all(int(r.student.record_id) > 2 ** 53 for r in rows)  # exact, never a float
    assert len({r.student.record_id for r in rows}) == 450
    assert {r.student.status for r in rows} <= set(StudentStatus)
    with_card = [r for r in rows if r.card is not None]
    assert with_card and all(int(r.card.card_id) > 2 ** 53 for r in with_card)
    assert seen[-1][1] == seen[-1][0]  # TotalCount gives the total
    again = conn.read_cards([r.student_no for r in with_card])
    assert {no: c.card_id for no, c in again.items()} == {
        r.student_no: r.card.card_id for r in with_card}


# -- the four actions ---------------------------------------------------------------------------

def test_open_freeze_unfreeze_cancel_and_reopen_through_the_runner(shenbi_sandbox, sconnect,
                                                                  tmp_path):
    sb = shenbi_sandbox(students=230, seed=4, settings=ShenbiSettings(rate_per_second=200))
    conn = sconnect(sb, **FAST)
    rows = conn.list_rows()
    steps = [(Action.OPEN, CardStatus.ACTIVE), (Action.FREEZE, CardStatus.FROZEN),
             (Action.UNFREEZE, CardStatus.ACTIVE), (Action.CANCEL, CardStatus.CANCELLED),
             (Action.OPEN, CardStatus.ACTIVE)]
    for n, (action, target) in enumerate(steps):
        job, journal = run_action(conn, tmp_path / f"{n}.sqlite3", action, rows)
        assert assert_definite(journal, job.job_id) == {"succeeded": 230}, action
        rows = conn.list_rows()
        assert {r.card.status for r in rows if r.card} == {target}
        assert all(r.card is not None for r in rows)
    # 神笔 keeps history: re-opening after 注销 created a second, newer card record
    assert set(sb.control.cards_by_student().values()) == {2}
    requests = sb.control.counters().requests
    assert requests["CreateEntityRecords"] == 6 and requests["ModifyEntityRecords"] == 9


def test_check_connection_passes_and_says_what_is_wrong(shenbi_sandbox, sconnect, caplog):
    skewed = time.time() + 420  # the server's clock 7 minutes ahead of ours
    sb = shenbi_sandbox(students=5)
    sconnect(sb).check_connection()
    caplog.set_level(logging.DEBUG)
    cases = [
        ({"secret_key": "wrong-sk-0001"}, "signature"),
        ({"secret_id": "AKIDnobody0000"}, "key"),
        ({"cards_object": "cardz"}, "object"),
        ({"app_code": "elsewhere"}, "app"),
        ({"service": "cvm"}, "signature"),
        ({"fields": {"card_status": "state"}}, "field"),
    ]
    for change, area in cases:
        conn = sconnect(sb, **change)
        with pytest.raises(ConnectorError) as err:
            conn.check_connection()
        assert err.value.code == area, (change, err.value.message)
        assert sb.secret_key not in err.value.message + caplog.text
        assert "wrong-sk-0001" not in err.value.message + caplog.text
    sb2 = shenbi_sandbox(students=5, settings=ShenbiSettings(clock=lambda: skewed))
    with pytest.raises(ConnectorError) as err:
        sconnect(sb2).check_connection()
    assert err.value.code == "clock"
    assert "慢约" in err.value.message  # ours is behind: "本机时钟比服务器慢约 420 秒"


def test_the_client_stays_under_the_per_secretid_rate_limit(shenbi_sandbox, sconnect,
                                                           tmp_path):
    sb = shenbi_sandbox(students=1500, seed=5, latency_ms=20)
    # 30 creates at ≤ 20/s, 8 in flight; the margin covers the scheduling delays of a loaded
    # run (the sandbox shares this process), as in the 简道云 test
    conn = sconnect(sb, batch_size=50, rate_margin_s=0.25)
    rows = conn.list_rows()
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    assert assert_definite(journal, job.job_id) == {"succeeded": 1500}
    assert sb.control.counters().rate_limited == {}


# -- faults -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", FAULTS)
def test_each_fault_kind_ends_with_one_card_per_student(shenbi_sandbox, sconnect, tmp_path,
                                                        kind):
    settings = ShenbiSettings(rate_per_second=200, fault_timeout_s=1.0)
    sb = shenbi_sandbox(students=600, seed=8, settings=settings)
    conn = sconnect(sb, timeout_s=0.5, settle_s=1.5, batch_size=40, **FAST)
    rows = conn.list_rows()
    sb.control.set_faults([kind], 0.35)
    job, journal = run_action(conn, tmp_path / "open.sqlite3", Action.OPEN, rows,
                              retry=FAST_RETRY)
    outcomes = assert_definite(journal, job.job_id)
    assert outcomes["succeeded"] + outcomes["failed"] == 600
    assert sb.control.counters().faults.get(kind, 0) > 0
    assert sb.control.wait_landed(30)  # the held requests land: they must not add a card
    sb.control.clear_faults()
    assert max(sb.control.cards_by_student().values()) == 1
    assert_one_live_card_each(sb, conn, journal, job.job_id)


@pytest.mark.slow
def test_acceptance_5000_students_at_fault_rate_0_2(shenbi_sandbox, sconnect, tmp_path):
    settings = ShenbiSettings(rate_per_second=200, fault_timeout_s=1.5)
    sb = shenbi_sandbox(students=5000, seed=20, settings=settings)
    conn = sconnect(sb, timeout_s=1.0, settle_s=2.0, **FAST)
    rows = conn.list_rows()
    assert len(rows) == 5000
    sb.control.set_faults(FAULTS, 0.2)
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    outcomes = assert_definite(journal, job.job_id)
    assert sum(outcomes.values()) == 5000 and outcomes["succeeded"] >= 4900
    assert sb.control.wait_landed(30)  # held ("timeout") requests land late: still one each
    sb.control.clear_faults()
    assert max(sb.control.cards_by_student().values()) == 1
    assert sum(sb.control.cards_by_student().values()) == outcomes["succeeded"]
    assert_one_live_card_each(sb, conn, journal, job.job_id)
    assert sum(sb.control.counters().faults.values()) >= 5


# -- the iPaaS gateway route --------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["result", "status", "empty"])
def test_the_ipaas_route_runs_every_action(ipaas_sandbox, sconnect, iconnect, tmp_path,
                                           answer):
    sb = ipaas_sandbox(students=260, seed=9,
                       settings=ShenbiSettings(rate_per_second=200, gateway_answer=answer))
    conn = iconnect(sb, reader=sconnect(sb, **FAST))
    conn.check_connection()
    rows = conn.list_rows()
    for n, (action, target) in enumerate([(Action.OPEN, CardStatus.ACTIVE),
                                          (Action.FREEZE, CardStatus.FROZEN),
                                          (Action.UNFREEZE, CardStatus.ACTIVE),
                                          (Action.CANCEL, CardStatus.CANCELLED)]):
        job, journal = run_action(conn, tmp_path / f"{n}.sqlite3", action, rows)
        assert assert_definite(journal, job.job_id) == {"succeeded": 260}, action
        ids = {r.card_id for r in journal.records(job.job_id)}
        assert "" not in ids  # an answer without Ids: the read-back names the cards
        rows = conn.list_rows()
        assert {r.card.status for r in rows if r.card} == {target}
    assert set(sb.control.cards_by_student().values()) == {1}
    # the connection test's probe, then four actions in chunks of 100
    assert sb.control.counters().requests["ipaas/gateway"] == 1 + 4 * 3


def test_the_gateway_token_is_checked_and_never_shown(ipaas_sandbox, sconnect, iconnect,
                                                      caplog):
    sb = ipaas_sandbox(students=5)
    caplog.set_level(logging.DEBUG)
    conn = iconnect(sb, token="not-the-token-123")
    with pytest.raises(ConnectorError) as err:
        conn.check_connection()
    assert err.value.code == "gateway_auth"
    assert "not-the-token-123" not in err.value.message + caplog.text
    assert sb.gateway_token not in caplog.text
    iconnect(sb).check_connection()


@pytest.mark.parametrize("kind", FAULTS)
def test_each_fault_kind_at_the_gateway_ends_with_one_card_per_student(
        ipaas_sandbox, sconnect, iconnect, tmp_path, kind):
    settings = ShenbiSettings(rate_per_second=200, fault_timeout_s=1.0)
    sb = ipaas_sandbox(students=500, seed=10, settings=settings)
    conn = iconnect(sb, reader=sconnect(sb, **FAST), timeout_s=0.5, settle_s=1.5,
                    chunk_size=25, concurrency=3)
    rows = conn.list_rows()
    sb.control.set_faults([kind], 0.35, endpoints=["ipaas/gateway"])
    job, journal = run_action(conn, tmp_path / "open.sqlite3", Action.OPEN, rows,
                              retry=FAST_RETRY)
    outcomes = assert_definite(journal, job.job_id)
    assert outcomes["succeeded"] + outcomes["failed"] == 500
    assert sb.control.counters().faults.get(kind, 0) > 0
    assert sb.control.wait_landed(30)  # the held requests land: they must not add a card
    sb.control.clear_faults()
    assert max(sb.control.cards_by_student().values()) == 1
    assert_one_live_card_each(sb, conn, journal, job.job_id)


@pytest.mark.slow
@pytest.mark.parametrize("answer", ["result", "status"])
def test_ipaas_acceptance_5000_students_at_fault_rate_0_2(ipaas_sandbox, sconnect, iconnect,
                                                          tmp_path, answer):
    settings = ShenbiSettings(rate_per_second=200, fault_timeout_s=1.5, gateway_answer=answer)
    sb = ipaas_sandbox(students=5000, seed=21, settings=settings)
    conn = iconnect(sb, reader=sconnect(sb, **FAST), timeout_s=1.0, settle_s=2.0,
                    chunk_size=50, concurrency=4)
    rows = conn.list_rows()
    sb.control.set_faults(FAULTS, 0.2)
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    outcomes = assert_definite(journal, job.job_id)
    assert sum(outcomes.values()) == 5000 and outcomes["succeeded"] >= 4900
    assert sb.control.wait_landed(30)  # held ("timeout") requests land late: still one each
    sb.control.clear_faults()
    assert max(sb.control.cards_by_student().values()) == 1
    assert sum(sb.control.cards_by_student().values()) == outcomes["succeeded"]
    assert sum(sb.control.counters().faults.values()) >= 10


def test_an_action_the_flow_does_not_handle_is_refused_before_sending(
        ipaas_sandbox, sconnect, iconnect, tmp_path):
    """The walkthrough's flow only opens cards and ignores "action": a profile saying so
    never sends it a 冻结 (which that flow would turn into new cards)."""
    sb = ipaas_sandbox(students=120, seed=12, with_cards=True,
                       settings=ShenbiSettings(rate_per_second=200))
    conn = iconnect(sb, reader=sconnect(sb, **FAST), flow_actions="open")
    rows = [r for r in conn.list_rows() if r.card and r.card.status is CardStatus.ACTIVE]
    before = sb.control.counters().requests.get("ipaas/gateway", 0)
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.FREEZE, rows)
    assert assert_definite(journal, job.job_id) == {"failed": len(rows)}
    failed = journal.records(job.job_id)[0].outcome
    assert failed.code == "flow_action" and "冻结" in failed.message
    assert sb.control.counters().requests.get("ipaas/gateway", 0) == before
