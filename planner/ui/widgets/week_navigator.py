"""Previous / Today / Next week buttons, a date picker and the week's title."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from planner.services.week import monday_of
from planner.ui.widgets.date_field import DateField


class WeekNavigator(QWidget):
    """Emits ``weekChanged(monday)``; the actions that drive it live in the page (with shortcuts)."""

    weekChanged = Signal(object)  # date (a Monday)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monday = monday_of(date.today())
        self.prev_button = QToolButton(self)
        self.today_button = QToolButton(self)
        self.next_button = QToolButton(self)
        self.picker = DateField(parent=self, name=self.tr("Go to the week of"))
        self.picker.setObjectName("weekPicker")
        self.picker.edit.setToolTip(
            self.tr("Go to the week of a date: type it as YYYY-MM-DD and press Enter (Ctrl+G)")
        )
        self.title = QLabel(self)
        self.title.setObjectName("weekTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setMinimumWidth(80)  # shrinks (clipped) before the window has to grow
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.prev_button, self.today_button, self.next_button, self.picker):
            layout.addWidget(w)
        layout.addSpacing(12)
        layout.addWidget(self.title, 1)
        self.picker.dateChosen.connect(self._picked)
        self._show()

    def set_week(self, day: date, *, emit: bool = True) -> None:
        monday = monday_of(day)
        changed = monday != self.monday
        self.monday = monday
        self._show()
        if changed and emit:
            self.weekChanged.emit(monday)

    def step(self, weeks: int) -> None:
        self.set_week(self.monday + timedelta(weeks=weeks))

    def _picked(self, value: QDate) -> None:
        self.set_week(value.toPython())  # type: ignore[arg-type]

    def _show(self) -> None:
        sunday = self.monday + timedelta(days=6)
        iso = self.monday.isocalendar()
        if self.monday.month == sunday.month:
            span = f"{self.monday:%d}–{sunday:%d %B %Y}"
        elif self.monday.year == sunday.year:
            span = f"{self.monday:%d %b} – {sunday:%d %b %Y}"
        else:
            span = f"{self.monday:%d %b %Y} – {sunday:%d %b %Y}"
        self.title.setText(self.tr("Week {week}: {span}").format(week=iso.week, span=span))
        picked = self.picker.value()
        if picked is None or monday_of(picked) != self.monday:
            self.picker.blockSignals(True)
            self.picker.setDate(self.monday)
            self.picker.blockSignals(False)
