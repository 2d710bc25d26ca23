"""Courses: which are running, completed, stalled, and which lack a consent on file.

The report looks at each course as of the last day of the period (``as_of``):

- completed: marked completed, or as many infusions done as planned;
- stalled: active, infusions still to give, and no session booked within the
  protocol's longest gap (``max_gap_days``) after the last infusion on or
  before ``as_of`` (or after ``as_of`` when none was given yet);
- consent overdue: no consent date on file although the first infusion is on
  or before ``as_of``; "needed" when the first infusion is later.

Courses shown: every course active or on hold, and every other course with a
session in the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from planner.domain.records import Course, Session
from planner.reports.period import Period, name_key
from planner.reports.view import Chart, ReportView, Series, Table

State = Literal["active", "stalled", "completed", "on_hold", "cancelled"]
STATES: tuple[State, ...] = ("active", "stalled", "completed", "on_hold", "cancelled")
STATE_LABELS = {
    "active": "Active",
    "stalled": "Stalled",
    "completed": "Completed",
    "on_hold": "On hold",
    "cancelled": "Cancelled",
}
Consent = Literal["on_file", "overdue", "needed"]
CONSENT_LABELS = {"on_file": "on file", "overdue": "OVERDUE", "needed": "needed"}


@dataclass(frozen=True)
class CourseState:
    course: Course
    state: State
    done: int
    #: Planned or confirmed sessions after ``as_of``.
    booked: int
    #: The last infusion on or before ``as_of`` (done, or booked and not yet recorded).
    last: date | None
    #: The first session booked after ``as_of``.
    next: date | None
    consent: Consent

    @property
    def gap_days(self) -> int | None:
        """Days from the last infusion (or ``as_of``) to the next booked one."""
        return None if self.next is None or self.last is None else (self.next - self.last).days


@dataclass(frozen=True)
class CoursesReport:
    period: Period
    courses: tuple[CourseState, ...]

    @property
    def as_of(self) -> date:
        return self.period.end

    def count(self, state: State) -> int:
        return sum(1 for c in self.courses if c.state == state)

    @property
    def consent_overdue(self) -> int:
        running = ("active", "stalled", "on_hold")
        return sum(1 for c in self.courses if c.consent == "overdue" and c.state in running)


def course_state(course: Course, sessions: Iterable[Session], as_of: date) -> CourseState:
    """Where ``course`` stands on ``as_of`` (``sessions``: all of its sessions)."""
    active = sorted((s for s in sessions if s.active), key=lambda s: s.start)
    done = sum(1 for s in active if s.status == "done")
    given = [s for s in active if s.start.date() <= as_of]
    later = [s for s in active if s.start.date() > as_of]
    last = given[-1].start.date() if given else None
    following = later[0].start.date() if later else None
    if course.consent_date is not None:
        consent: Consent = "on_file"
    elif active and active[0].start.date() <= as_of:
        consent = "overdue"
    else:
        consent = "needed"
    state: State
    if course.status == "completed" or done >= course.planned_infusions:
        state = "completed"
    elif course.status in ("on_hold", "cancelled"):
        state = course.status  # type: ignore[assignment]
    else:
        anchor = last or as_of
        to_give = course.planned_infusions - len(given)
        late = following is None or (following - anchor).days > course.protocol.max_gap_days
        state = "stalled" if to_give > 0 and late else "active"
    return CourseState(
        course=course,
        state=state,
        done=done,
        booked=len(later),
        last=last,
        next=following,
        consent=consent,
    )


def courses_report(
    period: Period, courses: Iterable[Course], sessions: Iterable[Session]
) -> CoursesReport:
    """``sessions``: every session of ``courses`` (their whole history, not just the period)."""
    by_course: dict[str, list[Session]] = {}
    for s in sessions:
        by_course.setdefault(s.course.ref, []).append(s)
    shown = []
    for course in courses:
        own = by_course.get(course.ref, [])
        if course.status in ("active", "on_hold") or any(s.start.date() in period for s in own):
            shown.append(course_state(course, own, period.end))
    order = {state: i for i, state in enumerate(STATES)}
    shown.sort(key=lambda c: (order[c.state], name_key(c.course.patient.name), c.course.ref))
    return CoursesReport(period, tuple(shown))


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def as_json(report: CoursesReport) -> dict[str, Any]:
    return {
        "report": "courses",
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "as_of": report.as_of.isoformat(),
        "total": {
            **{state: report.count(state) for state in STATES},
            "consent_overdue": report.consent_overdue,
        },
        "courses": [
            {
                "course": c.course.ref,
                "patient": c.course.patient.ref,
                "name": c.course.patient.name,
                "protocol": c.course.protocol.ref,
                "status": c.course.status,
                "state": c.state,
                "planned_infusions": c.course.planned_infusions,
                "done": c.done,
                "booked": c.booked,
                "last": _iso(c.last),
                "next": _iso(c.next),
                "gap_days": c.gap_days,
                "max_gap_days": c.course.protocol.max_gap_days,
                "consent_date": _iso(c.course.consent_date),
                "consent": c.consent,
            }
            for c in report.courses
        ],
    }


def view(report: CoursesReport) -> ReportView:
    chart = Chart(
        "bar",
        f"Courses by state on {report.as_of.isoformat()}",
        tuple(STATE_LABELS[s] for s in STATES),
        (Series("Courses", tuple(float(report.count(s)) for s in STATES)),),
        "",
    )
    table = Table(
        "Courses",
        ("Course", "Patient", "State", "Done", "Booked ahead", "Last", "Next", "Consent"),
        tuple(
            (
                c.course.ref,
                f"{c.course.patient.name} ({c.course.patient.ref})",
                STATE_LABELS[c.state],
                f"{c.done} of {c.course.planned_infusions}",
                str(c.booked),
                _iso(c.last) or "—",
                (_iso(c.next) or "none booked")
                + (f" (+{c.gap_days} d)" if c.gap_days is not None else ""),
                CONSENT_LABELS[c.consent],
            )
            for c in report.courses
        ),
        numeric=frozenset({4}),
    )
    counts = ", ".join(f"{report.count(s)} {STATE_LABELS[s].lower()}" for s in STATES)
    return ReportView(
        kind="courses",
        title="Courses",
        period=report.period.label(),
        summary=(
            f"On {report.as_of.isoformat()}: {counts}; consent overdue for "
            f"{report.consent_overdue} running course(s).",
        ),
        charts=(chart,),
        tables=(table,),
        notes=(
            "Stalled: active, infusions still to give, and no session booked within the "
            "protocol's longest gap after the last infusion. Consent overdue: none on file "
            "although the first infusion is on or before the report's last day.",
        ),
    )
