"""Auto-plan a week or four weeks: a dialog runs the planner off the GUI thread with a
progress bar and Cancel; the proposal then shows as ghost blocks with Accept / Discard.

The planner is the same service call the ``autoplan`` command makes
(``propose_autoplan``), so the GUI proposes exactly what the command proposes for
the same period. It only reads the database; Cancel stops it at its next progress
report and nothing is shown or saved.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.scheduling.autoplan import PlanningCancelled
from planner.services.base import ServiceError
from planner.services.week import SessionSnapshot, StaffOnSession, active_courses
from planner.ui.widgets.palette import ON_LIGHT_TEXT
from planner.ui.worker_slices import short_gil_slices

if TYPE_CHECKING:
    from planner.services.database import Database
    from planner.ui.planner.page import WeekPlannerPage


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def period_for(monday: date, weeks: int) -> Period:
    """``weeks`` whole weeks from the shown week's Monday."""
    return Period(monday, monday + timedelta(days=7 * weeks - 1))


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


# -- the planner off the GUI thread ------------------------------------------------------------
class AutoplanSignals(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # AutoplanResult
    failed = Signal(object)  # the exception
    cancelled = Signal()


class AutoplanJob(QRunnable):
    """``propose_autoplan`` in a pool thread; ``cancel()`` stops it at its next progress report."""

    def __init__(self, db: Database, period: Period, now: datetime) -> None:
        super().__init__()
        self._now = now
        self.setAutoDelete(False)
        self.signals = AutoplanSignals()
        self._db = db
        self._period = period
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def _progress(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise PlanningCancelled
        self.signals.progress.emit(done, total)

    def run(self) -> None:
        from planner.services.planning import propose_autoplan

        try:
            with short_gil_slices():
                result = propose_autoplan(self._db, self._period.first, self._period.last,
                                          progress=self._progress, not_before=self._now)
        except PlanningCancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # handed to the GUI, which tells the user in a sentence
            self.signals.failed.emit(exc)
            return
        if self._stop.is_set():
            self.signals.cancelled.emit()
        else:
            self.signals.finished.emit(result)


class AutoplanDialog(QDialog):
    """Choose the period, watch the planner work, or cancel it."""

    #: The proposal, once the planner is done (not emitted when cancelled).
    proposed = Signal(object)

    def __init__(self, page: WeekPlannerPage) -> None:
        super().__init__(page)
        self.setObjectName("autoplanDialog")
        self.setWindowTitle(self.tr("Auto-plan"))
        self.page = page
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._job: AutoplanJob | None = None
        #: Every (done, total) the planner reported, for the record.
        self.reports: list[tuple[int, int]] = []
        week, month = period_for(page.monday, 1), period_for(page.monday, 4)
        self.periods = {1: week, 4: month}
        intro = QLabel(self.tr(
            "Place the due infusions of active courses: a chair, a start time, a psychiatrist and "
            "a monitoring clinician each. Nothing is booked until you accept the proposal."
        ))
        intro.setWordWrap(True)
        self.week_choice = QRadioButton(
            self.tr("&Week: {a} – {b}").format(a=_day(week.first), b=_day(week.last)))
        self.month_choice = QRadioButton(
            self.tr("&Month (4 weeks): {a} – {b}").format(a=_day(month.first), b=_day(month.last)))
        self.week_choice.setChecked(True)
        self.status = QLabel("")
        self.status.setObjectName("autoplanStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("autoplanProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(False)
        self.plan_button = QPushButton(self.tr("&Plan"))
        self.plan_button.setObjectName("autoplanPlan")
        self.plan_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("autoplanCancel")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.week_choice)
        layout.addWidget(self.month_choice)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.plan_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.reject)

    @property
    def period(self) -> Period:
        return self.periods[4 if self.month_choice.isChecked() else 1]

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        """Run the planner on the chosen period (in the dialog's own thread pool)."""
        if self._job is not None:
            return
        period = self.period
        job = AutoplanJob(self.page.ctx.db, period, self.page.ctx.clock())
        job.signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        job.signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        job.signals.cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._job = job
        for widget in (self.week_choice, self.month_choice, self.plan_button):
            widget.setEnabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Planning {a} – {b}…").format(a=_day(period.first), b=_day(period.last)))
        self.adjustSize()
        self._pool.start(job)

    def reject(self) -> None:
        """Cancel: stop a running planner (nothing is shown or saved) and close."""
        if self._job is not None:
            self._job.cancel()
            self.status.setText(self.tr("Stopping…"))
            self.cancel_button.setEnabled(False)
            return  # closes when the planner has stopped
        super().reject()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.reports.append((done, total))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        self._job = None
        self.progress.setValue(self.progress.maximum())
        self.accept()
        self.proposed.emit(result)

    @Slot()
    def _on_cancelled(self) -> None:
        self._job = None
        super().reject()

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._job = None
        super().reject()
        if isinstance(exc, ServiceError):
            self.page.show_error(str(exc))
        else:
            self.page.show_error(self.tr("The auto-planner stopped on an unexpected problem ({name}).")
                                 .format(name=type(exc).__name__))


# -- the proposal ------------------------------------------------------------------------------
class AutoplanBar(QFrame):
    """The pending proposal: what it books, what it could not place, and the two choices."""

    def __init__(self, page: WeekPlannerPage, result: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("autoplanBar")
        self.page = page
        self.result = result
        # A light blue band with its own dark text: readable on a dark desktop too.
        self.setStyleSheet(
            f"#autoplanBar {{ background: #eef4ff; border: 1px solid #9db7e8; border-radius: 4px; }}"
            f" #autoplanBar QLabel {{ color: {ON_LIGHT_TEXT}; }}"
        )
        placed, unplaced = len(result.placed), len(result.unplaced)
        when = self.tr("{a} – {b}").format(a=_day(result.first), b=_day(result.last))
        text = (
            self.tr("Auto-plan proposes 1 session for {when} (dashed block).").format(when=when)
            if placed == 1
            else self.tr("Auto-plan proposes {n} sessions for {when} (dashed blocks).").format(n=placed, when=when)
        )
        if (result.last - result.first).days >= 7 and placed:
            text += " " + self.tr("Go week by week to see them all.")
        if unplaced:
            text += " " + (
                self.tr("1 due infusion could not be placed (hover for why).")
                if unplaced == 1
                else self.tr("{n} due infusions could not be placed (hover for why).").format(n=unplaced)
            )
            reasons = "\n".join(f"{u.course} #{u.infusion}: {u.reason}" for u in result.unplaced[:12])
            self.setToolTip(reasons)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("&Accept proposal"), self)
        self.accept_button.setObjectName("autoplanAccept")
        self.accept_button.setEnabled(placed > 0)
        self.discard_button = QPushButton(self.tr("&Discard"), self)
        self.discard_button.setObjectName("autoplanDiscard")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.discard_button)
        self.accept_button.clicked.connect(self.accept)
        self.discard_button.clicked.connect(self.discard)

    def accept(self) -> None:
        from planner.ui.planner.commands import ApplyAutoplanCommand

        self._close()
        self.page.undo_stack.push(
            ApplyAutoplanCommand(self.page.ctx, self.result, on_error=self.page.show_error)
        )

    def discard(self) -> None:
        self._close()

    def _close(self) -> None:
        self.page.set_ghosts([])
        self.page.autoplan_bar = None
        self.hide()
        self.deleteLater()


def ghosts_of(page: WeekPlannerPage, result: Any) -> list[SessionSnapshot]:
    """Proposal placements as snapshots the week scene draws as dashed blocks (the shown
    week's; the others appear as the planner goes to their week)."""
    courses = {c.ref: c for c in active_courses(page.ctx.db)}
    staff = {m.ref: m.name for m in page.week.staff} if page.week else {}
    chairs = {c.ref: c.name for c in page.week.chairs} if page.week else {}
    out = []
    for i, p in enumerate(result.placed):
        c = courses.get(p.course)
        minutes = int((p.end - p.start).total_seconds() // 60)
        prep, infusion = (c.prep_minutes, c.infusion_minutes) if c else (0, minutes)
        out.append(
            SessionSnapshot(
                ref=f"(proposal {i + 1})",
                version=0,
                start=p.start,
                status="planned",
                prep_minutes=prep,
                infusion_minutes=infusion,
                recovery_minutes=max(0, minutes - prep - infusion),
                overrides=(None, None, None),
                chair_ref=p.chair,
                chair_name=chairs.get(p.chair, p.chair),
                course_ref=p.course,
                course_status="active",
                patient_ref=c.patient_ref if c else p.patient,
                patient_name=c.patient_name if c else p.patient,
                protocol_ref="",
                protocol_name=c.protocol_name if c else "",
                number=p.infusion,
                planned_infusions=c.planned_infusions if c else p.infusion,
                staff=(
                    StaffOnSession(p.psychiatrist, staff.get(p.psychiatrist, p.psychiatrist), "psychiatrist"),
                    StaffOnSession(
                        p.monitoring_clinician,
                        staff.get(p.monitoring_clinician, p.monitoring_clinician),
                        p.monitoring_role,
                    ),
                ),
            )
        )
    return out


def show_proposal(page: WeekPlannerPage, result: Any) -> AutoplanBar | None:
    """Show a proposal above the week (nothing is booked until it is accepted)."""
    old = getattr(page, "autoplan_bar", None)
    if old is not None:
        old.discard()
    if not result.placed and not result.unplaced:
        page.message.emit(page.tr("Nothing is due in this period: every active course is booked."))
        return None
    bar = AutoplanBar(page, result, page)
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(1, bar)
    bar.show()
    page.autoplan_bar = bar
    page.set_ghosts(ghosts_of(page, result))
    return bar


def start_autoplan(page: WeekPlannerPage) -> AutoplanDialog:
    """Open the auto-plan dialog for the shown week (or four weeks from it)."""
    dialog = AutoplanDialog(page)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.proposed.connect(lambda result: show_proposal(page, result))
    dialog.open()
    return dialog
