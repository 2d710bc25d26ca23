"""Cells of the record's grids: text read as a time, a whole number or milligrams, and choices.

A cell that cannot be read is marked red with the reason as its tooltip; the
grids turn their rows into domain records only when every cell reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QTableWidget, QTableWidgetItem, QWidget

from planner.domain.records import StaffMember

INVALID = QBrush(QColor("#ffc9c9"))
ALERT = QBrush(QColor("#ffb347"))
NEEDED = QBrush(QColor("#fff1a8"))
LOCKED = QBrush(QColor("#eef0f3"))
#: Item data role holding why a cell is marked ("invalid", "alert", "needed" or "").
STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 11


class CellProblem(ValueError):
    """A cell that cannot be read: where it is and why."""

    def __init__(self, grid: QTableWidget, row: int, column: int, message: str) -> None:
        super().__init__(message)
        self.grid, self.row, self.column = grid, row, column


def read_clock(text: str) -> time | None:
    """``HH:MM`` (or ``HHMM``) as a time; empty text is None."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 4 and text.isdigit():
        text = f"{text[:2]}:{text[2:]}"
    try:
        value = time.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a time (HH:MM)") from None
    if value.second or value.microsecond:
        raise ValueError("times are to the minute (HH:MM)")
    return value


def read_whole(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def read_mg(text: str) -> float | None:
    text = text.strip().replace(",", ".").removesuffix("mg").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an amount in mg") from None


def on_day(day: date, value: time | None) -> datetime | None:
    return None if value is None else datetime.combine(day, value)


def fmt_clock(value: datetime | time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def fmt_number(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def text_item(text: str = "", *, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setBackground(LOCKED)
    return item


def mark(item: QTableWidgetItem | None, state: str, message: str = "") -> None:
    """Colour a cell for its state and say why in its tooltip."""
    if item is None:
        return
    brush = {"invalid": INVALID, "alert": ALERT, "needed": NEEDED}.get(state)
    if brush is None:
        editable = bool(item.flags() & Qt.ItemFlag.ItemIsEditable)
        item.setData(Qt.ItemDataRole.BackgroundRole, None if editable else LOCKED)
    else:
        item.setBackground(brush)
    item.setData(STATE_ROLE, state)
    item.setToolTip(message)


def cell_text(grid: QTableWidget, row: int, column: int) -> str:
    item = grid.item(row, column)
    return item.text() if item is not None else ""


def read_cell(grid: QTableWidget, row: int, column: int, reader: object) -> object:
    """The cell read by ``reader``; a ``CellProblem`` (and a red cell) when it cannot be."""
    try:
        return reader(cell_text(grid, row, column))  # type: ignore[operator]
    except ValueError as exc:
        mark(grid.item(row, column), "invalid", str(exc))
        raise CellProblem(grid, row, column, str(exc)) from None


def staff_combo(
    staff: Sequence[StaffMember],
    chosen: str | None,
    *,
    optional: bool,
    parent: QWidget | None = None,
) -> QComboBox:
    """A choice of staff member by name (data: the ref); "—" first when ``optional``."""
    combo = QComboBox(parent)
    if optional:
        combo.addItem("—", None)
    for member in staff:
        combo.addItem(member.name, member.ref)
    index = combo.findData(chosen)
    combo.setCurrentIndex(max(index, 0))
    return combo


def combo_data(grid: QTableWidget, row: int, column: int) -> object:
    widget = grid.cellWidget(row, column)
    return widget.currentData() if isinstance(widget, QComboBox) else None
