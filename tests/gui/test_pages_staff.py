"""Staff page: add a staff member with roles and weekly hours; expiring credentials stand out."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from PySide6.QtCore import Qt

from planner.domain.records import Leave, WeeklyHours
from planner.services.staff import create_staff, get_staff, list_staff
from planner.ui.pages.common import WARN_BRUSH, RowTableModel
from planner.ui.pages.staff_dialog import StaffDialog, parse_ranges
from planner.ui.pages.staff_page import COL_CREDENTIAL, COL_LOAD, COL_NAME, StaffPage, staff_columns
from tests.factories import new_staff
from tests.gui.pages_fixtures import save_screenshot


def _hours(weekday: int, start: time, end: time) -> WeeklyHours:
    return WeeklyHours(weekday=weekday, start=start, end=end)


def _page(qtbot: Any, ctx: Any) -> StaffPage:
    page = StaffPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def _row_of(page: StaffPage, name: str) -> int:
    for row in range(page.proxy.rowCount()):
        if page.proxy.index(row, COL_NAME).data() == name:
            return row
    raise AssertionError(f"{name} is not listed")


def test_model_passes_the_model_tester(qtmodeltester: Any, small_context: Any) -> None:
    model: RowTableModel[Any] = RowTableModel(staff_columns(date(2026, 11, 30), 30))
    model.set_rows(list_staff(small_context.db, week_of=date(2026, 11, 30)))
    qtmodeltester.check(model)


def test_add_staff_member_with_roles_hours_and_leave(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    dialog = page.new_staff()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Dr Lena Hoffmann")
    dialog.role_boxes["anesthesiologist"].setChecked(True)
    dialog.role_boxes["psychiatrist"].setChecked(True)
    qtbot.keyClicks(dialog.expires, "2027-09-30")
    qtbot.keyClicks(dialog.day_edits[0], "08:00-12:00, 13:00-17:00")
    dialog._copy_monday()
    dialog.day_edits[4].clear()
    qtbot.keyClicks(dialog.day_edits[4], "9-13")
    dialog.leave_from.setDate(dialog.leave_from.date().addDays(10))
    dialog.leave_to.setDate(dialog.leave_from.date().addDays(4))
    dialog.add_leave()
    save_screenshot(dialog, "staff-dialog")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()

    member = next(
        r.member for r in list_staff(small_context.db) if r.member.name == "Dr Lena Hoffmann"
    )
    assert member.roles == ("psychiatrist", "anesthesiologist")
    assert member.credential_expires == date(2027, 9, 30)
    monday = [h for h in member.hours if h.weekday == 0]
    assert monday == [_hours(0, time(8), time(12)), _hours(0, time(13), time(17))]
    assert [h for h in member.hours if h.weekday == 4] == [_hours(4, time(9), time(13))]
    assert len(member.hours) == 9  # Mon–Thu two ranges each, Friday one
    assert member.leave == (Leave(start=date(2026, 12, 10), end=date(2026, 12, 14)),)
    row = _row_of(page, "Dr Lena Hoffmann")
    assert page.proxy.index(row, 3).data().startswith("36 h/week")


def test_bad_hours_are_explained_and_nothing_saved(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    dialog = page.new_staff()
    qtbot.keyClicks(dialog.name, "Sam Night")
    dialog.role_boxes["infusion_nurse"].setChecked(True)
    qtbot.keyClicks(dialog.day_edits[2], "18:00-08:00")
    dialog.try_save()
    assert "Wednesday" in dialog.errors.text("hours")
    dialog.day_edits[2].setText("morning")
    dialog.try_save()
    assert "“morning” is not a time range" in dialog.errors.text("hours")
    assert "Sam Night" not in [r.member.name for r in list_staff(small_context.db)]
    dialog.reject()


def test_expiring_credential_is_highlighted_and_load_shown(qtbot: Any, small_context: Any) -> None:
    create_staff(
        small_context.db,
        new_staff("Nurse Soon", ("infusion_nurse",), credential_expires=date(2026, 12, 15)),
    )
    page = _page(qtbot, small_context)
    soon = page.proxy.index(_row_of(page, "Nurse Soon"), COL_CREDENTIAL)
    assert soon.data() == "2026-12-15 — expires soon"
    assert soon.data(Qt.ItemDataRole.BackgroundRole) == WARN_BRUSH
    fine = page.proxy.index(_row_of(page, "Dr Ana Silva"), COL_CREDENTIAL)
    assert fine.data(Qt.ItemDataRole.BackgroundRole) is None
    load = page.proxy.index(_row_of(page, "Dr Ana Silva"), COL_LOAD).data()
    assert load.startswith("1 session · 2.0 of 50.0 h")


def test_edit_and_deactivate(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    page.table.selectRow(_row_of(page, "Tomás Nuñez"))
    dialog = page.edit_selected()
    assert isinstance(dialog, StaffDialog)
    assert dialog.day_edits[0].text() == "08:00-18:00"
    dialog.day_edits[0].setText("10:00-14:00")
    dialog.try_save()
    assert [h for h in get_staff(small_context.db, "S2").member.hours if h.weekday == 0] == [
        _hours(0, time(10), time(14))
    ]
    page.table.selectRow(_row_of(page, "Tomás Nuñez"))
    qtbot.mouseClick(page.btn_active, Qt.MouseButton.LeftButton)
    assert get_staff(small_context.db, "S2").member.active is False
    assert page.show_inactive.isChecked()  # still listed, greyed


def test_parse_ranges_reads_what_people_type() -> None:
    assert parse_ranges("8-12; 13:30 - 17") == [(time(8), time(12)), (time(13, 30), time(17))]
    assert parse_ranges("  ") == []
