"""The week planner on the demo clinic: what is shown, navigation, panels, settings, refresh."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QSettings, Qt
from sqlalchemy import func, select

from planner.db.models import InfusionSession
from planner.services.sessions import SessionDraft, create_session, get_session
from planner.ui.context import SESSIONS
from planner.ui.planner.violations import COL_SESSION, ViolationRole
from tests.gui.conftest import TODAY


def _count_sessions(ctx: Any, monday: date) -> int:
    start = datetime.combine(monday, datetime.min.time())
    with ctx.db.begin() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(InfusionSession)
                .where(InfusionSession.start >= start, InfusionSession.start < start + timedelta(days=7))
            )
            or 0
        )


def test_opens_on_this_week_with_every_session_as_a_block(main_window: Any) -> None:
    page = main_window.planner
    assert not page.hint.isVisible()
    assert page.monday == TODAY
    blocks = page.week_view.week_scene.blocks
    assert len(blocks) == _count_sessions(main_window.ctx, TODAY) > 10
    assert "Week 49" in page.navigator.title.text()
    assert "Lakeside" in main_window.windowTitle()
    assert main_window.ctx.db.describe() in main_window.windowTitle()


def test_block_shows_patient_protocol_number_and_staff_initials(main_window: Any) -> None:
    page = main_window.planner
    block = next(b for b in page.week_view.week_scene.blocks.values() if len(b.snapshot.staff) == 2)
    s = block.snapshot
    texts = " ".join(text for text, _bold in block._lines)
    assert s.patient_name.split()[-1] in texts or s.patient_name.split()[0] in texts
    assert f"{s.number}/{s.planned_infusions}" in texts or f"{s.number} of {s.planned_infusions}" in texts
    assert s.staff[0].initials in texts and s.staff[1].initials in texts
    assert s.patient_name in block.toolTip()


def test_error_and_warning_badges_match_the_rules_engine(main_window: Any) -> None:
    page = main_window.planner
    week = page.week
    assert week.summary().errors >= 1  # the demo clinic ships deliberate problems
    for ref, block in page.week_view.week_scene.blocks.items():
        severities = {v.severity for v in week.violations_of(ref)}
        expected = "error" if "error" in severities else ("warning" if severities else "")
        assert block.badge == expected
        for v in week.violations_of(ref):
            assert v.message.split("—")[0].strip()[:20] in block.toolTip()


def test_next_previous_and_today_buttons_and_shortcuts(qtbot: Any, main_window: Any) -> None:
    page = main_window.planner
    qtbot.mouseClick(page.navigator.next_button, Qt.MouseButton.LeftButton)
    assert page.monday == TODAY + timedelta(weeks=1)
    assert len(page.week_view.week_scene.blocks) == _count_sessions(main_window.ctx, page.monday)
    assert "Week 50" in page.navigator.title.text()
    qtbot.keyClick(main_window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert page.monday == TODAY + timedelta(weeks=2)
    qtbot.keyClick(main_window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(page.navigator.prev_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.navigator.prev_button, Qt.MouseButton.LeftButton)
    assert page.monday == TODAY - timedelta(weeks=1)
    qtbot.keyClick(main_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert page.monday == TODAY


def test_date_picker_jumps_to_the_week_of_the_date(main_window: Any) -> None:
    from PySide6.QtCore import QDate

    page = main_window.planner
    page.navigator.picker.setDate(QDate(2026, 12, 17))  # a Thursday
    assert page.monday == date(2026, 12, 14)
    assert all(
        b.snapshot.start.date() >= date(2026, 12, 14) for b in page.week_view.week_scene.blocks.values()
    )


def test_weekend_is_greyed_out_as_closed(main_window: Any) -> None:
    geometry = main_window.planner.week_view.week_scene.geometry
    by_day = {c.day: c for c in geometry.columns}
    assert not by_day[TODAY + timedelta(days=5)].open  # Saturday
    assert not by_day[TODAY + timedelta(days=6)].open  # Sunday
    assert by_day[TODAY].open
    assert by_day[TODAY + timedelta(days=5)].width < by_day[TODAY].width


def test_violations_panel_lists_the_week_and_click_selects_the_session(
    qtbot: Any, main_window: Any
) -> None:
    page = main_window.planner
    panel = page.violations_panel
    table = panel.table
    assert panel.proxy.rowCount() == len(page.week.violations) > 0
    row = panel.proxy.rowCount() - 1
    ref = panel.proxy.index(row, COL_SESSION).data()
    rect = table.visualRect(panel.proxy.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_ref() == ref
    block = page.week_view.week_scene.blocks[ref]
    visible = page.week_view.mapToScene(page.week_view.viewport().rect()).boundingRect()
    assert visible.intersects(block.sceneBoundingRect())


def test_violation_filters_hide_warnings(main_window: Any) -> None:
    panel = main_window.planner.violations_panel
    panel.warnings_box.setChecked(False)
    shown = [panel.proxy.index(r, 0).data(ViolationRole) for r in range(panel.proxy.rowCount())]
    assert shown and all(v.severity == "error" for v in shown)


def test_status_bar_summary(main_window: Any) -> None:
    s = main_window.planner.week.summary()
    text = main_window.summary.text()
    assert f"{s.sessions} sessions" in text
    assert f"{s.errors} errors" in text and f"{s.warnings} warnings" in text
    assert f"{s.utilisation:.0f}% booked" in text
    assert 0 < s.utilisation < 100


def test_staff_view_shows_each_person_with_their_sessions(qtbot: Any, main_window: Any) -> None:
    page = main_window.planner
    qtbot.keyClick(main_window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert page.stack.currentWidget() is page.staff_view
    model = page.staff_view.staff_model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == [m.name for m in page.week.staff]
    session = next(s for s in page.week.sessions if s.active and s.staff)
    person = session.staff[0]
    row = names.index(person.name)
    column = 2 + session.start.weekday()
    assert f"{session.start:%H:%M} {session.patient_name.split()[0]}" in model.index(row, column).data()
    assert session.patient_name in model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "busy" in model.index(row, 9).data() and "session" in model.index(row, 9).data()
    qtbot.keyClick(main_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert page.stack.currentWidget() is page.week_view


def test_search_jumps_to_the_patients_next_session(qtbot: Any, main_window: Any) -> None:
    page = main_window.planner
    later = [s for s in page.week.sessions if s.start.date() > TODAY]
    target = later[0]
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, target.patient_ref)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    selected = page.selected_ref()
    assert selected is not None
    chosen = page.week.session(selected)
    assert chosen.patient_ref == target.patient_ref
    assert chosen.start >= datetime.combine(TODAY, datetime.min.time()).replace(hour=8)


def test_changes_from_elsewhere_appear_on_the_hub_signal_and_on_f5(
    qtbot: Any, main_window: Any
) -> None:
    ctx = main_window.ctx
    page = main_window.planner
    course = next(s for s in page.week.sessions if s.active).course_ref
    before = len(page.week_view.week_scene.blocks)
    first_chair, second_chair = page.week.chairs[0].ref, page.week.chairs[1].ref
    # Another workstation books a session: nothing tells this window…
    ref = create_session(
        ctx.db, SessionDraft(course_ref=course, chair_ref=first_chair, start=datetime(2026, 12, 5, 9, 0))
    )
    assert ref not in page.week_view.week_scene.blocks
    qtbot.keyClick(main_window, Qt.Key.Key_F5)  # …until a refresh.
    assert ref in page.week_view.week_scene.blocks
    assert len(page.week_view.week_scene.blocks) == before + 1
    # The periodic poll notices the audit trail moving.
    page.poll()
    from planner.services.sessions import delete_session

    delete_session(ctx.db, ref)
    page.poll()
    assert ref not in page.week_view.week_scene.blocks
    # A change made in this app announces itself on the hub.
    ref2 = create_session(
        ctx.db, SessionDraft(course_ref=course, chair_ref=second_chair, start=datetime(2026, 12, 5, 9, 0))
    )
    ctx.hub.notify({SESSIONS})
    assert ref2 in page.week_view.week_scene.blocks
    assert get_session(ctx.db, ref2).chair.ref == second_chair


def test_geometry_is_restored_and_the_week_opens_on_today(
    qtbot: Any, app_context: Any, gui_settings: QSettings
) -> None:
    from planner.ui.main_window import MainWindow

    first = MainWindow(ctx=app_context, settings=gui_settings)
    qtbot.addWidget(first)
    first.showMaximized()
    qtbot.waitExposed(first)
    assert first.isMaximized()
    first.planner.step_week(2)
    first.close()
    second = MainWindow(ctx=app_context, settings=gui_settings)
    qtbot.addWidget(second)
    assert second.planner.monday == TODAY  # not the week last looked at
    second.show()
    qtbot.waitExposed(second)
    assert second.isMaximized()


def test_day_selector_shows_one_day_with_wider_chairs(qtbot: Any, main_window: Any) -> None:
    page = main_window.planner
    week_width = page.week_view.week_scene.geometry.columns[1].chair_width
    page.day_combo.setCurrentIndex(2)  # Tuesday
    columns = page.week_view.week_scene.geometry.columns
    assert [c.day for c in columns] == [TODAY + timedelta(days=1)]
    assert columns[0].chair_width > week_width
    shown = {b.snapshot.start.date() for b in page.week_view.week_scene.blocks.values()}
    assert shown == {TODAY + timedelta(days=1)}


def test_every_menu_action_has_a_shortcut(main_window: Any) -> None:
    missing = []
    page_menus = set(main_window.page_menus.values())  # the other pages bring their own menus
    for menu_action in main_window.menuBar().actions():
        menu = menu_action.menu()
        if menu in page_menus:
            continue
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None or not action.isVisible():
                continue
            if action.shortcut().isEmpty():
                missing.append(action.text())
    assert missing == []


def test_first_start_size_follows_the_screen() -> None:
    """Without saved geometry the window takes most of the free screen, centred, never more;
    a small screen is used whole (maximised)."""
    from PySide6.QtCore import QRect

    from planner.ui.main_window import first_start_geometry

    for area in (QRect(0, 0, 1440, 876), QRect(0, 28, 1920, 1052), QRect(1920, 0, 2560, 1400)):
        rect, maximise = first_start_geometry(area)
        assert not maximise
        assert area.contains(rect)
        assert rect.width() >= 0.6 * area.width() and rect.height() >= 0.7 * area.height()
        assert abs(rect.center().x() - area.center().x()) <= 1
        assert abs(rect.center().y() - area.center().y()) <= 1
    rect, maximise = first_start_geometry(QRect(0, 0, 1024, 600))
    assert maximise and rect == QRect(0, 0, 1024, 600)


def test_first_start_window_uses_that_size(
    qtbot: Any, app_context: Any, gui_settings: QSettings
) -> None:
    from planner.ui.main_window import MainWindow, first_start_geometry

    window = MainWindow(ctx=app_context, settings=gui_settings)
    qtbot.addWidget(window)
    rect, maximise = first_start_geometry(window.screen().availableGeometry())
    assert window.isMaximized() == maximise
    if not maximise:
        assert window.size() == rect.size()


def test_staff_view_rows_show_every_session_line(qtbot: Any, main_window: Any) -> None:
    """No session of a busy day is clipped off the bottom of its staff row."""
    page = main_window.planner
    page.show_staff()
    view = page.staff_view
    model = view.model()
    line = view.fontMetrics().lineSpacing()
    busiest = 0
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = model.index(row, column).data() or ""
            lines = len(text.splitlines())
            busiest = max(busiest, lines)
            assert view.rowHeight(row) >= lines * line, (row, column, text)
    assert busiest >= 3  # the demo week really has busy days
    assert not view.wordWrap()  # a wrapped line would make Qt under-estimate the row
