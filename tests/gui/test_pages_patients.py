"""Patients page: add with a bad date of birth (error shown, nothing saved), fix it, archive, import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from planner.services.patients import list_patients
from planner.ui.pages.common import ROW_ROLE
from planner.ui.pages.patients_page import COL_NAME, PatientsPage, patient_columns
from tests.factories import new_patient
from tests.gui.pages_fixtures import save_screenshot


def _page(qtbot: Any, ctx: Any) -> PatientsPage:
    page = PatientsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def _names(page: PatientsPage) -> list[str]:
    return [page.proxy.index(row, COL_NAME).data() for row in range(page.proxy.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester: Any, small_context: Any) -> None:
    from planner.ui.pages.common import RowTableModel

    model: RowTableModel[Any] = RowTableModel(patient_columns())
    model.set_rows(list_patients(small_context.db, include_archived=True))
    qtmodeltester.check(model)


def test_bad_date_of_birth_shows_error_and_saves_nothing_then_fix_saves(
    qtbot: Any, small_context: Any
) -> None:
    page = _page(qtbot, small_context)
    assert _names(page) == ["Zoë Łukasiewicz"]
    dialog = page.new_patient()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Olga Petrenko")
    dialog.dob.setText("2031-05-01")  # after "today" (2026-11-30)
    qtbot.keyClicks(dialog.weight, "64")
    qtbot.keyClicks(dialog.escort_name, "Ivan Petrenko")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )

    assert dialog.isVisible()
    assert dialog.errors.visible() == {"date_of_birth": "Is in the future"}
    assert dialog.summary.isVisible()
    assert [r.patient.name for r in list_patients(small_context.db)] == ["Zoë Łukasiewicz"]
    save_screenshot(dialog, "patient-dialog-error")

    dialog.dob.setText("1979-03-14")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    saved = {p.patient.name: p.patient for p in list_patients(small_context.db)}
    assert saved["Olga Petrenko"].date_of_birth == date(1979, 3, 14)
    assert saved["Olga Petrenko"].escort.name == "Ivan Petrenko"
    assert saved["Olga Petrenko"].weight_kg == 64
    assert "Olga Petrenko" in _names(page)
    chosen = page.selected()
    assert chosen is not None and chosen.patient.name == "Olga Petrenko"


def test_record_number_in_use_is_shown_next_to_the_field(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    dialog = page.new_patient()
    qtbot.keyClicks(dialog.name, "Duplicate Person")
    dialog.dob.setText("1990-01-01")
    qtbot.keyClicks(dialog.record_number, "MRN-1001")
    dialog.try_save()
    assert "already used by patient P-0001" in dialog.errors.text("record_number")
    assert len(list_patients(small_context.db)) == 1
    dialog.reject()


def test_unreadable_date_is_explained(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    dialog = page.new_patient()
    qtbot.keyClicks(dialog.name, "Some One")
    qtbot.keyClicks(dialog.dob, "31/02/1980")
    dialog.try_save()
    assert "YYYY-MM-DD" in dialog.errors.text("date_of_birth")
    assert len(list_patients(small_context.db)) == 1
    dialog.reject()


def test_weight_and_required_name_validated(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    dialog = page.new_patient()
    dialog.dob.setText("1990-01-01")
    qtbot.keyClicks(dialog.weight, "351")
    dialog.try_save()
    shown = dialog.errors.visible()
    assert set(shown) == {"name", "weight_kg"}
    assert shown == {"name": "Must not be empty", "weight_kg": "Must be between 20 and 350"}
    dialog.reject()


def test_flags_need_acknowledgement_field_and_edit_round_trips(
    qtbot: Any, small_context: Any
) -> None:
    page = _page(qtbot, small_context)
    page.select("P-0001")
    dialog = page.edit_selected()
    assert dialog is not None and dialog.name.text() == "Zoë Łukasiewicz"
    assert not dialog.acknowledged_by.isEnabled()
    dialog.flag_boxes["uncontrolled_hypertension"].setChecked(True)
    assert dialog.acknowledged_by.isEnabled()
    qtbot.keyClicks(dialog.acknowledged_by, "Dr Ana Silva")
    dialog.try_save()
    assert not dialog.isVisible()
    (row,) = list_patients(small_context.db)
    assert row.patient.flags == ("uncontrolled_hypertension",)
    assert row.patient.flags_acknowledged_by == "Dr Ana Silva"
    index = page.proxy.index(0, 5)
    assert index.data() == "Uncontrolled hypertension"
    assert "Dr Ana Silva" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_search_sort_and_archive_instead_of_delete(
    qtbot: Any, small_context: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from planner.services.patients import create_patient

    create_patient(
        small_context.db, new_patient("Aaron Abbott", date(1970, 1, 1)), today=date(2026, 11, 30)
    )
    small_context.hub.notify({"patients"})
    page = _page(qtbot, small_context)
    assert _names(page) == ["Aaron Abbott", "Zoë Łukasiewicz"]
    page.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert _names(page) == ["Zoë Łukasiewicz", "Aaron Abbott"]
    qtbot.keyClicks(page.search, "mrn-1001")
    assert _names(page) == ["Zoë Łukasiewicz"]
    page.search.clear()

    page.select("P-0002")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.btn_archive, Qt.MouseButton.LeftButton)
    assert _names(page) == ["Zoë Łukasiewicz"]
    everyone = [r.patient for r in list_patients(small_context.db, include_archived=True)]
    assert [p.name for p in everyone if p.archived] == ["Aaron Abbott"]  # kept, not deleted
    page.show_archived.setChecked(True)
    assert "Aaron Abbott (archived)" in _names(page)


def test_keyboard_only_add_patient(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    page.act_new.trigger()
    from planner.ui.pages.patient_dialog import PatientDialog
    from tests.gui.pages_fixtures import open_dialogs

    (dialog,) = open_dialogs(PatientDialog)
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Keyboard Kim")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.dob
    qtbot.keyClicks(dialog.dob, "1988-07-21")
    qtbot.keyClick(dialog.dob, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Keyboard Kim" in [r.patient.name for r in list_patients(small_context.db)]


def test_import_csv_previews_then_imports(qtbot: Any, small_context: Any, tmp_path: Path) -> None:
    from planner.ui.pages.import_dialog import ImportPatientsDialog

    csv_file = tmp_path / "patients.csv"
    csv_file.write_text(
        "Name,DOB,MRN\nMaria Gonzalez,1975-02-03,MRN-2001\nTom Baker,1980-12-24,\n",
        encoding="utf-8",
    )
    page = _page(qtbot, small_context)
    dialog = ImportPatientsDialog(small_context, parent=page)
    assert dialog.load_file(csv_file)
    assert dialog.rows_model.rowCount() == 2 and dialog.import_button.isEnabled()
    assert dialog.rows_model.index(0, 1).data(ROW_ROLE).data.name == "Maria Gonzalez"
    dialog.do_import()
    assert dialog.imported == 2
    assert {"Maria Gonzalez", "Tom Baker"} <= set(_names(page))

    bad = tmp_path / "bad.csv"
    bad.write_text("Name,DOB\nNo Date,\n", encoding="utf-8")
    dialog2 = ImportPatientsDialog(small_context, parent=page)
    dialog2.load_file(bad)
    assert not dialog2.import_button.isEnabled()
    assert dialog2.problems_model.rowCount() == 1


def test_hidden_page_reads_its_data_when_shown(qtbot: Any, small_context: Any) -> None:
    from planner.services.patients import create_patient

    page = PatientsPage(small_context)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0  # nothing read while never seen
    page.show()
    assert _names(page) == ["Zoë Łukasiewicz"]
    page.hide()
    create_patient(
        small_context.db, new_patient("Late Comer", date(1980, 1, 1)), today=date(2026, 11, 30)
    )
    small_context.hub.notify({"patients"})
    assert page.model.rowCount() == 1  # hidden: only marked stale
    page.show()
    assert sorted(_names(page)) == ["Late Comer", "Zoë Łukasiewicz"]


def test_access_keys_reach_the_fields(qtbot: Any, small_context: Any) -> None:
    page = _page(qtbot, small_context)
    with qtbot.waitActive(dialog := page.new_patient()):
        dialog.activateWindow()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.dob
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.weight
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(list_patients(small_context.db)) == 1
