"""Small pieces every remote connector uses the same way: the status label a write sets, the
batch size check, retried reads, chunked reads on a few threads and bounded JSON parsing."""

from __future__ import annotations

import json
import math
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar, copy_context
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from ..config.fieldmap import FieldMap
from ..core.errors import FatalError, RetryableError
from ..core.model import CardStatus
from ..core.text import L_, _

# FieldMap keys as the operator reads them in a connection test's findings
FIELD_NAMES = {
    "student_no": L_("学号"), "name": L_("姓名"), "college": L_("学院"), "class_name": L_("班级"),
    "student_status": L_("学籍状态"), "card_student": L_("学生学号"),
    "card_open_time": L_("开通时间"), "card_amount": L_("余额"), "card_status": L_("卡状态"),
}

T = TypeVar("T")
R = TypeVar("R")


def status_label(fields: FieldMap, status: CardStatus) -> str:
    """The option label a write sets for ``status`` (a profile may say 停用 for 冻结)."""
    if status is CardStatus.NONE:
        raise FatalError(_("不能把卡状态设为“未开通”"), code="bad_request")
    return fields.card_status_labels[status]


def check_batch_size(n: int, limit: int) -> None:
    if n > limit:
        raise FatalError(_("一次最多写入 {limit} 条（收到 {n} 条）").format(
            limit=limit, n=n), code="bad_request")


# Who hears of the waits ``retried`` makes (the batch runner, for the calls of its thread):
# (seconds, attempt after the wait, the error) before a wait, (0, 0, None) after it.
read_waits: ContextVar[Callable[[float, int, RetryableError | None], None] | None] = \
    ContextVar("read_waits", default=None)


# Who hears that a write request is leaving now (the batch runner, for its chunk): called by
# ``connectors.http.exchange`` after every wait a connector makes before a write (its rate
# slot, a concurrency gate), so the journal's send time is never earlier than the real one.
write_sends: ContextVar[Callable[[], None] | None] = ContextVar("write_sends", default=None)


def note_write_sent() -> None:
    """Tell whoever listens (``write_sends``) that a write request leaves now."""
    hear = write_sends.get()
    if hear is not None:
        hear()


def retried(call: Callable[[], T], budget_s: float, sleep: Callable[[float], None], *,
            clock: Callable[[], float] = time.monotonic,
            jitter: Callable[[float, float], float] = random.uniform) -> T:
    """``call()``, repeated on RetryableError until ``budget_s`` seconds are spent, with an
    exponential backoff (0.5 s, 1 s, … at most 8 s, each scaled by a random 50–100 % so
    that the reads of several threads do not retry in step) or the error's retry_after if
    longer. The time spent counts the calls as well as the pauses: the larger of the clock's
    and the pauses' sum (a test's sleep that does not pass time still ends the loop). A
    budget of 0 is one attempt. Only for reads: they are safe to repeat."""
    start = clock()
    slept = 0.0
    attempt = 0
    while True:
        attempt += 1
        try:
            return call()
        except RetryableError as exc:
            delay = min(8.0, 0.5 * 2 ** min(attempt - 1, 5)) * jitter(0.5, 1.0)
            delay = max(delay, exc.retry_after or 0.0)
            if max(clock() - start, slept) + delay > budget_s:
                raise
            hear = read_waits.get()
            if hear is not None:
                hear(delay, attempt + 1, exc)
        sleep(delay)
        if hear is not None:
            hear(0.0, 0, None)
        slept += delay


def chunked(items: Sequence[T], size: int, read: Callable[[list[T]], list[R]],
            workers: int, name: str) -> list[R]:
    """``read`` over ``items`` in chunks of ``size``, on up to ``workers`` threads (a whole
    job's read-back is many chunks); the results concatenated in order."""
    parts = [list(items[i:i + size]) for i in range(0, len(items), size)]
    if len(parts) <= 1:
        return [r for part in parts for r in read(part)]
    contexts = [copy_context() for _ in parts]  # each thread hears as the caller's does
    with ThreadPoolExecutor(min(workers, len(parts)), thread_name_prefix=name) as pool:
        return [r for found in pool.map(lambda c, p: c.run(read, p), contexts, parts)
                for r in found]


def plain_text(value: Any) -> str:
    """A text-like value as read: "" for missing/null, integral numbers without ".0", a
    one-element list (a single choice) as its element."""
    if type(value) is str:  # the usual case first: 1.6 million calls in a 100,000 listing
        return value.strip()
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and len(value) == 1:
        return plain_text(value[0])
    return ""


class PagedProgress:
    """Progress of several listings paged at once (students and cards): the records read in
    all, and the total once every listing has reported its own (None until then)."""

    def __init__(self, progress: Callable[[int, int | None], None] | None,
                 sources: int) -> None:
        self._progress = progress
        self._sources = sources
        self._lock = threading.Lock()
        self._done = 0
        self._totals: dict[str, int] = {}

    def source(self, name: str) -> Callable[[int, int | None], None]:
        """The ``on_page(records in the page, total or None)`` callback of one listing."""
        def on_page(n: int, total: int | None) -> None:
            with self._lock:
                if total is not None:
                    self._totals[name] = total
                self._done += n
                whole = sum(self._totals.values()) \
                    if len(self._totals) == self._sources else None
                if self._progress is not None:
                    self._progress(self._done, whole)
        return on_page


MAX_JSON_DEPTH = 64  # far above any answer of these APIs (a kintone subtable is 8 deep)
_KEEP = b'"[]{}'
_NOT_KEPT = bytes(b for b in range(256) if b not in _KEEP)
_STRING = re.compile(rb'(?:"[^"]*+(?:"|\Z))++')  # once only quotes and brackets are left
_EMPTY = re.compile(rb"\[\]|\{\}")


class HasContent(Protocol):
    @property
    def content(self) -> bytes: ...


def nested_within(body: bytes, depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether the brackets of ``body`` outside its strings nest at most ``depth`` deep
    (False also for brackets that do not pair up, which no JSON has), so that ``json.loads``
    is never handed a body it would recurse into deeper than that. Linear passes in C: the
    escaped backslashes and quotes out (left to right, as a string's escapes pair up), all
    but quotes and brackets out, the strings out, then the empty pairs ``[]``/``{}`` removed
    once per level. Up to the first place where a body stops being JSON, this is the nesting
    the parser sees, and the parser stops there."""
    flat = body.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_KEPT)
    brackets = _STRING.sub(b"", flat)
    for _level in range(depth):
        if not brackets:
            return True
        shorter = _EMPTY.sub(b"", brackets)
        if len(shorter) == len(brackets):
            return False  # unpaired
        brackets = shorter
    return not brackets


def _no_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


def json_object(response: HasContent) -> dict[str, Any] | None:
    """The answer's body when it is a JSON object, else None (an HTML page, a cut-off body,
    NaN or Infinity, nesting deeper than MAX_JSON_DEPTH, a number of more than 4,300
    digits). Never raises: a hostile body is an unreadable answer, which the answer tables
    classify."""
    body = response.content
    if not nested_within(body):
        return None
    try:
        payload: Any = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # RecursionError: a deep call stack already
        return None
    return payload if isinstance(payload, dict) else None


# -- values every backend reads the same way ------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field of a form as widget/list describes it (for the profile dialog)."""

    name: str  # the key the API uses (alias or _widget_…)
    label: str
    type: str
    options: list[str]


def ms_of(value: Any) -> int | None:
    """A datetime as read (UTC ISO string, or epoch ms) in ms; None when empty/unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str) and value.strip():
        try:
            dt = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        if dt.tzinfo is None:  # the API always answers …Z; a bare time is taken as UTC
            dt = dt.replace(tzinfo=UTC)
        return (dt - _EPOCH) // _MS  # exact: createTime orders cards to the millisecond
    return None


def decimal_of(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        return Decimal("0")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return Decimal("0")
    return amount if amount.is_finite() else Decimal("0")
