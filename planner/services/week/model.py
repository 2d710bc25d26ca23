"""The week as the planner sees it: frozen snapshots, plus the small pure questions asked of them.

Nothing here touches the database; ``planner.services.week.queries`` fills these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.domain import INACTIVE_SESSION_STATUSES, MONITORING_ROLES, PSYCHIATRIST
from planner.domain.policy import Policy


@dataclass(frozen=True)
class StaffOnSession:
    ref: str
    name: str
    role: str

    @property
    def initials(self) -> str:
        return initials(self.name)


@dataclass(frozen=True)
class SessionSnapshot:
    """Everything a session block, its tooltip and the editor need."""

    ref: str
    version: int
    start: datetime
    status: str
    prep_minutes: int
    infusion_minutes: int
    recovery_minutes: int
    #: The per-session overrides (None = the protocol's value).
    overrides: tuple[int | None, int | None, int | None]
    chair_ref: str
    chair_name: str
    course_ref: str
    course_status: str
    patient_ref: str
    patient_name: str
    protocol_ref: str
    protocol_name: str
    number: int  # n of N: position among the course's active sessions
    planned_infusions: int
    #: The protocol's (preparation, infusion, recovery) minutes, used when not overridden.
    protocol_minutes: tuple[int, int, int] = (20, 40, 60)
    staff: tuple[StaffOnSession, ...] = ()
    #: The patient's record number (tells two patients of the same name apart on a card).
    patient_record: str = ""

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.chair_minutes)

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE_SESSION_STATUSES

    @property
    def psychiatrist(self) -> StaffOnSession | None:
        return next((s for s in self.staff if s.role == PSYCHIATRIST), None)

    @property
    def monitoring(self) -> StaffOnSession | None:
        return next((s for s in self.staff if s.role in MONITORING_ROLES), None)


@dataclass(frozen=True)
class ChairSnapshot:
    ref: str
    name: str
    room: str


@dataclass(frozen=True)
class StaffSnapshot:
    ref: str
    name: str
    roles: tuple[str, ...]
    credential_expires: date | None
    #: weekday -> ((start, end), ...)
    hours: dict[int, tuple[tuple[time, time], ...]]
    leave: tuple[tuple[date, date], ...]

    @property
    def initials(self) -> str:
        return initials(self.name)

    def on_leave(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.leave)

    def works(self, start: datetime, end: datetime) -> bool:
        """True when ``start``–``end`` lies inside one of the weekly ranges of that day."""
        if start.date() != end.date() and end.time() != time(0):
            return False
        for first, last in self.hours.get(start.weekday(), ()):
            if first <= start.time() and (end.time() <= last or last == time(0)):
                return True
        return False

    def credential_valid(self, day: date) -> bool:
        return self.credential_expires is None or self.credential_expires >= day


@dataclass(frozen=True)
class Violation:
    """The part of a rules-engine violation the planner shows (a detached copy)."""

    code: str
    severity: str
    session: str
    message: str
    related: tuple[str, ...] = ()
    staff: str | None = None
    patient: str | None = None
    chair: str | None = None


@dataclass(frozen=True)
class WeekSnapshot:
    monday: date
    clinic_name: str
    policy: Policy
    chairs: tuple[ChairSnapshot, ...]
    staff: tuple[StaffSnapshot, ...]
    sessions: tuple[SessionSnapshot, ...]
    #: weekday -> (open, close); a missing weekday means closed every week.
    opening_hours: dict[int, tuple[time, time]]
    closures: dict[date, str]
    violations: tuple[Violation, ...] = ()
    #: The rules engine's data for the week, for "what if" checks (None without the engine).
    clinic_data: Any = field(default=None, compare=False, repr=False)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    def is_open(self, day: date) -> bool:
        return day.weekday() in self.opening_hours and day not in self.closures

    def session(self, ref: str) -> SessionSnapshot | None:
        return next((s for s in self.sessions if s.ref == ref), None)

    def violations_of(self, ref: str) -> list[Violation]:
        return [v for v in self.violations if v.session == ref]

    def day_range(self) -> tuple[time, time]:
        """Earliest opening and latest closing over the week (08:00–18:00 if never open)."""
        if not self.opening_hours:
            return time(8), time(18)
        opens = min(o for o, _ in self.opening_hours.values())
        closes = max(c for _, c in self.opening_hours.values())
        return opens, closes

    def open_minutes(self) -> int:
        """Chair-minutes the clinic offers this week (open days × hours × chairs)."""
        total = 0
        for day in self.days:
            if self.is_open(day):
                opens, closes = self.opening_hours[day.weekday()]
                total += _minutes(closes) - _minutes(opens)
        return total * len(self.chairs)

    def summary(self) -> WeekSummary:
        active = [s for s in self.sessions if s.active]
        booked = sum(s.chair_minutes for s in active)
        capacity = self.open_minutes()
        return WeekSummary(
            sessions=len(active),
            errors=sum(1 for v in self.violations if v.severity == "error"),
            warnings=sum(1 for v in self.violations if v.severity != "error"),
            utilisation=(100.0 * booked / capacity) if capacity else 0.0,
        )


@dataclass(frozen=True)
class WeekSummary:
    sessions: int
    errors: int
    warnings: int
    utilisation: float


@dataclass(frozen=True)
class CourseChoice:
    """An active course a new session may belong to."""

    ref: str
    patient_ref: str
    patient_name: str
    protocol_name: str
    planned_infusions: int
    booked: int
    prep_minutes: int
    infusion_minutes: int
    recovery_minutes: int


@dataclass(frozen=True)
class PatientHit:
    """A search result: the patient and their next session (if any) from ``after`` on."""

    patient_ref: str
    patient_name: str
    record_number: str
    next_session: str | None
    next_start: datetime | None


def initials(name: str) -> str:
    """"Dr Ana Silva" -> "AS": titles are dropped, first and last word kept."""
    words = [w for w in name.replace(".", " ").split() if w.lower() not in _TITLES]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


_TITLES = {"dr", "prof", "mr", "mrs", "ms", "mx", "rn", "md"}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute or (24 * 60 if value == time(0) else 0)


def copy_violation(v: Any) -> Violation:
    return Violation(
        code=str(v.code),
        severity=str(v.severity),
        session=str(v.session),
        message=str(v.message),
        related=tuple(getattr(v, "related", ()) or ()),
        staff=getattr(v, "staff", None),
        patient=getattr(v, "patient", None),
        chair=getattr(v, "chair", None),
    )


@dataclass(frozen=True)
class StaffOption:
    """A staff member who may fill ``role``, with what stands against them at that time."""

    ref: str
    name: str
    role: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def staff_options(
    week: WeekSnapshot,
    roles: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    exclude_session: str | None = None,
) -> list[StaffOption]:
    """Everyone holding one of ``roles``, marked unavailable / on leave / overbooked / expired.

    Problem words are stable keys (``off_hours``, ``on_leave``, ``overbooked``,
    ``credential_expired``); the GUI translates them.
    """
    out = []
    for member in week.staff:
        for role in roles:
            if role not in member.roles:
                continue
            problems = []
            if member.on_leave(start.date()):
                problems.append("on_leave")
            elif not member.works(start, end):
                problems.append("off_hours")
            if not member.credential_valid(start.date()):
                problems.append("credential_expired")
            if _peak_load(week, member.ref, start, end, exclude_session) >= week.policy.limit_for(role):
                problems.append("overbooked")
            out.append(StaffOption(member.ref, member.name, role, tuple(problems)))
    return sorted(out, key=lambda o: (bool(o.problems), o.name))


def _peak_load(
    week: WeekSnapshot, staff_ref: str, start: datetime, end: datetime, exclude: str | None
) -> int:
    """Most sessions this person already has at one moment within [start, end)."""
    spans = [
        (max(s.start, start), min(s.end, end))
        for s in week.sessions
        if s.active
        and s.ref != exclude
        and s.start < end
        and s.end > start
        and any(a.ref == staff_ref for a in s.staff)
    ]
    peak = 0
    for moment, _ in spans:
        peak = max(peak, sum(1 for a, b in spans if a <= moment < b))
    return peak


def staff_load(week: WeekSnapshot) -> dict[str, dict[date, list[SessionSnapshot]]]:
    """staff ref -> day -> the active sessions they are assigned to."""
    out: dict[str, dict[date, list[SessionSnapshot]]] = {}
    for s in week.sessions:
        if not s.active:
            continue
        for person in s.staff:
            out.setdefault(person.ref, {}).setdefault(s.start.date(), []).append(s)
    return out
