"""Add/edit a patient: every problem is shown next to its field; nothing is saved until all is well.

The dialog builds a ``Patient`` record and hands it to the ``save`` callable it
was given (the page's service call); the fields take their lengths, the weight
and its date their ranges from the record, the sex its choices from the
vocabulary, and the record's own check says what is wrong, so the dialog
refuses what the service, the document and the CSV import refuse. Allergies are
one of three answers: not recorded, none known, or the names. An edit starts
from the stored record, so nothing the dialog does not show (archived) is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain import FLAG_LABELS, PATIENT_FLAGS
from planner.domain.records import Escort, Patient
from planner.domain.vocabulary import SEX_LABELS, SEXES, Flag, Sex
from planner.services.patients import PatientRow, patient_problems
from planner.ui.pages.record_dialog import RecordDialog
from planner.ui.widgets.allergies_field import AllergiesField
from planner.ui.widgets.limits import calendar_field, line_edit, number_edit, number_value
from planner.ui.widgets.palette import error_text_color

#: Fields in the order the dialog shows them (the first with a problem gets the focus).
_FOCUS_ORDER = (
    "name",
    "date_of_birth",
    "sex",
    "record_number",
    "phone",
    "weight_kg",
    "weight_measured",
    "allergies",
)


class PatientDialog(RecordDialog[Patient]):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        today: date,
        save: Callable[[Patient], object],
        patient: PatientRow | None = None,
    ) -> None:
        super().__init__(parent, save=save)
        self.setWindowTitle(self.tr("Edit patient") if patient else self.tr("New patient"))
        self._today = today
        #: What is stored (an edit keeps what the dialog does not show, e.g. archived).
        self._base = patient.patient if patient else None
        self._ref = patient.patient.ref if patient else ""

        self.name = line_edit(Patient, "name")
        self.dob = line_edit(Patient, "date_of_birth")
        self.dob.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.dob.setMaxLength(10)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        for sex in SEXES:
            self.sex.addItem(self.tr(SEX_LABELS[sex]), sex)
        self.sex.setCurrentIndex(self.sex.findData("unknown"))
        self.sex.setToolTip(self.tr("For the pregnancy check on the monitoring sheet"))
        self.record_number = line_edit(Patient, "record_number")
        self.record_number.setPlaceholderText(self.tr("leave blank to number automatically"))
        self.phone = line_edit(Patient, "phone")
        self.phone.setPlaceholderText(self.tr("for the call the day before"))
        self.weight = number_edit(Patient, "weight_kg", decimals=1)
        self.weight.setPlaceholderText(self.tr("kg (empty: not recorded)"))
        self.weight.textEdited.connect(self._weight_typed)
        self.weighed_on = calendar_field(
            None, "weight_measured", name=self.tr("Weighed on"), latest=today, optional=True
        )
        self.weighed_on.edit.setToolTip(
            self.tr("The day the weight was measured (typing a new weight makes it today)")
        )
        self.weighed_on.edit.textEdited.connect(self._weighed_on_typed)
        self._weighed_on_touched = False
        self.allergies = AllergiesField()
        self.escort_name = line_edit(Escort, "name")
        self.escort_name.setObjectName("escort_name")
        self.escort_phone = line_edit(Escort, "phone")
        self.escort_phone.setObjectName("escort_phone")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)

        form = QFormLayout()
        self.add_row(form, self.tr("&Name:"), self.name, "name")
        self.add_row(form, self.tr("&Date of birth:"), self.dob, "date_of_birth")
        self.add_row(form, self.tr("Se&x:"), self.sex, "sex")
        self.add_row(form, self.tr("&Record number:"), self.record_number, "record_number")
        self.add_row(form, self.tr("Patient p&hone:"), self.phone, "phone")
        self.add_row(form, self.tr("&Weight (kg):"), self.weight, "weight_kg")
        self.add_row(form, self.tr("Wei&ghed on:"), self.weighed_on, "weight_measured")

        allergies_box = QGroupBox(self.tr("Drug allergies"))
        allergies_layout = QVBoxLayout(allergies_box)
        allergies_layout.addWidget(self.allergies)
        allergies_layout.addWidget(self.errors.label("allergies", self.allergies))

        flags_box = QGroupBox(self.tr("Exclusion flags (need a clinician's acknowledgement)"))
        flags_layout = QVBoxLayout(flags_box)
        self.flag_boxes: dict[str, QCheckBox] = {}
        for flag in PATIENT_FLAGS:
            box = QCheckBox(self.tr(FLAG_LABELS[flag]))
            box.setObjectName(f"flag_{flag}")
            box.toggled.connect(self._flags_changed)
            self.flag_boxes[flag] = box
            self.errors.watch("flags", box)
            flags_layout.addWidget(box)
        flags_layout.addWidget(self.errors.label("flags"))
        self.acknowledged_by = line_edit(Patient, "flags_acknowledged_by")
        self.acknowledged_by.setPlaceholderText(self.tr("clinician's name"))
        ack_form = QFormLayout()
        self.add_row(ack_form, self.tr("Ac&knowledged by:"), self.acknowledged_by, "flags_acknowledged_by")
        flags_layout.addLayout(ack_form)

        escort = QFormLayout()
        self.add_row(escort, self.tr("&Escort name:"), self.escort_name)
        self.add_row(escort, self.tr("Escort &phone:"), self.escort_phone, "escort")
        self.add_row(escort, self.tr("N&otes:"), self.notes, "notes")

        self.summary = QLabel()
        self.summary.setStyleSheet(f"color: {error_text_color(self.palette())};")
        self.summary.setWordWrap(True)
        self.summary.hide()

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(allergies_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(flags_box)
        right.addLayout(escort)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        if self._base is not None:
            self._fill(self._base)
        self._flags_changed()
        self.name.setFocus()

    def _fill(self, p: Patient) -> None:
        self.name.setText(p.name)
        self.dob.setText(p.date_of_birth.isoformat())
        self.sex.setCurrentIndex(max(0, self.sex.findData(p.sex)))
        self.record_number.setText(p.record_number)
        self.phone.setText(p.phone)
        self.weight.setText("" if p.weight_kg is None else f"{p.weight_kg:g}")
        self.weighed_on.setText("" if p.weight_measured is None else p.weight_measured.isoformat())
        self.allergies.set_value(p.allergies)
        for flag in p.flags:
            if flag in self.flag_boxes:
                self.flag_boxes[flag].setChecked(True)
        self.acknowledged_by.setText(p.flags_acknowledged_by)
        self.escort_name.setText(p.escort.name)
        self.escort_phone.setText(p.escort.phone)
        self.notes.setPlainText(p.notes)

    def _flags_changed(self) -> None:
        self.acknowledged_by.setEnabled(any(b.isChecked() for b in self.flag_boxes.values()))

    def _weight_typed(self, text: str) -> None:
        """A weight typed here was measured today (unless its day was typed too); no weight,
        no day."""
        if not text.strip():
            self.weighed_on.setText("")
            self._weighed_on_touched = False
        elif not self._weighed_on_touched:
            self.weighed_on.setText(self._today.isoformat())

    def _weighed_on_typed(self, _text: str) -> None:
        self._weighed_on_touched = True

    def date_of_birth(self) -> date | None:
        """The typed date of birth; raises ValueError when it is not a date."""
        text = self.dob.text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(self.tr("enter the date as YYYY-MM-DD, e.g. 1984-03-27")) from None

    def value(self) -> tuple[Patient, dict[str, str]]:
        """The patient entered, and what could not be read (a date that is not a date)."""
        found: dict[str, str] = {}
        dob: date | None = None
        try:
            dob = self.date_of_birth()
        except ValueError as exc:
            found["date_of_birth"] = str(exc)
        if dob is None and "date_of_birth" not in found:
            found["date_of_birth"] = self.tr("is required")
        weight: float | None = None
        try:
            weight = number_value(self.weight)
        except ValueError as exc:
            found["weight_kg"] = str(exc)
        if self.weighed_on.problem():
            found["weight_measured"] = self.weighed_on.problem()
        if self.allergies.problem():
            found["allergies"] = self.allergies.problem()
        flags = tuple(f for f, box in self.flag_boxes.items() if box.isChecked())
        base = self._base or Patient(ref="", name="", date_of_birth=self._today, record_number="")
        record = dataclasses.replace(
            base,
            ref=self._ref,
            name=self.name.text().strip(),
            date_of_birth=dob or self._today,
            sex=cast("Sex", self.sex.currentData()),
            record_number=self.record_number.text().strip(),
            phone=self.phone.text().strip(),
            weight_kg=weight,
            weight_measured=self.weighed_on.value(),
            allergies=self.allergies.value(),
            flags=cast("tuple[Flag, ...]", flags),
            flags_acknowledged_by=self.acknowledged_by.text().strip() if flags else "",
            escort=Escort(name=self.escort_name.text().strip(), phone=self.escort_phone.text().strip()),
            notes=self.notes.toPlainText(),
        )
        return record, found

    def check(self, record: Patient) -> dict[str, str]:
        return patient_problems(record, today=self._today, new=not self._ref)

    def problems_changed(self, still: dict[str, str]) -> None:
        self.summary.setVisible(bool(still))

    def show_problems(self, problems: dict[str, str]) -> None:
        super().show_problems(problems)
        self.summary.setText(
            self.tr("Not saved — correct the fields marked in red.") if problems else ""
        )
        self.summary.setVisible(bool(problems))
        for field in _FOCUS_ORDER:
            if field in problems:
                widget = self.findChild(QWidget, field)
                if widget is not None:
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break
