"""Clinic policy numbers (DOMAIN.md defaults): concurrent limits, alert thresholds, fasting, vitals.

Every spin box takes its range from the ``Policy`` record, so the panel offers
what the service and a clinic document accept. The panel only collects: the
Clinic page saves it together with the clinic's details and opening hours.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain import ROLE_LABELS, ROLES
from planner.domain.base import type_limits
from planner.domain.policy import PatientsPerPerson, Policy
from planner.ui.pages.common import FieldErrors
from planner.ui.widgets.limits import range_spin_box, spin_box

#: (group title, [(policy field, label, suffix)])
GROUPS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Alert thresholds printed on the monitoring sheet",
        (
            ("alert_systolic_above", "Systolic above:", " mmHg"),
            ("alert_diastolic_above", "Diastolic above:", " mmHg"),
            ("alert_hr_above", "Heart rate above:", " /min"),
            ("alert_hr_below", "Heart rate below:", " /min"),
            ("alert_spo2_below", "SpO₂ below:", " %"),
        ),
    ),
    (
        "Readiness",
        (
            ("fasting_solids_hours", "No solids for:", " h"),
            ("fasting_clear_liquids_hours", "No clear liquids for:", " h"),
            ("no_substances_hours", "No alcohol, benzodiazepines, stimulants for:", " h"),
        ),
    ),
    (
        "Monitoring and records",
        (
            ("vitals_every_minutes_infusion", "Vitals during infusion every:", " min"),
            ("vitals_every_minutes_recovery", "Vitals during recovery every:", " min"),
            ("discharge_min_aldrete", "Discharge at modified Aldrete ≥:", ""),
            ("credential_warning_days", "Warn of expiring credentials:", " days ahead"),
            ("backups_keep", "Backups to keep:", ""),
        ),
    ),
)


def concurrent_limit_spin(role: str) -> QSpinBox:
    """The spin box of a role's patients-at-once limit (range from the policy record)."""
    return range_spin_box(type_limits(PatientsPerPerson), f"concurrent_limit.{role}")


class PolicyPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
        self.spins: dict[str, QSpinBox] = {}
        self._policy = Policy()
        inner = QWidget()
        columns = QHBoxLayout(inner)
        limits = QGroupBox(self.tr("Patients at once, per staff member"))
        limits_form = QFormLayout(limits)
        for role in ROLES:
            key = f"concurrent_limit.{role}"
            spin = self.spins[key] = concurrent_limit_spin(role)
            limits_form.addRow(self._label(self.tr(ROLE_LABELS[role]) + ":", spin), spin)
            limits_form.addRow("", self.errors.label(key, spin))
        left = QVBoxLayout()
        left.addWidget(limits)
        right = QVBoxLayout()
        for index, (title, fields) in enumerate(GROUPS):
            box = QGroupBox(self.tr(title))
            form = QFormLayout(box)
            for key, text, suffix in fields:
                spin = self.spins[key] = spin_box(Policy, key, suffix=self.tr(suffix))
                form.addRow(self._label(self.tr(text), spin), spin)
                form.addRow("", self.errors.label(key, spin))
            (left if index == 0 else right).addWidget(box)
        left.addStretch(1)
        right.addStretch(1)
        columns.addLayout(left)
        columns.addLayout(right)
        scroll = QScrollArea()
        scroll.setAccessibleName(self.tr("Clinic policy"))
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        self.defaults_button = QPushButton(self.tr("Restore &defaults"))
        self.defaults_button.clicked.connect(
            lambda: self.show_policy(dataclasses.replace(Policy(), paper_size=self._policy.paper_size))
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def show_policy(self, policy: Policy) -> None:
        self._policy = policy
        for key, spin in self.spins.items():
            if key.startswith("concurrent_limit."):
                spin.setValue(policy.limit_for(key.split(".", 1)[1]))
            else:
                spin.setValue(int(getattr(policy, key)))
        self.errors.clear()

    def value(self) -> Policy:
        """The policy shown (what the panel does not show, e.g. paper size, as it was loaded)."""
        limits = {
            k.split(".", 1)[1]: s.value()
            for k, s in self.spins.items()
            if k.startswith("concurrent_limit.")
        }
        others: dict[str, Any] = {
            k: s.value() for k, s in self.spins.items() if not k.startswith("concurrent_limit.")
        }
        return dataclasses.replace(self._policy, concurrent_limit=limits, **others)
