"""Date fields take a typed ISO date as typed and refuse, in words, what they cannot read.

Typing 2027-01-15 into the consent date once saved 2020-11-05 without a word (a section-
by-section date editor with a maximum date). Every date field of the app is a ``DateField``
now; these tests type into each the way a person does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateEdit, QDialogButtonBox, QWidget

from planner.services.clinic import list_closures
from planner.services.courses import get_course
from planner.ui.pages.clinic_page import ClinicPage
from planner.ui.pages.courses_page import ConsentDialog, CoursesPage
from planner.ui.pages.new_course_dialog import NewCourseDialog
from planner.ui.pages.staff_dialog import StaffDialog
from planner.ui.widgets.date_field import DateField, parse_iso_date

TODAY = date(2026, 11, 30)


def _type(qtbot: Any, field: DateField, text: str) -> None:
    field.edit.selectAll()
    field.edit.del_()
    qtbot.keyClicks(field.edit, text)


def _show(qtbot: Any, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_reading_a_typed_date() -> None:
    assert parse_iso_date("2027-01-15") == date(2027, 1, 15)
    assert parse_iso_date(" 2027-1-5 ") == date(2027, 1, 5)
    for bad in ("15/01/2027", "2027-13-01", "2027-02-30", "20270115", "next week", ""):
        assert parse_iso_date(bad) is None


def test_consent_date_is_saved_as_typed_and_a_future_or_unreadable_one_refused(
    qtbot: Any, small_context: Any
) -> None:
    page = _show(qtbot, CoursesPage(small_context))
    assert page.select("C-0001")
    dialog = page.edit_consent()
    assert isinstance(dialog, ConsentDialog)
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    # After today: refused, in words, and nothing saved.
    _type(qtbot, dialog.day, "2027-01-15")
    assert dialog.day.message.isVisible()
    assert "cannot be signed after today" in dialog.day.message.text()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert get_course(small_context.db, "C-0001").course.consent_date == date(2026, 11, 30)
    # Not a date: refused.
    _type(qtbot, dialog.day, "15/11/2026")
    assert "not a date" in dialog.day.message.text()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    # A past date typed whole: saved exactly.
    _type(qtbot, dialog.day, "2026-11-15")
    assert not dialog.day.message.isVisible()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert get_course(small_context.db, "C-0001").course.consent_date == date(2026, 11, 15)


def test_closure_leave_and_course_start_take_typed_dates(qtbot: Any, small_context: Any) -> None:
    clinic = _show(qtbot, ClinicPage(small_context))
    hours = clinic.hours
    _type(qtbot, hours.closure_day, "2027-01-15")
    hours.add_closure()
    assert date(2027, 1, 15) in [c.day for c in list_closures(small_context.db)]
    _type(qtbot, hours.closure_day, "2027-1-32")
    hours.add_closure()
    assert "not a date" in hours.errors.text("day")

    dialog = _show(qtbot, StaffDialog(None, today=TODAY, save=lambda _data: None))
    assert isinstance(dialog, StaffDialog)
    _type(qtbot, dialog.leave_from, "2027-03-01")
    _type(qtbot, dialog.leave_to, "2027-03-05")
    dialog.add_leave()
    assert dialog.leave_list.item(0).data(256) == (date(2027, 3, 1), date(2027, 3, 5))
    _type(qtbot, dialog.leave_to, "March 9")
    dialog.add_leave()
    assert dialog.leave_list.count() == 1 and "not a date" in dialog.errors.text("leave")

    course = NewCourseDialog(small_context, patient_ref="P-0001", patient_name="Zoë Łukasiewicz")
    _show(qtbot, course)
    _type(qtbot, course.start_date, "2026-12-14")
    course.refresh_preview()
    assert course.plan is not None and course.plan.occurrences[0].start.date() == date(2026, 12, 14)
    _type(qtbot, course.start_date, "14.12.2026")
    course.refresh_preview()
    assert course.plan is None and "not a date" in course.status.text()
    assert not course.create_button.isEnabled()


def test_session_editor_and_week_picker_take_typed_dates(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    page.edit_session("X-1")
    editor = page.editor
    _type(qtbot, editor.date_edit, "2026-12-03")
    assert editor.start == datetime(2026, 12, 3, 9, 0)
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    _type(qtbot, editor.date_edit, "2026-12-")
    assert not save.isEnabled() and editor.date_edit.message.isVisible()
    _type(qtbot, editor.date_edit, "2026-12-04")
    assert save.isEnabled()
    editor.reject()
    picker = page.navigator.picker
    _type(qtbot, picker, "2027-01-15")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert page.monday == date(2027, 1, 11)


def test_no_section_by_section_date_editor_is_left(qtbot: Any, main_window: Any) -> None:
    main_window.load_pages()
    page = main_window.planner
    page.edit_session(next(iter(page.week_view.week_scene.blocks)))
    roots = [main_window, *QApplication.topLevelWidgets()]
    editors = [w for root in roots for w in root.findChildren(QDateEdit)]
    assert editors == []
    assert main_window.findChildren(DateField)  # the planner's and the pages' date fields
    page.editor.reject()
