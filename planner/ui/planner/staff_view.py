"""The staff view of a week: a row per staff member, their sessions per day and their load."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from planner.services.week import SessionSnapshot, StaffSnapshot, WeekSnapshot, staff_load
from planner.ui.widgets.palette import ON_LIGHT_TEXT, role_label, severity_text_color

AnyIndex = QModelIndex | QPersistentModelIndex

COL_NAME, COL_ROLES = 0, 1
FIRST_DAY = 2
COL_LOAD = FIRST_DAY + 7
#: The sessions (list of refs) in a day cell.
SessionsRole = Qt.ItemDataRole.UserRole + 1
#: The staff ref of the row.
StaffRole = Qt.ItemDataRole.UserRole + 2


def _minutes_between(a: time, b: time) -> int:
    end = 24 * 60 if b == time(0) else b.hour * 60 + b.minute
    return max(0, end - (a.hour * 60 + a.minute))


def _short(name: str) -> str:
    """"Ольга Varga" -> "Ольга V." (the tooltip has the full name and chair)."""
    words = name.split()
    return f"{words[0]} {words[-1][0]}." if len(words) > 1 else name


class StaffWeekModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._week: WeekSnapshot | None = None
        self._staff: list[StaffSnapshot] = []
        self._load: dict[str, dict[date, list[SessionSnapshot]]] = {}
        self._flagged: dict[str, str] = {}  # staff ref -> worst severity

    @property
    def week(self) -> WeekSnapshot | None:
        return self._week

    def set_week(self, week: WeekSnapshot | None) -> None:
        self.beginResetModel()
        self._week = week
        self._staff = list(week.staff) if week else []
        self._load = staff_load(week) if week else {}
        self._flagged = {}
        if week:
            for v in week.violations:
                if v.staff and self._flagged.get(v.staff) != "error":
                    self._flagged[v.staff] = v.severity
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._staff)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COL_LOAD + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == COL_NAME:
            return self.tr("Staff")
        if section == COL_ROLES:
            return self.tr("Roles")
        if section == COL_LOAD:
            return self.tr("Load")
        if FIRST_DAY <= section < COL_LOAD and self._week is not None:
            day = self._week.days[section - FIRST_DAY]
            return day.strftime("%a %d %b")
        if FIRST_DAY <= section < COL_LOAD:
            return ""
        return None

    def _available_minutes(self, member: StaffSnapshot) -> int:
        assert self._week is not None
        total = 0
        for day in self._week.days:
            if member.on_leave(day) or not self._week.is_open(day):
                continue
            total += sum(_minutes_between(a, b) for a, b in member.hours.get(day.weekday(), ()))
        return total

    def _busy_minutes(self, member: StaffSnapshot) -> int:
        """Minutes with at least one of their patients in a chair (overlaps counted once)."""
        spans = sorted(
            (s.start, s.end) for sessions in self._load.get(member.ref, {}).values() for s in sessions
        )
        total, current_start, current_end = 0, None, None
        for start, end in spans:
            if current_end is None or start > current_end:
                if current_end is not None and current_start is not None:
                    total += int((current_end - current_start).total_seconds() // 60)
                current_start, current_end = start, end
            else:
                current_end = max(current_end, end)
        if current_end is not None and current_start is not None:
            total += int((current_end - current_start).total_seconds() // 60)
        return total

    def _session_count(self, member: StaffSnapshot) -> int:
        return sum(len(v) for v in self._load.get(member.ref, {}).values())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._week is None or not (0 <= index.row() < len(self._staff)):
            return None
        member = self._staff[index.row()]
        col = index.column()
        day = self._week.days[col - FIRST_DAY] if FIRST_DAY <= col < COL_LOAD else None
        sessions = self._load.get(member.ref, {}).get(day, []) if day else []
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return member.name
            if col == COL_ROLES:
                return ", ".join(role_label(r) for r in member.roles)
            if col == COL_LOAD:
                busy, available = self._busy_minutes(member), self._available_minutes(member)
                pct = f" ({100 * busy / available:.0f}%)" if available else ""
                n = self._session_count(member)
                count = self.tr("1 session") if n == 1 else self.tr("{n} sessions").format(n=n)
                return count + "\n" + self.tr("busy {busy:.1f} h of {available:.1f} h").format(
                    busy=busy / 60, available=available / 60
                ) + pct
            if day is not None:
                lines = [f"{s.start:%H:%M} {_short(s.patient_name)}" for s in sessions]
                if member.on_leave(day):
                    lines.insert(0, self.tr("On leave"))
                elif not self._week.is_open(day) and not sessions:
                    lines.insert(0, self.tr("Closed"))
                return "\n".join(lines)
        elif role == Qt.ItemDataRole.ToolTipRole and day is not None and sessions:
            return "\n".join(
                f"{s.start:%H:%M}–{s.end:%H:%M} {s.patient_name} · {s.protocol_name} · {s.chair_name}"
                for s in sessions
            )
        elif role == Qt.ItemDataRole.BackgroundRole and day is not None:
            return self._tint(member, day, sessions)
        elif role == Qt.ItemDataRole.ForegroundRole and day is not None:
            # A tinted cell keeps dark text of its own, whatever the desktop's theme.
            return QColor(ON_LIGHT_TEXT) if self._tint(member, day, sessions) is not None else None
        elif role == Qt.ItemDataRole.ForegroundRole and col == COL_NAME:
            severity = self._flagged.get(member.ref)
            if severity:
                return QColor(severity_text_color(severity))
        elif role == SessionsRole:
            return [s.ref for s in sessions]
        elif role == StaffRole:
            return member.ref
        return None

    def _tint(self, member: StaffSnapshot, day: date, sessions: list[SessionSnapshot]) -> QColor | None:
        assert self._week is not None
        if sessions and member.on_leave(day):
            return QColor("#fde2e2")  # booked while on leave
        if member.on_leave(day) or not self._week.is_open(day):
            return QColor("#eceef1")
        if sessions:
            return QColor("#e8f1fb")
        return None

    def sessions_at(self, row: int, column: int) -> list[str]:
        value = self.data(self.index(row, column), SessionsRole)
        return list(value) if value else []


class StaffWeekView(QTableView):
    """Double-clicking a day cell opens that person's first session of the day."""

    sessionActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffView")
        self.setAccessibleName(self.tr("Staff this week"))
        self.staff_model = StaffWeekModel(self)
        self.setModel(self.staff_model)
        # One line per session: row heights then follow the line count exactly (wrapped
        # lines made Qt under-estimate a row and clip its last session).
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_ROLES, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_LOAD, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.doubleClicked.connect(self._activated)
        self.activated.connect(self._activated)

    def set_week(self, week: WeekSnapshot | None) -> None:
        self.staff_model.set_week(week)

    def _activated(self, index: QModelIndex) -> None:
        refs = self.staff_model.sessions_at(index.row(), index.column())
        if refs:
            self.sessionActivated.emit(refs[0])
