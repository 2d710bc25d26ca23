"""The session record dialog with real widgets: typing the record, alerts as typed, saving a
draft, signing, amending, and opening it from the planner and the day's list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox, QTableWidget

from planner.db.engine import Database
from planner.services import session_records
from planner.ui.record.amend_dialog import AmendDialog
from planner.ui.record.record_dialog import RecordDialog
from tests.gui.pages_fixtures import save_screenshot
from tests.gui.record_support import answer, choose, ledger_context


@pytest.fixture
def ctx(qapp: Any, tmp_path: Path) -> Any:
    from planner.db.engine import open_database

    db: Database = open_database(f"sqlite:///{tmp_path / 'record.sqlite3'}")
    yield ledger_context(db)
    db.close()


def _dialog(qtbot: Any, ctx: Any, ref: str = "X-1") -> RecordDialog:
    dialog = RecordDialog(None, ctx, session_records.open_record(ctx.db, ref))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type_record(dialog: RecordDialog) -> None:
    """What a nurse types at the chair: check-in, a baseline row, the dose and the waste."""
    dialog.checkin.checked_in.edit.setText("08:55")
    dialog.checkin.escort_present.setChecked(True)
    dialog.checkin.fasting.setChecked(True)
    dialog.checkin.weight.setValue(72.0)
    for column, text in zip(range(2, 8), ("124", "80", "72", "98", "14", "5"), strict=True):
        dialog.vitals.item(0, column).setText(text)
    row = dialog.medications.add_row()
    choose(dialog.medications.cellWidget(row, 1), "LOT-0001")
    dialog.medications.item(row, 3).setText("36")
    dialog.medications.item(row, 5).setText("09:20")
    dialog.medications.item(row, 6).setText("10:00")
    choose(dialog.medications.cellWidget(row, 7), "S2")
    row = dialog.waste.add_row()
    dialog.waste.item(row, 1).setText("14")
    dialog.waste.item(row, 2).setText("10:02")
    choose(dialog.waste.cellWidget(row, 3), "S2")
    choose(dialog.waste.cellWidget(row, 4), "S1")


def test_the_planned_dose_is_beside_the_ketamine_row(qtbot: Any, ctx: Any) -> None:
    dialog = _dialog(qtbot, ctx)
    assert dialog.planned.text() == "Planned ketamine dose: 35 mg (0.5 mg/kg × 70 kg)."
    row = dialog.medications.add_row()
    assert dialog.medications.item(row, 2).text() == "35 mg"
    dialog.checkin.weight.setValue(72.0)  # weighed today
    assert dialog.medications.item(row, 2).text() == "36 mg"
    assert "72 kg" in dialog.planned.text()


def test_a_vital_outside_the_thresholds_is_marked_as_typed_and_needs_a_note(
    qtbot: Any, ctx: Any
) -> None:
    dialog = _dialog(qtbot, ctx)
    dialog.tabs.setCurrentIndex(1)
    dialog.vitals.item(2, 2).setText("192")
    assert dialog.vitals.cell_state(2, 2) == "alert"
    assert "systolic 192 > 180 mmHg" in dialog.vitals.item(2, 2).toolTip()
    assert dialog.vitals.cell_state(2, 8) == "needed"
    assert "call the psychiatrist and add a note" in dialog.status.text()
    dialog.vitals.item(2, 3).setText("eighty")
    assert dialog.vitals.cell_state(2, 3) == "invalid"
    dialog.vitals.item(2, 4).setText("400")
    assert dialog.vitals.item(2, 4).toolTip() == "must be between 10 and 300"
    save_screenshot(dialog, "record-vitals-alert")
    dialog.vitals.item(2, 3).setText("96")
    dialog.vitals.item(2, 4).setText("88")
    assert not dialog.save()
    assert "systolic 192 > 180 mmHg: add a note" in dialog.status.text()
    assert session_records.open_record(ctx.db, "X-1").record is None
    dialog.vitals.item(2, 8).setText("Dr Silva told; rate halved")
    assert dialog.vitals.cell_state(2, 8) == ""
    assert dialog.save()
    saved = session_records.open_record(ctx.db, "X-1").record
    assert saved is not None and saved.vitals[0].systolic == 192


def test_a_draft_is_saved_then_signed_and_the_session_is_done(qtbot: Any, ctx: Any) -> None:
    dialog = _dialog(qtbot, ctx)
    _type_record(dialog)
    assert dialog.save()
    assert dialog.status.text() == "Saved."
    view = session_records.open_record(ctx.db, "X-1")
    assert view.record is not None and not view.record.signed
    assert [(m.drug, m.lot.ref if m.lot else None, m.mg) for m in view.record.medications] == [
        ("ketamine", "LOT-0001", 36.0)
    ]
    assert view.record.vitals[0].entered_by == "tester"
    assert view.record.checks.weight_kg == 72.0
    answer(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    answer(QInputDialog, lambda box: (box.setTextValue("Dr Ana Silva"), box.accept()), tries=400)
    assert dialog.sign()
    view = session_records.open_record(ctx.db, "X-1")
    assert view.session.status == "done"
    assert view.record is not None and view.record.signed_by is not None
    assert view.record.signed_by.name == "Dr Ana Silva"
    assert dialog.save_button.text() == "&Amend…"
    assert not dialog.sign_button.isVisible()
    assert dialog.status.text().startswith("Signed by Dr Ana Silva at 2026-12-01 10:30")
    save_screenshot(dialog, "record-signed")


def test_a_signed_record_is_amended_with_a_reason_and_keeps_the_original(
    qtbot: Any, ctx: Any
) -> None:
    dialog = _dialog(qtbot, ctx)
    _type_record(dialog)
    assert dialog.save()
    session_records.sign_record(ctx.db, "X-1", expected_version=1, signer="S1")
    dialog.load(session_records.open_record(ctx.db, "X-1"))
    dialog.vitals.item(0, 2).setText("134")
    seen: list[str] = []

    def amend(box: AmendDialog) -> None:
        table = box.findChild(QTableWidget, "amend_changes")
        assert table is not None
        seen.extend(
            " | ".join(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())
        )
        buttons = box.findChild(QDialogButtonBox)
        assert buttons is not None
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # no reason yet: stays open
        assert box.isVisible() and box.error.text() == "Give the reason for the amendment."
        box.reason.setText("transcription error: the monitor showed 134")
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer(AmendDialog, amend)
    answer(QInputDialog, lambda box: box.accept(), tries=400)  # who amends: the psychiatrist
    assert dialog.save()
    assert seen == ["vitals[0].systolic | 124 | 134"]
    record = session_records.open_record(ctx.db, "X-1").record
    assert record is not None and record.vitals[0].systolic == 134
    (amendment,) = record.amendments
    assert (amendment.changes[0].before, amendment.changes[0].after) == (124, 134)
    assert "Amended 2026-12-01 10:30 by Dr Ana Silva: transcription error" in (
        dialog.signature.toPlainText()
    )


def test_the_planner_and_the_days_list_open_the_record(
    qtbot: Any, ctx: Any, gui_settings: Any
) -> None:
    from planner.ui.main_window import MainWindow
    from planner.ui.record.day_page import DayRecordsPage

    window = MainWindow(ctx=ctx, settings=gui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.count() > 1)
    window.planner.go_to_session("X-1")
    window.planner.planner_actions.record.trigger()
    dialogs = [w for w in window.findChildren(RecordDialog) if w.isVisible()]
    assert [d.view.session.ref for d in dialogs] == ["X-1"]
    dialogs[0].close()
    page = window.stack.widget(window.page_index("day_records_page"))
    assert isinstance(page, DayRecordsPage)
    window.side_bar.setCurrentRow(window.page_index("day_records_page"))
    page.show_day(ctx.today())
    assert page.model.rowCount() == 1 and page.model.rows()[0].state == "none"
    page.view.setCurrentIndex(page.model.index(0, 0))
    page.open_selected()
    opened = [w for w in page.findChildren(RecordDialog) if w.isVisible()]
    assert [d.view.session.ref for d in opened] == ["X-1"]
    _type_record(opened[0])
    assert opened[0].save()
    assert page.model.rows()[0].state == "draft"
    save_screenshot(page, "day-records")
    opened[0].close()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
