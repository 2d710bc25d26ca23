"""A field's error clears as soon as the field is corrected, not at the next Save; fields the
user has not reached yet are not flagged while they type elsewhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from planner.ui.pages.chairs_panel import ChairDialog
from planner.ui.pages.patient_dialog import PatientDialog
from planner.ui.pages.staff_dialog import StaffDialog

TODAY = date(2026, 11, 30)


def _save(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_patient_errors_clear_one_by_one_as_fields_are_fixed(qtbot: Any, qapp: Any) -> None:
    saved: list[Any] = []
    dialog = PatientDialog(None, today=TODAY, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.dob, "2031-05-01")  # in the future; no name yet
    _save(qtbot, dialog)
    assert set(dialog.errors.visible()) == {"name", "date_of_birth"} and dialog.summary.isVisible()
    dialog.dob.clear()
    qtbot.keyClicks(dialog.dob, "1979-0")  # still being typed: still wrong, still said
    assert "date_of_birth" in dialog.errors.visible()
    qtbot.keyClicks(dialog.dob, "3-14")
    assert set(dialog.errors.visible()) == {"name"}  # fixed: gone at once
    assert dialog.summary.isVisible()
    qtbot.keyClicks(dialog.escort_name, "x")  # an untouched field raises nothing new
    assert set(dialog.errors.visible()) == {"name"}
    qtbot.keyClicks(dialog.name, "Olga Petrenko")
    assert dialog.errors.visible() == {} and not dialog.summary.isVisible()
    _save(qtbot, dialog)
    assert saved and saved[0].date_of_birth == date(1979, 3, 14)


def test_staff_and_chair_errors_clear_as_corrected(qtbot: Any, qapp: Any) -> None:
    staff = StaffDialog(None, today=TODAY, save=lambda _d: None)
    qtbot.addWidget(staff)
    staff.show()
    qtbot.keyClicks(staff.name, "Rita Mora")
    staff.day_edits[0].setText("9-5pm")
    _save(qtbot, staff)
    assert set(staff.errors.visible()) == {"roles", "hours"}
    staff.role_boxes["infusion_nurse"].setChecked(True)
    assert set(staff.errors.visible()) == {"hours"}
    staff.day_edits[0].setText("09:00-17:00")
    assert staff.errors.visible() == {}

    chair = ChairDialog(None, save=lambda _d: None)
    qtbot.addWidget(chair)
    chair.show()
    _save(qtbot, chair)
    assert "name" in chair.errors.visible()
    qtbot.keyClicks(chair.name, "Chair 5")
    assert chair.errors.visible() == {}
