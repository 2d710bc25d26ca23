"""The audit trail: who changed what and when, filterable by patient, record and text."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services.audit import AuditRow, list_audit
from planner.ui.context import AppContext
from planner.ui.pages.common import (
    ROW_ROLE,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
    make_proxy,
    tr,
)
from planner.ui.widgets.plural import plural

A_WHEN, A_USER, A_ACTION, A_WHAT, A_REF, A_PATIENT, A_SUMMARY = range(7)
#: How many events the view shows at most (newest first).
LIMIT = 2000


def audit_columns() -> list[Column[AuditRow]]:
    return [
        Column(
            tr("When"),
            lambda e: f"{e.at:%Y-%m-%d %H:%M:%S}",
            lambda e: f"{e.at.isoformat()}#{e.id:012d}",
        ),
        Column(tr("Who"), lambda e: e.user),
        Column(tr("Action"), lambda e: e.action),
        Column(tr("What"), lambda e: e.entity),
        Column(tr("Record"), lambda e: e.ref),
        Column(tr("Patient"), lambda e: e.patient_ref),
        Column(tr("Summary"), lambda e: e.summary, tooltip=lambda e: e.summary),
    ]


def _pretty(value: dict[str, Any] | None) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) if value else "—"


class AuditPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("audit_page")
        self.model: RowTableModel[AuditRow] = RowTableModel(audit_columns(), self)
        self.proxy = make_proxy(self.model, self)

        self.patient = QLineEdit()
        self.patient.setObjectName("audit_patient")
        self.patient.setPlaceholderText(self.tr("e.g. P-0001"))
        self.record = QLineEdit()
        self.record.setObjectName("audit_record")
        self.record.setPlaceholderText(self.tr("session, course, staff… e.g. X-00012"))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("words in the summary or user"))
        refresh = QPushButton(self.tr("&Refresh"))
        refresh.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label_text, edit in (
            (self.tr("P&atient:"), self.patient),
            (self.tr("Re&cord:"), self.record),
            (self.tr("&Text:"), self.text),
        ):
            label = QLabel(label_text)
            label.setBuddy(edit)
            filters.addWidget(label)
            filters.addWidget(edit, 1)
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._debounce)
        filters.addWidget(refresh)

        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setAccessibleName(self.tr("Audit events"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(A_WHEN, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setAccessibleName(self.tr("Values before and after"))
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(
            self.tr("Choose an event to see the values before and after.")
        )
        self.count = QLabel()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._show_details)
        ctx.hub.changed.connect(lambda _kinds: self.request_refresh())
        self.request_refresh()

    def _debounce(self) -> None:
        self._timer.start()

    def filter_by(self, *, patient_ref: str = "", ref: str = "") -> None:
        """Show only the events of one patient and/or one record (e.g. from another page)."""
        self.patient.setText(patient_ref)
        self.record.setText(ref)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        self._timer.stop()
        rows = list_audit(
            self.ctx.db,
            patient_ref=self.patient.text(),
            ref=self.record.text(),
            text=self.text.text(),
            limit=LIMIT,
        )
        self.model.set_rows(rows)
        shown = plural(len(rows), self.tr("1 event"), self.tr("{n} events"))
        if len(rows) >= LIMIT:
            shown += self.tr(" (the newest {0}; narrow the filter to see older ones)").format(LIMIT)
        self.count.setText(shown)
        self._show_details()

    def _show_details(self) -> None:
        indexes = self.table.selectionModel().selectedRows()
        event = indexes[0].data(ROW_ROLE) if indexes else None
        if not isinstance(event, AuditRow):
            self.details.clear()
            return
        self.details.setPlainText(
            f"{event.summary}\n\n"
            + self.tr("Before:")
            + f"\n{_pretty(event.before)}\n\n"
            + self.tr("After:")
            + f"\n{_pretty(event.after)}"
        )
