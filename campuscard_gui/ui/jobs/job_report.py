"""A job's printable report (who, when, profile, backend, counts, failures) through Qt's own
printing support: the report is a ``QTextDocument``, printed on a ``QPrinter`` — a printer the
operator picks, or a PDF file.

Also the job's metadata as (label, value) pairs, which the export writes beside the records.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from ...batch import JobInfo, JobRecord, JobState
from ...core.outcomes import OutcomeKind
from .. import labels

FAILURES_LISTED = 2000  # the report lists at most this many failures, then says how many more


def count(n: int) -> str:
    """A count with the locale's thousands separators (72,230); the C locale (a test, a
    bare environment), which has none, groups as English does."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale.toString(n)


def job_state_text(info: JobInfo) -> str:
    if info.state is JobState.CANCELLED:
        return QCoreApplication.translate("JobReport", "Cancelled")
    if info.finished:
        return QCoreApplication.translate("JobReport", "Finished")
    return QCoreApplication.translate("JobReport", "Unfinished")


def _time(epoch: float | None) -> str:
    return "" if epoch is None else datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def job_meta(info: JobInfo, backend: str = "") -> list[tuple[str, str]]:
    """The job's metadata: job id, who, when, profile, backend, action, state, counts."""
    rows = [
        (QCoreApplication.translate("JobReport", "Job"), str(info.job_id)),
        (QCoreApplication.translate("JobReport", "Operator"), info.operator),
        (QCoreApplication.translate("JobReport", "Started"), _time(info.created_at)),
        (QCoreApplication.translate("JobReport", "Ended"), _time(info.finished_at)),
        (QCoreApplication.translate("JobReport", "Profile"), info.profile),
        (QCoreApplication.translate("JobReport", "Backend"),
         backend or QCoreApplication.translate("JobReport", "unknown")),
        (QCoreApplication.translate("JobReport", "Action"), labels.action_label(info.action)),
        (QCoreApplication.translate("JobReport", "State"), job_state_text(info)),
        (QCoreApplication.translate("JobReport", "Records"), count(info.total)),
        (labels.outcome_kind_label(OutcomeKind.SUCCEEDED), count(info.succeeded)),
        (labels.outcome_kind_label(OutcomeKind.FAILED), count(info.failed)),
        (labels.outcome_kind_label(OutcomeKind.SKIPPED), count(info.skipped)),
        (labels.outcome_kind_label(OutcomeKind.CANCELLED), count(info.cancelled)),
    ]
    if info.parent_job_id is not None:
        rows.append((QCoreApplication.translate("JobReport", "Follows job"),
                     str(info.parent_job_id)))
    return rows


def report_html(info: JobInfo, records: Sequence[JobRecord], backend: str = "") -> str:
    """The report as HTML (what ``QTextDocument`` lays out)."""
    esc = html.escape
    title = labels.fill(QCoreApplication.translate("JobReport", "Job %1: %2"),
                        str(info.job_id), labels.action_label(info.action))
    meta = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>"
                   for k, v in job_meta(info, backend))
    failed = [r for r in records if r.outcome is not None
              and r.outcome.kind is OutcomeKind.FAILED]
    parts = [f"<h2>{esc(title)}</h2>",
             f"<table cellpadding='3' cellspacing='0' border='0'>{meta}</table>"]
    if failed:
        heading = labels.fill(QCoreApplication.translate("JobReport", "Failures (%1)"),
                              count(len(failed)))
        parts.append(f"<h3>{esc(heading)}</h3>")
        head = "".join(f"<th align='left'>{esc(t)}</th>" for t in (
            QCoreApplication.translate("JobReport", "Student no."),
            QCoreApplication.translate("JobReport", "Name"),
            QCoreApplication.translate("JobReport", "Reason / error")))
        rows = "".join(
            f"<tr><td>{esc(r.student_no)}</td><td>{esc(r.name)}</td>"
            f"<td>{esc(labels.outcome_reason_label(r.outcome))}</td></tr>"
            for r in failed[:FAILURES_LISTED])
        parts.append(f"<table cellpadding='3' cellspacing='0' border='1'>"
                     f"<tr>{head}</tr>{rows}</table>")
        if len(failed) > FAILURES_LISTED:
            more = labels.fill(QCoreApplication.translate(
                "JobReport", "… and %1 more failures: export the results for all of them."),
                count(len(failed) - FAILURES_LISTED))
            parts.append(f"<p>{esc(more)}</p>")
    else:
        none = QCoreApplication.translate("JobReport", "No record failed.")
        parts.append(f"<p>{esc(none)}</p>")
    printed = labels.fill(QCoreApplication.translate("JobReport", "Printed %1"),
                          _time(datetime.now().timestamp()))
    parts.append(f"<p><small>{esc(printed)}</small></p>")
    return "<html><body>" + "".join(parts) + "</body></html>"


def report_document(info: JobInfo, records: Sequence[JobRecord],
                    backend: str = "") -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(report_html(info, records, backend))
    return doc


def print_report(printer: QPrinter, info: JobInfo, records: Sequence[JobRecord],
                 backend: str = "") -> None:
    """Print the report on ``printer`` (GUI thread: QTextDocument lays out with fonts)."""
    report_document(info, records, backend).print_(printer)


def write_pdf(path: Path, info: JobInfo, records: Sequence[JobRecord],
              backend: str = "") -> None:
    """Write the report as a PDF file (A4, 15 mm margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                      QPageLayout.Orientation.Portrait,
                                      QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    printer.setDocName(labels.fill(QCoreApplication.translate("JobReport", "Job %1"),
                                   str(info.job_id)))
    print_report(printer, info, records, backend)
