"""The Reports page and the call list, driven as a person drives them (real widgets, offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QPushButton, QTableView, QWidget

from planner.db.engine import Database
from planner.services.sessions import get_session, set_status
from planner.ui.context import SESSIONS, AppContext, ChangeHub
from planner.ui.pages.call_list_dialog import CallListDialog
from planner.ui.pages.reports_page import ReportsPage
from planner.ui.widgets.date_field import DateField
from tests.factories import load_into
from tests.gui.pages_fixtures import save_screenshot
from tests.paperwork.pdfcheck import all_text
from tests.reports.clinics import week_clinic
from tests.reports.test_call_list import calls_clinic

MON, WED = date(2026, 12, 7), date(2026, 12, 9)


def _context(db: Database, clock: Callable[[], datetime]) -> AppContext:
    return AppContext(db=db, hub=ChangeHub(), clock=clock)


@pytest.fixture
def week_context(qapp: Any, gui_db: Database, clock: Callable[[], datetime]) -> AppContext:
    load_into(gui_db, week_clinic())
    return _context(gui_db, clock)


@pytest.fixture
def page(qtbot: Any, week_context: AppContext) -> ReportsPage:
    shown = ReportsPage(week_context)
    qtbot.addWidget(shown)
    shown.resize(1200, 760)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_utilisation_on_screen_matches_the_report(page: ReportsPage, qtmodeltester: Any) -> None:
    page.set_report("utilisation", MON, WED)
    assert "19.4 % of open chair time booked" in page.summary.text()
    chart = page.chart.chart
    assert chart is not None and chart.kind == "bar"
    assert chart.labels == ("Mon 07 Dec", "Tue 08 Dec", "Wed 09 Dec")
    assert chart.series[0].values == (25.0, 15.0, None)
    assert "Mon 07 Dec 25 %" in page.chart.accessibleDescription()
    rows = page.table_rows("Per chair")
    assert rows[0] == ("Chair 1 (CH-1)", "18.0 h", "3.0 h", "3.0 h", "3", "16.7 %")
    assert rows[-1][0] == "All chairs"
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Per chair",
        "Per day and chair (utilisation)",
    ]
    view = page.tabs.widget(0)
    assert isinstance(view, QTableView)
    qtmodeltester.check(view.model())
    save_screenshot(page, "reports-utilisation")


def test_every_report_kind_shows_and_switches(page: ReportsPage, qtbot: Any) -> None:
    page.set_report("utilisation", MON, WED)
    for index, kind in enumerate(["utilisation", "staff-hours", "attendance", "courses"]):
        page.kind.setCurrentIndex(index)
        assert page.result is not None and page.result.view.kind == kind
        assert page.summary.text()
        assert page.tabs.count() >= 1
        page.grab()  # paints the chart of each kind
    page.kind.setCurrentIndex(2)
    assert page.chart.chart is not None and page.chart.chart.kind == "line"
    assert page.chart.accessibleName() == "No-show and cancellation rate per week"
    page.kind.setCurrentIndex(1)
    assert page.table_rows("Per person")[0][:4] == (
        "Dr One (S1)",
        "Psychiatrist",
        "18.0 h",
        "11.0 h",
    )
    save_screenshot(page, "reports-staff-hours")


def test_controls_have_accessible_names(page: ReportsPage) -> None:
    named = {
        w.objectName(): w.accessibleName()
        for w in page.findChildren(QWidget)
        if isinstance(w, QComboBox | DateField | QPushButton)
    }
    assert all(named.values()), named
    assert named["report_kind"] == "Report" and named["report_from"] == "First day"
    assert page.chart.accessibleName()


def test_a_period_ending_before_it_starts_is_explained(page: ReportsPage) -> None:
    page.set_report("attendance", WED, MON)
    assert "ends (2026-12-07) before it starts" in page.summary.text()
    assert not page.print_button.isEnabled()
    assert page.chart.chart is None


def test_a_change_elsewhere_refreshes_the_report(
    page: ReportsPage, week_context: AppContext
) -> None:
    page.set_report("attendance", MON, WED)
    before = page.result.data["total"]["no_show"] if page.result else None
    set_status(week_context.db, "X-1", "no_show")
    week_context.hub.notify({SESSIONS})
    assert page.result is not None and page.result.data["total"]["no_show"] == before + 1


def test_print_opens_the_report_pdf(page: ReportsPage, qtbot: Any) -> None:
    page.set_report("utilisation", MON, WED)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    dialog = page.preview
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.pdf_bytes), timeout=30000)
    text = all_text(dialog.pdf_bytes)
    assert "Chair utilisation report" in text and "19.4 %" in text
    dialog.close()


def test_reports_page_is_in_the_side_bar(qtbot: Any, main_window: Any) -> None:
    qtbot.waitUntil(lambda: main_window.stack.count() > 1)
    index = main_window.page_index("reports_page")
    assert index > 0
    assert main_window.side_bar.item(index).text() == "Reports"
    main_window.side_bar.setCurrentRow(index)
    page = main_window.stack.widget(index)
    assert isinstance(page, ReportsPage) and page.result is not None


# -- the call list ------------------------------------------------------------------------------


@pytest.fixture
def calls_context(qapp: Any, gui_db: Database, clock: Callable[[], datetime]) -> AppContext:
    load_into(gui_db, calls_clinic())
    return _context(gui_db, clock)


@pytest.fixture
def call_dialog(qtbot: Any, calls_context: AppContext) -> CallListDialog:
    dialog = CallListDialog(ctx=calls_context, undo_stack=QUndoStack(), day=date(2026, 12, 8))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _select(dialog: CallListDialog, ref: str) -> None:
    dialog.select(ref)
    selected = dialog.selected()
    assert selected is not None and selected.session_ref == ref


def test_the_call_list_shows_the_day(call_dialog: CallListDialog, qtmodeltester: Any) -> None:
    rows = call_dialog.model.rows()
    assert [c.session_ref for c in rows] == ["X-3", "X-4", "X-2"]
    assert call_dialog.count.text() == "3 sessions, 2 to call"
    assert "nothing to eat for 8 hours" in call_dialog.instructions.text()
    qtmodeltester.check(call_dialog.model)
    _select(call_dialog, "X-4")  # cancelled: nothing to mark
    assert not call_dialog.confirm_button.isEnabled() and not call_dialog.cancel_button.isEnabled()
    save_screenshot(call_dialog, "call-list")


def test_confirming_from_the_call_list_updates_the_session(
    call_dialog: CallListDialog, calls_context: AppContext, qtbot: Any
) -> None:
    _select(call_dialog, "X-2")
    assert call_dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(calls_context.hub.changed) as changed:
        qtbot.mouseClick(call_dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert SESSIONS in changed.args[0]
    assert get_session(calls_context.db, "X-2").status == "confirmed"
    assert call_dialog.selected() is not None and call_dialog.selected().status == "confirmed"  # type: ignore[union-attr]
    assert "X-2 (Zoë Łukasiewicz) marked confirmed" in call_dialog.message.text()
    qtbot.mouseClick(call_dialog.undo_button, Qt.MouseButton.LeftButton)
    assert get_session(calls_context.db, "X-2").status == "planned"


def test_cancelling_from_the_call_list_updates_the_session(
    call_dialog: CallListDialog, calls_context: AppContext
) -> None:
    _select(call_dialog, "X-3")
    call_dialog.cancel_button.click()
    assert get_session(calls_context.db, "X-3").status == "cancelled"
    assert call_dialog.count.text() == "3 sessions, 1 to call"


def test_a_stale_call_list_says_so_and_changes_nothing(
    call_dialog: CallListDialog, calls_context: AppContext
) -> None:
    set_status(calls_context.db, "X-2", "done")  # on another workstation; no hub signal here
    _select(call_dialog, "X-2")
    call_dialog.confirm_button.click()
    assert get_session(calls_context.db, "X-2").status == "done"
    assert "reload" in call_dialog.message.text()


def test_the_call_list_from_the_menu_updates_the_planner(qtbot: Any, small_window: Any) -> None:
    dialog = small_window.show_call_list()  # nothing selected: tomorrow, 2026-12-01
    qtbot.addWidget(dialog)
    assert isinstance(dialog, CallListDialog)
    assert dialog.shown_day == date(2026, 12, 1)
    _select(dialog, "X-1")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: small_window.planner.week.session("X-1").status == "confirmed")
    assert small_window.undo_stack.canUndo()  # undoable in the planner too
    dialog.close()
