"""简道云 records ↔ domain values: reading field values, picking a student's current card,
joining students with cards, and the options a profile holds (spec §3.3, §3.4).

Pure functions over the JSON the API returns; the HTTP side lives in ``jiandaoyun.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ...config.fieldmap import FieldMap
from ...config.options import number, parse_numbers, parse_texts, text
from ...connectors import joining
from ...connectors.common import decimal_of, ms_of, plain_text
from ...connectors.joining import RecordReader
from ...core.cards import current_card
from ...core.errors import ConfigError, ConnectorError
from ...core.model import Card, StudentRow
from ...core.text import L_, _
from . import DEFAULT_BASE_URL

MAX_BATCH = 100  # batch_create data_list / batch_update data_ids (spec §2, OFF)
MAX_PAGE = 100  # data/list limit (spec §2, OFF)

Record = Mapping[str, Any]



@dataclass(frozen=True, slots=True)
class JdyOptions:
    """A jiandaoyun profile's options, validated (design: Profile.options)."""

    base_url: str
    fields: FieldMap
    app_id: str = text(L_("应用 ID"), required=True, flag="--app-id", metavar="ID",
                       hint=L_("见表单网址，或 开放平台 → API 调试"))
    students_entry: str = text(L_("学生表单 ID"), required=True, flag="--students-entry",
                               metavar="ID", hint=L_("学生表单的 entry_id"))
    cards_entry: str = text(L_("一卡通表单 ID"), required=True, flag="--cards-entry",
                            metavar="ID", hint=L_("一卡通表单的 entry_id"))
    timeout_s: float = number(15.0, 0.05, 600, unit="s", flag="--timeout",
                              help=L_("单个请求的超时秒数"))
    # batch_create/batch_update: 10/s (spec §5, OFF)
    batch_rps: int = number(10, 1, 10, flag="--batch-rps", help=L_("批量接口每秒请求数"))
    # all endpoints together (spec §5, OFF)
    enterprise_rps: int = number(50, 1, 50, flag="--enterprise-rps",
                                 help=L_("整个企业每秒请求数"))
    list_rps: int = number(30, 1, 30)  # data/list, widget/list (spec §5, OFF)
    # chunks in flight at once: each does a fresh read, its write and a read-back in turn, so
    # 10 batch calls/s at 200 ms need more than 6 (the sandbox's in-flight limit is 10)
    concurrency: int = number(8, 1, 20, flag="--concurrency", help=L_("同时进行的请求数"))
    # 99, not the API's 100: a chunk's fresh read and its read-back (`in` ≤ 99 values) then
    # each fit one data/list page with no empty next page — two list calls a chunk, not four,
    # which keeps data/list's 30/s from bounding the writes
    batch_size: int = number(MAX_BATCH - 1, 1, MAX_BATCH)
    # `in` takes ≤200 values on the official page, 1000 per a 2026 transcription [2ND]. 99:
    # a chunk's cards (usually one per student) fit one page of 100, with no empty next page.
    in_max_values: int = number(99, 1, 200)
    # A cold listing reads each form as `_id` ranges, each from a cursor of its own, on this
    # many threads (both forms together); 1: one cursor per form, the old way. The ranges'
    # first cursors are synthetic ids (24 hex, ObjectId-like), which the docs neither allow
    # nor forbid [UNCONFIRMED]: an answer that does not fit falls back to one cursor (logged).
    list_cursors: int = number(8, 1, 20)
    # Pages each `_id` range is sized to hold (from the ids' spacing in the pages read): its
    # last page runs into the next range, so longer ranges waste fewer requests.
    list_range_pages: int = number(10, 1, 1000)
    # How openTime is written: "iso" (…Z, the docs' write table) or "ms" (the official demos);
    # the spec says both are accepted [2ND].
    open_time_format: str = "iso"
    # Seconds added to each 1 s rate window to absorb network jitter (window type UNCONFIRMED).
    rate_margin_s: float = number(0.03, 0, 1, unit="s")
    # How long a request that got no answer may still be applied [INFER]. Within a run a
    # resend reuses its transaction_id, but after a restart the chunk's record set (and the
    # generation after a 17026) may differ, so the runner waits this long after the journal's
    # send time before reading back a chunk a crashed run left unanswered.
    settle_s: float = number(60.0, 0, 3600, unit="s")
    # The largest answer body taken, in MB: a page of 100 records is well under 1 MB; a
    # bigger body is dropped as it arrives (Content-Length above it: before reading).
    max_answer_mb: int = number(32, 1, 1024, unit="MB")
    # One request's whole time — connect, send, every read — however slowly the server drips
    # its answer (timeout_s bounds each read only). 0: twice timeout_s.
    request_deadline_s: float = number(0.0, 0, 3600, unit="s")
    # How long a read (a list page, a read-back) is retried on a retryable error, backing off
    # 0.5 s, 1 s … 8 s with jitter. Replaces read_retries (a stored one is ignored): a listing
    # must survive a spell of faults, not a number of them.
    read_budget_s: float = number(60.0, 0, 3600, unit="s")
    # A transaction_id is valid for 1 h [2ND]; a whole-chunk replay is used only well within.
    replay_window_s: float = number(3000.0, 0, 3600, unit="s")

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> JdyOptions:
        def text(key: str, default: str | None = None) -> str:
            value = options.get(key, default)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(_("简道云配置缺少“{key}”").format(key=key))
            return value.strip()

        base_url = text("base_url", DEFAULT_BASE_URL).rstrip("/")
        if not base_url.startswith(("https://", "http://")):
            raise ConfigError(_("简道云服务器地址必须以 https:// 开头"))
        fmt = options.get("open_time_format", "iso")
        if fmt not in ("iso", "ms"):
            raise ConfigError(_("简道云配置“open_time_format”只能是 iso 或 ms"))
        return cls(
            base_url=base_url,
            fields=FieldMap.from_json(options.get("fields")),
            open_time_format=str(fmt),
            **parse_texts(cls, options, _("简道云")),
            **parse_numbers(cls, options, _("简道云")),
        )


# -- values ----------------------------------------------------------------------------------

def text_of(value: Any) -> str:
    """A text-like value as read (``common.plain_text``)."""
    return plain_text(value)


def iso_of(ms: int) -> str:
    """Epoch ms as the API's datetime string (UTC, milliseconds, Z)."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def current_cards(records: Iterable[Record], fm: FieldMap) -> dict[str, Record]:
    """Each student's current card record (``core.cards.current_card``): the earliest live
    one by (createTime, _id), else the newest — a newer 注销 duplicate never hides the live
    survivor. A student with a record whose status label is not mapped gets that record, so
    that the caller refuses to guess (see ``joining``)."""
    by_student: dict[str, list[Record]] = {}
    for rec in records:
        no = text_of(rec.get(fm.card_student))
        if no:
            by_student.setdefault(no, []).append(rec)
    out: dict[str, Record] = {}
    for no, recs in by_student.items():
        if len(recs) == 1:
            out[no] = recs[0]
            continue
        cards = [(card_of(rec, fm), rec) for rec in recs]
        unknown = next((rec for card, rec in cards if card is None), None)
        if unknown is not None:
            out[no] = unknown
            continue
        current = current_card(card for card, _rec in cards if card is not None)
        out[no] = next(rec for card, rec in cards if card is current)
    return out


def card_of(rec: Record, fm: FieldMap) -> Card | None:
    """The Card a record holds; None when its status label is empty or not mapped."""
    status = fm.card_status_of(text_of(rec.get(fm.card_status)))
    if status is None:
        return None
    return Card(
        card_id=str(rec.get("_id", "")),
        student_no=text_of(rec.get(fm.card_student)),
        status=status,
        open_time=ms_of(rec.get(fm.card_open_time)),
        amount=decimal_of(rec.get(fm.card_amount)),
        revision=str(rec.get("updateTime") or ""),  # no optimistic lock: informational only
        created=ms_of(rec.get("createTime")),
    )


def _text(rec: Record, key: str) -> str:
    return text_of(rec.get(key))


def _record_id(rec: Record) -> str:
    return str(rec.get("_id", ""))


READER = RecordReader(L_("简道云"), _text, _record_id, card_of)


def unknown_label_error(rec: Record, fm: FieldMap) -> ConnectorError:
    return joining.unknown_label_error(rec, fm, READER)


def join_rows(students: Iterable[Record], cards: Iterable[Record],
              fm: FieldMap) -> tuple[list[StudentRow], list[str]]:
    """Students (form order) joined with their current card (``joining.join_rows``)."""
    return joining.join_rows(students, current_cards(cards, fm), fm, READER)
