"""Every control a keyboard can reach has a name a screen reader can say — on every page and
in every dialog; the week grid shows keyboard focus, arrow keys walk across days and chairs,
and a session can be moved with the keyboard alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from planner.services.sessions import get_session
from planner.ui.pages.clinic_page import ClinicPage
from tests.gui.accessibility import accessible_name, unnamed_controls

# The offscreen platform cannot raise a popup; it says so (the search's results list).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing|propagateSizeHints)")


def _dialog(qtbot: Any, dialog: QWidget, found: list[str]) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    found += unnamed_controls(dialog)
    dialog.close()


def test_every_control_of_every_page_and_dialog_has_a_name(qtbot: Any, main_window: Any) -> None:
    window = main_window
    window.load_pages()
    found: list[str] = []
    for row in range(window.side_bar.count()):
        window.side_bar.setCurrentRow(row)
        found += unnamed_controls(window)
    clinic = window.findChild(ClinicPage)
    window.side_bar.setCurrentRow(window.stack.indexOf(clinic))
    for tab in range(clinic.tabs.count()):
        clinic.tabs.setCurrentIndex(tab)
        found += unnamed_controls(window)
    window.side_bar.setCurrentRow(0)
    page = window.planner
    page.show_staff()
    found += unnamed_controls(window)
    page.show_chairs()
    from planner.ui.planner.autoplan import start_autoplan

    dialog = start_autoplan(page)
    found += unnamed_controls(window)
    with qtbot.waitSignal(dialog.proposed, timeout=60_000):
        dialog.plan_button.click()
    bar = page.autoplan_bar
    assert bar is not None, "the proposal is shown in a band over the week"
    found += unnamed_controls(window)
    bar.discard()

    page.edit_session(next(iter(page.week_view.week_scene.blocks)))
    _dialog(qtbot, page.editor, found)
    page.new_session()
    _dialog(qtbot, page.editor, found)
    page.go_to_session(next(iter(page.week_view.week_scene.blocks)))
    page.planner_actions.move.trigger()
    _dialog(qtbot, page.move_dialog, found)

    from planner.ui.pages.about import AboutDialog
    from planner.ui.pages.chairs_panel import ChairDialog
    from planner.ui.pages.courses_page import ConsentDialog
    from planner.ui.pages.import_dialog import ImportPatientsDialog
    from planner.ui.pages.new_course_dialog import NewCourseDialog
    from planner.ui.pages.patient_dialog import PatientDialog
    from planner.ui.pages.protocols_panel import ProtocolDialog
    from planner.ui.pages.staff_dialog import StaffDialog
    from planner.ui.paperwork import preview_week

    ctx, today = window.ctx, window.ctx.today()
    for dialog in (
        NewCourseDialog(ctx, patient_ref="P-0001", patient_name="A patient"),
        PatientDialog(None, today=today, save=lambda _d: None),
        StaffDialog(None, today=today, save=lambda _d: None),
        ChairDialog(None, save=lambda _d: None),
        ProtocolDialog(None, save=lambda _d: None),
        ConsentDialog(None, None, today),
        ImportPatientsDialog(ctx),
        AboutDialog(None, ctx),
    ):
        _dialog(qtbot, dialog, found)
    preview = preview_week(None, ctx, today)
    qtbot.waitUntil(lambda: not preview.busy, timeout=30000)
    _dialog(qtbot, preview, found)
    assert found == []


def test_the_week_shows_keyboard_focus(qtbot: Any, main_window: Any) -> None:
    view = main_window.planner.week_view
    highlight = view.palette().color(view.palette().ColorRole.Highlight)
    main_window.planner.search.setFocus()
    ref = next(iter(view.week_scene.blocks))
    view.week_scene.select(ref)
    rect = view.mapFromScene(view.week_scene.blocks[ref].sceneBoundingRect()).boundingRect()
    ring = rect.adjusted(-2, -2, 2, 2)

    def ring_pixels() -> int:
        image = view.viewport().grab().toImage()
        return sum(
            1
            for x in range(ring.left(), ring.right(), 2)
            if 0 <= x < image.width() and 0 <= ring.top() < image.height()
            and QColor(image.pixel(x, ring.top())) == highlight
        )

    assert ring_pixels() == 0  # no focus: no ring
    view.setFocus()
    assert view.hasFocus()
    assert ring_pixels() > 3  # focus: a ring in the highlight colour around the selected card
    assert accessible_name(view)


def test_arrow_keys_walk_across_days_and_chairs(qtbot: Any, drag_window: Any) -> None:
    """Five patients: Mon 08:00 chair 1, Mon 12:00 chair 1, Mon 08:00 chair 2, Thu 08:00 chair 1,
    Fri 08:00 chair 1."""
    from planner.services.sessions import move_session

    db = drag_window.ctx.db
    move_session(db, "X-2a", start=datetime(2026, 11, 30, 12, 0), chair_ref="CH-1")
    move_session(db, "X-3a", start=datetime(2026, 11, 30, 8, 0), chair_ref="CH-2")
    page = drag_window.planner
    page.reload()
    view = page.week_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)  # nothing selected: the first session
    assert page.selected_ref() == "X-1a"
    qtbot.keyClick(view, Qt.Key.Key_Down)  # later the same day, same chair
    assert page.selected_ref() == "X-2a"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert page.selected_ref() == "X-1a"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the next chair, the nearest time
    assert page.selected_ref() == "X-3a"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # empty chairs and days are passed over
    assert page.selected_ref() == "X-4a"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert page.selected_ref() == "X-5a"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the last: stays
    assert page.selected_ref() == "X-5a"
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert page.selected_ref() == "X-4a"


def test_a_session_moves_with_the_keyboard_alone(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    page.go_to_session("X-1")
    qtbot.keyClick(page.week_view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = page.move_dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    dialog.day.setText("2026-12-03")
    dialog.time.setTime(dialog.time.time().fromString("11:00", "HH:mm"))
    dialog.chair.setCurrentIndex(dialog.chair.findData("CH-2"))
    assert "no problems" in dialog.verdict.text().lower()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    moved = get_session(small_window.ctx.db, "X-1")
    assert (moved.start, moved.chair.ref) == (datetime(2026, 12, 3, 11, 0), "CH-2")
    assert page.selected_ref() == "X-1"
    page.undo_stack.undo()
    assert get_session(small_window.ctx.db, "X-1").start == datetime(2026, 12, 1, 9, 0)
    # Onto a taken time the dialog says so before anything is tried.
    page.go_to_session("X-1")
    page.planner_actions.move.trigger()
    dialog = page.move_dialog
    dialog.time.setTime(dialog.time.time().fromString("09:30", "HH:mm"))
    dialog.chair.setCurrentIndex(dialog.chair.findData("CH-1"))
    dialog.day.setText("2026-12-01")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()  # moving by 30 minutes onto its own old place is fine
    dialog.reject()
