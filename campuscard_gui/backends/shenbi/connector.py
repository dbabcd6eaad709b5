"""神笔 (千帆神笔 aPaaS) connector over its OpenAPI (shared/specs/shenbi.md, seed 000).

Students and cards are two objects of one 应用. A card record's ``studentInfo`` links it to
its student — by the student's record Id (a relation field, the seed's "学生对象的业务ID") or
by the 学号, per ``student_link``. 神笔 does not refuse a second card record for a student, so a
student may have several: the current one is ``core.cards.current_card`` (the earliest live
card by CreatedTime then Id, else the newest record), and the runner removes the other live
ones (``read_card_records``, ``remove_cards``: set to 注销 or deleted, per ``remove_mode``).

A listing keeps a mark (the server's time, the highest Id and the count of each object);
a refresh reads only the records updated since, where the server is seen to apply the Filter
(``delta``), and merges them (``connectors.refresh``).

Writes, in the seed's shapes: 开通 is a batch create with a field-key list and rows of values
in that order — ``[studentInfo, openTime, amount, status]`` → ``[<student>, <open time ms>,
0, ["正常"]]``; 冻结/解冻/注销 update the card records by Id (the Ids come from the listing).

神笔 has no idempotency key and no unique constraint we can rely on, so a create that got no
answer (timeout, dropped connection) could still be applied later. The runner waits
``settle_s`` after the journal's send time before it reads such a chunk back (after a restart
too) and re-plans; within one run the connector also remembers when it sent the chunk and,
before any of its records is sent again, waits until ``settle_s`` after that send (already
over when the runner has waited) and reads every card record of them once more: a record
whose card appeared meanwhile is not sent — ``Succeeded`` with the card when its open time is
the chunk's (ours, landed late), ``Skipped(OPENED_BY_OTHER)`` when it is someone else's, as
the runner's own read-back decides. This second look closes the window in which a late
request lands between the runner's read-back and its resend.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ...connectors.base import (
    Abilities,
    CardCreate,
    CardHistory,
    CardUpdate,
    Consistency,
    DeltaListing,
    Limits,
    ListProgress,
    RecordResult,
)
from ...connectors.common import FIELD_NAMES, PagedProgress, check_batch_size, chunked, status_label
from ...connectors.http import ClientFactory
from ...connectors.joining import RecordReader, cards_of, join_rows, unknown_label_error
from ...connectors.partitions import Inconsistent
from ...connectors.refresh import Mark, both_marks, left_out_ids, merge_rows, source_of
from ...core.cards import LIVE, survivor
from ...core.errors import AmbiguousError, ConnectorError, FatalError, RetryableError
from ...core.model import Card, CardStatus, Student, StudentRow
from ...core.outcomes import Failed, Skipped, SkipReason, Succeeded
from ...core.text import L_, _
from . import delta
from .api import ShenbiApi, ShenbiRejected
from .errors import area_of
from .records import (
    SERVICE,
    Record,
    ShenbiOptions,
    by_student,
    card_of,
    current_by,
    id_of,
    link_of,
    record_id,
    text_of,
    value_of,
)

__all__ = ["ShenbiConnector"]

log = logging.getLogger(__name__)

BY_ID_MAX = 1000  # Ids per DescribeEntityRecordsById [DOC] §4.1

_NO_SUCH_ACTION = ("InvalidAction", "ActionOffline", "UnsupportedOperation")
_AREA_TEXT = {
    "network": L_("网络连接失败"), "key": L_("AK（SecretId）有误"), "signature": L_("签名有误"),
    "clock": L_("本机时钟不准"), "permission": L_("权限不足"), "app": L_("应用不存在"),
    "object": L_("对象不存在"), "field": L_("字段对应有误"),
}


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _id_order(ident: str) -> int:
    return int(ident) if ident.isdigit() else 0


def _unanswered(exc: AmbiguousError) -> bool:
    """No answer came back at all: the server may still be working on the request."""
    return exc.code in ("timeout", "network")


class ShenbiConnector(Abilities):
    """The Connector protocol over a 神笔 应用 (students object + cards object)."""

    kind: str = "shenbi"

    def __init__(self, options: Mapping[str, Any], secret_id: str, secret_key: str, *,
                 client_factory: ClientFactory | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep,
                 now_ms: Callable[[], int] = _now_ms) -> None:
        self.options = ShenbiOptions.parse(options)
        opts = self.options
        self.fields = opts.fields
        # the API paces every request under the per-SecretId limit itself
        self.limits = Limits(batch_size=opts.batch_size, requests_per_second=0.0,
                             concurrency=opts.concurrency)
        # No unique field, no revision check, no idempotency key: the runner reads fresh state
        # before each chunk, converges duplicates (read_card_records, remove_cards) and waits
        # settle_s after an unanswered send — from the journal's send time, across restarts.
        # Open times are kept as the ms we send.
        self.consistency = Consistency(conditional_updates=False, one_card_per_student=False,
                                       settle_s=opts.settle_s, open_time_resolution_ms=1)
        self.list_warnings: list[str] = []
        self._mark = ""  # the last listing's (DeltaListing)
        self._api = ShenbiApi(opts, secret_id, secret_key, client_factory=client_factory,
                              clock=clock, wall=wall, sleep=sleep)
        self._clock = clock
        self._sleep = sleep
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self._record_of: dict[str, str] = {}  # 学号 -> student record Id
        self._number_of: dict[str, str] = {}  # student record Id -> 学号
        # chunk key -> clock() when a write of it that got no answer was sent (this run only)
        self._unsettled: dict[str, float] = {}
        self._whole_cards = False  # card reads ask for whole records (see _card_fields)

    def __repr__(self) -> str:
        o = self.options
        return f"ShenbiConnector(base_url={o.base_url!r}, app_code={o.app_code!r})"

    # -- abilities (connectors.base.Connector) -------------------------------------------------

    def card_history(self) -> CardHistory | None:
        return self

    def close(self) -> None:
        self._api.close()

    # -- reading -------------------------------------------------------------------------

    def _remember(self, students: Iterable[Record]) -> None:
        fm = self.fields
        with self._lock:
            for rec in students:
                no, ident = text_of(rec, fm.student_no), id_of(rec)
                if no and ident:
                    self._record_of[no] = ident
                    self._number_of[ident] = no

    def _reader(self, numbers: Mapping[str, str] | None = None) -> RecordReader:
        """How to read this tenant's records; ``numbers`` (student record Id -> 学号) is
        where a card's link is looked up (default: the last listing's)."""
        fm = self.fields

        def student_of(rec: Record) -> str:
            if self.options.student_link != "record_id":
                return text_of(rec, fm.card_student)
            if numbers is not None:
                return numbers.get(link_of(rec, fm.card_student), "")
            with self._lock:
                return self._number_of.get(link_of(rec, fm.card_student), "")

        return RecordReader(SERVICE, text_of, id_of,
                            lambda rec, fields: card_of(rec, fields, student_of(rec)))

    def _card_fields(self) -> list[str]:
        """The card fields read, with CreatedTime (the survivor rule orders a student's cards
        by it) and UpdatedTime; [] — whole records, "[] means all fields" [DOC] — once an
        answer left CreatedTime out or refused a system field in Fields ([UNKNOWN] whether
        Fields may name one)."""
        with self._lock:
            if self._whole_cards:
                return []
        return [*self.fields.card_fields(), "CreatedTime", "UpdatedTime"]

    def _cards_matching(self, flt: Mapping[str, Any] | None,
                        on_page: Callable[[int, int | None], None] | None = None
                        ) -> list[Record]:
        """Card records matching ``flt`` (None: all), each with its CreatedTime."""
        fields = self._card_fields()
        entity = self.options.cards_object
        try:
            records = self._api.all_records(entity, fields, flt, on_page)
            if not fields or all(value_of(r, "CreatedTime") is not None for r in records):
                return records
        except ShenbiRejected as exc:
            if not fields or not exc.scode.startswith("InvalidParameterValue"):
                raise
        log.warning("shenbi: CreatedTime did not come with the card fields asked for; "
                    "reading whole card records from now on")
        with self._lock:
            self._whole_cards = True
        return self._api.all_records(entity, [], flt)

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        """All students joined with their current card; both objects are paged at once. The
        server's time and the newest UpdatedTime of each object, read as the listing starts
        (on a thread of its own: ``refresh_overlap_s`` covers the moments between), go into
        its mark (delta.py)."""
        opts = self.options
        with ThreadPoolExecutor(1, thread_name_prefix="campuscard-shenbi-mark") as pool:
            newest = pool.submit(self._newest_updates)
            student_records, card_records = self._read_all(progress)
            since = newest.result()
        self._remember(student_records)
        with self._lock:
            numbers = dict(self._number_of)
        current = current_by(card_records, numbers, self.fields, opts.student_link)
        rows, warnings = join_rows(student_records, current, self.fields, self._reader())
        self.list_warnings = warnings
        self._mark = "" if since is None else Mark(self._source(), {
            "students": delta.listed_part(since[0], student_records),
            "cards": delta.listed_part(since[1], card_records)},
            left_out_ids(rows, student_records, id_of)).dump()
        return rows

    # -- refresh (connectors.base.DeltaListing; the reads and the mark: delta.py) -------------

    def delta_listing(self) -> DeltaListing | None:
        return self

    def listing_mark(self) -> str:
        return self._mark

    def _source(self) -> str:
        o = self.options
        return source_of("shenbi", o.base_url, o.app_code, o.students_object, o.cards_object,
                         o.student_link, self.fields.to_json())

    def _newest_updates(self) -> tuple[int, int] | None:
        """Both objects' ``since`` (delta.py), before a listing reads them (None: no refresh
        possible; the listing goes on; an object that cannot be ordered by UpdatedTime is a
        refused read)."""
        o = self.options
        return both_marks("shenbi", lambda e: delta.since_of(self._api, e),
                          (o.students_object, o.cards_object),
                          "the records carry no UpdatedTime")

    def refresh_rows(self, rows: Sequence[StudentRow], mark: str,
                     progress: ListProgress | None = None) -> list[StudentRow] | None:
        """``rows`` with the records changed since ``mark`` (see delta.py): None when the mark
        is not this profile's, records were deleted, or the server did not apply the
        UpdatedTime filter — the log says which."""
        found = Mark.load(mark, self._source())
        if found is None or set(found.apps) != {"students", "cards"}:
            log.info("shenbi: the snapshot's mark is not this profile's: listing in full")
            return None
        try:
            changed = self._changed(found)
        except ShenbiRejected as exc:
            if not exc.scode.startswith("InvalidParameter"):
                raise
            log.info("shenbi: the server refused a query on UpdatedTime (%s): listing in "
                     "full", exc.scode)
            return None
        if changed is None:
            return None
        (students, s_state), (cards, c_state) = changed
        new_students, new_cards = self._unlisted(rows, students, cards)
        merged, warnings, left_out = self._merged(rows, new_students, new_cards,
                                                  found.left_out)
        self.list_warnings = warnings
        self._mark = Mark(self._source(), {
            "students": delta.refreshed_part(s_state, found.apps["students"]),
            "cards": delta.refreshed_part(c_state, found.apps["cards"])}, left_out).dump()
        log.info("shenbi: refreshed from the snapshot: %d student and %d card records "
                 "updated since the mark, %d and %d of them not as listed", len(students),
                 len(cards), len(new_students), len(new_cards))
        if progress is not None:
            progress(len(merged), len(merged))
        return merged

    def _changed(self, found: Mark
                 ) -> tuple[tuple[list[Record], delta.State], tuple[list[Record], delta.State]
                            ] | None:
        """Per object, the records changed since the mark and the object's State; None
        (logged) when a full listing is needed."""
        o = self.options
        objects = {"students": (o.students_object, [*self.fields.student_fields(),
                                                    delta.UPDATED]),
                   "cards": (o.cards_object, self._card_fields())}
        now = delta.states(self._api, [o.students_object, o.cards_object])
        if now[0] is None or now[1] is None:
            log.info("shenbi: the records carry no UpdatedTime or TotalCount: listing in full")
            return None
        state = {"students": now[0], "cards": now[1]}

        def read(name: str) -> list[Record] | None:
            entity, fields = objects[name]
            before = found.apps[name]
            bound = int(before["since"]) - round(o.refresh_overlap_s * 1000)
            return delta.changed_since(self._api, name, entity, fields, bound, state[name])

        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-shenbi-delta") as pool:
            students, cards = pool.map(read, ("students", "cards"))
        if students is None or cards is None:
            return None
        for name, records in (("students", students), ("cards", cards)):
            before = found.apps[name]
            expected = int(before["count"]) + delta.created_since(records, before, state[name])
            if state[name].total != expected:
                log.info("shenbi: %s records were deleted since the snapshot (%d now, %d "
                         "expected): listing in full", name, state[name].total, expected)
                return None
        return (students, state["students"]), (cards, state["cards"])

    def _unlisted(self, rows: Sequence[StudentRow], students: list[Record],
                  cards: list[Record]) -> tuple[list[Record], list[Record]]:
        """The records read that are not as ``rows`` hold them: a student whose row is not
        the one its record makes, a card that is not a row's card as it is now. (The overlap
        reads records again that the listing read as they are — all of them after a bulk
        import, which stamps one UpdatedTime — and joining them again costs card reads.)"""
        fm = self.fields
        listed = {r.student.record_id: r.student for r in rows}
        shown = {r.card.card_id: r.card for r in rows if r.card is not None}
        reader = self._reader({r.student.record_id: r.student_no for r in rows})

        def as_listed(rec: Record) -> bool:
            before = listed.get(id_of(rec))
            status = fm.student_status_of(text_of(rec, fm.student_status))
            return before is not None and status is not None and before == Student(
                text_of(rec, fm.student_no), text_of(rec, fm.name), text_of(rec, fm.college),
                text_of(rec, fm.class_name), status, id_of(rec))

        def card_as_shown(rec: Record) -> bool:
            before = shown.get(id_of(rec))
            return before is not None and reader.card(rec, fm) == before

        return ([r for r in students if not as_listed(r)],
                [c for c in cards if not card_as_shown(c)])

    def _merged(self, rows: Sequence[StudentRow], students: list[Record],
                cards: list[Record], left_out: Sequence[str]
                ) -> tuple[list[StudentRow], list[str], list[str]]:
        """``rows`` with the students changed, left out before, or whose card changed joined
        afresh with their current cards (``refresh.merge_rows``)."""
        fm = self.fields
        by_link = self.options.student_link == "record_id"
        with self._lock:  # the rows' students, for links and later writes
            for row in rows:
                if row.student.record_id:
                    self._record_of.setdefault(row.student_no, row.student.record_id)
                    self._number_of.setdefault(row.student.record_id, row.student_no)
        again = {id_of(r): r for r in students}
        card_ids = {id_of(c) for c in cards}
        ids = {i for i in left_out if i.isdigit()}
        ids |= {r.student.record_id for r in rows
                if r.card is not None and r.card.card_id in card_ids}
        nos: set[str] = set()
        for card in cards:  # the student a changed card names now
            if by_link:
                ids.add(link_of(card, fm.card_student))
            else:
                nos.add(text_of(card, fm.card_student))
        for rec in self._records_by_id(self.options.students_object,
                                       sorted(i for i in ids - set(again) if i.isdigit()),
                                       fm.student_fields()):
            again.setdefault(id_of(rec), rec)
        nos -= {text_of(r, fm.student_no) for r in again.values()} | {""}
        for rec in self._students_by_no(sorted(nos)):
            again.setdefault(id_of(rec), rec)
        self._remember(again.values())
        wanted = sorted({text_of(r, fm.student_no) for r in again.values()} - {""})
        records, numbers = self._card_records(wanted) if wanted else ([], {})
        current = current_by(records, numbers, fm, self.options.student_link)
        return merge_rows(rows, list(again.values()), current, fm, self._reader(numbers),
                          _id_order)

    def _records_by_id(self, entity: str, ids: Sequence[str], fields: list[str]
                       ) -> list[Record]:
        """Records of ``entity`` by Id (DescribeEntityRecordsById); Ids that name no record
        are absent."""
        o = self.options
        out: list[Record] = []
        for start in range(0, len(ids), BY_ID_MAX):
            body = {o.key_app: o.app_code, o.key_entity: entity,
                    o.key_ids: list(ids[start:start + BY_ID_MAX]), o.key_fields: fields}
            data = self._api.read(o.action_get, body)
            records = data.get("EntityRecordSet", data.get("EntityRecord", []))
            if not isinstance(records, list):
                raise RetryableError(_("{SERVICE}的应答缺少记录列表").format(
                    SERVICE=SERVICE), code="malformed")
            out += [r for r in records if isinstance(r, dict) and id_of(r)]
        return out

    def _students_by_no(self, student_nos: Sequence[str]) -> list[Record]:
        """Student records whose 学号 is one of ``student_nos`` (OR filters)."""
        key = self.fields.student_no

        def part(nos: list[str]) -> list[Record]:
            return self._api.all_records(self.options.students_object,
                                         self.fields.student_fields(), self._or(key, nos))

        return chunked(list(student_nos), self.options.or_max, part, self.options.concurrency,
                       "campuscard-shenbi-read")

    def _read_all(self, progress: ListProgress | None) -> tuple[list[Record], list[Record]]:
        """Every student record and every card record: offset pages read in parallel
        (``ShenbiApi.partitioned``), or page by page when ``list_workers`` is 1 or the pages
        do not join up."""
        opts = self.options
        fields = self._card_fields()
        if opts.list_workers > 1 and fields:
            paged = PagedProgress(progress, 2)
            names = {opts.students_object: "students", opts.cards_object: "cards"}
            try:
                students, cards = self._api.partitioned(
                    [(opts.students_object, self.fields.student_fields()),
                     (opts.cards_object, fields)],
                    lambda entity: paged.source(names[entity]), opts.list_workers)
            except Inconsistent as exc:
                log.warning("shenbi: parallel listing abandoned (%s); paging one object at "
                            "a time", exc)
            except ShenbiRejected as exc:
                if not exc.scode.startswith("InvalidParameterValue"):
                    raise
                log.warning("shenbi: parallel listing refused (%s); paging one object at "
                            "a time", exc.scode)
            else:
                if all(value_of(r, "CreatedTime") is not None for r in cards):
                    return students, cards
                return students, self._cards_matching(None)  # CreatedTime left out: whole
        paged = PagedProgress(progress, 2)
        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-shenbi-list") as pool:
            students_f = pool.submit(self._api.all_records, opts.students_object,
                                     self.fields.student_fields(), None,
                                     paged.source("students"))
            cards_f = pool.submit(self._cards_matching, None, paged.source("cards"))
            return students_f.result(), cards_f.result()

    def _or(self, key: str, values: Sequence[str]) -> dict[str, Any]:
        return {"Connector": "OR",
                "Children": [{"Field": key, "Operator": "EQ", "Value": v} for v in values]}

    def _student_records(self, student_nos: Sequence[str]) -> dict[str, str]:
        """学号 -> student record Id, from the last listing or, for the rest, a query."""
        with self._lock:
            known = {no: self._record_of[no] for no in student_nos if no in self._record_of}
        missing = [no for no in student_nos if no not in known]
        if missing:
            key = self.fields.student_no

            def part(nos: list[str]) -> list[Record]:
                return self._api.all_records(self.options.students_object, [key],
                                             self._or(key, nos))

            found = chunked(missing, self.options.or_max, part, self.options.concurrency,
                            "campuscard-shenbi-read")
            self._remember(found)
            with self._lock:
                known.update({no: self._record_of[no] for no in missing
                              if no in self._record_of})
        return known

    def student_record_ids(self, student_nos: Sequence[str]) -> dict[str, str]:
        """学号 -> the student's 神笔 record Id (what the seed's flow calls studentID)."""
        return self._student_records([no for no in dict.fromkeys(student_nos) if no])

    def _card_records(self, student_nos: Sequence[str]) -> tuple[list[Record], dict[str, str]]:
        """Every card record of the given students, and record Id -> 学号 for the links."""
        fm = self.fields
        if self.options.student_link == "record_id":
            ids = self._student_records(student_nos)
            numbers = {ident: no for no, ident in ids.items()}
            links = list(ids.values())
        else:
            numbers, links = {}, list(student_nos)

        def part(values: list[str]) -> list[Record]:
            return self._cards_matching(self._or(fm.card_student, values))

        records = chunked(links, self.options.or_max, part, self.options.concurrency,
                          "campuscard-shenbi-read")
        return records, numbers

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        wanted = [no for no in dict.fromkeys(student_nos) if no]
        records, numbers = self._card_records(wanted)
        wanted_set = set(wanted)
        current = {no: rec for no, rec in current_by(records, numbers, self.fields,
                                                     self.options.student_link).items()
                   if no in wanted_set}
        return cards_of(current, self.fields, self._reader(numbers))

    def read_card_records(self, student_nos: Iterable[str]) -> dict[str, list[Card]]:
        """Every card record of each student, with its CreatedTime (the survivor rule)."""
        wanted = [no for no in dict.fromkeys(student_nos) if no]
        records, numbers = self._card_records(wanted)
        wanted_set = set(wanted)
        found: dict[str, list[Card]] = {}
        for no, recs in by_student(records, numbers, self.fields,
                                   self.options.student_link).items():
            if no not in wanted_set:
                continue
            for rec in recs:
                card = card_of(rec, self.fields, no)
                if card is None:  # never guess whether a card is live
                    raise unknown_label_error(rec, self.fields, self._reader(numbers))
                found.setdefault(no, []).append(card)
        return found

    def remove_cards(self, cards: Sequence[Card]) -> list[RecordResult]:
        """Remove duplicate card records per ``remove_mode``: "cancel" (default) sets them to
        注销 with the batch update by Id; "delete" deletes them with ``action_delete`` (a batch
        delete is [UNKNOWN] in the spec). Each call is read back by Id: a card that is gone or
        no longer live is Succeeded — whoever removed it (another writer may have been first) —
        one still live is Failed. Both are safe to repeat: a call without an answer raises,
        and the runner sends it again."""
        ids = list(dict.fromkeys(c.card_id for c in cards if c.card_id))
        done: dict[str, RecordResult] = {}
        step = self.options.batch_size
        for start in range(0, len(ids), step):
            part = ids[start:start + step]
            done.update(zip(part, self._remove(part), strict=True))
        return [done[c.card_id] if c.card_id
                else Failed("bad_request", _("卡记录编号为空，无法删除")) for c in cards]

    def _remove(self, ids: list[str]) -> list[RecordResult]:
        try:
            self._remove_call(ids)
        except ShenbiRejected as exc:
            if exc.scode != "ResourceNotFound.Record":
                raise
            # some are gone already (removed by another writer): the live rest once more
            left = [i for i, rec in self._by_id(ids).items() if self._live_or_unknown(rec)]
            if left:
                self._remove_call(left)
        found = self._by_id(ids)
        return [self._removal(ident, found.get(ident)) for ident in ids]

    def _remove_call(self, ids: list[str]) -> None:
        o = self.options
        if o.remove_mode == "cancel":
            label = status_label(self.fields, CardStatus.CANCELLED)
            self._api.call(o.action_update, self._api.body(o.cards_object, **{
                o.key_ids: ids, o.key_fields: [self.fields.card_status],
                o.key_values: [[[label]] for _ in ids]}), write=True)
            return
        try:
            self._api.call(o.action_delete, self._api.body(o.cards_object, **{o.key_ids: ids}),
                           write=True)
        except ShenbiRejected as exc:
            if exc.scode.split(".", 1)[0] not in _NO_SUCH_ACTION:
                raise
            raise FatalError(
                _("神笔不支持删除卡记录（接口 {action_delete}）：请把配置中的 remove_mode 改为 can"
                  "cel（把多余的卡设为注销）。{message}").format(
                    action_delete=o.action_delete, message=exc.message), code=exc.scode) from None

    def _live_or_unknown(self, rec: Record) -> bool:
        card = card_of(rec, self.fields, "")
        return card is None or card.status in LIVE

    def _removal(self, ident: str, rec: Record | None) -> RecordResult:
        """What the read-back by Id shows of a card we removed."""
        if rec is None:
            return Succeeded(ident)
        card = card_of(rec, self.fields, "")
        if card is None:
            return Failed("label", _("卡记录 {ident} 的状态“{rec}”不在字段对应的卡状态选项中，无法"
                                     "判断是否已移除").format(
                ident=ident, rec=text_of(rec, self.fields.card_status)))
        if card.status in LIVE:
            what = _("设为注销") if self.options.remove_mode == "cancel" else _("删除")
            return Failed("not_removed", _("卡记录 {ident} 未能{what}，仍然有效").format(
                ident=ident, what=what))
        return Succeeded(ident)

    # -- writes ----------------------------------------------------------------------------

    def _settle(self, key: str) -> bool:
        """Whether a write of this chunk got no answer earlier in this run; if so, wait until
        ``settle_s`` after it was sent (see the module doc)."""
        with self._lock:
            at = self._unsettled.get(key) if key else None
        if at is None:
            return False
        wait = at + self.options.settle_s - self._clock()
        if wait > 0:
            self._sleep(wait)
        return True

    def _call_write(self, action: str, body: Mapping[str, Any], key: str) -> dict[str, Any]:
        """A write; when it gets no answer at all, remember when it was sent (``_settle``)."""
        sent: list[float] = []
        try:
            return self._api.call(action, body, write=True,
                                  on_send=lambda: sent.append(self._clock()))
        except AmbiguousError as exc:
            if key and sent and _unanswered(exc):
                with self._lock:
                    self._unsettled[key] = max(sent[-1], self._unsettled.get(key, sent[-1]))
            raise

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """One batch create in the seed's shape; see the module doc for resends."""
        if not items:
            return []
        check_batch_size(len(items), self.options.batch_size)
        label = status_label(self.fields, status)
        results: dict[int, RecordResult] = {}
        if self._settle(idempotency_key):
            results = self._landed(items)
            with self._lock:
                self._unsettled.pop(idempotency_key, None)
        todo = [i for i in range(len(items)) if i not in results]
        if todo:
            for i, new_id in zip(todo, self._create([items[i] for i in todo], label,
                                                    idempotency_key), strict=True):
                results[i] = Succeeded(new_id)
        return [results[i] for i in range(len(items))]

    def _landed(self, items: Sequence[CardCreate]) -> dict[int, RecordResult]:
        """Position -> outcome for the items whose student has a live card now: ours (its open
        time is the item's, or cannot be told) or someone else's."""
        records = self.read_card_records([it.student_no for it in items])
        found: dict[int, RecordResult] = {}
        for i, it in enumerate(items):
            live = [c for c in records.get(it.student_no, []) if c.status in LIVE]
            mine = survivor(c for c in live if not it.open_time or c.open_time is None
                            or c.open_time == it.open_time)
            if mine is not None:
                found[i] = Succeeded(mine.card_id)
            elif live:
                kept = survivor(live)
                assert kept is not None
                found[i] = Skipped(SkipReason.OPENED_BY_OTHER, kept.card_id)
        return found

    def _create(self, items: list[CardCreate], label: str, key: str) -> list[str]:
        o = self.options
        fm = self.fields
        now = self._now_ms()
        links = self._links(items)
        body = self._api.body(o.cards_object, **{
            o.key_fields: [fm.card_student, fm.card_open_time, fm.card_amount,
                           fm.card_status],
            o.key_values: [[link, it.open_time or now, 0, [label]]
                           for it, link in zip(items, links, strict=True)]})
        data = self._call_write(o.action_create, body, key)
        return _ids(data.get(o.key_ids, data.get("Ids")), len(items))

    def _links(self, items: list[CardCreate]) -> list[str | int]:
        """What each new card's studentInfo holds (see ``student_link``)."""
        if self.options.student_link == "student_no":
            return [it.student_no for it in items]
        missing = [it.student_no for it in items if not it.student_record_id]
        ids = self._student_records(missing) if missing else {}
        links: list[str | int] = []
        for it in items:
            ident = it.student_record_id or ids.get(it.student_no, "")
            if not ident:
                raise FatalError(_("神笔中找不到学号 {student_no} 的学生记录").format(
                    student_no=it.student_no), code="no_student")
            links.append(ident)
        return links

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """Batch update by card record Id. When 神笔 says a record does not exist, the cards
        are read by Id: the missing ones fail, the rest is sent once more."""
        if not items:
            return []
        check_batch_size(len(items), self.options.batch_size)
        label = status_label(self.fields, status)
        if self._settle(idempotency_key):  # the same status again: nothing to read first
            with self._lock:
                self._unsettled.pop(idempotency_key, None)
        return self._update(list(items), label, idempotency_key, again=True)

    def _update(self, items: list[CardUpdate], label: str, key: str,
                again: bool) -> list[RecordResult]:
        o = self.options
        ids = [it.card_id for it in items]
        body = self._api.body(o.cards_object, **{
            o.key_ids: ids, o.key_fields: [self.fields.card_status],
            o.key_values: [[[label]] for _ in items]})
        try:
            data = self._call_write(o.action_update, body, key)
        except ShenbiRejected as exc:
            if exc.scode != "ResourceNotFound.Record" or not again:
                raise
            present = self._by_id(ids)
            results: dict[int, RecordResult] = {}
            retry = []
            for i, it in enumerate(items):
                if it.card_id in present:
                    retry.append(i)
                else:
                    results[i] = Failed(exc.scode, _("卡记录不存在（可能已被删除）"))
            if retry:
                done = self._update([items[i] for i in retry], label, key, again=False)
                results.update(zip(retry, done, strict=True))
            return [results[i] for i in range(len(items))]
        _ids(data.get(o.key_ids, data.get("Ids")), len(items))
        return [Succeeded(it.card_id) for it in items]

    def _by_id(self, ids: list[str]) -> dict[str, Record]:
        """Card records by Id (their status only); Ids that name no record are absent."""
        o = self.options
        body = {o.key_app: o.app_code, o.key_entity: o.cards_object, o.key_ids: ids,
                o.key_fields: [self.fields.card_status]}
        data = self._api.read(o.action_get, body)
        records = data.get("EntityRecordSet", data.get("EntityRecord", []))
        if not isinstance(records, list):
            raise RetryableError(_("{SERVICE}的应答缺少记录列表").format(
                SERVICE=SERVICE), code="malformed")
        return {id_of(r): r for r in records if isinstance(r, dict) and id_of(r)}

    # -- the connection test ---------------------------------------------------------------

    def check_connection(self) -> None:
        """Read one record of each object with the mapped fields; raise a ConnectorError whose
        code says what is wrong: network, key, signature, clock, permission, app, object or
        field — with the clock difference when the signature expired."""
        o = self.options
        for title, entity, keys in (
            (_("学生对象"), o.students_object, self.fields.student_fields()),
            (_("一卡通对象"), o.cards_object, self.fields.card_fields()),
        ):
            body = self._api.body(entity, **{o.key_fields: keys}, Limit=1, Offset=0)
            for attempt in range(1, 4):
                try:
                    self._api.read(o.action_query, body, budget_s=0)
                    break
                except RetryableError as exc:  # busy (another PC on the same key): not a fault
                    if not exc.code.startswith("RequestLimitExceeded") or attempt == 3:
                        raise _connection_error(exc, title, entity, keys, self.fields) from None
                    self._sleep(exc.retry_after or 1.0)
                except ConnectorError as exc:
                    raise _connection_error(exc, title, entity, keys, self.fields) from None


def _ids(value: Any, n: int) -> list[str]:
    """The record Ids of a write's answer, as strings (Ids above 2^53 kept exact)."""
    ids = [record_id(v) for v in value] if isinstance(value, list) else []
    if len(ids) != n or not all(ids):
        raise AmbiguousError(_("{SERVICE}没有返回全部 {n} 条记录的 Id：请求可能已生效，正"
                               "在核对").format(
            SERVICE=SERVICE, n=n),
                             code="partial")
    return ids


def _connection_error(exc: ConnectorError, title: str, entity: str, keys: list[str],
                      fm: Any) -> ConnectorError:
    if isinstance(exc, RetryableError | AmbiguousError) and exc.code in ("network", "timeout"):
        area = "network"
    elif isinstance(exc, ShenbiRejected):
        area = area_of(exc.scode)
    else:
        area = "key" if exc.code == "secret_missing" else ""
    if not area:
        return ConnectorError(_("连接测试失败（{title} {entity}）：{message}").format(
            title=title, entity=entity, message=exc.message), code=exc.code)
    detail = exc.message
    if area == "clock" and isinstance(exc, ShenbiRejected) and exc.skew_s is not None:
        ahead = _("快") if exc.skew_s < 0 else _("慢")
        detail += _(" 本机时钟比服务器{ahead}约 {value:.0f} 秒。").format(
            ahead=ahead, value=abs(exc.skew_s))
    elif area == "object":
        detail = _("{title}（{entity}）不存在：请检查配置中的对象 key（{message}）").format(
            title=title, entity=entity, message=exc.message)
    elif area == "field":
        names = _("、").join(_("{value}（{k}）").format(value=FIELD_NAMES.get(_key_name(fm, k), k),
                                                       k=k) for k in keys)
        detail = _("{title}（{entity}）的字段对应有误，当前对应：{names}。{message}").format(
            title=title, entity=entity, names=names, message=exc.message)
    return ConnectorError(_("连接测试失败：{value}。{detail}").format(
        value=_AREA_TEXT[area], detail=detail), code=area)


def _key_name(fm: Any, key: str) -> str:
    for name in FIELD_NAMES:
        if getattr(fm, name, None) == key:
            return name
    return key
