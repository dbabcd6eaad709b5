"""The kintone REST API emulator over real loopback HTTP (httpx against run_sandbox)."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest
from sandbox_helpers import options, sandbox_fixture

from campuscard_gui.core.demo import generate_school
from campuscard_gui.sandbox import KintoneSettings, SandboxInfo

N, SEED = 250, 7
SCHOOL = generate_school(N, SEED)


class K:
    """A naive raw client: no retries, the tests check the wire."""

    def __init__(self, sb: SandboxInfo, guest: str = "") -> None:
        self.sb = sb
        prefix = f"/k/guest/{guest}/v1/" if guest else "/k/v1/"
        self.http = httpx.Client(base_url=sb.base_url + prefix, timeout=10, headers={
            "X-Cybozu-API-Token": f"{sb.students_token},{sb.cards_token}"})

    def close(self) -> None:
        self.http.close()

    def get(self, resource: str, **params: Any) -> httpx.Response:
        return self.http.get(f"{resource}.json", params=params)

    def send(self, method: str, resource: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.request(method, f"{resource}.json", json=body)

    def records(self, app: str, query: str = "", **params: Any) -> dict[str, Any]:
        r = self.get("records", app=app, query=query, **params)
        assert r.status_code == 200, r.text
        return dict(r.json())


def err(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = dict(r.json())
    assert body["code"] == code and body["message"] and body["id"], body
    return body


def card(no: str, status: str = "正常") -> dict[str, Any]:
    return {"student_no": {"value": no}, "status": {"value": status},
            "open_time": {"value": "2024-09-01T08:00:00+08:00"}, "amount": {"value": 12.5}}


sb = sandbox_fixture("kintone", N, SEED)


@pytest.fixture
def k(sb: SandboxInfo) -> Iterator[K]:
    with closing(K(sb)) as client:
        yield client


# --------------------------------------------------------------------------- auth


def test_token_and_password_auth(sb: SandboxInfo, k: K):
    url = f"{sb.base_url}/k/v1/records.json"
    params = {"app": sb.students_app, "query": "limit 1"}
    login = base64.b64encode(f"{sb.user}:{sb.password}".encode()).decode()
    r = httpx.get(url, params=params, headers={"X-Cybozu-Authorization": login})
    assert r.status_code == 200 and len(r.json()["records"]) == 1
    r = httpx.get(url, params=params, headers={"X-Cybozu-API-Token": sb.students_token})
    assert r.status_code == 200
    assert r.headers["X-ConcurrencyLimit-Limit"] == "10"
    # repeated headers work like a comma list
    r = httpx.get(url, params=params, headers=[("X-Cybozu-API-Token", sb.cards_token),
                                                ("X-Cybozu-API-Token", sb.students_token)])
    assert r.status_code == 200

    err(httpx.get(url, params=params), 401, "CB_AU01")
    bad = base64.b64encode(f"{sb.user}:nope".encode()).decode()
    err(httpx.get(url, params=params, headers={"X-Cybozu-Authorization": bad}), 401, "CB_WA01")
    err(httpx.get(url, params=params, headers={"X-Cybozu-Authorization": "%%%"}), 401,
        "CB_WA01")
    err(httpx.get(url, params=params, headers={"X-Cybozu-API-Token": "nope"}), 400, "GAIA_IA02")
    # a token only works for its own app
    err(httpx.get(url, params=params, headers={"X-Cybozu-API-Token": sb.cards_token}), 400,
        "GAIA_IA02")
    dup = f"{sb.cards_token},{sb.cards_token}"
    err(httpx.get(url, params=params, headers={"X-Cybozu-API-Token": dup}), 400, "GAIA_DA03")
    # the students token may only view
    r = k.send("POST", "records", {"app": sb.students_app,
                                   "records": [{"student_no": {"value": "X1"}}]})
    err(r, 403, "GAIA_NO01")
    assert sb.control.counters().auth_failures == 6


def test_bad_json_unknown_app_and_unknown_path(sb: SandboxInfo, k: K):
    r = k.http.post("records.json", content=b"{nope", headers={"Content-Type":
                                                                "application/json"})
    err(r, 400, "CB_IJ01")
    login = base64.b64encode(f"{sb.user}:{sb.password}".encode()).decode()
    r = httpx.get(f"{sb.base_url}/k/v1/records.json", params={"app": 99},
                  headers={"X-Cybozu-Authorization": login})
    err(r, 404, "GAIA_AP01")
    assert k.get("nothing").status_code == 404
    assert k.http.get("records.JSON").status_code == 404


# --------------------------------------------------------------------------- reads


def test_records_shape_query_and_paging(sb: SandboxInfo, k: K):
    body = k.records(sb.students_app, "order by $id asc limit 500", totalCount="true")
    assert body["totalCount"] == str(N) and len(body["records"]) == N
    first = body["records"][0]
    s = SCHOOL.students[0]
    assert first["student_no"] == {"type": "SINGLE_LINE_TEXT", "value": s.student_no}
    assert first["student_status"] == {"type": "DROP_DOWN", "value": s.status.value}
    assert first["$id"] == {"type": "__ID__", "value": "1"}
    assert first["$revision"] == {"type": "__REVISION__", "value": "1"}
    assert k.records(sb.students_app, "limit 1")["totalCount"] is None
    # default order: $id descending, default limit 100
    default = k.records(sb.students_app)["records"]
    assert len(default) == 100 and default[0]["$id"]["value"] == str(N)
    # offset paging gives every record once
    seen: list[str] = []
    for offset in range(0, N, 100):
        page = k.records(sb.students_app, f"order by $id asc limit 100 offset {offset}")
        seen += [r["$id"]["value"] for r in page["records"]]
    assert seen == [str(i) for i in range(1, N + 1)]
    # seek paging by $id
    page = k.records(sb.students_app, "$id > 240 order by $id asc limit 500")["records"]
    assert [r["$id"]["value"] for r in page] == [str(i) for i in range(241, N + 1)]
    # operators and fields[]
    enrolled = sum(1 for x in SCHOOL.students if x.status.value == "在读")
    q = 'student_status in ("在读") limit 1'
    assert k.records(sb.students_app, q, totalCount="true")["totalCount"] == str(enrolled)
    q = 'student_status not in ("在读") limit 1'
    assert k.records(sb.students_app, q, totalCount="true")["totalCount"] == str(N - enrolled)
    no = s.student_no
    q = f'(student_no = "{no}" or student_no = "{SCHOOL.students[1].student_no}") and $id < 2'
    got = k.records(sb.students_app, q, **{"fields[0]": "student_no", "fields[1]": "$id"})
    assert got["records"] == [{"student_no": first["student_no"], "$id": first["$id"]}]
    q = f'student_no != "{no}" and student_no > "0" order by student_no desc limit 1'
    assert k.records(sb.students_app, q)["records"][0]["student_no"]["value"] == \
        SCHOOL.students[-1].student_no


def test_query_limits_and_errors(sb: SandboxInfo, k: K):
    app = sb.students_app
    assert k.records(app, "limit 500 offset 10000")["records"] == []
    body = err(k.get("records", app=app, query="limit 501"), 400, "CB_VA01")
    assert "query" in body["errors"]
    body = err(k.get("records", app=app, query="limit 1 offset 10001"), 400, "CB_VA01")
    assert "query" in body["errors"]
    err(k.get("records", app=app, query='nope = "1"'), 400, "GAIA_IQ11")
    err(k.get("records", app=app, query='student_status = "在读"'), 400, "GAIA_IQ03")
    assert k.get("records", app=app, query='student_no = ').status_code == 400


def test_record_get_and_form_fields(sb: SandboxInfo, k: K):
    r = k.get("record", app=sb.students_app, id=3)
    assert r.status_code == 200
    assert r.json()["record"]["student_no"]["value"] == SCHOOL.students[2].student_no
    err(k.get("record", app=sb.students_app, id=9999), 404, "GAIA_RE01")
    props = k.get("app/form/fields", app=sb.cards_app).json()["properties"]
    assert props["student_no"]["unique"] is True and props["student_no"]["type"] == \
        "SINGLE_LINE_TEXT"
    assert list(props["status"]["options"]) == ["正常", "冻结", "注销"]
    assert props["open_time"]["type"] == "DATETIME" and props["amount"]["type"] == "NUMBER"
    sprops = k.get("app/form/fields", app=sb.students_app).json()["properties"]
    assert {p["label"] for p in sprops.values()} == {"学号", "姓名", "学院", "班级", "学籍状态",
                                                     "更新时间"}
    assert sprops["更新时间"]["type"] == "UPDATED_TIME"
    assert k.records(sb.cards_app)["records"] == []  # the cards app starts empty


# --------------------------------------------------------------------------- writes


def test_add_update_revision_and_limits(sb: SandboxInfo, k: K):
    nos = [s.student_no for s in SCHOOL.students]
    r = k.send("POST", "records", {"app": sb.cards_app, "records": [card(n) for n in nos[:3]]})
    assert r.status_code == 200 and r.json() == {"ids": ["1", "2", "3"],
                                                  "revisions": ["1", "1", "1"]}
    rec = k.get("record", app=sb.cards_app, id=1).json()["record"]
    assert rec["open_time"]["value"] == "2024-09-01T00:00:00Z"
    assert rec["amount"]["value"] == "12.5" and rec["status"]["value"] == "正常"
    # > 100 records: nothing added
    body = err(k.send("POST", "records", {"app": sb.cards_app,
                                          "records": [card(n) for n in nos[3:104]]}),
               400, "CB_VA01")
    assert "records" in body["errors"]
    # unique violation (against the app, and inside one request): nothing added
    body = err(k.send("POST", "records", {"app": sb.cards_app, "records": [
        card(nos[10]), card(nos[0]), card(nos[11]), card(nos[11])]}), 400, "CB_VA01")
    assert set(body["errors"]) == {"records[1].student_no.value", "records[3].student_no.value"}
    bad = err(k.send("POST", "records", {"app": sb.cards_app, "records": [
        card(nos[20], "丢失")]}), 400, "CB_VA01")
    assert "records[0].status.value" in bad["errors"]
    assert sb.control.cards_by_student() == {n: 1 for n in nos[:3]}

    # update by id with the right revision, then a stale one
    r = k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"id": 1, "revision": 1, "record": {"status": {"value": "冻结"}}}]})
    assert r.status_code == 200 and r.json() == {"records": [{"id": "1", "revision": "2"}]}
    r = k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"id": 2, "revision": "1", "record": {"status": {"value": "冻结"}}},
        {"id": 1, "revision": 1, "record": {"status": {"value": "注销"}}}]})
    err(r, 409, "GAIA_CO02")
    assert k.get("record", app=sb.cards_app, id=2).json()["record"]["$revision"]["value"] == "1"
    # by updateKey, no revision check
    r = k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"updateKey": {"field": "student_no", "value": nos[2]},
         "record": {"status": {"value": "注销"}}}]})
    assert r.json() == {"records": [{"id": "3", "revision": "2"}]}
    err(k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"id": 99, "record": {}}]}), 404, "GAIA_RE01")
    body = err(k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"id": 1, "record": {"status": {"value": "正常"}}}] * 101}), 400, "CB_VA01")
    assert "records" in body["errors"]
    err(k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"id": 1, "record": {}}, {"id": 1, "record": {}}]}), 400, "GAIA_RE09")
    # changing a 学号 to one that exists is a unique violation
    body = err(k.send("PUT", "records", {"app": sb.cards_app, "records": [
        {"id": 1, "record": {"student_no": {"value": nos[1]}}}]}), 400, "CB_VA01")
    assert "records[0].student_no.value" in body["errors"]


def test_bulk_request_is_all_or_nothing(sb: SandboxInfo, k: K):
    nos = [s.student_no for s in SCHOOL.students]
    api = "/k/v1/records.json"
    first = k.send("POST", "records", {"app": sb.cards_app, "records": [card(nos[0])]})
    assert first.status_code == 200
    requests = [{"method": "POST", "api": api, "payload": {
        "app": sb.cards_app, "records": [card(n) for n in nos[1 + 100 * i:101 + 100 * i]]}}
        for i in range(3)]
    good = k.send("POST", "bulkRequest", {"requests": requests})
    assert good.status_code == 200, good.text
    results = good.json()["results"]
    assert len(results) == 3 and len(results[2]["ids"]) == N - 201
    assert len(sb.control.cards_by_student()) == N

    before = sb.control.records("cards")
    requests: list[dict[str, Any]] = [
        {"method": "PUT", "api": api, "payload": {"app": sb.cards_app, "records": [
            {"id": 1, "record": {"status": {"value": "冻结"}}}]}},
        {"method": "PUT", "api": api, "payload": {"app": sb.cards_app, "records": [
            {"id": 2, "record": {"status": {"value": "冻结"}}},
            {"id": 3, "record": {"amount": {"value": "abc"}}}]}},
        {"method": "PUT", "api": api, "payload": {"app": sb.cards_app, "records": [
            {"id": 4, "record": {"status": {"value": "冻结"}}}]}},
    ]
    r = k.send("POST", "bulkRequest", {"requests": requests})
    assert r.status_code == 400, r.text
    results = r.json()["results"]
    assert results[0] == {} and results[2] == {}
    assert results[1]["code"] == "CB_VA01"
    assert "records[1][amount].value" in results[1]["errors"]
    assert sb.control.records("cards") == before  # the first sub-request was rolled back
    r = k.send("POST", "bulkRequest", {"requests": [requests[0]] + [
        {"method": "PUT", "api": api, "payload": {"app": sb.cards_app, "records": [
            {"id": 2, "revision": 7, "record": {}}]}}]})
    assert r.status_code == 409 and r.json()["results"][1]["code"] == "GAIA_CO02"
    assert r.json()["results"][0] == {}
    assert sb.control.records("cards") == before
    body = err(k.send("POST", "bulkRequest", {"requests": [requests[0]] * 21}), 400, "CB_VA01")
    assert "requests" in body["errors"]


def test_cursor_api(sb: SandboxInfo, k: K):
    r = k.send("POST", "records/cursor", {"app": sb.students_app, "size": 100,
                                          "fields": ["$id"], "query": "order by $id asc"})
    assert r.status_code == 200 and r.json()["totalCount"] == str(N)
    cid = r.json()["id"]
    got: list[str] = []
    while True:
        page = k.get("records/cursor", id=cid).json()
        got += [x["$id"]["value"] for x in page["records"]]
        if not page["next"]:
            break
    assert got == [str(i) for i in range(1, N + 1)]
    assert k.get("records/cursor", id=cid).status_code == 400  # freed once read to the end
    err(k.send("POST", "records/cursor", {"app": sb.students_app, "query": "limit 5"}),
        400, "CB_VA01")
    ids = [k.send("POST", "records/cursor", {"app": sb.students_app}).json()["id"]
           for _ in range(10)]
    err(k.send("POST", "records/cursor", {"app": sb.students_app}), 429, "GAIA_TM12")
    assert k.send("DELETE", "records/cursor", {"id": ids[0]}).json() == {}
    assert k.send("POST", "records/cursor", {"app": sb.students_app}).status_code == 200


# --------------------------------------------------------------------------- guest space


@options(settings=KintoneSettings(guest_space=5))
def test_guest_space_paths(sb: SandboxInfo):
    assert sb.start_line()["guest_space"] == "5"
    plain, guest, other = K(sb), K(sb, "5"), K(sb, "6")
    try:
        err(plain.get("records", app=sb.students_app), 520, "GAIA_IL23")
        err(other.get("records", app=sb.students_app), 403, "CB_NO02")
        assert len(guest.records(sb.students_app)["records"]) == 100
        r = guest.send("POST", "bulkRequest", {"requests": [
            {"method": "POST", "api": "/k/guest/5/v1/records.json",
             "payload": {"app": sb.cards_app, "records": [card("S1")]}}]})
        assert r.status_code == 200 and r.json()["results"][0]["ids"] == ["1"]
        r = guest.send("POST", "bulkRequest", {"requests": [
            {"method": "POST", "api": "/k/v1/records.json",
             "payload": {"app": sb.cards_app, "records": [card("S2")]}}]})
        assert r.status_code == 520 and r.json()["results"][0]["code"] == "GAIA_IL23"
    finally:
        for c in (plain, guest, other):
            c.close()


# --------------------------------------------------------------------------- limits, faults


@options(latency_ms=300, settings=KintoneSettings(max_in_flight=2))
def test_concurrency_limit_answers_429(sb: SandboxInfo):
    statuses: list[httpx.Response] = []
    lock = threading.Lock()

    def call() -> None:
        r = httpx.get(f"{sb.base_url}/k/v1/records.json", timeout=10,
                      params={"app": sb.students_app, "query": "limit 1"},
                      headers={"X-Cybozu-API-Token": sb.students_token})
        with lock:
            statuses.append(r)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rejected = [r for r in statuses if r.status_code == 429]
    assert rejected and len(rejected) + sum(r.status_code == 200 for r in statuses) == 6
    assert rejected[0].json()["code"] == "GAIA_TO04"
    assert rejected[0].headers["X-Cybozu-Error"] == "GAIA_TO04"
    assert sb.control.counters().concurrency_rejected == len(rejected)


@options(faults="5xx", fault_rate=1.0)
def test_5xx_fault_on_writes_only(sb: SandboxInfo, k: K):
    assert k.get("records", app=sb.students_app).status_code == 200
    r = k.send("POST", "records", {"app": sb.cards_app, "records": [card("S1")]})
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
    assert sb.control.cards_by_student() == {}
    assert sb.control.counters().faults == {"5xx": 1}


@options(faults="drop", fault_rate=1.0)
def test_drop_fault_applies_then_drops(sb: SandboxInfo, k: K):
    with pytest.raises(httpx.TransportError):
        k.send("POST", "records", {"app": sb.cards_app, "records": [card("S1")]})
    assert sb.control.cards_by_student() == {"S1": 1}


def test_faults_target_kintone_endpoints_by_name(sb: SandboxInfo, k: K):
    ctl = sb.control
    nos = [s.student_no for s in SCHOOL.students]
    bulk = {"requests": [{"method": "POST", "api": "/k/v1/records.json",
                          "payload": {"app": sb.cards_app, "records": [card(nos[1])]}}]}
    ctl.set_faults(["5xx"], 1.0, endpoints=["bulkRequest"])
    assert k.send("POST", "records", {"app": sb.cards_app, "records": [card(nos[0])]}
                  ).status_code == 200
    assert k.send("POST", "bulkRequest", bulk).status_code == 503
    ctl.set_faults(["5xx"], 1.0, endpoints=["PUT records"])
    assert k.send("POST", "bulkRequest", bulk).status_code == 200
    update = {"app": sb.cards_app, "records": [{"id": 1, "record": {}}]}
    assert k.send("PUT", "records", update).status_code == 503
    # reads only with scope "all"; a method override counts as the method it runs
    ctl.set_faults(["5xx"], 1.0, endpoints=["records"])
    assert k.get("records", app=sb.students_app).status_code == 200
    ctl.set_faults(["5xx"], 1.0, scope="all", endpoints=["GET app/form/fields",
                                                           "records/cursor"])
    assert k.get("records", app=sb.students_app).status_code == 200
    assert k.get("app/form/fields", app=sb.students_app).status_code == 503
    assert k.send("POST", "records/cursor", {"app": sb.students_app}).status_code == 503
    ctl.set_faults(["5xx"], 1.0, scope="all", endpoints=["GET records"])
    r = k.http.post("records.json", json={"app": sb.students_app},
                    headers={"X-HTTP-Method-Override": "GET"})
    assert r.status_code == 503
    assert ctl.counters().faults == {"5xx": 5}
    requests = ctl.counters().requests
    assert requests["POST bulkRequest"] == 2 and requests["GET records"] == 3
    for wrong in (["bulkrequest"], ["POST records/cursr"], ["app/entry/data/nope"]):
        with pytest.raises(ValueError):
            ctl.set_faults(["5xx"], 1.0, endpoints=wrong)
    ctl.clear_faults()
    assert k.send("PUT", "records", update).status_code == 200


@options(latency_ms=300)
def test_peak_in_flight_is_recorded_and_resettable(sb: SandboxInfo):
    def call() -> None:
        httpx.get(f"{sb.base_url}/k/v1/records.json", timeout=10,
                  params={"app": sb.students_app, "query": "limit 1"},
                  headers={"X-Cybozu-API-Token": sb.students_token})

    def burst(n: int) -> None:
        threads = [threading.Thread(target=call) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    burst(3)
    assert sb.control.counters().max_in_flight == 3
    sb.control.reset_counters()
    assert sb.control.counters().max_in_flight == 0
    call()
    call()
    burst(2)
    counters = sb.control.counters()
    assert counters.max_in_flight == 2 and counters.requests == {"GET records": 4}


# --------------------------------------------------------------------------- CLI


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_cli_start_line_and_serving():
    env = {**os.environ, "CAMPUSCARD_SANDBOX_API_KEY": "pw-from-env"}
    proc = subprocess.Popen([sys.executable, "-m", "campuscard_gui.sandbox.cli", "--backend",
                             "kintone", "--students", "20"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    watchdog = threading.Timer(20, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        watchdog.cancel()
        info = json.loads(line)
        assert set(info) == {"backend", "base_url", "students_app", "cards_app",
                             "students_token", "cards_token", "user", "password"}
        assert info["backend"] == "kintone" and info["password"] == "pw-from-env"
        login = base64.b64encode(f"{info['user']}:{info['password']}".encode()).decode()
        r = httpx.get(f"{info['base_url']}/k/v1/records.json",
                      params={"app": info["students_app"], "totalCount": "true"},
                      headers={"X-Cybozu-Authorization": login})
        assert r.status_code == 200 and r.json()["totalCount"] == "20"
        proc.send_signal(signal.SIGTERM)
        out, errs = proc.communicate(timeout=10)
        assert proc.returncode == 0, errs
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_single_record_writes_and_upsert(sb: SandboxInfo, k: K):
    r = k.send("POST", "record", {"app": sb.cards_app, "record": card("S1")})
    assert r.json() == {"id": "1", "revision": "1"}
    body = err(k.send("POST", "record", {"app": sb.cards_app, "record": card("S1")}), 400,
               "CB_VA01")
    assert "record.student_no.value" in body["errors"]
    r = k.send("PUT", "record", {"app": sb.cards_app, "id": 1, "revision": 1,
                                 "record": {"status": {"value": "冻结"}}})
    assert r.json() == {"revision": "2"}
    r = k.send("PUT", "records", {"app": sb.cards_app, "upsert": True, "records": [
        {"updateKey": {"field": "student_no", "value": "S1"}, "record": {}},
        {"updateKey": {"field": "student_no", "value": "S2"}, "record": {}}]})
    assert r.json()["records"] == [{"id": "1", "revision": "3", "operation": "UPDATE"},
                                   {"id": "2", "revision": "1", "operation": "INSERT"}]
    assert sb.control.cards_by_student() == {"S1": 1, "S2": 1}
