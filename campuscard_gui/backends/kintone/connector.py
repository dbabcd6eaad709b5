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

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from ...config.field_discovery import FieldLister
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
from ...connectors.common import (
    FIELD_NAMES,
    FieldInfo,
    PagedProgress,
    check_batch_size,
    chunked,
    status_label,
)
from ...connectors.http import ClientFactory
from ...connectors.joining import Joiner, RecordReader, cards_of, unknown_label_error
from ...connectors.partitions import Inconsistent, Job, jobs_of, run_jobs
from ...connectors.refresh import (
    Mark,
    affected_students,
    both_marks,
    left_out_ids,
    merge_rows,
    source_of,
)
from ...core.errors import (
    AmbiguousError,
    ConnectorError,
    FatalError,
    RetryableError,
)
from ...core.model import Card, CardStatus, StudentRow
from ...core.outcomes import Succeeded
from ...core.text import L_, _
from .api import KintoneApi, KintoneAuth, KintoneRejected
from .bulk import BulkWriter, Op
from .errors import area_of
from .records import (
    SERVICE,
    KintoneOptions,
    Record,
    card_of,
    datetime_of,
    id_number,
    newest_cards,
    quoted,
    record_id,
    text_of,
)

__all__ = ["KintoneAuth", "KintoneConnector"]

log = logging.getLogger(__name__)

READER = RecordReader(SERVICE, text_of, record_id, card_of)
_RECORD_KEY = re.compile(r"^records\[(\d+)\](?:\.([^.\[\]]+)|\[([^\]]+)\])")
_LIVE = (CardStatus.ACTIVE, CardStatus.FROZEN)
# refusals of an update that concern its records, not the request: a card deleted (GAIA_RE01)
# or changed since it was listed (GAIA_CO02)
_RECORD_CODES = frozenset({"GAIA_RE01", "GAIA_CO02"})
_LAYOUT_TYPES = frozenset({"GROUP", "LABEL", "SPACER", "HR", "SUBTABLE", "REFERENCE_TABLE",
                           "CATEGORY", "STATUS", "STATUS_ASSIGNEE", "FILE"})
_AREA_TEXT = {
    "network": L_("网络连接失败"), "auth": L_("认证失败"), "permission": L_("权限不足"),
    "app": L_("应用不存在"), "space": L_("来宾空间不对"), "field": L_("字段对应有误"),
}


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _id_order(ident: str) -> int:
    return int(ident) if ident.isdigit() else 0


def _minus(when: str, seconds: float) -> str:
    """A kintone datetime ``seconds`` earlier (the epoch for an empty app's "")."""
    try:
        at = datetime.fromisoformat(when) if when else datetime(1970, 1, 1, tzinfo=UTC)
    except ValueError:
        at = datetime(1970, 1, 1, tzinfo=UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return (at.astimezone(UTC) - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _app_mark(since: str, records: Sequence[Record],
              before: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One app's part of a mark: the newest update time read before, the highest ``$id``
    and how many records up to it (a later count below it means deletions)."""
    old_max = int(before["max_id"]) if before is not None else 0
    top = max((id_number(r) for r in records), default=0)
    if before is None:
        return {"since": since, "max_id": top, "count": len(records)}
    new = sum(1 for r in records if id_number(r) > old_max)
    return {"since": since, "max_id": max(old_max, top), "count": int(before["count"]) + new}


class KintoneConnector(Abilities):
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
        # Updates carry the revision they were listed with (refused when changed meanwhile);
        # the unique student field refuses a second card. A cards app without it
        # (require_unique_student=false) leaves duplicates to the runner (read_card_records,
        # remove_cards).
        # DATETIME keeps minutes (spec §5): an open time tells our card from another's only
        # when they were opened in different minutes.
        self.consistency = Consistency(conditional_updates=True,
                                       one_card_per_student=opts.require_unique_student,
                                       open_time_resolution_ms=60_000)
        self.list_warnings: list[str] = []
        self._mark = ""  # the last listing's (DeltaListing)
        self._state = threading.Lock()
        self._updated: dict[str, str | None] = {}  # app -> its UPDATED_TIME field code
        self._api = KintoneApi(opts, auth, client_factory=client_factory, sleep=sleep)
        self._now_ms = now_ms
        self._writer = BulkWriter(self._api, opts, self.fields, READER, self._card_records,
                                  self._cards_by_id)

    def __repr__(self) -> str:
        o = self.options
        return (f"KintoneConnector(base_url={o.base_url!r}, students_app={o.students_app!r},"
                f" cards_app={o.cards_app!r})")

    # -- abilities (connectors.base.Connector) -------------------------------------------------

    def card_history(self) -> CardHistory | None:
        return self

    def field_lister(self) -> FieldLister | None:
        return self

    def close(self) -> None:
        self._api.close()

    # -- reading -------------------------------------------------------------------------

    def _card_fields(self) -> list[str]:
        return [*self.fields.card_fields(), "$revision"]

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        """All students joined with their current card. Both apps are read at once, each cut
        into ``$id`` ranges read on up to ``concurrency`` threads (``_partitioned``); the old
        seek (one per app) when ``list_workers`` is 1 or a range's answer does not fit.
        Progress counts records of both apps; the total is known after the first answers.
        The newest update time of each app, read as the listing starts (on a thread of its
        own: ``refresh_overlap_s`` covers the moments between), goes into its mark."""
        with ThreadPoolExecutor(1, thread_name_prefix="campuscard-kintone-mark") as pool:
            newest = pool.submit(self._newest_updates)
            students, cards, joined = self._read_all(progress)
            since = newest.result()
        if joined is None:
            joiner = Joiner(newest_cards(cards, self.fields), self.fields, READER)
            rows = joiner.join(students)
        else:
            rows, joiner = joined
        self.list_warnings = joiner.warnings()
        self._mark = "" if since is None else Mark(self._source(), {
            "students": _app_mark(since[0], students), "cards": _app_mark(since[1], cards)},
            left_out_ids(rows, students, record_id)).dump()
        return rows

    # -- refresh (connectors.base.DeltaListing) ------------------------------------------------

    def delta_listing(self) -> DeltaListing | None:
        return self

    def listing_mark(self) -> str:
        return self._mark

    def _source(self) -> str:
        o = self.options
        return source_of("kintone", o.base_url, o.guest_space, o.students_app, o.cards_app,
                         self.fields.to_json())

    def _updated_field(self, app: str) -> str | None:
        """The app's UPDATED_TIME field code (更新时间 / 更新日時 / Updated_datetime: each
        app names it in its creator's language), found by type; None when it has none."""
        with self._state:
            if app in self._updated:
                return self._updated[app]
        code = next((c for c, p in self._api.form_fields(app).items()
                     if p.get("type") == "UPDATED_TIME"), None)
        with self._state:
            self._updated[app] = code
        return code

    def _newest_update(self, app: str) -> str | None:
        """The newest UPDATED_TIME in ``app`` ("" when it is empty; None: no such field)."""
        code = self._updated_field(app)
        if code is None:
            return None
        top, _count = self._api.top(app, f"{code} desc", [code])
        return text_of(top, code) if top is not None else ""

    def _newest_updates(self) -> tuple[str, str] | None:
        """Both apps' newest update times, before a listing reads them (None: no refresh
        possible; the listing goes on)."""
        opts = self.options
        return both_marks("kintone", self._newest_update, (opts.students_app, opts.cards_app),
                          "an app has no UPDATED_TIME field")

    def refresh_rows(self, rows: Sequence[StudentRow], mark: str,
                     progress: ListProgress | None = None) -> list[StudentRow] | None:
        """``rows`` with the records changed since ``mark``: per app, the records whose
        UPDATED_TIME is at or after the mark's newest update less ``refresh_overlap_s``
        (kintone keeps minutes), provided no record the mark counted was deleted (the count of
        ``$id`` up to the mark's highest is still the mark's count, totalCount); None when
        one was, or the mark is not this profile's."""
        opts = self.options
        fm = self.fields
        found = Mark.load(mark, self._source())
        if found is None or set(found.apps) != {"students", "cards"}:
            log.info("kintone: the snapshot's mark is not this profile's: listing in full")
            return None
        apps = {"students": (opts.students_app, fm.student_fields()),
                "cards": (opts.cards_app, self._card_fields())}

        def state(name: str) -> tuple[str | None, int | None, list[Record]]:
            app, fields = apps[name]
            info = found.apps[name]
            newest = self._newest_update(app)
            _top, count = self._api.top(app, "$id desc", ["$id"],
                                        f"$id <= {int(info['max_id'])}")
            if newest is None or count != info["count"]:
                return newest, count, []
            code = self._updated_field(app)
            bound = _minus(str(info["since"]), opts.refresh_overlap_s)
            changed = self._api.all_records(app, fields, f'{code} >= "{bound}"')
            return newest, count, changed

        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-kintone-delta") as pool:
            (s_new, s_count, students), (c_new, c_count, cards) = pool.map(
                state, ("students", "cards"))
        if s_new is None or c_new is None:
            log.info("kintone: an app has no UPDATED_TIME field: listing in full")
            return None
        if s_count != found.apps["students"]["count"] \
                or c_count != found.apps["cards"]["count"]:
            log.info("kintone: records were deleted since the snapshot (count %s/%s, was "
                     "%s/%s): listing in full", s_count, c_count,
                     found.apps["students"]["count"], found.apps["cards"]["count"])
            return None
        again = {record_id(r): r for r in students}
        left = [i for i in found.left_out if i not in again and i.isdigit()]
        for rec in self._students_where("$id", left):
            again.setdefault(record_id(rec), rec)
        known = {text_of(r, fm.student_no) for r in again.values()}
        wanted = affected_students(rows, cards, fm, READER) - known
        for rec in self._students_where(fm.student_no, sorted(wanted)):
            again.setdefault(record_id(rec), rec)
        nos = sorted({text_of(r, fm.student_no) for r in again.values()} - {""})
        current = newest_cards(self._card_records(nos), fm) if nos else {}
        merged, warnings, left_out = merge_rows(rows, list(again.values()), current, fm,
                                                READER, _id_order)
        self.list_warnings = warnings
        self._mark = Mark(self._source(), {
            "students": _app_mark(s_new, students, found.apps["students"]),
            "cards": _app_mark(c_new, cards, found.apps["cards"])}, left_out).dump()
        log.info("kintone: refreshed from the snapshot: %d student and %d card records "
                 "changed", len(students), len(cards))
        if progress is not None:
            progress(len(merged), len(merged))
        return merged

    def _students_where(self, code: str, values: Sequence[str]) -> list[Record]:
        """Student records whose ``code`` is one of ``values`` (``in`` queries)."""
        step = self.options.in_max_values
        out: list[Record] = []
        for start in range(0, len(values), step):
            part = values[start:start + step]
            listed = ", ".join(v if code == "$id" else quoted(v) for v in part)
            out += self._api.all_records(self.options.students_app,
                                         self.fields.student_fields(), f"{code} in ({listed})")
        return out

    def _workers(self) -> int:
        return self.options.list_workers or self.options.concurrency

    def _read_all(self, progress: ListProgress | None) -> tuple[
            list[Record], list[Record], tuple[list[StudentRow], Joiner] | None]:
        """Every student record and every card record, and the students already joined
        with their cards when the partitioned listing joined them as they came (None: join
        them now)."""
        if self._workers() > 1:
            try:
                return self._partitioned(progress)
            except Inconsistent as exc:
                log.warning("kintone: partitioned listing abandoned (%s); reading each app "
                            "with one seek", exc)
        return self._sequential(progress)

    def _sequential(self, progress: ListProgress | None) -> tuple[
            list[Record], list[Record], None]:
        opts = self.options
        paged = PagedProgress(progress, 2)
        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-kintone-list") as pool:
            students = pool.submit(self._api.all_records, opts.students_app,
                                   self.fields.student_fields(), "", paged.source("students"))
            cards = pool.submit(self._api.all_records, opts.cards_app, self._card_fields(),
                                "", paged.source("cards"))
            return students.result(), cards.result(), None

    def _partitioned(self, progress: ListProgress | None) -> tuple[
            list[Record], list[Record], tuple[list[StudentRow], Joiner]]:
        """Both apps as ``$id`` ranges: the highest ``$id`` and the count of each app (one
        ``order by $id desc limit 1`` each), ranges sized to hold about one page each, read
        in parallel, and last for each app the records created meanwhile (``$id`` above the
        highest seen at the start) with one seek. kintone's only read limit is 100
        concurrent requests per domain (§4): the API's semaphore keeps ours within
        ``concurrency``.

        The cards are read first; once the last of them is in, each range of students is
        joined with its cards by the thread that read it, while the other ranges are still
        on their way (joining 100,000 students after the last answer took 1.1 s)."""
        opts = self.options
        fm = self.fields
        apps = ((opts.cards_app, self._card_fields()),
                (opts.students_app, fm.student_fields()))
        paged = PagedProgress(progress, 2)
        with ThreadPoolExecutor(2, thread_name_prefix="campuscard-kintone-list") as pool:
            bounds = list(pool.map(lambda app: self._api.top(app[0], "$id desc", ["$id"]),
                                   apps))
        parts: list[list[list[Record]]] = []
        sources = []
        state = threading.Lock()
        cards_left = [0]
        cards_in = threading.Event()
        joiner: list[Joiner] = []
        joined: dict[int, list[StudentRow]] = {}

        def cards_done() -> None:
            with state:
                cards_left[0] -= 1
                if cards_left[0]:
                    return
            current = newest_cards((r for part in parts[0] for r in part), fm)
            joiner.append(Joiner(current, fm, READER))
            cards_in.set()

        for (app, fields), (top, total), name in zip(apps, bounds, ("cards", "students"),
                                                    strict=True):
            high = id_number(top) if top is not None else 0
            on_page = paged.source(name)
            on_page(0, total)
            count = total if total else max(high, 1)
            span = max(opts.page_size, opts.page_size * high // max(count, 1))
            ranges = [(low, min(low + span, high)) for low in range(0, high, span)]
            found: list[list[Record]] = [[] for _ in range(len(ranges) + 1)]
            parts.append(found)
            if name == "cards":
                cards_left[0] = len(found)

            def job(i: int, low: int, up: int | None, app: str = app,
                    fields: list[str] = fields, found: list[list[Record]] = found,
                    on_page: Callable[[int, int | None], None] = on_page,
                    name: str = name) -> Job:
                def read(stop: threading.Event) -> None:
                    if up is None:  # the records created since the listing started
                        found[i] = self._api.all_records(app, fields, f"$id > {low}")
                    else:
                        found[i] = self._api.id_range(app, fields, low, up, on_page, stop)
                    if name == "cards":
                        cards_done()
                    elif cards_in.is_set():
                        joined[i] = joiner[0].join(found[i], key=i)
                return read

            # the last job of each app reads past its highest $id: a record created while
            # the ranges are read is found there (created after it is read: after the listing)
            sources.append(jobs_of([*(job(i, lo, up) for i, (lo, up) in enumerate(ranges)),
                                    job(len(ranges), high, None)]))
        run_jobs(sources, self._workers(), "campuscard-kintone-list", in_order=True)
        out: list[list[Record]] = []
        for app, found in zip((opts.cards_app, opts.students_app), parts, strict=True):
            # each range's pages were checked in order and inside it (``id_range``): what
            # is left to check is the seams between parts and the records created since
            tail = [id_number(r) for r in found[-1]]
            seams = [(id_number(p[0]), id_number(p[-1])) for p in found[:-1] if p]
            if any(b[1] >= a[0] for b, a in zip(seams, seams[1:], strict=False)) \
                    or any(a >= b for a, b in zip(tail, tail[1:], strict=False)) \
                    or (seams and tail and tail[0] <= seams[-1][1]):
                raise Inconsistent(f"kintone app {app}: ranges overlapped")
            out.append([r for part in found for r in part])
        rows: list[StudentRow] = []
        for i, part in enumerate(parts[1]):  # ranges read before the cards were in: now
            rows += joined[i] if i in joined else joiner[0].join(part, key=i)
        return out[1], out[0], (rows, joiner[0])

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

    def read_card_records(self, student_nos: Iterable[str]) -> dict[str, list[Card]]:
        """Every card record of each student. ``$id`` only grows, so it alone orders them
        (``created`` 0 for all)."""
        wanted = [no for no in dict.fromkeys(student_nos) if no]
        found: dict[str, list[Card]] = {}
        for rec in self._card_records(wanted):
            card = card_of(rec, self.fields)
            if card is None:
                raise unknown_label_error(rec, self.fields, READER)
            found.setdefault(card.student_no, []).append(replace(card, created=0))
        return found

    def remove_cards(self, cards: Sequence[Card]) -> list[RecordResult]:
        """Delete duplicate card records (DELETE records, ≤100 ids a request, all or
        nothing); ids already gone are left out of a second try."""
        ids = [c.card_id for c in cards if c.card_id.isdigit()]
        step = min(100, self.options.in_max_values)
        for start in range(0, len(ids), step):
            part = ids[start:start + step]
            try:
                self._api.call("DELETE", "records", {"app": self.options.cards_app,
                                                     "ids": part}, write=True)
            except KintoneRejected as exc:
                if exc.kcode != "GAIA_RE01":
                    raise
                present = [i for i in part if i in self._cards_by_id(part)]
                if present:
                    self._api.call("DELETE", "records", {"app": self.options.cards_app,
                                                         "ids": present}, write=True)
        return [Succeeded(c.card_id) for c in cards]

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
                ops.append(Op(i, it.student_no, opened, it.card_id, it.revision))
            else:
                ops.append(Op(i, it.student_no, {fm.card_student: {"value": it.student_no},
                                                  **opened, fm.card_amount: {"value": "0"}}))
        results = self._writer.apply(ops, label, opening=True)
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
            raise FatalError(_("卡记录 ID 无效：{value}").format(
                value=_('、').join(bad[:5])), code="bad_request")
        ops = [Op(i, it.student_no, {self.fields.card_status: {"value": label}},
                   it.card_id, it.revision) for i, it in enumerate(items)]
        results = self._writer.apply(ops, label, opening=False)
        return [results[i] for i in range(len(items))]

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
            (_("学生应用"), opts.students_app,
             ("student_no", "name", "college", "class_name", "student_status")),
            (_("一卡通应用"), opts.cards_app,
             ("card_student", "card_open_time", "card_amount", "card_status")),
        )
        problems = []
        for title, app, keys in apps:
            try:
                props = self._api.form_fields(app, budget_s=0)  # answer the operator quickly
                self._api.read("GET", "records", {"app": app, "fields": ["$id"],
                                                  "query": "limit 1"}, budget_s=0)
            except ConnectorError as exc:
                raise _connection_error(exc, title, app) from None
            missing = [_("{value}（{fm}）").format(
                value=FIELD_NAMES[key], fm=getattr(fm, key)) for key in keys
                       if getattr(fm, key) not in props]
            if missing:
                problems.append(_("{title}（{app}）中找不到这些字段代码：{fields}。").format(
                    title=title, app=app, fields=_("、").join(missing)))
            if app != opts.cards_app:
                continue
            status = props.get(fm.card_status)
            options = _options_of(status) if status is not None else []
            if options:
                absent = [t for t in fm.card_status_labels.values() if t not in options]
                if absent:
                    problems.append(_("卡状态字段（{field}）的选项中没有{options}。").format(
                        field=fm.card_status,
                        options=_("、").join(_("“{option}”").format(option=t) for t in absent)))
            student = props.get(fm.card_student)
            if opts.require_unique_student and student is not None \
                    and student.get("unique") not in (True, "true"):
                problems.append(
                    _("一卡通应用的学生学号字段（{card_student}）没有勾选“禁止重复值”：没有它，中"
                      "断后重发时可能给同一学生开出两张卡。请在 kintone 的应用设置中勾选该字段的“"
                      "禁止重复值”并更新应用。").format(
                        card_student=fm.card_student))
        if problems:
            raise ConnectorError("".join(problems) + _("请在配置中重新对应字段。"), code="field")


# -- helpers ----------------------------------------------------------------------------------

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
        return ConnectorError(_("连接测试失败（{title} {app}）：{message}").format(
            title=title, app=app, message=exc.message), code=exc.code)
    detail = exc.message
    if area == "app":
        detail = _("{title}（ID {app}）不存在：请检查配置中的应用 ID（{message}）").format(
            title=title, app=app, message=exc.message)
    return ConnectorError(_("连接测试失败：{value}。{detail}").format(
        value=_AREA_TEXT[area], detail=detail), code=area)

