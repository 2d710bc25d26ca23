"""Add/edit a patient: every problem is shown next to its field; nothing is saved until all is well.

The dialog collects a ``PatientInput`` and hands it to the ``save`` callable it
was given (the page's service call); a ``ValidationFailed`` keeps it open with
the messages beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain import FLAG_LABELS, PATIENT_FLAGS
from planner.services.patients import PatientInput, PatientRow, validate_patient
from planner.ui.pages.common import FieldErrors, save_or_show
from planner.ui.widgets.palette import error_text_color


class PatientDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        today: date,
        save: Callable[[PatientInput], object],
        patient: PatientRow | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._save = save
        self.setWindowTitle(self.tr("Edit patient") if patient else self.tr("New patient"))
        self.errors = FieldErrors()

        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.dob = QLineEdit()
        self.dob.setObjectName("date_of_birth")
        self.dob.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.dob.setMaxLength(10)
        self.record_number = QLineEdit()
        self.record_number.setObjectName("record_number")
        self.record_number.setPlaceholderText(self.tr("leave blank to number automatically"))
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("weight_kg")
        self.weight.setRange(0, 1000)
        self.weight.setDecimals(1)
        self.weight.setSuffix(" kg")
        self.weight.setSpecialValueText(self.tr("not recorded"))
        self.escort_name = QLineEdit()
        self.escort_phone = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)

        form = QFormLayout()
        for label, widget, field in (
            (self.tr("&Name:"), self.name, "name"),
            (self.tr("&Date of birth:"), self.dob, "date_of_birth"),
            (self.tr("&Record number:"), self.record_number, "record_number"),
            (self.tr("&Weight:"), self.weight, "weight_kg"),
        ):
            form.addRow(self._buddy(label, widget), widget)
            form.addRow("", self.errors.label(field, widget))

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
        self.acknowledged_by = QLineEdit()
        self.acknowledged_by.setObjectName("flags_acknowledged_by")
        self.acknowledged_by.setPlaceholderText(self.tr("clinician's name"))
        ack_form = QFormLayout()
        ack_form.addRow(
            self._buddy(self.tr("Ac&knowledged by:"), self.acknowledged_by), self.acknowledged_by
        )
        flags_layout.addLayout(ack_form)

        escort = QFormLayout()
        escort.addRow(self._buddy(self.tr("&Escort name:"), self.escort_name), self.escort_name)
        escort.addRow(self._buddy(self.tr("Escort &phone:"), self.escort_phone), self.escort_phone)
        escort.addRow(self._buddy(self.tr("N&otes:"), self.notes), self.notes)

        self.summary = QLabel()
        self.summary.setStyleSheet(f"color: {error_text_color(self.palette())};")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(flags_box)
        layout.addLayout(escort)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        if patient is not None:
            self._fill(patient)
        self._flags_changed()
        self.errors.live(self.problems, lambda still: self.summary.setVisible(bool(still)))
        self.name.setFocus()

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _fill(self, p: PatientRow) -> None:
        self.name.setText(p.name)
        self.dob.setText(p.date_of_birth.isoformat())
        self.record_number.setText(p.record_number)
        self.weight.setValue(p.weight_kg or 0)
        for flag in p.flags:
            if flag in self.flag_boxes:
                self.flag_boxes[flag].setChecked(True)
        self.acknowledged_by.setText(p.flags_acknowledged_by)
        self.escort_name.setText(p.escort_name)
        self.escort_phone.setText(p.escort_phone)
        self.notes.setPlainText(p.notes)

    def _flags_changed(self) -> None:
        self.acknowledged_by.setEnabled(any(b.isChecked() for b in self.flag_boxes.values()))

    def date_of_birth(self) -> date | None:
        """The typed date of birth; raises ValueError when it is not a date."""
        text = self.dob.text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(self.tr("enter the date as YYYY-MM-DD, e.g. 1984-03-27")) from None

    def value(self) -> PatientInput:
        """What the user entered, as the service's input (an unreadable date counts as none)."""
        try:
            dob = self.date_of_birth()
        except ValueError:
            dob = None
        flags = tuple(f for f, box in self.flag_boxes.items() if box.isChecked())
        return PatientInput(
            name=self.name.text(),
            date_of_birth=dob,
            record_number=self.record_number.text().strip(),
            weight_kg=self.weight.value() or None,
            flags=flags,
            flags_acknowledged_by=self.acknowledged_by.text() if flags else "",
            escort_name=self.escort_name.text(),
            escort_phone=self.escort_phone.text(),
            notes=self.notes.toPlainText(),
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        self.errors.show(problems)
        self.summary.setText(
            self.tr("Not saved — correct the fields marked in red.") if problems else ""
        )
        self.summary.setVisible(bool(problems))
        for field in ("name", "date_of_birth", "record_number", "weight_kg"):
            if field in problems:
                widget = self.findChild(QWidget, field)
                if widget is not None:
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def problems(self) -> dict[str, str]:
        """What is wrong with the fields as they are (empty when they can be saved)."""
        problems = validate_patient(self.value(), today=self._today)
        try:
            self.date_of_birth()
        except ValueError as exc:
            problems["date_of_birth"] = str(exc)
        return problems

    def try_save(self) -> None:
        data = self.value()
        save_or_show(self, self.problems(), lambda: self._save(data), self.show_problems)
