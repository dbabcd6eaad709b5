"""The kintone REST wire: auth headers, one request, its answer's classification, retried
reads and ``$id`` seek paging (shared/specs/kintone.md §1–§4).

Every request goes to ``{base_url}/k[/guest/{space}]/v1/{resource}.json``. Auth is one
``X-Cybozu-API-Token: <students token>,<cards token>`` header or ``X-Cybozu-Authorization:
base64(login:password)`` (§2); the secrets live only in those headers — never in a log line,
a repr or an error. At most ``concurrency`` requests are in flight at once, whichever thread
sends them: kintone counts concurrent requests per domain, for every integration together
(100, §4), and answers the one over with 429 GAIA_TO04.

Every answer is read within the profile's limits (``connectors.http.exchange``: body size,
whole-request deadline) and parsed with bounded nesting (``common.json_object``).

Answers (§3): 2xx with a JSON object → the body. 429 / GAIA_TO04, GAIA_DA02 (DB lock) and
GAIA_TM12 (cursor limit) → retry. A JSON error body → :class:`KintoneRejected` (a FatalError
carrying kintone's code, status, ``errors`` and, for a bulkRequest, the failing index). 5xx, or
a body that is not a JSON object (a maintenance page, a cut-off answer): a *read* is retried,
a *write* is ambiguous — a gateway error may come after kintone committed — so the batch
runner reads back before resending.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode

from ...connectors.common import json_object, retried
from ...connectors.http import (
    Answer,
    AnswerLimits,
    ClientFactory,
    exchange,
    make_client,
    retry_after_seconds,
)
from ...connectors.partitions import Inconsistent
from ...core.errors import AmbiguousError, ConnectorError, FatalError, RetryableError
from ...core.text import _
from .errors import BUSY_RETRY_AFTER_S, RETRY_CODES, STATUS, explain
from .records import SERVICE, KintoneOptions, Record, id_number

# No Retry-After is documented for 429 (§4, UNCONFIRMED): the runner's backoff adds jitter.
T = TypeVar("T")
MAX_URL = 4000  # longer GETs go as POST + X-HTTP-Method-Override (§1.1; the js-sdk uses 4096)


@dataclass(frozen=True, slots=True)
class KintoneAuth:
    """The secrets of a kintone profile, from the keyring: an API token per app, or the
    password of ``options.user``. Never printed (no field is in the repr)."""

    students_token: str = field(default="", repr=False)
    cards_token: str = field(default="", repr=False)
    password: str = field(default="", repr=False)


class KintoneRejected(FatalError):
    """kintone answered with its error body. ``kcode`` is kintone's code (CB_VA01…),
    ``errors`` its validation map (``{"records[3].field.value": {"messages": […]}}``),
    ``bulk_index`` the failing sub-request of a bulkRequest (None for other calls)."""

    def __init__(self, message: str, *, kcode: str, status: int,
                 errors: Mapping[str, Any] | None = None,
                 bulk_index: int | None = None) -> None:
        super().__init__(message, code=kcode)
        self.kcode = kcode
        self.status = status
        self.errors: Mapping[str, Any] = errors or {}
        self.bulk_index = bulk_index


def auth_headers(options: KintoneOptions, auth: KintoneAuth) -> dict[str, str]:
    """The one kintone auth header this profile uses (the js-sdk also never sends both)."""
    if options.auth == "password":
        if not auth.password:
            raise FatalError(_("kintone 密码为空：请在配置中保存密码"), code="secret_missing")
        raw = f"{options.user}:{auth.password}".encode()
        return {"X-Cybozu-Authorization": base64.b64encode(raw).decode("ascii")}
    tokens = [t.strip() for t in (auth.students_token, auth.cards_token)]
    if not all(tokens):
        raise FatalError(_("kintone API 令牌为空：请在配置中保存学生应用和一卡通应用的令牌"),
                         code="secret_missing")
    if any("," in t or not t.isascii() or not t.isprintable() for t in tokens):
        raise FatalError(_("kintone API 令牌格式不正确：请重新复制应用设置中生成的令牌"),
                         code="auth")
    return {"X-Cybozu-API-Token": ",".join(tokens)}


class KintoneApi:
    """Requests to one kintone domain; safe to share between threads."""

    def __init__(self, options: KintoneOptions, auth: KintoneAuth, *,
                 client_factory: ClientFactory | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options
        self._headers = auth_headers(options, auth)
        self._sleep = sleep
        self._limits = AnswerLimits.of(options.max_answer_mb, options.request_deadline_s,
                                       options.timeout_s)
        self._slots = threading.BoundedSemaphore(options.concurrency)
        factory = client_factory or (
            lambda url, t: make_client(url, t, max_connections=options.concurrency))
        self._client = factory(options.base_url, options.timeout_s)

    def __repr__(self) -> str:
        return f"KintoneApi({self.options.base_url!r})"

    def close(self) -> None:
        self._client.close()

    # -- one request ----------------------------------------------------------------------

    def call(self, method: str, resource: str, params: Mapping[str, Any], *,
             write: bool) -> dict[str, Any]:
        """One request: the answer's JSON object, or a ConnectorError (see the module doc)."""
        url = self.options.prefix + resource + ".json"
        headers = dict(self._headers)
        content: bytes | None = None
        if method == "GET":
            query = _query_string(params)
            if len(url) + 1 + len(query) <= MAX_URL:
                url = f"{url}?{query}" if query else url
            else:  # too long for a URL: the same GET as a POST body (§1.1)
                method = "POST"
                headers["X-HTTP-Method-Override"] = "GET"
                content = _json(params)
        else:
            content = _json(params)
        if content is not None:
            headers["Content-Type"] = "application/json"
        with self._slots:  # never more than `concurrency` requests in flight
            response = exchange(self._client, method, url, content=content, headers=headers,
                                limits=self._limits, write=write, service=SERVICE)
        return answer_of(response, write)

    def read(self, method: str, resource: str, params: Mapping[str, Any],
             budget_s: float | None = None) -> dict[str, Any]:
        """A read, retried on retryable errors for ``budget_s`` seconds (default: the
        ``read_budget_s`` setting; 0: once). Reads are safe to repeat."""
        return self._retried(lambda: self.call(method, resource, params, write=False),
                             budget_s)

    def _retried(self, call: Callable[[], T], budget_s: float | None = None) -> T:
        budget = self.options.read_budget_s if budget_s is None else budget_s
        return retried(call, budget, self._sleep)

    # -- reads ----------------------------------------------------------------------------

    def pages(self, app: str, fields: Sequence[str], condition: str = "",
              on_page: Callable[[int, int | None], None] | None = None
              ) -> Iterator[list[Record]]:
        """Every record of ``app`` matching ``condition``, page by page in ascending ``$id``:
        each page asks for ``$id > <last id seen>`` (the spec's "seek" method, §1.2/§6.1), so
        it works past offset 10,000 and uses none of the domain's 10 cursors.
        ``on_page(records in the page, total or None)`` after each page; the total is asked
        for on the first page only."""
        wanted = list(dict.fromkeys([*fields, "$id"]))
        last = 0
        first = True
        while True:
            cond = f"$id > {last}"
            if condition:
                cond = f"({condition}) and {cond}"
            params: dict[str, Any] = {
                "app": app, "fields": wanted,
                "query": f"{cond} order by $id asc limit {self.options.page_size}"}
            if first:
                params["totalCount"] = "true"
            answer, page = self._retried(partial(self._page, params))
            total = _count(answer.get("totalCount")) if first else None
            first = False
            if on_page is not None:
                on_page(len(page), total)
            if page:
                yield page
            if len(page) < self.options.page_size:
                return
            top = id_number(page[-1])
            if top <= last:
                raise ConnectorError(_("{SERVICE}的数据分页没有前进，已停止读取").format(
                    SERVICE=SERVICE), code="paging")
            last = top

    def _page(self, params: Mapping[str, Any]) -> tuple[dict[str, Any], list[Record]]:
        return _records(self.call("GET", "records", params, write=False))

    def top(self, app: str, order: str, fields: Sequence[str], condition: str = ""
            ) -> tuple[Record | None, int | None]:
        """The first record of ``app`` in ``order`` (e.g. ``$id desc``) among those matching
        ``condition``, and how many match (totalCount): one request."""
        query = f"{f'({condition}) ' if condition else ''}order by {order} limit 1"
        answer, page = self._retried(partial(self._page, {
            "app": app, "fields": list(dict.fromkeys([*fields, "$id"])), "query": query,
            "totalCount": "true"}))
        return (page[0] if page else None), _count(answer.get("totalCount"))

    def id_range(self, app: str, fields: Sequence[str], low: int, high: int,
                 on_page: Callable[[int, int | None], None] | None = None,
                 stop: threading.Event | None = None, condition: str = "") -> list[Record]:
        """The records with ``low < $id <= high`` (and ``condition``), seeking by ``$id``
        within the range (spec §1.2: ``$id > a and $id <= b order by $id asc limit 500``).
        An answer outside the range or out of order raises ``partitions.Inconsistent``."""
        wanted = list(dict.fromkeys([*fields, "$id"]))
        size = self.options.page_size
        out: list[Record] = []
        last = low
        while stop is None or not stop.is_set():
            cond = f"$id > {last} and $id <= {high}"
            if condition:
                cond = f"({condition}) and {cond}"
            _answer, page = self._retried(partial(self._page, {
                "app": app, "fields": wanted,
                "query": f"{cond} order by $id asc limit {size}"}))
            ids = [id_number(r) for r in page]
            if len(page) > size or any(not last < i <= high for i in ids) \
                    or any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
                raise Inconsistent(f"kintone app {app}: a page of ($id {last}, {high}] "
                                   "held records outside it or out of order")
            out.extend(page)
            if on_page is not None:
                on_page(len(page), None)
            if len(page) < size or ids[-1] >= high:  # the range is read: no empty page
                break
            last = ids[-1]
        return out

    def all_records(self, app: str, fields: Sequence[str], condition: str = "",
                    on_page: Callable[[int, int | None], None] | None = None) -> list[Record]:
        return [r for page in self.pages(app, fields, condition, on_page) for r in page]

    def form_fields(self, app: str, budget_s: float | None = None) -> dict[str, Any]:
        """``app/form/fields``: field code -> property (§1.9)."""
        answer = self.read("GET", "app/form/fields", {"app": app}, budget_s)
        props = answer.get("properties")
        if not isinstance(props, dict):
            raise ConnectorError(_("{SERVICE}的应答缺少字段列表（properties）").format(
                SERVICE=SERVICE),
                                 code="malformed")
        return {str(k): v for k, v in props.items() if isinstance(v, dict)}

    # -- writes ---------------------------------------------------------------------------

    def bulk(self, requests: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """One bulkRequest (≤20 sub-requests, applied all-or-nothing, §1.8): the results in
        order. A failure raises KintoneRejected with ``bulk_index`` set when kintone named
        the failing sub-request."""
        answer = self.call("POST", "bulkRequest", {"requests": list(requests)}, write=True)
        results = answer.get("results")
        if not isinstance(results, list) or len(results) != len(requests) \
                or not all(isinstance(r, dict) for r in results):
            raise AmbiguousError(_("{SERVICE}批量请求的应答无法识别：请求可能已生效，正在"
                                   "核对").format(
                SERVICE=SERVICE),
                                 code="malformed")
        return results

    def api_path(self, resource: str) -> str:
        """The path of ``resource`` for a bulkRequest's ``api`` (guest space included)."""
        return self.options.prefix + resource + ".json"


# -- helpers ----------------------------------------------------------------------------------

def _json(params: Mapping[str, Any]) -> bytes:
    return json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()


def _query_string(params: Mapping[str, Any]) -> str:
    """Arrays in kintone's bracket-index form: ``fields[0]=a&fields[1]=b`` (§1.1)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if isinstance(value, list | tuple):
            pairs.extend((f"{key}[{i}]", str(v)) for i, v in enumerate(value))
        else:
            pairs.append((key, str(value)))
    return urlencode(pairs)


def _records(answer: dict[str, Any]) -> tuple[dict[str, Any], list[Record]]:
    """A records page's answer and its records; RetryableError (read again) without them."""
    page = answer.get("records")
    if not isinstance(page, list) or not all(isinstance(r, dict) for r in page):
        raise RetryableError(_("{SERVICE}的应答缺少“records”列表").format(
            SERVICE=SERVICE), code="malformed")
    return answer, page


def _count(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _error_fields(payload: Mapping[str, Any]) -> tuple[str, str, Mapping[str, Any]]:
    code = payload.get("code")
    message = payload.get("message")
    errors = payload.get("errors")
    return (str(code), message if isinstance(message, str) else "",
            errors if isinstance(errors, dict) else {})


def answer_of(response: Answer, write: bool) -> dict[str, Any]:
    status = response.status_code
    payload: dict[str, Any] | None = json_object(response)
    bulk_index: int | None = None
    if payload is not None and status >= 300 and isinstance(payload.get("results"), list):
        # a failed bulkRequest: the failing sub-request's error, `{}` elsewhere (§1.8)
        for i, item in enumerate(payload["results"]):
            if isinstance(item, dict) and item.get("code"):
                payload, bulk_index = item, i
                break
    code = payload.get("code") if payload is not None else None
    if status == 429 or code == "GAIA_TO04" \
            or response.headers.get("x-cybozu-error") == "GAIA_TO04":
        STATUS.raise_for(429, write,
                         retry_after=retry_after_seconds(response, BUSY_RETRY_AFTER_S))
    if 200 <= status < 300 and payload is not None and not code:
        body: dict[str, Any] = payload
        return body
    if isinstance(code, str) and code and (status < 500 or status == 520):
        # 520: older domains' status for validation-type errors (GAIA_IA02, GAIA_IL23, §3.2)
        kcode, message, errors = _error_fields(payload or {})
        if kcode in RETRY_CODES:
            raise RetryableError(explain(kcode, message), code=kcode,
                                 retry_after=BUSY_RETRY_AFTER_S)
        raise KintoneRejected(explain(kcode, message, status, errors), kcode=kcode,
                              status=status, errors=errors, bulk_index=bulk_index)
    STATUS.raise_for(status, write)
