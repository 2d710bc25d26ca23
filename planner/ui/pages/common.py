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
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from planner.ui.widgets.palette import (
    ERROR_BACKGROUND,
    ON_LIGHT_TEXT,
    WARN_BACKGROUND,
    app_palette,
    error_text_color,
    muted_text_color,
)
from planner.ui.widgets.search_filter import FoldingFilterProxy

T = TypeVar("T")

#: The row object behind a line (``index.data(ROW_ROLE)``).
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: A plain, comparable value for sorting (dates as ISO text, numbers as numbers).
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2

WARN_BRUSH = QBrush(QColor(WARN_BACKGROUND))
ERROR_BRUSH = QBrush(QColor(ERROR_BACKGROUND))
MUTED_BRUSH = QBrush(QColor("#808080"))
#: Dark text for a tinted cell: the tint stays light on a dark desktop, so must its text.
ON_TINT_BRUSH = QBrush(QColor(ON_LIGHT_TEXT))

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
        if role == Qt.ItemDataRole.ForegroundRole:
            brush = column.foreground(row) if column.foreground else None
            if brush is None and column.background is not None and column.background(row) is not None:
                return ON_TINT_BRUSH
            if brush is MUTED_BRUSH:
                return QBrush(QColor(muted_text_color(app_palette())))
            return brush
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


def make_proxy(model: QAbstractTableModel, parent: QWidget | None = None) -> FoldingFilterProxy:
    """Search over every column, accents and case aside (``attach_search``); sort by ``SORT_ROLE``."""
    proxy = FoldingFilterProxy(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


class FieldErrors:
    """Red text under each input, keyed by the service's field names.

    Once shown, an error follows the user's corrections: each change to a watched input
    checks again (``live``) and clears what is now right — without raising errors on
    fields the user has not reached yet. Without a check, editing a field clears its error.
    """

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._validate: Callable[[], dict[str, str]] | None = None
        self._changed: Callable[[dict[str, str]], None] | None = None

    def label(self, field: str, *watched: QWidget) -> QLabel:
        lab = QLabel()
        lab.setObjectName(f"error_{field}")
        lab.setStyleSheet(f"color: {error_text_color(app_palette())};")
        lab.setWordWrap(True)
        lab.hide()
        self._labels[field] = lab
        for widget in watched:
            self.watch(field, widget)
        return lab

    def live(
        self,
        validate: Callable[[], dict[str, str]],
        changed: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        """Check with ``validate`` on every change; ``changed`` hears what is still shown."""
        self._validate = validate
        self._changed = changed

    def watch(self, field: str, widget: QWidget) -> None:
        """A change to ``widget`` may correct ``field``."""
        for signal in change_signals(widget):
            signal.connect(lambda *_args, f=field: self._edited(f))

    def _edited(self, field: str) -> None:
        shown = [f for f, lab in self._labels.items() if not lab.isHidden()]
        if not shown:
            return
        if self._validate is None:
            still = {f: self._labels[f].text() for f in shown if f != field}
        else:
            found = self._validate()
            still = {f: found[f] for f in shown if f in found}
        self.show(still)
        if self._changed is not None:
            self._changed(still)

    def show(self, problems: dict[str, str]) -> None:
        for field in self._labels:
            self.set(field, problems.get(field, ""))

    def set(self, field: str, message: str) -> None:
        """Show (or, with "", hide) one field's error, leaving the others as they are."""
        lab = self._labels[field]
        lab.setText(message[:1].upper() + message[1:] if message else "")
        lab.setVisible(bool(message))

    def clear(self) -> None:
        self.show({})

    def text(self, field: str) -> str:
        lab = self._labels.get(field)
        return lab.text() if lab is not None and not lab.isHidden() else ""

    def visible(self) -> dict[str, str]:
        return {f: lab.text() for f, lab in self._labels.items() if not lab.isHidden()}


def change_signals(widget: QWidget) -> list[Any]:
    """The signals that say the user changed ``widget``'s value."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QDoubleSpinBox,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QSpinBox,
    )

    from planner.ui.widgets.allergies_field import AllergiesField
    from planner.ui.widgets.date_field import DateField

    if isinstance(widget, DateField | AllergiesField):
        return [widget.edited]
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return [widget.valueChanged]
    if isinstance(widget, QAbstractButton):
        return [widget.toggled]
    if isinstance(widget, QComboBox):
        return [widget.currentIndexChanged, widget.editTextChanged]
    if isinstance(widget, QListWidget):
        model = widget.model()
        return [model.rowsInserted, model.rowsRemoved] if model is not None else []
    return []

