"""Receive a delivery of a controlled drug: what arrived, from whom, received and witnessed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from planner.domain.base import limits
from planner.domain.chart import KETAMINE
from planner.domain.inventory import DrugLot, receipt_statement
from planner.domain.records import StaffMember
from planner.services import inventory
from planner.ui.context import AppContext
from planner.ui.inventory.fields import WitnessField, date_field, day_of
from planner.ui.record.cells import staff_combo
from planner.ui.widgets.form_dialog import FormDialog


def _amount(name: str, field: str, suffix: str, decimals: int = 3) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    low, high = limits(DrugLot, field)[:2]
    spin.setRange(low or 0, high or 1000)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    return spin


class ReceiveDialog(FormDialog):
    def __init__(
        self, parent: QWidget | None, ctx: AppContext, staff: Sequence[StaffMember]
    ) -> None:
        super().__init__(parent, self.tr("Receive a delivery"), ok_text=self.tr("&Save"))
        self.setObjectName("receive_dialog")
        self.ctx, self.staff = ctx, list(staff)
        self.ref: str | None = None
        me = ctx.db.actor.staff if ctx.db.actor else None
        self.drug = QLineEdit(KETAMINE)
        self.drug.setObjectName("drug")
        self.lot_number = QLineEdit()
        self.lot_number.setObjectName("lot_number")
        self.concentration = _amount("concentration", "concentration_mg_per_ml", " mg/mL")
        self.concentration.setValue(50)
        self.ml = _amount("ml_per_vial", "ml_per_vial", " mL", 2)
        self.ml.setValue(10)
        self.vials = QSpinBox()
        self.vials.setObjectName("vials")
        low, high = limits(DrugLot, "vials")[:2]
        self.vials.setRange(int(low or 1), int(high or 10000))
        today = ctx.today()
        self.received = date_field(today, "received", self.tr("Received on"))
        self.expires = date_field(today.replace(year=today.year + 1), "expires", self.tr("Expires"))
        self.supplier = QLineEdit()
        self.invoice = QLineEdit()
        self.by = staff_combo(self.staff, me, optional=False)
        self.by.setEnabled(me is None)
        self.witness = WitnessField(ctx, self.staff, self._statement)
        for label, widget in (
            (self.tr("&Drug:"), self.drug),
            (self.tr("&Lot number:"), self.lot_number),
            (self.tr("&Concentration:"), self.concentration),
            (self.tr("mL per &vial:"), self.ml),
            (self.tr("V&ials:"), self.vials),
            (self.tr("&Received on:"), self.received),
            (self.tr("&Expires:"), self.expires),
            (self.tr("&Supplier:"), self.supplier),
            (self.tr("&Invoice:"), self.invoice),
            (self.tr("Received &by:"), self.by),
            (self.tr("&Witness:"), self.witness),
        ):
            self.form.addRow(label, widget)

    def lot(self) -> DrugLot:
        """The delivery as typed; ``ValueError`` when a date cannot be read."""
        staff = {s.ref: s for s in self.staff}
        return DrugLot(
            ref="",
            drug=self.drug.text().strip(),
            lot_number=self.lot_number.text().strip(),
            concentration_mg_per_ml=round(self.concentration.value(), 3),
            ml_per_vial=round(self.ml.value(), 2),
            vials=self.vials.value(),
            received=day_of(self.received, self.tr("Received on")),
            expires=day_of(self.expires, self.tr("Expires")),
            supplier=self.supplier.text().strip(),
            invoice=self.invoice.text().strip(),
            received_by=staff[str(self.by.currentData())],
            witness=self.witness.witness(),
        )

    def _statement(self) -> str | None:
        if not self.lot_number.text().strip():
            return None
        try:
            return receipt_statement(self.lot())
        except ValueError:
            return None

    def save(self) -> bool:
        def receive() -> None:
            self.ref = inventory.receive_lot(
                self.ctx.db, self.lot(), seals=self.witness.seals(), clock=self.ctx.clock
            )

        return self.attempt(receive)
