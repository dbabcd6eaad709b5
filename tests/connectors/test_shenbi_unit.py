"""ShenbiConnector and IpaasConnector on answers built here (``httpx.MockTransport``): the
error envelope inside HTTP 200, Ids above 2^53 as JSON numbers, both value spellings and key
cases, retries, the clock-skew explanation, the resend rule after an unanswered create, and
the options' validation. The sandbox tests (test_shenbi.py) cover the same over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.connectors.base import CardCreate, CardUpdate
from campuscard_gui.connectors.http import make_client
from campuscard_gui.core.errors import (
    AmbiguousError,
    ConfigError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from campuscard_gui.core.model import CardStatus, StudentStatus
from campuscard_gui.core.outcomes import Failed, Succeeded

BIG = 1458712091891462184  # > 2^53: a float would make it ...2200
AK, SK = "AKIDunit0001", "SKunit-secret-0001"


def options(**extra: Any) -> dict[str, Any]:
    return {"base_url": "https://tenant.example.com/openapi", "app_code": "campus",
            "students_object": "student", "cards_object": "card", **extra}


def connector(handler: Any, **extra: Any) -> ShenbiConnector:
    transport = httpx.MockTransport(handler)
    slept: list[float] = []
    conn = ShenbiConnector(options(**extra), AK, SK, sleep=slept.append,
                           client_factory=lambda u, t: make_client(u, t, transport=transport))
    conn.slept = slept  # type: ignore[attr-defined]
    return conn


def ok(data: Any) -> httpx.Response:
    return httpx.Response(200, json={"Response": {"Data": data, "RequestId": "0123456789abcdef"}})


def error(code: str, message: str = "m", **headers: str) -> httpx.Response:
    return httpx.Response(200, headers=headers, json={
        "Response": {"Error": {"Code": code, "Message": message}, "RequestId": "feedc0de"}})


def record(ident: Any, fields: dict[str, Any], upper: bool = True) -> dict[str, Any]:
    v, d = ("Value", "DisplayValue") if upper else ("value", "displayValue")
    return {"Id": ident, "Entity": "x", "MainField": "m",
            "FieldValue": {k: {v: val, d: shown} for k, (val, shown) in fields.items()}}


def test_an_error_envelope_in_http_200_is_never_a_success():
    conn = connector(lambda r: error("ResourceNotFound.Entity", "no such entity"))
    with pytest.raises(FatalError) as err:
        conn.create_cards([CardCreate("S1", "7")], CardStatus.ACTIVE, "k")
    assert err.value.code == "ResourceNotFound.Entity"
    assert "对象不存在" in err.value.message and "feedc0de" in err.value.message


def test_records_are_read_leniently_and_big_ids_stay_exact():
    pages = {
        "student": [record(BIG, {"student_no": ("2024001", "2024001"),
                                 "student_status": ([10001], ["在读"])}),
                    record(str(BIG + 1), {"Student_no": ("2024002", "2024002"),
                                          "Student_status": (["休学"], ["休学"])},
                           upper=False)],
        "card": [record(BIG + 10, {"StudentInfo": (str(BIG), "2024001"),
                                   "status": ([20001], ["冻结"]),
                                   "openTime": (1700000000000, 1700000000000),
                                   "amount": ("12.50", "12.50")})],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert request.headers["X-TC-Action"] == "DescribeEntityRecords"
        assert request.headers["Authorization"].startswith(f"TC3-HMAC-SHA256 Credential={AK}/")
        assert request.url.path == "/openapi/metadata/DescribeEntityRecords"
        recs = pages[body["Entity"]]
        text = json.dumps({"Response": {"Data": {"EntityRecordSet": recs,
                                                 "TotalCount": len(recs)},
                                        "RequestId": "r"}})
        return httpx.Response(200, content=text.encode())

    rows = {r.student_no: r for r in connector(handler).list_rows()}
    assert rows["2024001"].student.record_id == str(BIG)
    assert rows["2024001"].student.status is StudentStatus.ENROLLED  # the label, not the code
    assert rows["2024002"].student.status is StudentStatus.SUSPENDED
    card = rows["2024001"].card
    assert card is not None and card.card_id == str(BIG + 10)
    assert card.status is CardStatus.FROZEN and str(card.amount) == "12.50"
    assert card.open_time == 1700000000000
    assert rows["2024002"].card is None


def test_open_sends_the_seeds_shape_and_keeps_returned_ids_exact():
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        text = f'{{"Response":{{"Data":{{"Ids":[{BIG + 5},{BIG + 6}]}},"RequestId":"r"}}}}'
        return httpx.Response(200, content=text.encode())

    conn = connector(handler)
    results = conn.create_cards([CardCreate("S1", str(BIG), 1700000000123),
                                 CardCreate("S2", str(BIG + 1), 1700000000123)],
                                CardStatus.ACTIVE, "k")
    assert results == [Succeeded(str(BIG + 5)), Succeeded(str(BIG + 6))]
    (body,) = sent
    assert body == {"AppCode": "campus", "Entity": "card",
                    "Fields": ["studentInfo", "openTime", "amount", "status"],
                    "Values": [[str(BIG), 1700000000123, 0, ["正常"]],
                               [str(BIG + 1), 1700000000123, 0, ["正常"]]]}


@pytest.mark.parametrize("answer, kind", [
    (lambda: error("RequestLimitExceeded"), RetryableError),
    (lambda: error("InternalError"), AmbiguousError),  # a write: the runner reads back
    (lambda: httpx.Response(502, text="<html>bad gateway</html>"), AmbiguousError),
    (lambda: httpx.Response(200, text="<html>busy</html>"), AmbiguousError),
    (lambda: ok({"Ids": ["1"]}), AmbiguousError),  # fewer Ids than records
    (lambda: error("AuthFailure.SignatureFailure"), FatalError),
])
def test_write_answers_are_classified(answer, kind):
    conn = connector(lambda r: answer())
    with pytest.raises(kind):
        conn.update_cards([CardUpdate("S1", "1", ""), CardUpdate("S2", "2", "")],
                          CardStatus.FROZEN, "k")


def test_reads_retry_rate_limits_and_internal_errors():
    answers = [error("RequestLimitExceeded"), error("InternalError"),
               ok({"EntityRecordSet": [], "TotalCount": 0})]
    conn = connector(lambda r: answers.pop(0))
    assert conn.read_cards(["S1"]) == {}
    assert answers == []


def test_an_update_of_a_deleted_card_fails_alone():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        action = request.headers["X-TC-Action"]
        calls.append(action)
        body = json.loads(request.content)
        if action == "ModifyEntityRecords" and len(body["Ids"]) == 2:
            return error("ResourceNotFound.Record", f"record {BIG} not found")
        if action == "DescribeEntityRecordsById":
            return ok({"EntityRecordSet": [record(BIG + 1, {"status": (["正常"], ["正常"])})]})
        return ok({"Ids": body["Ids"]})

    results = connector(handler).update_cards(
        [CardUpdate("S1", str(BIG), ""), CardUpdate("S2", str(BIG + 1), "")],
        CardStatus.FROZEN, "k")
    assert isinstance(results[0], Failed) and results[0].code == "ResourceNotFound.Record"
    assert results[1] == Succeeded(str(BIG + 1))
    assert calls == ["ModifyEntityRecords", "DescribeEntityRecordsById", "ModifyEntityRecords"]


def test_after_an_unanswered_create_the_chunk_is_read_back_after_settling():
    """A create times out; the resend of that chunk first waits out settle_s and reads the
    cards again: one landed late (reported with its card), only the other is created."""
    state = {"creates": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        action = request.headers["X-TC-Action"]
        body = json.loads(request.content)
        if action == "CreateEntityRecords":
            state["creates"] += 1
            if state["creates"] == 1:
                raise httpx.ReadTimeout("no answer", request=request)
            assert [row[0] for row in body["Values"]] == ["22"]  # only the missing one
            return ok({"Ids": ["902"]})
        if body["Entity"] == "student":
            return ok({"EntityRecordSet": [], "TotalCount": 0})
        late = record("901", {"studentInfo": ("11", "S1"), "status": (["正常"], ["正常"])})
        return ok({"EntityRecordSet": [late], "TotalCount": 1})

    conn = connector(handler, settle_s=30)
    items = [CardCreate("S1", "11"), CardCreate("S2", "22")]
    with pytest.raises(AmbiguousError):
        conn.create_cards(items, CardStatus.ACTIVE, "chunk-1")
    conn._record_of.update({"S1": "11", "S2": "22"})  # as a listing would have
    conn._number_of.update({"11": "S1", "22": "S2"})
    results = conn.create_cards(items, CardStatus.ACTIVE, "chunk-1")
    assert results == [Succeeded("901"), Succeeded("902")]
    assert conn.slept and 29 <= conn.slept[-1] <= 30  # waited out the settle time


def test_check_connection_explains_the_clock_with_the_servers_date():
    date = "Tue, 14 Nov 2023 23:59:59 GMT"
    conn = connector(lambda r: error("AuthFailure.SignatureExpire", "expired", Date=date))
    with pytest.raises(ConnectorError) as err:
        conn.check_connection()
    assert err.value.code == "clock"
    assert "时钟" in err.value.message and "秒" in err.value.message


@pytest.mark.parametrize("code, area", [
    ("AuthFailure.SecretIdNotFound", "key"), ("AuthFailure.SignatureFailure", "signature"),
    ("ResourceNotFound.Entity", "object"), ("ResourceNotFound.App", "app"),
    ("InvalidParameterValue.Field", "field"),
])
def test_check_connection_names_the_area(code, area):
    with pytest.raises(ConnectorError) as err:
        connector(lambda r: error(code)).check_connection()
    assert err.value.code == area
    assert SK not in err.value.message


@pytest.mark.parametrize("change, words", [
    ({"app_code": ""}, "app_code"),
    ({"base_url": "ftp://x"}, "https://"),
    ({"students_object": "card"}, "同一个对象"),
    ({"student_link": "name"}, "“student_link”只能是 record_id / student_no"),
    ({"batch_size": 0}, "batch_size"),
    ({"cards_object": "9bad"}, "格式不正确"),
])
def test_options_are_validated(change, words):
    with pytest.raises(ConfigError) as err:
        ShenbiConnector(options(**change), AK, SK)
    assert words in err.value.message


def test_empty_secrets_are_refused_without_echo():
    with pytest.raises(FatalError) as err:
        ShenbiConnector(options(), AK, " ")
    assert err.value.code == "secret_missing"
    conn = ShenbiConnector(options(), AK, SK)
    assert SK not in repr(conn) and AK not in repr(conn)
    conn.close()


def test_ipaas_after_an_unanswered_call_only_what_did_not_land_is_sent_again():
    """A gateway call times out; by the resend one of its two students has a card (the flow
    finished it late). The resend carries only the other one."""
    from campuscard_gui.backends.ipaas.connector import IpaasConnector
    from campuscard_gui.core.model import Card

    posts: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        posts.append([r["studentID"] for r in body["studentRecords"]])
        if len(posts) == 1:
            raise httpx.ReadTimeout("no answer", request=request)
        return ok({"Ids": ["C2"]})

    class Reader:  # the 神笔 side: S1's card landed after the timeout
        list_warnings: list[str] = []

        def read_cards(self, nos):
            return {"S1": Card("C1", "S1", CardStatus.ACTIVE)} if "S1" in nos else {}

        def card_history(self):
            return self

        def read_card_records(self, nos):  # pragma: no cover - the runner's, not used here
            return {no: [card] for no, card in self.read_cards(nos).items()}

        def remove_cards(self, cards):  # pragma: no cover
            return []

        def close(self) -> None:
            pass

    slept: list[float] = []
    transport = httpx.MockTransport(handler)
    conn = IpaasConnector({"gateway_url": "https://gw.example.com/flow", "read_profile": "sb",
                           "settle_s": 5}, "", Reader(), sleep=slept.append,
                          client_factory=lambda u, t: make_client(u, t, transport=transport))
    items = [CardCreate("S1", "11"), CardCreate("S2", "22")]
    with pytest.raises(AmbiguousError):
        conn.create_cards(items, CardStatus.ACTIVE, "k")
    assert conn.create_cards(items, CardStatus.ACTIVE, "k") == [Succeeded("C1"),
                                                                 Succeeded("C2")]
    assert posts == [["11", "22"], ["22"]]
    assert slept and slept[-1] > 4
