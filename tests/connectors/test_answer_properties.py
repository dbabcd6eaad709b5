"""Property tests (hypothesis, the bounded "ci" profile) of how each connector turns an answer
into records or write results: arbitrary JSON — nested, wrong types, missing keys, huge
numbers, NaN, bodies that are no JSON at all — lets only the typed CampusCardError subclasses
escape, and no malformed answer is ever taken as success: a write result says a record was
written only when the answer is the backend's well-formed confirmation."""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from kintone_helpers import FIELDS

from campuscard_gui.backends.ipaas.connector import IpaasConnector
from campuscard_gui.backends.ipaas.connector import answer_of as ipaas_answer
from campuscard_gui.backends.jiandaoyun.api import answer_of as jdy_answer
from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.backends.kintone.api import answer_of as kintone_answer
from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.connectors.base import CardCreate, CardUpdate, Connector
from campuscard_gui.connectors.common import MAX_JSON_DEPTH, json_object, nested_within
from campuscard_gui.connectors.http import Answer, make_client
from campuscard_gui.core.errors import AmbiguousError, CampusCardError
from campuscard_gui.core.model import CardStatus
from campuscard_gui.core.outcomes import Succeeded

# -- strategies ------------------------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers(-(10 ** 30), 10 ** 30)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=12) | st.sampled_from(["1", "0", "", " ", "正常", "冻结", "注销"]))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["code", "data", "records", "ids", "results", "Response", "Data", "Ids", "Error",
         "success_count", "success_ids", "value", "Value", "_id", "$id", "Id"]), inner,
        max_size=5),
    max_leaves=25)


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()  # NaN/Infinity as their literals


raw_bodies = st.one_of(
    json_values.map(dumps),
    st.binary(max_size=64),
    st.integers(1, 200_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 200_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.integers(4000, 6000).map(lambda n: b'{"success_count": ' + b"9" * n + b"}"),
    st.sampled_from([b"NaN", b'{"code": NaN}', b'{"code": Infinity}', b"", b"{", b'{"a":1}}',
                     b"<html>502</html>", b'{"a": "\\"}"}', b'{"a": "\\\\"}']),
)
statuses = st.sampled_from([200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502,
                            503, 520])


def depth_of(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


# -- the bounded parse -----------------------------------------------------------------------

@given(raw_bodies)
def test_json_object_never_raises_and_never_hands_back_a_deep_body(body: bytes) -> None:
    parsed = json_object(Answer(200, httpx.Headers(), body))
    assert parsed is None or isinstance(parsed, dict)
    if parsed is not None:
        assert depth_of(parsed) <= MAX_JSON_DEPTH


@given(json_values, st.integers(0, 6))
def test_the_depth_scan_agrees_with_the_parsed_depth(value: Any, limit: int) -> None:
    body = dumps(value)
    assert nested_within(body, limit) == (depth_of(value) <= limit)


def test_a_100000_deep_body_is_refused_before_the_parser_recurses() -> None:
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
                 b'{"a": "' + b"[" * 100_000 + b'"}'):
        parsed = json_object(Answer(200, httpx.Headers(), body))
        assert parsed is None or parsed == {"a": "[" * 100_000}  # brackets in a string: fine
    assert json_object(Answer(200, httpx.Headers(), b"[" * 64 + b"]" * 64)) is None  # a list
    assert json_object(Answer(200, httpx.Headers(),
                              b'{"a":' * 63 + b"1" + b"}" * 63)) is not None


# -- each backend's answer table -------------------------------------------------------------

@pytest.mark.parametrize("parse", [jdy_answer, kintone_answer, ipaas_answer],
                         ids=["jiandaoyun", "kintone", "ipaas"])
@given(status=statuses, body=raw_bodies, write=st.booleans(),
       retry_after=st.sampled_from(["", "1", "-5", "1e309", "nan", "abc", "99999"]))
def test_an_answer_is_a_json_object_or_a_typed_error(parse, status, body, write,
                                                     retry_after) -> None:
    headers = httpx.Headers({"retry-after": retry_after} if retry_after else {})
    try:
        payload = parse(Answer(status, headers, body), write)
    except CampusCardError as exc:
        if isinstance(exc, AmbiguousError):
            assert write  # only a write can be ambiguous
        return
    assert isinstance(payload, dict)
    assert 200 <= status < 300  # an error status is never an answer


# -- write results: only a well-formed confirmation is a success -----------------------------

def _serve(answers: dict[str, bytes], default: bytes = b'{"code": 0}') -> httpx.MockTransport:
    """A transport answering HTTP 200 with ``answers[<what the request is>]``."""
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        action = request.headers.get("x-tc-action", "")
        for key, body in answers.items():
            if key in path or key == action:
                return httpx.Response(200, content=body,
                                      headers={"content-type": "application/json"})
        return httpx.Response(200, content=default, headers={"content-type": "application/json"})
    return httpx.MockTransport(handle)


def _factory(transport: httpx.MockTransport) -> Any:
    return lambda url, t: make_client(url, t, transport=transport)


def jdy(transport: httpx.MockTransport) -> Connector:
    return JiandaoyunConnector({"base_url": "https://jdy.example/api", "app_id": "a" * 24,
                                "students_entry": "b" * 24, "cards_entry": "c" * 24,
                                "read_budget_s": 0}, "sk-prop",
                               client_factory=_factory(transport), sleep=lambda s: None)


def kintone(transport: httpx.MockTransport) -> Connector:
    return KintoneConnector({"base_url": "https://school.cybozu.com", "students_app": "1",
                             "cards_app": "2", "fields": FIELDS.to_json(), "read_budget_s": 0},
                            KintoneAuth(students_token="tS", cards_token="tC"),
                            client_factory=_factory(transport), sleep=lambda s: None)


def shenbi(transport: httpx.MockTransport) -> Connector:
    return ShenbiConnector({"base_url": "https://tenant.example.com/openapi",
                            "app_code": "campus", "students_object": "student",
                            "cards_object": "card", "student_link": "student_no",
                            "read_budget_s": 0}, "AKIDprop", "SKprop",
                           client_factory=_factory(transport), sleep=lambda s: None)


def ipaas(transport: httpx.MockTransport) -> Connector:
    return IpaasConnector({"gateway_url": "https://ipaas.example.edu.cn/flow",
                           "read_profile": "reader", "student_id": "student_no"}, "",
                          shenbi(transport), client_factory=_factory(transport),
                          sleep=lambda s: None)


ITEMS = [CardCreate("2024001"), CardCreate("2024002")]
UPDATES = [CardUpdate("2024001", "11", "1"), CardUpdate("2024002", "12", "1")]


def _int(value: Any) -> bool:
    return type(value) is int


def jdy_confirms(answer: Any, n: int, create: bool) -> bool:
    if not isinstance(answer, dict) or not (_int(answer.get("success_count"))
                                            and answer["success_count"] == n):
        return False
    ids = answer.get("success_ids")
    return not create or (isinstance(ids, list) and len(ids) == n
                          and all(isinstance(i, str) and i.strip() for i in ids))


def kintone_confirms(answer: Any, n: int, create: bool) -> bool:
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list) or len(results) != 1 or not isinstance(results[0], dict):
        return False
    if create:
        ids = results[0].get("ids")
    else:
        records = results[0].get("records")
        ids = [r.get("id") for r in records if isinstance(r, dict)] \
            if isinstance(records, list) else None
    return isinstance(ids, list) and len(ids) == n and all(
        (_int(i) and i > 0) or (isinstance(i, str) and i.isdigit()) for i in ids)


def _shenbi_id(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, float) and math.isfinite(value) and value.is_integer() \
        and abs(value) < 2 ** 53


def shenbi_confirms(answer: Any, n: int, create: bool) -> bool:
    inner = answer.get("Response") if isinstance(answer, dict) else None
    if not isinstance(inner, dict) or isinstance(inner.get("Error"), dict):
        return False
    data = inner.get("Data", {})
    ids = data.get("Ids") if isinstance(data, dict) else None
    return isinstance(ids, list) and len(ids) == n and all(_shenbi_id(i) for i in ids)


# Shaped near-misses: the confirmation's keys with values of any type
def shaped(keys: list[str]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({}, optional={k: json_values | st.lists(scalars, max_size=3)
                                               for k in keys})


jdy_answers = json_values | shaped(["success_count", "success_ids", "status", "code"])
kintone_answers = json_values | st.builds(
    lambda items: {"results": items},
    st.lists(shaped(["ids", "revisions", "records"]), min_size=0, max_size=2))
shenbi_answers = json_values | st.builds(
    lambda data: {"Response": {"Data": data, "RequestId": "r"}},
    json_values | shaped(["Ids", "EntityRecordSet"]))

# an answer that is not JSON at all (or too deep) is always refused
garbage_bodies = st.sampled_from([b"<html>busy</html>", b"", b"[" * 70 + b"]" * 70,
                                  b'{"success_count": 2, "x": NaN}'])


def _bodies(answers: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return answers.map(dumps) | garbage_bodies


def _outcome(call: Any, body: bytes, confirms: Any, create: bool) -> None:
    """A success exactly when the answer is a well-formed confirmation of every record."""
    ok = confirms(json_object(Answer(200, httpx.Headers(), body)), len(ITEMS), create)
    try:
        results = call()
    except CampusCardError as exc:
        assert not ok, (body[:200], exc.code, exc.message)
        return
    assert any(isinstance(r, Succeeded) for r in results) == ok, (body[:200], results)
    assert all(isinstance(r, Succeeded) for r in results) == ok, (body[:200], results)


# the read-back a write may make: a valid answer showing the cards still 正常
JDY_LIST = dumps({"data": [{"_id": f"1{i}", "studentInfo": f"202400{i}", "status": "正常"}
                           for i in (1, 2)]})
KINTONE_RECORDS = dumps({"records": [
    {"$id": {"value": f"1{i}"}, "$revision": {"value": "1"},
     FIELDS.card_student: {"value": f"202400{i}"}, FIELDS.card_status: {"value": "正常"}}
    for i in (1, 2)]})


@given(body=_bodies(jdy_answers), create=st.booleans())
@example(body=dumps({"success_count": 2, "success_ids": ["a1", "a2"]}), create=True)
@example(body=dumps({"success_count": 2}), create=False)
@example(body=dumps({"success_count": True, "success_ids": ["a1"]}), create=True)
@example(body=dumps({"success_count": 2.0}), create=False)
def test_jiandaoyun_write_results(body: bytes, create: bool) -> None:
    write = "batch_create" if create else "batch_update"
    conn = jdy(_serve({write: body, "data/list": JDY_LIST}))
    try:
        _outcome(lambda: conn.create_cards(ITEMS, CardStatus.ACTIVE, str(uuid.uuid4()))
                 if create else conn.update_cards(UPDATES, CardStatus.FROZEN,
                                                  str(uuid.uuid4())),
                 body, jdy_confirms, create)
    finally:
        conn.close()


@given(body=_bodies(kintone_answers), create=st.booleans())
@example(body=dumps({"results": [{"ids": ["7", 8], "revisions": ["1", "1"]}]}), create=True)
@example(body=dumps({"results": [{"records": [{"id": "11", "revision": "2"},
                                              {"id": "12", "revision": "2"}]}]}), create=False)
@example(body=dumps({"results": [{"ids": [True, "8"]}]}), create=True)
def test_kintone_write_results(body: bytes, create: bool) -> None:
    conn = kintone(_serve({"bulkRequest": body, "records.json": KINTONE_RECORDS}))
    try:
        _outcome(lambda: conn.create_cards(ITEMS, CardStatus.ACTIVE, str(uuid.uuid4()))
                 if create else conn.update_cards(UPDATES, CardStatus.FROZEN,
                                                  str(uuid.uuid4())),
                 body, kintone_confirms, create)
    finally:
        conn.close()


@given(body=_bodies(shenbi_answers), create=st.booleans())
@example(body=dumps({"Response": {"Data": {"Ids": ["1458712091891462184", 7]}}}), create=True)
@example(body=dumps({"Response": {"Data": {"Ids": ["11", "12"]}}}), create=False)
@example(body=dumps({"Response": {"Data": {"Ids": [False, 1e300]}}}), create=True)
@example(body=dumps({"Response": {"Error": {"Code": "InternalError"},
                                  "Data": {"Ids": ["1", "2"]}}}), create=True)
def test_shenbi_write_results(body: bytes, create: bool) -> None:
    action = "CreateEntityRecords" if create else "ModifyEntityRecords"
    conn = shenbi(_serve({action: body}))
    try:
        _outcome(lambda: conn.create_cards(ITEMS, CardStatus.ACTIVE, str(uuid.uuid4()))
                 if create else conn.update_cards(UPDATES, CardStatus.FROZEN,
                                                  str(uuid.uuid4())),
                 body, shenbi_confirms, create)
    finally:
        conn.close()


@given(body=_bodies(shenbi_answers | shaped(["code", "message", "msg"])))
@example(body=dumps({"Response": {"Data": {"Ids": ["31", "32"]}}}))
@example(body=dumps({"code": 0}))
def test_ipaas_write_results_name_a_card_only_from_a_confirmation(body: bytes) -> None:
    conn = ipaas(_serve({"/flow": body}))
    try:
        results = conn.create_cards(ITEMS, CardStatus.ACTIVE, str(uuid.uuid4()))
    except CampusCardError:
        return
    finally:
        conn.close()
    answer = json_object(Answer(200, httpx.Headers(), body))
    assert isinstance(answer, dict)  # no JSON object: never a result
    named = [r for r in results if isinstance(r, Succeeded) and r.card_id]
    # a card Id only from the flow passing 神笔's batch result through, and then for all
    assert bool(named) == shenbi_confirms(answer, len(ITEMS), True), (body[:200], results)
    assert len(named) in (0, len(ITEMS))
    # the rest are unverified (Succeeded("")): the runner reads each of them back


# -- reads: records from any answer, or a typed error ----------------------------------------

def values(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={k: json_values for k in keys})


jdy_pages = json_values | st.builds(lambda recs: {"data": recs}, st.lists(
    values(["_id", "studentInfo", "status", "openTime", "amount", "createTime", "updateTime",
            "_widget_1", "name", "学号", "学籍状态"]), max_size=4))
kintone_cell = st.builds(lambda v: {"value": v}, json_values) | json_values
kintone_pages = json_values | st.builds(lambda recs, total: {"records": recs,
                                                             "totalCount": total},
                                        st.lists(st.fixed_dictionaries({}, optional={
                                            k: kintone_cell for k in
                                            ["$id", "$revision", "student_no", "status",
                                             "open_time", "amount", "name", "创建时间"]}),
                                            max_size=4), json_values)
shenbi_cell = st.builds(lambda v, d: {"Value": v, "DisplayValue": d}, json_values, json_values) \
    | json_values
shenbi_pages = json_values | st.builds(
    lambda recs, total: {"Response": {"Data": {"EntityRecordSet": recs, "TotalCount": total}}},
    st.lists(st.fixed_dictionaries({}, optional={
        "Id": json_values, "CreatedTime": json_values,
        "FieldValue": st.dictionaries(st.sampled_from(
            ["studentInfo", "status", "openTime", "amount", "studentNo", "name"]),
            shenbi_cell, max_size=5) | json_values}), max_size=4), json_values)


@pytest.mark.parametrize(("make", "key", "pages"), [
    (jdy, "data/list", jdy_pages), (kintone, "records.json", kintone_pages),
    (shenbi, "DescribeEntityRecords", shenbi_pages)], ids=["jiandaoyun", "kintone", "shenbi"])
@given(data=st.data())
def test_reads_give_rows_or_a_typed_error(make, key, pages, data) -> None:
    page = data.draw(_bodies(pages))
    conn = make(_serve({key: page}, default=page))
    try:
        rows = conn.list_rows()
        assert all(r.student.student_no for r in rows)
        conn.read_cards(["2024001", "2024002"])
    except CampusCardError:
        pass
    finally:
        conn.close()
