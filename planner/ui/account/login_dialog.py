"""Sign in at start (once any account exists), or unlock the app after idle minutes.

Unlocking asks the signed-in person's own password again; everything typed in
the open windows stays as it was.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from planner.services.account_presence import database_has_accounts
from planner.ui.context import AppContext
from planner.ui.widgets.form_dialog import FormDialog


class LoginDialog(FormDialog):
    def __init__(
        self, parent: QWidget | None, ctx: AppContext, *, locked_minutes: int | None = None
    ) -> None:
        self.locked = locked_minutes is not None
        super().__init__(
            parent,
            self.tr("Locked") if self.locked else self.tr("Sign in"),
            ok_text=self.tr("&Unlock") if self.locked else self.tr("&Sign in"),
            cancel_text=self.tr("&Quit"),
            width=420,
        )
        self.ctx = ctx
        self.setObjectName("unlock_dialog" if self.locked else "login_dialog")
        actor = ctx.db.actor
        self.account = QLineEdit()
        self.account.setObjectName("login_account")
        if self.locked and actor is not None:
            self.say(
                self.tr(
                    "Infusion Planner was locked after {0} minutes without use. {1}, enter "
                    "your password to go on where you left off."
                ).format(locked_minutes, actor.name)
            )
            self.account.setText(actor.name)
            self.account.setReadOnly(True)
        else:
            self.say(self.tr("This database has user accounts: sign in to go on."))
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("&Account:"), self.account)
        self.form.addRow(self.tr("&Password:"), self.password)
        (self.password if self.locked else self.account).setFocus()

    def save(self) -> bool:
        return self.sign_in()

    def sign_in(self) -> bool:
        from planner.services import accounts  # argon2 and the ORM: only when signing in

        password = self.password.text()
        self.password.clear()
        if self.locked:
            return self.attempt(lambda: accounts.confirm_password(self.ctx.db, password))
        name = self.account.text().strip()
        return self.attempt(lambda: accounts.sign_in(self.ctx.db, name, password))


def sign_in_at_start(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """Ask for an account and password when the database has accounts; False when the person quit."""
    if not database_has_accounts(ctx.db):
        return True
    return LoginDialog(parent, ctx).exec() == QDialog.DialogCode.Accepted
