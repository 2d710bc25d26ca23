"""Staff: roles, credential expiry (expiring soon highlighted), weekly hours, leave, this week's load."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain import ROLE_LABELS, WEEKDAYS
from planner.services import staff as staff_service
from planner.services.base import ServiceError
from planner.services.clinic_settings import get_policy
from planner.services.rule_impact import BrokenSession
from planner.services.staff import StaffInput, StaffSnapshot, credential_state
from planner.ui.context import CLINIC, SESSIONS, STAFF, AppContext
from planner.ui.pages.broken_sessions import RuleImpact
from planner.ui.pages.common import (
    ERROR_BRUSH,
    MUTED_BRUSH,
    ROW_ROLE,
    WARN_BRUSH,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
    fmt_date,
    make_proxy,
    show_error,
    tr,
)
from planner.ui.pages.staff_dialog import StaffDialog
from planner.ui.widgets.search_filter import attach_search

COL_NAME, COL_ROLES, COL_CREDENTIAL, COL_HOURS, COL_LOAD, COL_LEAVE, COL_ACTIVE = range(7)


def _hours_text(m: StaffSnapshot) -> str:
    days = sorted({h.weekday for h in m.hours})
    total = sum(
        (h.end.hour * 60 + h.end.minute) - (h.start.hour * 60 + h.start.minute) for h in m.hours
    )
    if not days:
        return tr("no hours set")
    return tr("{0} h/week ({1})").format(
        f"{total / 60:g}", " ".join(WEEKDAYS[d].title() for d in days)
    )


def _load_text(m: StaffSnapshot) -> str:
    """Sessions this week and their chair time against the hours on duty."""
    text = tr("1 session · {1} of {2} h") if m.week_sessions == 1 else tr("{0} sessions · {1} of {2} h")
    return text.format(
        m.week_sessions, f"{m.week_minutes / 60:.1f}", f"{m.week_available_minutes / 60:.1f}"
    )


def staff_columns(today: date, warning_days: int) -> list[Column[StaffSnapshot]]:
    def state(m: StaffSnapshot) -> str:
        return credential_state(m.credential_expires, today, warning_days)

    def credential_text(m: StaffSnapshot) -> str:
        s = state(m)
        if s == "missing":
            return tr("not recorded")
        suffix = {"expired": tr(" — EXPIRED"), "expiring": tr(" — expires soon")}.get(s, "")
        return fmt_date(m.credential_expires) + suffix

    return [
        Column(
            tr("Name"), lambda m: m.name, foreground=lambda m: None if m.active else MUTED_BRUSH
        ),
        Column(tr("Roles"), lambda m: ", ".join(tr(ROLE_LABELS.get(r, r)) for r in m.roles)),
        Column(
            tr("Credential expires"),
            credential_text,
            lambda m: m.credential_expires.isoformat() if m.credential_expires else "0",
            background=lambda m: {
                "expired": ERROR_BRUSH,
                "expiring": WARN_BRUSH,
                "missing": WARN_BRUSH,
            }.get(state(m)),
        ),
        Column(tr("Weekly hours"), _hours_text, lambda m: len(m.hours)),
        Column(tr("This week"), _load_text, lambda m: m.week_minutes),
        Column(
            tr("Leave this week"),
            lambda m: ", ".join(d.strftime("%a") for d in m.week_leave_days),
            lambda m: len(m.week_leave_days),
        ),
        Column(tr("Active"), lambda m: tr("yes") if m.active else tr("no")),
    ]


class StaffPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.impact = RuleImpact(ctx)
        self.setObjectName("staff_page")
        self.model: RowTableModel[StaffSnapshot] = RowTableModel([], self)
        self.proxy = make_proxy(self.model, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name or role…"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Search:"))
        search_label.setBuddy(self.search)
        self.show_inactive = QCheckBox(self.tr("Show &inactive"))
        self.show_inactive.toggled.connect(self.refresh)
        self.week_label = QLabel()

        self.table = QTableView()
        self.table.setObjectName("staff_table")
        self.table.setAccessibleName(self.tr("Staff"))
        self.table.setModel(self.proxy)
        attach_search(self.search, self.proxy, self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)

        self.act_new = QAction(self.tr("New &staff member…"), self)
        self.act_new.setShortcut(QKeySequence(self.tr("Ctrl+Shift+S")))
        self.act_new.triggered.connect(self.new_staff)
        self.act_edit = QAction(self.tr("&Edit staff member…"), self)
        self.act_edit.triggered.connect(self.edit_selected)
        self.act_active = QAction(self.tr("&Deactivate or reactivate"), self)
        self.act_active.triggered.connect(self.toggle_active)
        self.btn_new = QPushButton(self.tr("&New staff member…"))
        self.btn_new.clicked.connect(self.new_staff)
        self.btn_edit = QPushButton(self.tr("E&dit…"))
        self.btn_edit.clicked.connect(self.edit_selected)
        self.btn_active = QPushButton(self.tr("De&activate"))
        self.btn_active.clicked.connect(self.toggle_active)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.show_inactive)
        buttons = QHBoxLayout()
        for b in (self.btn_new, self.btn_edit, self.btn_active):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.week_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.hub.changed.connect(self._on_changed)
        self.request_refresh()

    def menu_title(self) -> str:
        return self.tr("S&taff")

    def menu_actions(self) -> list[QAction]:
        return [self.act_new, self.act_edit, self.act_active]

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        selected = self.selected()
        today = self.ctx.today()
        policy = get_policy(self.ctx.db)
        self.model.set_columns(staff_columns(today, policy.credential_warning_days))
        self.model.set_rows(
            staff_service.list_staff(
                self.ctx.db, week_of=today, include_inactive=self.show_inactive.isChecked()
            )
        )
        monday = today - timedelta(days=today.weekday())
        self.week_label.setText(
            self.tr("Load of the week {0} – {1}").format(
                f"{monday:%d %b}", f"{monday + timedelta(days=6):%d %b %Y}"
            )
        )
        if selected is not None:
            self.select(selected.ref)
        self._update_buttons()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {STAFF, SESSIONS, CLINIC}:
            self.request_refresh()

    def selected(self) -> StaffSnapshot | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].data(ROW_ROLE)
        return row if isinstance(row, StaffSnapshot) else None

    def select(self, ref: str) -> bool:
        for row in range(self.proxy.rowCount()):
            member = self.proxy.index(row, 0).data(ROW_ROLE)
            if member is not None and member.ref == ref:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.btn_edit.setEnabled(chosen is not None)
        self.btn_active.setEnabled(chosen is not None)
        self.btn_active.setText(
            self.tr("Re&activate")
            if chosen is not None and not chosen.active
            else self.tr("De&activate")
        )
        self.act_edit.setEnabled(chosen is not None)
        self.act_active.setEnabled(chosen is not None)

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def new_staff(self) -> StaffDialog:
        created: list[str] = []

        def save(data: StaffInput) -> None:
            created.append(staff_service.create_staff(self.ctx.db, data))

        dialog = StaffDialog(self, today=self.ctx.today(), save=save)
        dialog.accepted.connect(lambda: self._saved(created[-1] if created else None))
        dialog.open()
        return dialog

    def edit_selected(self) -> StaffDialog | None:
        member = self.selected()
        if member is None:
            return None

        before: list[frozenset[BrokenSession] | None] = []

        def save(data: StaffInput) -> None:
            before.append(self.impact.before())
            staff_service.update_staff(
                self.ctx.db, member.ref, data, expected_version=member.version
            )

        dialog = StaffDialog(self, today=self.ctx.today(), save=save, member=member)
        dialog.accepted.connect(lambda: self._saved(member.ref))
        dialog.accepted.connect(lambda: self.impact.report(self, before[-1] if before else None))
        dialog.open()
        return dialog

    def _saved(self, ref: str | None) -> None:
        self.ctx.hub.notify({STAFF})
        if ref:
            self.search.clear()
            self.select(ref)

    def toggle_active(self) -> None:
        member = self.selected()
        if member is None:
            return
        before = self.impact.before()
        try:
            staff_service.set_staff_active(self.ctx.db, member.ref, not member.active)
        except ServiceError as exc:
            show_error(self, exc)
            return
        if member.active and not self.show_inactive.isChecked():
            self.show_inactive.setChecked(True)
        self.ctx.hub.notify({STAFF})
        self.impact.report(self, before)
