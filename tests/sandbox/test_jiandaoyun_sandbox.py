"""The 简道云 v5 emulator over real loopback HTTP (httpx against run_sandbox)."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import Counter

import httpx
import pytest
from sandbox_helpers import N_STUDENTS, SEED, Jdy, card

from campuscard_gui.core.demo import generate_school
from campuscard_gui.sandbox import JdySettings, run_sandbox

SCHOOL = generate_school(N_STUDENTS, SEED)
BATCH_CREATE = "app/entry/data/batch_create"
LIST = "app/entry/data/list"


def options(**kw):
    return pytest.mark.parametrize("sandbox", [kw], indirect=True)


# --------------------------------------------------------------------------- envelope, auth


def test_missing_or_wrong_key_is_8301(jdy: Jdy):
    body = jdy.body("students")
    for headers in ({}, {"Authorization": "Bearer nope"},
                    {"Authorization": f"Basic {jdy.sb.api_key}"}):
        r = httpx.post(f"{jdy.sb.base_url}/v5/{LIST}", json=body, headers=headers)
        assert r.status_code == 400
        assert r.json()["code"] == 8301
    assert jdy.sb.control.counters().auth_failures == 3


def test_post_only_and_unknown_paths(jdy: Jdy):
    r = jdy.http.get(LIST)
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert jdy.http.put(LIST, json={}).status_code == 405
    assert jdy.http.post("app/entry/data/nope", json={}).status_code == 404


def test_app_and_form_errors(jdy: Jdy):
    assert jdy.err(LIST, None, app_id="0" * 24, entry_id=jdy.sb.students_entry_id) == 2004
    assert jdy.err(LIST, None, app_id=jdy.sb.app_id, entry_id="0" * 24) == 3000
    assert jdy.err(LIST, None, entry_id=jdy.sb.students_entry_id) == 1  # missing app_id
    assert jdy.err(LIST, None, app_id=5, entry_id=jdy.sb.students_entry_id) == 3005
    r = jdy.http.post(LIST, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == 1
    r = jdy.http.post(LIST, json=[1, 2])
    assert r.status_code == 400 and r.json()["code"] == 3005


def test_app_and_entry_lists(jdy: Jdy):
    apps = jdy.ok("app/list", None)["apps"]
    assert apps == [{"name": apps[0]["name"], "app_id": jdy.sb.app_id}]
    forms = jdy.ok("app/entry/list", None, app_id=jdy.sb.app_id)["forms"]
    assert {f["entry_id"] for f in forms} == {jdy.sb.students_entry_id, jdy.sb.cards_entry_id}
    assert jdy.ok("app/entry/list", None, app_id=jdy.sb.app_id, skip=1, limit=1)["forms"] \
        == forms[1:]
    assert jdy.err("app/list", None, limit=0) == 3005
    assert jdy.err("app/entry/list", None, app_id="f" * 24) == 2004


# --------------------------------------------------------------------------- widgets


def test_widget_list(jdy: Jdy):
    students = jdy.ok("app/entry/widget/list", "students")
    by_label = {w["label"]: w for w in students["widgets"]}
    assert list(by_label) == ["学号", "姓名", "学院", "班级", "学籍状态"]
    assert by_label["学号"]["name"] == "student_no"
    assert by_label["学号"]["widgetName"].startswith("_widget_")
    assert by_label["学籍状态"]["type"] == "radiogroup"
    assert [i["value"] for i in by_label["学籍状态"]["items"]] == ["在读", "休学", "退学", "毕业"]
    assert {"name": "createTime"} in students["sysWidgets"]
    cards = jdy.ok("app/entry/widget/list", "cards")
    assert [(w["name"], w["label"], w["type"]) for w in cards["widgets"]] == [
        ("studentInfo", "学生学号", "text"), ("openTime", "开通时间", "datetime"),
        ("amount", "余额", "number"), ("status", "状态", "combo")]
    before = cards["dataModifyTime"]
    jdy.ok("app/entry/data/create", "cards", data=card("x"))
    assert jdy.ok("app/entry/widget/list", "cards")["dataModifyTime"] > before


@options(settings=JdySettings(use_aliases=False))
def test_without_aliases_names_are_widget_ids(jdy: Jdy):
    widgets = jdy.ok("app/entry/widget/list", "cards")["widgets"]
    assert all(w["name"] == w["widgetName"] for w in widgets)
    key = widgets[0]["name"]
    rec = jdy.ok("app/entry/data/create", "cards", data={key: {"value": "2021000001"}})["data"]
    assert rec[key] == "2021000001" and "studentInfo" not in rec
    assert jdy.sb.control.cards_by_student() == {"2021000001": 1}


# --------------------------------------------------------------------------- data/list


def test_list_pages_to_the_end_with_the_data_id_cursor(jdy: Jdy):
    rows, pages = jdy.walk(limit=100)
    assert pages == 3 and len(rows) == N_STUDENTS
    ids = [r["_id"] for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == N_STUDENTS
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)
    assert [r["student_no"] for r in rows] == [s.student_no for s in SCHOOL.students]
    first = rows[0]
    s = SCHOOL.students[0]
    assert (first["name"], first["college"], first["class_name"], first["student_status"]) \
        == (s.name, s.college, s.class_name, s.status.value)
    assert first["appId"] == jdy.sb.app_id and first["entryId"] == jdy.sb.students_entry_id
    assert first["creator"]["username"] and first["createTime"].endswith("Z")
    # the cursor is exclusive and need not be the id of a live record
    page = jdy.ok(LIST, data_id=ids[9], limit=5)["data"]
    assert [r["_id"] for r in page] == ids[10:15]


def test_list_limit_default_and_bounds(jdy: Jdy):
    assert len(jdy.ok(LIST)["data"]) == 10
    assert jdy.err(LIST, limit=0) == 3005
    assert jdy.err(LIST, limit=101) == 3005
    assert jdy.err(LIST, limit="10") == 3005


@options(settings=JdySettings(limit_out_of_range="clamp"))
def test_list_limit_clamp_setting(jdy: Jdy):
    assert len(jdy.ok(LIST, limit=500)["data"]) == 100


def test_list_fields_projection(jdy: Jdy):
    row = jdy.ok(LIST, limit=1, fields=["student_no", "student_status"])["data"][0]
    assert set(row) == {"_id", "appId", "entryId", "student_no", "student_status"}
    full = jdy.ok(LIST, limit=1, fields=[])["data"][0]  # [FIELD]: ignored, full rows
    assert "name" in full and "creator" in full


def _cond(field, method, value=None, **kw):
    c = {"field": field, "method": method, **kw}
    if value is not None:
        c["value"] = value
    return c


def test_filters(jdy: Jdy):
    by_status = Counter(s.status.value for s in SCHOOL.students)

    def count(*conds, rel="and"):
        rows, _ = jdy.walk(filter={"rel": rel, "cond": list(conds)})
        return len(rows)

    assert count(_cond("student_status", "eq", ["休学"], type="radiogroup")) == by_status["休学"]
    assert count(_cond("student_status", "ne", ["在读"])) == N_STUDENTS - by_status["在读"]
    assert count(_cond("student_status", "in", ["休学", "退学"])) \
        == by_status["休学"] + by_status["退学"]
    assert count(_cond("student_status", "nin", ["休学", "退学"])) \
        == N_STUDENTS - by_status["休学"] - by_status["退学"]
    some = [s.student_no for s in SCHOOL.students[:3]]
    assert count(_cond("student_no", "in", some)) == 3
    assert count(_cond("student_no", "eq", [some[0]]), _cond("student_no", "eq", [some[1]]),
                 rel="or") == 2
    assert count(_cond("student_no", "eq", [some[0]]), _cond("student_no", "eq", [some[1]])) == 0
    assert count(_cond("name", "not_empty")) == N_STUDENTS
    assert count(_cond("name", "empty")) == 0
    # the widget id works as well as the alias
    widget_id = jdy.ok("app/entry/widget/list")["widgets"][0]["widgetName"]
    assert count(_cond(widget_id, "in", some)) == 3


def test_filters_on_numbers_and_datetimes(jdy: Jdy):
    rows = [card("a", amount=5, open_ms=1_700_000_000_000), card("b", amount=10),
            card("c", amount=20.5), {"studentInfo": {"value": "d"}}]
    jdy.ok(BATCH_CREATE, "cards", data_list=rows)

    def who(*conds):
        got, _ = jdy.walk("cards", filter={"rel": "and", "cond": list(conds)})
        return sorted(r["studentInfo"] for r in got)

    assert who(_cond("amount", "range", [10, None])) == ["b", "c"]
    assert who(_cond("amount", "range", [5, 10])) == ["a", "b"]
    assert who(_cond("amount", "gt", [5])) == ["b", "c"]
    assert who(_cond("amount", "lt", [10])) == ["a"]
    assert who(_cond("amount", "empty")) == ["d"]
    assert who(_cond("openTime", "range", ["2024-01-01T00:00:00.000Z", None])) == ["b", "c"]
    assert who(_cond("openTime", "eq", [1_700_000_000_000])) == ["a"]
    assert who(_cond("createTime", "range", ["2020-01-01", None])) == ["a", "b", "c", "d"]
    # invalid conditions are silently dropped ([FIELD]): the unfiltered form comes back
    assert who(_cond("amount", "eq", ["10"])) == ["a", "b", "c", "d"]
    assert who(_cond("openTime", "gt", [0])) == ["a", "b", "c", "d"]
    assert who(_cond("nope", "eq", ["x"])) == ["a", "b", "c", "d"]
    assert who(_cond("status", "like", ["正"])) == ["a", "b", "c", "d"]  # like: serial no. only


@options(settings=JdySettings(invalid_filter="error"))
def test_invalid_filter_error_setting(jdy: Jdy):
    bad = {"rel": "and", "cond": [_cond("student_status", "gt", ["x"])]}
    assert jdy.err(LIST, filter=bad) == 4815
    too_many = {"rel": "and", "cond": [_cond("student_no", "in", [str(i) for i in range(201)])]}
    assert jdy.err(LIST, filter=too_many) == 4815


# --------------------------------------------------------------------------- single writes


def test_create_get_update_delete(jdy: Jdy):
    created = jdy.ok("app/entry/data/create", "cards", data=card("2021000001"))["data"]
    rid = created["_id"]
    assert created["studentInfo"] == "2021000001" and created["status"] == "正常"
    assert created["openTime"] == "2024-09-01T00:00:00.000Z" and created["amount"] == 0
    assert created["createTime"] == created["updateTime"]
    assert jdy.ok("app/entry/data/get", "cards", data_id=rid)["data"] == created
    updated = jdy.ok("app/entry/data/update", "cards", data_id=rid,
                     data={"status": {"value": "冻结"}})["data"]
    assert updated["status"] == "冻结" and updated["studentInfo"] == "2021000001"  # partial
    assert updated["updateTime"] >= created["updateTime"]
    assert jdy.ok("app/entry/data/delete", "cards", data_id=rid) == {"status": "success"}
    assert jdy.err("app/entry/data/get", "cards", data_id=rid) == 4001
    assert jdy.err("app/entry/data/update", "cards", data_id=rid, data={}) == 4001
    assert jdy.err("app/entry/data/delete", "cards", data_id=rid) == 4001
    assert jdy.ok("app/entry/data/create", "cards", data={})["data"]["studentInfo"] == ""


def test_write_values_are_checked_and_normalised(jdy: Jdy):
    def open_time(value):
        data = {"studentInfo": {"value": "s"}, "openTime": {"value": value}}
        return jdy.ok("app/entry/data/create", "cards", data=data)["data"]["openTime"]

    assert open_time(1_654_876_800_000) == "2022-06-10T16:00:00.000Z"
    assert open_time("2022-06-10T16:00:00Z") == "2022-06-10T16:00:00.000Z"
    assert open_time("2022-06-11T00:00:00+08:00") == "2022-06-10T16:00:00.000Z"
    assert open_time("2022-06-11 00:00:00") == "2022-06-10T16:00:00.000Z"  # no zone: UTC+8
    assert open_time("2022-06-11") == "2022-06-10T16:00:00.000Z"
    assert open_time(None) == ""
    for bad in (1_654_876_800, 0, "2022/06/11", ["2022-06-11"], True):
        assert jdy.err("app/entry/data/create", "cards",
                       data={"openTime": {"value": bad}}) == 3005, bad
    unwrapped = {"studentInfo": "2021000001"}
    assert jdy.err("app/entry/data/create", "cards", data=unwrapped) == 3005
    assert jdy.err("app/entry/data/create", "cards", data={"amount": {"value": "0.00"}}) == 3005
    assert jdy.err("app/entry/data/create", "cards", data={"status": {"value": ["正常"]}}) == 3005
    # keys that name no widget are ignored
    rec = jdy.ok("app/entry/data/create", "cards", data={"nope": {"value": 1}})["data"]
    assert "nope" not in rec
    assert jdy.err("app/entry/data/create", "cards", data={}, data_creator="nobody") == 1010


# --------------------------------------------------------------------------- batch writes


def test_batch_create_and_replay_with_the_same_transaction_id(jdy: Jdy):
    items = [card(s.student_no) for s in SCHOOL.students[:100]]
    first = jdy.ok(BATCH_CREATE, "cards", data_list=items, transaction_id="tx-1")
    assert first["status"] == "success" and first["success_count"] == 100
    assert len(first["success_ids"]) == 100
    again = jdy.ok(BATCH_CREATE, "cards", data_list=items, transaction_id="tx-1")
    assert again["success_ids"] == first["success_ids"]  # replaced in place, same ids
    counts = jdy.sb.control.cards_by_student()
    assert len(counts) == 100 and set(counts.values()) == {1}
    # a different transaction is a new batch
    jdy.ok(BATCH_CREATE, "cards", data_list=items[:2], transaction_id="tx-2")
    assert jdy.sb.control.cards_by_student()[SCHOOL.students[0].student_no] == 2
    # the replay really replaces the batch's data
    changed = [card(s.student_no, status="冻结") for s in SCHOOL.students[:50]]
    third = jdy.ok(BATCH_CREATE, "cards", data_list=changed, transaction_id="tx-1")
    assert third["success_ids"] == first["success_ids"][:50] and third["success_count"] == 50
    rows, _ = jdy.walk("cards")
    assert len(rows) == 52
    assert Counter(r["status"] for r in rows) == {"冻结": 50, "正常": 2}


def test_batch_create_limits(jdy: Jdy):
    items = [card(str(i)) for i in range(101)]
    assert jdy.err(BATCH_CREATE, "cards", data_list=items) == 17024
    assert jdy.err(BATCH_CREATE, "cards", data_list=[]) == 3005
    assert jdy.err(BATCH_CREATE, "cards", data_list=items[:1], transaction_id="${x}") == 17025
    assert jdy.err(BATCH_CREATE, "cards") == 1
    assert jdy.sb.control.cards_by_student() == {}


@options(settings=JdySettings(transaction_ttl_s=0.0))
def test_replay_after_the_ttl_creates_duplicates(jdy: Jdy):
    jdy.ok(BATCH_CREATE, "cards", data_list=[card("s1")], transaction_id="tx")
    time.sleep(0.01)  # not a wait for the sandbox: the clock passes the 0 s replay window
    jdy.ok(BATCH_CREATE, "cards", data_list=[card("s1")], transaction_id="tx")
    assert jdy.sb.control.cards_by_student() == {"s1": 2}


@options(settings=JdySettings(replay_reuses_ids=False))
def test_replay_with_new_ids_setting(jdy: Jdy):
    a = jdy.ok(BATCH_CREATE, "cards", data_list=[card("s1"), card("s2")], transaction_id="t")
    b = jdy.ok(BATCH_CREATE, "cards", data_list=[card("s1"), card("s2")], transaction_id="t")
    assert not set(a["success_ids"]) & set(b["success_ids"])
    assert jdy.sb.control.cards_by_student() == {"s1": 1, "s2": 1}


def test_batch_update_and_batch_delete(jdy: Jdy):
    ids = jdy.ok(BATCH_CREATE, "cards", data_list=[card(f"s{i}") for i in range(5)])["success_ids"]
    gone = "f" * 24
    r = jdy.ok("app/entry/data/batch_update", "cards", data_ids=[*ids[:3], gone, ids[0]],
               data={"status": {"value": "注销"}})
    assert r == {"status": "success", "success_count": 3}  # ids that exist, each once
    rows, _ = jdy.walk("cards")
    assert [r["status"] for r in rows] == ["注销"] * 3 + ["正常"] * 2
    assert rows[0]["studentInfo"] == "s0"  # other fields untouched
    assert jdy.err("app/entry/data/batch_update", "cards", data_ids=["x"] * 101,
                   data={}) == 17023
    assert jdy.err("app/entry/data/batch_delete", "cards", data_ids=["x"] * 101) == 17033
    r = jdy.ok("app/entry/data/batch_delete", "cards", data_ids=[ids[0], ids[1], gone])
    assert r == {"status": "success", "success_count": 2}
    assert len(jdy.walk("cards")[0]) == 3


@options(with_cards=True)
def test_with_cards_option_loads_the_demo_cards(sandbox):
    expected = Counter(c.student_no for c in SCHOOL.cards)
    assert sandbox.control.cards_by_student() == dict(expected)
    records = sandbox.control.records("cards")
    assert len(records) == len(SCHOOL.cards)
    assert {r["status"] for r in records} <= {"正常", "冻结", "注销"}


# --------------------------------------------------------------------------- limits


def test_rate_limit_8304_per_endpoint(jdy: Jdy):
    codes = []
    for i in range(13):
        r = jdy.post(BATCH_CREATE, "cards", data_list=[card(f"s{i}")])
        codes.append(r.json().get("code", 0) if r.status_code == 400 else r.status_code)
    assert codes[:10] == [200] * 10 and set(codes[10:]) == {8304}
    assert jdy.sb.control.counters().rate_limited == {BATCH_CREATE: 3}
    assert len(jdy.sb.control.cards_by_student()) == 10  # refused requests did nothing
    time.sleep(1.05)  # not a wait for the sandbox: the 1 s rate window slides on
    assert jdy.post(BATCH_CREATE, "cards", data_list=[card("late")]).status_code == 200


def test_rate_limit_8303_across_endpoints(jdy: Jdy):
    results = []
    for endpoint in ["app/entry/widget/list"] * 25 + [LIST] * 25 + ["app/list"] * 2:
        r = jdy.post(endpoint, None if endpoint == "app/list" else "students")
        results.append(r.status_code if r.status_code == 200 else r.json()["code"])
    assert results[:50] == [200] * 50 and results[50:] == [8303, 8303]


@options(latency_ms=400)
def test_concurrency_limit_answers_429(sandbox):
    async def fire():
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {sandbox.api_key}"},
                                     timeout=5) as client:
            body = {"app_id": sandbox.app_id, "entry_id": sandbox.students_entry_id}
            return await asyncio.gather(*(client.post(f"{sandbox.base_url}/v5/{LIST}", json=body)
                                          for _ in range(14)))

    responses = asyncio.run(fire())
    statuses = Counter(r.status_code for r in responses)
    assert statuses[200] == 10 and statuses[429] == 4
    refused = next(r for r in responses if r.status_code == 429).json()
    assert set(refused) == {"code", "msg"}
    counters = sandbox.control.counters()
    # refused requests leave at once, so at most one of them is counted in flight at a time
    assert counters.concurrency_rejected == 4 and counters.max_in_flight == 11


def test_latency_is_injected_without_blocking_other_requests(jdy: Jdy):
    jdy.sb.control.set_latency(300)
    started = time.perf_counter()
    threads = [threading.Thread(target=jdy.ok, args=("app/list", None)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert 0.3 <= elapsed < 0.8  # three at once, not one after another
    jdy.sb.control.set_latency(0)


# --------------------------------------------------------------------------- faults


def _one_card(jdy: Jdy, no: str) -> httpx.Response:
    return jdy.post(BATCH_CREATE, "cards", data_list=[card(no)], transaction_id=f"tx-{no}")


def test_fault_ratelimit_5xx_html_are_not_applied(jdy: Jdy):
    ctl = jdy.sb.control
    ctl.set_faults(["ratelimit"], 1.0)
    r = _one_card(jdy, "a")
    assert r.status_code == 400 and r.json()["code"] in (8303, 8304)
    ctl.set_faults(["5xx"], 1.0)
    r = _one_card(jdy, "b")
    assert r.status_code == 502 and "code" in r.json()
    ctl.set_faults(["html"], 1.0)
    r = _one_card(jdy, "c")
    assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().startswith("<html>")
    assert ctl.cards_by_student() == {}
    assert ctl.counters().faults == {"ratelimit": 1, "5xx": 1, "html": 1}


def test_fault_malformed_is_applied_but_unreadable(jdy: Jdy):
    jdy.sb.control.set_faults(["malformed"], 1.0)
    r = _one_card(jdy, "a")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert jdy.sb.control.cards_by_student() == {"a": 1}


@pytest.mark.parametrize("mode", ["close", "reset"])
def test_fault_drop_applies_then_drops_the_connection(mode):
    with run_sandbox(students=10, settings=JdySettings(drop_mode=mode)) as sb:
        jdy = Jdy(sb)
        try:
            sb.control.set_faults(["drop"], 1.0)
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                _one_card(jdy, "a")
            assert sb.control.cards_by_student() == {"a": 1}
            sb.control.clear_faults()
            assert _one_card(jdy, "b").status_code == 200  # the client recovers
        finally:
            jdy.close()


@options(settings=JdySettings(fault_timeout_s=0.6))
def test_fault_timeout_applies_after_the_client_gave_up(sandbox):
    jdy = Jdy(sandbox, timeout=0.2)
    try:
        sandbox.control.set_faults(["timeout"], 1.0)
        with pytest.raises(httpx.ReadTimeout):
            _one_card(jdy, "a")
        assert sandbox.control.cards_by_student() == {}  # not yet: ambiguous to the client
        assert sandbox.control.counters().faults == {"timeout": 1}
        assert sandbox.control.wait_landed(10)
        assert sandbox.control.cards_by_student() == {"a": 1}
    finally:
        jdy.close()


def test_stop_does_not_wait_for_a_held_request():
    with run_sandbox(students=5) as sb:  # default hold: 30 s
        jdy = Jdy(sb, timeout=0.2)
        sb.control.set_faults(["timeout"], 1.0)
        with pytest.raises(httpx.ReadTimeout):
            _one_card(jdy, "a")
        jdy.close()
        started = time.monotonic()
    assert time.monotonic() - started < 3
    assert sb.control.cards_by_student() == {}


def test_fault_partial_batch_and_the_replay_completes_it(jdy: Jdy):
    items = [card(f"s{i}") for i in range(10)]
    jdy.sb.control.set_faults(["partial"], 1.0)
    part = jdy.ok(BATCH_CREATE, "cards", data_list=items, transaction_id="tx")
    assert 0 < part["success_count"] < 10 and len(part["success_ids"]) == part["success_count"]
    jdy.sb.control.clear_faults()
    full = jdy.ok(BATCH_CREATE, "cards", data_list=items, transaction_id="tx")
    assert full["success_count"] == 10 and set(part["success_ids"]) <= set(full["success_ids"])
    assert jdy.sb.control.cards_by_student() == {f"s{i}": 1 for i in range(10)}


def test_fault_scope_and_rate_are_seeded():
    def run():
        with run_sandbox(students=5, seed=3, faults=["5xx"], fault_rate=0.5) as sb:
            jdy = Jdy(sb)
            try:
                reads = {jdy.post(LIST).status_code for _ in range(5)}
                writes = [_one_card(jdy, str(i)).status_code for i in range(9)]
            finally:
                jdy.close()
            return reads, writes

    reads, writes = run()
    assert reads == {200}  # writes only by default
    assert set(writes) == {200, 502}
    assert run()[1] == writes  # same seed, same faults


def test_fault_scope_all_and_endpoint_filter(jdy: Jdy):
    jdy.sb.control.set_faults(["5xx"], 1.0, scope="all", endpoints=[LIST])
    assert jdy.post(LIST).status_code == 502
    assert jdy.post("app/entry/data/get", data_id="0" * 24).status_code == 400
    with pytest.raises(ValueError):
        jdy.sb.control.set_faults(["nope"], 1.0)


# --------------------------------------------------------------------------- control, lifecycle


def test_counters_and_reset(jdy: Jdy):
    jdy.ok("app/list", None)
    jdy.ok(LIST)
    jdy.ok(LIST)
    c = jdy.sb.control.counters()
    assert c.requests == {"app/list": 1, LIST: 2} and c.total_requests == 3
    assert c.max_in_flight == 1
    jdy.sb.control.reset_counters()
    assert jdy.sb.control.counters().total_requests == 0


def test_run_sandbox_leaves_no_threads_and_refuses_other_hosts():
    before = set(threading.enumerate())
    with run_sandbox(students=3) as sb:
        assert repr(sb).count(sb.api_key) == 0  # the key stays out of reprs
    assert set(threading.enumerate()) == before
    with pytest.raises(ValueError):
        with run_sandbox(host="0.0.0.0"):
            pass
    with pytest.raises(ValueError):
        with run_sandbox(backend="nope"):
            pass


def test_ten_thousand_students_and_a_thousand_writes_a_second():
    with run_sandbox(students=10_000, seed=2) as sb:
        jdy = Jdy(sb)
        try:
            started = time.perf_counter()
            for b in range(10):
                items = [card(f"{b}-{i}") for i in range(100)]
                assert jdy.post(BATCH_CREATE, "cards", data_list=items).status_code == 200
            # 1,000 records in ten requests (~0.4 s here); the bound is generous for loaded CI
            assert time.perf_counter() - started < 2.0
            assert len(sb.control.cards_by_student()) == 1000
            assert len(sb.control.records("students")) == 10_000
            last_no = generate_school(10_000, 2).students[-1].student_no
            flt = {"rel": "and", "cond": [_cond("student_no", "eq", [last_no])]}
            assert [r["student_no"] for r in jdy.ok(LIST, filter=flt)["data"]] == [last_no]
        finally:
            jdy.close()


# --------------------------------------------------------------------------- deletes, createTime

BATCH_DELETE = "app/entry/data/batch_delete"


def _modified(jdy: Jdy) -> str:
    return jdy.ok("app/entry/widget/list", "cards")["dataModifyTime"]


def test_batch_delete_keeps_the_id_index_and_the_cursor_right(jdy: Jdy):
    ids = jdy.ok(BATCH_CREATE, "cards", data_list=[card(f"s{i}") for i in range(30)])[
        "success_ids"]
    gone = [ids[0], *ids[3:30:3], ids[-1]]
    before = _modified(jdy)
    r = jdy.ok(BATCH_DELETE, "cards", data_ids=[*gone, gone[1]])  # an id twice: counted once
    assert r == {"status": "success", "success_count": len(gone)}
    assert _modified(jdy) > before
    left = [i for i in ids if i not in gone]
    rows, pages = jdy.walk("cards", limit=7)
    assert [r["_id"] for r in rows] == left and pages == 3
    page = jdy.ok(LIST, "cards", data_id=gone[1], limit=2)["data"]  # a deleted id as cursor
    assert [r["_id"] for r in page] == [i for i in left if i > gone[1]][:2]
    assert jdy.err("app/entry/data/get", "cards", data_id=gone[1]) == 4001
    unchanged = _modified(jdy)
    assert jdy.ok(BATCH_DELETE, "cards", data_ids=gone) == {"status": "success",
                                                           "success_count": 0}
    assert _modified(jdy) == unchanged  # nothing changed
    more = jdy.ok(BATCH_CREATE, "cards", data_list=[card("new")])["success_ids"]
    assert [r["_id"] for r in jdy.walk("cards")[0]] == [*left, *more]
    assert jdy.err(BATCH_DELETE, "cards", data_ids=[]) == 3005
    assert jdy.err(BATCH_DELETE, "cards", data_ids=[1]) == 3005
    assert jdy.err(BATCH_DELETE, "cards") == 1
    assert jdy.err(BATCH_DELETE, None, app_id=jdy.sb.app_id, entry_id="0" * 24,
                   data_ids=left) == 3000
    assert len(jdy.walk("cards")[0]) == len(left) + 1


@options(settings=JdySettings(missing_ids="error"))
def test_missing_ids_error_setting_refuses_the_whole_request(jdy: Jdy):
    ids = jdy.ok(BATCH_CREATE, "cards", data_list=[card(f"s{i}") for i in range(3)])[
        "success_ids"]
    missing = "f" * 24
    assert jdy.err(BATCH_DELETE, "cards", data_ids=[ids[0], missing]) == 4001
    assert jdy.err("app/entry/data/batch_update", "cards", data_ids=[ids[1], missing],
                   data={"status": {"value": "注销"}}) == 4001
    rows, _ = jdy.walk("cards")
    assert [r["_id"] for r in rows] == ids and {r["status"] for r in rows} == {"正常"}
    assert jdy.ok(BATCH_DELETE, "cards", data_ids=ids[:2])["success_count"] == 2
    assert jdy.sb.control.cards_by_student() == {"s2": 1}


def test_settings_refuse_an_unknown_missing_ids_mode():
    with pytest.raises(ValueError):
        JdySettings(missing_ids="ignore").validate()


def test_batch_delete_has_its_own_10_per_second_bucket(jdy: Jdy):
    codes = []
    for _ in range(12):
        r = jdy.post(BATCH_DELETE, "cards", data_ids=["f" * 24])
        codes.append(r.json().get("code", 0) if r.status_code == 400 else r.status_code)
    assert codes[:10] == [200] * 10 and set(codes[10:]) == {8304}
    assert jdy.sb.control.counters().rate_limited == {BATCH_DELETE: 2}
    assert _one_card(jdy, "other").status_code == 200  # batch_create's bucket is apart


def test_faults_apply_to_batch_delete(jdy: Jdy):
    ctl = jdy.sb.control
    ids = jdy.ok(BATCH_CREATE, "cards", data_list=[card(f"s{i}") for i in range(4)])[
        "success_ids"]
    ctl.set_faults(["5xx"], 1.0, endpoints=[BATCH_DELETE])
    assert jdy.post(BATCH_DELETE, "cards", data_ids=ids[:1]).status_code == 502
    assert len(ctl.cards_by_student()) == 4  # not applied
    assert _one_card(jdy, "x").status_code == 200  # other endpoints untouched
    ctl.set_faults(["malformed"], 1.0, endpoints=[BATCH_DELETE])
    r = jdy.post(BATCH_DELETE, "cards", data_ids=ids[:1])
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert "s0" not in ctl.cards_by_student()  # applied, answer unreadable
    ctl.set_faults(["partial"], 1.0, endpoints=[BATCH_DELETE])  # batch_create only
    assert jdy.ok(BATCH_DELETE, "cards", data_ids=ids[1:])["success_count"] == 3
    assert ctl.counters().faults == {"5xx": 1, "malformed": 1}


def test_create_time_has_milliseconds_and_follows_creation_order(jdy: Jdy):
    one = jdy.ok("app/entry/data/create", "cards", data=card("a"))["data"]
    batch = jdy.ok(BATCH_CREATE, "cards", data_list=[card("b"), card("c")])["success_ids"]
    again = jdy.ok(BATCH_CREATE, "cards", data_list=[card("d")])["success_ids"]
    rows = jdy.ok(LIST, "cards", limit=100, fields=["studentInfo", "createTime"])["data"]
    assert [r["_id"] for r in rows] == [one["_id"], *batch, *again]
    assert set(rows[0]) == {"_id", "appId", "entryId", "studentInfo", "createTime"}
    times = [r["createTime"] for r in rows]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t) for t in times)
    assert times[0] < times[1] == times[2] < times[3]  # one stamp per request
    # system fields can be asked for alone
    only = jdy.ok(LIST, "cards", limit=1, fields=["createTime", "updateTime"])["data"][0]
    assert set(only) == {"_id", "appId", "entryId", "createTime", "updateTime"}


def test_create_time_never_goes_back_with_the_wall_clock(monkeypatch):
    from types import SimpleNamespace

    from campuscard_gui.sandbox.jiandaoyun import store as jdy_store
    from campuscard_gui.sandbox.jiandaoyun.store import JdyStore

    store = JdyStore(generate_school(3, 1), JdySettings())
    wall = [1_800_000_000_000 * 1_000_000]
    monkeypatch.setattr(jdy_store, "time", SimpleNamespace(
        time_ns=lambda: wall[0], monotonic=time.monotonic))
    stamps = []
    for step in (0, 0, -5_000, 0):  # the same ms twice, then the clock steps back 5 s
        wall[0] += step * 1_000_000
        stamps.append(store.create(store.cards, {}, {"name": "x"})["createTime"])
    assert stamps == ["2027-01-15T08:00:00.000Z", "2027-01-15T08:00:00.001Z",
                      "2027-01-15T08:00:00.002Z", "2027-01-15T08:00:00.003Z"]


@options(with_cards=True)
def test_seeded_records_have_distinct_create_times_in_id_order(sandbox):
    students, cards = (sandbox.control.records(form) for form in ("students", "cards"))
    times = [r["createTime"] for r in students + cards]  # students first, then the cards
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[0] == "2024-08-20T00:00:00.000Z"
