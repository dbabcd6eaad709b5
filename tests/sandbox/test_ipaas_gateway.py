"""The iPaaS gateway (seeds/000's flow) in front of the 神笔 emulator, over loopback HTTP."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from sandbox_helpers import options, sandbox_fixture
from shenbi_helpers import FIRST_ID, Shenbi

from campuscard_gui.core.demo import generate_school
from campuscard_gui.sandbox import SandboxInfo, ShenbiSettings

N, SEED = 60, 5
SCHOOL = generate_school(N, SEED)
sb = sandbox_fixture("ipaas", N, SEED)  # `c`, its client: conftest.py


def call(sb: SandboxInfo, action: str, student_ids: list[Any], *, token: str | None = None,
         timeout: float = 10) -> httpx.Response:
    headers = {} if token == "" else {"X-Gateway-Token": token or sb.gateway_token}
    body = {"action": action, "studentRecords": [{"studentID": i} for i in student_ids]}
    return httpx.post(sb.gateway_url, json=body, headers=headers, timeout=timeout)


def result(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    out = r.json()["Response"]
    assert len(out["RequestId"]) == 16
    return dict(out)


def sid(n: int) -> str:
    """The record Id of the n-th seeded student."""
    return str(FIRST_ID + n)


def statuses(c: Shenbi) -> dict[str, list[str]]:
    """学号 -> the labels of that student's cards, oldest first."""
    out: dict[str, list[str]] = {}
    data = c.query("cards", Limit=200, Fields=["studentInfo", "status"])
    for rec in data["EntityRecordSet"]:
        fv = rec["FieldValue"]
        out.setdefault(fv["studentInfo"]["DisplayValue"], []).append(
            fv["status"]["DisplayValue"][0])
    return out


def test_start_info(sb: SandboxInfo):
    line = sb.start_line()
    assert set(line) == {"backend", "base_url", "app_code", "students_object", "cards_object",
                         "secret_id", "secret_key", "service", "version", "gateway_url",
                         "gateway_token"}
    assert line["backend"] == "ipaas" and line["base_url"].endswith("/shenbi-ipaas")
    assert line["gateway_url"] == f"{line['base_url']}/ipaas/gateway/campuscard-flow"
    assert len(line["gateway_token"]) >= 20


def test_open_writes_through_shenbi_in_result_mode(sb: SandboxInfo, c: Shenbi):
    students = [sid(3), sid(1), FIRST_ID + 2]  # Ids as strings or numbers
    before = time.time() * 1000
    out = result(call(sb, "open", students))
    ids = out["Data"]["Ids"]
    assert len(ids) == 3 and all(isinstance(i, str) and int(i) > 2 ** 53 for i in ids)
    recs = c.ok("DescribeEntityRecordsById", {"Entity": "card", "Ids": ids})["EntityRecordSet"]
    assert [r["FieldValue"]["studentInfo"]["Value"] for r in recs] == [sid(3), sid(1), sid(2)]
    for r in recs:
        fv = r["FieldValue"]
        assert fv["status"]["DisplayValue"] == ["正常"] and fv["amount"]["Value"] == "0"
        assert before - 1000 <= fv["openTime"]["Value"] <= time.time() * 1000 + 1000
    assert sb.control.cards_by_student() == {
        SCHOOL.students[i].student_no: 1 for i in (1, 2, 3)}
    counts = sb.control.counters().requests
    assert counts["ipaas/gateway"] == 1 and "CreateEntityRecords" not in counts
    # the gateway does not stop a second card: that is the caller's business
    result(call(sb, "open", [sid(1)]))
    assert sb.control.cards_by_student()[SCHOOL.students[1].student_no] == 2


def test_updates_find_each_students_current_card(sb: SandboxInfo, c: Shenbi):
    first = result(call(sb, "open", [sid(0), sid(1)]))["Data"]["Ids"]
    result(call(sb, "cancel", [sid(0)]))
    again = result(call(sb, "open", [sid(0)]))["Data"]["Ids"]
    out = result(call(sb, "freeze", [sid(1), sid(0)]))
    assert out["Data"]["Ids"] == [first[1], again[0]]  # in studentRecords order
    no0, no1 = SCHOOL.students[0].student_no, SCHOOL.students[1].student_no
    assert statuses(c) == {no0: ["注销", "冻结"], no1: ["冻结"]}
    result(call(sb, "unfreeze", [sid(0)]))
    assert statuses(c)[no0] == ["注销", "正常"]


def test_updates_keep_to_the_earliest_live_card_not_a_newer_cancelled_duplicate(
        sb: SandboxInfo, c: Shenbi):
    """Two cards were opened for a student at once and the newer one was set to 注销 as a
    duplicate: the flow's 冻结 goes to the live one (core.cards.current_card), never brings
    the cancelled one back; with no live card left it goes to the newest record."""
    kept, extra = result(call(sb, "open", [sid(0), sid(0)]))["Data"]["Ids"]
    c.ok("ModifyEntityRecords", {"Entity": "card", "Ids": [extra], "Fields": ["status"],
                                 "Values": [[["注销"]]]})
    assert result(call(sb, "freeze", [sid(0)]))["Data"]["Ids"] == [kept]
    no0 = SCHOOL.students[0].student_no
    assert statuses(c) == {no0: ["冻结", "注销"]}
    assert result(call(sb, "cancel", [sid(0)]))["Data"]["Ids"] == [kept]
    assert result(call(sb, "cancel", [sid(0)]))["Data"]["Ids"] == [extra]  # none live: newest


def test_a_student_without_a_card_fails_the_whole_update(sb: SandboxInfo, c: Shenbi):
    result(call(sb, "open", [sid(0), sid(1)]))
    out = result(call(sb, "freeze", [sid(0), sid(7), sid(1)]))
    assert out["Error"]["Code"] == "ResourceNotFound.Record"
    assert sid(7) in out["Error"]["Message"] and "studentRecords[1]" in out["Error"]["Message"]
    assert set(sum(statuses(c).values(), [])) == {"正常"}
    out = result(call(sb, "open", [sid(2), "1458712091891999999"]))  # no such student
    assert out["Error"]["Code"] == "InvalidParameterValue.Field"
    assert len(sb.control.cards_by_student()) == 2  # atomic: the good row was not kept


def test_the_token(sb: SandboxInfo):
    for token in ("", "wrong"):
        r = call(sb, "open", [sid(0)], token=token)
        assert r.status_code == 401 and r.json()["code"] == 401 and r.json()["message"]
    assert sb.control.counters().auth_failures == 2
    assert sb.control.cards_by_student() == {}
    assert call(sb, "open", [sid(0)]).status_code == 200


@options(settings=ShenbiSettings(gateway_token="", gateway_token_header="X-Flow-Key"))
def test_no_token_when_none_is_configured(sb: SandboxInfo):
    assert sb.gateway_token == "" and sb.start_line()["gateway_token"] == ""
    assert "Error" not in result(call(sb, "open", [sid(0)], token=""))


@options(settings=ShenbiSettings(gateway_token="fixed-token", gateway_token_header="X-Flow-Key",
                                 gateway_flow="open-card"))
def test_token_header_and_flow_are_settings(sb: SandboxInfo):
    assert sb.gateway_url.endswith("/ipaas/gateway/open-card")
    assert call(sb, "open", [sid(0)], token="fixed-token").status_code == 401  # wrong header
    r = httpx.post(sb.gateway_url, headers={"X-Flow-Key": "fixed-token"},
                   json={"action": "open", "studentRecords": [{"studentID": sid(0)}]})
    assert "Error" not in result(r)
    r = httpx.post(sb.gateway_url.replace("open-card", "other"), json={})
    assert r.status_code == 404 and r.json()["code"] == 404


def test_gateway_refuses_bad_bodies(sb: SandboxInfo):
    def refused(body: Any) -> int:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        r = httpx.post(sb.gateway_url, content=raw,
                       headers={"X-Gateway-Token": sb.gateway_token})
        assert r.json()["code"] == r.status_code
        return r.status_code

    assert refused(b"{oops") == 400
    assert refused({"action": "delete", "studentRecords": [{"studentID": sid(0)}]}) == 400
    assert refused({"action": "open", "studentRecords": []}) == 400
    assert refused({"action": "open", "studentRecords": [{"studentNo": "2021000001"}]}) == 400
    assert refused({"action": "open", "studentRecords": [{"studentID": sid(0)}] * 201}) == 400
    assert httpx.get(sb.gateway_url).status_code == 405
    assert sb.control.cards_by_student() == {}


@options(students=260)
def test_a_full_chunk_goes_to_shenbi_in_batches(sb: SandboxInfo, c: Shenbi):
    students = [sid(i) for i in range(200)]
    ids = result(call(sb, "open", students))["Data"]["Ids"]
    assert len(ids) == 200 and ids == sorted(ids)
    frozen = result(call(sb, "freeze", list(reversed(students))))["Data"]["Ids"]
    assert frozen == list(reversed(ids))
    assert c.query("cards", Filter={"Connector": "AND", "Children": [
        {"Field": "status", "Operator": "EQ", "Value": "冻结"}]})["TotalCount"] == 200


@options(settings=ShenbiSettings(gateway_answer="status"))
def test_status_mode(sb: SandboxInfo):
    r = call(sb, "open", [sid(0)])
    assert r.status_code == 200 and r.json() == {"code": 0, "message": "success"}
    r = call(sb, "freeze", [sid(5)])
    assert r.status_code == 200 and r.json()["code"] == 404
    assert r.json()["message"].startswith("ResourceNotFound.Record: ")
    sb.control.set_faults(["ratelimit"], 1.0)
    assert call(sb, "freeze", [sid(0)]).json()["code"] == 429
    sb.control.set_faults(["5xx"], 1.0)
    assert call(sb, "freeze", [sid(0)]).json()["code"] == 500


@options(settings=ShenbiSettings(gateway_answer="empty"))
def test_empty_mode_answers_an_empty_object_after_writing(sb: SandboxInfo, c: Shenbi):
    r = call(sb, "open", [sid(0), sid(1)])
    assert r.status_code == 200 and r.json() == {}
    assert sb.control.cards_by_student() == {s.student_no: 1 for s in SCHOOL.students[:2]}
    r = call(sb, "freeze", [sid(1)])
    assert r.status_code == 200 and r.json() == {}
    assert statuses(c)[SCHOOL.students[1].student_no] == ["冻结"]
    out = result(call(sb, "freeze", [sid(5)]))  # a flow that failed still says so
    assert out["Error"]["Code"] == "ResourceNotFound.Record"


@options(settings=ShenbiSettings(gateway_answer="empty_noop"))
def test_empty_noop_mode_answers_an_empty_object_and_writes_nothing(sb: SandboxInfo,
                                                                    c: Shenbi):
    for action, students in (("open", [sid(0), sid(1)]), ("freeze", [sid(5)])):
        r = call(sb, action, students)
        assert r.status_code == 200 and r.json() == {}
    assert sb.control.cards_by_student() == {}
    assert call(sb, "open", [sid(0)], token="wrong").status_code == 401  # still the gateway
    assert sb.control.counters().requests["ipaas/gateway"] == 3


@options(settings=ShenbiSettings(rate_per_second=3, rate_window_s=0.5))
def test_the_flow_spends_its_own_secret_ids_budget(sb: SandboxInfo, c: Shenbi):
    result(call(sb, "open", [sid(0)]))  # one inner call
    result(call(sb, "freeze", [sid(0)]))  # two: the lookup and the update
    out = result(call(sb, "unfreeze", [sid(0)]))
    assert out["Error"]["Code"] == "RequestLimitExceeded"
    c.ok("DescribeEntityRecords", {"Entity": "card"})  # the caller's own budget is untouched
    assert statuses(c) == {SCHOOL.students[0].student_no: ["冻结"]}
    time.sleep(0.55)  # not a wait for the sandbox: the 0.5 s rate window has to slide by
    assert "Error" not in result(call(sb, "unfreeze", [sid(0)]))


@options(settings=ShenbiSettings(batch_max=2))
def test_atomic_gateway_calls_undo_earlier_batches(sb: SandboxInfo):
    out = result(call(sb, "open", [sid(0), sid(1), sid(2), "1458712091891999999"]))
    assert out["Error"]["Code"] == "InvalidParameterValue.Field"
    assert "studentRecords[2:4]" in out["Error"]["Message"]
    assert sb.control.cards_by_student() == {}


@options(settings=ShenbiSettings(batch_max=2, gateway_atomic=False))
def test_non_atomic_gateway_keeps_earlier_batches(sb: SandboxInfo):
    out = result(call(sb, "open", [sid(0), sid(1), sid(2), "1458712091891999999"]))
    assert out["Error"]["Code"] == "InvalidParameterValue.Field"
    assert sb.control.cards_by_student() == {
        SCHOOL.students[0].student_no: 1, SCHOOL.students[1].student_no: 1}


def test_gateway_faults(sb: SandboxInfo):
    ctl = sb.control
    ctl.set_faults(["ratelimit"], 1.0)
    assert result(call(sb, "open", [sid(0)]))["Error"]["Code"] == "RequestLimitExceeded"
    ctl.set_faults(["5xx"], 1.0)
    assert result(call(sb, "open", [sid(0)]))["Error"]["Code"] == "InternalError"
    ctl.set_faults(["html"], 1.0)
    assert call(sb, "open", [sid(0)]).status_code == 502
    assert ctl.cards_by_student() == {}
    ctl.set_faults(["malformed"], 1.0)
    with pytest.raises(json.JSONDecodeError):
        call(sb, "open", [sid(0)]).json()
    ctl.set_faults(["drop"], 1.0)
    with pytest.raises(httpx.TransportError):
        call(sb, "open", [sid(1)])
    assert ctl.cards_by_student() == {SCHOOL.students[0].student_no: 1,
                                      SCHOOL.students[1].student_no: 1}
    ctl.set_faults(["5xx"], 1.0, endpoints=["CreateEntityRecords"])
    assert "Error" not in result(call(sb, "open", [sid(2)]))  # the flow's calls: no faults
    assert ctl.counters().faults == {"ratelimit": 1, "5xx": 1, "html": 1, "malformed": 1,
                                     "drop": 1}


@options(settings=ShenbiSettings(fault_timeout_s=0.6), faults="timeout", fault_rate=1.0)
def test_gateway_timeout_is_applied_late(sb: SandboxInfo):
    with pytest.raises(httpx.ReadTimeout):
        call(sb, "open", [sid(0)], timeout=0.2)
    assert sb.control.counters().faults == {"timeout": 1}
    assert sb.control.cards_by_student() == {}  # held: not applied yet
    assert sb.control.wait_landed(10)
    assert sb.control.cards_by_student() == {SCHOOL.students[0].student_no: 1}


@options(settings=ShenbiSettings(ids_as_numbers=True, value_key_case="lower",
                                 capitalize_field_keys=True))
def test_the_flow_reads_any_spelling(sb: SandboxInfo):
    ids = result(call(sb, "open", [FIRST_ID]))["Data"]["Ids"]
    assert ids == [FIRST_ID + N]
    assert result(call(sb, "freeze", [FIRST_ID]))["Data"]["Ids"] == ids
