"""Protocols: durations, spacing and dose; add, edit, delete an unused one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from planner.domain.records import Protocol
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
        Column(tr("Courses"), lambda r: str(r.courses), lambda r: r.courses, align_right=True),
    ]


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
    ) -> None:
        super().__init__(parent, save=save)
        self.setWindowTitle(self.tr("Edit protocol") if protocol else self.tr("New protocol"))
        self._base = protocol.protocol if protocol else Protocol(ref="", name="")
        self.name = line_edit(Protocol, "name", self._base.name)
        self.name.setObjectName("protocol_name")
        form = QFormLayout(self)
        self.add_row(form, self.tr("&Name:"), self.name, "name")
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

    def value(self) -> tuple[Protocol, dict[str, str]]:
        values: dict[str, float | int] = {f: s.value() for f, s in self.spins.items()}
        record = dataclasses.replace(self._base, name=self.name.text().strip(), **values)  # type: ignore[arg-type]
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

    def new_protocol(self) -> ProtocolDialog:
        return self.open_new(
            Protocol,
            lambda save: ProtocolDialog(self, save=save),
            lambda p: protocol_service.create_protocol(self.ctx.db, p),
            {CLINIC},
        )

    def edit_selected(self) -> ProtocolDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        return self.open_edit(
            Protocol,
            chosen.protocol.ref,
            lambda save: ProtocolDialog(self, protocol=chosen, save=save),
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
