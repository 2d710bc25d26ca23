"""Changing opening hours, closures or a staff member's hours or leave says which booked sessions
now break the rules, and offers to open them in the planner."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from planner.ui.pages.broken_sessions import BrokenSessionsDialog
from planner.ui.pages.clinic_page import ClinicPage
from planner.ui.pages.staff_page import StaffPage


def _page(window: Any, kind: type) -> Any:
    window.load_pages()
    page = window.findChild(kind)
    window.side_bar.setCurrentRow(window.stack.indexOf(page))
    return page


def test_shorter_opening_hours_list_the_session_left_outside_and_open_it(
    qtbot: Any, small_window: Any
) -> None:
    clinic = _page(small_window, ClinicPage)
    hours = clinic.hours
    hours.day_edits[3].setText("08:00-12:00")  # Thursday shorter: nothing booked then
    assert clinic.save()
    assert clinic.impact.dialog is None  # nothing broke, nothing to say
    hours.day_edits[1].setText("12:00-18:00")  # Tuesday from noon: X-1 is at 09:00
    assert clinic.save()
    dialog = clinic.impact.dialog
    assert isinstance(dialog, BrokenSessionsDialog) and dialog.isVisible()
    text = dialog.list.item(0).text()
    assert dialog.list.count() == 1
    assert "Tue 01 Dec 09:00" in text and "Zoë Łukasiewicz" in text and "opening hours" in text
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert small_window.stack.currentWidget() is small_window.planner
    assert small_window.planner.selected_ref() == "X-1"


def test_a_closure_day_lists_the_sessions_booked_on_it(small_window: Any) -> None:
    hours = _page(small_window, ClinicPage).hours
    hours.closure_day.setText("2026-12-01")
    hours.closure_reason.setText("Staff training")
    hours.add_closure()
    dialog = hours.impact.dialog
    assert dialog is not None and dialog.list.count() == 1
    assert "closed" in dialog.list.item(0).text().lower()
    dialog.reject()


def test_leave_for_a_nurse_lists_her_booked_session(qtbot: Any, small_window: Any) -> None:
    staff = _page(small_window, StaffPage)
    assert staff.select("S2")
    dialog = staff.edit_selected()
    qtbot.waitExposed(dialog)
    dialog.leave_from.setText("2026-12-01")
    dialog.leave_to.setText("2026-12-02")
    dialog.add_leave()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    broken = staff.impact.dialog
    assert broken is not None and broken.isVisible()
    assert broken.list.count() == 1
    line = broken.list.item(0).text()
    assert "Tomás Nuñez" in line and "leave" in line and "Zoë Łukasiewicz" in line
    assert broken.heading.text() == "This change breaks the rules for 1 booked session:"
    broken.list.setFocus()
    qtbot.keyClick(broken.list, Qt.Key.Key_Return)
    assert small_window.planner.selected_ref() == "X-1"
