"""Small building blocks shared by the pages: a row-list table model, field errors, tr().

Views never query: a page asks a service for snapshots and hands them to a
``RowTableModel`` (one per list, with column constants in the page's module).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import QLabel, QTableView, QWidget

T = TypeVar("T")

#: The row object behind a line (``index.data(ROW_ROLE)``).
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: A plain, comparable value for sorting (dates as ISO text, numbers as numbers).
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2

WARN_BRUSH = QBrush(QColor("#fff1c2"))
ERROR_BRUSH = QBrush(QColor("#ffd6d6"))
MUTED_BRUSH = QBrush(QColor("#808080"))

AnyIndex = QModelIndex | QPersistentModelIndex


def tr(text: str, context: str = "Pages") -> str:
    """Translate ``text`` (module-level strings; widgets use ``self.tr``)."""
    return QCoreApplication.translate(context, text)


def fmt_date(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%a %Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    background: Callable[[T], QBrush | None] | None = None
    foreground: Callable[[T], QBrush | None] | None = None
    tooltip: Callable[[T], str] | None = None
    align_right: bool = False


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of frozen snapshots."""

    def __init__(self, columns: Sequence[Column[T]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []

    def set_columns(self, columns: Sequence[Column[T]]) -> None:
        """New column definitions (e.g. when "today" or a policy threshold changed)."""
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            value = column.sort(row) if column.sort else column.text(row).lower()
            return "" if value is None else value
        if role == Qt.ItemDataRole.BackgroundRole and column.background:
            return column.background(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            return column.foreground(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ListPage(QWidget):
    """A page that reads its data only when seen: changes while hidden just mark it stale.

    Keeps start-up and every service call cheap on a large clinic: a hidden page
    does not re-query on each change, it refreshes once when it is shown.
    """

    _stale = True

    def refresh(self) -> None:  # pragma: no cover - every page defines it
        raise NotImplementedError

    def request_refresh(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()


def compact_rows(view: QTableView) -> None:
    """Rows as tall as a line of text; no row numbers (the rows have their own keys)."""
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it


def make_proxy(model: QAbstractTableModel, parent: QWidget | None = None) -> QSortFilterProxyModel:
    """Search over every column, case-insensitive; sort by ``SORT_ROLE``."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


class FieldErrors:
    """Red text under each input, keyed by the service's field names."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def label(self, field: str) -> QLabel:
        lab = QLabel()
        lab.setObjectName(f"error_{field}")
        lab.setStyleSheet("color: #b00020;")
        lab.setWordWrap(True)
        lab.hide()
        self._labels[field] = lab
        return lab

    def show(self, problems: dict[str, str]) -> None:
        for field, lab in self._labels.items():
            message = problems.get(field, "")
            lab.setText(message[:1].upper() + message[1:] if message else "")
            lab.setVisible(bool(message))

    def clear(self) -> None:
        self.show({})

    def text(self, field: str) -> str:
        lab = self._labels.get(field)
        return lab.text() if lab is not None and not lab.isHidden() else ""

    def visible(self) -> dict[str, str]:
        return {f: lab.text() for f, lab in self._labels.items() if not lab.isHidden()}
