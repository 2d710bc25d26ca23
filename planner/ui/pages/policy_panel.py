"""Clinic policy numbers (DOMAIN.md defaults): concurrent limits, alert thresholds, fasting, vitals."""

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
from planner.domain.policy import Policy
from planner.services import clinic_settings as settings_service
from planner.services.base import ServiceError, ValidationFailed
from planner.ui.context import CLINIC, AppContext
from planner.ui.pages.common import FieldErrors, show_error

#: (group title, [(policy field, label, min, max, suffix)])
_GROUPS: tuple[tuple[str, tuple[tuple[str, str, int, int, str], ...]], ...] = (
    (
        "Alert thresholds printed on the monitoring sheet",
        (
            ("alert_systolic_above", "Systolic above:", 60, 300, " mmHg"),
            ("alert_diastolic_above", "Diastolic above:", 30, 200, " mmHg"),
            ("alert_hr_above", "Heart rate above:", 40, 250, " /min"),
            ("alert_hr_below", "Heart rate below:", 20, 120, " /min"),
            ("alert_spo2_below", "SpO₂ below:", 50, 100, " %"),
        ),
    ),
    (
        "Readiness",
        (
            ("fasting_solids_hours", "No solids for:", 0, 24, " h"),
            ("fasting_clear_liquids_hours", "No clear liquids for:", 0, 24, " h"),
            ("no_substances_hours", "No alcohol, benzodiazepines, stimulants for:", 0, 168, " h"),
        ),
    ),
    (
        "Monitoring and records",
        (
            ("vitals_every_minutes_infusion", "Vitals during infusion every:", 1, 120, " min"),
            ("vitals_every_minutes_recovery", "Vitals during recovery every:", 1, 120, " min"),
            ("discharge_min_aldrete", "Discharge at modified Aldrete ≥:", 0, 10, ""),
            ("credential_warning_days", "Warn of expiring credentials:", 0, 365, " days ahead"),
            ("backups_keep", "Backups to keep:", 1, 1000, ""),
        ),
    ),
)


class PolicyPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.spins: dict[str, QSpinBox] = {}
        inner = QWidget()
        columns = QHBoxLayout(inner)
        limits = QGroupBox(self.tr("Patients at once, per staff member"))
        limits_form = QFormLayout(limits)
        for role in ROLES:
            spin = self._spin(f"concurrent_limit.{role}", 1, 20, "")
            limits_form.addRow(self._label(self.tr(ROLE_LABELS[role]) + ":", spin), spin)
            limits_form.addRow("", self.errors.label(f"concurrent_limit.{role}", spin))
        left = QVBoxLayout()
        left.addWidget(limits)
        right = QVBoxLayout()
        for index, (title, fields) in enumerate(_GROUPS):
            box = QGroupBox(self.tr(title))
            form = QFormLayout(box)
            for key, text, low, high, suffix in fields:
                spin = self._spin(key, low, high, suffix)
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
        self.save_button = QPushButton(self.tr("&Save policy"))
        self.save_button.clicked.connect(self.save)
        self.defaults_button = QPushButton(self.tr("Restore &defaults"))
        self.defaults_button.clicked.connect(lambda: self.show_policy(Policy()))
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.load()

    def _spin(self, key: str, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(key)
        spin.setRange(low, high)
        spin.setSuffix(self.tr(suffix))
        self.spins[key] = spin
        return spin

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def load(self) -> None:
        self.show_policy(settings_service.get_policy(self.ctx.db))

    def show_policy(self, policy: Policy) -> None:
        self._policy = policy
        for key, spin in self.spins.items():
            if key.startswith("concurrent_limit."):
                spin.setValue(policy.limit_for(key.split(".", 1)[1]))
            else:
                spin.setValue(int(getattr(policy, key)))
        self.errors.clear()

    def value(self) -> Policy:
        limits = {
            k.split(".", 1)[1]: s.value()
            for k, s in self.spins.items()
            if k.startswith("concurrent_limit.")
        }
        others: dict[str, Any] = {
            k: s.value() for k, s in self.spins.items() if not k.startswith("concurrent_limit.")
        }
        return dataclasses.replace(self._policy, concurrent_limit=limits, **others)

    def save(self) -> bool:
        try:
            current = settings_service.get_policy(self.ctx.db)
            policy = dataclasses.replace(
                self.value(),
                paper_size=current.paper_size,
            )
            settings_service.set_policy(self.ctx.db, policy)
        except ValidationFailed as exc:
            self.errors.show(exc.fields)
            return False
        except ServiceError as exc:
            show_error(self, exc)
            return False
        self.status.setText(self.tr("Saved."))
        self.ctx.hub.notify({CLINIC})
        return True
