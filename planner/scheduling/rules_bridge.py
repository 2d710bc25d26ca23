"""Check planned sessions of a clinic spec with the real rules engine.

The planner decides from ``planner.scheduling.model`` specs; the rules engine
reads the domain records. This turns a spec plus new sessions into those records
and runs ``planner.rules.check``, so a proposal (the planner's, or a reference
solver's in the benchmark) is judged by the same rules as a saved schedule.
Existing bookings are context: they are checked against, not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from planner.domain.policy import Policy
from planner.domain.records import (
    Assignment,
    Chair,
    Course,
    Leave,
    OpeningHours,
    Patient,
    Protocol,
    Session,
    StaffMember,
    WeeklyHours,
)
from planner.rules import ClinicData, Violation, check
from planner.scheduling.model import ClinicSpec, CourseSpec

#: What the auto-planner never breaks: every error, plus the protocol warnings it keeps as hard limits.
PLANNER_HARD_CODES = frozenset({"spacing-too-short", "too-many-per-week", "course-over-planned"})

#: Chair of a booking whose chair is not one of the clinic's (a past session elsewhere).
_ELSEWHERE = Chair(ref="", name="elsewhere")


@dataclass(frozen=True)
class NewSession:
    """A session to check: which course, where, when, and who fills which role."""

    ref: str
    course: str
    chair: str
    start: datetime
    staff: tuple[tuple[str, str], ...]


def _course_record(c: CourseSpec) -> Course:
    p = c.protocol
    protocol = Protocol(
        ref=p.ref, name=p.ref, infusions=p.infusions, prep_minutes=p.prep_minutes,
        infusion_minutes=p.infusion_minutes, recovery_minutes=p.recovery_minutes,
        min_hours_between=p.min_hours_between, max_per_7_days=p.max_per_7_days,
        max_gap_days=p.max_gap_days,
    )
    patient = Patient(ref=c.patient, name=c.patient_name or c.patient, date_of_birth=date(1980, 1, 1),
                      record_number=f"MRN-{c.patient}")
    return Course(ref=c.ref, patient=patient, protocol=protocol, planned_infusions=c.planned_infusions)


def check_sessions(spec: ClinicSpec, new: Iterable[NewSession]) -> list[Violation]:
    """Violations of the ``new`` sessions among the clinic's existing bookings."""
    people = {
        s.ref: StaffMember(
            ref=s.ref, name=s.name, roles=s.roles, credential_expires=s.credential_expires,
            hours=tuple(WeeklyHours(weekday=w, start=a, end=b) for w, a, b in s.hours),
            leave=tuple(Leave(start=a, end=b) for a, b in s.leave),
        )
        for s in spec.staff
    }
    courses = {c.ref: _course_record(c) for c in spec.courses}
    chairs = {ref: Chair(ref=ref, name=ref) for ref in spec.chairs}

    def record(ref: str, course: str, chair: str, start: datetime,
               staff: tuple[tuple[str, str], ...]) -> Session:
        return Session(
            ref=ref, course=courses[course], chair=chairs.get(chair, _ELSEWHERE), start=start,
            assignments=tuple(Assignment(staff=people[s], role=role) for s, role in staff),
        )

    sessions = [record(b.ref, b.course, b.chair, b.start, b.staff) for b in spec.bookings]
    refs = []
    for n in new:
        sessions.append(record(n.ref, n.course, n.chair, n.start, n.staff))
        refs.append(n.ref)
    data = ClinicData(
        sessions=sessions,
        opening_hours=[OpeningHours(weekday=w, open=a, close=b) for w, a, b in spec.opening_hours],
        closures=dict.fromkeys(sorted(spec.closures), ""),
    )
    return check(data, Policy(concurrent_limit=dict(spec.concurrent_limit)), sessions=refs)


def planner_breaks(violations: Iterable[Violation]) -> list[Violation]:
    """The violations a planner's proposal must never have (errors and its hard warnings)."""
    return [v for v in violations if v.is_error or v.code in PLANNER_HARD_CODES]
