"""Courses: "New course" from a patient previews every date with its problems, then the
sessions appear in the week planner; the course view shows n of N, status and consent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt

from planner.services.courses import get_course, list_courses
from planner.services.week import load_week
from planner.ui.pages.common import RowTableModel
from planner.ui.pages.courses_page import CoursesPage, course_columns, session_columns
from planner.ui.pages.new_course_dialog import NewCourseDialog
from planner.ui.pages.patients_page import PatientsPage
from tests.gui.pages_fixtures import save_screenshot


def _new_course(qtbot: Any, ctx: Any, parent: Any) -> NewCourseDialog:
    dialog = NewCourseDialog(
        ctx, patient_ref="P-0001", patient_name="Zoë Łukasiewicz", parent=parent
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_models_pass_the_model_tester(qtmodeltester: Any, small_context: Any) -> None:
    courses: RowTableModel[Any] = RowTableModel(course_columns(small_context))
    courses.set_rows(list_courses(small_context.db))
    qtmodeltester.check(courses)
    sessions: RowTableModel[Any] = RowTableModel(session_columns(6))
    sessions.set_rows(get_course(small_context.db, "C-0001").sessions)
    qtmodeltester.check(sessions)


def test_new_course_previews_dates_and_sessions_appear_in_the_planner(
    qtbot: Any, small_window: Any
) -> None:
    ctx = small_window.ctx
    qtbot.waitUntil(lambda: small_window.stack.count() > 1)
    patients = small_window.findChild(PatientsPage)
    small_window.side_bar.setCurrentRow(small_window.stack.indexOf(patients))
    assert patients.select("P-0001")
    dialog = patients.new_course()
    assert isinstance(dialog, NewCourseDialog)
    qtbot.waitExposed(dialog)
    dialog.start_date.setDate(dialog.start_date.date().addDays(14))  # Mon 2026-12-14
    dialog.pattern.setCurrentIndex(dialog.pattern.findData("Mon/Thu"))
    dialog.infusions.setValue(4)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.plan is not None
    starts = [o.start for o in dialog.plan.occurrences]
    assert starts == [
        datetime(2026, 12, 14, 9),
        datetime(2026, 12, 17, 9),
        datetime(2026, 12, 21, 9),
        datetime(2026, 12, 24, 9),
    ]
    assert dialog.model.rowCount() == 4
    assert dialog.model.index(0, 3).data() == "Dr Ana Silva"
    assert "4 dates planned" in dialog.status.text()
    save_screenshot(dialog, "new-course")
    assert dialog.create_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.created is not None and not dialog.isVisible()

    new_refs = set(dialog.created.sessions)
    week = load_week(ctx.db, date(2026, 12, 14))
    assert {s.ref for s in week.sessions if s.course_ref == dialog.created.course} == {
        r for r in new_refs if r in {s.ref for s in week.sessions}
    } and len({s.ref for s in week.sessions} & new_refs) == 2
    planner = small_window.planner
    planner.set_week(date(2026, 12, 14))
    qtbot.waitUntil(lambda: planner.week is not None and planner.week.monday == date(2026, 12, 14))
    shown = {s.ref: s for s in planner.week.sessions}
    assert len(new_refs & set(shown)) == 2
    first = shown[sorted(new_refs & set(shown))[0]]
    assert (first.patient_name, first.number, first.planned_infusions) == ("Zoë Łukasiewicz", 1, 4)

    assert patients.proxy.index(0, 3).data().startswith("C-0002")  # its active course
    courses = small_window.findChild(CoursesPage)
    small_window.side_bar.setCurrentRow(small_window.stack.indexOf(courses))
    assert courses.select(dialog.created.course)
    assert courses.sessions_model.rowCount() == 4
    assert courses.sessions_model.index(0, 0).data() == "1 of 4"


def test_problems_are_shown_before_anything_is_saved(qtbot: Any, small_context: Any) -> None:
    from PySide6.QtCore import QTime

    from planner.ui.pages.common import ERROR_BRUSH

    dialog = _new_course(qtbot, small_context, None)
    dialog.start_date.setDate(dialog.start_date.date().addDays(14))  # Mon 2026-12-14
    dialog.start_time.setTime(QTime(7, 0))  # before the clinic opens
    dialog.pattern.setCurrentIndex(dialog.pattern.findData("Mon/Thu"))
    dialog.infusions.setValue(3)
    dialog.refresh_preview()
    assert dialog.plan is not None and dialog.plan.has_errors
    problems = dialog.model.index(0, 5)
    assert "open" in problems.data().lower()  # outside opening hours, said in words
    assert problems.data(Qt.ItemDataRole.BackgroundRole) == ERROR_BRUSH
    assert "3 with errors" in dialog.status.text()
    assert not dialog.create_button.isEnabled()
    dialog.allow_problems.setChecked(True)
    assert dialog.create_button.isEnabled()
    assert [v.course.ref for v in list_courses(small_context.db, patient_ref="P-0001")] == ["C-0001"]
    dialog.reject()


def test_skipped_dates_are_named(qtbot: Any, small_context: Any) -> None:
    dialog = _new_course(qtbot, small_context, None)
    dialog.start_date.setDate(dialog.start_date.date().addDays(25))  # Fri 2026-12-25, closed
    dialog.pattern.setEditText("FREQ=DAILY")
    dialog.infusions.setValue(3)
    dialog.refresh_preview()
    assert dialog.plan is not None and not dialog.plan.has_errors
    assert "Fri 25 Dec (the clinic is closed that day)" in dialog.status.text()
    assert dialog.model.index(0, 1).data().startswith("Mon 2026-12-28 09:00")
    dialog.reject()


def test_bad_pattern_is_explained(qtbot: Any, small_context: Any) -> None:
    dialog = _new_course(qtbot, small_context, None)
    dialog.pattern.setEditText("whenever suits")
    dialog.refresh_preview()
    assert dialog.plan is None and dialog.status.text()
    assert not dialog.create_button.isEnabled()
    dialog.reject()


def test_consent_date_and_status_from_the_course_view(qtbot: Any, small_context: Any) -> None:
    page = CoursesPage(small_context)
    qtbot.addWidget(page)
    page.show()
    assert page.select("C-0001")
    assert page.sessions_model.index(0, 0).data() == "1 of 6"
    dialog = page.edit_consent()
    assert dialog is not None
    dialog.clear.setChecked(True)
    dialog.accept()
    assert get_course(small_context.db, "C-0001").course.consent_date is None
    assert page.proxy.index(0, 5).data() == "not signed"
    page.select("C-0001")
    page.status_combo.setCurrentIndex(page.status_combo.findData("on_hold"))
    qtbot.mouseClick(page.btn_status, Qt.MouseButton.LeftButton)
    assert get_course(small_context.db, "C-0001").course.status == "on_hold"
    assert page.proxy.index(0, 4).data() == "On hold"


def test_occurrence_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, small_context: Any
) -> None:
    dialog = _new_course(qtbot, small_context, None)
    dialog.refresh_preview()
    assert dialog.model.rowCount() == 6
    qtmodeltester.check(dialog.model)
    dialog.reject()
