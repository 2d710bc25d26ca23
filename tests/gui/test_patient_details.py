"""The patient dialog records sex, phone, the day the weight was taken and drug allergies —
"not recorded", "none known" or the names — and an edit never loses what it does not change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from planner.domain.records import Patient
from planner.domain.vocabulary import SEXES
from planner.services.patients import get_patient, list_patients, set_archived, update_patient
from planner.ui.pages.patient_dialog import PatientDialog
from planner.ui.pages.patients_page import PatientsPage
from tests.gui.conftest import TODAY
from tests.gui.pages_fixtures import show_page


def _save(qtbot: Any, dialog: PatientDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )


def _dialog(qtbot: Any, saved: list[Patient]) -> PatientDialog:
    dialog = PatientDialog(None, today=TODAY, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Olga Petrenko")
    qtbot.keyClicks(dialog.dob, "1979-03-14")
    return dialog


def test_a_new_patient_with_sex_phone_weight_and_allergies(qtbot: Any, small_context: Any) -> None:
    page = show_page(qtbot, PatientsPage(small_context))
    dialog = page.new_patient()
    qtbot.waitExposed(dialog)
    assert [dialog.sex.itemData(i) for i in range(dialog.sex.count())] == list(SEXES)
    assert dialog.sex.currentText() == "Not recorded"
    qtbot.keyClicks(dialog.name, "Olga Petrenko")
    qtbot.keyClicks(dialog.dob, "1979-03-14")
    dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    qtbot.keyClicks(dialog.phone, "+44 20 7946 0000")
    qtbot.keyClicks(dialog.weight, "64")
    assert dialog.weighed_on.text() == TODAY.isoformat()  # a weight typed now was taken today
    qtbot.mouseClick(dialog.allergies.listed, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.allergies.names, "Penicillin")
    qtbot.keyClick(dialog.allergies.names, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.allergies.names, " Latex ")
    _save(qtbot, dialog)
    assert not dialog.isVisible(), dialog.errors.visible()
    saved = {r.patient.name: r.patient for r in list_patients(small_context.db)}["Olga Petrenko"]
    assert (saved.sex, saved.phone, saved.weight_kg) == ("female", "+44 20 7946 0000", 64)
    assert saved.weight_measured == TODAY
    assert saved.allergies == ("Penicillin", "Latex")


def test_not_recorded_and_none_known_are_different_answers(qtbot: Any, qapp: Any) -> None:
    saved: list[Patient] = []
    dialog = _dialog(qtbot, saved)
    _save(qtbot, dialog)
    assert saved[-1].allergies is None  # nobody asked yet: the sheets say "ask"

    dialog = _dialog(qtbot, saved)
    qtbot.mouseClick(dialog.allergies.none_known, Qt.MouseButton.LeftButton)
    _save(qtbot, dialog)
    assert saved[-1].allergies == ()


def test_an_empty_allergy_list_is_refused_until_a_name_is_typed(qtbot: Any, qapp: Any) -> None:
    saved: list[Patient] = []
    dialog = _dialog(qtbot, saved)
    qtbot.mouseClick(dialog.allergies.listed, Qt.MouseButton.LeftButton)
    assert dialog.allergies.names.isEnabled()
    assert dialog.focusWidget() is dialog.allergies.names
    _save(qtbot, dialog)
    assert not saved
    assert "No known drug allergies" in dialog.errors.visible()["allergies"]
    qtbot.keyClicks(dialog.allergies.names, "Codeine")
    assert dialog.errors.visible() == {}  # corrected: the error is gone at once
    _save(qtbot, dialog)
    assert saved[-1].allergies == ("Codeine",)


def test_the_same_allergy_twice_is_refused_in_the_records_words(qtbot: Any, qapp: Any) -> None:
    saved: list[Patient] = []
    dialog = _dialog(qtbot, saved)
    dialog.allergies.set_value(("Latex", "Latex"))
    _save(qtbot, dialog)
    assert not saved
    assert "listed twice" in dialog.errors.visible()["allergies"].lower()


def test_a_weighing_day_after_today_or_without_a_weight_is_refused(qtbot: Any, qapp: Any) -> None:
    saved: list[Patient] = []
    dialog = _dialog(qtbot, saved)
    qtbot.keyClicks(dialog.weight, "70")
    dialog.weighed_on.edit.clear()
    qtbot.keyClicks(dialog.weighed_on.edit, "2026-12-01")  # the day after today
    assert dialog.weighed_on.message.isVisible()
    _save(qtbot, dialog)
    assert not saved and "weight_measured" in dialog.errors.visible()
    dialog.weighed_on.edit.clear()
    qtbot.keyClicks(dialog.weighed_on.edit, "2026-11-02")
    assert dialog.errors.visible() == {}
    dialog.weight.selectAll()
    qtbot.keyClick(dialog.weight, Qt.Key.Key_Delete)  # no weight: no weighing day either
    assert dialog.weight.text() == "" and dialog.weighed_on.text() == ""
    qtbot.keyClicks(dialog.weight, "71")
    assert dialog.weighed_on.text() == TODAY.isoformat()
    dialog.weighed_on.setText("2026-11-02")
    dialog.weight.clear()  # by program, not typed: the day stays, and is refused without a weight
    _save(qtbot, dialog)
    assert not saved
    assert dialog.errors.visible()["weight_measured"] == "A date needs the weight that was measured"


def test_an_edit_keeps_what_it_does_not_change(qtbot: Any, small_context: Any) -> None:
    db = small_context.db
    row = get_patient(db, "P-0001")
    update_patient(
        db,
        replace(
            row.patient,
            sex="female",
            phone="+48 22 123 45 67",
            weight_kg=58.5,
            weight_measured=date(2026, 10, 1),
            allergies=("Latex",),
        ),
        expected_version=row.version,
        today=TODAY,
    )
    set_archived(db, "P-0001", True)
    page = show_page(qtbot, PatientsPage(small_context))
    assert page.show_ref("P-0001")
    dialog = page.edit_selected()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.allergies.listed.isChecked() and dialog.allergies.typed_names() == ("Latex",)
    assert dialog.sex.currentData() == "female" and dialog.weighed_on.text() == "2026-10-01"
    dialog.name.setText("Zoë Łukasiewicz-Nowak")
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    stored = get_patient(db, "P-0001").patient
    assert stored.name == "Zoë Łukasiewicz-Nowak"
    assert (stored.sex, stored.phone, stored.weight_kg) == ("female", "+48 22 123 45 67", 58.5)
    assert (stored.weight_measured, stored.allergies) == (date(2026, 10, 1), ("Latex",))
    assert stored.archived
