"""A time field that steps in 5-minute increments (the planner's grid)."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget


class SnapTimeEdit(QTimeEdit):
    """Arrow keys and the wheel move the minutes by ``step`` (5 by default)."""

    def __init__(self, parent: QWidget | None = None, *, step: int = 5) -> None:
        super().__init__(parent)
        self.step = step
        self.setDisplayFormat("HH:mm")

    def stepBy(self, steps: int) -> None:
        if self.currentSection() == QDateTimeEdit.Section.MinuteSection:
            t = self.time()
            minutes = t.hour() * 60 + t.minute()
            minutes = (minutes // self.step) * self.step + steps * self.step
            minutes = max(0, min(24 * 60 - self.step, minutes))
            self.setTime(QTime(minutes // 60, minutes % 60))
            return
        super().stepBy(steps)
