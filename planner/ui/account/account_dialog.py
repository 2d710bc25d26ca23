"""A new account (name, role, staff member, password typed twice), or a new password or PIN."""

from __future__ import annotations

from collections.abc import Sequence

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

from planner.domain.accounts import (
    ACCOUNT_ROLE_LABELS,
    ACCOUNT_ROLES,
    PIN_DIGITS,
    password_problem,
    pin_problem,
)
from planner.domain.records import StaffMember
from planner.services import accounts
from planner.services.base import ServiceError
from planner.ui.context import AppContext


def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _Form(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("account_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def fail(self, text: str) -> bool:
        self.error.setText(text[:1].upper() + text[1:])
        return False

    def save(self) -> bool:  # pragma: no cover - each dialog defines it
        raise NotImplementedError


class AccountDialog(_Form):
    """A new account; ``first``: the database's first account, a manager, signed in at once."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        staff: Sequence[StaffMember],
        *,
        first: bool = False,
    ) -> None:
        super().__init__(parent, self.tr("First manager") if first else self.tr("New account"))
        self.setObjectName("account_dialog")
        self.ctx, self.first = ctx, first
        if first:
            self.intro.setText(
                self.tr(
                    "Once this account exists, everyone signs in, every change is recorded with "
                    "their account, and the app locks after the policy's idle minutes. The "
                    "manager then adds an account for each person."
                )
            )
        self.name = QLineEdit()
        self.name.setObjectName("account_name")
        self.role = QComboBox()
        self.role.setObjectName("account_role")
        for role in ACCOUNT_ROLES:
            self.role.addItem(self.tr(ACCOUNT_ROLE_LABELS[role]), role)
        self.role.setEnabled(not first)
        self.staff = QComboBox()
        self.staff.setObjectName("account_staff")
        self.staff.addItem(self.tr("— not a staff member"), None)
        for member in staff:
            self.staff.addItem(member.name, member.ref)
        self.password = _secret("account_password")
        self.again = _secret("account_password_again")
        self.form.addRow(self.tr("&Name:"), self.name)
        self.form.addRow(self.tr("&Role:"), self.role)
        self.form.addRow(self.tr("Signs for &staff member:"), self.staff)
        self.form.addRow(self.tr("&Password:"), self.password)
        self.form.addRow(self.tr("Password &again:"), self.again)

    def save(self) -> bool:
        if self.password.text() != self.again.text():
            return self.fail(self.tr("the two passwords differ"))
        bad = password_problem(self.password.text())
        if bad:
            return self.fail(bad)
        name = self.name.text().strip()
        try:
            accounts.create_account(
                self.ctx.db,
                name,
                str(self.role.currentData()),
                self.password.text(),
                staff_ref=self.staff.currentData(),
            )
            if self.first:
                accounts.sign_in(self.ctx.db, name, self.password.text())
        except ServiceError as exc:
            return self.fail(str(exc))
        self.accept()
        return True


class SecretDialog(_Form):
    """A new password, or a new witnessing PIN, for ``name`` (typed twice)."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, name: str, *, pin: bool) -> None:
        what = self.tr("PIN") if pin else self.tr("password")
        super().__init__(parent, self.tr("New {0} for {1}").format(what, name))
        self.setObjectName("pin_dialog" if pin else "password_dialog")
        self.ctx, self.account, self.pin = ctx, name, pin
        if pin:
            self.intro.setText(
                self.tr(
                    "A witnessing PIN is {0} to {1} digits; a witness types it at the chair."
                ).format(*PIN_DIGITS)
            )
        self.first = _secret("secret")
        self.again = _secret("secret_again")
        if pin:
            self.first.setMaxLength(PIN_DIGITS[1])
            self.again.setMaxLength(PIN_DIGITS[1])
        self.form.addRow(self.tr("&New:"), self.first)
        self.form.addRow(self.tr("&Again:"), self.again)

    def save(self) -> bool:
        if self.first.text() != self.again.text():
            return self.fail(self.tr("the two entries differ"))
        bad = (pin_problem if self.pin else password_problem)(self.first.text())
        if bad:
            return self.fail(bad)
        try:
            if self.pin:
                accounts.set_pin(self.ctx.db, self.account, self.first.text())
            else:
                accounts.set_password(self.ctx.db, self.account, self.first.text())
        except ServiceError as exc:
            return self.fail(str(exc))
        self.accept()
        return True
