"""Output of ``campuscard-cli``: aligned tables (CJK-aware), CSV and JSON shapes.

Text from the backend (names, reasons …) is the backend's, not ours: in a table every control
character (ESC would let a name repaint the terminal) and every bidirectional override is
shown escaped (``\\x1b``, ``\\u202e``); CSV cells go through ``export.csv_cell`` (no formula
runs when a spreadsheet opens the file); JSON stays exact (a lone surrogate as ``\\udXXX``).

The JSON shapes are a contract for scripts:
- students: a list of {student_no, name, college, class, student_status, card_status, card_id,
  open_time, amount}; statuses as the Chinese labels, card_id and open_time null when there is
  no card, amount a number (0 without a card).
- a job: {job_id, action, state, summary: {succeeded, failed, skipped, cancelled},
  records: [{student_no, outcome, reason, card_id}]}; outcome is succeeded|failed|skipped|
  cancelled (or pending for a record of an unfinished job), reason "" on success, card_id a
  string or null.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

from ..batch import JobInfo, JobRecord, JobState, Wait, WaitKind
from ..core.model import StudentRow, status_label
from ..core.outcomes import outcome_reason
from ..core.text import C_, N_, NC_, _
from ..export import csv_cell

STUDENT_FIELDS = ("student_no", "name", "college", "class", "student_status", "card_status",
                  "card_id", "open_time", "amount")
_STUDENT_HEADERS = (N_("学号"), N_("姓名"), N_("学院"), N_("班级"), N_("学籍状态"), N_("卡状态"),
                    N_("卡号"), N_("开卡时间"), N_("余额"))
_OUTCOME_LABELS = {
    "succeeded": NC_("outcome", "成功"), "failed": NC_("outcome", "失败"),
    "skipped": NC_("outcome", "跳过"), "cancelled": NC_("outcome", "已取消"),
    "pending": NC_("outcome", "未完成"),
}
_STATE_LABELS = {JobState.RUNNING: NC_("job", "未完成"), JobState.DONE: NC_("job", "完成"),
                 JobState.CANCELLED: NC_("job", "已取消")}


# C0 and C1 controls, DEL, the bidirectional marks and overrides, lone surrogates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` safe to print: each control character, bidi override or lone surrogate is
    written as its escape (``\\x1b``, a line break as ``\\x0a``, ``\\u202e``), so nothing a backend
    stored can move the cursor, recolour or reorder what the terminal shows."""
    return _UNSAFE.sub(_escape, text)


def _json_text(value: Any) -> str:
    """``value`` as JSON text (see ``dump_json``)."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return text if text.isascii() else _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dump_json(value: Any, out: TextIO) -> None:
    """``value`` as JSON (UTF-8 text, one space indent) and a line end. Exact: a lone
    surrogate, which UTF-8 cannot carry, is written as its JSON escape ``\\udXXX``."""
    out.write(_json_text(value))
    out.write("\n")


def text_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (W) and fullwidth (F) characters take two."""
    return sum(
        0 if unicodedata.combining(ch)
        else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        for ch in text
    )


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned by display width, two spaces apart, no trailing blanks; every cell
    through ``terminal_text``."""
    rows = [[terminal_text(cell) for cell in row] for row in rows]
    widths = [text_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], text_width(cell))
    return "".join(table_line(row, widths) for row in (headers, *rows))


def table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    """One line of a table: ``cells`` padded to ``widths``, two spaces apart, no trailing
    blanks."""
    return "  ".join(pad(cell, widths[i]) for i, cell in enumerate(cells)).rstrip() + "\n"


def format_time_ms(ms: int | None) -> str:
    return "" if ms is None else datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M")


def format_time_s(seconds: float | None) -> str:
    return "" if seconds is None else datetime.fromtimestamp(seconds).strftime(
        "%Y-%m-%d %H:%M:%S")


# -- students ---------------------------------------------------------------------------------

def student_object(row: StudentRow) -> dict[str, Any]:
    s, card = row.student, row.card
    amount: float | int = 0
    if card is not None:
        amount = int(card.amount) if card.amount == card.amount.to_integral_value() \
            else float(card.amount)
    return {
        "student_no": s.student_no,
        "name": s.name,
        "college": s.college,
        "class": s.class_name,
        "student_status": s.status.value,
        "card_status": row.card_status.value,
        "card_id": card.card_id if card is not None else None,
        "open_time": card.open_time if card is not None else None,
        "amount": amount,
    }


def write_students(out: TextIO, rows: Sequence[StudentRow], fmt: str) -> None:
    if fmt == "json":
        dump_json([student_object(r) for r in rows], out)
    elif fmt == "csv":
        out.write(csv_text(STUDENT_FIELDS, (
            [_csv_value(obj[k]) for k in STUDENT_FIELDS]
            for obj in map(student_object, rows))))
    else:
        table = []
        for r in rows:
            card = r.card
            table.append([
                r.student_no, r.student.name, r.student.college, r.student.class_name,
                status_label(r.student.status), status_label(r.card_status),
                card.card_id if card else "", format_time_ms(card.open_time if card else None),
                f"{card.amount:.2f}" if card else "",
            ])
        out.write(format_table([_(h) for h in _STUDENT_HEADERS], table))
        out.write(_("共 {rows} 名学生\n").format(rows=len(rows)))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with "\\n" line ends (``csv_line`` for each row)."""
    return "".join(csv_line(row) for row in itertools.chain([header], rows))


def csv_line(row: Sequence[object]) -> str:
    """One CSV row and "\\n". It is written with "\\r\\n" as its terminator and that is cut
    off again: the csv module quotes a field only for the characters of its terminator, and
    a field holding a lone CR must be quoted too, or a reader splits it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(row)
    return buf.getvalue()[:-2] + "\n"


def _csv_value(value: object) -> object:
    """A CSV cell: text neutralized (``export.csv_cell``), numbers as they are, None empty."""
    if value is None:
        return ""
    return csv_cell(value) if isinstance(value, str) else value


# -- jobs -------------------------------------------------------------------------------------

def outcome_name(record: JobRecord) -> str:
    return "pending" if record.outcome is None else record.outcome.kind.value


def record_object(r: JobRecord) -> dict[str, Any]:
    return {
        "student_no": r.student_no,
        "outcome": outcome_name(r),
        "reason": "" if r.outcome is None else outcome_reason(r.outcome),
        "card_id": r.card_id or None,
    }


def job_object(info: JobInfo, records: Iterable[JobRecord]) -> dict[str, Any]:
    return {
        "job_id": info.job_id,
        "action": info.action.value,
        "state": info.state.value,
        "summary": {
            "succeeded": info.succeeded,
            "failed": info.failed,
            "skipped": info.skipped,
            "cancelled": info.cancelled,
        },
        "records": [record_object(r) for r in records],
    }


def dump_job_json(info: JobInfo, records: Iterable[JobRecord], out: TextIO) -> None:
    """``dump_json(job_object(info, records), out)``, written a record at a time: the same
    text, without holding 100,000 records' objects and their whole text at once."""
    head = _json_text(job_object(info, ()))
    cut = head.rindex("[]")
    out.write(head[:cut] + "[")
    first = True
    for r in records:
        item = _json_text(record_object(r)).replace("\n", "\n  ")
        out.write(("\n  " if first else ",\n  ") + item)
        first = False
    out.write(head[cut + 1:] if first else "\n " + head[cut + 1:])
    out.write("\n")


_WAIT_TEXTS = {
    WaitKind.RATE_LIMITED: N_("限流，{s} 秒后重试（第 {n} 次）"),
    WaitKind.NETWORK: N_("网络中断，{s} 秒后重试（第 {n} 次）"),
    WaitKind.TIMEOUT: N_("应答超时，{s} 秒后重试（第 {n} 次）"),
    WaitKind.SERVER: N_("服务器繁忙或出错，{s} 秒后重试（第 {n} 次）"),
    WaitKind.SETTLE: N_("等待未应答的写入落定，还需 {s} 秒"),
}


def wait_line(wait: Wait) -> str:
    """A wait of the runner as the CLI says it: "限流，3 秒后重试（第 2 次）"."""
    return _(_WAIT_TEXTS[wait.kind]).format(s=max(1, math.ceil(wait.seconds)), n=wait.attempt)


def summary_line(info: JobInfo) -> str:
    text = _("任务 {job_id}（{action}，{state}）：成功 {succeeded}，失败 {failed}，跳过 {skipped}，"
             "已取消 {cancelled}").format(
        job_id=info.job_id, action=info.action.label, state=C_("job", _STATE_LABELS[info.state]),
        succeeded=info.succeeded, failed=info.failed, skipped=info.skipped,
        cancelled=info.cancelled)
    if info.pending:
        text += _("，未完成 {pending}").format(pending=info.pending)
    return text


JOB_CSV_FIELDS = ("student_no", "name", "outcome", "reason", "card_id")


def write_job(out: TextIO, info: JobInfo, records: Callable[[], Iterable[JobRecord]],
              fmt: str) -> None:
    """The job's records (``records()`` reads them again for each pass: a table is read
    twice, once for its column widths) as JSON, CSV or a table; nothing holds them all."""
    if fmt == "json":
        dump_job_json(info, records(), out)
        return
    if fmt == "csv":  # one row per record, the JSON shape's names; the summary stays out
        out.write(csv_line(JOB_CSV_FIELDS))
        for r in records():
            out.write(csv_line([csv_cell(v) for v in (
                r.student_no, r.name, outcome_name(r),
                "" if r.outcome is None else outcome_reason(r.outcome), r.card_id)]))
        return

    def cells(r: JobRecord) -> list[str]:
        return [terminal_text(c) for c in (
            r.student_no, r.name, C_("outcome", _OUTCOME_LABELS[outcome_name(r)]),
            "" if r.outcome is None else outcome_reason(r.outcome), r.card_id)]

    headers = [_("学号"), _("姓名"), _("结果"), _("原因"), _("卡号")]
    widths = [text_width(h) for h in headers]
    for r in records():
        for i, cell in enumerate(cells(r)):
            widths[i] = max(widths[i], text_width(cell))
    out.write(table_line(headers, widths))
    for r in records():
        out.write(table_line(cells(r), widths))
    out.write(terminal_text(summary_line(info)) + "\n")


def job_list_object(info: JobInfo) -> dict[str, Any]:
    return {
        "job_id": info.job_id,
        "created_at": info.created_at,
        "finished_at": info.finished_at,
        "operator": info.operator,
        "profile": info.profile,
        "action": info.action.value,
        "state": info.state.value,
        "total": info.total,
        "summary": {"succeeded": info.succeeded, "failed": info.failed,
                    "skipped": info.skipped, "cancelled": info.cancelled,
                    "pending": info.pending},
        "parent_job_id": info.parent_job_id,
    }


def write_job_list(out: TextIO, jobs: Sequence[JobInfo], fmt: str) -> None:
    if fmt == "json":
        dump_json([job_list_object(j) for j in jobs], out)
        return
    headers = tuple(_(h) for h in (N_("编号"), N_("时间"), N_("操作人"), N_("配置"), N_("操作"),
                                   N_("状态"), N_("总数"), N_("成功"), N_("失败"), N_("跳过"),
                                   N_("已取消"), N_("未完成")))
    table = [
        [str(j.job_id), format_time_s(j.created_at), j.operator, j.profile, j.action.label,
         C_("job", _STATE_LABELS[j.state]), str(j.total), str(j.succeeded), str(j.failed),
         str(j.skipped), str(j.cancelled), str(j.pending)]
        for j in jobs
    ]
    out.write(format_table(headers, table))
