"""Small clinics for the scheduling tests, and a bridge to the rules engine.

``rules_check`` adds what the planner proposes to a clinic's bookings and runs
the real ``planner.rules.check`` on them (through
``planner.scheduling.rules_bridge``, as the benchmark does): a proposal is only
good if the engine finds no error in it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from bench.records import booking, opening, protocol
from bench.records import course as course_record
from bench.records import staff as staff_member
from planner.domain.records import Course, Protocol, StaffMember
from planner.rules import Violation
from planner.scheduling.model import ClinicSpec, CourseProgress
from planner.scheduling.rules_bridge import NewSession, check_sessions

MONDAY = date(2027, 3, 1)
FRIDAY = date(2027, 3, 5)
DEP = protocol("KET-DEP", 20, 40, 60, 48.0, 3, 7, 6)
PAIN = protocol("KET-PAIN", 20, 120, 60, 24.0, 4, 7, 5)
LIMITS = {"psychiatrist": 4, "anesthesiologist": 2, "infusion_nurse": 2}
WEEKDAYS_8_18 = tuple((d, time(8), time(18)) for d in range(5))
OPEN_8_18 = opening(WEEKDAYS_8_18)


def staff(ref: str, role: str, hours: Iterable[tuple[int, time, time]] = WEEKDAYS_8_18,
          leave: tuple[tuple[date, date], ...] = (), expires: date | None = date(2030, 1, 1)) -> StaffMember:
    return staff_member(ref, f"Staff {ref}", (role,), expires, hours, leave)


def course(ref: str, remaining: int, protocol: Protocol = DEP, planned: int | None = None,
           consent: date | None = None, last_start: datetime | None = None) -> CourseProgress:
    """Course ``ref`` of patient ``P-ref`` with ``remaining`` infusions to plan."""
    record = course_record(ref, f"P-{ref}", protocol, planned or remaining, f"Patient {ref}", consent)
    return CourseProgress(record, remaining, last_start)


def other_course(ref: str, protocol: Protocol = DEP) -> Course:
    """A course the planner is not asked about (only its bookings matter)."""
    return course_record(ref, f"P-{ref}", protocol, protocol.infusions, f"Patient {ref}")


def clinic(**kw: object) -> ClinicSpec:
    values: dict[str, object] = {
        "opening_hours": OPEN_8_18,
        "chairs": ("CH-1", "CH-2"),
        "concurrent_limit": dict(LIMITS),
    }
    values.update(kw)
    return ClinicSpec(**values)  # type: ignore[arg-type]


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
            bookings.append(booking(f"H{i}", c.course, "", start))
        specs.append(c)
    return clinic(chairs=tuple(f"CH-{i + 1}" for i in range(chairs)), staff=tuple(people),
                  courses=tuple(specs), bookings=tuple(bookings), closures=frozenset())


def rules_check(spec: ClinicSpec, placed: Iterable[tuple[str, str, datetime, str, tuple[tuple[str, str], ...]]]
                ) -> list[Violation]:
    """Violations of the new sessions (course, chair, start, ref, assignments) in context."""
    return check_sessions(spec, (NewSession(ref, c, chair, start, staff_roles)
                                 for c, chair, start, ref, staff_roles in placed))
