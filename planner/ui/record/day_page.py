"""The day's list: the day's sessions with the state of each record; Enter opens the record."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services.session_records import RecordSummary, day_records
from planner.ui.context import SESSIONS, AppContext
from planner.ui.pages.common import (
    ROW_ROLE,
    WARN_BRUSH,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
)
from planner.ui.record.record_dialog import open_session_record
from planner.ui.widgets.date_field import DateField

_STATE = {"none": "not started", "draft": "draft — not signed", "signed": "signed"}

COLUMNS: list[Column[RecordSummary]] = [
    Column("Time", lambda r: f"{r.start:%H:%M}"),
    Column("Chair", lambda r: r.chair),
    Column("Patient", lambda r: r.patient),
    Column("Record number", lambda r: r.record_number),
    Column("Session", lambda r: r.ref),
    Column("Status", lambda r: r.status.replace("_", "-")),
    Column(
        "Record",
        lambda r: _STATE[r.state],
        background=lambda r: WARN_BRUSH if r.state == "draft" else None,
    ),
]


class DayRecordsPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("day_records_page")
        self.ctx = ctx
        self.day = DateField(ctx.today(), name=self.tr("Day"))
        self.day.setObjectName("records_day")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        previous, following, this_day = (
            QPushButton("◀"),
            QPushButton("▶"),
            QPushButton(self.tr("&Today")),
        )
        previous.setAccessibleName(self.tr("Previous day"))
        following.setAccessibleName(self.tr("Next day"))
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        this_day.clicked.connect(lambda: self.show_day(self.ctx.today()))
        self.model: RowTableModel[RecordSummary] = RowTableModel(COLUMNS, self)
        self.view = QTableView()
        self.view.setObjectName("day_records")
        self.view.setAccessibleName(self.tr("The day's sessions and their records"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        compact_rows(self.view)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self._open)
        self.act_open = QAction(self.tr("Open session &record…"), self)
        self.act_open.triggered.connect(self.open_selected)
        self.addAction(self.act_open)
        open_button = QPushButton(self.tr("&Open record…"))
        open_button.clicked.connect(self.open_selected)
        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("&Day:")), previous, self.day, following, this_day):
            bar.addWidget(widget)
        bar.itemAt(0).widget().setBuddy(self.day)  # type: ignore[union-attr]
        bar.addStretch(1)
        bar.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        ctx.hub.changed.connect(self._on_changed)

    def menu_title(self) -> str:
        return self.tr("&Records")

    def menu_actions(self) -> list[QAction]:
        return [self.act_open]

    @Slot(object)
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if SESSIONS in kinds:
            self.request_refresh()

    def current_day(self) -> date:
        return self.day.value() or self.ctx.today()

    def show_day(self, day: date) -> None:
        self.day.setDate(day)

    def step(self, days: int) -> None:
        self.show_day(self.current_day() + timedelta(days=days))

    def refresh(self) -> None:
        self._stale = False
        self.model.set_rows(day_records(self.ctx.db, self.current_day()))

    def _open(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, RecordSummary):
            open_session_record(self, self.ctx, row.ref)

    def open_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._open(index.siblingAtColumn(0))
