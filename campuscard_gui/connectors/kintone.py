"""kintone connector (shared/specs/kintone.md).

Students and cards are two apps. A card record holds the student's 学号 in a text field
that should prohibit duplicates ("unique"): then kintone itself guarantees one card record per
student, and no resend — after a timeout, a crash, a second operator — can create a second one.
``check_connection`` insists on it (``require_unique_student``).

Reading: both apps are paged by ``$id`` (seek, not offset: works past 10,000 records and
uses none of the domain's cursors). Writing: one chunk of the batch runner is ONE bulkRequest
of up to 20 sub-requests × 100 records (2,000 records), which kintone applies all-or-nothing
(§1.8), so after each call every record's fate is known:

- success: every record succeeded (the ids come back in order);
- a failure names the failing sub-request and, for validation errors, the records in it
  (``records[i].<field>.value``). Those records get kintone's error — or, when it is the
  unique student field, the student's existing card is read: a live one means 已开通
  (Skipped, nothing written), a cancelled one is re-opened in place by ``$id`` with its
  revision — and the rest, rolled back, is sent again without them;
- a failing update sub-request without record indexes (a card deleted: GAIA_RE01, changed by
  someone else: GAIA_CO02) is resolved by reading those cards back by ``$id``.

Updates (冻结/解冻/注销) go by ``$id`` with the revision the card had when it was listed, so a
card changed by someone else meanwhile is reported (GAIA_CO02), never overwritten.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import (
    AmbiguousError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from ..core.model import Card, CardStatus, StudentRow
from ..core.outcomes import Failed, Skipped, SkipReason, Succeeded
from .base import CardCreate, CardUpdate, Limits, ListProgress, RecordResult
from .common import FIELD_NAMES, PagedProgress, check_batch_size, chunked, status_label
from .http import ClientFactory
from .jiandaoyun_records import FieldInfo
from .joining import RecordReader, cards_of, join_rows, unknown_label_error
from .kintone_api import KintoneApi, KintoneAuth, KintoneRejected
from .kintone_errors import area_of
from .kintone_records import (
    SERVICE,
    KintoneOptions,
    Record,
    card_of,
    datetime_of,
    newest_cards,
    quoted,
    record_id,
    text_of,
)

__all__ = ["KintoneAuth", "KintoneConnector"]

READER = RecordReader(SERVICE, text_of, record_id, card_of)
_RECORD_KEY = re.compile(r"^records\[(\d+)\](?:\.([^.\[\]]+)|\[([^\]]+)\])")
_LIVE = (CardStatus.ACTIVE, CardStatus.FROZEN)
# refusals of an update that concern its records, not the request: a card deleted (GAIA_RE01)
# or changed since it was listed (GAIA_CO02)
_RECORD_CODES = frozenset({"GAIA_RE01", "GAIA_CO02"})
_LAYOUT_TYPES = frozenset({"GROUP", "LABEL", "SPACER", "HR", "SUBTABLE", "REFERENCE_TABLE",
                           "CATEGORY", "STATUS", "STATUS_ASSIGNEE", "FILE"})
_AREA_TEXT = {
    "network": "网络连接失败", "auth": "认证失败", "permission": "权限不足",
    "app": "应用不存在", "space": "来宾空间不对", "field": "字段对应有误",
}


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(slots=True)
class _Op:
    """One record to write: a new card (``card_id`` "") or an update of ``card_id``."""

    pos: int  # index in the caller's items
    student_no: str
    record: dict[str, dict[str, Any]]
    card_id: str = ""
    revision: str = ""

    @property
    def method(self) -> str:
        return "PUT" if self.card_id else "POST"


@dataclass(slots=True)
class _Round:
    """What one failed bulkRequest taught: decided records and ops to send differently."""

    decided: dict[int, RecordResult] = field(default_factory=dict)
    replaced: dict[int, _Op] = field(default_factory=dict)

    @property
    def progressed(self) -> bool:
        return bool(self.decided or self.replaced)


class KintoneConnector:
    """The Connector protocol over a kintone domain (students app + cards app)."""

    kind: str = "kintone"

    def __init__(self, options: Mapping[str, Any], auth: KintoneAuth, *,
                 client_factory: ClientFactory | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 now_ms: Callable[[], int] = _now_ms) -> None:
        self.options = KintoneOptions.parse(options)
        opts = self.options
        self.fields = opts.fields
        # One runner chunk = one bulkRequest; chunks in flight ≤ the request slots.
        self.limits = Limits(batch_size=opts.batch_size, requests_per_second=0.0,
                             concurrency=opts.concurrency)
        self.list_warnings: list[str] = []
        self._api = KintoneApi(opts, auth, client_factory=client_factory, sleep=sleep)
        self._now_ms = now_ms

    def __repr__(self) -> str:
        o = self.options
        return (f"KintoneConnector(base_url={o.base_url!r}, students_app={o.students_app!r},"
                f" cards_app={o.cards_app!r})")

    def close(self) -> None:
        self._api.close()

    # -- reading -------------------------------------------------------------------------

    def _card_fields(self) -> list[str]:
        return [*self.fields.card_fields(), "$revision"]

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        """All students joined with their current card; both apps are paged at once.
        Progress counts records of both apps; the total is known after the first pages."""
        opts = self.options
        paged = PagedProgress(progress, 2)
        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-kintone-list") as pool:
            students = pool.submit(self._api.all_records, opts.students_app,
                                   self.fields.student_fields(), "", paged.source("students"))
            cards = pool.submit(self._api.all_records, opts.cards_app, self._card_fields(),
                                "", paged.source("cards"))
            current = newest_cards(cards.result(), self.fields)
            rows, warnings = join_rows(students.result(), current, self.fields, READER)
        self.list_warnings = warnings
        return rows

    def _card_records(self, student_nos: Sequence[str]) -> list[Record]:
        """Every card record of the given students (``in`` queries of ``in_max_values``,
        run by up to ``concurrency`` threads — a whole job's read-back is many)."""
        return chunked(student_nos, self.options.in_max_values, self._card_records_part,
                       self.options.concurrency, "campuscard-kintone-read")

    def _card_records_part(self, part: list[str]) -> list[Record]:
        code = self.fields.card_student
        condition = f"{code} in ({', '.join(quoted(no) for no in part)})"
        wanted = set(part)
        return [r for r in self._api.all_records(self.options.cards_app, self._card_fields(),
                                                 condition)
                if text_of(r, code) in wanted]

    def _cards_by_id(self, card_ids: Iterable[str]) -> dict[str, Record]:
        ids = [i for i in dict.fromkeys(card_ids) if i.isdigit()]
        found: dict[str, Record] = {}
        step = self.options.in_max_values
        for start in range(0, len(ids), step):
            condition = f"$id in ({', '.join(ids[start:start + step])})"
            for rec in self._api.all_records(self.options.cards_app, self._card_fields(),
                                             condition):
                found[record_id(rec)] = rec
        return found

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        wanted = [no for no in dict.fromkeys(student_nos) if no]
        return cards_of(newest_cards(self._card_records(wanted), self.fields), self.fields,
                        READER)

    # -- writes ----------------------------------------------------------------------------

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """A new card record per item; a student whose card the plan saw cancelled gets that
        record re-opened in place (by ``$id``, with its revision), as does one whose create is
        refused on the unique student field because of a cancelled card. The idempotency key
        is not needed: with the unique student field kintone refuses a second card itself."""
        if not items:
            return []
        check_batch_size(len(items), self.options.batch_size)
        label = status_label(self.fields, status)
        now = self._now_ms()
        fm = self.fields
        ops = []
        for i, it in enumerate(items):
            opened = {fm.card_status: {"value": label},
                      fm.card_open_time: {"value": datetime_of(it.open_time or now)}}
            if it.card_id.isdigit():  # the cancelled card the plan saw: re-opened in place
                ops.append(_Op(i, it.student_no, opened, it.card_id, it.revision))
            else:
                ops.append(_Op(i, it.student_no, {fm.card_student: {"value": it.student_no},
                                                  **opened, fm.card_amount: {"value": "0"}}))
        results = self._apply(ops, label, opening=True)
        return [results[i] for i in range(len(items))]

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """Set the status of each card by ``$id``, checking the revision it was listed with."""
        if not items:
            return []
        check_batch_size(len(items), self.options.batch_size)
        label = status_label(self.fields, status)
        bad = [it.card_id for it in items if not it.card_id.isdigit()]
        if bad:
            raise FatalError(f"卡记录 ID 无效：{'、'.join(bad[:5])}", code="bad_request")
        ops = [_Op(i, it.student_no, {self.fields.card_status: {"value": label}},
                   it.card_id, it.revision) for i, it in enumerate(items)]
        results = self._apply(ops, label, opening=False)
        return [results[i] for i in range(len(items))]

    def _apply(self, ops: list[_Op], label: str, *, opening: bool) -> dict[int, RecordResult]:
        """Send ``ops`` as bulkRequests until every op has a result (see the module doc).
        Every round either succeeds or decides/changes at least one op, so it ends."""
        results: dict[int, RecordResult] = {}
        pending = ops
        retried: set[int] = set()  # creates refused on the student field once already
        committed = False  # a bulkRequest of this call went through (more did not fit in it)
        while pending:
            requests, groups = self._requests(pending)
            try:
                try:
                    answers = self._api.bulk(requests)
                except KintoneRejected as exc:
                    learned = self._learn(exc, groups, label, opening, retried)
                    if not learned.progressed:
                        raise
                    results.update(learned.decided)
                    pending = [learned.replaced.get(op.pos, op) for op in pending
                               if op.pos not in learned.decided]
                    continue
                for group, answer in zip(groups, answers, strict=True):
                    for op, card_id in zip(group, _ids_of(group, answer), strict=True):
                        results[op.pos] = Succeeded(card_id)
            except ConnectorError as exc:
                if not committed:
                    raise  # nothing of this call is written: the runner decides for all
                if isinstance(exc, RetryableError | AmbiguousError):  # read back, resend rest
                    raise AmbiguousError(
                        f"{SERVICE}：本批部分记录已写入，其余未确认（{exc.message}），正在核对",
                        code=exc.code) from None
                results.update((op.pos, Failed(exc.code, exc.message)) for op in pending)
                return results
            committed = True
            sent = {op.pos for group in groups for op in group}
            pending = [op for op in pending if op.pos not in sent]
        return results

    def _requests(self, ops: Sequence[_Op]) -> tuple[list[dict[str, Any]], list[list[_Op]]]:
        """Sub-requests for one bulkRequest: creates, then updates, ≤100 records each; at most
        ``requests_per_bulk`` of them (what does not fit waits for the next round)."""
        opts = self.options
        step = opts.records_per_request
        groups: list[list[_Op]] = []
        for method in ("POST", "PUT"):
            mine = [op for op in ops if op.method == method]
            groups.extend(mine[i:i + step] for i in range(0, len(mine), step))
        groups = groups[:opts.requests_per_bulk]
        api = self._api.api_path("records")
        requests: list[dict[str, Any]] = []
        for group in groups:
            if group[0].method == "POST":
                payload: dict[str, Any] = {"app": opts.cards_app,
                                           "records": [op.record for op in group]}
            else:
                payload = {"app": opts.cards_app, "records": [_update_item(op) for op in group]}
            requests.append({"method": group[0].method, "api": api, "payload": payload})
        return requests, groups

    # -- learning from a refused bulkRequest -----------------------------------------------

    def _learn(self, exc: KintoneRejected, groups: list[list[_Op]], label: str,
               opening: bool, retried: set[int]) -> _Round:
        learned = _Round()
        index = exc.bulk_index
        if index is None or not 0 <= index < len(groups):
            return learned  # not about one sub-request: the whole chunk fails
        group = groups[index]
        bad = _bad_records(exc.errors, len(group))
        if bad:
            duplicates: list[_Op] = []
            for i, (code, text) in bad.items():
                op = group[i]
                if opening and op.method == "POST" and code == self.fields.card_student \
                        and op.pos not in retried:
                    duplicates.append(op)
                else:
                    field_name = f"字段 {code}：" if code else ""
                    learned.decided[op.pos] = Failed(exc.kcode, f"{field_name}{text}")
            if duplicates:
                self._resolve_duplicates(duplicates, label, learned, retried)
            return learned
        if group[0].method == "PUT" and exc.kcode in _RECORD_CODES:
            self._resolve_updates(group, label, exc, learned)
        return learned

    def _resolve_duplicates(self, ops: list[_Op], label: str, learned: _Round,
                            retried: set[int]) -> None:
        """Creates refused on the student field: the student already has a card record."""
        existing = newest_cards(self._card_records([op.student_no for op in ops]),
                                self.fields)
        for op in ops:
            retried.add(op.pos)
            rec = existing.get(op.student_no)
            if rec is None:  # refused for another reason (or deleted since): send once more
                learned.replaced[op.pos] = op
                continue
            card = card_of(rec, self.fields)
            if card is None:
                err = unknown_label_error(rec, self.fields, READER)
                learned.decided[op.pos] = Failed("label", err.message)
            elif card.status in _LIVE:
                learned.decided[op.pos] = Skipped(
                    SkipReason.ALREADY_OPEN,
                    f"写入时发现已有卡记录 {card.card_id}（{card.status.value}），未重复新建")
            else:  # cancelled: the one record this student may have is opened again
                fm = self.fields
                record = {k: v for k, v in op.record.items()
                          if k in (fm.card_status, fm.card_open_time)}
                learned.replaced[op.pos] = _Op(op.pos, op.student_no, record, card.card_id,
                                               card.revision)

    def _resolve_updates(self, group: list[_Op], label: str, exc: KintoneRejected,
                         learned: _Round) -> None:
        """An update sub-request refused without naming records: read its cards by ``$id``."""
        now = self._cards_by_id(op.card_id for op in group)
        for op in group:
            rec = now.get(op.card_id)
            if rec is None:
                learned.decided[op.pos] = Failed("GAIA_RE01", "卡记录不存在（可能已被删除）")
                continue
            revision = text_of(rec, "$revision")
            if op.revision and revision != op.revision:
                current = text_of(rec, self.fields.card_status)
                if current == label:
                    learned.decided[op.pos] = Succeeded(op.card_id)
                else:
                    learned.decided[op.pos] = Failed(
                        "GAIA_CO02", f"卡记录在读取后已被他人修改（现为“{current or '空白'}”），"
                        "未覆盖；请刷新后重试")

    # -- fields and the connection test ----------------------------------------------------

    def list_fields(self, app_id: str) -> list[FieldInfo]:
        """The fields of an app (top level, in the order kintone lists them)."""
        return [info for info in map(_field_info, self._api.form_fields(app_id).values())
                if info.type not in _LAYOUT_TYPES]

    def check_connection(self) -> None:
        """Read both apps' fields and one record of each; raise a ConnectorError whose code
        says what is wrong: network, auth, permission, app, space or field."""
        fm = self.fields
        opts = self.options
        apps = (
            ("学生应用", opts.students_app,
             ("student_no", "name", "college", "class_name", "student_status")),
            ("一卡通应用", opts.cards_app,
             ("card_student", "card_open_time", "card_amount", "card_status")),
        )
        problems = []
        for title, app, keys in apps:
            try:
                props = self._api.form_fields(app, attempts=1)  # answer the operator quickly
                self._api.read("GET", "records", {"app": app, "fields": ["$id"],
                                                  "query": "limit 1"}, attempts=1)
            except ConnectorError as exc:
                raise _connection_error(exc, title, app) from None
            missing = [f"{FIELD_NAMES[key]}（{getattr(fm, key)}）" for key in keys
                       if getattr(fm, key) not in props]
            if missing:
                problems.append(f"{title}（{app}）中找不到这些字段代码：{'、'.join(missing)}。")
            if app != opts.cards_app:
                continue
            status = props.get(fm.card_status)
            options = _options_of(status) if status is not None else []
            if options:
                absent = [t for t in fm.card_status_labels.values() if t not in options]
                if absent:
                    problems.append(f"卡状态字段（{fm.card_status}）的选项中没有"
                                    f"{'、'.join(f'“{t}”' for t in absent)}。")
            student = props.get(fm.card_student)
            if opts.require_unique_student and student is not None \
                    and student.get("unique") not in (True, "true"):
                problems.append(
                    f"一卡通应用的学生学号字段（{fm.card_student}）没有勾选“禁止重复值”："
                    "没有它，中断后重发时可能给同一学生开出两张卡。请在 kintone 的应用设置中"
                    "勾选该字段的“禁止重复值”并更新应用。")
        if problems:
            raise ConnectorError("".join(problems) + "请在配置中重新对应字段。", code="field")


# -- helpers ----------------------------------------------------------------------------------

def _update_item(op: _Op) -> dict[str, Any]:
    item: dict[str, Any] = {"id": op.card_id, "record": op.record}
    if op.revision:
        item["revision"] = op.revision
    return item


def _ids_of(group: list[_Op], answer: Mapping[str, Any]) -> list[str]:
    """The record ids a sub-request's answer reports, in order (§1.4, §1.5)."""
    if group[0].method == "POST":
        ids = answer.get("ids")
    else:
        records = answer.get("records")
        ids = [r.get("id") for r in records if isinstance(r, dict)] \
            if isinstance(records, list) else None
    if not isinstance(ids, list) or len(ids) != len(group) \
            or not all(isinstance(i, str | int) and str(i) for i in ids):
        raise AmbiguousError(f"{SERVICE}的应答缺少记录 ID：请求可能已生效，正在核对",
                             code="malformed")
    return [str(i) for i in ids]


def _bad_records(errors: Mapping[str, Any], size: int) -> dict[int, tuple[str, str]]:
    """``records[i].<code>.value`` keys → {i: (code, messages)} (i within the sub-request)."""
    bad: dict[int, tuple[str, str]] = {}
    for key, value in errors.items():
        m = _RECORD_KEY.match(str(key))
        if m is None or int(m.group(1)) >= size:
            continue
        i = int(m.group(1))
        code = m.group(2) or m.group(3) or ""
        messages = value.get("messages") if isinstance(value, Mapping) else None
        text = " ".join(str(x) for x in messages) if isinstance(messages, list) else ""
        if i not in bad:
            bad[i] = (code, text or "输入内容不正确")
    return bad


def _options_of(prop: Mapping[str, Any]) -> list[str]:
    options = prop.get("options")
    if not isinstance(options, dict):
        return []
    out = []
    for key, value in options.items():
        label = value.get("label", key) if isinstance(value, dict) else key
        if isinstance(label, str) and label:
            out.append(label)
    return out


def _field_info(prop: Mapping[str, Any]) -> FieldInfo:
    return FieldInfo(str(prop.get("code", "")), str(prop.get("label", "")),
                     str(prop.get("type", "")), _options_of(prop))


def _connection_error(exc: ConnectorError, title: str, app: str) -> ConnectorError:
    if isinstance(exc, RetryableError | AmbiguousError) and exc.code in ("network", "timeout"):
        area = "network"
    elif isinstance(exc, KintoneRejected):
        area = area_of(exc.kcode)
    elif exc.code in ("CB_AU01", "secret_missing", "auth"):
        area = "auth"
    elif exc.code == "CB_NO02":
        area = "permission"
    else:
        area = ""
    if not area:
        return ConnectorError(f"连接测试失败（{title} {app}）：{exc.message}", code=exc.code)
    detail = exc.message
    if area == "app":
        detail = f"{title}（ID {app}）不存在：请检查配置中的应用 ID（{exc.message}）"
    return ConnectorError(f"连接测试失败：{_AREA_TEXT[area]}。{detail}", code=area)

