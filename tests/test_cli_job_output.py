"""A job's records printed by the CLI a record at a time: the same text as building the whole
output at once (JSON, CSV, table), from a generator that can be read only once per pass."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from campuscard_gui.batch import JobInfo, JobRecord, JobState
from campuscard_gui.cli.output import (  # the private labels: the table as it was built
    _OUTCOME_LABELS,
    JOB_CSV_FIELDS,
    dump_json,
    format_table,
    job_object,
    outcome_name,
    summary_line,
    terminal_text,
    write_job,
)
from campuscard_gui.core.model import Action, CardStatus
from campuscard_gui.core.outcomes import Failed, Skipped, SkipReason, Succeeded, outcome_reason
from campuscard_gui.core.text import C_, _


def _info(n: int) -> JobInfo:
    return JobInfo(job_id=7, created_at=0.0, finished_at=1.0, operator="t", profile="p",
                   action=Action.FREEZE, state=JobState.DONE, total=n, succeeded=n,
                   failed=0, skipped=0, cancelled=0, pending=0, parent_job_id=None,
                   chunk_size=100)


RECORDS = [
    JobRecord("2024001", "张三", Action.FREEZE, Succeeded("C1"), "C1", 0, CardStatus.ACTIVE),
    JobRecord("2024002", "Ann \ud800 \"q\"\n", Action.FREEZE, Failed("conflict", "改过了，\r另"),
              "C2", 1, CardStatus.ACTIVE),
    JobRecord("=2024003", "李四", Action.FREEZE, Skipped(SkipReason.ALREADY_OPEN, "x"), "", 2),
    JobRecord("2024004", "王五", Action.FREEZE, None, "", 3, CardStatus.ACTIVE),
]


def once(records: list[JobRecord]) -> Iterator[JobRecord]:
    yield from records


@pytest.mark.parametrize("n", [0, 1, 4])
def test_json_streamed_is_the_whole_json(n: int) -> None:
    records = RECORDS[:n]
    whole, streamed = io.StringIO(), io.StringIO()
    dump_json(job_object(_info(n), records), whole)
    write_job(streamed, _info(n), lambda: once(records), "json")
    assert streamed.getvalue() == whole.getvalue()
    assert len(json.loads(streamed.getvalue())["records"]) == n


def test_csv_streamed_reads_back_as_the_records() -> None:
    out = io.StringIO()
    write_job(out, _info(4), lambda: once(RECORDS), "csv")
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == JOB_CSV_FIELDS
    assert [r[0] for r in rows[1:]] == ["2024001", "2024002", "'=2024003", "2024004"]
    assert rows[2][1] == "Ann \ufffd \"q\"\n" and "\r" in rows[2][3]  # as export writes it


def test_table_streamed_is_the_whole_table() -> None:
    """The table as it was built before, all rows at once (format_table), is what the
    streamed writer prints: same widths, same cells, same summary."""
    out = io.StringIO()
    passes: list[int] = []

    def records() -> Iterator[JobRecord]:
        passes.append(1)
        return once(RECORDS)

    write_job(out, _info(4), records, "table")
    assert len(passes) == 2  # widths, then lines: nothing holds the records between
    whole = format_table((_("学号"), _("姓名"), _("结果"), _("原因"), _("卡号")), [
        [r.student_no, r.name, C_("outcome", _OUTCOME_LABELS[outcome_name(r)]),
         "" if r.outcome is None else outcome_reason(r.outcome), r.card_id]
        for r in RECORDS]) + terminal_text(summary_line(_info(4))) + "\n"
    assert out.getvalue() == whole
