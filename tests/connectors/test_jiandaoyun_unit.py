"""JiandaoyunConnector pieces the sandbox cannot exercise, over httpx.MockTransport: request
shapes, transaction ids, error codes and HTTP statuses, transport-error classification, secret
hygiene, label handling, the rate limiter and the factory branch."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from memory_keyring import MemoryKeyring

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.backends.jiandaoyun.errors import CODES, error_for_code
from campuscard_gui.backends.jiandaoyun.records import join_rows
from campuscard_gui.config.credentials import CredentialError, CredentialStore
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.config.settings import Profile
from campuscard_gui.connectors.base import CardCreate, CardUpdate, Connector
from campuscard_gui.connectors.http import EndpointRateLimiter, transport_error
from campuscard_gui.core.errors import (
    AmbiguousError,
    ConfigError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from campuscard_gui.core.model import CardStatus, StudentStatus
from campuscard_gui.core.outcomes import Failed, Succeeded

KEY = "sk-test-0123456789abcdef"
OPTIONS = {"base_url": "https://jdy.example/api", "app_id": "a" * 24,
           "students_entry": "b" * 24, "cards_entry": "c" * 24}
CHUNK_KEY = str(uuid.uuid4())

Handler = Callable[[str, dict[str, Any], httpx.Request], httpx.Response]


class FakeJdy:
    """Routes each request to ``handler(endpoint, body, request)`` and records it."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.removeprefix("/api/v5/")
        body = json.loads(request.content)
        self.calls.append((endpoint, body))
        self.requests.append(request)
        return self.handler(endpoint, body, request)

    def bodies(self, endpoint: str) -> list[dict[str, Any]]:
        return [b for e, b in self.calls if e == endpoint]


def connector(handler: Handler, **options: Any) -> tuple[JiandaoyunConnector, FakeJdy]:
    fake = FakeJdy(handler)

    def factory(url: str, timeout: float) -> httpx.Client:
        return httpx.Client(base_url=url, timeout=timeout, transport=httpx.MockTransport(fake))

    conn = JiandaoyunConnector({**OPTIONS, **options}, KEY, client_factory=factory,
                               sleep=lambda s: None, now_ms=lambda: 1_700_000_000_123)
    return conn, fake


def ok(payload: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=payload)


def err(code: int, status: int = 400) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "msg": "服务器说明"})


def created(body: dict[str, Any]) -> httpx.Response:
    n = len(body["data_list"])
    return ok({"status": "success", "success_count": n,
               "success_ids": [f"{i:024x}" for i in range(n)]})


def items(n: int) -> list[CardCreate]:
    return [CardCreate(f"2024{i:04d}") for i in range(n)]


# -- request shapes ------------------------------------------------------------------------

def test_batch_create_request_shape_and_results():
    conn, fake = connector(lambda e, b, r: created(b))
    results = conn.create_cards(items(3), CardStatus.ACTIVE, CHUNK_KEY)
    assert results == [Succeeded(f"{i:024x}") for i in range(3)]
    [request] = fake.requests
    assert request.method == "POST"
    assert str(request.url) == "https://jdy.example/api/v5/app/entry/data/batch_create"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json;charset=utf-8"
    [body] = fake.bodies("app/entry/data/batch_create")
    assert body["app_id"] == "a" * 24 and body["entry_id"] == "c" * 24
    assert body["is_start_workflow"] is False
    uuid.UUID(body["transaction_id"])  # a UUID, as the docs recommend
    assert body["data_list"][0] == {
        "studentInfo": {"value": "20240000"},
        "openTime": {"value": "2023-11-14T22:13:20.123Z"},
        "amount": {"value": 0},
        "status": {"value": "正常"},
    }


def test_open_time_as_epoch_ms_and_mapped_labels():
    fm = FieldMap(card_status="card_state", card_open_time="opened")
    fm.card_status_labels[CardStatus.ACTIVE] = "启用"
    conn, fake = connector(lambda e, b, r: created(b), open_time_format="ms",
                           fields=fm.to_json())
    conn.create_cards([CardCreate("1", open_time=1_650_000_000_000)], CardStatus.ACTIVE, "")
    [body] = fake.bodies("app/entry/data/batch_create")
    assert body["data_list"][0]["opened"] == {"value": 1_650_000_000_000}
    assert body["data_list"][0]["card_state"] == {"value": "启用"}


def test_batch_update_request_shape():
    conn, fake = connector(lambda e, b, r: ok({"status": "success",
                                               "success_count": len(b["data_ids"])}))
    ups = [CardUpdate("1", "x" * 24), CardUpdate("2", "y" * 24)]
    assert conn.update_cards(ups, CardStatus.FROZEN, CHUNK_KEY) == [
        Succeeded("x" * 24), Succeeded("y" * 24)]
    [body] = fake.bodies("app/entry/data/batch_update")
    assert body["data_ids"] == ["x" * 24, "y" * 24]
    assert body["data"] == {"status": {"value": "冻结"}}
    uuid.UUID(body["transaction_id"])


def test_more_than_a_batch_is_refused_before_sending():
    conn, fake = connector(lambda e, b, r: created(b))
    with pytest.raises(FatalError):
        conn.create_cards(items(101), CardStatus.ACTIVE, CHUNK_KEY)
    assert fake.calls == []


# -- transaction ids -----------------------------------------------------------------------

def test_transaction_id_follows_the_key_and_the_set_sent():
    conn, fake = connector(lambda e, b, r: created(b))
    conn.create_cards(items(4), CardStatus.ACTIVE, CHUNK_KEY)
    conn.create_cards(items(4), CardStatus.ACTIVE, CHUNK_KEY)  # the same set again
    conn.create_cards(items(4)[2:], CardStatus.ACTIVE, CHUNK_KEY)  # the missing subset
    conn.create_cards(items(4), CardStatus.ACTIVE, str(uuid.uuid4()))  # another chunk
    tids = [b["transaction_id"] for b in fake.bodies("app/entry/data/batch_create")]
    assert tids[0] == tids[1]
    assert len({tids[0], tids[2], tids[3]}) == 3


def test_a_partial_answer_is_ambiguous():
    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        return ok({"status": "success", "success_count": 1, "success_ids": ["f" * 24]})

    conn, _ = connector(handler)
    with pytest.raises(AmbiguousError) as info:
        conn.create_cards(items(3), CardStatus.ACTIVE, CHUNK_KEY)
    assert info.value.code == "partial"


def test_17026_is_reconciled_and_the_next_send_uses_a_fresh_id():
    answers = [err(17026)]

    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else created(b)

    conn, fake = connector(handler)
    with pytest.raises(AmbiguousError) as info:
        conn.create_cards(items(2), CardStatus.ACTIVE, CHUNK_KEY)
    assert info.value.code == "17026"
    conn.create_cards(items(2), CardStatus.ACTIVE, CHUNK_KEY)
    first, second = (b["transaction_id"] for b in fake.bodies("app/entry/data/batch_create"))
    assert first != second


def test_after_an_unanswered_request_the_whole_set_is_replayed_under_its_id():
    """A timed-out request may still be applied later: the runner's resend of the missing
    subset goes out as the whole first set under the first id, so the late arrival is just a
    replay (one card each) instead of a second card for the subset."""
    answers: list[Any] = [httpx.ReadTimeout("slow")]

    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        if answers:
            raise answers.pop(0)
        return created(b)

    conn, fake = connector(handler)
    with pytest.raises(AmbiguousError):
        conn.create_cards(items(4), CardStatus.ACTIVE, CHUNK_KEY)
    results = conn.create_cards(items(4)[1:3], CardStatus.ACTIVE, CHUNK_KEY)
    first, second = fake.bodies("app/entry/data/batch_create")
    assert second["transaction_id"] == first["transaction_id"]
    assert [d["studentInfo"] for d in second["data_list"]] == [
        {"value": it.student_no} for it in items(4)]
    assert results == [Succeeded(f"{1:024x}"), Succeeded(f"{2:024x}")]  # by position


def test_a_partial_replay_is_sent_again_whole():
    answers: list[Any] = [
        httpx.ReadTimeout("slow"),
        ok({"status": "success", "success_count": 2, "success_ids": ["1" * 24, "2" * 24]}),
    ]

    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        if answers:
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return created(b)

    conn, fake = connector(handler)
    with pytest.raises(AmbiguousError):
        conn.create_cards(items(3), CardStatus.ACTIVE, CHUNK_KEY)
    assert conn.create_cards(items(3)[2:], CardStatus.ACTIVE, CHUNK_KEY) == [
        Succeeded(f"{2:024x}")]
    bodies = fake.bodies("app/entry/data/batch_create")
    assert len(bodies) == 3 and len({b["transaction_id"] for b in bodies}) == 1
    assert all(len(b["data_list"]) == 3 for b in bodies)


# -- batch_update outcomes -----------------------------------------------------------------

def card_rec(no: str, cid: str, status: str) -> dict[str, Any]:
    return {"_id": cid, "studentInfo": no, "status": status, "openTime": "", "amount": 0}


@pytest.mark.parametrize("answer", ["fewer", "4001"])
def test_update_with_a_missing_card_reads_back_and_is_definite(answer):
    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        if e == "app/entry/data/batch_update":
            if answer == "4001":
                return err(4001)
            return ok({"status": "success", "success_count": 1})
        assert e == "app/entry/data/list"
        assert b["filter"]["cond"][0] == {"field": "studentInfo", "type": "text",
                                          "method": "in", "value": ["1", "2"]}
        return ok({"data": [card_rec("1", "x" * 24, "冻结")]})

    conn, fake = connector(handler)
    if answer == "4001":  # the whole request refused: the existing card is sent again
        def again(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
            if e == "app/entry/data/batch_update" and b["data_ids"] == ["x" * 24]:
                return ok({"status": "success", "success_count": 1})
            return handler(e, b, r)
        fake.handler = again
    results = conn.update_cards([CardUpdate("1", "x" * 24), CardUpdate("2", "y" * 24)],
                                CardStatus.FROZEN, CHUNK_KEY)
    assert results == [Succeeded("x" * 24), Failed("4001", "卡记录不存在")]


def test_update_still_unconfirmed_after_one_resend_is_ambiguous():
    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        if e == "app/entry/data/batch_update":
            return ok({"status": "success", "success_count": 0})
        return ok({"data": [card_rec("1", "x" * 24, "正常")]})

    conn, fake = connector(handler)
    with pytest.raises(AmbiguousError):
        conn.update_cards([CardUpdate("1", "x" * 24)], CardStatus.FROZEN, CHUNK_KEY)
    assert len(fake.bodies("app/entry/data/batch_update")) == 2


# -- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize(("response", "write", "kind", "code"), [
    (err(8303), True, RetryableError, "8303"),
    (err(8304), False, RetryableError, "8304"),
    (err(8301), True, FatalError, "8301"),
    (err(17024), True, FatalError, "17024"),
    (err(99999), True, FatalError, "99999"),
    (httpx.Response(401, text="no"), True, FatalError, "8301"),
    (httpx.Response(403, text="no"), True, FatalError, "8302"),
    (httpx.Response(429, json={"code": 429, "msg": "busy"}), True, RetryableError, "429"),
    (httpx.Response(502, text="<html>502 Bad Gateway</html>"), True, AmbiguousError, "http_502"),
    (httpx.Response(502, text="<html>502 Bad Gateway</html>"), False, RetryableError,
     "http_502"),
    (httpx.Response(500, json={"code": 500}), True, AmbiguousError, "http_500"),
    (httpx.Response(200, text="<!DOCTYPE html><html>忙</html>"), True, AmbiguousError,
     "http_200"),
    (httpx.Response(200, text="<!DOCTYPE html><html>忙</html>"), False, RetryableError,
     "http_200"),
    (httpx.Response(404, text="not found"), False, FatalError, "404"),
])
def test_answers_are_classified(response, write, kind, code):
    conn, fake = connector(lambda e, b, r: response, read_budget_s=1.5)
    with pytest.raises(ConnectorError) as info:
        if write:
            conn.create_cards(items(1), CardStatus.ACTIVE, CHUNK_KEY)
        else:
            conn.read_cards(["1"])
    assert type(info.value) is kind
    assert info.value.code == code
    if kind is RetryableError and not write:  # a read is retried within its time budget
        assert 2 <= len(fake.calls) <= 4
    else:
        assert len(fake.calls) == 1


def test_rate_limit_and_429_ask_to_wait():
    assert error_for_code(8303, "x").retry_after == 1.0  # type: ignore[attr-defined]
    conn, _ = connector(lambda e, b, r: httpx.Response(429, headers={"Retry-After": "3"}))
    with pytest.raises(RetryableError) as info:
        conn.create_cards(items(1), CardStatus.ACTIVE, CHUNK_KEY)
    assert info.value.retry_after == 3.0


def test_every_code_in_the_table_has_a_chinese_explanation():
    for code, info in CODES.items():
        error = error_for_code(code, "原文")
        assert error.code == str(code)
        assert info.message in error.message and "原文" in error.message
        assert {"retry": RetryableError, "fatal": FatalError,
                "reconcile": AmbiguousError}[info.action] is type(error)


def test_reads_are_retried_and_then_succeed():
    answers = [err(8304), httpx.Response(502, text="bad gateway")]
    sleeps: list[float] = []

    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else ok({"data": []})

    fake = FakeJdy(handler)
    conn = JiandaoyunConnector(
        OPTIONS, KEY, sleep=sleeps.append,
        client_factory=lambda u, t: httpx.Client(base_url=u,
                                                 transport=httpx.MockTransport(fake)))
    assert conn.list_rows() == []
    assert sleeps[0] >= 1.0  # 8304's retry_after
    assert len(fake.calls) == 4  # two forms, one answered after two retries


@pytest.mark.parametrize(("exc", "write", "kind", "code"), [
    (httpx.ConnectError("refused"), True, RetryableError, "network"),
    (httpx.ConnectTimeout("slow dns"), True, RetryableError, "network"),
    (httpx.PoolTimeout("pool"), True, RetryableError, "network"),
    (httpx.ReadTimeout("slow"), True, AmbiguousError, "timeout"),
    (httpx.ReadTimeout("slow"), False, RetryableError, "timeout"),
    (httpx.WriteTimeout("slow"), True, AmbiguousError, "timeout"),
    (httpx.RemoteProtocolError("closed"), True, AmbiguousError, "network"),
    (httpx.ReadError("reset"), True, AmbiguousError, "network"),
    (httpx.ReadError("reset"), False, RetryableError, "network"),
    (httpx.UnsupportedProtocol("ftp"), False, FatalError, "config"),
])
def test_transport_errors_are_classified_by_type(exc, write, kind, code):
    error = transport_error(exc, write=write, service="简道云")
    assert type(error) is kind and error.code == code
    assert str(exc) not in error.message  # never the exception's own text


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")])
def test_the_key_never_leaks_into_errors_or_logs(exc, caplog):
    caplog.set_level(logging.DEBUG)

    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        raise type(exc)(str(exc), request=r)

    conn, _ = connector(handler)
    with pytest.raises(ConnectorError) as info:
        conn.create_cards(items(1), CardStatus.ACTIVE, CHUNK_KEY)
    error = info.value
    assert error.__cause__ is None and error.__context__ is None  # no httpx request inside
    for text in (str(error), repr(error), error.message, repr(conn), caplog.text):
        assert KEY not in text


@pytest.mark.parametrize(("code", "area"), [
    (8301, "auth"), (17018, "auth"), (8302, "permission"), (17052, "permission"),
    (17053, "permission"), (17054, "permission"), (2004, "app"), (3000, "form"),
])
def test_check_connection_areas(code, area):
    conn, _ = connector(lambda e, b, r: err(code))
    with pytest.raises(ConnectorError) as info:
        conn.check_connection()
    assert info.value.code == area
    assert "连接测试失败" in info.value.message and str(code) in info.value.message


def test_check_connection_names_an_alias_to_use():
    widgets = [{"name": n, "widgetName": n, "label": n, "type": "text"}
               for n in ("student_no", "name", "college", "class_name", "student_status",
                         "studentInfo", "openTime", "amount")]
    widgets.append({"name": "card_state", "widgetName": "_widget_17", "label": "状态",
                    "type": "combo"})
    conn, _ = connector(lambda e, b, r: ok({"widgets": widgets}),
                        fields={"card_status": "_widget_17"})
    with pytest.raises(ConnectorError) as info:
        conn.check_connection()
    assert info.value.code == "field"
    assert "card_state" in info.value.message


# -- reading -------------------------------------------------------------------------------

def test_a_dropped_filter_is_rechecked_locally():
    rows = [card_rec("1", "1" * 24, "正常"), card_rec("9", "9" * 24, "正常")]
    conn, _ = connector(lambda e, b, r: ok({"data": rows}))
    assert set(conn.read_cards(["1"])) == {"1"}


def test_a_too_long_filter_is_halved():
    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        values = b["filter"]["cond"][0]["value"]
        if len(values) > 2:
            return err(4815)
        return ok({"data": [card_rec(v, v.rjust(24, "0"), "冻结") for v in values]})

    conn, fake = connector(handler)
    nos = [str(i) for i in range(7)]
    assert set(conn.read_cards(nos)) == set(nos)


def test_paging_uses_the_last_id_as_cursor_and_stops_on_a_short_page():
    def handler(e: str, b: dict[str, Any], r: httpx.Request) -> httpx.Response:
        if b["entry_id"] == "c" * 24:
            return ok({"data": []})
        start = int(b.get("data_id", "0" * 24), 16)
        n = min(100, 250 - start)
        return ok({"data": [{"_id": f"{start + i + 1:024x}", "student_no": str(start + i),
                             "student_status": "在读"} for i in range(n)]})

    conn, fake = connector(handler)
    assert len(conn.list_rows()) == 250
    pages = [b for b in fake.bodies("app/entry/data/list") if b["entry_id"] == "b" * 24]
    assert [p.get("data_id") for p in pages] == [None, f"{100:024x}", f"{200:024x}"]
    assert all(p["limit"] == 100 for p in pages)
    assert pages[0]["fields"] == ["student_no", "name", "college", "class_name",
                                  "student_status"]


def test_a_cursor_that_does_not_move_stops_the_listing():
    page = [{"_id": "0" * 24, "student_no": "1", "student_status": "在读"}] * 100
    conn, _ = connector(lambda e, b, r: ok({"data": page}))
    with pytest.raises(ConnectorError) as info:
        conn.list_rows()
    assert info.value.code == "paging"


def test_unknown_labels_are_left_out_with_a_warning():
    fm = FieldMap()
    students = [
        {"_id": "1", "student_no": "1", "student_status": "在读"},
        {"_id": "2", "student_no": "2", "student_status": "在校"},
        {"_id": "3", "student_no": "3", "student_status": ""},
        {"_id": "4", "student_no": "4", "student_status": "休学"},
    ]
    cards = [
        {"_id": "a", "studentInfo": "4", "status": "正常"},
        {"_id": "b", "studentInfo": "4", "status": "挂失"},  # newer, unknown: 4 left out
        {"_id": "c", "studentInfo": "1", "status": "冻结", "amount": 12.5,
         "openTime": "2024-09-01T00:00:00.000Z", "updateTime": "2024-09-02T00:00:00.000Z"},
    ]
    rows, warnings = join_rows(students, cards, fm)
    assert [r.student_no for r in rows] == ["1"]
    card = rows[0].card
    assert card is not None and card.status is CardStatus.FROZEN
    assert str(card.amount) == "12.5" and card.open_time == 1_725_148_800_000
    assert card.revision == "2024-09-02T00:00:00.000Z"
    text = "".join(warnings)
    assert "“在校”" in text and "挂失" in text and "2、3" in text


def test_a_wrong_status_mapping_is_an_error_not_an_empty_list():
    students = [{"_id": str(i), "student_no": str(i), "student_status": "在校"}
                for i in range(5)]
    with pytest.raises(ConnectorError) as info:
        join_rows(students, [], FieldMap())
    assert info.value.code == "label"


def test_the_current_card_is_the_earliest_live_one_else_the_newest():
    """core.cards.current_card: two live cards (a race two operators made) → the earliest;
    a newer 注销 record (a duplicate set to 注销, or a card replaced) does not hide it."""
    fm = FieldMap()
    student = [{"_id": "s", "student_no": "1", "student_status": "在读"}]
    cards = [
        {"_id": "b", "studentInfo": "1", "status": "正常", "createTime": "2024-01-02T00:00:00Z"},
        {"_id": "a", "studentInfo": "1", "status": "冻结", "createTime": "2024-01-03T00:00:00Z"},
        {"_id": "c", "studentInfo": "1", "status": "注销", "createTime": "2024-01-04T00:00:00Z"},
    ]
    rows, _ = join_rows(student, cards, fm)
    assert rows[0].card is not None and rows[0].card.card_id == "b"
    cancelled = [dict(c, status="注销") for c in cards]
    rows, _ = join_rows(student, cancelled, fm)
    assert rows[0].card is not None and rows[0].card.card_id == "c"  # none live: the newest
    same_time = [dict(c, createTime="2024-01-02T00:00:00Z") for c in cards[:2]]
    rows, _ = join_rows(student, same_time, fm)
    assert rows[0].card is not None and rows[0].card.card_id == "a"  # then by _id


def test_read_cards_refuses_to_guess_an_unknown_card_status():
    conn, _ = connector(lambda e, b, r: ok({"data": [card_rec("1", "x" * 24, "挂失")]}))
    with pytest.raises(ConnectorError) as info:
        conn.read_cards(["1"])
    assert info.value.code == "label"


# -- options, limits, factory --------------------------------------------------------------

@pytest.mark.parametrize("change", [
    {"app_id": ""}, {"students_entry": None}, {"base_url": "ftp://x"},
    {"batch_rps": 11}, {"enterprise_rps": 0}, {"timeout_s": "15"}, {"open_time_format": "s"},
    {"in_max_values": 201}, {"fields": {"student_no": ""}},
])
def test_bad_options_are_config_errors(change):
    with pytest.raises(ConfigError):
        JiandaoyunConnector({**OPTIONS, **change}, KEY)


def test_limits_follow_the_settings():
    conn = JiandaoyunConnector({**OPTIONS, "batch_rps": 8, "concurrency": 3}, KEY)
    assert isinstance(conn, Connector)
    assert conn.kind == "jiandaoyun"
    # the API paces its requests itself (batch_rps per batch endpoint): the runner adds no
    # second limit of its own
    assert (conn.limits.batch_size, conn.limits.requests_per_second,
            conn.limits.concurrency) == (99, 0.0, 3)
    assert conn.options.batch_rps == 8
    with pytest.raises(ConfigError):
        JiandaoyunConnector(OPTIONS, " ")
    conn.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.now += s


def test_rate_limiter_keeps_every_window_under_both_limits():
    clock = FakeClock()
    limiter = EndpointRateLimiter(5, margin_s=0.0, clock=clock, sleep=clock.sleep)
    limiter.add("batch", 2)
    limiter.add("list", 30)
    times = {"batch": [], "list": []}
    for endpoint in ["batch"] * 5 + ["list"] * 6:
        limiter.acquire(endpoint)
        times[endpoint].append(clock.now)
    assert times["batch"] == [0.0, 0.0, 1.0, 1.0, 2.0]
    everything = sorted(times["batch"] + times["list"])
    for i in range(len(everything) - 5):
        assert everything[i + 5] - everything[i] >= 1.0  # ≤ 5 in any 1 s window
    assert times["list"][-1] <= 3.0


def test_rate_limiter_margin_widens_the_window():
    clock = FakeClock()
    limiter = EndpointRateLimiter(50, margin_s=0.05, clock=clock, sleep=clock.sleep)
    limiter.add("batch", 10)
    for _ in range(21):
        limiter.acquire("batch")
    assert clock.now == pytest.approx(2.10)


def test_a_paced_endpoint_spreads_its_requests():
    """Batch writes leave window/rate apart rather than ten at once (a burst reaches the
    server with more spread than the margin covers), and never faster than the window."""
    clock = FakeClock()
    limiter = EndpointRateLimiter(50, margin_s=0.05, clock=clock, sleep=clock.sleep)
    limiter.add("batch", 10, paced=True)
    limiter.add("list", 30)
    starts = []
    for _ in range(21):
        limiter.acquire("batch")
        starts.append(clock.now)
    assert [round(b - a, 6) for a, b in zip(starts, starts[1:], strict=False)] == [0.105] * 20
    assert limiter.acquire("list") == 0.0  # another endpoint is not held up by the pacing
    limiter.add("batch", 10)  # no longer paced: the window alone
    clock.now += 5
    assert [limiter.acquire("batch") for _ in range(10)] == [0.0] * 10


def test_rate_limiter_never_overbooks_concurrent_callers_nor_holds_reads_behind_writes():
    """Grants are made only when a request may leave: eight threads never put more than the
    rate in any window, and a read is not queued behind paced writes waiting their turn."""
    import threading

    class SharedClock:
        def __init__(self) -> None:
            self.now = 0.0
            self.lock = threading.Lock()

        def __call__(self) -> float:
            with self.lock:
                return self.now

        def sleep(self, s: float) -> None:
            with self.lock:
                self.now += min(s, 0.01)  # time moves on in small steps while threads wait

    clock = SharedClock()
    limiter = EndpointRateLimiter(50, margin_s=0.0, clock=clock, sleep=clock.sleep)
    limiter.add("batch", 5, paced=True)
    grants: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            limiter.acquire("batch")
            with lock:
                grants.append(clock())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    grants.sort()
    assert len(grants) == 40
    # at most 5 in any window, each at least window/rate after the one before
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(grants, grants[5:], strict=False))
    assert all(b - a >= 0.2 - 1e-9 for a, b in zip(grants, grants[1:], strict=False))


def test_a_read_is_not_held_behind_a_write_waiting_for_its_slot():
    import threading

    now = [0.0]
    sleeping, release = threading.Event(), threading.Event()

    def sleep(s: float) -> None:
        if threading.current_thread().name == "writer":
            sleeping.set()
            release.wait(5)
        now[0] += s

    limiter = EndpointRateLimiter(50, margin_s=0.0, clock=lambda: now[0], sleep=sleep)
    limiter.add("batch", 1, paced=True)
    limiter.add("list", 30)
    assert limiter.acquire("batch") == 0.0
    writer = threading.Thread(target=limiter.acquire, args=("batch",), name="writer")
    writer.start()
    assert sleeping.wait(5)  # the second write waits a whole window for its slot
    assert limiter.acquire("list") == 0.0  # the read leaves at once meanwhile
    release.set()
    writer.join(5)
    assert not writer.is_alive() and now[0] == 1.0


def test_factory_opens_a_jiandaoyun_profile_with_its_key(paths):
    store = CredentialStore(MemoryKeyring())
    profile = Profile("学校简道云", "jiandaoyun", dict(OPTIONS))
    with pytest.raises(CredentialError):
        open_connector(profile, paths, store)
    store.set("学校简道云", KEY)
    conn = open_connector(profile, paths, store)
    assert isinstance(conn, JiandaoyunConnector)
    assert conn.options.app_id == "a" * 24
    conn.close()


def test_student_status_labels_are_mapped():
    fm = FieldMap()
    fm.student_status_labels[StudentStatus.ENROLLED] = "在校"
    rows, warnings = join_rows([{"_id": "1", "student_no": "1", "student_status": "在校"}],
                               [], fm)
    assert rows[0].student.status is StudentStatus.ENROLLED and warnings == []
