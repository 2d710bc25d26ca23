"""The ketamine log dialogs' fields: a date, and who witnessed an entry (chosen from the staff
without accounts; confirmed with a PIN with them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from planner.domain.fields import FIRST_DAY, LAST_DAY
from planner.domain.records import StaffMember
from planner.services.accounts import WitnessSeal
from planner.ui.context import AppContext
from planner.ui.record.cells import staff_combo
from planner.ui.record.witness_dialog import WitnessDialog
from planner.ui.widgets.date_field import DateField


def date_field(day: date, name: str, label: str) -> DateField:
    field = DateField(day, name=label)
    field.setObjectName(name)
    field.set_range(FIRST_DAY, LAST_DAY)
    return field


def day_of(field: DateField, what: str) -> date:
    """The typed date; ``ValueError`` saying what is wrong when there is none."""
    value = field.value()
    if value is None:
        raise ValueError(f"{what}: {field.problem()}")
    return value


class WitnessField(QWidget):
    """``statement()`` is what the witness confirms; ``witness()`` the staff member, if any."""

    def __init__(
        self,
        ctx: AppContext,
        staff: Sequence[StaffMember],
        statement: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.staff, self.statement = ctx, list(staff), statement
        self.seal: WitnessSeal | None = None
        self.with_pin = ctx.db.actor is not None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo: QComboBox | None = None
        self.label = QLabel(self.tr("not witnessed yet"))
        self.label.setObjectName("witness_label")
        if self.with_pin:
            button = QPushButton(self.tr("&Witness…"))
            button.setObjectName("witness_button")
            button.clicked.connect(self.ask)
            layout.addWidget(self.label, 1)
            layout.addWidget(button)
        else:
            self.combo = staff_combo(self.staff, None, optional=True)
            self.combo.setObjectName("witness_combo")
            layout.addWidget(self.combo, 1)

    def ask(self) -> bool:
        text = self.statement()
        if text is None:
            self.label.setText(self.tr("fill in the entry first"))
            return False
        dialog = WitnessDialog(self, self.ctx, text)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.seal is None:
            return False
        self.seal = dialog.seal
        member = self.witness()
        self.label.setText(f"{member.name} ✓ PIN" if member else "")
        return True

    def witness(self) -> StaffMember | None:
        ref = (
            self.seal.staff_ref
            if self.with_pin and self.seal
            else (self.combo.currentData() if self.combo is not None else None)
        )
        return next((s for s in self.staff if s.ref == ref), None)

    def seals(self) -> tuple[WitnessSeal, ...]:
        return (self.seal,) if self.seal is not None else ()
