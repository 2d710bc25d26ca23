"""Families of clinics for the auto-planner benchmark, generated from seeds.

A family is a *shape* of clinic (how many chairs and staff, how staff work, which
protocols, at which stage the courses are, how long the period is); a seed makes
one instance of it. The shapes cover what clinics differ in: half-day and split
shifts, staff on leave part of the week, closures and short days, mixed protocols,
courses at every stage (new, starting later in the period, mid-course with sessions
already booked in the period, overdue), staff holding two roles, tight and loose
chair counts, one-week and four-week periods, and 12-chair weeks and months.

Every instance is over-demanded on purpose (more due infusions than fit), so the
number a planner places says how well it packs. Booked sessions of mid-course
courses are themselves placed by the plain greedy on an empty clinic first, so they
are valid bookings (a chair, a psychiatrist, a monitoring clinician).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from bench.records import booking, course, opening, protocol, staff
from planner.domain.records import Course, Protocol, Session, StaffMember
from planner.scheduling.autoplan import greedy_autoplan
from planner.scheduling.model import ClinicSpec, CourseProgress

FIRST = date(2027, 3, 1)  # a Monday
LIMITS = {"psychiatrist": 4, "anesthesiologist": 2, "infusion_nurse": 2}

#: 120 min chair time, at most 3 a week (the default depression induction).
DEP = protocol("KET-DEP", 20, 40, 60, 48.0, 3, 7, 6)
#: 150 min chair time (90 min recovery), at most 2 a week.
DEP_SLOW = protocol("KET-DEP-90", 20, 40, 90, 48.0, 2, 7, 6)
#: A pain protocol: 200 min chair time, daily, at most 4 a week.
PAIN = protocol("KET-PAIN", 20, 120, 60, 24.0, 4, 7, 5)
#: A booster-like short protocol: 100 min, 72 h apart, at most 2 a week.
SHORT = protocol("KET-SHORT", 15, 40, 45, 72.0, 2, 14, 4)

HALF_DAYS = ((time(8), time(13)), (time(12), time(18)))
FULL_DAY = ((time(8), time(18)),)
SPLIT_DAYS = (((time(8), time(12)), (time(14), time(18))), ((time(8), time(11)), (time(13), time(18))))

#: (weight, stage): "new" starts at the period start, "later" has consent later in the
#: period, "mid" has sessions booked in the period, "overdue" last came 8-13 days ago,
#: "last-week" came last week (spacing and 7-day limits bite at the start).
Stages = tuple[tuple[float, str], ...]


@dataclass(frozen=True)
class Shape:
    chairs: int
    psychiatrists: int
    anesthesiologists: int
    nurses: int
    courses: int
    weeks: int = 1
    #: Share of staff-days on a half day (08-13 or 12-18), and on a split day.
    half: float = 0.0
    split: float = 0.0
    #: Weekdays each person works (out of five).
    workdays: int = 5
    #: Share of staff with 1-3 days of leave.
    leave: float = 0.0
    #: Closed weekdays (0-based day index in the period) and a short Friday (08-13).
    closures: tuple[int, ...] = ()
    short_friday: bool = False
    protocols: tuple[tuple[float, Protocol], ...] = ((1.0, DEP),)
    stages: Stages = ((1.0, "new"),)
    #: People holding two roles: psychiatrist + anesthesiologist, anesthesiologist + nurse.
    dual: int = 0
    limits: dict[str, int] = field(default_factory=lambda: dict(LIMITS))
    #: Days in the period (default: whole weeks).
    days: int = 0

    @property
    def period_days(self) -> int:
        return self.days or 7 * self.weeks


@dataclass(frozen=True)
class Family:
    name: str
    about: str
    shape: Shape
    seed: int


@dataclass(frozen=True)
class Instance:
    family: str
    seed: int
    clinic: ClinicSpec
    first: date
    last: date

    @property
    def chairs(self) -> int:
        return len(self.clinic.chairs)


_STAGES_ALL: Stages = ((0.35, "new"), (0.15, "later"), (0.2, "mid"), (0.15, "overdue"), (0.15, "last-week"))

FAMILIES: tuple[Family, ...] = (
    Family("independent-week", "the issue's week: 6 chairs, 3+2+3 staff on 4 of 5 days, many half days, "
           "55 new courses, 60/90 min recovery",
           Shape(6, 3, 2, 3, 55, half=0.55, workdays=4, protocols=((0.5, DEP), (0.5, DEP_SLOW))), 1801),
    Family("split-shifts", "half days and split days (08-12 + 14-18), 6 chairs",
           Shape(6, 3, 2, 4, 52, half=0.35, split=0.35, workdays=4,
                 protocols=((0.6, DEP), (0.4, DEP_SLOW)), stages=((0.7, "new"), (0.3, "last-week"))), 1802),
    Family("leave", "half the staff on leave 1-3 days, 8 chairs",
           Shape(8, 4, 3, 4, 72, half=0.3, leave=0.5, protocols=((0.7, DEP), (0.3, DEP_SLOW)),
                 stages=((0.6, "new"), (0.4, "last-week"))), 1803),
    Family("closures", "Wednesday closed and Friday 08-13, 6 chairs",
           Shape(6, 3, 2, 3, 45, half=0.3, closures=(2,), short_friday=True,
                 protocols=((0.6, DEP), (0.4, DEP_SLOW)), stages=((0.6, "new"), (0.4, "last-week"))), 1804),
    Family("mixed-protocols", "four protocols: 100 to 200 min chair time, 24 to 72 h apart",
           Shape(8, 3, 2, 4, 50, half=0.3, workdays=4,
                 protocols=((0.4, DEP), (0.2, DEP_SLOW), (0.2, PAIN), (0.2, SHORT))), 1805),
    Family("course-stages", "new, starting later, mid-course with booked sessions, overdue, last week's",
           Shape(8, 3, 3, 4, 64, half=0.3, workdays=4, protocols=((0.7, DEP), (0.3, DEP_SLOW)),
                 stages=_STAGES_ALL), 1806),
    Family("two-roles", "three people hold two roles (psychiatrist+anesthesiologist, anesthesiologist+nurse)",
           Shape(6, 2, 1, 2, 50, half=0.4, workdays=4, dual=3, protocols=((0.6, DEP), (0.4, DEP_SLOW)),
                 stages=((0.7, "new"), (0.3, "last-week"))), 1807),
    Family("tight-chairs", "3 chairs and plenty of staff",
           Shape(3, 3, 2, 4, 30, half=0.3, protocols=((0.6, DEP), (0.4, DEP_SLOW)),
                 stages=((0.6, "new"), (0.4, "last-week"))), 1808),
    Family("loose-chairs", "12 chairs and few staff",
           Shape(12, 3, 2, 3, 60, half=0.4, workdays=4, protocols=((0.6, DEP), (0.4, DEP_SLOW)),
                 stages=((0.6, "new"), (0.4, "last-week"))), 1809),
    Family("month", "a 4-week period, 6 chairs, courses starting all month",
           Shape(6, 3, 2, 3, 100, weeks=4, half=0.4, workdays=4, leave=0.3,
                 protocols=((0.6, DEP), (0.4, DEP_SLOW)), stages=((0.3, "new"), (0.5, "later"),
                                                                  (0.1, "mid"), (0.1, "overdue"))), 1810),
    Family("week-12", "a 12-chair week, every kind of staff day and course stage",
           Shape(12, 5, 4, 8, 125, half=0.3, split=0.1, workdays=4, leave=0.2, dual=1,
                 protocols=((0.55, DEP), (0.25, DEP_SLOW), (0.1, PAIN), (0.1, SHORT)),
                 stages=_STAGES_ALL), 1811),
    Family("month-12", "a 12-chair month, every kind of staff day and course stage",
           Shape(12, 5, 4, 8, 190, weeks=4, half=0.3, split=0.1, workdays=4, leave=0.2, dual=1,
                 closures=(15,), protocols=((0.55, DEP), (0.25, DEP_SLOW), (0.1, PAIN), (0.1, SHORT)),
                 stages=((0.2, "new"), (0.5, "later"), (0.1, "mid"), (0.1, "overdue"), (0.1, "last-week"))),
           1812),
)


def small(fam: Family) -> Family:
    """The family's kind of clinic in miniature (Monday and Tuesday, a chair or two, one person
    per role, five courses), small enough for an exhaustive search to find the optimum."""
    shape = fam.shape
    return Family(
        fam.name, f"{fam.about} (in miniature)",
        replace(shape, chairs=1 if shape.chairs <= 6 else 2, psychiatrists=1,
                anesthesiologists=min(shape.anesthesiologists, 1), nurses=1, dual=min(shape.dual, 1),
                courses=6, weeks=1, days=2, leave=min(shape.leave, 0.5),
                closures=(1,) if shape.closures else (), workdays=min(shape.workdays, 4)),
        fam.seed,
    )


def family(name: str) -> Family:
    for f in FAMILIES:
        if f.name == name:
            return f
    raise KeyError(name)


def _pick(rng: random.Random, options: tuple[tuple[float, object], ...]) -> object:
    x = rng.random() * sum(w for w, _ in options)
    for w, value in options:
        x -= w
        if x <= 0:
            return value
    return options[-1][1]


def _person(rng: random.Random, shape: Shape, ref: str, roles: tuple[str, ...], last: date) -> StaffMember:
    days = sorted(rng.sample(range(5), shape.workdays))
    hours: list[tuple[int, time, time]] = []
    for d in days:
        x = rng.random()
        if x < shape.half:
            ranges: tuple[tuple[time, time], ...] = (rng.choice(HALF_DAYS),)
        elif x < shape.half + shape.split:
            ranges = rng.choice(SPLIT_DAYS)
        else:
            ranges = FULL_DAY
        hours.extend((d, a, b) for a, b in ranges)
    leave: tuple[tuple[date, date], ...] = ()
    if rng.random() < shape.leave:
        start = FIRST + timedelta(days=rng.randrange((last - FIRST).days + 1))
        leave = ((start, start + timedelta(days=rng.randrange(3))),)
    return staff(ref, f"Staff {ref}", roles, date(2030, 1, 1), hours, leave)


def _staff(rng: random.Random, shape: Shape, last: date) -> list[StaffMember]:
    people = []
    duals = [("psychiatrist", "anesthesiologist"), ("anesthesiologist", "infusion_nurse")]
    for i in range(shape.dual):
        people.append(_person(rng, shape, f"DU{i}", duals[i % 2], last))
    people += [_person(rng, shape, f"PS{i}", ("psychiatrist",), last) for i in range(shape.psychiatrists)]
    people += [_person(rng, shape, f"AN{i}", ("anesthesiologist",), last) for i in range(shape.anesthesiologists)]
    people += [_person(rng, shape, f"NU{i}", ("infusion_nurse",), last) for i in range(shape.nurses)]
    return people


def _history(c: Course, last: datetime, n: int) -> list[Session]:
    """``n`` past sessions ending with one at ``last``, a spacing apart (held elsewhere)."""
    step = timedelta(hours=max(c.protocol.min_hours_between, 168 / c.protocol.max_per_7_days))
    return [booking(f"H-{c.ref}-{k}", c, "", last - step * (n - 1 - k)) for k in range(n)]


def build(fam: Family, seed: int = 0) -> Instance:
    shape = fam.shape
    rng = random.Random(fam.seed * 1000 + seed)
    period_days = shape.period_days
    last = FIRST + timedelta(days=period_days - 1)
    hours = [(d, time(8), time(18)) for d in range(4)]
    hours.append((4, time(8), time(13) if shape.short_friday else time(18)))
    closures = frozenset(FIRST + timedelta(days=d) for d in shape.closures)
    chairs = tuple(f"CH{i + 1:02d}" for i in range(shape.chairs))
    base = ClinicSpec(opening_hours=opening(hours), closures=closures, chairs=chairs,
                      staff=tuple(_staff(rng, shape, last)), concurrent_limit=dict(shape.limits))
    courses: list[CourseProgress] = []
    history: list[Session] = []
    mid: dict[str, int] = {}
    for i in range(shape.courses):
        proto = _pick(rng, shape.protocols)
        assert isinstance(proto, Protocol)
        stage = _pick(rng, shape.stages)
        ref, patient = f"C{i:04d}", f"P{i:04d}"
        planned = proto.infusions
        done = 0
        consent: date | None = None
        when: datetime | None = None
        if stage == "later":
            consent = FIRST + timedelta(days=rng.randrange(1, max(2, period_days - 7)))
        elif stage in ("overdue", "last-week", "mid"):
            done = rng.randrange(1, 3)
            ago = rng.randrange(8, 14) if stage == "overdue" else rng.randrange(2, 5)
            when = datetime.combine(FIRST - timedelta(days=ago), time(rng.randrange(8, 15)))
        c = course(ref, patient, proto, planned, f"Patient {i}", consent)
        if when is not None:
            history += _history(c, when, done)
        if stage == "mid":
            mid[ref] = rng.randrange(1, 3)
        courses.append(CourseProgress(c, planned - done, when))
    booked = _book_mid(base, courses, history, mid, last)
    bookings = tuple(history) + booked
    final = []
    for p in courses:
        mine = [b for b in booked if b.course.ref == p.course.ref]
        if mine:
            p = replace(p, remaining=p.remaining - len(mine), last_start=max(b.start for b in mine))
        final.append(p)
    clinic = replace(base, bookings=bookings, courses=tuple(final))
    return Instance(fam.name, seed, clinic, FIRST, last)


def _book_mid(base: ClinicSpec, courses: list[CourseProgress], history: list[Session],
              mid: dict[str, int], last: date) -> tuple[Session, ...]:
    """Sessions already booked in the period for mid-course courses (placed by the greedy)."""
    if not mid:
        return ()
    wanted = tuple(replace(p, remaining=mid[p.course.ref]) for p in courses if p.course.ref in mid)
    partial = replace(base, bookings=tuple(history), courses=wanted)
    result = greedy_autoplan(partial, FIRST, last)
    by_ref = {p.course.ref: p.course for p in wanted}
    people = {m.ref: m for m in base.staff}
    return tuple(
        booking(f"B-{p.course}-{p.infusion}", by_ref[p.course], p.chair, p.start,
                ((p.psychiatrist, "psychiatrist"), (p.monitoring_clinician, p.monitoring_role)), people)
        for p in result.placed
    )
