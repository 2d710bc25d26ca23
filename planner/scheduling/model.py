"""Plain, frozen descriptions of a clinic for planning (no ORM, no database).

The services turn database rows into these; tests and the benchmark build them
directly. Everything the planner decides is decided from these values alone, so
the same input always gives the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from planner.domain import MONITORING_ROLES, PSYCHIATRIST


@dataclass(frozen=True)
class ProtocolSpec:
    ref: str
    prep_minutes: int = 20
    infusion_minutes: int = 40
    recovery_minutes: int = 60
    min_hours_between: float = 48.0
    max_per_7_days: int = 3
    max_gap_days: int = 7
    infusions: int = 6

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes


@dataclass(frozen=True)
class StaffSpec:
    ref: str
    name: str
    roles: tuple[str, ...]
    credential_expires: date | None
    #: Weekly availability: (weekday 0-6, start, end) ranges.
    hours: tuple[tuple[int, time, time], ...] = ()
    #: Leave ranges, both dates inclusive.
    leave: tuple[tuple[date, date], ...] = ()

    def works_on(self, day: date) -> bool:
        """Credential valid and not on leave that day (weekly hours are checked separately)."""
        if self.credential_expires is None or self.credential_expires < day:
            return False
        return not any(start <= day <= end for start, end in self.leave)

    @property
    def is_psychiatrist(self) -> bool:
        return PSYCHIATRIST in self.roles

    @property
    def monitoring_roles(self) -> tuple[str, ...]:
        return tuple(r for r in MONITORING_ROLES if r in self.roles)


@dataclass(frozen=True)
class BookingSpec:
    """An existing active session: it holds its chair, staff and patient."""

    ref: str
    course: str
    patient: str
    chair: str
    start: datetime
    end: datetime
    #: (staff ref, role) pairs.
    staff: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CourseSpec:
    ref: str
    patient: str
    protocol: ProtocolSpec
    planned_infusions: int
    patient_name: str = ""
    #: Infusions still to schedule: planned minus the course's active sessions.
    remaining: int = 0
    #: Consent date: no infusion of the course is proposed before that day.
    consent_date: date | None = None
    #: Start of the course's latest active session (any date, even far outside a planning
    #: window): its remaining infusions come after it, never before it.
    last_start: datetime | None = None

    def not_before(self) -> datetime | None:
        """The earliest start for the course's next infusion (consent, spacing after the last)."""
        bounds = []
        if self.consent_date is not None:
            bounds.append(datetime.combine(self.consent_date, time()))
        if self.last_start is not None:
            bounds.append(self.last_start + spacing_delta(self.protocol))
        return max(bounds) if bounds else None


@dataclass(frozen=True)
class ClinicSpec:
    """Everything the planner reads: hours, closures, chairs, staff, bookings, courses."""

    #: (weekday 0-6, open, close) ranges.
    opening_hours: tuple[tuple[int, time, time], ...]
    closures: frozenset[date] = frozenset()
    chairs: tuple[str, ...] = ()
    staff: tuple[StaffSpec, ...] = ()
    bookings: tuple[BookingSpec, ...] = ()
    courses: tuple[CourseSpec, ...] = ()
    #: Concurrent-patient limit per role (``Policy.concurrent_limit``).
    concurrent_limit: dict[str, int] = field(default_factory=dict)

    def limit_for(self, role: str) -> int:
        return int(self.concurrent_limit.get(role, 1))

    def staff_limit(self, staff: StaffSpec) -> int:
        """A person's concurrent-patient limit: the strictest of the roles they hold."""
        limits = [self.limit_for(r) for r in staff.roles]
        return min(limits) if limits else 0

    def is_open_day(self, day: date) -> bool:
        if day in self.closures:
            return False
        return any(w == day.weekday() for w, _o, _c in self.opening_hours)

    def opening_ranges(self, day: date) -> list[tuple[time, time]]:
        return sorted((o, c) for w, o, c in self.opening_hours if w == day.weekday())

    def patient_bookings(self, patient: str) -> list[BookingSpec]:
        return sorted((b for b in self.bookings if b.patient == patient), key=lambda b: b.start)

    def course_bookings(self, course: str) -> list[BookingSpec]:
        return sorted((b for b in self.bookings if b.course == course), key=lambda b: b.start)


def spacing_delta(protocol: ProtocolSpec) -> timedelta:
    return timedelta(hours=protocol.min_hours_between)
