"""Reports: read what a report needs in one read-only transaction, then compute it.

The numbers are computed by :mod:`planner.reports` from domain records; this
module only chooses what to read (the sessions of the period, the chairs and
staff in service, the courses still running) and hands back the report's view
(for the screen and the PDF) and its JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.domain.base import Invalid
from planner.domain.policy import Policy
from planner.reports import REPORT_KINDS, attendance, courses, staff_hours, utilisation
from planner.reports.period import Period
from planner.reports.view import ReportView
from planner.services.base import ValidationFailed, system_clock
from planner.services.read_only import read_only


@dataclass(frozen=True)
class ReportResult:
    view: ReportView
    #: The documented JSON form (README, "Reports").
    data: dict[str, Any]
    clinic_name: str
    policy: Policy


def period_of(start: date, end: date) -> Period:
    """The period, or ValidationFailed saying what is wrong with it."""
    try:
        return Period(start, end)
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"to": str(exc)}) from None


def policy_of(conn: Connection) -> Policy:
    try:
        return mapping.read_policy(conn)
    except Invalid as exc:
        raise ValidationFailed(f"the clinic policy in the database is invalid: {exc}") from exc


def sessions_in(conn: Connection, period: Period) -> mapping.SessionRead:
    """Every session starting in ``period`` (any status), with what it refers to."""
    s = t.infusion_session.c
    return mapping.read_sessions(
        conn, and_(s.start >= period.first_moment, s.start < period.after_last_moment)
    )


def run_report(db: Database, kind: str, start: date, end: date) -> ReportResult:
    """Report ``kind`` (one of :data:`REPORT_KINDS`) over ``start``..``end`` (both included)."""
    if kind not in REPORT_KINDS:
        raise ValidationFailed(
            f"unknown report {kind!r} (reports: {', '.join(REPORT_KINDS)})", {"kind": kind}
        )
    period = period_of(start, end)
    with read_only(db) as conn:
        policy = policy_of(conn)
        clinic = mapping.read_clinic(conn)
        if kind == "utilisation":
            chairs = mapping.read_chairs(conn, t.chair.c.active.is_(True)).values()
            util = utilisation.utilisation(
                period, clinic, chairs, sessions_in(conn, period).sessions.values()
            )
            view, data = utilisation.view(util), utilisation.as_json(util)
        elif kind == "staff-hours":
            staff = mapping.read_staff(conn, t.staff_member.c.active.is_(True)).values()
            hours = staff_hours.staff_hours(
                period, clinic, staff, sessions_in(conn, period).sessions.values()
            )
            view, data = staff_hours.view(hours), staff_hours.as_json(hours)
        elif kind == "attendance":
            seen = attendance.attendance(period, sessions_in(conn, period).sessions.values())
            view, data = attendance.view(seen), attendance.as_json(seen)
        else:
            state = _courses(conn, period)
            view, data = courses.view(state), courses.as_json(state)
    return ReportResult(view=view, data=data, clinic_name=clinic.name, policy=policy)


def _courses(conn: Connection, period: Period) -> courses.CoursesReport:
    """Courses running now or with a session in the period, with all of their sessions."""
    c, s = t.course.c, t.infusion_session.c
    in_period = select(s.course_id).where(
        s.start >= period.first_moment, s.start < period.after_last_moment
    )
    found = mapping.read_courses(
        conn, or_(c.status.in_(("active", "on_hold")), c.id.in_(in_period))
    )
    if not found:
        return courses.courses_report(period, (), ())
    read = mapping.read_sessions(conn, s.course_id.in_(list(found)))
    return courses.courses_report(period, found.values(), read.sessions.values())


def render_report(
    result: ReportResult, *, paper: str | None = None, now: datetime | None = None
) -> bytes:
    """The report as PDF: its charts drawn with reportlab, then its tables."""
    from planner.paperwork.report_pdf import build_report

    return build_report(
        result.view,
        clinic=result.clinic_name,
        paper=paper_size(paper, result.policy.paper_size),
        now=now or system_clock(),
    )


def paper_size(paper: str | None, default: str) -> str:
    """``paper`` (A4 or Letter, any case), else the clinic's ``default``."""
    chosen = (paper or default or "A4").strip().lower()
    if chosen not in ("a4", "letter"):
        raise ValidationFailed(f"paper must be A4 or Letter, not {paper!r}")
    return "A4" if chosen == "a4" else "Letter"
