"""Move a session with the keyboard: a day, a time and a chair, checked as you choose.

The keyboard's counterpart of dragging a card (Ctrl+M on the selected session). The
verdict comes from the same live check as the drag's drop indicator; OK moves the
session through the same undoable command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from planner.services.week import SessionSnapshot, Violation, WeekSnapshot
from planner.ui.widgets.date_field import DateField
from planner.ui.widgets.palette import error_text_color, ok_text_color, warning_text_color
from planner.ui.widgets.plural import plural
from planner.ui.widgets.time_edit import SnapTimeEdit

MoveChecker = Callable[[str, datetime, str], list[Violation]]


class MoveDialog(QDialog):
    """``target`` is the chosen (start, chair); the caller moves the session there."""

    def __init__(
        self,
        *,
        week: WeekSnapshot,
        session: SessionSnapshot,
        checker: MoveChecker | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("moveDialog")
        self.week = week
        self.session = session
        self.checker = checker
        self.setWindowTitle(
            self.tr("Move {patient}'s session").format(patient=session.patient_name)
        )
        self.day = DateField(session.start.date(), name=self.tr("Day"))
        self.time = SnapTimeEdit(self)
        self.time.setAccessibleName(self.tr("Time"))
        self.time.setTime(QTime(session.start.hour, session.start.minute))
        self.chair = QComboBox(self)
        for chair in week.chairs:
            self.chair.addItem(f"{chair.name} ({chair.room})" if chair.room else chair.name, chair.ref)
        self.chair.setCurrentIndex(max(0, self.chair.findData(session.chair_ref)))
        self.verdict = QLabel(self)
        self.verdict.setObjectName("moveVerdict")
        self.verdict.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Move"))
        ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        heading = QLabel(
            self.tr("Now: {when} · {chair}").format(
                when=f"{session.start:%a %d %b %H:%M}", chair=session.chair_name
            )
        )
        form.addRow(heading)
        for text, widget in (
            (self.tr("&Day:"), self.day),
            (self.tr("&Time:"), self.time),
            (self.tr("C&hair:"), self.chair),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.verdict)
        form.addRow(self.buttons)
        self.day.edited.connect(self._check)
        self.time.timeChanged.connect(self._check)
        self.chair.currentIndexChanged.connect(self._check)
        self._check()
        self.day.setFocus()

    @property
    def target(self) -> tuple[datetime, str] | None:
        day = self.day.value()
        if day is None:
            return None
        t: time = self.time.time().toPython()  # type: ignore[assignment]
        return datetime.combine(day, t.replace(second=0, microsecond=0)), str(self.chair.currentData())

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        target = self.target
        ok.setEnabled(target is not None)
        if target is None:
            self.verdict.setText(self.day.problem())
            self.verdict.setStyleSheet(f"color: {error_text_color(self.palette())}")
            return
        start, chair = target
        if self.checker is None or start.date() not in self.week.days:
            self.verdict.setText(self.tr("Checked when moved (another week)."))
            self.verdict.setStyleSheet("")
            return
        found = self.checker(self.session.ref, start, chair)
        errors = [v for v in found if v.severity == "error"]
        if not found:
            self.verdict.setText(self.tr("No problems there."))
            colour = ok_text_color(self.palette())
        else:
            first = sorted(found, key=lambda v: v.severity != "error")[0]
            count = (
                plural(len(errors), self.tr("1 error"), self.tr("{n} errors"))
                if errors
                else plural(len(found), self.tr("1 warning"), self.tr("{n} warnings"))
            )
            self.verdict.setText(f"{count}: {first.message}")
            colour = error_text_color(self.palette()) if errors else warning_text_color(self.palette())
        self.verdict.setStyleSheet(f"color: {colour}")
