"""kintone writes as atomic bulkRequests, and what a refused one teaches
(shared/specs/kintone.md §1.4, §1.5, §1.8; the connector's module doc has the rules).

A :class:`BulkWriter` sends a chunk's records as bulkRequests of up to ``requests_per_bulk``
sub-requests × ``records_per_request`` records until every record has a result: kintone
applies each bulkRequest all-or-nothing, so a refused one is "learnt from" (the bad records
decided, duplicates and rolled-back records resent differently) and sent again without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...config.fieldmap import FieldMap
from ...connectors.base import RecordResult
from ...connectors.joining import RecordReader, unknown_label_error
from ...core.errors import AmbiguousError, ConnectorError, RetryableError
from ...core.model import CardStatus
from ...core.outcomes import Failed, Skipped, SkipReason, Succeeded
from ...core.text import _
from .api import KintoneApi, KintoneRejected
from .records import SERVICE, KintoneOptions, Record, card_of, newest_cards, text_of

_RECORD_KEY = re.compile(r"^records\[(\d+)\](?:\.([^.\[\]]+)|\[([^\]]+)\])")
_LIVE = (CardStatus.ACTIVE, CardStatus.FROZEN)
# refusals of an update that concern its records, not the request: a card deleted (GAIA_RE01)
# or changed since it was listed (GAIA_CO02)
_RECORD_CODES = frozenset({"GAIA_RE01", "GAIA_CO02"})


@dataclass(slots=True)
class Op:
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
    replaced: dict[int, Op] = field(default_factory=dict)

    @property
    def progressed(self) -> bool:
        return bool(self.decided or self.replaced)


class BulkWriter:
    """Writes the cards app's records for one connector. ``card_records(学号…)`` reads those
    students' card records, ``cards_by_id($id…)`` cards by id, ``reader`` reads a record."""

    def __init__(self, api: KintoneApi, options: KintoneOptions, fields: FieldMap,
                 reader: RecordReader,
                 card_records: Callable[[Sequence[str]], list[Record]],
                 cards_by_id: Callable[[Iterable[str]], dict[str, Record]]) -> None:
        self._api = api
        self.options = options
        self.fields = fields
        self._reader = reader
        self._card_records = card_records
        self._cards_by_id = cards_by_id

    def apply(self, ops: list[Op], label: str, *, opening: bool) -> dict[int, RecordResult]:
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
                        _("{SERVICE}：本批部分记录已写入，其余未确认（{message}），正在核"
                          "对").format(
                            SERVICE=SERVICE, message=exc.message),
                        code=exc.code) from None
                results.update((op.pos, Failed(exc.code, exc.message)) for op in pending)
                return results
            committed = True
            sent = {op.pos for group in groups for op in group}
            pending = [op for op in pending if op.pos not in sent]
        return results

    def _requests(self, ops: Sequence[Op]) -> tuple[list[dict[str, Any]], list[list[Op]]]:
        """Sub-requests for one bulkRequest: creates, then updates, ≤100 records each; at most
        ``requests_per_bulk`` of them (what does not fit waits for the next round)."""
        opts = self.options
        step = opts.records_per_request
        groups: list[list[Op]] = []
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

    def _learn(self, exc: KintoneRejected, groups: list[list[Op]], label: str,
               opening: bool, retried: set[int]) -> _Round:
        learned = _Round()
        index = exc.bulk_index
        if index is None or not 0 <= index < len(groups):
            return learned  # not about one sub-request: the whole chunk fails
        group = groups[index]
        bad = _bad_records(exc.errors, len(group))
        if bad:
            duplicates: list[Op] = []
            for i, (code, text) in bad.items():
                op = group[i]
                if opening and op.method == "POST" and code == self.fields.card_student \
                        and op.pos not in retried:
                    duplicates.append(op)
                else:
                    field_name = _("字段 {code}：").format(code=code) if code else ""
                    learned.decided[op.pos] = Failed(exc.kcode, f"{field_name}{text}")
            if duplicates:
                self._resolve_duplicates(duplicates, label, learned, retried)
            return learned
        if group[0].method == "PUT" and exc.kcode in _RECORD_CODES:
            self._resolve_updates(group, label, exc, learned)
        return learned

    def _resolve_duplicates(self, ops: list[Op], label: str, learned: _Round,
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
                err = unknown_label_error(rec, self.fields, self._reader)
                learned.decided[op.pos] = Failed("label", err.message)
            elif card.status in _LIVE:
                # opened meanwhile by someone else: refused by the unique field, nothing written
                learned.decided[op.pos] = Skipped(SkipReason.CHANGED_BY_OTHER,
                                                  card.status.value)
            else:  # cancelled: the one record this student may have is opened again
                fm = self.fields
                record = {k: v for k, v in op.record.items()
                          if k in (fm.card_status, fm.card_open_time)}
                learned.replaced[op.pos] = Op(op.pos, op.student_no, record, card.card_id,
                                               card.revision)

    def _resolve_updates(self, group: list[Op], label: str, exc: KintoneRejected,
                         learned: _Round) -> None:
        """An update sub-request refused without naming records: read its cards by ``$id``."""
        now = self._cards_by_id(op.card_id for op in group)
        for op in group:
            rec = now.get(op.card_id)
            if rec is None:
                learned.decided[op.pos] = Failed("GAIA_RE01", _("卡记录不存在（可能已被删除）"))
                continue
            revision = text_of(rec, "$revision")
            if op.revision and revision != op.revision:
                current = text_of(rec, self.fields.card_status)
                if current == label:
                    learned.decided[op.pos] = Succeeded(op.card_id)
                else:  # the revision check refused it: reported, never overwritten
                    state = self.fields.card_status_of(current)
                    learned.decided[op.pos] = Skipped(
                        SkipReason.CHANGED_BY_OTHER, state.value if state else current)


# -- helpers ----------------------------------------------------------------------------------

def _update_item(op: Op) -> dict[str, Any]:
    item: dict[str, Any] = {"id": op.card_id, "record": op.record}
    if op.revision:
        item["revision"] = op.revision
    return item


def _ids_of(group: list[Op], answer: Mapping[str, Any]) -> list[str]:
    """The record ids a sub-request's answer reports, in order (§1.4, §1.5)."""
    if group[0].method == "POST":
        ids = answer.get("ids")
    else:
        records = answer.get("records")
        ids = [r.get("id") for r in records if isinstance(r, dict)] \
            if isinstance(records, list) else None
    if not isinstance(ids, list) or len(ids) != len(group) \
            or not all(_is_id(i) for i in ids):
        raise AmbiguousError(_("{SERVICE}的应答缺少记录 ID：请求可能已生效，正在核对").format(
            SERVICE=SERVICE),
                             code="malformed")
    return [str(i) for i in ids]


def _is_id(value: Any) -> bool:
    """A record id as kintone answers it: digits, as a string or a number (never ``true``)."""
    return (type(value) is int and value > 0) or (isinstance(value, str) and value.isdigit()
                                                  and value.isascii())


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
            bad[i] = (code, text or _("输入内容不正确"))
    return bad
