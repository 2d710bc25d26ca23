"""The violations panel: every error and warning of the shown week, click to go to the session."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services.week import SessionSnapshot, Violation, WeekSnapshot
from planner.ui.widgets.palette import severity_label, severity_text_color

AnyIndex = QModelIndex | QPersistentModelIndex

COL_SEVERITY, COL_WHEN, COL_PATIENT, COL_SESSION, COL_CODE, COL_MESSAGE = range(6)
#: The row's Violation object.
ViolationRole = Qt.ItemDataRole.UserRole + 1
#: A value to sort by (severity first, then time).
SortRole = Qt.ItemDataRole.UserRole + 2


class ViolationsModel(QAbstractTableModel):
    """Rows are (violation, its session snapshot or None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Violation, SessionSnapshot | None]] = []
        self._headers = [
            self.tr("Severity"),
            self.tr("When"),
            self.tr("Patient"),
            self.tr("Session"),
            self.tr("Rule"),
            self.tr("Problem"),
        ]

    def set_week(self, week: WeekSnapshot | None) -> None:
        self.beginResetModel()
        if week is None:
            self._rows = []
        else:
            sessions = {s.ref: s for s in week.sessions}
            self._rows = [(v, sessions.get(v.session)) for v in week.violations]
        self.endResetModel()

    def violation(self, row: int) -> Violation:
        return self._rows[row][0]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        v, s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_SEVERITY:
                return severity_label(v.severity)
            if col == COL_WHEN:
                return f"{s.start:%a %d %b %H:%M}" if s else ""
            if col == COL_PATIENT:
                return s.patient_name if s else (v.patient or "")
            if col == COL_SESSION:
                return v.session
            if col == COL_CODE:
                return v.code
            if col == COL_MESSAGE:
                return v.message
        elif role == Qt.ItemDataRole.ForegroundRole and col == COL_SEVERITY:
            return QColor(severity_text_color(v.severity))
        elif role == Qt.ItemDataRole.ToolTipRole and col == COL_MESSAGE:
            return v.message
        elif role == ViolationRole:
            return v
        elif role == SortRole:
            rank = 0 if v.severity == "error" else 1
            when = s.start.isoformat() if s else ""
            key = {
                COL_SEVERITY: f"{rank}{when}",
                COL_WHEN: when,
                COL_PATIENT: s.patient_name if s else "",
                COL_SESSION: v.session,
                COL_CODE: v.code,
                COL_MESSAGE: v.message,
            }
            return key.get(col, "")
        return None


class SeverityFilter(QSortFilterProxyModel):
    """Hides errors or warnings on request; sorts by ``SortRole``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_errors = True
        self.show_warnings = True
        self.setSortRole(SortRole)

    def set_shown(self, *, errors: bool, warnings: bool) -> None:
        self.beginFilterChange()
        self.show_errors, self.show_warnings = errors, warnings
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ViolationsModel):
            return True
        severity = model.violation(source_row).severity
        return self.show_errors if severity == "error" else self.show_warnings


class ViolationsPanel(QWidget):
    """Table of the week's violations with error/warning filters; emits the clicked session."""

    sessionClicked = Signal(str)
    #: Double-click or Enter on a row: open the session's editor.
    sessionOpened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("violationsPanel")
        self.model = ViolationsModel(self)
        self.proxy = SeverityFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("violationsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_SEVERITY, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Sized once per week (ResizeToContents would re-measure every row on each layout pass).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Problems this week"))
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(self._opened)
        open_row = QAction(self.tr("Open session"), self.table)
        open_row.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_row.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_row.triggered.connect(lambda: self._opened(self.table.currentIndex()))
        self.table.addAction(open_row)
        self.table.setToolTip(self.tr("Click a problem to see its session; double-click or Enter opens it"))
        self.errors_box = QCheckBox(self.tr("Errors"), self)
        self.warnings_box = QCheckBox(self.tr("Warnings"), self)
        for box in (self.errors_box, self.warnings_box):
            box.setChecked(True)
            box.toggled.connect(self._filter)
        self.counts = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.errors_box)
        top.addWidget(self.warnings_box)
        top.addStretch(1)
        top.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def set_week(self, week: WeekSnapshot | None) -> None:
        self.model.set_week(week)
        self.table.resizeColumnsToContents()
        errors = sum(1 for v in week.violations if v.severity == "error") if week else 0
        warnings = len(week.violations) - errors if week else 0
        self.errors_box.setText(self.tr("Errors ({n})").format(n=errors))
        self.warnings_box.setText(self.tr("Warnings ({n})").format(n=warnings))
        self.counts.setText("" if (errors or warnings) else self.tr("No problems this week"))

    def _filter(self) -> None:
        self.proxy.set_shown(
            errors=self.errors_box.isChecked(), warnings=self.warnings_box.isChecked()
        )

    def _clicked(self, index: QModelIndex) -> None:
        v = index.data(ViolationRole)
        if isinstance(v, Violation):
            self.sessionClicked.emit(v.session)

    def _opened(self, index: QModelIndex) -> None:
        v = index.data(ViolationRole) if index.isValid() else None
        if isinstance(v, Violation):
            self.sessionOpened.emit(v.session)
