"""The Clinic page's Accounts tab: create the first manager, then add and look after accounts.

What a role may do is decided by the services; the buttons here only say what
a manager can do.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.accounts import ACCOUNT_ROLE_LABELS, ACCOUNT_ROLES, Account
from planner.services import accounts
from planner.services.base import ServiceError
from planner.ui.account.account_dialog import AccountDialog, SecretDialog
from planner.ui.context import CLINIC, AppContext


class AccountsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accounts_panel")
        self.ctx = ctx
        self.rows: list[Account] = []
        empty = QWidget()
        intro = QLabel(
            self.tr(
                "This database has no user accounts: nobody signs in, and the audit trail names "
                "the computer's login. To know who did what — who gave and wasted ketamine, who "
                "witnessed it, who signed each record — create the first manager."
            )
        )
        intro.setWordWrap(True)
        self.create_first = QPushButton(self.tr("Create the first &manager…"))
        self.create_first.setObjectName("create_first_manager")
        self.create_first.clicked.connect(self.first_manager)
        box = QVBoxLayout(empty)
        box.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(self.create_first)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)

        listing = QWidget()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("accounts_table")
        self.table.setAccessibleName(self.tr("Accounts"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Account"),
                self.tr("Role"),
                self.tr("Staff member"),
                self.tr("PIN"),
                self.tr("State"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("&Add account…"), self.add),
            (self.tr("&Role…"), self.change_role),
            (self.tr("S&taff member…"), self.link_staff),
            (self.tr("Reset &password…"), lambda: self.secret(pin=False)),
            (self.tr("Set P&IN…"), lambda: self.secret(pin=True)),
            (self.tr("&Disable"), self.disable),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(listing)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(listing)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.refresh()

    def refresh(self) -> None:
        self.rows = accounts.list_accounts(self.ctx.db)
        self.stack.setCurrentIndex(1 if self.rows else 0)
        self.table.setRowCount(len(self.rows))
        staff = {s.ref: s.name for s in accounts.staff_choices(self.ctx.db)}
        for row, a in enumerate(self.rows):
            cells = (
                a.name,
                self.tr(ACCOUNT_ROLE_LABELS[a.role]),
                staff.get(a.staff or "", a.staff or "—"),
                self.tr("set") if a.has_pin else self.tr("none"),
                self.tr("active") if a.active else self.tr("disabled"),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def selected(self) -> Account | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _done(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except ServiceError as exc:
            QMessageBox.warning(self, self.tr("Accounts"), str(exc))
        self.refresh()
        self.ctx.hub.notify({CLINIC})

    def first_manager(self) -> None:
        dialog = AccountDialog(self, self.ctx, accounts.staff_choices(self.ctx.db), first=True)
        dialog.exec()
        self.refresh()
        self.ctx.hub.notify({CLINIC})

    def add(self) -> None:
        AccountDialog(self, self.ctx, accounts.staff_choices(self.ctx.db)).exec()
        self.refresh()

    def change_role(self) -> None:
        a = self.selected()
        if a is None:
            return
        labels = [self.tr(ACCOUNT_ROLE_LABELS[r]) for r in ACCOUNT_ROLES]
        label, ok = QInputDialog.getItem(
            self,
            self.tr("Role"),
            self.tr("Role of {0}:").format(a.name),
            labels,
            ACCOUNT_ROLES.index(a.role),
            False,
        )
        if ok:
            role = ACCOUNT_ROLES[labels.index(label)]
            self._done(lambda: accounts.set_role(self.ctx.db, a.name, role))

    def link_staff(self) -> None:
        a = self.selected()
        if a is None:
            return
        staff = accounts.staff_choices(self.ctx.db)
        names = [self.tr("— not a staff member"), *(s.name for s in staff)]
        current = next((i + 1 for i, s in enumerate(staff) if s.ref == a.staff), 0)
        name, ok = QInputDialog.getItem(
            self,
            self.tr("Staff member"),
            self.tr("{0} signs for:").format(a.name),
            names,
            current,
            False,
        )
        if ok:
            ref = next((s.ref for s in staff if s.name == name), None)
            self._done(lambda: accounts.link_staff(self.ctx.db, a.name, ref))

    def secret(self, *, pin: bool) -> None:
        a = self.selected()
        if a is not None:
            SecretDialog(self, self.ctx, a.name, pin=pin).exec()
            self.refresh()

    def disable(self) -> None:
        a = self.selected()
        if a is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Disable"),
            self.tr("Nobody will sign in as {0} any more. Go on?").format(a.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._done(lambda: accounts.disable_account(self.ctx.db, a.name))
