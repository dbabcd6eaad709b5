"""The 简道云 v5 wire: one POST, its answer's classification, retried reads, data/list paging.

Every call is ``POST {base_url}/v5/<endpoint>`` with a UTF-8 JSON body and
``Authorization: Bearer <API key>`` (spec §1); the key lives only in that header — never in a
log line, a repr or an error. Requests pass a client-side limiter: per endpoint (30/s for
list/get/widget, 10/s for the batch endpoints) and 50/s across all of them (spec §5).

Every answer is read within the profile's limits (``connectors.http.exchange``: body size,
whole-request deadline) and parsed with bounded nesting (``common.json_object``).

Answers (spec §4): 2xx with a JSON object → the body. HTTP 400 ``{"code", "msg"}`` → the
code's error (``jiandaoyun_errors``). HTTP 429 → retry. HTTP 401/403 → auth/permission.
HTTP 5xx, or a body that is not a JSON object (an HTML page, a cut-off answer): a *read* is
retried; a *write* is ambiguous — a gateway error may come after the backend applied it — so
the batch runner reads back before resending.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ...connectors.common import json_object, retried
from ...connectors.http import (
    Answer,
    AnswerLimits,
    ClientFactory,
    EndpointRateLimiter,
    exchange,
    make_client,
    retry_after_seconds,
)
from ...connectors.partitions import Inconsistent, Job, run_jobs
from ...core.errors import ConnectorError, FatalError, RetryableError
from ...core.text import L_, _
from .errors import RATE_LIMIT_RETRY_AFTER_S, STATUS, error_for_code
from .records import MAX_PAGE, JdyOptions, Record

SERVICE = L_("简道云")
LIST = "app/entry/data/list"
GET = "app/entry/data/get"
WIDGETS = "app/entry/widget/list"
BATCH_CREATE = "app/entry/data/batch_create"
BATCH_UPDATE = "app/entry/data/batch_update"
BATCH_DELETE = "app/entry/data/batch_delete"
T = TypeVar("T")


class JdyApi:
    """Requests to one 简道云 tenant; safe to share between threads."""

    def __init__(self, options: JdyOptions, api_key: str, *,
                 client_factory: ClientFactory | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options
        self._headers = {"Authorization": f"Bearer {api_key}",
                         "Content-Type": "application/json;charset=utf-8"}
        self._sleep = sleep
        self._clock = clock
        self._limits = AnswerLimits.of(options.max_answer_mb, options.request_deadline_s,
                                       options.timeout_s)
        self._rate = EndpointRateLimiter(options.enterprise_rps, margin_s=options.rate_margin_s,
                                         clock=clock, sleep=sleep)
        for endpoint in (LIST, GET, WIDGETS):
            self._rate.add(endpoint, options.list_rps)
        for endpoint in (BATCH_CREATE, BATCH_UPDATE, BATCH_DELETE):
            self._rate.add(endpoint, options.batch_rps, paced=True)
        factory = client_factory or (
            lambda url, t: make_client(url, t, max_connections=options.concurrency + 4))
        self._client = factory(options.base_url, options.timeout_s)

    def __repr__(self) -> str:
        return f"JdyApi({self.options.base_url!r})"

    def close(self) -> None:
        self._client.close()

    def post(self, endpoint: str, body: Mapping[str, Any], *, write: bool) -> dict[str, Any]:
        """POST ``body`` to ``endpoint``: the answer's JSON object, or a ConnectorError."""
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        self._rate.acquire(endpoint)  # last before sending: the slot is the send time
        response = exchange(self._client, "POST", "v5/" + endpoint, content=content,
                            headers=self._headers, limits=self._limits, write=write,
                            service=SERVICE)
        return answer_of(response, write)

    def retried(self, call: Callable[[], T], budget_s: float | None = None) -> T:
        """``call()`` retried on retryable errors for ``budget_s`` seconds (default: the
        ``read_budget_s`` setting; 0: once)."""
        budget = self.options.read_budget_s if budget_s is None else budget_s
        return retried(call, budget, self._sleep, clock=self._clock)

    def read(self, endpoint: str, body: Mapping[str, Any], key: str,
             budget_s: float | None = None) -> list[Record]:
        """A read whose answer holds a list of objects under ``key``; retried on retryable
        errors and on a malformed answer (reads are safe to repeat) for ``budget_s`` seconds
        (default: the ``read_budget_s`` setting; 0: once)."""
        def once() -> list[Record]:
            found = self.post(endpoint, body, write=False).get(key)
            if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
                raise RetryableError(_("{SERVICE}的应答缺少“{key}”列表").format(
                    SERVICE=SERVICE, key=key), code="malformed")
            return found

        return self.retried(once, budget_s)

    def get(self, entry: str, data_id: str) -> Record | None:
        """One record by id (data/get), or None when it does not exist (4001); retried like
        every read."""
        def once() -> Record | None:
            try:
                answer = self.post(GET, {"app_id": self.options.app_id, "entry_id": entry,
                                         "data_id": data_id}, write=False)
            except FatalError as exc:
                if exc.code == "4001":
                    return None
                raise
            found = answer.get("data")
            if not isinstance(found, dict):
                raise RetryableError(_("{SERVICE}的应答缺少“data”记录").format(
                    SERVICE=SERVICE), code="malformed")
            return found

        return self.retried(once)

    def pages(self, entry: str, fields: list[str] | None,
              flt: Mapping[str, Any] | None = None,
              on_page: Callable[[int], None] | None = None) -> list[Record]:
        """Every record of ``entry`` matching ``flt``, paged by the exclusive ``data_id``
        cursor (the last ``_id`` of the previous page) until a page is short (spec §3.2).
        ``fields`` None: whole records."""
        out: list[Record] = []
        cursor: str | None = None
        while True:
            page = self.list_page(entry, fields, cursor, flt)
            out.extend(page)
            if on_page is not None:
                on_page(len(page))
            if len(page) < MAX_PAGE:
                return out
            last = str(page[-1].get("_id", ""))
            if not last or (cursor is not None and last <= cursor):
                raise ConnectorError(_("{SERVICE}的数据分页没有前进，已停止读取").format(
                    SERVICE=SERVICE), code="paging")
            cursor = last

    def list_page(self, entry: str, fields: list[str] | None, cursor: str | None,
                  flt: Mapping[str, Any] | None = None) -> list[Record]:
        """One data/list page of up to MAX_PAGE records after ``cursor`` (None: the first)."""
        body: dict[str, Any] = {"app_id": self.options.app_id, "entry_id": entry,
                                "limit": MAX_PAGE}
        if fields is not None:
            body["fields"] = fields
        if cursor is not None:
            body["data_id"] = cursor
        if flt is not None:
            body["filter"] = flt
        return self.read(LIST, body, "data")

    def partitioned(self, forms: Sequence[tuple[str, list[str] | None]],
                    on_page: Callable[[int], None] | None = None) -> list[list[Record]]:
        """Every record of each form (entry id, fields), read as ``_id`` ranges by up to
        ``list_cursors`` cursors at once (``IdRanges``), all forms sharing them and the
        data/list rate (30/s, spec §5). Raises ``partitions.Inconsistent`` when an answer
        does not fit (the caller then pages with one cursor)."""
        firsts = [self.list_page(entry, fields, None) for entry, fields in forms]
        ranges = [IdRanges(self, entry, fields, first, self.options.list_range_pages, on_page)
                  for (entry, fields), first in zip(forms, firsts, strict=True)]
        if on_page is not None:
            for first in firsts:
                on_page(len(first))
        run_jobs([r.take for r in ranges], self.options.list_cursors, "campuscard-jdy-list")
        return [r.records() for r in ranges]

    def widgets(self, entry: str, budget_s: float | None = None) -> list[Record]:
        return self.read(WIDGETS, {"app_id": self.options.app_id, "entry_id": entry}, "widgets",
                         budget_s)


_HEX_ID = re.compile(r"^[0-9a-f]{24}$")


def _id_number(rec: Record) -> int:
    """A record's ``_id`` as a number (24 hex: ObjectId-like, spec §1); Inconsistent when it
    is not one, since ranges of ids then mean nothing."""
    ident = rec.get("_id")
    if not isinstance(ident, str) or not _HEX_ID.match(ident):
        raise Inconsistent("jiandaoyun: a record id is not 24 hex digits")
    return int(ident, 16)


def _hex(n: int) -> str:
    return f"{n:024x}"


class IdRanges:
    """One form's records as ``_id`` ranges ``(start, stop]``, each read from a cursor of its
    own (the exclusive ``data_id`` cursor, spec §3.2, started at a synthetic id).

    Ranges are handed out from a frontier that moves up the id space, each sized to hold
    ``pages`` pages at the spacing of the ids seen so far; a page that runs past its range
    shows where the next records are, and the frontier jumps over the empty ids between; a
    short page shows the last record, and no range starts above it. The first page (read
    before, with no cursor) gives the first ids and their spacing."""

    _MAX_ID = (1 << 96) - 1

    def __init__(self, api: JdyApi, entry: str, fields: list[str] | None,
                 first: list[Record], pages: int,
                 on_page: Callable[[int], None] | None) -> None:
        self._api = api
        self._entry = entry
        self._fields = fields
        self._pages = pages
        self._on_page = on_page
        self._lock = threading.Lock()
        self._found: dict[int, list[Record]] = {-1: list(first)}
        ids = [_id_number(r) for r in first]
        _check_page(ids, -1)
        self._end: int | None = None
        if len(first) < MAX_PAGE:
            self._end = ids[-1] if ids else -1
        self._frontier = ids[-1] if ids else -1
        self._spacing = 1
        self._learn(ids)

    def _learn(self, ids: Sequence[int]) -> None:
        """The ids' spacing from a full page inside a range (the caller holds the lock)."""
        if len(ids) >= 2:
            self._spacing = max(1, (ids[-1] - ids[0]) // (len(ids) - 1))

    def take(self) -> Job | None:
        """The next range's job, or None once the last record is behind the frontier."""
        with self._lock:
            if self._end is not None and self._frontier >= self._end:
                return None
            if self._frontier >= self._MAX_ID:
                return None
            start = self._frontier
            stop = min(self._MAX_ID, start + self._spacing * MAX_PAGE * self._pages)
            self._frontier = stop
            self._found[start] = []
        return lambda halt: self._read(start, stop, halt)

    def _read(self, start: int, stop: int, halt: threading.Event) -> None:
        cursor = start
        kept: list[Record] = []
        while not halt.is_set():
            try:
                page = self._api.list_page(self._entry, self._fields, _hex(cursor))
            except FatalError as exc:
                if cursor != start:
                    raise
                # a server that refuses a cursor naming no record (the docs do not say it
                # takes one): one cursor per form instead, where a real refusal shows again
                raise Inconsistent(f"jiandaoyun: a synthetic cursor was refused ({exc.code})"
                                   ) from exc
            ids = [_id_number(r) for r in page]
            _check_page(ids, cursor)
            inside = sum(1 for i in ids if i <= stop)
            kept.extend(page[:inside])
            if self._on_page is not None:
                self._on_page(inside)
            with self._lock:
                if inside == len(page) == MAX_PAGE:
                    self._learn(ids)
                if len(page) < MAX_PAGE:  # nothing above the page's last record
                    top = ids[-1] if ids else cursor
                    self._end = top if self._end is None else min(self._end, top)
                if inside < len(page) and ids[inside] - 1 > self._frontier:
                    self._frontier = ids[inside] - 1  # no records between: skipped
            if inside < len(page) or len(page) < MAX_PAGE:
                break
            cursor = ids[-1]
        with self._lock:
            self._found[start] = kept

    def records(self) -> list[Record]:
        """Every range's records in id order; Inconsistent if two ranges share one."""
        out = [r for start in sorted(self._found) for r in self._found[start]]
        ids = [_id_number(r) for r in out]
        if any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
            raise Inconsistent("jiandaoyun: ranges overlapped")
        return out


def _check_page(ids: Sequence[int], cursor: int) -> None:
    if any(i <= cursor for i in ids) or any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
        raise Inconsistent("jiandaoyun: a page did not follow its cursor in ascending _id")


def answer_of(response: Answer, write: bool) -> dict[str, Any]:
    """The body of a good answer; else what it means: 429 whatever the body says, then the
    body's error code (``errors.CODES``), then the status (``errors.STATUS``)."""
    status = response.status_code
    parsed = json_object(response)
    payload = parsed or {}
    code = payload.get("code")
    if status == 429:  # the concurrency limit, whatever the body says
        STATUS.raise_for(429, write,
                         retry_after=retry_after_seconds(response, RATE_LIMIT_RETRY_AFTER_S))
    if isinstance(code, int) and not isinstance(code, bool) and status < 500:
        raise error_for_code(code, payload.get("msg"))
    if 200 <= status < 300 and parsed is not None:
        return parsed
    STATUS.raise_for(status, write)
