"""The job report through Qt's own printing support: QTextDocument → QPrinter (PDF). The PDF
is written and holds the job; the document's text names who, when, profile, backend and the
counts, and lists the failures."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from test_results_panel import finished_job

from campuscard_gui.ui.jobs.job_report import job_meta, report_document
from campuscard_gui.ui.jobs.results_panel import ResultsPanel


def _pdf_text_streams(data: bytes) -> bytes:
    """The PDF's streams, inflated where compressed (what a text search can look in)."""
    out = [data]
    start = 0
    while (i := data.find(b"stream", start)) >= 0:
        j = data.find(b"endstream", i)
        if j < 0:
            break
        body = data[i + 6:j].strip(b"\r\n")
        try:
            out.append(zlib.decompress(body))
        except zlib.error:
            pass
        start = j + 9
    return b"\n".join(out)


def test_pdf_is_written_with_the_job(qtbot, journal, tmp_path, monkeypatch):
    job = finished_job(journal)
    panel = ResultsPanel(journal)
    qtbot.addWidget(panel)
    panel.set_profile_kind("local", "local")
    with qtbot.waitSignal(panel.jobLoaded, timeout=5000):
        panel.show_job(job)
    assert panel.pdf_action.isEnabled() and panel.print_action.isEnabled()
    target = tmp_path / "report"  # no suffix: .pdf is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    with qtbot.waitSignal(panel.reportWritten, timeout=10_000) as written:
        panel.pdf_action.trigger()
    pdf = Path(written.args[0])
    assert pdf == tmp_path / "report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    streams = _pdf_text_streams(data)
    # the PDF's title names the job (UTF-16 with a byte-order mark, as Qt writes it)
    title = re.search(rb"/Title \((.*?)\)", data, re.S)
    assert title is not None and title.group(1).decode("utf-16") == f"Job {job}"
    assert len(streams) > len(data)  # page content was drawn (compressed streams inflated)
    assert f"Report of job {job} written to" in panel.status_label.text()

    # what was laid out on the pages: the document's plain text
    text = report_document(panel.job, panel.model.records(), "Local database").toPlainText()
    assert f"Job {job}: Freeze" in text
    for needed in ("tester", "local", "Local database", "Succeeded", "Failed"):
        assert needed in text, needed
    meta = dict(job_meta(panel.job, "Local database"))
    assert meta["Records"] == "8" and meta["Succeeded"] == "3" and meta["Failed"] == "2"
    assert meta["Skipped"] == "2" and meta["Job"] == str(job)
    # the failures are listed with their reasons
    assert "20240001" in text and "该卡在此期间已被修改" in text
    assert "20240003" in text and "网络错误" in text
    assert "20240000" not in text.split("Failures")[1]  # a success is no failure


def test_counts_have_thousands_separators(qtbot, journal):
    from dataclasses import replace

    job = journal.job(finished_job(journal))
    big = replace(job, total=72_230, succeeded=72_228)
    meta = dict(job_meta(big))
    assert meta["Records"] == "72,230" and meta["Succeeded"] == "72,228"
    assert meta["Backend"] == "unknown"
