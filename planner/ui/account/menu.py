"""The Account menu (who is signed in, my password and PIN, Lock now) and the idle lock."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from planner.domain.accounts import ACCOUNT_ROLE_LABELS
from planner.ui.account.idle_lock import IdleLock
from planner.ui.context import AppContext


def install_accounts(window: QMainWindow, ctx: AppContext) -> IdleLock:
    """Add the Account menu to ``window`` and start watching for idle minutes."""
    lock = IdleLock(ctx, parent=window)
    menu = QMenu(window.tr("&Account"), window)
    menu.setObjectName("account_menu")
    who = menu.addAction("")
    who.setEnabled(False)
    menu.addSeparator()
    password = menu.addAction(window.tr("Change my &password…"))
    pin = menu.addAction(window.tr("Set my witnessing &PIN…"))
    menu.addSeparator()
    lock_now = menu.addAction(window.tr("&Lock now"))
    lock_now.setShortcut(QKeySequence("Ctrl+Alt+L"))
    window.addAction(lock_now)

    def update() -> None:
        actor = ctx.db.actor
        who.setText(
            window.tr("Signed in as {0} ({1})").format(actor.name, ACCOUNT_ROLE_LABELS[actor.role])
            if actor
            else window.tr("Nobody signs in (no accounts)")
        )
        for action in (password, pin, lock_now):
            action.setEnabled(actor is not None)

    def secret(is_pin: bool) -> None:
        from planner.ui.account.account_dialog import SecretDialog

        if ctx.db.actor is not None:
            SecretDialog(window, ctx, ctx.db.actor.name, pin=is_pin).exec()

    password.triggered.connect(lambda: secret(False))
    pin.triggered.connect(lambda: secret(True))

    def lock_at_once() -> None:
        if ctx.db.actor is not None and not lock.locked:
            lock.lock(lock.idle_minutes())

    lock_now.triggered.connect(lock_at_once)
    menu.aboutToShow.connect(update)
    update()
    bar = window.menuBar()
    actions = bar.actions()
    if actions:
        bar.insertMenu(actions[-1], menu)  # before Help
    else:
        bar.addMenu(menu)
    return lock
