"""The Ketamine log page: every lot with what it received, gave, wasted and holds, and its
latest count; receive a delivery, record a count, print the dispensing log or a count sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QBrush, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.inventory import fmt_mg
from planner.services import accounts, inventory
from planner.services.base import ServiceError
from planner.services.inventory import LotLine
from planner.ui.context import SESSIONS, AppContext
from planner.ui.inventory.count_dialog import CountDialog
from planner.ui.inventory.receive_dialog import ReceiveDialog
from planner.ui.mutation import show_error
from planner.ui.pages.common import (
    ERROR_BRUSH,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
)

INVENTORY = "inventory"


def _columns(today: date) -> list[Column[LotLine]]:
    def expired(line: LotLine) -> QBrush | None:
        return ERROR_BRUSH if line.lot.expires < today and line.balance_ug else None

    def gap(line: LotLine) -> QBrush | None:
        return ERROR_BRUSH if line.discrepancy_ug else None

    return [
        Column("Lot", lambda x: x.lot.ref),
        Column("Drug", lambda x: x.lot.drug),
        Column("Lot number", lambda x: x.lot.lot_number),
        Column(
            "Strength",
            lambda x: (
                f"{x.lot.concentration_mg_per_ml:g} mg/mL × {x.lot.ml_per_vial:g} mL × {x.lot.vials}"
            ),
        ),
        Column("Received", lambda x: f"{x.lot.received:%Y-%m-%d}"),
        Column("Expires", lambda x: f"{x.lot.expires:%Y-%m-%d}", background=expired),
        Column(
            "Received (mg)",
            lambda x: fmt_mg(x.received_ug),
            sort=lambda x: x.received_ug,
            align_right=True,
        ),
        Column("Given", lambda x: fmt_mg(x.given_ug), sort=lambda x: x.given_ug, align_right=True),
        Column(
            "Wasted", lambda x: fmt_mg(x.wasted_ug), sort=lambda x: x.wasted_ug, align_right=True
        ),
        Column(
            "Balance", lambda x: fmt_mg(x.balance_ug), sort=lambda x: x.balance_ug, align_right=True
        ),
        Column(
            "Last count",
            lambda x: (
                f"{fmt_mg(round(x.counted.mg * 1000))} on {x.counted.day:%Y-%m-%d}"
                if x.counted
                else ""
            ),
        ),
        Column(
            "Discrepancy",
            lambda x: "" if x.discrepancy_ug is None else fmt_mg(x.discrepancy_ug),
            background=gap,
            tooltip=lambda x: x.counted.note if x.counted and x.discrepancy_ug else "",
        ),
    ]


class InventoryPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inventory_page")
        self.ctx = ctx
        self.model: RowTableModel[LotLine] = RowTableModel(_columns(ctx.today()), self)
        self.view = QTableView()
        self.view.setObjectName("lots_table")
        self.view.setAccessibleName(self.tr("Lots and their balances"))
        self.view.setModel(self.model)
        compact_rows(self.view)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        intro = QLabel(
            self.tr(
                "Every milligram of a controlled drug: what each lot received, gave, wasted and "
                "should still hold. Records are kept (the app never deletes them)."
            )
        )
        intro.setWordWrap(True)
        self.act_receive = self._action(
            self.tr("&Receive a delivery…"), "Ctrl+Shift+E", self.receive
        )
        self.act_count = self._action(self.tr("Record a &count…"), "Ctrl+Shift+Y", self.count)
        self.act_log = self._action(
            self.tr("Print &dispensing log…"), "Ctrl+Shift+G", self.print_log
        )
        self.act_sheet = self._action(
            self.tr("Print count &sheet…"), "Ctrl+Shift+B", self.print_sheet
        )
        buttons = QHBoxLayout()
        for action in (self.act_receive, self.act_count, self.act_log, self.act_sheet):
            button = QPushButton(action.text())
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        ctx.hub.changed.connect(self._on_changed)

    def _action(self, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)
        return action

    def menu_title(self) -> str:
        return self.tr("&Ketamine log")

    def menu_actions(self) -> list[QAction]:
        return [self.act_receive, self.act_count, self.act_log, self.act_sheet]

    @Slot(object)
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if SESSIONS in kinds or INVENTORY in kinds:
            self.request_refresh()

    def refresh(self) -> None:
        self._stale = False
        self.model.set_rows(inventory.list_lots(self.ctx.db))

    def receive(self) -> None:
        if ReceiveDialog(self, self.ctx, accounts.staff_choices(self.ctx.db)).exec():
            self.ctx.hub.notify({INVENTORY})
            self.refresh()

    def count(self) -> None:
        lots = [line.lot for line in self.model.rows()]
        if CountDialog(self, self.ctx, lots, accounts.staff_choices(self.ctx.db)).exec():
            self.ctx.hub.notify({INVENTORY})
            self.refresh()

    def print_log(self) -> None:
        today = self.ctx.today()
        first = today.replace(day=1)
        self._preview(
            self.tr("Dispensing log — {0:%B %Y}").format(first),
            f"dispensing-log-{first:%Y-%m}.pdf",
            lambda: _log(
                self.ctx, first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            ),
        )

    def print_sheet(self) -> None:
        today = self.ctx.today()
        self._preview(
            self.tr("Count sheet — {0:%Y-%m-%d}").format(today),
            f"count-sheet-{today:%Y-%m-%d}.pdf",
            lambda: _sheet(self.ctx, today),
        )

    def _preview(self, title: str, file_name: str, render: Callable[[], bytes]) -> None:
        from planner.ui.paperwork.preview_dialog import PreviewDialog

        dialog = PreviewDialog(
            self, title=title, render=lambda _draft, _progress: render(), file_name=file_name
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        try:
            dialog.start()
        except ServiceError as exc:
            show_error(self, exc)


def _log(ctx: AppContext, first: date, last: date) -> bytes:
    from planner.services.ledger_paperwork import render_dispensing_log

    return render_dispensing_log(ctx.db, first, last, now=ctx.clock())


def _sheet(ctx: AppContext, day: date) -> bytes:
    from planner.services.ledger_paperwork import render_count_sheet

    return render_count_sheet(ctx.db, day, now=ctx.clock())
