"""Paperwork in words a person reads: a staffing refusal names what is missing (no rule codes)
and fits the screen; saved files are named by kind, date, time and chair, never the patient."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QGuiApplication

from planner.ui.paperwork import preview_consent, preview_day, preview_monitoring, preview_week
from planner.ui.paperwork.preview_dialog import PreviewDialog
from tests.factories import base_document, load_into


def _ready(qtbot: Any, dialog: PreviewDialog) -> PreviewDialog:
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    return dialog


def test_a_staffing_refusal_names_whats_missing_in_words_and_fits_the_screen(
    qtbot: Any, qapp: Any, gui_db: Any, clock: Any
) -> None:
    from planner.ui.context import AppContext, ChangeHub

    doc = base_document()
    doc["sessions"][0]["assignments"] = [{"staff": "S1", "role": "psychiatrist"}]
    doc["sessions"].append(dict(doc["sessions"][0], ref="X-2", chair="CH-2", start="2026-12-01T14:00",
                                assignments=[]))
    load_into(gui_db, doc)
    ctx = AppContext(db=gui_db, hub=ChangeHub(), clock=clock)
    dialog = _ready(qtbot, preview_day(None, ctx, date(2026, 12, 1)))
    box = dialog.refusal_box
    assert box.isVisible()
    words = box.text()
    assert "Tue 01 Dec 09:00 · Zoë Łukasiewicz" in words
    assert "No monitoring clinician" in words and "No psychiatrist" in words
    for code in ("missing-monitoring-clinician", "missing-psychiatrist", "X-1", "X-2"):
        assert code not in words, code
    assert dialog.refusal_lines[0].startswith("Tue 01 Dec 09:00")
    assert dialog.status.text() == "Not printed: 2 sessions are missing staff."
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.minimumSizeHint().width() <= screen.width()
    assert box.sizeHint().width() <= screen.width()
    box.reject()
    dialog.close()


def test_saved_files_are_named_by_kind_date_time_and_chair(qtbot: Any, small_context: Any) -> None:
    names = []
    for dialog in (
        preview_monitoring(None, small_context, "X-1"),
        preview_consent(None, small_context, "C-0001"),
        preview_day(None, small_context, date(2026, 12, 1)),
        preview_week(None, small_context, date(2026, 12, 2)),
    ):
        _ready(qtbot, dialog)
        names.append(dialog._file_name)
        assert "1 page" in dialog.status.text() or "pages" in dialog.status.text()
        assert "page(s)" not in dialog.status.text()
        dialog.close()
    assert names == [
        "monitoring-2026-12-01-0900-chair-1.pdf",
        "consent-2026-11-30-c-0001.pdf",
        "day-packet-2026-12-01.pdf",
        "week-schedule-2026-W49.pdf",
    ]
    for name in names:
        assert "zoe" not in name.lower() and "lukasiewicz" not in name.lower()
