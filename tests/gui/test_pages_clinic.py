"""Clinic page on a clinic's first day: details, opening hours, closures, chairs, protocols, policy."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, Qt

from planner.domain.records import OpeningHours
from planner.services import clinic as cs
from planner.services.chairs import list_chairs
from planner.services.protocols import list_protocols
from planner.ui.pages.clinic_page import ClinicPage
from tests.gui.pages_fixtures import empty_context, save_screenshot  # noqa: F401


def _page(qtbot: Any, ctx: Any) -> ClinicPage:
    page = ClinicPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_set_up_a_new_clinic_from_nothing(qtbot: Any, empty_context: Any) -> None:  # noqa: F811
    ctx = empty_context
    changes: list[frozenset[str]] = []
    ctx.hub.changed.connect(changes.append)
    page = _page(qtbot, ctx)

    details = page.details
    qtbot.keyClicks(details.name, "Harbour Infusions")
    qtbot.keyClicks(details.phone, "+44 20 7946 0000")
    details.paper.setCurrentIndex(details.paper.findData("Letter"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Saved."
    assert cs.get_clinic(ctx.db).name == "Harbour Infusions"
    assert cs.get_policy(ctx.db).paper_size == "Letter"
    details.name.setText("Harbour Infusion Clinic")
    assert page.save()  # a second save uses the fresh version
    assert cs.get_clinic(ctx.db).name == "Harbour Infusion Clinic"

    page.tabs.setCurrentWidget(page.hours)
    hours = page.hours
    hours.day_edits[0].setText("08:00-12:00, 13:00-18:00")
    hours.day_edits[2].setText("closing-time")
    assert not page.save()
    assert "closing-time" in hours.errors.text("opening_hours")
    hours.day_edits[2].setText("09:00-17:00")
    assert page.save()
    assert cs.get_clinic(ctx.db).opening_hours == (
        OpeningHours(weekday=0, open=time(8), close=time(12)),
        OpeningHours(weekday=0, open=time(13), close=time(18)),
        OpeningHours(weekday=2, open=time(9), close=time(17)),
    )
    hours.closure_day.setDate(QDate(2026, 12, 25))
    qtbot.keyClicks(hours.closure_reason, "Christmas")
    hours.add_closure()
    assert cs.list_closures(ctx.db) == [cs.ClosureDay(date(2026, 12, 25), "Christmas")]
    assert hours.closures.count() == 1
    save_screenshot(page, "clinic-hours")

    page.tabs.setCurrentWidget(page.chairs)
    assert not page.save_bar.isVisible()  # chairs are saved by their own dialog
    chair_dialog = page.chairs.new_chair()
    qtbot.keyClicks(chair_dialog.name, "Chair 1")
    qtbot.keyClicks(chair_dialog.room, "Room A")
    chair_dialog.try_save()
    assert [(r.chair.name, r.chair.room) for r in list_chairs(ctx.db)] == [("Chair 1", "Room A")]
    assert page.chairs.model.rowCount() == 1

    page.tabs.setCurrentWidget(page.protocols)
    proto_dialog = page.protocols.new_protocol()
    proto_dialog.try_save()
    assert "name" in proto_dialog.errors.visible()
    proto_dialog.name.setText("Ketamine — depression induction")  # QTest types ASCII only
    proto_dialog.spins["recovery_minutes"].setValue(90)
    proto_dialog.try_save()
    (row,) = list_protocols(ctx.db)
    assert (row.protocol.name, row.protocol.recovery_minutes, row.protocol.infusion_minutes) == (
        "Ketamine — depression induction",
        90,
        40,
    )
    assert page.protocols.model.rowCount() == 1

    page.tabs.setCurrentWidget(page.policy)
    page.policy.spins["concurrent_limit.psychiatrist"].setValue(1)
    page.policy.spins["alert_spo2_below"].setValue(94)
    assert page.save()
    policy = cs.get_policy(ctx.db)
    assert policy.limit_for("psychiatrist") == 1 and policy.alert_spo2_below == 94
    assert policy.paper_size == "Letter"  # the paper choice is kept
    assert all(kinds for kinds in changes) and len(changes) >= 6


def test_policy_refuses_contradictions(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    page.policy.spins["alert_hr_below"].setValue(110)
    page.policy.spins["alert_hr_above"].setValue(100)
    assert not page.save()
    assert page.tabs.currentWidget() is page.policy
    assert "below the high one" in page.policy.errors.text("alert_hr_below")
    assert cs.get_policy(small_context.db).alert_hr_above == 120


def test_a_refused_save_saves_nothing_and_the_next_save_works(
    qtbot: Any, small_context: Any
) -> None:
    """Details, hours and policy are one save: refused as a whole, then saved as a whole."""
    page = _page(qtbot, small_context)
    before = cs.get_clinic_settings(small_context.db)
    page.details.name.setText("Lakeside Infusions")
    page.hours.day_edits[5].setText("09:00-13:00")
    page.policy.spins["alert_hr_below"].setValue(110)
    page.policy.spins["alert_hr_above"].setValue(100)
    assert not page.save()
    assert cs.get_clinic_settings(small_context.db) == before
    page.policy.spins["alert_hr_above"].setValue(130)
    assert page.save(), page.status.text()
    saved = cs.get_clinic_settings(small_context.db)
    assert saved.clinic.name == "Lakeside Infusions"
    assert [h.weekday for h in saved.clinic.opening_hours].count(5) == 1
    assert (saved.policy.alert_hr_below, saved.policy.alert_hr_above) == (110, 130)


def test_another_workstations_save_is_reported_and_nothing_overwritten(
    qtbot: Any, small_context: Any, monkeypatch: Any
) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    page = _page(qtbot, small_context)
    theirs = cs.get_clinic_settings(small_context.db)
    monkeypatch.setenv("PLANNER_USER", "reception-2")
    cs.save_clinic_settings(
        small_context.db,
        policy=replace(theirs.policy, alert_spo2_below=90),
        expected_version=theirs.version,
    )
    monkeypatch.setenv("PLANNER_USER", "tester")
    page.policy.spins["alert_spo2_below"].setValue(95)
    assert not page.save()
    assert said and "changed by reception-2 at" in said[0]
    assert cs.get_policy(small_context.db).alert_spo2_below == 90
    page.load()  # reload, then the user's change goes through
    page.policy.spins["alert_spo2_below"].setValue(95)
    assert page.save()
    assert cs.get_policy(small_context.db).alert_spo2_below == 95


def test_used_protocol_delete_is_refused_with_a_message(
    qtbot: Any, small_context: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    page = _page(qtbot, small_context)
    page.tabs.setCurrentWidget(page.protocols)
    page.protocols.table.selectRow(0)
    page.protocols.delete_selected()
    assert said and "used by 1 course" in said[0]
    assert len(list_protocols(small_context.db)) == 1


def test_chair_and_protocol_models_pass_the_model_tester(
    qtmodeltester: Any, small_context: Any
) -> None:
    from planner.ui.pages.chairs_panel import chair_columns
    from planner.ui.pages.common import RowTableModel
    from planner.ui.pages.protocols_panel import protocol_columns

    chairs: RowTableModel[Any] = RowTableModel(chair_columns())
    chairs.set_rows(list_chairs(small_context.db))
    qtmodeltester.check(chairs)
    protocols: RowTableModel[Any] = RowTableModel(protocol_columns())
    protocols.set_rows(list_protocols(small_context.db))
    qtmodeltester.check(protocols)
