"""Check planned sessions of a clinic spec with the real rules engine.

The planner decides from ``planner.scheduling.model`` specs; the rules engine
reads its own records. This turns a spec plus new sessions into those records
and runs ``planner.rules.check``, so a proposal (the planner's, or a reference
solver's in the benchmark) is judged by the same rules as a saved schedule.
Existing bookings are context: they are checked against, not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from planner.rules import (
    AssignmentRecord,
    ChairRecord,
    ClinicData,
    ClosureRecord,
    CourseRecord,
    HoursRecord,
    LeaveRecord,
    OpeningHoursRecord,
    PatientRecord,
    ProtocolRecord,
    SessionRecord,
    StaffRecord,
    Violation,
    check,
)
from planner.scheduling.model import ClinicSpec, CourseSpec
from planner.settings import Policy

#: What the auto-planner never breaks: every error, plus the protocol warnings it keeps as hard limits.
PLANNER_HARD_CODES = frozenset({"spacing-too-short", "too-many-per-week", "course-over-planned"})

#: Chair of a booking whose chair is not one of the clinic's (a past session elsewhere).
_ELSEWHERE = ChairRecord("", "elsewhere")


@dataclass(frozen=True)
class NewSession:
    """A session to check: which course, where, when, and who fills which role."""

    ref: str
    course: str
    chair: str
    start: datetime
    staff: tuple[tuple[str, str], ...]


def _course_record(c: CourseSpec) -> CourseRecord:
    p = c.protocol
    return CourseRecord(
        c.ref,
        PatientRecord(c.patient, c.patient_name or c.patient),
        ProtocolRecord(p.ref, p.ref, p.infusions, p.prep_minutes, p.infusion_minutes,
                       p.recovery_minutes, p.min_hours_between, p.max_per_7_days, p.max_gap_days),
        c.planned_infusions,
    )


def check_sessions(spec: ClinicSpec, new: Iterable[NewSession]) -> list[Violation]:
    """Violations of the ``new`` sessions among the clinic's existing bookings."""
    people = {
        s.ref: StaffRecord(
            s.ref, s.name, s.roles, s.credential_expires,
            tuple(HoursRecord(w, a, b) for w, a, b in s.hours),
            tuple(LeaveRecord(a, b) for a, b in s.leave),
        )
        for s in spec.staff
    }
    courses = {c.ref: _course_record(c) for c in spec.courses}
    chairs = {ref: ChairRecord(ref, ref) for ref in spec.chairs}

    def record(ref: str, course: str, chair: str, start: datetime,
               staff: tuple[tuple[str, str], ...]) -> SessionRecord:
        return SessionRecord(
            ref, courses[course], chairs.get(chair, _ELSEWHERE), start,
            assignments=tuple(AssignmentRecord(people[s], role) for s, role in staff),
        )

    sessions = [record(b.ref, b.course, b.chair, b.start, b.staff) for b in spec.bookings]
    refs = []
    for n in new:
        sessions.append(record(n.ref, n.course, n.chair, n.start, n.staff))
        refs.append(n.ref)
    data = ClinicData(
        sessions=sessions,
        opening_hours=[OpeningHoursRecord(w, a, b) for w, a, b in spec.opening_hours],
        closures=[ClosureRecord(d) for d in sorted(spec.closures)],
    )
    return check(data, Policy(concurrent_limit=dict(spec.concurrent_limit)), sessions=refs)


def planner_breaks(violations: Iterable[Violation]) -> list[Violation]:
    """The violations a planner's proposal must never have (errors and its hard warnings)."""
    return [v for v in violations if v.is_error or v.code in PLANNER_HARD_CODES]
