"""Plain, frozen snapshot records that satisfy the protocols of ``planner.rules.types``.

``planner.services.checking.load_clinic_data`` builds these from the database
so a check (or a GUI holding the result) never lazy-loads after the
transaction ends. Tests build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class ProtocolRecord:
    ref: str
    name: str
    infusions: int = 6
    prep_minutes: int = 20
    infusion_minutes: int = 40
    recovery_minutes: int = 60
    min_hours_between: float = 48.0
    max_per_7_days: int = 3
    max_gap_days: int = 7


@dataclass(frozen=True, slots=True)
class ChairRecord:
    ref: str
    name: str
    room: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class HoursRecord:
    weekday: int
    start_time: time
    end_time: time


@dataclass(frozen=True, slots=True)
class LeaveRecord:
    start_date: date
    end_date: date


@dataclass(frozen=True, slots=True)
class StaffRecord:
    ref: str
    name: str
    roles: tuple[str, ...]
    credential_expires: date | None
    hours: tuple[HoursRecord, ...] = ()
    leave: tuple[LeaveRecord, ...] = ()
    active: bool = True


@dataclass(frozen=True, slots=True)
class PatientRecord:
    ref: str
    name: str
    flags: tuple[str, ...] = ()
    flags_acknowledged_by: str = ""


@dataclass(frozen=True, slots=True)
class CourseRecord:
    ref: str
    patient: PatientRecord
    protocol: ProtocolRecord
    planned_infusions: int
    status: str = "active"


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    staff: StaffRecord
    role: str


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session; durations default to the protocol's when not overridden (as in the ORM).

    ``end`` (end of chair time) is worked out once when the record is made: it
    is read for every comparison a check makes.
    """

    ref: str
    course: CourseRecord
    chair: ChairRecord
    start: datetime
    status: str = "planned"
    assignments: tuple[AssignmentRecord, ...] = ()
    prep_minutes_override: int | None = None
    infusion_minutes_override: int | None = None
    recovery_minutes_override: int | None = None
    end: datetime = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "end", self.start + timedelta(minutes=self.chair_minutes))

    @property
    def prep_minutes(self) -> int:
        p = self.prep_minutes_override
        return self.course.protocol.prep_minutes if p is None else p

    @property
    def infusion_minutes(self) -> int:
        p = self.infusion_minutes_override
        return self.course.protocol.infusion_minutes if p is None else p

    @property
    def recovery_minutes(self) -> int:
        p = self.recovery_minutes_override
        return self.course.protocol.recovery_minutes if p is None else p

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes


@dataclass(frozen=True, slots=True)
class OpeningHoursRecord:
    weekday: int
    open_time: time
    close_time: time


@dataclass(frozen=True, slots=True)
class ClosureRecord:
    day: date
    reason: str = ""


@dataclass(slots=True)
class ClinicData:
    """A snapshot to check. ``focus``: refs whose violations the caller asked for
    (the rest is context, e.g. neighbours just outside a date range); None = all."""

    sessions: list[SessionRecord] = field(default_factory=list)
    opening_hours: list[OpeningHoursRecord] = field(default_factory=list)
    closures: list[ClosureRecord] = field(default_factory=list)
    staff: list[StaffRecord] = field(default_factory=list)
    chairs: list[ChairRecord] = field(default_factory=list)
    focus: frozenset[str] | None = None
