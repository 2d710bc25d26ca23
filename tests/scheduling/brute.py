"""An exhaustive search for the most infusions a tiny clinic can take: the planner's yardstick.

Written from the clinic's rules directly (not from the planner's bit masks): every
course tries every chain of start times on the grid, and every set of sessions is
given chairs and staff by backtracking. Exponential, so only for a few courses over a
day or two; it answers "how many could be placed at best?" for the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.domain import MONITORING_ROLES, PSYCHIATRIST
from planner.domain.records import StaffMember
from planner.scheduling.model import ClinicSpec, CourseProgress

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Session:
    course: str
    start: datetime
    end: datetime


def _merged(ranges: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Back-to-back or overlapping ranges joined (as the rules engine reads hours)."""
    out: list[tuple[time, time]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _inside(ranges: list[tuple[time, time]], start: datetime, end: datetime) -> bool:
    return start.date() == end.date() and any(a <= start.time() and end.time() <= b for a, b in ranges)


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Exhaustive:
    def __init__(self, clinic: ClinicSpec, first: date, last: date, step: int) -> None:
        self.clinic = clinic
        self.first, self.last, self.step = first, last, step
        self.days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        self.courses = sorted((c for c in clinic.courses if c.remaining > 0), key=lambda c: c.course.ref)
        self.spacing = {c.course.ref: timedelta(hours=c.course.protocol.min_hours_between) for c in clinic.courses}
        self.limit = {s.ref: min(clinic.limit_for(r) for r in s.roles) for s in clinic.staff}
        self.chains = {c.course.ref: self._chains(c) for c in self.courses}
        self.best = 0

    # -- a course's own limits ---------------------------------------------------------------
    def _starts(self, course: CourseProgress) -> list[datetime]:
        minutes = course.course.protocol.chair_minutes
        out = []
        for day in self.days:
            if day in self.clinic.closures:
                continue
            ranges = _merged([(h.open, h.close) for h in self.clinic.opening_hours if h.weekday == day.weekday()])
            t = datetime.combine(day, time())
            while t.date() == day:
                if _inside(ranges, t, t + timedelta(minutes=minutes)):
                    out.append(t)
                t += timedelta(minutes=self.step)
        return out

    def _patient_ok(self, progress: CourseProgress, chain: list[datetime]) -> bool:
        floor = progress.not_before()
        course = progress.course
        if floor is not None and chain and chain[0] < floor:
            return False
        minutes = timedelta(minutes=course.protocol.chair_minutes)
        own = self.spacing[course.ref]
        for b in self.clinic.bookings:
            if b.patient.ref != course.patient.ref:
                continue
            gap = max(own, self.spacing.get(b.course.ref, timedelta()))
            for t in chain:
                if abs(t - b.start) < gap or _overlap((t, t + minutes), (b.start, b.end)):
                    return False
        limit = course.protocol.max_per_7_days
        if limit > 0:
            days = sorted([b.start.date() for b in self.clinic.bookings if b.course.ref == course.ref]
                          + [t.date() for t in chain])
            for i in range(len(days) - limit):
                if (days[i + limit] - days[i]).days < 7:
                    return False
        return True

    def _chains(self, course: CourseProgress) -> list[list[datetime]]:
        starts = self._starts(course)
        gap = self.spacing[course.course.ref]
        out: list[list[datetime]] = [[]]

        def grow(chain: list[datetime]) -> None:
            if len(chain) >= course.remaining:
                return
            for t in starts:
                if chain and t - chain[-1] < gap:
                    continue
                longer = [*chain, t]
                if self._patient_ok(course, longer):
                    out.append(longer)
                    grow(longer)

        grow([])
        return out

    # -- chairs and staff ----------------------------------------------------------------------
    def _staff_ok(self, person: StaffMember, role: str, s: Session) -> bool:
        day = s.start.date()
        if role == PSYCHIATRIST:
            if PSYCHIATRIST not in person.roles:
                return False
        elif not any(r in person.roles for r in MONITORING_ROLES):
            return False
        if person.credential_expires is None or person.credential_expires < day:
            return False
        if any(lv.start <= day <= lv.end for lv in person.leave):
            return False
        ranges = _merged([(h.start, h.end) for h in person.hours if h.weekday == day.weekday()])
        return _inside(ranges, s.start, s.end)

    def _load_ok(self, person: str, s: Session, busy: list[tuple[Interval, tuple[str, ...]]]) -> bool:
        """One more patient for ``person`` during ``s`` keeps them within their limit."""
        theirs = [iv for iv, people in busy if person in people and _overlap(iv, (s.start, s.end))]
        for t in [s.start] + [iv[0] for iv in theirs if iv[0] > s.start]:
            if 1 + sum(1 for a, b in theirs if a <= t < b) > self.limit[person]:
                return False
        return True

    def assignable(self, sessions: list[Session]) -> bool:
        """Chairs and two people for every session (existing bookings keep theirs)."""
        chairs_busy: dict[str, list[Interval]] = {c: [] for c in self.clinic.chairs}
        busy: list[tuple[Interval, tuple[str, ...]]] = []
        for b in self.clinic.bookings:
            if b.chair.ref in chairs_busy:
                chairs_busy[b.chair.ref].append((b.start, b.end))
            busy.append(((b.start, b.end), tuple(a.staff.ref for a in b.assignments)))
        ordered = sorted(sessions, key=lambda s: (s.start, s.course))

        def place(i: int) -> bool:
            if i == len(ordered):
                return True
            s = ordered[i]
            iv = (s.start, s.end)
            for taken in chairs_busy.values():
                if any(_overlap(iv, t) for t in taken):
                    continue
                for psy in self.clinic.staff:
                    if not self._staff_ok(psy, PSYCHIATRIST, s) or not self._load_ok(psy.ref, s, busy):
                        continue
                    for mon in self.clinic.staff:
                        if mon.ref == psy.ref or not self._staff_ok(mon, "monitor", s):
                            continue
                        if not self._load_ok(mon.ref, s, busy):
                            continue
                        taken.append(iv)
                        busy.append((iv, (psy.ref, mon.ref)))
                        if place(i + 1):
                            return True
                        busy.pop()
                        taken.pop()
            return False

        return place(0)

    # -- the search ----------------------------------------------------------------------------
    def solve(self) -> int:
        """The most infusions any plan places."""
        most = [max(len(ch) for ch in self.chains[c.course.ref]) for c in self.courses]
        rest = [sum(most[i:]) for i in range(len(most) + 1)]

        def search(i: int, sessions: list[Session]) -> None:
            if len(sessions) + rest[i] <= self.best:
                return
            if i == len(self.courses):
                self.best = len(sessions)
                return
            course = self.courses[i].course
            minutes = timedelta(minutes=course.protocol.chair_minutes)
            for chain in sorted(self.chains[course.ref], key=len, reverse=True):
                more = [Session(course.ref, t, t + minutes) for t in chain]
                if not more or self.assignable(sessions + more):
                    search(i + 1, sessions + more)

        search(0, [])
        return self.best
