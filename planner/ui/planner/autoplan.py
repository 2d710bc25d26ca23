"""Auto-plan this week: the proposal shows as ghost blocks with Accept / Discard above the week."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.services.base import ServiceError
from planner.services.week import SessionSnapshot, StaffOnSession, active_courses
from planner.ui.widgets.palette import ON_LIGHT_TEXT

if TYPE_CHECKING:
    from planner.ui.planner.page import WeekPlannerPage


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
        text = (
            self.tr("Auto-plan proposes 1 session this week (dashed block).")
            if placed == 1
            else self.tr("Auto-plan proposes {n} sessions this week (dashed blocks).").format(n=placed)
        )
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
    """Proposal placements as snapshots the week scene draws as dashed blocks."""
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


def start_autoplan(page: WeekPlannerPage) -> AutoplanBar | None:
    """Ask the auto-planner for this week and show its proposal (nothing is booked yet)."""
    from datetime import timedelta

    from planner.services.planning import propose_autoplan

    old = getattr(page, "autoplan_bar", None)
    if old is not None:
        old.discard()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = propose_autoplan(page.ctx.db, page.monday, page.monday + timedelta(days=6))
    except ServiceError as exc:
        page.show_error(str(exc))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    if not result.placed and not result.unplaced:
        page.message.emit(page.tr("Nothing is due this week: every active course is booked."))
        return None
    bar = AutoplanBar(page, result, page)
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(1, bar)
    bar.show()
    page.autoplan_bar = bar
    page.set_ghosts(ghosts_of(page, result))
    return bar
