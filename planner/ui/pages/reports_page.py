"""Reports: chair utilisation, staff hours, attendance and courses over a chosen period.

The page asks the report service for a report (one read-only transaction),
then shows its chart (painted from the same data the PDF draws) and its
tables; Print / Save as PDF opens the usual preview with the report's PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.reports import REPORT_KINDS, REPORT_TITLES
from planner.reports.view import Table
from planner.services.base import ServiceError
from planner.services.reports import ReportResult, run_report
from planner.ui.context import AppContext
from planner.ui.pages.common import Column, ListPage, RowTableModel, compact_rows, tr
from planner.ui.pages.report_chart import ChartWidget
from planner.ui.widgets.date_field import DateField
from planner.ui.widgets.limits import calendar_field
from planner.ui.widgets.palette import app_palette, error_text_color, muted_text_color

Row = tuple[str, ...]
TOTAL_BRUSH = QBrush(QColor("#ececec"))
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


#: Quick choices of the period: (label, function of today -> (first, last day)).
def _four_weeks(day: date) -> tuple[date, date]:
    """This week and the three before it, Monday to Sunday."""
    monday = day - timedelta(days=day.weekday())
    return monday - timedelta(days=21), monday + timedelta(days=6)


def _month(day: date) -> tuple[date, date]:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day.replace(day=1), following - timedelta(days=1)


def _last_month(day: date) -> tuple[date, date]:
    return _month(day.replace(day=1) - timedelta(days=1))


def _year(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


PERIODS: tuple[tuple[str, Callable[[date], tuple[date, date]]], ...] = (
    ("Last 4 weeks", _four_weeks),
    ("This month", _month),
    ("Last month", _last_month),
    ("This year", _year),
)


def number_in(text: str) -> float:
    """The first number in a cell ("7.5 h", "12.3 %", "5 of 6"); -1 for none ("—")."""
    found = _NUMBER.search(text)
    return float(found.group()) if found else -1.0


def table_columns(table: Table) -> list[Column[Row]]:
    total = table.rows[-1] if table.total_row and table.rows else None

    def shade(row: Row) -> QBrush | None:
        return TOTAL_BRUSH if row is total else None

    def column(i: int, title: str) -> Column[Row]:
        numeric = i in table.numeric
        return Column(
            title,
            lambda row: row[i],
            (lambda row: number_in(row[i])) if numeric else None,
            background=shade,
            align_right=numeric,
        )

    return [column(i, title) for i, title in enumerate(table.columns)]


class ReportsPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reports_page")
        self.result: ReportResult | None = None
        self.preview: QWidget | None = None

        self.kind = QComboBox()
        self.kind.setObjectName("report_kind")
        self.kind.setAccessibleName(self.tr("Report"))
        for kind in REPORT_KINDS:
            self.kind.addItem(self.tr(REPORT_TITLES[kind]), kind)
        self.start = self._date_edit("report_from", self.tr("First day"))
        self.end = self._date_edit("report_to", self.tr("Last day"))
        self.period = QComboBox()
        self.period.setObjectName("report_period")
        self.period.setAccessibleName(self.tr("Period"))
        self.period.addItem(self.tr("Choose a period…"), -1)
        for index, (name, _span) in enumerate(PERIODS):
            self.period.addItem(self.tr(name), index)
        self.show_button = QPushButton(self.tr("&Update"))
        self.show_button.setObjectName("report_show")
        self.show_button.setAccessibleName(self.tr("Show the report"))
        self.print_button = QPushButton(self.tr("Print / save P&DF…"))
        self.print_button.setObjectName("report_print")
        self.print_button.setAccessibleName(self.tr("Print or save the report as PDF"))

        controls = QHBoxLayout()
        for label_text, widget in (
            (self.tr("Report &kind:"), self.kind),
            (self.tr("Fro&m:"), self.start),
            (self.tr("&To:"), self.end),
        ):
            label = QLabel(label_text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addWidget(self.period)
        controls.addStretch(1)
        controls.addWidget(self.show_button)
        controls.addWidget(self.print_button)

        self.summary = QLabel()
        self.summary.setObjectName("report_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName(self.tr("Summary"))
        self.chart = ChartWidget()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("report_tables")
        self.tabs.setAccessibleName(self.tr("Report tables"))
        self.notes = QLabel()
        self.notes.setObjectName("report_notes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {muted_text_color(app_palette())}")
        self.tables: list[tuple[QTableView, RowTableModel[Row]]] = []

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.notes)

        today = ctx.today()
        first, last = PERIODS[0][1](today)
        self.start.setDate(first)
        self.end.setDate(last)
        self.show_button.clicked.connect(self.refresh)
        self.print_button.clicked.connect(self.print_report)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period.activated.connect(self._period_chosen)
        self.print_action = QAction(self.tr("&Print report…"), self)
        self.print_action.triggered.connect(self.print_report)
        ctx.hub.changed.connect(lambda _kinds: self.request_refresh())

    def _date_edit(self, name: str, accessible: str) -> DateField:
        return calendar_field(self.ctx.today(), name, name=accessible)

    def menu_title(self) -> str:
        return self.tr("&Reports")

    def menu_actions(self) -> list[QAction]:
        return [self.print_action]

    # -- choosing ---------------------------------------------------------------------
    def set_report(self, kind: str, first: date, last: date) -> None:
        """Show report ``kind`` over ``first``..``last`` (as if chosen by hand)."""
        self.start.setDate(first)
        self.end.setDate(last)
        index = self.kind.findData(kind)
        if index == self.kind.currentIndex():
            self.refresh()
        else:
            self.kind.setCurrentIndex(index)  # refreshes

    def _period_chosen(self, index: int) -> None:
        choice = self.period.itemData(index)
        if not isinstance(choice, int) or choice < 0:
            return
        first, last = PERIODS[choice][1](self.ctx.today())
        self.start.setDate(first)
        self.end.setDate(last)
        self.period.setCurrentIndex(0)
        self.refresh()

    # -- showing ----------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        self._stale = False
        kind = str(self.kind.currentData())
        first, last = self.start.value(), self.end.value()
        if first is None or last is None:
            self.result = None
            self._show_problem((self.start if first is None else self.end).problem())
            return
        try:
            result = run_report(self.ctx.db, kind, first, last)
        except ServiceError as exc:
            self.result = None
            self._show_problem(str(exc))
            return
        self.result = result
        view = result.view
        self.summary.setStyleSheet("")
        self.summary.setText("\n".join(view.summary))
        self.chart.set_chart(view.charts[0] if view.charts else None)
        self._show_tables(view.tables)
        self.notes.setText("\n".join(view.notes))
        self.print_button.setEnabled(True)

    def _show_problem(self, text: str) -> None:
        self.summary.setStyleSheet(f"color: {error_text_color(app_palette())};")
        self.summary.setText(text[:1].upper() + text[1:])
        self.chart.set_chart(None)
        self._show_tables(())
        self.notes.clear()
        self.print_button.setEnabled(False)

    def _show_tables(self, tables: tuple[Table, ...] | tuple[()]) -> None:
        current = self.tabs.currentIndex()
        while len(self.tables) < len(tables):
            view = QTableView()
            view.setObjectName(f"report_table_{len(self.tables)}")
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            compact_rows(view)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            model: RowTableModel[Row] = RowTableModel([], view)
            view.setModel(model)
            self.tables.append((view, model))
        self.tabs.clear()
        for (view, model), table in zip(self.tables, tables, strict=False):
            model.set_rows(())  # old rows never meet new columns
            model.set_columns(table_columns(table))
            model.set_rows(table.rows)
            view.setAccessibleName(table.title)
            self.tabs.addTab(view, table.title)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)

    def table_rows(self, title: str) -> list[Row]:
        """The rows shown under the tab ``title`` (what a person reads on screen)."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == title:
                view = self.tabs.widget(i)
                assert isinstance(view, QTableView)
                model = view.model()
                assert isinstance(model, RowTableModel)
                return model.rows()
        return []

    # -- printing ---------------------------------------------------------------------
    def print_report(self) -> None:
        from planner.services.reports import render_report
        from planner.ui.paperwork.preview_dialog import PreviewDialog

        if self.result is None:
            return
        result, now = self.result, self.ctx.clock()
        view = result.view

        def render(_draft: bool, _progress: object) -> bytes:
            return render_report(result, now=now)

        dialog = PreviewDialog(
            self,
            title=tr("{0} report — {1}").format(view.title, view.period),
            render=render,
            file_name=f"{view.kind}-{view.period.replace(' to ', '_')}.pdf",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.start()
        self.preview = dialog
