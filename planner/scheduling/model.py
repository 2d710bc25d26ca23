"""What the planner reads: a clinic's domain records and each course's planning state.

Protocols, staff, courses and booked sessions are the domain records
(``planner.domain.records``), defined once; the planner adds only what it
works out about a course (how many infusions remain, when the latest one
was) in ``CourseProgress``, and gathers the rest in ``ClinicSpec``. The
services read the database into these through ``planner.db.mapping``; tests
and the benchmark build them directly. Everything the planner decides is
decided from these values alone, so the same input always gives the same plan.

Booked sessions stay ``Session`` records: the planner reads each one once,
into its own working forms (bit masks of chair and staff time on the
``Board``, ``Visit``s of each patient in the ``PatientBook``), so a compact
copy of them would save nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from planner.domain import INFUSION_NURSE, MONITORING_ROLES
from planner.domain.records import Course, OpeningHours, Protocol, Session, StaffMember


@dataclass(frozen=True, slots=True)
class CourseProgress:
    """A course as the planner sees it: the domain ``Course`` and how far it has got."""

    course: Course
    #: Infusions still to schedule: planned minus the course's active sessions.
    remaining: int = 0
    #: Start of the course's latest active session (any date, even far outside a planning
    #: window): its remaining infusions come after it, never before it.
    last_start: datetime | None = None
    #: No infusion starts before this moment (the planning's "now": the past is not planned).
    earliest: datetime | None = None

    def not_before(self) -> datetime | None:
        """The earliest start for the course's next infusion (now, consent, spacing after the
        last)."""
        bounds = [self.earliest] if self.earliest is not None else []
        if self.course.consent_date is not None:
            bounds.append(datetime.combine(self.course.consent_date, time()))
        if self.last_start is not None:
            bounds.append(self.last_start + spacing_delta(self.course.protocol))
        return max(bounds) if bounds else None


@dataclass(frozen=True)
class ClinicSpec:
    """Everything the planner reads: hours, closures, chairs, staff, bookings, courses."""

    opening_hours: tuple[OpeningHours, ...]
    closures: frozenset[date] = frozenset()
    #: Refs of the chairs the planner may use.
    chairs: tuple[str, ...] = ()
    staff: tuple[StaffMember, ...] = ()
    #: Active sessions around the period: they hold chairs, staff and the patients' spacing.
    bookings: tuple[Session, ...] = ()
    courses: tuple[CourseProgress, ...] = ()
    #: Concurrent-patient limit per role (``Policy.concurrent_limit``).
    concurrent_limit: dict[str, int] = field(default_factory=dict)

    def limit_for(self, role: str) -> int:
        return int(self.concurrent_limit.get(role, 1))

    def staff_limit(self, staff: StaffMember) -> int:
        """A person's concurrent-patient limit: the strictest of the roles they hold."""
        limits = [self.limit_for(r) for r in staff.roles]
        return min(limits) if limits else 0

    def opening_ranges(self, day: date) -> list[tuple[time, time]]:
        return sorted((h.open, h.close) for h in self.opening_hours if h.weekday == day.weekday())

    def progress_of(self, course: str) -> CourseProgress | None:
        """The planning state of the course with ref ``course`` (None: not one the planner is given)."""
        return next((c for c in self.courses if c.course.ref == course), None)

    def course_bookings(self, course: str) -> list[Session]:
        return sorted((b for b in self.bookings if b.course.ref == course), key=lambda b: b.start)


def works_on(member: StaffMember, day: date) -> bool:
    """Credential valid and not on leave that day (weekly hours are checked separately)."""
    return member.credential_valid(day) and not member.on_leave(day)


def monitoring_role(roles: tuple[str, ...]) -> str:
    """The monitoring role a person fills: infusion nurse before anesthesiologist ("" for none)."""
    if INFUSION_NURSE in roles:
        return INFUSION_NURSE
    return next((r for r in MONITORING_ROLES if r in roles), "")


def spacing_delta(protocol: Protocol) -> timedelta:
    return timedelta(hours=protocol.min_hours_between)


def spacing_minutes(protocol: Protocol) -> int:
    """The protocol's minimum time between two infusions' starts, in whole minutes."""
    return int(round(protocol.min_hours_between * 60))
