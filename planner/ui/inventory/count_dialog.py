"""Record a physical count of a lot: by whom, witnessed, and why it differs from the balance."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QPlainTextEdit, QWidget

from planner.domain.base import limits
from planner.domain.inventory import DrugLot, InventoryCount, count_statement, fmt_mg, to_ug
from planner.domain.records import StaffMember
from planner.services import inventory
from planner.ui.context import AppContext
from planner.ui.inventory.fields import WitnessField, date_field, day_of
from planner.ui.record.cells import staff_combo
from planner.ui.widgets.form_dialog import FormDialog


class CountDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        lots: Sequence[DrugLot],
        staff: Sequence[StaffMember],
    ) -> None:
        super().__init__(parent, self.tr("Record a count"), ok_text=self.tr("&Save"), width=520)
        self.setObjectName("count_dialog")
        self.ctx, self.lots, self.staff = ctx, list(lots), list(staff)
        me = ctx.db.actor.staff if ctx.db.actor else None
        self.lot = QComboBox()
        self.lot.setObjectName("count_lot")
        for lot in self.lots:
            self.lot.addItem(f"{lot.ref} — {lot.drug} {lot.lot_number}", lot.ref)
        self.day = date_field(ctx.today(), "count_day", self.tr("Day"))
        self.mg = QDoubleSpinBox()
        self.mg.setObjectName("count_mg")
        low, high = limits(InventoryCount, "mg")[:2]
        self.mg.setRange(low or 0, high or 1_000_000)
        self.mg.setDecimals(3)
        self.mg.setSuffix(" mg")
        self.expected = QLabel()
        self.expected.setObjectName("count_expected")
        self.by = staff_combo(self.staff, me, optional=False)
        self.by.setEnabled(me is None)
        self.witness = WitnessField(ctx, self.staff, self._statement)
        self.note = QPlainTextEdit()
        self.note.setObjectName("count_note")
        self.note.setFixedHeight(60)
        self.note.setTabChangesFocus(True)
        for label, widget in (
            (self.tr("&Lot:"), self.lot),
            (self.tr("&Day:"), self.day),
            (self.tr("&Counted:"), self.mg),
            ("", self.expected),
            (self.tr("Counted &by:"), self.by),
            (self.tr("&Witness:"), self.witness),
            (self.tr("&Note (why it differs):"), self.note),
        ):
            self.form.addRow(label, widget)
        self.lot.currentIndexChanged.connect(lambda _i: self.show_expected())
        self.day.dateChanged.connect(lambda _d: self.show_expected())
        self.mg.valueChanged.connect(lambda _v: self.show_expected())
        self.show_expected()

    def show_expected(self) -> None:
        ref, day = self.lot.currentData(), self.day.value()
        if ref is None or day is None:
            self.expected.setText("" if ref else self.tr("No lot received yet."))
            return
        expected = inventory.expected_on(self.ctx.db, str(ref), day)
        gap = to_ug(round(self.mg.value(), 3)) - expected
        text = self.tr("Balance on record at the end of that day: {0}").format(fmt_mg(expected))
        if gap:
            text += self.tr(" — the count differs by {0}: explain it in the note").format(
                fmt_mg(gap)
            )
        self.expected.setText(text)

    def count(self) -> InventoryCount:
        """The count as typed; ``ValueError`` when the day cannot be read."""
        lots = {lot.ref: lot for lot in self.lots}
        staff = {s.ref: s for s in self.staff}
        return InventoryCount(
            day=day_of(self.day, self.tr("Day")),
            lot=lots[str(self.lot.currentData())],
            mg=round(self.mg.value(), 3),
            by=staff[str(self.by.currentData())],
            witness=self.witness.witness(),
            note=self.note.toPlainText().strip(),
        )

    def _statement(self) -> str | None:
        try:
            return count_statement(self.count()) if self.lot.currentData() else None
        except ValueError:
            return None

    def save(self) -> bool:
        return self.attempt(
            lambda: inventory.record_count(
                self.ctx.db, self.count(), seals=self.witness.seals(), clock=self.ctx.clock
            )
        )
