"""Generated clinic weeks for the auto-planner benchmark: S, M and L, fixed seeds.

Each week runs Monday to Friday, 08:00-18:00. Staff hours are a mix of full
days, mornings and afternoons, with days off and a few days of leave, sized so
that the monitoring clinicians (anesthesiologists / nurses, 2 patients each)
are the tight resource and Monday is crowded by courses that start this week.
About half the courses carry infusions from the week before, so their spacing
and per-7-days limits bite.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bench.records import booking, course, opening, protocol, staff
from planner.domain.records import Session, StaffMember
from planner.scheduling.model import ClinicSpec, CourseProgress

WEEK_START = date(2027, 1, 4)  # a Monday
WEEK_END = date(2027, 1, 8)

DEPRESSION = protocol("KET-DEP", 20, 40, 60, 48.0, 3, 7, 6)
LONG = protocol("KET-PAIN", 20, 120, 60, 24.0, 4, 7, 5)


@dataclass(frozen=True)
class Size:
    name: str
    chairs: int
    psychiatrists: int
    monitors: int
    courses: int
    seed: int


SIZES = {
    "S": Size("S", 4, 2, 3, 18, 11),
    "M": Size("M", 8, 3, 6, 48, 22),
    "L": Size("L", 14, 5, 14, 110, 33),
}

_SHIFTS = (
    (time(8, 0), time(18, 0)),
    (time(8, 0), time(18, 0)),
    (time(8, 0), time(14, 0)),
    (time(12, 0), time(18, 0)),
    (time(9, 0), time(17, 0)),
)


def _staff(rng: random.Random, ref: str, roles: tuple[str, ...]) -> StaffMember:
    shift = rng.choice(_SHIFTS)
    days = [d for d in range(5) if rng.random() > 0.2]
    if len(days) < 3:
        days = [0, 1, 2, 3, 4]
    hours = tuple((d, shift[0], shift[1]) for d in days)
    leave: tuple[tuple[date, date], ...] = ()
    if rng.random() < 0.25:
        first = WEEK_START + timedelta(days=rng.randrange(5))
        leave = ((first, first + timedelta(days=rng.randrange(2))),)
    return staff(ref, ref, roles, date(2028, 1, 1), hours, leave)


def build(size: Size) -> ClinicSpec:
    rng = random.Random(size.seed)
    people = [_staff(rng, f"PSY{i:02d}", ("psychiatrist",)) for i in range(size.psychiatrists)]
    for i in range(size.monitors):
        role = "anesthesiologist" if i % 3 == 0 else "infusion_nurse"
        people.append(_staff(rng, f"MON{i:02d}", (role,)))
    courses: list[CourseProgress] = []
    bookings: list[Session] = []
    for i in range(size.courses):
        proto = LONG if rng.random() < 0.12 else DEPRESSION
        ref, patient = f"C{i:04d}", f"P{i:04d}"
        history = 0
        starts: list[datetime] = []
        if rng.random() < 0.5:  # started last week
            history = rng.choice((1, 2, 2, 3))
            last_day = WEEK_START - timedelta(days=rng.choice((3, 4, 5)))  # Wed, Thu, Fri
            hour = rng.randrange(8, 16)
            step = timedelta(hours=max(proto.min_hours_between, 48))
            for k in range(history):
                starts.append(datetime.combine(last_day, time(hour)) - step * (history - 1 - k))
        planned = proto.infusions if rng.random() < 0.85 else 2
        remaining = max(1, planned - history)
        c = course(ref, patient, proto, history + remaining, f"Patient {i}")
        bookings += (booking(f"H{i:04d}-{k}", c, "", start) for k, start in enumerate(starts))
        courses.append(CourseProgress(c, remaining))
    return ClinicSpec(
        opening_hours=opening((d, time(8, 0), time(18, 0)) for d in range(5)),
        closures=frozenset(),
        chairs=tuple(f"CH{i:02d}" for i in range(size.chairs)),
        staff=tuple(people),
        bookings=tuple(bookings),
        courses=tuple(courses),
        concurrent_limit={"psychiatrist": 4, "anesthesiologist": 2, "infusion_nurse": 2},
    )
