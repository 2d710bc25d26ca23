"""Protocols: durations, spacing, dose, what they treat and the consent wording they print;
add, edit, delete an unused one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from planner.domain.records import ConsentTemplate, Protocol
from planner.domain.vocabulary import INDICATION_LABELS, INDICATIONS, Indication
from planner.services import consent_templates
from planner.services import protocols as protocol_service
from planner.services.protocols import ProtocolRow, protocol_problems
from planner.ui.context import CLINIC, AppContext
from planner.ui.mutation import attempt
from planner.ui.pages.common import Column, tr
from planner.ui.pages.record_dialog import RecordDialog
from planner.ui.pages.record_list import RecordListPage
from planner.ui.widgets.limits import double_spin_box, line_edit, spin_box


def protocol_columns() -> list[Column[ProtocolRow]]:
    return [
        Column(tr("Protocol"), lambda r: r.protocol.name),
        Column(tr("Treats"), lambda r: tr(INDICATION_LABELS[r.protocol.indication])),
        Column(
            tr("Infusions"),
            lambda r: str(r.protocol.infusions),
            lambda r: r.protocol.infusions,
            align_right=True,
        ),
        Column(
            tr("Chair time"),
            lambda r: tr("{0} + {1} + {2} min").format(
                r.protocol.prep_minutes, r.protocol.infusion_minutes, r.protocol.recovery_minutes
            ),
            lambda r: r.protocol.chair_minutes,
        ),
        Column(
            tr("Min. hours apart"),
            lambda r: f"{r.protocol.min_hours_between:g}",
            lambda r: r.protocol.min_hours_between,
            align_right=True,
        ),
        Column(
            tr("Max. per 7 days"),
            lambda r: str(r.protocol.max_per_7_days),
            lambda r: r.protocol.max_per_7_days,
            align_right=True,
        ),
        Column(
            tr("Max. gap (days)"),
            lambda r: str(r.protocol.max_gap_days),
            lambda r: r.protocol.max_gap_days,
            align_right=True,
        ),
        Column(
            tr("Dose"),
            lambda r: f"{r.protocol.dose_mg_per_kg:g} mg/kg",
            lambda r: r.protocol.dose_mg_per_kg,
        ),
        Column(tr("Consent wording"), _wording_text),
        Column(tr("Courses"), lambda r: str(r.courses), lambda r: r.courses, align_right=True),
    ]


def _wording_text(r: ProtocolRow) -> str:
    if r.protocol.consent_template is None:
        return tr("built-in ({0})").format(tr(INDICATION_LABELS[r.protocol.indication]).lower())
    return r.protocol.consent_template.name


#: field, label, suffix, decimals (0: whole numbers); the ranges are the record's.
FIELDS = (
    ("infusions", "&Infusions in a course:", "", 0),
    ("prep_minutes", "&Preparation:", " min", 0),
    ("infusion_minutes", "In&fusion:", " min", 0),
    ("recovery_minutes", "&Recovery (monitored):", " min", 0),
    ("min_hours_between", "&At least … apart:", " h", 1),
    ("max_per_7_days", "At &most … in 7 days:", "", 0),
    ("max_gap_days", "Longest &gap:", " days", 0),
    ("dose_mg_per_kg", "&Dose:", " mg/kg", 2),
)


class ProtocolDialog(RecordDialog[Protocol]):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        save: Callable[[Protocol], object],
        protocol: ProtocolRow | None = None,
        templates: Sequence[ConsentTemplate] = (),
    ) -> None:
        super().__init__(parent, save=save)
        self.setWindowTitle(self.tr("Edit protocol") if protocol else self.tr("New protocol"))
        self._base = protocol.protocol if protocol else Protocol(ref="", name="")
        self.name = line_edit(Protocol, "name", self._base.name)
        self.name.setObjectName("protocol_name")
        self.indication = QComboBox()
        self.indication.setObjectName("indication")
        for indication in INDICATIONS:
            self.indication.addItem(self.tr(INDICATION_LABELS[indication]), indication)
        self.indication.setCurrentIndex(self.indication.findData(self._base.indication))
        self.indication.setToolTip(
            self.tr("Chooses the built-in consent wording (a pain protocol never prints the "
                    "alternatives for depression)")
        )
        self.wording = QComboBox()
        self.wording.setObjectName("consent_template")
        self.wording.addItem("", None)  # the built-in wording: named after the indication
        choices = list(templates)
        if self._base.consent_template is not None and self._base.consent_template not in choices:
            choices.append(self._base.consent_template)  # its own, whatever the list says
        for template in choices:
            self.wording.addItem(template.name, template)
        if self._base.consent_template is not None:
            self.wording.setCurrentIndex(choices.index(self._base.consent_template) + 1)
        self.indication.currentIndexChanged.connect(self._name_built_in)
        self._name_built_in()
        form = QFormLayout(self)
        self.add_row(form, self.tr("&Name:"), self.name, "name")
        self.add_row(form, self.tr("&Treats:"), self.indication, "indication")
        self.add_row(form, self.tr("Consent &wording:"), self.wording, "consent_template")
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for field, text, suffix, decimals in FIELDS:
            spin: QSpinBox | QDoubleSpinBox
            if decimals:
                spin = double_spin_box(Protocol, field, decimals=decimals, suffix=self.tr(suffix))
                spin.setValue(float(getattr(self._base, field)))
            else:
                spin = spin_box(Protocol, field, suffix=self.tr(suffix))
                spin.setValue(int(getattr(self._base, field)))
            self.spins[field] = spin
            self.add_row(form, self.tr(text), spin, field)
        form.addRow(self.buttons)

    def _name_built_in(self) -> None:
        indication = self.tr(INDICATION_LABELS[self.indication.currentData()]).lower()
        self.wording.setItemText(
            0, self.tr("The built-in wording for {indication}").format(indication=indication)
        )

    def value(self) -> tuple[Protocol, dict[str, str]]:
        values: dict[str, float | int] = {f: s.value() for f, s in self.spins.items()}
        record = dataclasses.replace(
            self._base,
            name=self.name.text().strip(),
            indication=cast("Indication", self.indication.currentData()),
            consent_template=self.wording.currentData(),
            **values,  # type: ignore[arg-type]
        )
        return record, {}

    def check(self, record: Protocol) -> dict[str, str]:
        return protocol_problems(record, new=not record.ref)


class ProtocolsPanel(RecordListPage[ProtocolRow]):
    listens_to = frozenset({CLINIC})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            protocol_columns(),
            table_name="protocols_table",
            table_label=tr("Protocols"),
            parent=parent,
        )
        self.act_new: QAction = self.action(
            self.tr("New &protocol…"), self.tr("Ctrl+Shift+R"), self.new_protocol
        )
        self.lay_out(
            [
                self.push_button(self.tr("&New protocol…"), self.new_protocol),
                self.push_button(self.tr("E&dit…"), self.edit_selected),
                self.push_button(self.tr("De&lete"), self.delete_selected),
            ]
        )
        self.request_refresh()

    def load_rows(self) -> list[ProtocolRow]:
        return protocol_service.list_protocols(self.ctx.db)

    def ref_of(self, row: ProtocolRow) -> str:
        return row.protocol.ref

    def _templates(self) -> list[ConsentTemplate]:
        """The clinic's own consent wordings a protocol may print."""
        return [row.template for row in consent_templates.list_templates(self.ctx.db)]

    def new_protocol(self) -> ProtocolDialog:
        templates = self._templates()
        return self.open_new(
            Protocol,
            lambda save: ProtocolDialog(self, save=save, templates=templates),
            lambda p: protocol_service.create_protocol(self.ctx.db, p),
            {CLINIC},
        )

    def edit_selected(self) -> ProtocolDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        templates = self._templates()
        return self.open_edit(
            Protocol,
            chosen.protocol.ref,
            lambda save: ProtocolDialog(self, protocol=chosen, save=save, templates=templates),
            lambda p: protocol_service.update_protocol(
                self.ctx.db, p, expected_version=chosen.version
            ),
            {CLINIC},
        )

    def delete_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete protocol"),
            self.tr("Delete the protocol {0}?").format(chosen.protocol.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        attempt(
            self.ctx,
            self,
            lambda: protocol_service.delete_protocol(self.ctx.db, chosen.protocol.ref),
            {CLINIC},
        )
