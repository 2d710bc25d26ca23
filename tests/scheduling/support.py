"""Small clinics for the scheduling tests, and a bridge to the rules engine.

``rules_check`` turns a clinic spec plus what the planner proposes into the
rules engine's records and runs the real ``planner.rules.check`` on them: a
proposal is only good if the engine finds no error in it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

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
from planner.scheduling.model import BookingSpec, ClinicSpec, CourseSpec, ProtocolSpec, StaffSpec

MONDAY = date(2027, 3, 1)
FRIDAY = date(2027, 3, 5)
DEP = ProtocolSpec("KET-DEP", 20, 40, 60, 48.0, 3, 7, 6)
PAIN = ProtocolSpec("KET-PAIN", 20, 120, 60, 24.0, 4, 7, 5)
LIMITS = {"psychiatrist": 4, "anesthesiologist": 2, "infusion_nurse": 2}
WEEKDAYS_8_18 = tuple((d, time(8), time(18)) for d in range(5))


def staff(ref: str, role: str, hours: Iterable[tuple[int, time, time]] = WEEKDAYS_8_18,
          leave: tuple[tuple[date, date], ...] = (), expires: date | None = date(2030, 1, 1)) -> StaffSpec:
    return StaffSpec(ref, f"Staff {ref}", (role,), expires, tuple(hours), leave)


def course(ref: str, remaining: int, protocol: ProtocolSpec = DEP, planned: int | None = None) -> CourseSpec:
    return CourseSpec(ref, f"P-{ref}", protocol, planned or remaining, f"Patient {ref}", remaining)


def clinic(**kw: object) -> ClinicSpec:
    values: dict[str, object] = {
        "opening_hours": WEEKDAYS_8_18,
        "chairs": ("CH-1", "CH-2"),
        "concurrent_limit": dict(LIMITS),
    }
    values.update(kw)
    return ClinicSpec(**values)


def random_week(seed: int, chairs: int = 4, courses: int = 16) -> ClinicSpec:
    """A tight, seeded clinic week: mixed staff shifts, leave, last week's infusions."""
    rng = random.Random(seed)
    shifts = ((time(8), time(18)), (time(8), time(14)), (time(12), time(18)), (time(9), time(17)))
    people = []
    for i in range(2 + chairs // 4):
        a, b = rng.choice(shifts)
        people.append(staff(f"PS{i}", "psychiatrist", [(d, a, b) for d in range(5) if rng.random() > 0.2]))
    for i in range(2 + chairs // 3):
        a, b = rng.choice(shifts)
        leave = ((MONDAY + timedelta(days=rng.randrange(5)),) * 2,) if rng.random() < 0.3 else ()
        role = "anesthesiologist" if i % 3 == 0 else "infusion_nurse"
        people.append(staff(f"MO{i}", role, [(d, a, b) for d in range(5) if rng.random() > 0.2], leave))
    specs, bookings = [], []
    for i in range(courses):
        proto = PAIN if rng.random() < 0.15 else DEP
        c = course(f"C{i:03d}", rng.choice((1, 2, 3, 4, 6)), proto, planned=6)
        if rng.random() < 0.5:
            start = datetime.combine(MONDAY - timedelta(days=rng.choice((3, 4, 5))), time(rng.randrange(8, 16)))
            bookings.append(BookingSpec(f"H{i}", c.ref, c.patient, "", start,
                                        start + timedelta(minutes=proto.chair_minutes), ()))
        specs.append(c)
    return clinic(chairs=tuple(f"CH-{i + 1}" for i in range(chairs)), staff=tuple(people),
                  courses=tuple(specs), bookings=tuple(bookings), closures=frozenset())


def _records(
    spec: ClinicSpec,
) -> tuple[dict[str, StaffMember], dict[str, Course], dict[str, Chair]]:
    people = {
        s.ref: StaffMember(
            ref=s.ref,
            name=s.name,
            roles=s.roles,
            credential_expires=s.credential_expires,
            hours=tuple(WeeklyHours(weekday=w, start=a, end=b) for w, a, b in s.hours),
            leave=tuple(Leave(start=a, end=b) for a, b in s.leave),
        )
        for s in spec.staff
    }
    courses = {}
    for c in spec.courses:
        p = c.protocol
        protocol = Protocol(
            ref=p.ref,
            name=p.ref,
            infusions=p.infusions,
            prep_minutes=p.prep_minutes,
            infusion_minutes=p.infusion_minutes,
            recovery_minutes=p.recovery_minutes,
            min_hours_between=p.min_hours_between,
            max_per_7_days=p.max_per_7_days,
            max_gap_days=p.max_gap_days,
        )
        patient = Patient(
            ref=c.patient,
            name=c.patient_name or c.patient,
            date_of_birth=date(1980, 1, 1),
            record_number=f"MRN-{c.patient}",
        )
        courses[c.ref] = Course(
            ref=c.ref, patient=patient, protocol=protocol, planned_infusions=c.planned_infusions
        )
    chairs = {ref: Chair(ref=ref, name=ref) for ref in spec.chairs}
    chairs[""] = Chair(ref="", name="elsewhere")
    return people, courses, chairs


def _session(
    ref: str, course: Course, chair: Chair, start: datetime, team: Iterable[tuple[StaffMember, str]]
) -> Session:
    return Session(
        ref=ref,
        course=course,
        chair=chair,
        start=start,
        assignments=tuple(Assignment(staff=m, role=r) for m, r in team),
    )


def rules_check(spec: ClinicSpec, placed: Iterable[tuple[str, str, datetime, str, tuple[tuple[str, str], ...]]]
                ) -> list[Violation]:
    """Violations of the new sessions (course, chair, start, ref, assignments) in context."""
    people, courses, chairs = _records(spec)
    sessions = [
        _session(
            b.ref,
            courses[b.course],
            chairs.get(b.chair, chairs[""]),
            b.start,
            ((people[s], r) for s, r in b.staff),
        )
        for b in spec.bookings
    ]
    refs = []
    for course_ref, chair, start, ref, staff_roles in placed:
        sessions.append(
            _session(
                ref,
                courses[course_ref],
                chairs[chair],
                start,
                ((people[s], r) for s, r in staff_roles),
            )
        )
        refs.append(ref)
    data = ClinicData(
        sessions=sessions,
        opening_hours=[OpeningHours(weekday=w, open=a, close=b) for w, a, b in spec.opening_hours],
        closures=dict.fromkeys(sorted(spec.closures), ""),
    )
    return check(data, Policy(concurrent_limit=dict(spec.concurrent_limit)), sessions=refs)
