"""简道云 (Jiandaoyun) open API v5 connector (shared/specs/jiandaoyun.md).

Students and cards are two forms of one app. A card record holds the student's 学号 in a text
field (``studentInfo``). 简道云 does not refuse a second card record for a student, so a
student may have several: the current one is ``core.cards.current_card`` (the earliest live
card by createTime then ``_id``, else the newest record), and the runner removes the other live
ones (``read_card_records``, ``remove_cards``). The wire (auth, rate limits, answers, paging)
is ``jiandaoyun_api``; records ↔ domain values are ``jiandaoyun_records``.

Writes: ``batch_create`` (≤100, one ``transaction_id`` per request) to open cards,
``batch_update`` (≤100 ids, one status) for 冻结/解冻/注销 and ``batch_delete`` (≤100 ids) for
duplicates. 简道云 has no optimistic lock: a card changed by someone else between listing and
writing is not detected by the API (the runner reads each chunk's cards just before sending).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from ...config.field_discovery import FieldLister
from ...connectors.base import (
    Abilities,
    CardCreate,
    CardHistory,
    CardUpdate,
    Consistency,
    Limits,
    ListProgress,
    RecordResult,
)
from ...connectors.common import (
    FIELD_NAMES,
    FieldInfo,
    check_batch_size,
    chunked,
    status_label,
)
from ...connectors.http import ClientFactory
from ...connectors.joining import cards_of, unknown_label_error
from ...connectors.partitions import Inconsistent
from ...core.cards import LIVE
from ...core.errors import AmbiguousError, ConfigError, ConnectorError, FatalError
from ...core.model import Card, CardStatus, StudentRow
from ...core.outcomes import Failed, Succeeded
from ...core.text import L_, _
from .api import BATCH_CREATE, BATCH_DELETE, BATCH_UPDATE, SERVICE, JdyApi
from .errors import area_of
from .records import (
    MAX_BATCH,
    READER,
    JdyOptions,
    Record,
    card_of,
    current_cards,
    iso_of,
    join_rows,
    text_of,
)

__all__ = ["FieldInfo", "JiandaoyunConnector"]

log = logging.getLogger(__name__)

_SELECT_TYPES = ("radiogroup", "combo", "checkboxgroup", "combocheck")
_AREA_TEXT = {
    "network": L_("网络连接失败"), "auth": L_("API Key 无效"), "permission": L_("API Key 权限不足"),
    "app": L_("应用不存在"), "form": L_("表单不存在"), "field": L_("字段对应有误"),
}


def _unanswered(exc: AmbiguousError) -> bool:
    """Whether the server may still be working on the request (no answer from the backend:
    timeout, connection lost, a gateway's 5xx) — unlike a partial or unreadable answer."""
    return exc.code in ("timeout", "network") or exc.code.startswith("http_5")


@dataclass(frozen=True, slots=True)
class _Unsettled:
    """The record set of a create chunk's request that ended without an answer."""

    items: list[CardCreate]
    at: float  # clock() when it was sent


def _count_is(value: Any, n: int) -> bool:
    """Whether an answer's count is the number ``n`` (not ``true``, not ``1.0``, not "1")."""
    return type(value) is int and value == n


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _transaction_id(key: str, operation: str, label: str, idents: Iterable[str],
                    generation: int = 0) -> str:
    """The transaction_id for one request: a UUID derived from the chunk's idempotency key and
    the exact set of records sent (plus a generation bumped after a 17026)."""
    if not key:
        return str(uuid.uuid4())  # no idempotency asked for
    try:
        namespace = uuid.UUID(key)
    except ValueError:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, "campuscard-gui:" + key)
    name = "\n".join([operation, label, str(generation), *sorted(idents)])
    return str(uuid.uuid5(namespace, name))


class JiandaoyunConnector(Abilities):
    """The Connector protocol over a 简道云 app (students form + cards form)."""

    kind: str = "jiandaoyun"

    def __init__(self, options: Mapping[str, Any], api_key: str, *,
                 client_factory: ClientFactory | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 now_ms: Callable[[], int] = _now_ms) -> None:
        self.options = JdyOptions.parse(options)
        if not isinstance(api_key, str) or not api_key.strip():
            raise ConfigError(_("简道云 API Key 为空：请在配置中保存密钥"))
        opts = self.options
        self.fields = opts.fields
        # requests_per_second 0: JdyApi paces every request itself (per endpoint and in
        # all), once; the runner's journal follows the real send time (write_sends)
        self.limits = Limits(batch_size=opts.batch_size, requests_per_second=0.0,
                             concurrency=opts.concurrency)
        # No unique field and no revision check: the runner reads fresh state before each
        # chunk and converges duplicates (read_card_records, remove_cards). Within a run a
        # resend reuses the chunk's transaction_id, so a late request is only a replay; after a
        # restart that memory is gone and the runner waits settle_s from the journal's send
        # time. The open time is written as sent; 简道云 is taken to keep seconds [INFER].
        self.consistency = Consistency(conditional_updates=False, one_card_per_student=False,
                                       settle_s=opts.settle_s, open_time_resolution_ms=1000)
        self.list_warnings: list[str] = []  # what the last list_rows left out, and why
        self._api = JdyApi(opts, api_key.strip(), client_factory=client_factory, clock=clock,
                           sleep=sleep)
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self._burned: dict[str, int] = {}  # transaction ids answered 17026 -> next generation
        self._unsettled: dict[str, _Unsettled] = {}  # create chunk key -> unanswered set
        self._clock = clock
        self._sleep = sleep
        self._whole_cards = False  # card reads ask for whole records (see _card_fields)

    def __repr__(self) -> str:
        return f"JiandaoyunConnector(app_id={self.options.app_id!r})"

    # -- abilities (connectors.base.Connector) -------------------------------------------------

    def card_history(self) -> CardHistory | None:
        return self

    def field_lister(self) -> FieldLister | None:
        return self

    def close(self) -> None:
        self._api.close()

    # -- reading -------------------------------------------------------------------------

    def _card_fields(self) -> list[str] | None:
        """The card fields read, with createTime (the survivor rule orders a student's cards
        by it); None — whole records — once an answer left createTime out: whether
        ``fields`` may name a system field is not documented [INFER]."""
        with self._lock:
            if self._whole_cards:
                return None
        return [*self.fields.card_fields(), "createTime", "updateTime"]

    def _card_pages(self, flt: Mapping[str, Any] | None,
                    on_page: Callable[[int], None] | None = None) -> list[Record]:
        """Card records matching ``flt``, each with its createTime (read again whole when
        the server dropped it from the fields asked for)."""
        fields = self._card_fields()
        records = self._api.pages(self.options.cards_entry, fields, flt, on_page)
        if fields is None or all("createTime" in r for r in records):
            return records
        log.warning("jiandaoyun: createTime was left out of the fields asked for; "
                    "reading whole card records from now on")
        with self._lock:
            self._whole_cards = True
        return self._api.pages(self.options.cards_entry, None, flt)

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        """All students joined with their current card. Both forms are paged at once (each
        form's cursor is sequential). Left-out rows are explained in ``list_warnings``."""
        fm = self.fields
        lock = threading.Lock()
        done = [0]

        def on_page(n: int) -> None:
            with lock:
                done[0] += n
                if progress is not None:
                    progress(done[0], None)

        students, cards = self._read_all(on_page)
        rows, warnings = join_rows(students, cards, fm)
        self.list_warnings = warnings
        return rows

    def _read_all(self, on_page: Callable[[int], None]) -> tuple[list[Record], list[Record]]:
        """Every student record and every card record: as ``_id`` ranges on several cursors
        (``JdyApi.partitioned``), or with one cursor per form when ``list_cursors`` is 1 or
        the ranges' answers do not fit."""
        opts = self.options
        if opts.list_cursors > 1:
            fields = self._card_fields()
            try:
                students, cards = self._api.partitioned(
                    [(opts.students_entry, self.fields.student_fields()),
                     (opts.cards_entry, fields)], on_page)
            except Inconsistent as exc:
                log.warning("jiandaoyun: listing with %d cursors abandoned (%s); listing with "
                            "one cursor per form", opts.list_cursors, exc)
            else:
                if fields is None or all("createTime" in r for r in cards):
                    return students, cards
                return students, self._card_pages(None)  # createTime left out: whole
        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-jdy-list") as pool:
            students_f = pool.submit(self._api.pages, opts.students_entry,
                                     self.fields.student_fields(), None, on_page)
            cards_f = pool.submit(self._card_pages, None, on_page)
            return students_f.result(), cards_f.result()

    def _card_records(self, student_nos: Sequence[str]) -> list[Record]:
        """Every card record of the given students (filter ``in``, re-checked locally: a
        filter the server drops silently would otherwise return the whole form). Chunks are
        read by up to ``concurrency`` threads (a read-back of a whole job is many chunks)."""
        return chunked(student_nos, self.options.in_max_values, self._card_records_part,
                       self.options.concurrency, "campuscard-jdy-read")

    def _card_records_part(self, part: list[str]) -> list[Record]:
        fm = self.fields
        flt = {"rel": "and", "cond": [
            {"field": fm.card_student, "type": "text", "method": "in", "value": part}]}
        try:
            records = self._card_pages(flt)
        except FatalError as exc:
            if exc.code == "4815" and len(part) > 1:  # filter too long: halve it
                half = len(part) // 2
                return self._card_records_part(part[:half]) + self._card_records_part(
                    part[half:])
            raise
        wanted = set(part)
        kept = [r for r in records if text_of(r.get(fm.card_student)) in wanted]
        if len(kept) < len(records):
            log.warning("jiandaoyun: the server ignored a filter (%d of %d rows kept)",
                        len(kept), len(records))
        return kept

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        wanted = [no for no in dict.fromkeys(student_nos) if no]
        return cards_of(current_cards(self._card_records(wanted), self.fields), self.fields,
                        READER)

    def read_card_records(self, student_nos: Iterable[str]) -> dict[str, list[Card]]:
        """Every card record of each student, with its createTime (for the survivor rule)."""
        wanted = [no for no in dict.fromkeys(student_nos) if no]
        found: dict[str, list[Card]] = {}
        for rec in self._card_records(wanted):
            card = card_of(rec, self.fields)
            if card is None:  # never guess whether a card is live
                raise unknown_label_error(rec, self.fields, READER)
            found.setdefault(card.student_no, []).append(card)
        return found

    def remove_cards(self, cards: Sequence[Card]) -> list[RecordResult]:
        """Delete duplicate card records with ``batch_delete`` (≤100 ids a request, at the
        batch rate; 17033 — over the count — halves the request). Deleting is safe to repeat,
        so an unclear outcome is settled by reading the cards back, not raised:

        - ``success_count`` below the ids sent (whether an id that no longer exists lowers it
          or fails the whole request is not documented, spec §3.7/§9);
        - 4001 (some id does not exist: perhaps the whole request was refused);
        - no readable answer (timeout, dropped connection, 5xx, an unreadable body).

        Each such card is read by id (data/get): gone, or no longer live → Succeeded; still
        live (or showing a status label that is not mapped) → deleted once more, then Failed
        if it still is. Rate limits and a busy form are retried here; other failures of the
        whole call raise (the runner retries it, and a repeat is harmless)."""
        ids = list(dict.fromkeys(c.card_id for c in cards if c.card_id))
        results: dict[str, RecordResult] = {}
        pending = self._delete_ids(ids, settle=True)
        for last in (False, True):
            if not pending:
                break
            records = self._records_by_id(pending)
            again: list[str] = []
            for ident in pending:
                result = self._removal(ident, records.get(ident))
                if isinstance(result, Succeeded) or last:
                    results[ident] = result
                else:
                    again.append(ident)
            # The resend's own unclear answer is not settled again: it raises, and the
            # runner retries the whole call.
            pending = self._delete_ids(again, settle=False) if again else []
        return [results.get(c.card_id, Succeeded(c.card_id)) if c.card_id
                else Failed("bad_request", _("卡记录编号为空，无法删除")) for c in cards]

    def _delete_ids(self, ids: list[str], settle: bool) -> list[str]:
        """batch_delete ``ids`` (≤100 a request); the ids whose removal is not confirmed."""
        step = max(1, min(MAX_BATCH, self.options.batch_size))
        return [ident for start in range(0, len(ids), step)
                for ident in self._delete_part(ids[start:start + step], settle)]

    def _delete_part(self, part: list[str], settle: bool) -> list[str]:
        body = {"app_id": self.options.app_id, "entry_id": self.options.cards_entry,
                "data_ids": part}
        try:
            # refusals (rate limits, a busy form) are retried: nothing was deleted
            answer = self._api.retried(lambda: self._api.post(BATCH_DELETE, body, write=True))
        except FatalError as exc:
            if exc.code == "17033" and len(part) > 1:  # over the count limit: split it
                half = len(part) // 2
                return self._delete_part(part[:half], settle) + self._delete_part(
                    part[half:], settle)
            if exc.code == "4001":
                return part  # some id does not exist: which, and whether the rest went
            raise
        except AmbiguousError:
            if not settle:
                raise
            return part
        if _count_is(answer.get("success_count"), len(part)):
            return []
        return part

    def _records_by_id(self, ids: list[str]) -> dict[str, Record | None]:
        """Each card record by id (data/get; None when it does not exist), on up to
        ``concurrency`` threads."""
        entry = self.options.cards_entry

        def read(part: list[str]) -> list[tuple[str, Record | None]]:
            return [(ident, self._api.get(entry, ident)) for ident in part]

        workers = max(1, self.options.concurrency)
        size = max(1, -(-len(ids) // workers))
        return dict(chunked(ids, size, read, workers, "campuscard-jdy-get"))

    def _removal(self, ident: str, rec: Record | None) -> RecordResult:
        """What a card read back after its deletion shows: Succeeded when it is gone or no
        longer live; Failed when it is still live or its status cannot be told."""
        if rec is None:
            return Succeeded(ident)
        card = card_of(rec, self.fields)
        if card is None:
            label = text_of(rec.get(self.fields.card_status))
            shown = f"“{label}”" if label else _("空白")
            return Failed("label", _("卡记录 {ident} 未能删除，其状态为{shown}，不在字段对应的卡状"
                                     "态选项中，无法判断这张卡是否有效").format(
                ident=ident, shown=shown))
        if card.status in LIVE:
            return Failed("not_removed", _("卡记录 {ident} 删除后仍然存在且有效").format(
                ident=ident))
        return Succeeded(ident)

    # -- writes ----------------------------------------------------------------------------

    def _tid(self, key: str, operation: str, label: str, idents: list[str]) -> str:
        base = _transaction_id(key, operation, label, idents)
        with self._lock:
            generation = self._burned.get(base, 0)
        return base if not generation else _transaction_id(key, operation, label, idents,
                                                           generation)

    def _burn(self, key: str, operation: str, label: str, idents: list[str]) -> None:
        """After 17026 the next send of this record set uses a fresh transaction_id (the
        runner reads back first, so only what is really missing is sent under it)."""
        base = _transaction_id(key, operation, label, idents)
        with self._lock:
            self._burned[base] = self._burned.get(base, 0) + 1

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """Create a card per item with ``batch_create``; see ``_create_set`` for which records
        are sent under which transaction_id."""
        if not items:
            return []
        check_batch_size(len(items), self.options.batch_size)
        label = status_label(self.fields, status)
        now = self._now_ms()
        items = [it if it.open_time else replace(it, open_time=now) for it in items]
        key = idempotency_key
        sent = self._create_set(key, items)
        replaying = len(sent) > len(items)
        for _attempt in range(3 if replaying else 1):
            ids = self._create_once(key, sent, label)
            if ids is not None:
                with self._lock:
                    self._unsettled.pop(key, None)
                by_no = {it.student_no: i for it, i in zip(sent, ids, strict=True)}
                return [Succeeded(by_no[it.student_no]) for it in items]
            # A partial replay has replaced (deleted) rows of the earlier run: resend it
            # whole at once (spec §3.5) rather than leave confirmed cards missing.
        raise AmbiguousError(
            _("{SERVICE}没有确认全部 {sent} 条卡记录已新建，正在核对").format(
                SERVICE=SERVICE, sent=len(sent)), code="partial")

    def _create_once(self, key: str, sent: list[CardCreate], label: str) -> list[str] | None:
        """One batch_create of ``sent``: the new ids in order, or None for a partial answer
        (its shape is UNCONFIRMED, spec §3.5: the runner reads back)."""
        nos = [it.student_no for it in sent]
        tid = self._tid(key, "create", label, nos)
        try:
            answer = self._write(BATCH_CREATE, self._create_body(sent, label, tid), key,
                                 "create", label, nos)
        except AmbiguousError as exc:
            if key and _unanswered(exc):  # the server may still apply it later
                with self._lock:
                    self._unsettled.setdefault(key, _Unsettled(sent, self._clock()))
            raise
        count, ids = answer.get("success_count"), answer.get("success_ids")
        if _count_is(count, len(sent)) and isinstance(ids, list) and len(ids) == len(sent) \
                and all(isinstance(i, str) and i.strip() for i in ids):
            return [str(i) for i in ids]
        return None

    def _create_set(self, key: str, items: list[CardCreate]) -> list[CardCreate]:
        """The records to send. The transaction_id is derived from the chunk's key AND the set
        sent, because 简道云 *replaces* a batch resent under the same id (spec §3.5):
        (1) the runner's resend of the still-missing subset (after its read-back) gets its own
            id, so it can never replace — delete — the cards an earlier request created;
        (2) resending the same set replays it under the same id: still one card each;
        (3) but once a request of the chunk ended without an answer (timeout, dropped
            connection, 5xx) the server may still apply it later, which would create the
            subset a second time: from then on that whole set is resent under its id, so a
            late arrival is one more replay of the same batch (within the id's validity).
        Memory of (3) is per process; after a crash the read-back and (1) still apply.
        """
        with self._lock:
            held = self._unsettled.get(key) if key else None
        if held is None or self._clock() - held.at > self.options.replay_window_s:
            return items
        if {it.student_no for it in items} <= {it.student_no for it in held.items}:
            return held.items
        return items

    def _create_body(self, items: Sequence[CardCreate], label: str, tid: str
                     ) -> dict[str, Any]:
        fm = self.fields
        return {"app_id": self.options.app_id, "entry_id": self.options.cards_entry,
                "is_start_workflow": False, "transaction_id": tid,
                "data_list": [{
                    fm.card_student: {"value": it.student_no},
                    fm.card_open_time: {"value": self._datetime(it.open_time)},
                    fm.card_amount: {"value": 0},
                    fm.card_status: {"value": label},
                } for it in items]}

    def _datetime(self, ms: int) -> int | str:
        return ms if self.options.open_time_format == "ms" else iso_of(ms)

    def _write(self, endpoint: str, body: Mapping[str, Any], key: str, operation: str,
               label: str, idents: list[str]) -> dict[str, Any]:
        try:
            return self._api.post(endpoint, body, write=True)
        except AmbiguousError as exc:
            if exc.code == "17026":
                self._burn(key, operation, label, idents)
            raise

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """One ``batch_update`` setting the status label. When 简道云 confirms fewer ids than
        sent (or answers 4001), the cards are read back: a card that no longer exists is
        Failed("4001"), one showing the status is Succeeded, the rest are sent once more."""
        if not items:
            return []
        check_batch_size(len(items), self.options.batch_size)
        label = status_label(self.fields, status)
        return self._update(list(items), label, idempotency_key, again=True)

    def _update(self, items: list[CardUpdate], label: str, key: str,
                again: bool) -> list[RecordResult]:
        ids = [it.card_id for it in items]
        body = {"app_id": self.options.app_id, "entry_id": self.options.cards_entry,
                "data_ids": ids, "data": {self.fields.card_status: {"value": label}},
                "transaction_id": self._tid(key, "update", label, ids)}
        try:
            answer = self._write(BATCH_UPDATE, body, key, "update", label, ids)
        except FatalError as exc:
            if exc.code != "4001":
                raise
            answer = {}  # some id does not exist: find out which below
        if _count_is(answer.get("success_count"), len(items)):
            return [Succeeded(it.card_id) for it in items]
        by_id = {str(r.get("_id", "")): r
                 for r in self._card_records([it.student_no for it in items])}
        results: dict[int, RecordResult] = {}
        pending: list[int] = []
        for i, it in enumerate(items):
            rec = by_id.get(it.card_id)
            if rec is None:
                results[i] = Failed("4001", _("卡记录不存在"))
            elif text_of(rec.get(self.fields.card_status)) == label:
                results[i] = Succeeded(it.card_id)
            else:
                pending.append(i)
        if pending:
            if not again:
                raise AmbiguousError(
                    _("{SERVICE}没有确认全部卡记录的修改（{pending} 条未生效），正在核对").format(
                        SERVICE=SERVICE, pending=len(pending)),
                    code="partial")
            retried = self._update([items[i] for i in pending], label, key, again=False)
            results.update(zip(pending, retried, strict=True))
        return [results[i] for i in range(len(items))]

    # -- fields and the connection test ----------------------------------------------------

    def list_fields(self, entry_id: str) -> list[FieldInfo]:
        """The fields of a form (top level, in form order) for the profile dialog."""
        return [_field_info(w) for w in self._api.widgets(entry_id)]

    def check_connection(self) -> None:
        """Read both forms' fields; raise a ConnectorError whose code says what is wrong:
        "network", "auth", "permission", "app", "form" or "field" (a mapped field missing,
        or — where the form lists its options — a card status label it does not offer)."""
        fm = self.fields
        forms = (
            (_("学生表单"), self.options.students_entry,
             ("student_no", "name", "college", "class_name", "student_status")),
            (_("卡记录表单"), self.options.cards_entry,
             ("card_student", "card_open_time", "card_amount", "card_status")),
        )
        problems = []
        for title, entry, keys in forms:
            try:
                widgets = self._api.widgets(entry, budget_s=0)  # answer the operator quickly
            except ConnectorError as exc:
                raise _connection_error(exc, title, entry) from None
            infos = {f.name: f for f in map(_field_info, widgets)}
            aliases = {str(w.get("widgetName", "")): str(w.get("name", "")) for w in widgets}
            missing = []
            for key in keys:
                name = getattr(fm, key)
                if name in infos:
                    continue
                if name in aliases:
                    missing.append(_("{value}（{name} 已设置别名 {value2}，请改用别名）").format(
                        value=FIELD_NAMES[key], name=name, value2=aliases[name]))
                else:
                    missing.append(_("{value}（{name}）").format(value=FIELD_NAMES[key], name=name))
            if missing:
                problems.append(_("{title}中找不到这些字段：{fields}。").format(
                    title=title, fields=_("、").join(missing)))
            status = infos.get(fm.card_status) if entry == self.options.cards_entry else None
            if status is not None and status.options:
                # 简道云 does not validate written option values: a wrong label would be
                # stored as is, so it is caught here instead.
                absent = [t for t in fm.card_status_labels.values() if t not in status.options]
                if absent:
                    problems.append(_("卡状态字段（{field}）的选项中没有{options}。").format(
                        field=status.name,
                        options=_("、").join(_("“{option}”").format(option=t) for t in absent)))
        if problems:
            raise ConnectorError("".join(problems) + _("请在配置中重新对应字段。"), code="field")


def _field_info(widget: Record) -> FieldInfo:
    kind = str(widget.get("type", ""))
    options: list[str] = []
    items = widget.get("items")
    if kind in _SELECT_TYPES and isinstance(items, list):
        for item in items:
            value = item.get("value", item.get("text")) if isinstance(item, dict) else item
            if isinstance(value, str) and value:
                options.append(value)
    return FieldInfo(str(widget.get("name", "")), str(widget.get("label", "")), kind, options)


def _connection_error(exc: ConnectorError, title: str, entry: str) -> ConnectorError:
    area = exc.code if exc.code in ("network", "timeout") else area_of(exc.code)
    area = "network" if area == "timeout" else area
    if not area:
        return exc
    detail = exc.message
    if area == "form":
        detail = _("{title}（{entry}）不存在：请检查配置中的表单 ID（{message}）").format(
            title=title, entry=entry, message=exc.message)
    return ConnectorError(_("连接测试失败：{value}。{detail}").format(
        value=_AREA_TEXT[area], detail=detail), code=area)

