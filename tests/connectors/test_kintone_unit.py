"""KintoneConnector answers the sandbox cannot make, through ``httpx.MockTransport``: a
validation error on another field inside a bulkRequest, an app whose student field allows
duplicates, old 520 statuses, a DB-lock answer, unreadable bulk answers, long queries, and the
options' validation."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from kintone_helpers import FIELDS

from campuscard_gui.backends.kintone.api import KintoneRejected
from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
from campuscard_gui.connectors.base import CardCreate, CardUpdate
from campuscard_gui.connectors.http import make_client
from campuscard_gui.core.errors import (
    AmbiguousError,
    ConfigError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from campuscard_gui.core.model import CardStatus
from campuscard_gui.core.outcomes import Failed, Succeeded

AUTH = KintoneAuth(students_token="tokS", cards_token="tokC")


def options(**extra: Any) -> dict[str, Any]:
    return {"base_url": "https://school.cybozu.com", "students_app": "11", "cards_app": "12",
            "fields": FIELDS.to_json(), **extra}


def connector(handler: Any, **extra: Any) -> KintoneConnector:
    transport = httpx.MockTransport(handler)
    return KintoneConnector(options(**extra), AUTH, sleep=lambda s: None,
                            client_factory=lambda url, t: make_client(url, t,
                                                                      transport=transport))


def reply(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body)


def test_a_validation_error_on_another_field_fails_that_record_and_resends_the_rest():
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        subs = body["requests"]
        if len(bodies) == 1:  # sub-request 1 refused: its records[7] has a bad open time
            results: list[dict[str, Any]] = [{} for _ in subs]
            results[1] = {"code": "CB_VA01", "id": "x", "message": "Missing or invalid input.",
                          "errors": {"records[7].open_time.value": {
                              "messages": ["Enter a date and time in a valid format."]}}}
            return reply(400, {"results": results})
        n = 0
        out = []
        for sub in subs:
            k = len(sub["payload"]["records"])
            out.append({"ids": [str(1000 + n + i) for i in range(k)], "revisions": ["1"] * k})
            n += k
        return reply(200, {"results": out})

    conn = connector(handler)
    items = [CardCreate(f"S{i:04d}") for i in range(250)]
    results = conn.create_cards(items, CardStatus.ACTIVE, "key")
    bad = 100 + 7
    assert isinstance(results[bad], Failed)
    assert results[bad].code == "CB_VA01"
    assert "open_time" in results[bad].message and "valid format" in results[bad].message
    assert all(isinstance(r, Succeeded) for i, r in enumerate(results) if i != bad)
    resent = [r["student_no"]["value"] for s in bodies[1]["requests"]
              for r in s["payload"]["records"]]
    assert len(resent) == 249 and "S0107" not in resent
    assert [len(s["payload"]["records"]) for s in bodies[0]["requests"]] == [100, 100, 50]
    assert bodies[0]["requests"][0]["api"] == "/k/v1/records.json"


@pytest.mark.parametrize("second", ["refused", "timeout"])
def test_what_did_not_fit_in_the_first_bulk_request_fails_alone(second):
    """1,950 creates + 50 re-opens are 21 sub-requests: the 21st goes in a second call. When
    that one is refused, the first call's 1,950 cards stay succeeded; when it is unanswered,
    the chunk is ambiguous (the runner reads back), never a failure of written cards."""
    calls: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/bulkRequest.json")  # nothing to read back
        subs = json.loads(request.content)["requests"]
        calls.append([s["method"] for s in subs])
        if len(calls) == 2:
            if second == "timeout":
                raise httpx.ReadTimeout("no answer", request=request)
            return reply(403, {"results": [{"code": "GAIA_NO01", "id": "x", "message": "m"}]})
        out, n = [], 0
        for sub in subs:
            k = len(sub["payload"]["records"])
            out.append({"ids": [str(n + i + 1) for i in range(k)], "revisions": ["1"] * k})
            n += k
        return reply(200, {"results": out})

    items = [CardCreate(f"S{i}") for i in range(1950)] + [
        CardCreate(f"R{i}", card_id=str(5000 + i), revision="4") for i in range(50)]
    conn = connector(handler)
    if second == "timeout":
        with pytest.raises(AmbiguousError):
            conn.create_cards(items, CardStatus.ACTIVE, "k")
        return
    results = conn.create_cards(items, CardStatus.ACTIVE, "k")
    assert calls == [["POST"] * 20, ["PUT"]]
    assert all(isinstance(r, Succeeded) for r in results[:1950])
    assert {r.code for r in results[1950:]} == {"GAIA_NO01"}


def test_an_error_naming_no_record_fails_the_whole_chunk():
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(403, {"results": [{"code": "GAIA_NO01", "id": "x",
                                        "message": "Using this API token, you cannot run the "
                                                   "specified API."}, {}]})

    conn = connector(handler)
    with pytest.raises(KintoneRejected) as err:
        conn.create_cards([CardCreate(f"S{i}") for i in range(150)], CardStatus.ACTIVE, "k")
    assert err.value.kcode == "GAIA_NO01" and err.value.bulk_index == 0
    assert "权限" in err.value.message


@pytest.mark.parametrize("status, code, kind", [
    (429, "GAIA_TO04", RetryableError),
    (400, "GAIA_DA02", RetryableError),
    (503, None, AmbiguousError),  # a maintenance page after sending a write
    (200, None, AmbiguousError),  # a 200 that is not JSON
    (520, "GAIA_IA02", KintoneRejected),  # older domains' status for a wrong token
])
def test_answers_are_classified_by_code_and_status(status, code, kind):
    def handler(request: httpx.Request) -> httpx.Response:
        if code is None:
            return httpx.Response(status, text="<html>busy</html>")
        return reply(status, {"code": code, "id": "x", "message": "m"})

    conn = connector(handler)
    with pytest.raises(kind):
        conn.update_cards([CardUpdate("S1", "5", "2")], CardStatus.FROZEN, "k")


def test_a_bulk_answer_with_missing_ids_is_ambiguous():
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(200, {"results": [{"ids": ["1"], "revisions": ["1"]}]})

    conn = connector(handler)
    with pytest.raises(AmbiguousError):
        conn.create_cards([CardCreate("S1"), CardCreate("S2")], CardStatus.ACTIVE, "k")


def test_reads_are_retried_and_long_queries_go_as_post_with_override():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            return httpx.Response(502, text="bad gateway")
        return reply(200, {"records": [], "totalCount": None})

    conn = connector(handler, in_max_values=300)
    nos = [f"2024{i:06d}" for i in range(300)]
    assert conn.read_cards(nos) == {}
    assert len(seen) == 2
    last = seen[-1]
    assert last.method == "POST" and last.headers["X-HTTP-Method-Override"] == "GET"
    body = json.loads(last.content)
    assert body["query"].startswith('(student_no in ("2024000000", ')
    assert "order by $id asc limit 500" in body["query"]
    assert last.headers["X-Cybozu-API-Token"] == "tokS,tokC"


def test_check_connection_insists_on_the_unique_student_field():
    props = {
        "student_no": {"type": "SINGLE_LINE_TEXT", "code": "student_no", "label": "学号",
                       "unique": False},
        "status": {"type": "DROP_DOWN", "code": "status", "label": "卡状态",
                   "options": {"正常": {"label": "正常", "index": "0"},
                               "冻结": {"label": "冻结", "index": "1"}}},
        "open_time": {"type": "DATETIME", "code": "open_time", "label": "开卡时间"},
        "amount": {"type": "NUMBER", "code": "amount", "label": "余额"},
        **{k: {"type": "SINGLE_LINE_TEXT", "code": k, "label": k}
           for k in ("name", "college", "class_name", "student_status")},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/app/form/fields.json"):
            return reply(200, {"properties": props, "revision": "3"})
        return reply(200, {"records": []})

    with pytest.raises(ConnectorError) as err:
        connector(handler).check_connection()
    assert err.value.code == "field"
    assert "禁止重复值" in err.value.message and "“注销”" in err.value.message
    props["student_no"]["unique"] = True
    props["status"]["options"]["注销"] = {"label": "注销", "index": "2"}
    connector(handler).check_connection()
    props["student_no"]["unique"] = False
    connector(handler, require_unique_student=False).check_connection()


def test_guest_space_paths():
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.endswith("bulkRequest.json"):
            apis = [s["api"] for s in json.loads(request.content)["requests"]]
            assert apis == ["/k/guest/8/v1/records.json"]
            return reply(200, {"results": [{"records": [{"id": "5", "revision": "3"}]}]})
        return reply(200, {"records": []})

    conn = connector(handler, guest_space="8")
    assert conn.update_cards([CardUpdate("S1", "5", "2")], CardStatus.FROZEN, "k") == [
        Succeeded("5")]
    assert paths == ["/k/guest/8/v1/bulkRequest.json"]


@pytest.mark.parametrize("change, words", [
    ({"students_app": "abc"}, "应用 ID"),
    ({"cards_app": "11"}, "同一个应用"),
    ({"base_url": "ftp://x"}, "https://"),
    ({"base_url": "https://x.cybozu.com/k/v1"}, "不要带路径"),
    ({"guest_space": "x"}, "来宾空间"),
    ({"auth": "oauth"}, "“auth”只能是 token / password"),
    ({"auth": "password"}, "登录名"),
    ({"concurrency": 0}, "concurrency"),
    ({"records_per_request": 101}, "records_per_request"),
])
def test_options_are_validated(change, words):
    with pytest.raises(ConfigError) as err:
        KintoneConnector(options(**change), AUTH)
    assert words in err.value.message


def test_missing_or_malformed_secrets_are_refused_without_showing_them():
    with pytest.raises(FatalError) as err:
        KintoneConnector(options(), KintoneAuth(students_token="only-one"))
    assert err.value.code == "secret_missing" and "only-one" not in err.value.message
    with pytest.raises(FatalError) as err:
        KintoneConnector(options(), KintoneAuth(students_token="a,b", cards_token="c"))
    assert "a,b" not in err.value.message
    conn = KintoneConnector(options(auth="password", user="admin"),
                            KintoneAuth(password="pw-secret-1"))
    assert "pw-secret-1" not in repr(conn) + repr(KintoneAuth(password="pw-secret-1"))
    conn.close()
