"""神笔 and iPaaS card history (issue 9: exactly once with two operators): every card record of
a student (``read_card_records``), the current card by ``core.cards.current_card``, the removal
of duplicates (``remove_cards``: set to 注销 or deleted, per ``remove_mode``), the in-run settle
that agrees with the runner's, and the gateway's "no 成功 without evidence" — over
httpx.MockTransport for the answers the sandbox does not give, and over the real loopback
sandbox through the real BatchRunner."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from jdy_helpers import FAST_RETRY, assert_definite, run_action

from campuscard_gui.backends.ipaas.connector import IpaasConnector
from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.batch.journal import Journal
from campuscard_gui.batch.runner import BatchRunner, chunk_size_for
from campuscard_gui.connectors.base import CardCreate, CardHistory, Consistency
from campuscard_gui.connectors.http import make_client
from campuscard_gui.core.cards import current_card, duplicates, survivor
from campuscard_gui.core.errors import (
    AmbiguousError,
    ConfigError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from campuscard_gui.core.model import Action, Card, CardStatus
from campuscard_gui.core.outcomes import (
    Failed,
    OutcomeKind,
    Skipped,
    SkipReason,
    Succeeded,
)
from campuscard_gui.core.plan import plan_action
from campuscard_gui.sandbox import ShenbiSettings

AK, SK = "AKIDunit0001", "SKunit-secret-0001"
CODES = {"正常": 20001, "冻结": 20002, "注销": 20003}
FAST = {"requests_per_second": 200}
T0 = 1_725_148_800_000

Hook = Callable[[dict[str, Any]], httpx.Response | None]


def ok(data: Any) -> httpx.Response:
    return httpx.Response(200, json={"Response": {"Data": data, "RequestId": "0123456789abcdef"}})


def error(code: str, message: str = "m") -> httpx.Response:
    return httpx.Response(200, json={
        "Response": {"Error": {"Code": code, "Message": message}, "RequestId": "feedc0de"}})


def card(ident: str, no: str, status: str, created: int = T0, opened: int = T0
         ) -> dict[str, Any]:
    return {"Id": ident, "student": no, "status": status, "created": created,
            "opened": opened}


class FakeShenbi:
    """A cards object in memory behind the OpenAPI actions the connector calls; cards link by
    学号 (``student_link`` "student_no"). ``on[action](body)`` may answer a call itself first;
    ``keep`` Ids are left as they are by a write (and still answered as written)."""

    def __init__(self, cards: list[dict[str, Any]]) -> None:
        self.cards = {c["Id"]: dict(c) for c in cards}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.on: dict[str, Hook] = {}
        self.keep: set[str] = set()

    def render(self, c: dict[str, Any]) -> dict[str, Any]:
        status = c["status"]
        return {"Id": c["Id"], "Entity": "card", "MainField": c["Id"], "FieldValue": {
            "studentInfo": {"Value": c["student"], "DisplayValue": c["student"]},
            "status": {"Value": [CODES.get(status, 29999)], "DisplayValue": [status]},
            "openTime": {"Value": c["opened"], "DisplayValue": c["opened"]},
            "amount": {"Value": "0", "DisplayValue": "0"},
            "CreatedTime": {"Value": c["created"], "DisplayValue": c["created"]},
            "UpdatedTime": {"Value": c["created"], "DisplayValue": c["created"]}}}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        action = request.headers["X-TC-Action"]
        body = json.loads(request.content)
        self.calls.append((action, body))
        hook = self.on.get(action)
        try:
            answer = hook(body) if hook is not None else None
        except httpx.ReadTimeout as exc:  # as a transport raises it: with its request
            raise httpx.ReadTimeout(str(exc), request=request) from None
        if answer is not None:
            return answer
        if action == "DescribeEntityRecords":
            wanted = {c["Value"] for c in body["Filter"]["Children"]}
            recs = [self.render(c) for c in self.cards.values() if c["student"] in wanted]
            return ok({"EntityRecordSet": recs, "TotalCount": len(recs)})
        if action == "DescribeEntityRecordsById":
            recs = [self.render(self.cards[i]) for i in body["Ids"] if i in self.cards]
            return ok({"EntityRecordSet": recs, "TotalCount": len(recs)})
        missing = [i for i in body["Ids"] if i not in self.cards]
        if missing:
            return error("ResourceNotFound.Record", f"记录 {missing[0]} 不存在")
        for n, ident in enumerate(body["Ids"]):
            if ident in self.keep:
                continue
            if "Values" not in body:  # the delete action, whatever its name
                del self.cards[ident]
            else:
                self.cards[ident]["status"] = body["Values"][n][0][0]
        return ok({"Ids": body["Ids"]})

    def actions(self) -> list[str]:
        return [a for a, _b in self.calls]


def connector(fake: Any, **extra: Any) -> ShenbiConnector:
    transport = httpx.MockTransport(fake)
    options = {"base_url": "https://tenant.example.com/openapi", "app_code": "campus",
               "students_object": "student", "cards_object": "card",
               "student_link": "student_no", **extra}
    return ShenbiConnector(options, AK, SK, sleep=lambda s: None,
                           client_factory=lambda u, t: make_client(u, t, transport=transport))


def as_card(c: dict[str, Any]) -> Card:
    return Card(c["Id"], c["student"], CardStatus(c["status"]), created=c["created"])


# -- the interface ------------------------------------------------------------------------------

def test_consistency_and_card_history():
    conn = connector(FakeShenbi([]), settle_s=45)
    assert conn.consistency == Consistency(conditional_updates=False,
                                           one_card_per_student=False, settle_s=45.0,
                                           open_time_resolution_ms=1)
    assert isinstance(conn, CardHistory)
    gateway = IpaasConnector({"gateway_url": "https://gw.example.com/flow", "read_profile": "sb",
                              "settle_s": 90}, "", conn)
    assert gateway.consistency == Consistency(False, False, settle_s=90.0)
    assert isinstance(gateway, CardHistory)
    gateway.close()


def test_the_gateway_reads_through_a_profile_that_has_the_card_history():
    class NoHistory:  # e.g. a kintone profile: it keeps one card per student
        def read_cards(self, nos: Any) -> dict[str, Card]:
            return {}

        def card_history(self) -> None:
            return None

    with pytest.raises(ConfigError):
        IpaasConnector({"gateway_url": "https://gw.example.com/flow", "read_profile": "x"}, "",
                       NoHistory())  # type: ignore[arg-type]


# -- reading ------------------------------------------------------------------------------------

def test_read_card_records_gives_every_record_with_its_create_time():
    fake = FakeShenbi([card("101", "S1", "正常", T0), card("102", "S1", "注销", T0 + 5),
                       card("103", "S1", "冻结", T0 + 9), card("201", "S2", "注销", T0 + 1),
                       card("301", "S9", "正常")])
    records = connector(fake).read_card_records(["S1", "S2", "S3", "S1", ""])
    assert {no: [(c.card_id, c.status, c.created) for c in cs] for no, cs in records.items()} == {
        "S1": [("101", CardStatus.ACTIVE, T0), ("102", CardStatus.CANCELLED, T0 + 5),
               ("103", CardStatus.FROZEN, T0 + 9)],
        "S2": [("201", CardStatus.CANCELLED, T0 + 1)]}
    (action, body), = fake.calls
    assert action == "DescribeEntityRecords"
    assert body["Filter"] == {"Connector": "OR", "Children": [
        {"Field": "studentInfo", "Operator": "EQ", "Value": no} for no in ("S1", "S2", "S3")]}


def test_read_card_records_refuses_to_guess_an_unknown_status():
    fake = FakeShenbi([card("101", "S1", "正常"), card("102", "S1", "挂失", T0 + 1)])
    with pytest.raises(ConnectorError) as err:
        connector(fake).read_card_records(["S1"])
    assert err.value.code == "label" and "挂失" in err.value.message


def test_a_newer_cancelled_duplicate_does_not_hide_the_live_card():
    """The earliest live card counts (a duplicate we set to 注销 is newer); with no live card,
    the newest record; equal create times are ordered by Id, numbers by value."""
    fake = FakeShenbi([card("101", "S1", "正常", T0), card("102", "S1", "注销", T0 + 5),
                       card("201", "S2", "注销", T0), card("202", "S2", "注销", T0 + 1),
                       card("10", "S3", "冻结", T0), card("9", "S3", "正常", T0)])
    conn = connector(fake)
    now = conn.read_cards(["S1", "S2", "S3"])
    assert {no: c.card_id for no, c in now.items()} == {"S1": "101", "S2": "202", "S3": "9"}
    records = conn.read_card_records(["S1", "S2", "S3"])
    assert {no: current_card(cs) for no, cs in records.items()} == now


# -- removing duplicates ------------------------------------------------------------------------

def test_cancel_mode_sets_duplicates_to_cancelled_and_reads_them_back():
    fake = FakeShenbi([card("101", "S1", "正常"), card("102", "S1", "正常", T0 + 5),
                       card("201", "S2", "冻结"), card("202", "S2", "冻结", T0 + 5)])
    conn = connector(fake)
    extra = [c for cs in conn.read_card_records(["S1", "S2"]).values() for c in duplicates(cs)]
    assert [c.card_id for c in extra] == ["102", "202"]
    assert conn.remove_cards(extra) == [Succeeded("102"), Succeeded("202")]
    assert fake.actions()[1:] == ["ModifyEntityRecords", "DescribeEntityRecordsById"]
    assert fake.calls[1][1] == {"AppCode": "campus", "Entity": "card", "Ids": ["102", "202"],
                                "Fields": ["status"], "Values": [[["注销"]], [["注销"]]]}
    assert {i: c["status"] for i, c in fake.cards.items()} == {
        "101": "正常", "102": "注销", "201": "冻结", "202": "注销"}
    assert {no: c.card_id for no, c in conn.read_cards(["S1", "S2"]).items()} == {
        "S1": "101", "S2": "201"}


def test_delete_mode_deletes_duplicates_with_the_delete_action():
    fake = FakeShenbi([card("101", "S1", "正常"), card("102", "S1", "正常", T0 + 5)])
    conn = connector(fake, remove_mode="delete", action_delete="RemoveEntityRecords")
    assert conn.remove_cards([as_card(fake.cards["102"])]) == [Succeeded("102")]
    assert fake.actions() == ["RemoveEntityRecords", "DescribeEntityRecordsById"]
    assert fake.calls[0][1] == {"AppCode": "campus", "Entity": "card", "Ids": ["102"]}
    assert set(fake.cards) == {"101"}


@pytest.mark.parametrize("mode", ["cancel", "delete"])
def test_cards_already_removed_by_another_writer_count_as_removed(mode):
    """One duplicate is gone (the other operator deleted it), one is already 注销, one is
    live: the call refused for the missing Id is read back and sent again without it."""
    fake = FakeShenbi([card("102", "S1", "注销", T0 + 5), card("202", "S2", "正常", T0 + 5)])
    conn = connector(fake, remove_mode=mode)
    gone = Card("302", "S3", CardStatus.ACTIVE, created=T0 + 5)
    cards = [as_card(fake.cards["102"]), gone, as_card(fake.cards["202"])]
    assert conn.remove_cards(cards) == [Succeeded("102"), Succeeded("302"), Succeeded("202")]
    write = "ModifyEntityRecords" if mode == "cancel" else "DeleteEntityRecords"
    assert fake.actions() == [write, "DescribeEntityRecordsById", write,
                              "DescribeEntityRecordsById"]
    assert fake.calls[2][1]["Ids"] == ["202"]  # only the live one once more
    assert fake.cards.get("202", {"status": "gone"})["status"] in ("注销", "gone")


@pytest.mark.parametrize("mode", ["cancel", "delete"])
def test_a_card_still_live_after_its_removal_fails(mode):
    fake = FakeShenbi([card("101", "S1", "正常"), card("102", "S1", "正常", T0 + 5)])
    fake.keep = {"102"}
    results = connector(fake, remove_mode=mode).remove_cards([as_card(fake.cards["102"])])
    assert isinstance(results[0], Failed) and results[0].code == "not_removed"
    assert "102" in results[0].message


def test_an_unsupported_delete_says_to_cancel_instead():
    fake = FakeShenbi([card("102", "S1", "正常")])
    fake.on["DeleteEntityRecords"] = lambda body: error("InvalidAction", "接口不存在")
    with pytest.raises(FatalError) as err:
        connector(fake, remove_mode="delete").remove_cards([as_card(fake.cards["102"])])
    assert err.value.code == "InvalidAction"
    assert "remove_mode" in err.value.message and "cancel" in err.value.message
    assert SK not in err.value.message


@pytest.mark.parametrize("mode", ["cancel", "delete"])
def test_a_removal_without_an_answer_raises_for_the_runner_to_repeat(mode):
    fake = FakeShenbi([card("102", "S1", "正常")])

    def timeout(body: dict[str, Any]) -> httpx.Response:
        raise httpx.ReadTimeout("no answer")

    fake.on["ModifyEntityRecords"] = fake.on["DeleteEntityRecords"] = timeout
    with pytest.raises(AmbiguousError):
        connector(fake, remove_mode=mode).remove_cards([as_card(fake.cards["102"])])


def test_a_card_without_an_id_is_not_sent():
    fake = FakeShenbi([])
    results = connector(fake).remove_cards([Card("", "S1", CardStatus.ACTIVE)])
    assert isinstance(results[0], Failed) and results[0].code == "bad_request"
    assert fake.calls == []


def test_remove_mode_is_validated():
    with pytest.raises(ConfigError) as err:
        connector(FakeShenbi([]), remove_mode="purge")
    assert "remove_mode" in err.value.message


# -- the in-run settle agrees with the runner's --------------------------------------------------

def test_the_in_run_settle_counts_from_the_send_and_tells_ours_from_someone_elses():
    """A create is sent at t=100 and times out at t=130. Resent at t=150 with settle_s 60, the
    chunk waits until t=160 (from the send, as the runner counts from the journal's send time)
    and reads every card record back: S1's card with the chunk's open time landed late (ours),
    S2 has someone else's card (another open time), only S3 is created."""
    now = [0.0]
    fake = FakeShenbi([])
    opened = T0 + 123

    def create(body: dict[str, Any]) -> httpx.Response:
        if len([a for a in fake.actions() if a == "CreateEntityRecords"]) == 1:
            now[0] = 130.0
            fake.cards["901"] = card("901", "S1", "正常", T0 + 200, opened)
            fake.cards["902"] = card("902", "S2", "正常", T0 + 100, opened - 7)
            raise httpx.ReadTimeout("no answer")
        assert [row[0] for row in body["Values"]] == ["S3"]
        return ok({"Ids": ["903"]})

    fake.on["CreateEntityRecords"] = create
    transport = httpx.MockTransport(fake)
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    conn = ShenbiConnector(
        {"base_url": "https://tenant.example.com/openapi", "app_code": "campus",
         "students_object": "student", "cards_object": "card", "student_link": "student_no",
         "settle_s": 60},
        AK, SK, sleep=sleep, clock=lambda: now[0],
        client_factory=lambda u, t: make_client(u, t, transport=transport))
    items = [CardCreate("S1", "", opened), CardCreate("S2", "", opened),
             CardCreate("S3", "", opened)]
    now[0] = 100.0
    with pytest.raises(AmbiguousError):
        conn.create_cards(items, CardStatus.ACTIVE, "chunk-1")
    now[0] = 150.0
    assert conn.create_cards(items, CardStatus.ACTIVE, "chunk-1") == [
        Succeeded("901"), Skipped(SkipReason.OPENED_BY_OTHER, "902"), Succeeded("903")]
    assert [s for s in slept if s >= 1] == [10.0]
    # the memory is spent: a third send of the chunk neither waits nor reads first
    fake.on["CreateEntityRecords"] = lambda body: ok({"Ids": ["904", "905", "906"]})
    before = len(fake.calls)
    conn.create_cards(items, CardStatus.ACTIVE, "chunk-1")
    assert fake.actions()[before:] == ["CreateEntityRecords"]
    conn.close()


def test_after_the_runners_own_settle_the_connector_does_not_wait_again():
    now = [0.0]
    fake = FakeShenbi([])
    sends = {"n": 0}

    def create(body: dict[str, Any]) -> httpx.Response:
        sends["n"] += 1
        if sends["n"] == 1:
            now[0] += 30  # the timeout
            raise httpx.ReadTimeout("no answer")
        return ok({"Ids": ["903"]})

    fake.on["CreateEntityRecords"] = create
    transport = httpx.MockTransport(fake)
    slept: list[float] = []
    conn = ShenbiConnector(
        {"base_url": "https://tenant.example.com/openapi", "app_code": "campus",
         "students_object": "student", "cards_object": "card", "student_link": "student_no",
         "settle_s": 60},
        AK, SK, sleep=slept.append, clock=lambda: now[0],
        client_factory=lambda u, t: make_client(u, t, transport=transport))
    items = [CardCreate("S3", "", T0)]
    now[0] = 100.0
    with pytest.raises(AmbiguousError):
        conn.create_cards(items, CardStatus.ACTIVE, "chunk-1")
    now[0] = 160.5  # the runner waited settle_s from its own (earlier) send time
    assert conn.create_cards(items, CardStatus.ACTIVE, "chunk-1") == [Succeeded("903")]
    assert [s for s in slept if s >= 1] == []
    conn.close()


# -- the gateway: no 成功 without evidence --------------------------------------------------------

class Reader:
    """A 神笔 side for the gateway connector that records what is asked of it."""

    list_warnings: list[str] = []

    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []

    def read_cards(self, nos: Any) -> dict[str, Card]:
        self.asked.append(("read_cards", list(nos)))
        return {}

    def card_history(self) -> Reader:
        return self

    def check_connection(self) -> None:
        self.asked.append(("check_connection", None))

    def read_card_records(self, nos: Any) -> dict[str, list[Card]]:
        self.asked.append(("read_card_records", list(nos)))
        return {"S1": [Card("C1", "S1", CardStatus.ACTIVE, created=T0)]}

    def remove_cards(self, cards: Any) -> list[Any]:
        self.asked.append(("remove_cards", [c.card_id for c in cards]))
        return [Succeeded(c.card_id) for c in cards]

    def close(self) -> None:
        pass


def gateway(answer: Callable[[], httpx.Response], reader: Any = None) -> IpaasConnector:
    transport = httpx.MockTransport(lambda request: answer())
    return IpaasConnector({"gateway_url": "https://gw.example.com/flow", "read_profile": "sb"},
                          "", reader or Reader(),
                          client_factory=lambda u, t: make_client(u, t, transport=transport))


ITEMS = [CardCreate("S1", "11"), CardCreate("S2", "22")]


@pytest.mark.parametrize("payload", [
    {}, {"code": 0, "message": "success"}, {"code": "0"}, {"result": "ok", "count": 2},
    {"Response": {"Data": {}, "RequestId": "r"}}, {"Response": {"RequestId": "r"}},
])
def test_an_answer_without_card_ids_proves_nothing(payload):
    conn = gateway(lambda: httpx.Response(200, json=payload))
    assert conn.create_cards(ITEMS, CardStatus.ACTIVE, "k") == [Succeeded(""), Succeeded("")]
    conn.close()


def test_only_the_flows_passed_through_ids_name_the_cards():
    conn = gateway(lambda: ok({"Ids": ["C1", 1458712091891462200]}))
    assert conn.create_cards(ITEMS, CardStatus.ACTIVE, "k") == [
        Succeeded("C1"), Succeeded("1458712091891462200")]
    conn.close()


@pytest.mark.parametrize("answer, kind", [
    (lambda: error("ResourceNotFound.Record"), FatalError),
    (lambda: error("InternalError"), AmbiguousError),
    (lambda: httpx.Response(200, json={"code": 500, "message": "InternalError: x"}),
     AmbiguousError),
    (lambda: httpx.Response(200, json={"code": 404, "message": "ResourceNotFound: x"}),
     FatalError),
    (lambda: ok({"Ids": ["C1"]}), AmbiguousError),  # fewer Ids than students
    (lambda: httpx.Response(200, json=["C1", "C2"]), AmbiguousError),  # not an object
])
def test_an_error_is_never_a_success(answer, kind):
    conn = gateway(answer)
    with pytest.raises(kind):
        conn.create_cards(ITEMS, CardStatus.ACTIVE, "k")
    conn.close()


def test_card_records_are_read_and_removed_through_the_read_profile():
    reader = Reader()
    conn = gateway(lambda: pytest.fail("the gateway is not for reading"), reader)
    assert conn.read_card_records(["S1", "S2"]) == reader.read_card_records(["S1", "S2"])
    extra = [Card("C9", "S1", CardStatus.ACTIVE, created=T0 + 1)]
    assert conn.remove_cards(extra) == [Succeeded("C9")]
    assert reader.asked[0] == ("read_card_records", ["S1", "S2"])
    assert reader.asked[-1] == ("remove_cards", ["C9"])
    conn.close()


# -- over the sandbox -----------------------------------------------------------------------------

def _two_cards_each(conn: ShenbiConnector, n: int) -> tuple[list[str], list[Card]]:
    """Two operators' cards for the first ``n`` students: 学号 and the first cards."""
    rows = conn.list_rows()[:n]
    items = [CardCreate(r.student_no, r.student.record_id) for r in rows]
    first = conn.create_cards(items, CardStatus.ACTIVE, "k-a")
    conn.create_cards(items, CardStatus.ACTIVE, "k-b")
    kept = [Card(r.card_id, it.student_no, CardStatus.ACTIVE)
            for r, it in zip(first, items, strict=True) if isinstance(r, Succeeded)]
    return [r.student_no for r in rows], kept


@pytest.mark.parametrize("mode", ["cancel", "delete"])
def test_sandbox_duplicates_are_removed_and_the_live_card_stays_current(
        shenbi_sandbox, sconnect, mode):
    sb = shenbi_sandbox(students=20, settings=ShenbiSettings(rate_per_second=200))
    conn = sconnect(sb, remove_mode=mode, **FAST)
    other = sconnect(sb, remove_mode=mode, **FAST)  # the other operator, removing them too
    nos, kept = _two_cards_each(conn, 3)
    records = conn.read_card_records(nos)
    assert all(len(records[no]) == 2 for no in nos)
    assert all(c.created is not None and c.created > T0 for cs in records.values() for c in cs)
    assert [survivor(records[no]).card_id for no in nos] == [c.card_id for c in kept]
    extra = [c for no in nos for c in duplicates(records[no])]
    assert conn.remove_cards(extra) == [Succeeded(c.card_id) for c in extra]
    assert other.remove_cards(extra) == [Succeeded(c.card_id) for c in extra]  # already done
    left = conn.read_card_records(nos)
    if mode == "delete":
        assert set(sb.control.cards_by_student().values()) == {1}
        assert all(len(left[no]) == 1 for no in nos)
    else:
        assert [sorted(c.status.value for c in left[no]) for no in nos] == [["正常", "注销"]] * 3
    now = conn.read_cards(nos)
    assert [now[no].card_id for no in nos] == [c.card_id for c in kept]
    listed = {r.student_no: r.card for r in conn.list_rows()}
    assert [listed[no].card_id for no in nos] == [c.card_id for c in kept]
    counts = sb.control.counters().requests
    assert ("DeleteEntityRecords" in counts) is (mode == "delete")


def test_sandbox_the_gateway_reads_and_removes_through_the_read_profile(
        ipaas_sandbox, sconnect, iconnect):
    sb = ipaas_sandbox(students=20, settings=ShenbiSettings(rate_per_second=200))
    reader = sconnect(sb, remove_mode="delete", **FAST)
    conn = iconnect(sb, reader=reader)
    nos, kept = _two_cards_each(reader, 2)
    before = sb.control.counters().requests.get("ipaas/gateway", 0)
    records = conn.read_card_records(nos)
    extra = [c for no in nos for c in duplicates(records[no])]
    assert len(extra) == 2
    assert conn.remove_cards(extra) == [Succeeded(c.card_id) for c in extra]
    assert {no: len(cs) for no, cs in conn.read_card_records(nos).items()} == dict.fromkeys(
        nos, 1)
    assert [conn.read_cards(nos)[no].card_id for no in nos] == [c.card_id for c in kept]
    assert sb.control.counters().requests.get("ipaas/gateway", 0) == before


def test_sandbox_an_empty_answer_after_writing_is_verified_by_reading_back(
        ipaas_sandbox, sconnect, iconnect, tmp_path):
    """A gateway answering ``{}`` after writing: the read-back finds every card (成功 with the
    card's Id, which the answer did not give)."""
    sb = ipaas_sandbox(students=60, seed=13,
                       settings=ShenbiSettings(rate_per_second=200, gateway_answer="empty"))
    conn = iconnect(sb, reader=sconnect(sb, **FAST), chunk_size=25)
    rows = conn.list_rows()
    job, journal = run_action(conn, tmp_path / "j.sqlite3", Action.OPEN, rows)
    assert assert_definite(journal, job.job_id) == {"succeeded": 60}
    records = journal.records(job.job_id)
    cards = conn.read_cards([r.student_no for r in records])
    assert all(r.card_id and r.card_id == cards[r.student_no].card_id for r in records)
    assert set(sb.control.cards_by_student().values()) == {1}


def test_sandbox_an_empty_answer_that_wrote_nothing_is_never_a_success(
        ipaas_sandbox, sconnect, iconnect, tmp_path):
    """A gateway answering ``{}`` without writing anything: the first chunk's read-back finds
    no card, so its records are 失败 (unverified) — never 成功 with no card — and the job
    stops there, the rest never sent."""
    sb = ipaas_sandbox(students=60, seed=13,
                       settings=ShenbiSettings(rate_per_second=200, gateway_answer="empty_noop"))
    conn = iconnect(sb, reader=sconnect(sb, **FAST), chunk_size=25)
    rows = conn.list_rows()
    journal = Journal(tmp_path / "j.sqlite3")
    job_id = journal.create_job(plan_action(Action.OPEN, rows, allow_non_enrolled=True),
                                profile="ipaas", operator="tester",
                                chunk_size=chunk_size_for(conn))
    with pytest.raises(ConnectorError) as err:
        BatchRunner(conn, journal, retry=FAST_RETRY).run(job_id)
    assert err.value.code == "field_map"
    outcomes = [r.outcome for r in journal.records(job_id)]
    assert [o.kind for o in outcomes] == [OutcomeKind.FAILED] * 25 + [OutcomeKind.CANCELLED] * 35
    assert {o.code for o in outcomes[:25]} == {"unverified"}
    assert sb.control.cards_by_student() == {}
    assert sb.control.counters().requests["ipaas/gateway"] == 1


@pytest.mark.parametrize("route", ["shenbi", "ipaas"])
def test_sandbox_two_operators_opening_the_same_students_at_once(
        shenbi_sandbox, ipaas_sandbox, sconnect, iconnect, tmp_path, route):
    """Both read the students as unopened and open them at the same moment: each student ends
    with one live card, and exactly one of the two operators reports 成功 for it."""
    settings = ShenbiSettings(rate_per_second=400)
    sb = (shenbi_sandbox if route == "shenbi" else ipaas_sandbox)(
        students=80, seed=14, settings=settings, latency_ms=30)

    def operator() -> Any:
        reader = sconnect(sb, batch_size=20, **FAST)
        return reader if route == "shenbi" else iconnect(sb, reader=reader, chunk_size=20)

    conns = [operator(), operator()]
    rows = conns[0].list_rows()
    start = threading.Barrier(2)
    done: dict[int, Any] = {}

    def run(n: int) -> None:
        start.wait()
        done[n] = run_action(conns[n], tmp_path / f"{n}.sqlite3", Action.OPEN, rows)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert set(done) == {0, 1}
    by_student: dict[str, list[Any]] = {}
    for job, journal in done.values():
        assert_definite(journal, job.job_id)
        for r in journal.records(job.job_id):
            by_student.setdefault(r.student_no, []).append(r.outcome)
    live = conns[0].read_card_records(list(by_student))
    for no, outcomes in by_student.items():
        kinds = sorted(o.kind.value for o in outcomes)
        assert kinds == ["skipped", "succeeded"], (no, outcomes)
        skipped = next(o for o in outcomes if o.kind is OutcomeKind.SKIPPED)
        assert skipped.reason in (SkipReason.OPENED_BY_OTHER, SkipReason.CHANGED_BY_OTHER)
        alive = [c for c in live[no] if c.status in (CardStatus.ACTIVE, CardStatus.FROZEN)]
        assert len(alive) == 1, (no, live[no])


@pytest.mark.parametrize("mode", ["cancel", "delete"])
@pytest.mark.parametrize("kind", ["5xx", "drop", "timeout", "malformed", "html", "ratelimit"])
def test_sandbox_a_fault_on_the_removal_raises_and_the_repeat_removes_every_duplicate(
        shenbi_sandbox, sconnect, mode, kind):
    """A removal the server answers badly (or not at all) raises for the runner to repeat;
    the repeat — whatever the first did — ends with every duplicate removed."""
    settings = ShenbiSettings(rate_per_second=200, fault_timeout_s=0.6)
    sb = shenbi_sandbox(students=10, settings=settings)
    conn = sconnect(sb, remove_mode=mode, timeout_s=0.3, **FAST)
    nos, kept = _two_cards_each(conn, 3)
    records = conn.read_card_records(nos)
    extra = [c for no in nos for c in duplicates(records[no])]
    action = "ModifyEntityRecords" if mode == "cancel" else "DeleteEntityRecords"
    sb.control.set_faults([kind], 1.0, endpoints=[action])
    with pytest.raises(ConnectorError) as err:
        conn.remove_cards(extra)
    assert err.value.code != "InvalidAction"
    sb.control.clear_faults()
    assert conn.remove_cards(extra) == [Succeeded(c.card_id) for c in extra]
    now = conn.read_card_records(nos)
    assert all(len([c for c in now[no] if c.status is CardStatus.ACTIVE]) == 1 for no in nos)
    assert [conn.read_cards(nos)[no].card_id for no in nos] == [c.card_id for c in kept]
    assert sb.control.counters().faults == {kind: 1}


# -- the gateway's answers: one table, never the message text ----------------------------------

@pytest.mark.parametrize(("status", "body", "kind", "code"), [
    (429, "", RetryableError, "429"),
    (200, {"code": 429, "message": "busy"}, RetryableError, "429"),
    (401, "", FatalError, "gateway_auth"),
    (403, {"message": "no"}, FatalError, "gateway_auth"),
    (400, {"message": "unknown action ping"}, FatalError, "flow_refused"),
    (400, {"message": "学号格式不对"}, FatalError, "flow_refused"),  # whatever it says
    (200, {"code": 400, "message": "不支持该操作"}, FatalError, "flow_refused"),
    (200, {"code": 404, "msg": "no such student"}, FatalError, "flow_refused"),
    (200, {"code": "E_STATE", "msg": "x"}, FatalError, "flow_refused"),
    (400, "<html>bad request</html>", FatalError, "400"),  # not the flow: the address
    (404, "<html>not found</html>", FatalError, "404"),
    (502, "<html>bad gateway</html>", AmbiguousError, "http_502"),
    (200, {"code": 500, "message": "flow failed"}, AmbiguousError, "http_500"),
])
def test_the_gateway_answer_table(status, body, kind, code):
    def answer() -> httpx.Response:
        if isinstance(body, dict):
            return httpx.Response(status, json=body)
        return httpx.Response(status, text=body)

    conn = gateway(answer)
    with pytest.raises(kind) as info:
        conn.create_cards(ITEMS, CardStatus.ACTIVE, "k1")
    assert info.value.code == code
    if isinstance(body, dict) and body.get("message") and code != "gateway_auth":
        assert body["message"] in info.value.message  # the flow's words reach the operator


def test_the_connection_test_accepts_a_refused_ping_whatever_it_says():
    for text in ("unknown action", "不支持的操作", ""):
        conn = gateway(lambda text=text: httpx.Response(400, json={"message": text}))
        conn.check_connection()  # the flow answered: the address and the token are right
    conn = gateway(lambda: httpx.Response(404, text="<html>nope</html>"))
    with pytest.raises(ConnectorError, match="连接测试失败"):
        conn.check_connection()
