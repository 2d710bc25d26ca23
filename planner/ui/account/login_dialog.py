"""Sign in at start (once any account exists), or unlock the app after idle minutes.

Unlocking asks the signed-in person's own password again; everything typed in
the open windows stays as it was.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.ui.context import AppContext


class LoginDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, ctx: AppContext, *, locked_minutes: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(420)
        self.ctx = ctx
        self.locked = locked_minutes is not None
        self.setObjectName("unlock_dialog" if self.locked else "login_dialog")
        self.setWindowTitle(self.tr("Locked") if self.locked else self.tr("Sign in"))
        actor = ctx.db.actor
        intro = QLabel()
        intro.setObjectName("login_intro")
        intro.setWordWrap(True)
        self.account = QLineEdit()
        self.account.setObjectName("login_account")
        if self.locked and actor is not None:
            intro.setText(
                self.tr(
                    "Infusion Planner was locked after {0} minutes without use. {1}, enter "
                    "your password to go on where you left off."
                ).format(locked_minutes, actor.name)
            )
            self.account.setText(actor.name)
            self.account.setReadOnly(True)
        else:
            intro.setText(self.tr("This database has user accounts: sign in to go on."))
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("login_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Unlock") if self.locked else self.tr("&Sign in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Quit"))
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Account:"), self.account)
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if self.locked else self.account).setFocus()

    def sign_in(self) -> bool:
        from planner.services import accounts
        from planner.services.base import ServiceError

        try:
            if self.locked:
                accounts.confirm_password(self.ctx.db, self.password.text())
            else:
                accounts.sign_in(self.ctx.db, self.account.text().strip(), self.password.text())
        except ServiceError as exc:
            self.password.clear()
            text = str(exc)
            self.error.setText(text[:1].upper() + text[1:])
            return False
        self.accept()
        return True


def sign_in_at_start(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """Ask for an account and password when the database has accounts; False when the person quit."""
    from planner.db.mapping import has_accounts

    with ctx.db.engine.connect() as connection:
        if not has_accounts(connection):
            return True
    return LoginDialog(parent, ctx).exec() == QDialog.DialogCode.Accepted
