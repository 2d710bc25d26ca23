"""Paperwork preview: the monitoring sheet's text shows the patient; Save as PDF; a staffing
refusal offers a draft; the day packet reports progress; printing on a real CUPS queue."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from planner.ui.paperwork import preview_consent, preview_day, preview_monitoring, preview_week
from planner.ui.paperwork.preview_dialog import PreviewDialog
from tests.factories import base_document, load_into
from tests.gui.pages_fixtures import save_screenshot


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def _ready(qtbot: Any, dialog: PreviewDialog) -> PreviewDialog:
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    return dialog


def test_monitoring_sheet_preview_shows_the_patient(
    qtbot: Any, small_context: Any, tmp_path: Path
) -> None:
    dialog = _ready(qtbot, preview_monitoring(None, small_context, "X-1"))
    assert dialog.error is None
    assert dialog.document.pageCount() >= 1
    shown = re.sub(r"\s+", " ", dialog.document_text())
    assert "Zoë Łukasiewicz" in shown
    assert "MRN-1001" in shown
    assert dialog.act_print.isEnabled() and dialog.act_save.isEnabled()
    save_screenshot(dialog, "monitoring-preview")

    out = tmp_path / "sheet"
    assert dialog.save_to(out)
    saved = (tmp_path / "sheet.pdf").read_bytes()
    assert saved == dialog.pdf_bytes
    assert "Zoë Łukasiewicz" in _text(saved)
    dialog.close()


def test_print_path_on_a_file_printer_keeps_pages_and_text(
    qtbot: Any, small_context: Any, tmp_path: Path
) -> None:
    dialog = _ready(qtbot, preview_monitoring(None, small_context, "X-1"))
    pages = dialog.document.pageCount()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "all.pdf"))
    assert dialog.print_to(printer)
    printed = PdfReader(str(tmp_path / "all.pdf"))
    assert len(printed.pages) == pages
    assert "Zoë Łukasiewicz" in _text((tmp_path / "all.pdf").read_bytes())
    one = QPrinter(QPrinter.PrinterMode.HighResolution)
    one.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    one.setOutputFileName(str(tmp_path / "page2.pdf"))
    one.setPrintRange(QPrinter.PrintRange.PageRange)
    one.setFromTo(2, 2)
    assert dialog.print_to(one)
    assert len(PdfReader(str(tmp_path / "page2.pdf")).pages) == 1
    dialog.close()


def test_staffing_incomplete_offers_print_as_draft(
    qtbot: Any, qapp: Any, gui_db: Any, clock: Any
) -> None:
    from planner.ui.context import AppContext, ChangeHub

    doc = base_document()
    doc["sessions"][0]["assignments"] = [{"staff": "S1", "role": "psychiatrist"}]
    load_into(gui_db, doc)
    ctx = AppContext(db=gui_db, hub=ChangeHub(), clock=clock)
    dialog = _ready(qtbot, preview_monitoring(None, ctx, "X-1"))
    assert dialog.error is not None
    assert dialog.pdf_bytes == b""
    box = dialog.refusal_box
    assert box.isVisible()
    assert "monitoring" in box.text().lower()
    dialog.draft_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.pdf_bytes), timeout=30000)
    assert dialog.draft
    text = re.sub(r"\s+", " ", dialog.document_text())
    assert "DRAFT" in text and "Zoë Łukasiewicz" in text
    dialog.close()


def test_unknown_session_is_reported_not_crashed(
    qtbot: Any, small_context: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    dialog = _ready(qtbot, preview_monitoring(None, small_context, "X-404"))
    assert dialog.error is not None and not dialog.act_print.isEnabled()
    assert shown and "X-404" in shown[0]
    dialog.close()


def test_consent_week_and_day_previews(qtbot: Any, small_context: Any) -> None:
    consent = _ready(qtbot, preview_consent(None, small_context, "C-0001"))
    assert "Zoë Łukasiewicz" in consent.document_text()
    consent.close()
    week = _ready(qtbot, preview_week(None, small_context, date(2026, 12, 2)))
    assert week.windowTitle().endswith("2026-W49")
    assert "Zoë" in week.document_text()
    week.close()
    day = preview_day(None, small_context, date(2026, 12, 1))
    assert day.progress.isVisibleTo(day)  # the day packet shows its progress
    _ready(qtbot, day)
    assert day.error is None and "Zoë Łukasiewicz" in day.document_text()
    assert day.last_progress is not None
    done, total = day.last_progress
    assert done == total and total >= 2  # run sheet + monitoring sheet at least
    assert not day.progress.isVisible()
    day.close()


def _cups_out_dir() -> Path:
    import pwd

    home = pwd.getpwuid(os.getuid()).pw_dir
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.is_file():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip().startswith("Out "):
                out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", home))


def test_prints_monitoring_sheet_on_a_real_cups_queue(
    qtbot: Any, qapp: Any, gui_db: Any, clock: Any
) -> None:
    names = [p.printerName() for p in QPrinterInfo.availablePrinters()]
    if "PDF" not in names:
        pytest.skip(
            "NO PRINT QUEUE: CUPS with the 'PDF' queue (printer-driver-cups-pdf) is not running — "
            "real printing NOT TESTED. See .ci/run for the set-up."
        )
    from planner.ui.context import AppContext, ChangeHub

    doc = base_document()
    doc["patients"][0]["name"] = "José Álvarez Núñez"  # the PDF printer keeps Latin-1 text
    load_into(gui_db, doc)
    ctx = AppContext(db=gui_db, hub=ChangeHub(), clock=clock)
    dialog = _ready(qtbot, preview_monitoring(None, ctx, "X-1"))
    out_dir = _cups_out_dir()
    before = set(out_dir.glob("*.pdf")) if out_dir.is_dir() else set()
    printer = QPrinter(QPrinterInfo.printerInfo("PDF"), QPrinter.PrinterMode.HighResolution)
    job = f"monitoring-test-{os.getpid()}-{time.time_ns()}"
    printer.setDocName(job)
    assert dialog.print_to(printer)
    found: list[Path] = []

    def job_done() -> bool:
        if not out_dir.is_dir():
            return False
        found[:] = [p for p in set(out_dir.glob(f"{job}*.pdf")) - before if p.stat().st_size > 0]
        return bool(found)

    qtbot.waitUntil(job_done, timeout=60000)
    (newest,) = found
    qtbot.waitUntil(lambda: _readable(newest), timeout=30000)
    text = _text(newest.read_bytes())
    assert "José Álvarez Núñez" in text, (
        "the printed job has no readable patient name; the CUPS 'PDF' queue must convert with "
        "pdftocairo (lpadmin -p PDF -o pdftops-renderer-default=pdftocairo): " + text[:300]
    )
    assert "MRN-1001" in text
    dialog.close()
    newest.unlink(missing_ok=True)  # the job's file holds (test) patient data


def _readable(path: Path) -> bool:
    try:
        PdfReader(io.BytesIO(path.read_bytes()))
    except Exception:
        return False
    return True
