"""The record's two forms: check-in before the line goes in, and discharge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from planner.domain.base import limits
from planner.domain.chart import (
    DISCHARGE_CRITERIA,
    DISCHARGE_LABELS,
    PREGNANCY_LABELS,
    PREGNANCY_RESULTS,
    Checks,
    Discharge,
)
from planner.domain.records import StaffMember
from planner.ui.record.cells import fmt_clock, on_day, read_clock, staff_combo


class FormProblem(ValueError):
    """A field of a form that cannot be read (its widget gets the focus)."""

    def __init__(self, widget: QWidget, message: str) -> None:
        super().__init__(message)
        self.widget = widget


class ClockField(QWidget):
    """``HH:MM`` typed in, with a Now button."""

    def __init__(
        self, now: Callable[[], datetime], name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText("HH:MM")
        self.edit.setMaxLength(5)
        self.edit.setFixedWidth(70)
        button = QPushButton(self.tr("Now"))
        button.clicked.connect(lambda: self.edit.setText(f"{now():%H:%M}"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(button)
        layout.addStretch(1)

    def value(self, day: date, what: str) -> datetime | None:
        try:
            return on_day(day, read_clock(self.edit.text()))
        except ValueError as exc:
            raise FormProblem(self.edit, f"{what}: {exc}") from None

    def set_value(self, value: datetime | None) -> None:
        self.edit.setText(fmt_clock(value))


class CheckInForm(QWidget):
    """Escort, fasting, substances, consent, weight today, pregnancy, allergies."""

    def __init__(
        self, *, now: Callable[[], datetime], escort: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.default_escort = escort
        self.checked_in = ClockField(now, "checked_in_at")
        self.escort_present = QCheckBox(self.tr("Escort present"))
        self.escort_name = QLineEdit()
        self.escort_name.setObjectName("escort_name")
        self.fasting = QCheckBox(self.tr("Fasting confirmed"))
        self.no_substances = QCheckBox(self.tr("No alcohol, benzodiazepines or stimulants"))
        self.consent = QCheckBox(self.tr("Consent verified for this series"))
        self.allergies = QCheckBox(self.tr("Allergies confirmed with the patient"))
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("weight_kg")
        low, high = limits(Checks, "weight_kg")[:2]
        self.weight.setRange((low or 20) - 0.1, high or 350)
        self.weight.setDecimals(1)
        self.weight.setSuffix(" kg")
        self.weight.setSpecialValueText(self.tr("not weighed today"))
        self.pregnancy = QComboBox()
        self.pregnancy.addItem(self.tr("not recorded"), None)
        for value in PREGNANCY_RESULTS:
            self.pregnancy.addItem(self.tr(PREGNANCY_LABELS[value]), value)
        form = QFormLayout(self)
        form.addRow(self.tr("Checked in at:"), self.checked_in)
        form.addRow(self.escort_present, self.escort_name)
        for box in (self.fasting, self.no_substances, self.consent, self.allergies):
            form.addRow("", box)
        form.addRow(self.tr("Weight today:"), self.weight)
        form.addRow(self.tr("Pregnancy check:"), self.pregnancy)

    def load(self, checked_in: datetime | None, checks: Checks) -> None:
        self.checked_in.set_value(checked_in)
        self.escort_present.setChecked(checks.escort_present)
        self.escort_name.setText(checks.escort_name or self.default_escort)
        self.fasting.setChecked(checks.fasting_confirmed)
        self.no_substances.setChecked(checks.no_substances)
        self.consent.setChecked(checks.consent_verified)
        self.allergies.setChecked(checks.allergies_confirmed)
        self.weight.setValue(checks.weight_kg or self.weight.minimum())
        self.pregnancy.setCurrentIndex(max(self.pregnancy.findData(checks.pregnancy), 0))

    def weight_today(self) -> float | None:
        value = self.weight.value()
        return None if value <= self.weight.minimum() else round(value, 1)

    def read(self, day: date) -> tuple[datetime | None, Checks]:
        return self.checked_in.value(day, self.tr("Checked in at")), Checks(
            escort_present=self.escort_present.isChecked(),
            escort_name=self.escort_name.text().strip() if self.escort_present.isChecked() else "",
            fasting_confirmed=self.fasting.isChecked(),
            no_substances=self.no_substances.isChecked(),
            consent_verified=self.consent.isChecked(),
            weight_kg=self.weight_today(),
            pregnancy=self.pregnancy.currentData(),
            allergies_confirmed=self.allergies.isChecked(),
        )


class DischargeForm(QWidget):
    """The ketamine discharge criteria, the Aldrete score, when and by whom."""

    def __init__(
        self,
        *,
        now: Callable[[], datetime],
        staff: Sequence[StaffMember],
        me: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.staff, self.me = list(staff), me
        self.boxes = {
            name: QCheckBox(self.tr(DISCHARGE_LABELS[name])) for name in DISCHARGE_CRITERIA
        }
        for name, box in self.boxes.items():
            box.setObjectName(name)
        self.aldrete = QSpinBox()
        self.aldrete.setObjectName("aldrete")
        self.aldrete.setRange(-1, 10)
        self.aldrete.setSpecialValueText(self.tr("not scored"))
        self.at = ClockField(now, "discharged_at")
        self.by = staff_combo(self.staff, None, optional=True)
        form = QFormLayout(self)
        for box in self.boxes.values():
            form.addRow("", box)
        form.addRow(self.tr("Modified Aldrete score:"), self.aldrete)
        form.addRow(self.tr("Discharged at:"), self.at)
        form.addRow(self.tr("Discharged by:"), self.by)

    def load(self, discharge: Discharge) -> None:
        for name, box in self.boxes.items():
            box.setChecked(getattr(discharge, name))
        self.aldrete.setValue(-1 if discharge.aldrete is None else discharge.aldrete)
        self.at.set_value(discharge.at)
        chosen = discharge.by.ref if discharge.by else None
        self.by.setCurrentIndex(max(self.by.findData(chosen), 0))

    def read(self, day: date) -> Discharge:
        by = self.by.currentData()
        staff = {s.ref: s for s in self.staff}
        return Discharge(
            **{name: box.isChecked() for name, box in self.boxes.items()},
            aldrete=None if self.aldrete.value() < 0 else self.aldrete.value(),
            at=self.at.value(day, self.tr("Discharged at")),
            by=staff.get(by) if by else None,
        )
