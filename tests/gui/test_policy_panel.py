"""The Policy tab shows and saves every policy setting: respiratory-rate alerts, the weight's
age limit, the as-needed drugs, the vitals columns, the crisis phone, the PADSS pass mark and
the clinic's time zone (checked as it is typed); Restore defaults keeps paper and zone."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt

from planner.domain.policy import DEFAULT_AS_NEEDED, Policy
from planner.services import clinic as cs
from planner.ui.pages.clinic_page import ClinicPage
from tests.gui.pages_fixtures import show_page


def _page(qtbot: Any, ctx: Any) -> ClinicPage:
    page = show_page(qtbot, ClinicPage(ctx))
    page.tabs.setCurrentWidget(page.policy)
    return page


def _type(qtbot: Any, edit: Any, text: str) -> None:
    edit.clear()
    if edit.completer() is None:
        qtbot.keyClicks(edit, text)
    else:  # as if typed, without the list of names (a popup the test screen cannot raise)
        edit.setText(text)


def test_the_new_settings_are_shown_and_saved(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    panel = page.policy
    assert panel.as_needed.toPlainText().splitlines() == list(DEFAULT_AS_NEEDED)
    assert panel.switches["vitals_o2_column"].isChecked()
    assert not panel.switches["vitals_etco2_column"].isChecked()
    panel.spins["alert_rr_above"].setValue(28)
    panel.spins["alert_rr_below"].setValue(8)
    panel.spins["weight_max_age_days"].setValue(14)
    panel.spins["discharge_min_padss"].setValue(10)
    panel.switches["vitals_etco2_column"].click()
    panel.switches["vitals_o2_column"].click()
    panel.as_needed.setPlainText("Ondansetron 4 mg IV\n\n  Midazolam 1 mg IV  \n")
    _type(qtbot, panel.crisis_phone, "+44 20 7946 0999")
    _type(qtbot, panel.time_zone, "Europe/Berlin")
    assert panel.errors.visible() == {}
    assert "there now (UTC+01:00)" in panel.zone_check.text()  # December: CET
    assert page.save(), page.status.text()
    saved = cs.get_policy(small_context.db)
    assert (saved.alert_rr_above, saved.alert_rr_below) == (28, 8)
    assert (saved.weight_max_age_days, saved.discharge_min_padss) == (14, 10)
    assert (saved.vitals_o2_column, saved.vitals_etco2_column, saved.vitals_rhythm_column) == (
        False,
        True,
        False,
    )
    assert saved.as_needed_drugs == ("Ondansetron 4 mg IV", "Midazolam 1 mg IV")
    assert (saved.crisis_phone, saved.time_zone) == ("+44 20 7946 0999", "Europe/Berlin")
    page.load()  # what is shown is what was saved
    assert panel.value() == replace(saved, paper_size=panel.value().paper_size)


def test_a_time_zone_is_checked_as_it_is_typed_and_a_wrong_one_saves_nothing(
    qtbot: Any, small_context: Any
) -> None:
    page = _page(qtbot, small_context)
    panel = page.policy
    _type(qtbot, panel.time_zone, "Europe/Londn")
    assert "Unknown time zone 'Europe/Londn'" in panel.errors.text("time_zone")
    assert not panel.zone_check.isVisible()
    assert not page.save()
    assert page.tabs.currentWidget() is panel
    assert cs.get_policy(small_context.db).time_zone == ""
    _type(qtbot, panel.time_zone, "Europe/London")
    assert panel.errors.visible() == {} and "UTC+00:00" in panel.zone_check.text()
    panel.time_zone.clear()  # none: the computer's own zone
    assert panel.errors.visible() == {} and "this computer's zone" in panel.zone_check.text()


def test_low_alerts_above_high_ones_and_a_drug_listed_twice_are_refused(
    qtbot: Any, small_context: Any
) -> None:
    page = _page(qtbot, small_context)
    panel = page.policy
    panel.spins["alert_rr_below"].setValue(20)
    panel.spins["alert_rr_above"].setValue(18)
    assert not page.save()
    assert "respiratory-rate" in panel.errors.text("alert_rr_below")
    panel.spins["alert_rr_above"].setValue(24)  # corrected: the error goes at once
    assert panel.errors.visible() == {}
    panel.as_needed.setPlainText("Midazolam 1 mg IV\nMidazolam 1 mg IV")
    assert not page.save()
    assert "listed twice" in panel.errors.text("as_needed_drugs")
    panel.as_needed.setPlainText("\n".join(f"Drug {n}" for n in range(9)))
    assert "at most 8 drugs" in panel.errors.text("as_needed_drugs").lower()
    assert cs.get_policy(small_context.db) == Policy()


def test_restore_defaults_keeps_the_paper_size_and_the_time_zone(
    qtbot: Any, small_context: Any
) -> None:
    shown = cs.get_clinic_settings(small_context.db)
    cs.save_clinic_settings(
        small_context.db,
        policy=replace(
            shown.policy,
            paper_size="Letter",
            time_zone="America/New_York",
            alert_rr_above=30,
            crisis_phone="555 0100",
            vitals_rhythm_column=True,
        ),
        expected_version=shown.version,
    )
    page = _page(qtbot, small_context)
    panel = page.policy
    assert panel.time_zone.text() == "America/New_York"
    qtbot.mouseClick(panel.defaults_button, Qt.MouseButton.LeftButton)
    restored = panel.value()
    assert restored == replace(Policy(), paper_size="Letter", time_zone="America/New_York")
    assert page.save()
    saved = cs.get_policy(small_context.db)
    assert (saved.paper_size, saved.time_zone) == ("Letter", "America/New_York")
    assert (saved.alert_rr_above, saved.crisis_phone, saved.vitals_rhythm_column) == (24, "", False)
