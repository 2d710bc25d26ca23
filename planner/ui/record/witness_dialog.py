"""A second person confirms one controlled-substance entry with their PIN.

The entry is shown in words; the witness picks their account and types their
PIN. A wrong PIN is counted (the PIN locks after the policy's attempts); the
confirmation is good for this entry only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.accounts import ACCOUNT_ROLE_LABELS, may
from planner.services import accounts
from planner.services.accounts import WitnessSeal
from planner.services.base import ServiceError
from planner.ui.context import AppContext


class WitnessDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext, statement: str) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        self.setObjectName("witness_dialog")
        self.setWindowTitle(self.tr("Witness"))
        self.ctx = ctx
        self.statement = statement
        self.seal: WitnessSeal | None = None
        me = ctx.db.actor.name if ctx.db.actor else None
        what = QLabel(self.tr("The witness confirms:") + f"<br><b>{statement}</b>")
        what.setWordWrap(True)
        self.account = QComboBox()
        self.account.setObjectName("witness_account")
        for a in accounts.list_accounts(ctx.db):
            if a.active and a.has_pin and a.name != me and may(a.role, "witness"):
                self.account.addItem(f"{a.name} ({ACCOUNT_ROLE_LABELS[a.role]})", a.name)
        self.pin = QLineEdit()
        self.pin.setObjectName("witness_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.error = QLabel()
        self.error.setObjectName("witness_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        if self.account.count() == 0:
            self.error.setText(
                self.tr("No one else can witness: a witness needs an account with a PIN.")
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Confirm"))
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Witness:"), self.account)
        form.addRow(self.tr("&PIN:"), self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm(self) -> bool:
        name = self.account.currentData()
        if not name:
            return False
        try:
            self.seal = accounts.witness(
                self.ctx.db, str(name), self.pin.text(), self.statement, clock=self.ctx.clock
            )
        except ServiceError as exc:
            self.pin.clear()
            text = str(exc)
            self.error.setText(text[:1].upper() + text[1:])
            return False
        self.accept()
        return True
