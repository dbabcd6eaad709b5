"""简道云 records ↔ domain values: reading field values, picking a student's current card,
joining students with cards, and the options a profile holds (spec §3.3, §3.4).

Pure functions over the JSON the API returns; the HTTP side lives in ``jiandaoyun.py``.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..config.fieldmap import FieldMap
from ..core.errors import ConfigError, ConnectorError
from ..core.model import Card, Student, StudentRow

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.jiandaoyun.com/api"
MAX_BATCH = 100  # batch_create data_list / batch_update data_ids (spec §2, OFF)
MAX_PAGE = 100  # data/list limit (spec §2, OFF)
_EXAMPLES = 5

Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field of a form as widget/list describes it (for the profile dialog)."""

    name: str  # the key the API uses (alias or _widget_…)
    label: str
    type: str
    options: list[str]


@dataclass(frozen=True, slots=True)
class JdyOptions:
    """A jiandaoyun profile's options, validated (design: Profile.options)."""

    base_url: str
    app_id: str
    students_entry: str
    cards_entry: str
    fields: FieldMap
    timeout_s: float = 15.0
    batch_rps: int = 10  # batch_create/batch_update: 10/s (spec §5, OFF)
    enterprise_rps: int = 50  # all endpoints together (spec §5, OFF)
    list_rps: int = 30  # data/list, widget/list (spec §5, OFF)
    concurrency: int = 5
    batch_size: int = MAX_BATCH
    # `in` takes ≤200 values on the official page, 1000 per a 2026 transcription [2ND]. 99:
    # a chunk's cards (usually one per student) fit one page of 100, with no empty next page.
    in_max_values: int = 99
    # How openTime is written: "iso" (…Z, the docs' write table) or "ms" (the official demos);
    # the spec says both are accepted [2ND].
    open_time_format: str = "iso"
    # Seconds added to each 1 s rate window to absorb network jitter (window type UNCONFIRMED).
    rate_margin_s: float = 0.03
    read_retries: int = 4  # attempts per read request (list pages) on a retryable error
    # A transaction_id is valid for 1 h [2ND]; a whole-chunk replay is used only well within.
    replay_window_s: float = 3000.0

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> JdyOptions:
        def text(key: str, default: str | None = None) -> str:
            value = options.get(key, default)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"简道云配置缺少“{key}”")
            return value.strip()

        def number(key: str, default: float, low: float, high: float) -> float:
            value = options.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value) or not low <= value <= high:
                raise ConfigError(f"简道云配置“{key}”必须是 {low:g}～{high:g} 之间的数")
            return float(value)

        base_url = text("base_url", DEFAULT_BASE_URL).rstrip("/")
        if not base_url.startswith(("https://", "http://")):
            raise ConfigError("简道云服务器地址必须以 https:// 开头")
        fmt = options.get("open_time_format", "iso")
        if fmt not in ("iso", "ms"):
            raise ConfigError("简道云配置“open_time_format”只能是 iso 或 ms")
        return cls(
            base_url=base_url,
            app_id=text("app_id"),
            students_entry=text("students_entry"),
            cards_entry=text("cards_entry"),
            fields=FieldMap.from_json(options.get("fields")),
            timeout_s=number("timeout_s", 15, 0.05, 600),
            batch_rps=int(number("batch_rps", 10, 1, 10)),
            enterprise_rps=int(number("enterprise_rps", 50, 1, 50)),
            list_rps=int(number("list_rps", 30, 1, 30)),
            concurrency=int(number("concurrency", 5, 1, 20)),
            batch_size=int(number("batch_size", MAX_BATCH, 1, MAX_BATCH)),
            in_max_values=int(number("in_max_values", 99, 1, 200)),
            open_time_format=str(fmt),
            rate_margin_s=number("rate_margin_s", 0.03, 0, 1),
            read_retries=int(number("read_retries", 4, 1, 10)),
            replay_window_s=number("replay_window_s", 3000, 0, 3600),
        )


# -- values ----------------------------------------------------------------------------------

def text_of(value: Any) -> str:
    """A text-like value as read: "" for missing/null, integral numbers without ".0"."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        return value.strip()
    return ""


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
        return int(dt.timestamp() * 1000)
    return None


def iso_of(ms: int) -> str:
    """Epoch ms as the API's datetime string (UTC, milliseconds, Z)."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def decimal_of(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        return Decimal("0")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return Decimal("0")
    return amount if amount.is_finite() else Decimal("0")


def newest_cards(records: Iterable[Record], fm: FieldMap) -> dict[str, Record]:
    """Each student's current card record: the newest by (createTime, _id)."""
    best: dict[str, tuple[tuple[int, str], Record]] = {}
    for rec in records:
        no = text_of(rec.get(fm.card_student))
        if not no:
            continue
        rank = (ms_of(rec.get("createTime")) or 0, str(rec.get("_id", "")))
        held = best.get(no)
        if held is None or rank > held[0]:
            best[no] = (rank, rec)
    return {no: rec for no, (_rank, rec) in best.items()}


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
    )


def unknown_label_error(rec: Record, fm: FieldMap) -> ConnectorError:
    label = text_of(rec.get(fm.card_status))
    shown = f"“{label}”" if label else "空白"
    return ConnectorError(
        f"学号 {text_of(rec.get(fm.card_student))} 的卡记录状态为{shown}，不在字段对应的卡状态"
        "选项中，无法判断这张卡是否有效。请在配置中检查卡状态的选项对应，或在简道云中更正该记录。",
        code="label")


def join_rows(students: Iterable[Record], cards: Iterable[Record],
              fm: FieldMap) -> tuple[list[StudentRow], list[str]]:
    """Students (form order) joined with their current card, and warnings for the operator.

    A student whose 学籍状态 is empty or not mapped, or whose current card's status is, is
    left out (and counted in a warning) rather than shown under a guessed state: every guess
    is one that some action or preset would act on (shown as 休学, the "休学但卡仍正常" preset
    would freeze the card; a card shown as 未开通 could be opened a second time).
    If students exist but none has a known 学籍状态, the label mapping is wrong: raised.
    """
    current = newest_cards(cards, fm)
    rows: list[StudentRow] = []
    bad_student: Counter[str] = Counter()
    bad_card: Counter[str] = Counter()
    examples: list[str] = []
    seen = 0
    for rec in students:
        seen += 1
        no = text_of(rec.get(fm.student_no))
        if not no:
            bad_student["（学号为空）"] += 1
            continue
        label = text_of(rec.get(fm.student_status))
        status = fm.student_status_of(label)
        if status is None:
            bad_student[label or "空白"] += 1
            if len(examples) < _EXAMPLES:
                examples.append(no)
            continue
        student = Student(no, text_of(rec.get(fm.name)), text_of(rec.get(fm.college)),
                          text_of(rec.get(fm.class_name)), status, str(rec.get("_id", "")))
        card_rec = current.get(no)
        if card_rec is None:
            rows.append(StudentRow(student))
            continue
        card = card_of(card_rec, fm)
        if card is None:
            bad_card[text_of(card_rec.get(fm.card_status)) or "空白"] += 1
            if len(examples) < _EXAMPLES:
                examples.append(no)
            continue
        rows.append(StudentRow(student, card))
    if seen and not rows and bad_student and not bad_card:
        raise ConnectorError(
            f"学生表中 {seen} 名学生的学籍状态都无法识别（{_counts(bad_student)}）。请在配置的"
            "选项对应中设置学校使用的学籍状态文字。", code="label")
    warnings = []
    if bad_student:
        warnings.append(
            f"{sum(bad_student.values())} 名学生的学号或学籍状态为空或无法识别"
            f"（{_counts(bad_student)}），未列出。")
    if bad_card:
        warnings.append(
            f"{sum(bad_card.values())} 名学生的当前卡记录状态无法识别（{_counts(bad_card)}），"
            "未列出，以免重复开卡。")
    if warnings:
        warnings.append(f"例如学号：{'、'.join(examples)}。请检查配置中的选项对应，"
                        "或在简道云中更正这些记录。")
        log.warning("%s", "".join(warnings))
    return rows, warnings


def _counts(counter: Counter[str]) -> str:
    return "、".join(f"“{k}” {n} 名" if k != "空白" else f"空白 {n} 名"
                    for k, n in counter.most_common(5))
