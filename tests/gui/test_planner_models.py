"""Item models of the planner pass Qt's model tester; layout arithmetic."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from planner.services.week import load_week
from planner.ui.planner.geometry import HEADER_HEIGHT, SNAP_MINUTES, layout
from planner.ui.planner.staff_view import StaffWeekModel
from planner.ui.planner.violations import SeverityFilter, ViolationsModel
from tests.gui.conftest import TODAY


def test_violations_model_passes_the_model_tester(qtmodeltester: Any, app_context: Any) -> None:
    week = load_week(app_context.db, TODAY)
    model = ViolationsModel()
    model.set_week(week)
    assert model.rowCount() == len(week.violations) > 0
    qtmodeltester.check(model)
    proxy = SeverityFilter()
    proxy.setSourceModel(model)
    proxy.set_shown(errors=True, warnings=False)
    qtmodeltester.check(proxy)
    model.set_week(None)
    qtmodeltester.check(model)


def test_staff_week_model_passes_the_model_tester(qtmodeltester: Any, app_context: Any) -> None:
    week = load_week(app_context.db, TODAY)
    model = StaffWeekModel()
    model.set_week(week)
    assert model.rowCount() == len(week.staff) > 0
    qtmodeltester.check(model)


def test_layout_snaps_to_five_minutes_and_maps_both_ways(app_context: Any) -> None:
    week = load_week(app_context.db, TODAY)
    g = layout(week, viewport_width=1400, viewport_height=700)
    tuesday = TODAY + timedelta(days=1)
    chair = week.chairs[1].ref
    where = g.chair_x(tuesday, chair)
    assert where is not None
    x, width = where
    assert g.slot_at(x + width / 2, HEADER_HEIGHT + 5) == (tuesday, chair)
    y = g.y_of(time(10, 37))
    moment = g.time_at(tuesday, y)
    assert moment == datetime(2026, 12, 1, 10, 35)
    assert moment.minute % SNAP_MINUTES == 0
    for s in week.sessions:
        rect = g.block_rect(s)
        assert rect is not None
        assert abs(rect[3] - s.chair_minutes * g.px_per_minute) < 0.01 or rect[3] == 8.0


def test_layout_fits_the_viewport_and_never_gets_unreadable(app_context: Any) -> None:
    week = load_week(app_context.db, TODAY)
    roomy = layout(week, viewport_width=1600, viewport_height=800)
    assert roomy.width <= 1600
    cramped = layout(week, viewport_width=500, viewport_height=300)
    open_columns = [c for c in cramped.columns if c.chairs]
    assert min(c.chair_width for c in open_columns) >= 54
    one_day = layout(week, viewport_width=500, viewport_height=300, day=date(2026, 12, 1))
    assert len(one_day.columns) == 1 and one_day.columns[0].chair_width > open_columns[0].chair_width
