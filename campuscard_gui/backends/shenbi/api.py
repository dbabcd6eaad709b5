"""The 神笔 OpenAPI wire: ``POST {base_url}/metadata/{Action}``, TC3-signed over the exact
bytes sent, paced under the per-SecretId rate limit, and its answers classified
(shared/specs/shenbi.md §6, §8).

Answers: ``{"Response": {"Data": …, "RequestId"}}`` is a success. ``{"Response": {"Error":
{"Code", "Message"}, "RequestId"}}`` is an error even with HTTP 200 — never a success.
RequestLimitExceeded → retry; InternalError → a read is retried, a write is ambiguous (the
runner reads back first); every other code → :class:`ShenbiRejected` (FatalError) with the
code, the message and the RequestId for support. 5xx or a body that is not the envelope: a
read is retried, a write is ambiguous. Every answer is read within the profile's limits
(``connectors.http.exchange``: body size, whole-request deadline) and parsed with bounded
nesting (``common.json_object``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any, TypeVar

from ...connectors.answers import UNCLEAR_WRITE
from ...connectors.common import json_object, retried
from ...connectors.http import (
    Answer,
    AnswerLimits,
    ClientFactory,
    EndpointRateLimiter,
    exchange,
    make_client,
)
from ...connectors.partitions import Inconsistent, Job, jobs_of, run_jobs
from ...core.errors import AmbiguousError, FatalError, RetryableError
from ...core.text import _
from .errors import BUSY_RETRY_AFTER_S, STATUS, explain, meaning_of
from .records import SERVICE, Record, ShenbiOptions, id_of
from .tc3 import Tc3Auth

T = TypeVar("T")


class ShenbiRejected(FatalError):
    """神笔 answered with its error envelope. ``scode`` is the code (AuthFailure.…),
    ``request_id`` the RequestId, ``skew_s`` the server clock minus ours when the answer
    carried a Date header (for AuthFailure.SignatureExpire)."""

    def __init__(self, message: str, *, scode: str, request_id: str = "",
                 skew_s: float | None = None) -> None:
        super().__init__(message, code=scode)
        self.scode = scode
        self.request_id = request_id
        self.skew_s = skew_s


class ShenbiApi:
    """Requests to one 神笔 tenant; safe to share between threads."""

    def __init__(self, options: ShenbiOptions, secret_id: str, secret_key: str, *,
                 client_factory: ClientFactory | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not secret_id.strip() or not secret_key.strip():
            raise FatalError(_("神笔 AK/SK 为空：请在配置中保存 SecretId 和 SecretKey"),
                             code="secret_missing")
        if not (secret_id.strip().isascii() and secret_key.strip().isascii()):
            raise FatalError(_("神笔 AK/SK 格式不正确：请重新复制神笔颁发的 SecretId 和 SecretKey"),
                             code="AuthFailure.InvalidSecretId")
        self.options = options
        self._auth = Tc3Auth(secret_id.strip(), secret_key.strip(), options.service,
                             options.version, options.region, clock=wall)
        self._wall = wall
        self._sleep = sleep
        self._clock = clock
        self._limits = AnswerLimits.of(options.max_answer_mb, options.request_deadline_s,
                                       options.timeout_s)
        self._rate = EndpointRateLimiter(options.requests_per_second,
                                         margin_s=options.rate_margin_s, clock=clock,
                                         sleep=sleep)
        factory = client_factory or (
            lambda url, t: make_client(url, t, max_connections=options.concurrency + 4))
        self._client = factory(options.base_url, options.timeout_s)

    def __repr__(self) -> str:
        return f"ShenbiApi({self.options.base_url!r})"

    def close(self) -> None:
        self._client.close()

    def call(self, action: str, body: Mapping[str, Any], *, write: bool,
             on_send: Callable[[], None] | None = None,
             on_answer: Callable[[Answer], None] | None = None) -> dict[str, Any]:
        """One signed call: the envelope's ``Data`` (an object), or a ConnectorError.
        ``on_send`` is called just before the request goes out (after pacing), ``on_answer``
        with a successful answer."""
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "X-TC-Action": action}
        self._rate.acquire("")  # last before sending: the slot is the send time
        if on_send is not None:
            on_send()
        response = exchange(self._client, "POST", f"metadata/{action}", content=content,
                            headers=headers, auth=self._auth, limits=self._limits,
                            write=write, service=SERVICE)
        data = self.answer_of(response, write)
        if on_answer is not None:
            on_answer(response)
        return data

    def read(self, action: str, body: Mapping[str, Any],
             budget_s: float | None = None) -> dict[str, Any]:
        """A read, retried on retryable errors for ``budget_s`` seconds (default: the
        ``read_budget_s`` setting; 0: once)."""
        return self.retried(lambda: self.call(action, body, write=False), budget_s)

    def retried(self, call: Callable[[], T], budget_s: float | None = None) -> T:
        budget = self.options.read_budget_s if budget_s is None else budget_s
        return retried(call, budget, self._sleep, clock=self._clock)

    def answer_of(self, response: Answer, write: bool) -> dict[str, Any]:
        status = response.status_code
        envelope = json_object(response)
        inner = envelope.get("Response") if envelope is not None else None
        if status < 300 and isinstance(inner, dict):
            error = inner.get("Error")
            request_id = str(inner.get("RequestId") or "")
            if isinstance(error, dict):
                code = str(error.get("Code") or "UnknownError")
                message = str(error.get("Message") or "")
                text = explain(code, message, request_id)
                meaning = meaning_of(code)
                if meaning == "retry":
                    raise RetryableError(text, code=code, retry_after=BUSY_RETRY_AFTER_S)
                if meaning == "unclear":
                    if write:
                        raise AmbiguousError(text + UNCLEAR_WRITE, code=code)
                    raise RetryableError(text, code=code)
                raise ShenbiRejected(text, scode=code, request_id=request_id,
                                     skew_s=self._skew(response))
            data = inner.get("Data", {})
            if isinstance(data, dict):
                return data
        STATUS.raise_for(status, write)

    def _skew(self, response: Answer) -> float | None:
        """The server's clock minus ours, from the answer's Date header (None without one)."""
        ms = _date_ms(response)
        return None if ms is None else ms / 1000 - self._wall()

    # -- the actions ----------------------------------------------------------------------

    def body(self, entity: str, **rest: Any) -> dict[str, Any]:
        o = self.options
        return {o.key_app: o.app_code, o.key_entity: entity, **rest}

    def pages(self, entity: str, fields: list[str],
              flt: Mapping[str, Any] | None = None,
              on_page: Callable[[int, int | None], None] | None = None,
              budget_s: float | None = None) -> Iterator[list[Record]]:
        """Every record of ``entity`` matching ``flt``, page by page (Limit/Offset, ordered by
        Id), until a short page or TotalCount is reached."""
        o = self.options
        offset = 0
        total: int | None = None
        while True:
            body = self.body(entity, **{o.key_fields: fields}, Limit=o.page_size,
                             Offset=offset, OrderBy=[{"Field": "Id", "Order": "ASC"}])
            if flt is not None:
                body[o.key_filter] = flt
            data, page = self.retried(partial(self._page, body), budget_s)
            count = data.get("TotalCount")
            if isinstance(count, int | str) and str(count).isdigit():
                total = int(count)
            if on_page is not None:
                on_page(len(page), total)
            if page:
                yield page
            offset += len(page)
            if len(page) < o.page_size or (total is not None and offset >= total):
                return

    def page_at(self, entity: str, fields: list[str], offset: int,
                flt: Mapping[str, Any] | None = None
                ) -> tuple[list[Record], int | None]:
        """One page of ``entity`` (ordered by Id) from ``offset``, and its TotalCount."""
        o = self.options
        body = self.body(entity, **{o.key_fields: fields}, Limit=o.page_size, Offset=offset,
                         OrderBy=[{"Field": "Id", "Order": "ASC"}])
        if flt is not None:
            body[o.key_filter] = flt
        data, page = self.retried(partial(self._page, body))
        count = data.get("TotalCount")
        total = int(count) if isinstance(count, int | str) and str(count).isdigit() else None
        return page, total

    def top(self, entity: str, order_field: str, fields: list[str], order: str = "DESC"
            ) -> tuple[Record | None, int | None, int | None]:
        """The first record of ``entity`` by ``order_field`` (descending unless ``order``
        says ASC; None: none), the object's TotalCount and the server's time of the answer
        (ms, its Date header, whole seconds; None without one): one page of one record."""
        o = self.options
        body = self.body(entity, **{o.key_fields: fields}, Limit=1, Offset=0,
                         OrderBy=[{"Field": order_field, "Order": order}])
        dates: list[int | None] = []

        def dated(answer: Answer) -> None:
            dates.append(_date_ms(answer))

        data, page = self.retried(lambda: _records(self.call(o.action_query, body, write=False,
                                                             on_answer=dated)))
        count = data.get("TotalCount")
        total = int(count) if isinstance(count, int | str) and str(count).isdigit() else None
        return (page[0] if page else None), total, (dates[-1] if dates else None)

    def partitioned(self, forms: Sequence[tuple[str, list[str]]],
                    on_page: Callable[[str], Callable[[int, int | None], None]] | None = None,
                    workers: int = 1) -> list[list[Record]]:
        """Every record of each object (entity, fields): the first page gives TotalCount, the
        other pages are read at their offsets on up to ``workers`` threads (all objects
        sharing them; the API's limiter keeps every request within the per-key rate), then
        the records created meanwhile from the offset reached, one page at a time. Pages that
        do not join up in ascending Id (records deleted meanwhile shift the offsets) raise
        ``partitions.Inconsistent``: the caller then pages the old way."""
        size = self.options.page_size
        sources = []
        found: list[dict[int, list[Record]]] = []
        totals: list[int | None] = []
        reports = []
        for entity, fields in forms:
            report = on_page(entity) if on_page is not None else None
            first, total = self.page_at(entity, fields, 0)
            if report is not None:
                report(len(first), total)
            pages: dict[int, list[Record]] = {0: first}
            found.append(pages)
            totals.append(total)
            reports.append(report)
            offsets = range(size, total, size) if total is not None and len(first) == size \
                else range(0)

            def job(offset: int, entity: str = entity, fields: list[str] = fields,
                    pages: dict[int, list[Record]] = pages,
                    report: Callable[[int, int | None], None] | None = report) -> Job:
                def read(halt: threading.Event) -> None:
                    if halt.is_set():
                        return
                    page, _total = self.page_at(entity, fields, offset)
                    if len(page) != size and offset + len(page) < (_total or 0):
                        raise Inconsistent("shenbi: a page inside TotalCount came short")
                    pages[offset] = page
                    if report is not None:
                        report(len(page), None)
                return read

            sources.append(jobs_of([job(offset) for offset in offsets]))
        run_jobs(sources, workers, "campuscard-shenbi-list")
        out = []
        for (entity, fields), pages, report in zip(forms, found, reports, strict=True):
            records = [r for offset in sorted(pages) for r in pages[offset]]
            offset = len(records)
            last = pages[max(pages)]
            while len(last) == size:  # created meanwhile: after the offset reached
                last, _total = self.page_at(entity, fields, offset)
                records.extend(last)
                offset += len(last)
                if report is not None:
                    report(len(last), None)
            ids = [_id_number(r) for r in records]
            if any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
                raise Inconsistent("shenbi: offset pages did not join up in ascending Id")
            out.append(records)
        return out

    def _page(self, body: Mapping[str, Any]) -> tuple[dict[str, Any], list[Record]]:
        return _records(self.call(self.options.action_query, body, write=False))

    def all_records(self, entity: str, fields: list[str],
                    flt: Mapping[str, Any] | None = None,
                    on_page: Callable[[int, int | None], None] | None = None,
                    budget_s: float | None = None) -> list[Record]:
        return [r for page in self.pages(entity, fields, flt, on_page, budget_s) for r in page]


def _date_ms(response: Answer) -> int | None:
    """The answer's Date header in ms (None: none, or not a date)."""
    try:
        server = parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError):
        return None
    if server.tzinfo is None:
        return None
    return int(server.timestamp()) * 1000


def _id_number(rec: Record) -> int:
    """A record's Id as a number (19 digits, as string or number, spec §4.1)."""
    ident = id_of(rec)
    if ident.isdigit():
        return int(ident)
    raise Inconsistent("shenbi: a record without a numeric Id")


def _records(data: dict[str, Any]) -> tuple[dict[str, Any], list[Record]]:
    """A query's Data and its records; RetryableError (read again) without them."""
    page = data.get("EntityRecordSet", data.get("EntityRecord", data.get("Records")))
    if not isinstance(page, list) or not all(isinstance(r, dict) for r in page):
        raise RetryableError(_("{SERVICE}的应答缺少记录列表（EntityRecordSet）").format(
            SERVICE=SERVICE), code="malformed")
    return data, page
