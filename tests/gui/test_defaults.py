"""Sensible defaults: New session never preselects a finished course or a past time, New course
preselects the usual protocol, a taken time is answered with the nearest free ones, and
"Find next free slot" books a patient's next infusion where everything is free."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTime

from planner.db.engine import open_database
from planner.services.sessions import SessionDraft, create_session
from tests.factories import base_document, load_into
from tests.gui.conftest import NOW, context_on, open_window

BOTH = (("S1", "psychiatrist"), ("S2", "infusion_nurse"))


def _doc() -> dict[str, Any]:
    """The small clinic, plus Aaron (sorts first) whose one-infusion course is fully booked,
    Bea with an active course and nothing booked yet, and an unused protocol "Alpha"."""
    doc = base_document()
    doc["protocols"].append(dict(doc["protocols"][0], ref="ALPHA", name="Alpha — unused"))
    for ref, name in (("P-0002", "Aaron Abbott"), ("P-0003", "Bea Becker")):
        doc["patients"].append(dict(doc["patients"][0], ref=ref, name=name, record_number=f"MRN-{ref}"))
    doc["courses"] += [
        dict(doc["courses"][0], ref="C-0002", patient="P-0002", planned_infusions=1),
        dict(doc["courses"][0], ref="C-0003", patient="P-0003"),
    ]
    doc["sessions"].append(
        dict(doc["sessions"][0], ref="X-2", course="C-0002", chair="CH-2", start="2026-12-01T09:00")
    )
    return doc


@pytest.fixture
def window(qtbot: Any, qapp: Any, tmp_path: Path) -> Iterator[Any]:
    db = open_database(f"sqlite:///{tmp_path / 'defaults.sqlite3'}")
    load_into(db, _doc())
    ctx = context_on(db, lambda: NOW.replace(hour=10, minute=7))
    w = open_window(qtbot, ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield w
    w.close()
    db.close()


def _errors(editor: Any) -> set[str]:
    return {v.code for v in editor.violations if v.severity == "error"}


def test_new_session_defaults_to_a_course_that_needs_sessions_at_a_free_future_time(
    window: Any,
) -> None:
    page = window.planner
    page.planner_actions.new.trigger()
    editor = page.editor
    now = window.ctx.clock()
    assert editor.course_combo.currentData() == "C-0003"  # Bea: Aaron's only infusion is booked
    aaron = editor.course_combo.findData("C-0002")
    assert aaron == editor.course_combo.count() - 1  # offered last…
    assert "all booked" in editor.course_combo.itemText(aaron)  # …and said to be full
    assert editor.start >= now
    assert editor.start.minute % 5 == 0
    assert _errors(editor) == set()  # chair and both staff free, within hours
    assert editor.psychiatrist_combo.currentData() == "S1|psychiatrist"
    assert not editor.when_note.isVisible()
    # A time that has passed is said to be so.
    editor.time_edit.setTime(QTime(8, 0))
    editor.date_edit.setDate(now.date())
    assert editor.when_note.isVisible() and "passed" in editor.when_note.text()
    editor.reject()


def test_a_taken_time_offers_the_nearest_free_ones(qtbot: Any, window: Any) -> None:
    page = window.planner
    page.new_session(datetime(2026, 12, 1, 9, 0), "CH-1", course_ref="C-0003")
    editor = page.editor
    for combo, key in ((editor.psychiatrist_combo, "S1|psychiatrist"), (editor.monitoring_combo, "S2|infusion_nurse")):
        combo.setCurrentIndex(combo.findData(key))
    assert "chair-double-booked" in _errors(editor)  # Zoë is in chair 1 then
    editor.free.look_now()
    shown = [b for b in editor.free.buttons if b.isVisible()]
    assert shown and editor.free.label.isVisible()
    starts = [p.start for p in editor.free.proposals]
    assert all(s.date() == datetime(2026, 12, 1).date() for s in starts)
    # Nearest first: no offered time is farther from 09:00 than the one after it.
    gaps = [abs(s - datetime(2026, 12, 1, 9, 0)) for s in starts]
    assert gaps == sorted(gaps)
    qtbot.mouseClick(shown[0], Qt.MouseButton.LeftButton)
    assert editor.start == starts[0]
    assert not _errors(editor)
    assert not editor.free.label.isVisible()  # the time is fine now: no offer
    editor.reject()


def test_find_next_free_slot_books_the_patients_next_infusion(qtbot: Any, window: Any) -> None:
    page = window.planner
    page.go_to_session("X-1")
    qtbot.keyClick(page.week_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    editor = page.editor
    assert editor is not None and editor.session is None
    assert editor.course_ref() == "C-0001"
    # After her Tuesday session, at least the protocol's 48 hours later, fully staffed.
    assert editor.start >= datetime(2026, 12, 3, 9, 0)
    assert not _errors(editor)
    first = editor.start
    qtbot.mouseClick(editor.free.next_button, Qt.MouseButton.LeftButton)  # the one after that
    assert editor.start > first and not _errors(editor)
    booked = editor.draft.start
    editor.accept()
    page.set_week(booked.date())
    assert [s.start for s in page.week.sessions if s.course_ref == "C-0001" and s.ref != "X-1"] == [booked]


def test_new_course_preselects_the_usual_protocol_and_offers_free_times(
    qtbot: Any, window: Any
) -> None:
    from planner.ui.pages.new_course_dialog import NewCourseDialog

    ctx = window.ctx
    # Both chairs are taken on Thursday 3 Dec at 09:00.
    for course, chair in (("C-0001", "CH-1"), ("C-0002", "CH-2")):
        create_session(ctx.db, SessionDraft(course_ref=course, chair_ref=chair,
                                            start=datetime(2026, 12, 3, 9, 0), assignments=BOTH))
    dialog = NewCourseDialog(ctx, patient_ref="P-0003", patient_name="Bea Becker")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.protocol.currentData() == "KET-DEP"  # used by three courses; Alpha by none
    dialog.start_date.setDate(datetime(2026, 12, 3).date())
    dialog.refresh_preview()
    first = dialog.plan.occurrences[0]
    assert "chair-double-booked" in {p.code for p in first.problems}
    problems = dialog.model.index(0, 5).data()
    assert problems.startswith("Free nearby:")
    shown = [b for b in dialog.free.buttons if b.isVisible()]
    assert shown
    qtbot.mouseClick(shown[0], Qt.MouseButton.LeftButton)
    assert dialog.plan is not None and not dialog.plan.occurrences[0].has_errors
    assert abs(dialog.plan.occurrences[0].start - datetime(2026, 12, 3, 9, 0)) <= timedelta(hours=4)
