"""A date field that takes what is typed, as typed: ``2027-01-15`` is the 15th of January 2027.

Qt's QDateEdit edits a date section by section: typing a whole date into it can
land digits in the wrong sections, and a date beyond its range is silently
clamped (a consent typed as 2027-01-15 was saved as 2020-11-05). Here the text is
read whole, as an ISO date; what cannot be read, or lies outside the allowed
range, is refused in words under the field and never becomes a date. A calendar
button offers the same dates by mouse.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from planner.ui.widgets.palette import error_text_color

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_iso_date(text: str) -> date | None:
    """``"2027-01-15"`` → that date; None for anything else (also for "2027-02-30")."""
    m = _ISO.match(text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


#: ``date`` under another name, for the class whose ``date()`` method hides it.
Day = date


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class DateField(QWidget):
    """Typed ISO date with a calendar button; ``dateChanged(QDate)`` for each readable date.

    ``value()`` is the date or None; ``problem()`` says why there is none ("" when fine).
    ``date()`` / ``setDate()`` speak ``QDate`` like QDateEdit, for the callers that used it.
    """

    dateChanged = Signal(QDate)
    #: The text changed (readable or not): for forms that enable Save only on a good date.
    edited = Signal()
    #: A date settled on: picked from the calendar, set, or typed and confirmed (Enter, Tab).
    dateChosen = Signal(QDate)

    def __init__(
        self,
        value: Day | QDate | None = None,
        parent: QWidget | None = None,
        *,
        name: str = "",
        optional: bool = False,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.minimum: Day | None = None
        self.maximum: Day | None = None
        self.range_words = ("", "")
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.edit.setMaxLength(10)
        width = self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 24
        self.edit.setMinimumWidth(width)
        self.edit.setMaximumWidth(width + 40)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip(self.tr("Choose the date from a calendar"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.button.setMenu(menu)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.message = QLabel(self)
        self.message.setObjectName("dateFieldProblem")
        self.message.setWordWrap(True)
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(self.edit)
        # As wide as the date (and its message, when there is one): the field never takes
        # the room meant for what follows it on a line.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._last: Day | None = None
        self.edit.textChanged.connect(self._typed)
        self.edit.editingFinished.connect(self._confirmed)
        if name:
            self.set_name(name)
        if value is not None:
            self.setDate(value)

    # -- naming (a screen reader reads the field by this) ------------------------------------
    def set_name(self, name: str) -> None:
        clean = name.replace("&", "").rstrip(":")
        self.setAccessibleName(clean)
        self.edit.setAccessibleName(clean)
        self.button.setAccessibleName(self.tr("{field}: calendar").format(field=clean))

    # -- range -------------------------------------------------------------------------------
    def set_range(
        self, minimum: Day | None, maximum: Day | None, *, too_early: str = "", too_late: str = ""
    ) -> None:
        """Dates allowed (both included); the words say why a date outside is refused."""
        self.minimum, self.maximum = minimum, maximum
        self.range_words = (too_early, too_late)
        if minimum is not None:
            self.calendar.setMinimumDate(_qdate(minimum))
        if maximum is not None:
            self.calendar.setMaximumDate(_qdate(maximum))
        self._typed()

    def setMaximumDate(self, value: QDate) -> None:  # noqa: N802  (QDateEdit's name)
        latest = Day(value.year(), value.month(), value.day())
        self.set_range(self.minimum, latest, too_late=self.range_words[1])

    def setMinimumDate(self, value: QDate) -> None:  # noqa: N802
        earliest = Day(value.year(), value.month(), value.day())
        self.set_range(earliest, self.maximum, too_early=self.range_words[0])

    # -- reading ---------------------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802
        self.edit.setText(text)

    def problem(self) -> str:
        """Why the text is not an allowed date ("" when it is, or when empty and optional)."""
        text = self.edit.text().strip()
        if not text:
            return "" if self.optional else self.tr("Enter a date as YYYY-MM-DD, e.g. 2027-01-15.")
        value = parse_iso_date(text)
        if value is None:
            return self.tr("“{text}” is not a date: enter it as YYYY-MM-DD, e.g. 2027-01-15.").format(
                text=text
            )
        if self.minimum is not None and value < self.minimum:
            return self.range_words[0] or self.tr("The date cannot be before {day}.").format(
                day=self.minimum.isoformat()
            )
        if self.maximum is not None and value > self.maximum:
            return self.range_words[1] or self.tr("The date cannot be after {day}.").format(
                day=self.maximum.isoformat()
            )
        return ""

    def value(self) -> Day | None:
        """The typed date when it is readable and allowed, else None."""
        if self.problem():
            return None
        return parse_iso_date(self.edit.text())

    def date(self) -> QDate:
        """As QDateEdit: the date, or an invalid QDate when there is none."""
        value = self.value()
        return _qdate(value) if value is not None else QDate()

    def setDate(self, value: Day | QDate) -> None:  # noqa: N802
        if isinstance(value, QDate):
            value = Day(value.year(), value.month(), value.day())
        self.edit.setText(value.isoformat())
        self._confirmed()

    # -- events ----------------------------------------------------------------------------
    def _confirmed(self) -> None:
        value = self.value()
        if value is not None:
            self.dateChosen.emit(_qdate(value))

    def _picked(self, value: QDate) -> None:
        self.setDate(value)
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
        self.edit.setFocus()

    def _typed(self) -> None:
        problem = self.problem()
        shown = problem if self.edit.text().strip() or not self.optional else ""
        self.message.setText(shown)
        self.message.setVisible(bool(shown))
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(error_text_color(self.palette())))
        self.message.setPalette(palette)
        self.edit.setStyleSheet(
            f"QLineEdit {{ border: 1px solid {error_text_color(self.palette())}; }}" if shown else ""
        )
        value = self.value()
        if value is not None:
            self.calendar.setSelectedDate(_qdate(value))
        if value != self._last:
            self._last = value
            if value is not None:
                self.dateChanged.emit(_qdate(value))
        self.edited.emit()

    def setFocus(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:  # noqa: N802
        self.edit.setFocus(reason)
