"""A new account (name, role, staff member, password typed twice), or a new password or PIN."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.domain.accounts import (
    ACCOUNT_ROLE_LABELS,
    ACCOUNT_ROLES,
    PIN_DIGITS,
    password_problem,
    pin_problem,
)
from planner.domain.records import StaffMember
from planner.services import accounts
from planner.ui.context import AppContext
from planner.ui.widgets.form_dialog import FormDialog


def secret_field(name: str, label: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(label)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class AccountDialog(FormDialog):
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
            self.say(
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
        self.password = secret_field("account_password", self.tr("Password"))
        self.again = secret_field("account_password_again", self.tr("Password again"))
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
        name, password = self.name.text().strip(), self.password.text()

        def create() -> None:
            accounts.create_account(
                self.ctx.db,
                name,
                str(self.role.currentData()),
                password,
                staff_ref=self.staff.currentData(),
            )
            if self.first:
                accounts.sign_in(self.ctx.db, name, password)

        return self.attempt(create)


class SecretDialog(FormDialog):
    """A new password, or a new witnessing PIN, for ``name`` (typed twice)."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, name: str, *, pin: bool) -> None:
        what = self.tr("PIN") if pin else self.tr("password")
        super().__init__(parent, self.tr("New {0} for {1}").format(what, name))
        self.setObjectName("pin_dialog" if pin else "password_dialog")
        self.ctx, self.account, self.pin = ctx, name, pin
        if pin:
            self.say(
                self.tr(
                    "A witnessing PIN is {0} to {1} digits; a witness types it at the chair."
                ).format(*PIN_DIGITS)
            )
        self.first = secret_field("secret", self.tr("New"))
        self.again = secret_field("secret_again", self.tr("Again"))
        if pin:
            self.first.setMaxLength(PIN_DIGITS[1])
            self.again.setMaxLength(PIN_DIGITS[1])
        self.form.addRow(self.tr("&New:"), self.first)
        self.form.addRow(self.tr("&Again:"), self.again)

    def save(self) -> bool:
        if self.first.text() != self.again.text():
            return self.fail(self.tr("the two entries differ"))
        secret = self.first.text()
        bad = (pin_problem if self.pin else password_problem)(secret)
        if bad:
            return self.fail(bad)
        change = accounts.set_pin if self.pin else accounts.set_password
        return self.attempt(lambda: change(self.ctx.db, self.account, secret))
