"""简道云 card history (issue 9: exactly once with two operators): every card record of a
student (``read_card_records``), the current card by ``core.cards.current_card``, and the
removal of duplicates (``remove_cards`` over ``batch_delete``) — over httpx.MockTransport for
the answers the sandbox does not give, and over the real loopback sandbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.connectors.base import CardCreate, CardHistory, Consistency
from campuscard_gui.core.cards import current_card, duplicates, survivor
from campuscard_gui.core.errors import AmbiguousError, ConnectorError, FatalError
from campuscard_gui.core.model import Card, CardStatus
from campuscard_gui.core.outcomes import Failed, Succeeded
from campuscard_gui.sandbox import JdySettings

KEY = "sk-test-0123456789abcdef"
OPTIONS = {"base_url": "https://jdy.example/api", "app_id": "a" * 24,
           "students_entry": "b" * 24, "cards_entry": "c" * 24}
DELETE = "app/entry/data/batch_delete"
GET = "app/entry/data/get"
LIST = "app/entry/data/list"

Answer = Callable[[list[str]], httpx.Response | None]


def rec(cid: str, no: str, status: str, created: str = "2024-09-01T00:00:00.000Z"
        ) -> dict[str, Any]:
    return {"_id": cid, "studentInfo": no, "status": status, "openTime": "", "amount": 0,
            "createTime": created, "updateTime": created}


def ok(payload: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=payload)


def err(code: int, status: int = 400) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "msg": "服务器说明"})


class FakeCards:
    """A cards form in memory behind list/get/batch_delete. ``on_delete(ids)`` may answer a
    batch_delete itself (an error, an odd answer) before the default (delete what exists,
    success_count = how many it deleted); ``keep`` ids are not deleted (and not counted)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = {r["_id"]: r for r in records}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.on_delete: Answer = lambda ids: None
        self.keep: set[str] = set()
        self.drops_system_fields = False  # a projection leaves createTime out

    def __call__(self, request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.removeprefix("/api/v5/")
        body = json.loads(request.content)
        self.calls.append((endpoint, body))
        if endpoint == LIST:
            if body["entry_id"] != OPTIONS["cards_entry"]:
                return ok({"data": []})  # no students
            rows = list(self.records.values())
            if "filter" in body:
                [cond] = body["filter"]["cond"]
                rows = [r for r in rows if r["studentInfo"] in cond["value"]]
            after = body.get("data_id")
            rows = [r for r in sorted(rows, key=lambda r: r["_id"])
                    if after is None or r["_id"] > after]
            if self.drops_system_fields and "fields" in body:
                rows = [{k: v for k, v in r.items() if not k.endswith("Time")} for r in rows]
            return ok({"data": rows[:body["limit"]]})
        if endpoint == GET:
            found = self.records.get(body["data_id"])
            return ok({"data": found}) if found is not None else err(4001)
        if endpoint == DELETE:
            ids = body["data_ids"]
            answer = self.on_delete(ids)
            if answer is not None:
                return answer
            gone = [i for i in dict.fromkeys(ids) if i in self.records and i not in self.keep]
            for i in gone:
                del self.records[i]
            return ok({"status": "success", "success_count": len(gone)})
        raise AssertionError(endpoint)

    def sent(self, endpoint: str) -> list[dict[str, Any]]:
        return [b for e, b in self.calls if e == endpoint]


def connector(fake: FakeCards, **options: Any) -> JiandaoyunConnector:
    def factory(url: str, timeout: float) -> httpx.Client:
        return httpx.Client(base_url=url, timeout=timeout, transport=httpx.MockTransport(fake))

    return JiandaoyunConnector({**OPTIONS, **options}, KEY, client_factory=factory,
                               sleep=lambda s: None)


def card(cid: str, no: str = "1", status: CardStatus = CardStatus.ACTIVE) -> Card:
    return Card(card_id=cid, student_no=no, status=status)


# -- the connector's promises ------------------------------------------------------------------

def test_consistency_and_card_history():
    conn = connector(FakeCards([]))
    assert conn.consistency == Consistency(conditional_updates=False,
                                           one_card_per_student=False, settle_s=60.0,
                                           open_time_resolution_ms=1000)
    assert isinstance(conn, CardHistory)


# -- read_card_records -------------------------------------------------------------------------

def test_read_card_records_gives_every_record_with_its_create_time():
    fake = FakeCards([
        rec("0002", "1", "注销", "2024-09-01T00:00:00.123Z"),
        rec("0003", "1", "正常", "2024-09-01T00:00:00.124Z"),
        rec("0004", "2", "冻结", "2024-09-02T08:00:00.000Z"),
        rec("0005", "3", "正常"),  # not asked for
    ])
    conn = connector(fake)
    found = conn.read_card_records(["1", "2", "1", "", "9"])
    assert {no: [(c.card_id, c.status, c.created) for c in cards]
            for no, cards in found.items()} == {
        "1": [("0002", CardStatus.CANCELLED, 1_725_148_800_123),
              ("0003", CardStatus.ACTIVE, 1_725_148_800_124)],
        "2": [("0004", CardStatus.FROZEN, 1_725_264_000_000)],
    }
    [body] = fake.sent(LIST)
    assert body["filter"] == {"rel": "and", "cond": [
        {"field": "studentInfo", "type": "text", "method": "in", "value": ["1", "2", "9"]}]}
    assert "createTime" in body["fields"]


def test_without_create_time_in_a_projection_whole_records_are_read():
    fake = FakeCards([rec("0001", "1", "正常", "2024-09-01T00:00:00.005Z")])
    fake.drops_system_fields = True
    conn = connector(fake, list_cursors=1)  # one cursor a form: the reads counted below
    for _ in range(2):
        [found] = conn.read_card_records(["1"])["1"]
        assert found.created == 1_725_148_800_005
    assert ["fields" in b for b in fake.sent(LIST)] == [True, False, False]
    rows = conn.list_rows()  # no students: the cards are still read whole
    cards_reads = [b for b in fake.sent(LIST) if b["entry_id"] == OPTIONS["cards_entry"]]
    assert rows == [] and len(cards_reads) == 4 and "fields" not in cards_reads[-1]


def test_read_card_records_refuses_to_guess_an_unknown_status():
    conn = connector(FakeCards([rec("0001", "1", "正常"), rec("0002", "1", "挂失")]))
    with pytest.raises(ConnectorError) as info:
        conn.read_card_records(["1"])
    assert info.value.code == "label" and "挂失" in info.value.message


def test_read_card_records_in_chunks_of_the_in_limit():
    fake = FakeCards([rec(f"{i:04d}", str(i), "正常") for i in range(5)])
    conn = connector(fake, in_max_values=2, concurrency=1)
    found = conn.read_card_records([str(i) for i in range(5)])
    assert sorted(found) == [str(i) for i in range(5)]
    assert [b["filter"]["cond"][0]["value"] for b in fake.sent(LIST)] == [
        ["0", "1"], ["2", "3"], ["4"]]


# -- the current card --------------------------------------------------------------------------

def test_a_newer_cancelled_duplicate_does_not_hide_the_live_card():
    fake = FakeCards([
        rec("0001", "1", "正常", "2024-09-01T00:00:00.000Z"),
        rec("0002", "1", "注销", "2024-09-01T00:00:00.001Z"),  # newer, set aside
        rec("0003", "2", "注销", "2024-09-01T00:00:00.000Z"),
        rec("0004", "2", "注销", "2024-09-03T00:00:00.000Z"),  # none live: the newest
        rec("0006", "3", "冻结", "2024-09-02T00:00:00.000Z"),
        rec("0005", "3", "正常", "2024-09-02T00:00:00.000Z"),  # same time: the lower id
    ])
    conn = connector(fake)
    current = conn.read_cards(["1", "2", "3"])
    assert {no: c.card_id for no, c in current.items()} == {"1": "0001", "2": "0004",
                                                            "3": "0005"}
    records = conn.read_card_records(["1", "2", "3"])
    assert {no: current_card(cards) for no, cards in records.items()} == current


# -- remove_cards ------------------------------------------------------------------------------

def test_remove_cards_deletes_in_one_request_when_confirmed():
    fake = FakeCards([rec("0001", "1", "正常"), rec("0002", "1", "正常")])
    conn = connector(fake)
    assert conn.remove_cards([]) == []
    assert fake.calls == []
    cards = [card("0002"), card("0002")]  # the same card twice: sent once
    assert conn.remove_cards(cards) == [Succeeded("0002"), Succeeded("0002")]
    assert fake.calls == [(DELETE, {"app_id": "a" * 24, "entry_id": "c" * 24,
                                    "data_ids": ["0002"]})]
    assert set(fake.records) == {"0001"}


def test_already_deleted_or_no_longer_live_cards_count_as_removed():
    """success_count below the ids sent: each is read back by id."""
    fake = FakeCards([rec("0003", "1", "正常"), rec("0004", "2", "注销")])
    fake.keep = {"0004"}  # still there, 注销 (someone set it aside)
    conn = connector(fake)
    results = conn.remove_cards([card("0002"), card("0003"), card("0004", "2")])
    assert results == [Succeeded("0002"), Succeeded("0003"), Succeeded("0004")]
    assert len(fake.sent(DELETE)) == 1
    assert sorted(b["data_id"] for b in fake.sent(GET)) == ["0002", "0003", "0004"]


def test_a_4001_for_the_whole_request_is_settled_by_reading_back():
    """If a missing id fails the whole request (UNCONFIRMED), the cards still there are
    deleted once more without it."""
    fake = FakeCards([rec("0003", "1", "正常"), rec("0005", "2", "冻结")])
    fake.on_delete = lambda ids: err(4001) if any(i not in fake.records for i in ids) else None
    conn = connector(fake)
    results = conn.remove_cards([card("0002"), card("0003"), card("0005", "2")])
    assert results == [Succeeded("0002"), Succeeded("0003"), Succeeded("0005")]
    assert [b["data_ids"] for b in fake.sent(DELETE)] == [["0002", "0003", "0005"],
                                                          ["0003", "0005"]]
    assert fake.records == {}


def test_a_card_still_live_after_the_resend_fails():
    fake = FakeCards([rec("0003", "1", "正常"), rec("0004", "1", "挂失")])
    fake.keep = {"0003", "0004"}
    conn = connector(fake)
    results = conn.remove_cards([card("0003"), card("0004")])
    assert [type(r) for r in results] == [Failed, Failed]
    assert isinstance(results[0], Failed) and results[0].code == "not_removed"
    assert "0003" in results[0].message
    assert isinstance(results[1], Failed) and results[1].code == "label"
    assert "挂失" in results[1].message
    assert len(fake.sent(DELETE)) == 2  # the first request and one resend
    assert KEY not in repr(results)


def test_over_the_count_limit_the_request_is_halved():
    fake = FakeCards([rec(f"{i:04d}", str(i), "正常") for i in range(40)])
    fake.on_delete = lambda ids: err(17033) if len(ids) > 15 else None
    conn = connector(fake)
    cards = [card(f"{i:04d}", str(i)) for i in range(40)]
    assert conn.remove_cards(cards) == [Succeeded(c.card_id) for c in cards]
    assert [len(b["data_ids"]) for b in fake.sent(DELETE)] == [40, 20, 10, 10, 20, 10, 10]
    assert fake.records == {}


def test_more_than_a_hundred_cards_take_several_requests():
    fake = FakeCards([rec(f"{i:04d}", str(i), "正常") for i in range(230)])
    conn = connector(fake)
    cards = [card(f"{i:04d}", str(i)) for i in range(230)]
    assert conn.remove_cards(cards) == [Succeeded(c.card_id) for c in cards]
    assert [len(b["data_ids"]) for b in fake.sent(DELETE)] == [99, 99, 32]  # the batch size
    assert connector(fake, batch_size=40).remove_cards(cards[:1]) == [Succeeded("0000")]


def test_rate_limits_and_a_busy_form_are_retried_in_place():
    fake = FakeCards([rec("0001", "1", "正常")])
    refusals = [err(8304), err(8303), httpx.Response(429), err(4012)]
    fake.on_delete = lambda ids: refusals.pop(0) if refusals else None
    conn = connector(fake, read_budget_s=30)
    assert conn.remove_cards([card("0001")]) == [Succeeded("0001")]
    assert len(fake.sent(DELETE)) == 5 and fake.sent(GET) == []


@pytest.mark.parametrize("first", [err(502, 502), httpx.Response(200, text="<html>"),
                                   ok({"status": "success"})])
def test_an_unanswered_or_unclear_delete_is_read_back(first):
    fake = FakeCards([rec("0001", "1", "正常"), rec("0002", "2", "正常")])
    answers = [first]
    fake.on_delete = lambda ids: answers.pop(0) if answers else None
    conn = connector(fake)
    assert conn.remove_cards([card("0001"), card("0002", "2")]) == [
        Succeeded("0001"), Succeeded("0002")]
    assert len(fake.sent(DELETE)) == 2 and len(fake.sent(GET)) == 2
    assert fake.records == {}


def test_a_resend_without_an_answer_fails_the_whole_call():
    fake = FakeCards([rec("0001", "1", "正常")])
    fake.on_delete = lambda ids: err(502, 502)
    conn = connector(fake)
    with pytest.raises(AmbiguousError):
        conn.remove_cards([card("0001")])
    assert len(fake.sent(DELETE)) == 2


@pytest.mark.parametrize("code", [8301, 3000, 17054])
def test_a_refused_delete_raises(code):
    fake = FakeCards([rec("0001", "1", "正常")])
    fake.on_delete = lambda ids: err(code)
    with pytest.raises(FatalError) as info:
        connector(fake).remove_cards([card("0001")])
    assert info.value.code == str(code)


def test_a_card_without_an_id_is_not_sent():
    fake = FakeCards([])
    assert connector(fake).remove_cards([card("")]) == [
        Failed("bad_request", "卡记录编号为空，无法删除")]
    assert fake.calls == []


# -- over the real loopback sandbox --------------------------------------------------------------

def test_sandbox_create_times_follow_creation_order(jdy_sandbox, connect, caplog):
    """Cards created by separate requests have distinct createTimes in creation order; the
    cards of one request share one and their ids follow the batch's order. The projection
    asked for keeps createTime (no fallback to whole records)."""
    sb = jdy_sandbox(students=20)
    conn = connect(sb)
    nos = [r.student_no for r in conn.list_rows()[:6]]
    made: list[str] = []
    for key in ("k1", "k2", "k3"):
        results = conn.create_cards([CardCreate(no) for no in nos[:3]], CardStatus.ACTIVE, key)
        made += [r.card_id for r in results]
    records = conn.read_card_records(nos[:3])
    every = sorted((c for cards in records.values() for c in cards),
                   key=lambda c: (c.created or 0, c.card_id))
    assert [c.card_id for c in every] == sorted(made)
    assert all(c.created is not None for c in every)
    times = sorted({c.created for c in every})
    assert len(times) == 3  # one per request, increasing
    assert "createTime was left out" not in caplog.text
    raw = {r["_id"]: r["createTime"] for r in sb.control.records("cards")}
    assert all(len(t) == 24 and t.endswith("Z") for t in raw.values())  # …ss.sssZ


def test_sandbox_a_newer_cancelled_record_keeps_the_live_card_current(jdy_sandbox, connect):
    sb = jdy_sandbox(students=10)
    conn = connect(sb)
    no = conn.list_rows()[0].student_no
    [live] = conn.create_cards([CardCreate(no)], CardStatus.ACTIVE, "k-live")
    [dead] = conn.create_cards([CardCreate(no)], CardStatus.CANCELLED, "k-dead")
    assert isinstance(live, Succeeded) and isinstance(dead, Succeeded)
    assert conn.read_cards([no])[no].card_id == live.card_id
    row = next(r for r in conn.list_rows() if r.student_no == no)
    assert row.card is not None and row.card.card_id == live.card_id
    records = conn.read_card_records([no])[no]
    assert duplicates(records) == [] and survivor(records) == conn.read_cards([no])[no]


@pytest.mark.parametrize("missing", ["count", "error"])
def test_sandbox_remove_cards_whatever_a_missing_id_does(jdy_sandbox, connect, missing):
    """Half the duplicates were already removed by the other operator: whether a missing id
    lowers success_count or fails the request, every duplicate ends removed."""
    sb = jdy_sandbox(students=30, settings=JdySettings(missing_ids=missing))
    conn = connect(sb)
    nos = [r.student_no for r in conn.list_rows()[:8]]
    conn.create_cards([CardCreate(no) for no in nos], CardStatus.ACTIVE, "k-a")
    conn.create_cards([CardCreate(no) for no in nos], CardStatus.ACTIVE, "k-b")
    records = conn.read_card_records(nos)
    extra = [c for no in nos for c in duplicates(records[no])]
    assert len(extra) == 8
    assert conn.remove_cards(extra[::2]) == [Succeeded(c.card_id) for c in extra[::2]]
    assert conn.remove_cards(extra) == [Succeeded(c.card_id) for c in extra]
    assert sb.control.cards_by_student() == {no: 1 for no in nos}
    kept = {no: survivor(records[no]) for no in nos}
    assert conn.read_cards(nos) == kept


def test_sandbox_over_the_count_limit_is_split(jdy_sandbox, connect):
    sb = jdy_sandbox(students=40, settings=JdySettings(batch_max=10))
    conn = connect(sb, batch_size=10)
    nos = [r.student_no for r in conn.list_rows()[:25]]
    made = []
    for start in range(0, 25, 10):
        part = [CardCreate(no) for no in nos[start:start + 10]]
        made += conn.create_cards(part, CardStatus.ACTIVE, f"k{start}")
    cards = [card(r.card_id, no) for r, no in zip(made, nos, strict=True)]
    sb.control.reset_counters()
    wide = connect(sb)  # batch_size 100: the sandbox answers 17033 until the request fits
    assert wide.remove_cards(cards) == [Succeeded(c.card_id) for c in cards]
    assert sb.control.cards_by_student() == {}
    assert sb.control.counters().requests[DELETE] == 7  # 25 → 12+13 → 6+6, 6+7


@pytest.mark.parametrize("kind", ["5xx", "drop", "timeout", "malformed", "html", "ratelimit"])
def test_sandbox_faults_on_batch_delete_still_remove_every_duplicate(jdy_sandbox, connect,
                                                                     kind):
    sb = jdy_sandbox(students=20, settings=JdySettings(fault_timeout_s=1.0))
    # every delete refused: the retries in place give up after a short budget
    conn = connect(sb, timeout_s=0.3, read_budget_s=3)
    nos = [r.student_no for r in conn.list_rows()[:5]]
    conn.create_cards([CardCreate(no) for no in nos], CardStatus.ACTIVE, "k-a")
    conn.create_cards([CardCreate(no) for no in nos], CardStatus.ACTIVE, "k-b")
    records = conn.read_card_records(nos)
    extra = [c for no in nos for c in duplicates(records[no])]
    sb.control.set_faults([kind], 1.0, endpoints=[DELETE])
    try:
        first = conn.remove_cards(extra)
    except ConnectorError:
        first = None  # the resend met the fault too: the runner retries the whole call
    sb.control.clear_faults()
    results = conn.remove_cards(extra) if first is None else first
    assert results == [Succeeded(c.card_id) for c in extra]
    assert sb.control.cards_by_student() == {no: 1 for no in nos}
