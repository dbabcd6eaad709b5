"""Every remote backend against a misbehaving server (``hostile_server``, real sockets on
127.0.0.1): JSON nested 100,000 deep, a 400 MB body (chunked, and announced by Content-Length),
a body dripping a byte at a time, headers dripping a byte at a time, a Content-Length lie and
a body cut off mid-chunk. Each read and each write ends in bounded time with a typed error —
a write with AmbiguousError (it may have been applied: the runner reads back), never a
success and never a RecursionError or MemoryError."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hostile_server import HostileServer
from kintone_helpers import FIELDS

from campuscard_gui.backends.ipaas.connector import IpaasConnector
from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.connectors.base import CardCreate, Connector
from campuscard_gui.core.errors import (
    AmbiguousError,
    CampusCardError,
    FatalError,
    RetryableError,
)
from campuscard_gui.core.model import CardStatus

SECRET = "sk-hostile-0123456789"
TIMEOUT_S = 0.5  # each read
DEADLINE_S = 1.0  # the whole request
# every limit small, so that each case ends within seconds
LIMITS: dict[str, Any] = {"timeout_s": TIMEOUT_S, "request_deadline_s": DEADLINE_S,
                          "max_answer_mb": 1, "read_budget_s": 0}
SLACK_S = 1.5  # thread scheduling on a loaded 2-core machine


def jiandaoyun(url: str, **extra: Any) -> Connector:
    return JiandaoyunConnector({"base_url": url + "/api", "app_id": "a" * 24,
                                "students_entry": "b" * 24, "cards_entry": "c" * 24,
                                **LIMITS, **extra}, SECRET, sleep=lambda s: None)


def kintone(url: str, **extra: Any) -> Connector:
    return KintoneConnector({"base_url": url, "students_app": "1", "cards_app": "2",
                             "fields": FIELDS.to_json(), **LIMITS, **extra},
                            KintoneAuth(students_token=SECRET, cards_token=SECRET + "c"),
                            sleep=lambda s: None)


def shenbi(url: str, **extra: Any) -> Connector:
    return ShenbiConnector({"base_url": url, "app_code": "campus", "students_object": "student",
                            "cards_object": "card", "student_link": "student_no",
                            **LIMITS, **extra}, "AKIDhostile", SECRET, sleep=lambda s: None)


def ipaas(url: str, **extra: Any) -> Connector:
    reader = shenbi(url, **extra)
    return IpaasConnector({"gateway_url": url + "/flow", "read_profile": "reader",
                           "token_header": "X-Gateway-Token", "student_id": "student_no",
                           **{k: v for k, v in LIMITS.items() if k != "read_budget_s"},
                           **extra}, SECRET, reader, sleep=lambda s: None)


BACKENDS: dict[str, Callable[..., Connector]] = {
    "jiandaoyun": jiandaoyun, "kintone": kintone, "shenbi": shenbi, "ipaas": ipaas}
# what each mode ends in: (error of a read, error of a write, code)
EXPECTED = {
    "deep": (RetryableError, AmbiguousError, "http_200"),  # unreadable: the answer table's
    "huge": (FatalError, AmbiguousError, "too_large"),
    "huge_length": (FatalError, AmbiguousError, "too_large"),
    "drip": (RetryableError, AmbiguousError, "deadline"),
    "drip_headers": (RetryableError, AmbiguousError, "deadline"),
    "lie": (RetryableError, AmbiguousError, "network"),
    "cut": (RetryableError, AmbiguousError, "network"),
}
# how long each mode may take: a deadline is waited for, the rest end at once
BOUND_S = {"drip": DEADLINE_S + SLACK_S, "drip_headers": DEADLINE_S + SLACK_S}


@pytest.fixture
def server() -> Iterator[Callable[..., HostileServer]]:
    started: list[HostileServer] = []

    def start(mode: str, **kwargs: Any) -> HostileServer:
        started.append(HostileServer(mode, **kwargs))
        return started[-1]

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def connect() -> Iterator[Callable[..., Connector]]:
    made: list[Connector] = []

    def make(backend: str, url: str, **extra: Any) -> Connector:
        made.append(BACKENDS[backend](url, **extra))
        return made[-1]

    yield make
    for conn in made:
        conn.close()


def read(conn: Connector) -> Any:
    return conn.read_cards(["2024001"])


def write(conn: Connector) -> Any:
    return conn.create_cards([CardCreate("2024001", "1458712091891462184")],
                             CardStatus.ACTIVE, "chunk-key-1")


def check(error: CampusCardError, kind: type[CampusCardError], code: str) -> None:
    assert type(error) is kind or isinstance(error, kind), (type(error), error.message)
    assert error.code == code, (error.code, error.message)
    assert SECRET not in error.message and "Traceback" not in error.message
    assert error.__cause__ is None and error.__context__ is None  # no httpx error behind it


CASES = [(b, m) for m in ("deep", "huge", "huge_length", "drip", "lie", "cut")
         for b in BACKENDS] + [("jiandaoyun", "drip_headers"), ("kintone", "drip_headers")]


@pytest.mark.parametrize(("backend", "mode"), CASES)
def test_a_write_to_a_hostile_server_is_ambiguous_in_bounded_time(server, connect, backend,
                                                                  mode) -> None:
    srv = server(mode)
    conn = connect(backend, srv.url)
    start = time.monotonic()
    with pytest.raises(CampusCardError) as info:
        write(conn)
    took = time.monotonic() - start
    _, kind, code = EXPECTED[mode]
    check(info.value, kind, code)
    assert took < BOUND_S.get(mode, SLACK_S), took
    if mode.startswith("drip"):
        assert took >= DEADLINE_S * 0.9  # ended by the deadline, not by a read timeout
    assert srv.sent < 16 * 1024 * 1024  # the 400 MB were never read


@pytest.mark.parametrize(("backend", "mode"),
                         [(b, m) for b, m in CASES if b != "ipaas"])  # iPaaS reads via 神笔
def test_a_read_from_a_hostile_server_fails_typed_in_bounded_time(server, connect, backend,
                                                                   mode) -> None:
    srv = server(mode)
    conn = connect(backend, srv.url)
    start = time.monotonic()
    with pytest.raises(CampusCardError) as info:
        read(conn)
    took = time.monotonic() - start
    kind, _, code = EXPECTED[mode]
    check(info.value, kind, code)
    assert took < BOUND_S.get(mode, SLACK_S), took
    assert srv.sent < 16 * 1024 * 1024


@pytest.mark.parametrize("backend", ["jiandaoyun", "kintone", "shenbi"])
def test_a_read_is_retried_until_its_budget_is_spent_and_no_longer(server, connect,
                                                                   backend) -> None:
    srv = server("drip")
    conn = connect(backend, srv.url, read_budget_s=2.0)
    start = time.monotonic()
    with pytest.raises(RetryableError) as info:
        read(conn)
    took = time.monotonic() - start
    check(info.value, RetryableError, "deadline")
    assert srv.requests >= 2  # retried …
    # … and not past the budget by more than one request's deadline
    assert took < 2.0 + DEADLINE_S + SLACK_S, took


def test_the_default_cap_stops_a_400_mb_body_at_32_mb(server, connect) -> None:
    srv = server("huge")
    conn = connect("kintone", srv.url, max_answer_mb=32, timeout_s=10, request_deadline_s=60)
    with pytest.raises(FatalError) as info:
        read(conn)
    check(info.value, FatalError, "too_large")
    assert "32 MB" in info.value.message and "max_answer_mb" in info.value.message
    assert srv.sent < 48 * 1024 * 1024  # 32 MB and what the socket buffers held


@pytest.mark.parametrize("backend", ["jiandaoyun", "kintone", "shenbi", "ipaas"])
def test_a_well_behaved_answer_still_reads(server, connect, backend) -> None:
    """The same limits, a server that answers ``{}``: no false alarm."""
    srv = server("ok")
    conn = connect(backend, srv.url)
    if backend == "ipaas":  # {} proves nothing: each record unverified, never an error
        assert [r.card_id for r in write(conn)] == [""]  # type: ignore[attr-defined]
        return
    with pytest.raises(RetryableError) as info:  # {} lacks the records (神笔: the envelope)
        read(conn)
    assert info.value.code == ("http_200" if backend == "shenbi" else "malformed")
