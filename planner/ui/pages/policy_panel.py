"""Clinic policy numbers (DOMAIN.md defaults): concurrent limits, alert thresholds, fasting, vitals,
what the monitoring sheet and the consent form print, and the clinic's time zone.

Every spin box takes its range and every text box its length from the ``Policy``
record, so the panel offers what the service and a clinic document accept. The
panel only collects: the Clinic page saves it together with the clinic's details
and opening hours.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain import ROLE_LABELS, ROLES
from planner.domain.base import field_problem, type_limits
from planner.domain.policy import PatientsPerPerson, Policy
from planner.services.clinic import settings_problems
from planner.ui.pages.common import FieldErrors
from planner.ui.widgets.limits import line_edit, range_spin_box, spin_box
from planner.ui.widgets.palette import muted_text_color

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
            ("alert_rr_above", "Respiratory rate above:", " /min"),
            ("alert_rr_below", "Respiratory rate below:", " /min"),
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
            ("discharge_min_padss", "Discharge at PADSS ≥:", ""),
            ("weight_max_age_days", "Weigh again when the weight is older than:", " days"),
            ("credential_warning_days", "Warn of expiring credentials:", " days ahead"),
            ("backups_keep", "Backups to keep:", ""),
        ),
    ),
)

#: Vitals grid columns a clinic switches on or off (BP, heart rate, RR and SpO₂ always print).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("vitals_o2_column", "O₂ given (room air / L/min)"),
    ("vitals_etco2_column", "EtCO₂ (where capnography is used)"),
    ("vitals_rhythm_column", "Heart rhythm (where an ECG is used)"),
)


def concurrent_limit_spin(role: str) -> QSpinBox:
    """The spin box of a role's patients-at-once limit (range from the policy record)."""
    return range_spin_box(type_limits(PatientsPerPerson), f"concurrent_limit.{role}")


def as_needed_lines(text: str) -> tuple[str, ...]:
    """The drugs typed, one a line (blank lines left out, spaces around a name trimmed)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class PolicyPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
        self.spins: dict[str, QSpinBox] = {}
        self.switches: dict[str, QCheckBox] = {}
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
            (left if index < 2 else right).addWidget(box)  # alerts and readiness on the left
        right.addWidget(self._sheet_box())
        right.addWidget(self._zone_box())
        for column in (left, right):
            column.addStretch(1)
            columns.addLayout(column)
        scroll = QScrollArea()
        scroll.setAccessibleName(self.tr("Clinic policy"))
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        self.defaults_button = QPushButton(self.tr("Restore &defaults"))
        self.defaults_button.setToolTip(
            self.tr("The standard values; the paper size and the time zone stay as they are")
        )
        self.defaults_button.clicked.connect(self.restore_defaults)
        buttons = QHBoxLayout()
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.errors.live(lambda: settings_problems(policy=self.value()))

    def _sheet_box(self) -> QGroupBox:
        """What the monitoring sheet and the consent form print besides the numbers."""
        box = QGroupBox(self.tr("Monitoring sheet and consent form"))
        form = QFormLayout(box)
        switches = QVBoxLayout()
        for key, text in COLUMNS:
            check = self.switches[key] = QCheckBox(self.tr(text))
            check.setObjectName(key)
            switches.addWidget(check)
        form.addRow(QLabel(self.tr("Vitals columns:")), switches)
        self.as_needed = QPlainTextEdit()
        self.as_needed.setObjectName("as_needed_drugs")
        self.as_needed.setAccessibleName(self.tr("As-needed drugs, one per line"))
        self.as_needed.setToolTip(
            self.tr("Pre-printed in the medications-given table of the monitoring sheet")
        )
        self.as_needed.setTabChangesFocus(True)
        self.as_needed.setFixedHeight(84)
        form.addRow(self._label(self.tr("As-needed drugs (one per line):"), self.as_needed), self.as_needed)
        form.addRow("", self.errors.label("as_needed_drugs", self.as_needed))
        self.crisis_phone = line_edit(Policy, "crisis_phone")
        self.crisis_phone.setPlaceholderText(self.tr("printed on the consent form"))
        form.addRow(self._label(self.tr("After-hours / crisis phone:"), self.crisis_phone), self.crisis_phone)
        form.addRow("", self.errors.label("crisis_phone", self.crisis_phone))
        return box

    def _zone_box(self) -> QGroupBox:
        """The clinic's IANA time zone, checked as it is typed."""
        from planner.interchange.ics import computer_zone_name

        box = QGroupBox(self.tr("Calendar files"))
        form = QFormLayout(box)
        self.time_zone = line_edit(Policy, "time_zone")
        self._computer_zone = computer_zone_name()
        self.time_zone.setPlaceholderText(
            self.tr("empty: this computer's zone ({zone})").format(
                zone=self._computer_zone or self.tr("unknown")
            )
        )
        self.time_zone.setToolTip(self.tr("An IANA name such as Europe/London or America/New_York"))
        zones = QCompleter(sorted(_zone_names()), self.time_zone)
        zones.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        zones.setFilterMode(Qt.MatchFlag.MatchContains)
        self.time_zone.setCompleter(zones)
        form.addRow(self._label(self.tr("Time zone:"), self.time_zone), self.time_zone)
        form.addRow("", self.errors.label("time_zone", self.time_zone))
        self.zone_check = QLabel()
        self.zone_check.setObjectName("zone_check")
        self.zone_check.setWordWrap(True)
        self.zone_check.setStyleSheet(f"color: {muted_text_color(self.palette())};")
        form.addRow("", self.zone_check)
        self.time_zone.textChanged.connect(self._check_zone)
        self._check_zone()
        return box

    def _check_zone(self) -> None:
        """Say what the typed zone is (its time and offset now), or that it is not a zone."""
        name = self.time_zone.text().strip()
        problem = field_problem(Policy, "time_zone", name)
        self.errors.set("time_zone", problem)
        if problem:
            text = ""
        elif not name:
            text = self.tr("Calendar files use this computer's zone ({zone}).").format(
                zone=self._computer_zone or self.tr("unknown")
            )
        else:
            from zoneinfo import ZoneInfo

            now = datetime.now(ZoneInfo(name))
            text = self.tr("{time} there now (UTC{offset}).").format(
                time=f"{now:%H:%M}", offset=_offset(now)
            )
        self.zone_check.setText(text)
        self.zone_check.setVisible(bool(text))

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
        for key, check in self.switches.items():
            check.setChecked(bool(getattr(policy, key)))
        self.as_needed.setPlainText("\n".join(policy.as_needed_drugs))
        self.crisis_phone.setText(policy.crisis_phone)
        self.time_zone.setText(policy.time_zone)
        self.errors.clear()

    def restore_defaults(self) -> None:
        """The standard values, keeping the paper size and the time zone as they are."""
        self.show_policy(
            dataclasses.replace(
                Policy(),
                paper_size=self._policy.paper_size,
                time_zone=self.time_zone.text().strip(),
            )
        )

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
        others |= {k: c.isChecked() for k, c in self.switches.items()}
        return dataclasses.replace(
            self._policy,
            concurrent_limit=limits,
            as_needed_drugs=as_needed_lines(self.as_needed.toPlainText()),
            crisis_phone=self.crisis_phone.text().strip(),
            time_zone=self.time_zone.text().strip(),
            **others,
        )


def _zone_names() -> set[str]:
    from zoneinfo import available_timezones

    return available_timezones()


def _offset(moment: datetime) -> str:
    """``+01:00`` / ``-05:00`` / ``+05:45`` (``±00:00`` for UTC itself)."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"
