"""A second person confirms one controlled-substance entry with their PIN.

The entry is shown in words; the witness picks their account and types their
PIN. A wrong PIN is counted (the PIN locks after the policy's attempts); the
confirmation is good for this entry only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.domain.accounts import ACCOUNT_ROLE_LABELS, may
from planner.services import accounts
from planner.services.accounts import WitnessSeal
from planner.ui.context import AppContext
from planner.ui.widgets.form_dialog import FormDialog


class WitnessDialog(FormDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext, statement: str) -> None:
        super().__init__(parent, self.tr("Witness"), ok_text=self.tr("&Confirm"))
        self.setObjectName("witness_dialog")
        self.ctx = ctx
        self.statement = statement
        self.seal: WitnessSeal | None = None
        me = ctx.db.actor.name if ctx.db.actor else None
        self.say(self.tr("The witness confirms:") + f"<br><b>{statement}</b>")
        self.account = QComboBox()
        self.account.setObjectName("witness_account")
        for a in accounts.list_accounts(ctx.db):
            if a.active and a.has_pin and a.name != me and may(a.role, "witness"):
                self.account.addItem(f"{a.name} ({ACCOUNT_ROLE_LABELS[a.role]})", a.name)
        self.pin = QLineEdit()
        self.pin.setObjectName("witness_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        if self.account.count() == 0:
            self.fail(self.tr("No one else can witness: a witness needs an account with a PIN."))
        self.form.addRow(self.tr("&Witness:"), self.account)
        self.form.addRow(self.tr("&PIN:"), self.pin)
        self.pin.setFocus()

    def save(self) -> bool:
        return self.confirm()

    def confirm(self) -> bool:
        name = self.account.currentData()
        if not name:
            return False
        pin = self.pin.text()
        self.pin.clear()

        def witness() -> None:
            self.seal = accounts.witness(
                self.ctx.db, str(name), pin, self.statement, clock=self.ctx.clock
            )

        return self.attempt(witness)
