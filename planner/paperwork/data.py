"""Plain data the documents are built from (no database, no reportlab).

The service layer reads the database once and fills these frozen
dataclasses; the builders turn them into PDF bytes. Tests and the benchmark
build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.domain.policy import Policy

#: Printed across every page of a draft, followed by what is missing.
DRAFT_PREFIX = "DRAFT — staffing incomplete: "


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    address: str = ""
    phone: str = ""
    #: PNG or JPEG bytes (checked when the clinic imported it).
    logo: bytes | None = None


@dataclass(frozen=True)
class PatientInfo:
    ref: str
    name: str
    date_of_birth: date
    record_number: str
    weight_kg: float | None = None
    flags: tuple[str, ...] = ()
    flags_acknowledged_by: str = ""
    escort_name: str = ""
    escort_phone: str = ""


@dataclass(frozen=True)
class ProtocolInfo:
    ref: str
    name: str
    infusions: int
    prep_minutes: int
    infusion_minutes: int
    recovery_minutes: int
    dose_mg_per_kg: float


@dataclass(frozen=True)
class StaffOnDuty:
    ref: str
    name: str
    role: str  # a planner.domain role code


@dataclass(frozen=True)
class Problem:
    """One rule violation printed on a document (code + the rules engine's message)."""

    code: str
    severity: str  # "error" | "warning"
    message: str


@dataclass(frozen=True)
class Appointment:
    start: datetime
    chair_name: str = ""


@dataclass(frozen=True)
class SessionInfo:
    """One infusion session with everything a sheet or a schedule prints about it."""

    ref: str
    start: datetime
    status: str
    chair_ref: str
    chair_name: str
    chair_room: str
    prep_minutes: int
    infusion_minutes: int
    recovery_minutes: int
    number: int  # n in "infusion n of N"
    of: int  # N: infusions planned for the course
    course_ref: str
    patient: PatientInfo
    protocol: ProtocolInfo
    psychiatrist: StaffOnDuty | None = None
    monitoring: StaffOnDuty | None = None
    consent_date: date | None = None
    next_appointment: Appointment | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.chair_minutes)

    @property
    def dose_mg(self) -> float | None:
        """Total dose (mg/kg × kg) when the patient's weight is known."""
        if self.patient.weight_kg is None:
            return None
        return round(self.protocol.dose_mg_per_kg * self.patient.weight_kg, 1)


@dataclass(frozen=True)
class ConsentData:
    clinic: ClinicInfo
    patient: PatientInfo
    course_ref: str
    protocol: ProtocolInfo
    planned_infusions: int
    planned_dates: tuple[datetime, ...]
    template_text: str
    policy: Policy = field(default_factory=Policy)
    consent_date: date | None = None


@dataclass(frozen=True)
class MonitoringData:
    clinic: ClinicInfo
    session: SessionInfo
    policy: Policy = field(default_factory=Policy)


@dataclass(frozen=True)
class ChairInfo:
    ref: str
    name: str
    room: str = ""


@dataclass(frozen=True)
class DaySchedule:
    day: date
    open_from: datetime | None  # opening hours, when the clinic is open that day
    open_until: datetime | None
    closed_reason: str | None  # a closure day
    sessions: tuple[SessionInfo, ...]


@dataclass(frozen=True)
class WeekData:
    clinic: ClinicInfo
    monday: date
    chairs: tuple[ChairInfo, ...]
    days: tuple[DaySchedule, ...]  # only the days that get a page
    problems: tuple[tuple[SessionInfo, Problem], ...] = ()


@dataclass(frozen=True)
class DayPacketData:
    clinic: ClinicInfo
    day: date
    sessions: tuple[SessionInfo, ...]  # active sessions of the day, by start
    consents: dict[str, ConsentData]  # course ref -> consent form to include
    policy: Policy = field(default_factory=Policy)
    #: Per session ref, the staffing problems that make this packet a draft.
    draft_notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderOptions:
    """How to print: paper size, the timestamp in the footer, and a draft note."""

    paper: str = "A4"  # "A4" | "Letter"
    now: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    #: When set, "DRAFT — staffing incomplete: <note>" is printed across every page.
    draft_note: str | None = None
