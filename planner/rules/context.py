"""Flattening the domain records into the checks' working form, once per check.

Every session, staff member and course is read exactly once into these
``__slots__`` objects (pre-computed week slots, role sets, patient refs) and
the checks run on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from planner.domain import INACTIVE_SESSION_STATUSES
from planner.domain.policy import Policy
from planner.domain.records import Chair, Course, OpeningHours, Session, StaffMember

Range = tuple[time, time]
#: (weekday, start second of the day, end second of the day): where a session sits in a week.
Slot = tuple[int, int, int]


def _seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with touching or overlapping ones joined (08–12 + 12–18 = 08–18),
    so a session across the seam of two back-to-back ranges is inside the hours."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class Hours:
    """Weekly ranges (several per day allowed) and a memo of which slots fit inside one."""

    __slots__ = ("by_day", "_seconds", "_fits")

    def __init__(self, ranges: Iterable[tuple[int, time, time]]) -> None:
        by_day: dict[int, list[Range]] = {}
        for weekday, start, end in ranges:
            by_day.setdefault(weekday, []).append((start, end))
        self.by_day: dict[int, list[Range]] = {d: sorted(r) for d, r in by_day.items()}
        self._seconds = {
            d: _merged((_seconds(a), _seconds(b)) for a, b in r) for d, r in self.by_day.items()
        }
        self._fits: dict[Slot, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.by_day)

    def fits(self, slot: Slot) -> bool:
        """The whole slot lies inside one range of its weekday (back-to-back ranges count as one)."""
        ok = self._fits.get(slot)
        if ok is None:
            weekday, s, e = slot
            ok = self._fits[slot] = any(
                a <= s and e <= b for a, b in self._seconds.get(weekday, ())
            )
        return ok


class StaffInfo:
    __slots__ = ("ref", "name", "roles", "expires", "hours", "leave", "active")

    def __init__(self, staff: StaffMember) -> None:
        self.ref: str = staff.ref
        #: A deactivated staff member still assigned to a session is reported.
        #: (An unsaved ORM object has None until its default is applied: active.)
        self.active: bool = getattr(staff, "active", True) is not False
        self.name: str = staff.name
        self.roles: frozenset[str] = frozenset(staff.roles)
        self.expires: date | None = staff.credential_expires
        self.hours = Hours((h.weekday, h.start, h.end) for h in staff.hours)
        self.leave: tuple[tuple[date, date], ...] = tuple(
            sorted((lv.start, lv.end) for lv in staff.leave)
        )


class CourseInfo:
    __slots__ = (
        "ref",
        "patient_ref",
        "patient_name",
        "flags",
        "acknowledged_by",
        "infusions",
        "min_hours",
        "max_per_7",
        "max_gap_days",
        "planned",
        "status",
        "escort_missing",
        "consent_date",
    )

    def __init__(self, course: Course) -> None:
        patient = course.patient
        protocol = course.protocol
        self.ref: str = course.ref
        self.patient_ref: str = patient.ref
        self.patient_name: str = patient.name
        self.flags: tuple[str, ...] = tuple(patient.flags or ())
        self.acknowledged_by: str = patient.flags_acknowledged_by or ""
        self.infusions: int = protocol.infusions
        self.min_hours: float = float(protocol.min_hours_between)
        self.max_per_7: int = protocol.max_per_7_days
        self.max_gap_days: int = protocol.max_gap_days
        self.planned: int = course.planned_infusions
        self.status: str = course.status
        escort = patient.escort
        #: What of the escort is not on file ("" when both name and phone are).
        self.escort_missing: str = " and ".join(
            what for what, value in (("name", escort.name), ("phone", escort.phone)) if not value.strip()
        )
        self.consent_date: date | None = course.consent_date


class Rec:
    """One active session, flattened. ``staff``: distinct (staff, roles) pairs;
    ``assigned``: every (staff, role) assignment as recorded; ``done``: it took place
    (history: who did it and where stays as it was, deactivated or not)."""

    __slots__ = (
        "ref", "start", "end", "day", "slot", "chair", "chair_name", "course", "assigned", "done"
    )

    def __init__(
        self,
        ref: str,
        start: datetime,
        end: datetime,
        chair: str,
        chair_name: str,
        course: CourseInfo,
        assigned: tuple[tuple[StaffInfo, str], ...],
        done: bool = False,
    ) -> None:
        self.ref = ref
        self.done = done
        self.start = start
        self.end = end
        self.day: date = start.date()
        begin = start.hour * 3600 + start.minute * 60 + start.second
        self.slot: Slot = (start.weekday(), begin, begin + int((end - start).total_seconds()))
        self.chair = chair
        self.chair_name = chair_name
        self.course = course
        self.assigned = assigned

    def moved(
        self,
        start: datetime | None = None,
        chair: tuple[str, str] | None = None,
        assigned: tuple[tuple[StaffInfo, str], ...] | None = None,
    ) -> Rec:
        """A copy at another time/chair/staffing, same chair time."""
        new_start = self.start if start is None else start
        return Rec(
            self.ref,
            new_start,
            new_start + (self.end - self.start),
            self.chair if chair is None else chair[0],
            self.chair_name if chair is None else chair[1],
            self.course,
            self.assigned if assigned is None else assigned,
            self.done,
        )


class Context:
    """Clinic-wide facts (hours, closures, limits) and caches of staff and courses."""

    def __init__(
        self,
        policy: Policy,
        opening_hours: Iterable[OpeningHours],
        closures: Mapping[date, str] | Iterable[date],
    ) -> None:
        self.limits: dict[str, int] = {
            r: max(1, int(n)) for r, n in policy.concurrent_limit.items()
        }
        self.opening = Hours((h.weekday, h.open, h.close) for h in opening_hours)
        #: No opening hours on record at all = not set up yet: that check is skipped.
        self.has_opening = bool(self.opening)
        self.closures: dict[date, str] = (
            dict(closures) if isinstance(closures, Mapping) else dict.fromkeys(closures, "")
        )
        self.staff: dict[str, StaffInfo] = {}
        self.courses: dict[str, CourseInfo] = {}
        self.chairs: dict[str, str] = {}
        #: Refs of chairs no longer in use (a session still on one is reported).
        self.inactive_chairs: set[str] = set()

    def limit(self, role: str) -> int:
        return self.limits.get(role, 1)

    def staff_info(self, staff: StaffMember) -> StaffInfo:
        info = self.staff.get(staff.ref)
        if info is None:
            info = self.staff[staff.ref] = StaffInfo(staff)
        return info

    def add_chair(self, chair: Chair) -> None:
        self.chairs.setdefault(chair.ref, chair.name)
        if getattr(chair, "active", True) is False:
            self.inactive_chairs.add(chair.ref)

    def rec(self, s: Session) -> Rec | None:
        """The flat record of ``s``, or None when it is cancelled / a no-show."""
        if s.status in INACTIVE_SESSION_STATUSES:
            return None
        course = s.course
        info = self.courses.get(course.ref)
        if info is None:
            info = self.courses[course.ref] = CourseInfo(course)
        chair = s.chair
        chair_ref = chair.ref
        name = self.chairs.get(chair_ref)
        if name is None:
            name = self.chairs[chair_ref] = chair.name
        if getattr(chair, "active", True) is False:
            self.inactive_chairs.add(chair_ref)
        staff = self.staff
        assigned = []
        for a in s.assignments:
            member = a.staff
            sinfo = staff.get(member.ref)
            if sinfo is None:
                sinfo = staff[member.ref] = StaffInfo(member)
            assigned.append((sinfo, a.role))
        return Rec(
            s.ref, s.start, s.end, chair_ref, name, info, tuple(assigned), s.status == "done"
        )
