"""What the documents are built from: the domain records, plus what only a printout knows.

The clinic, patients, protocols, chairs, staff and sessions are the domain
records of :mod:`planner.domain.records`; this module adds the few things a
sheet prints that no record holds (the number of an infusion in its series,
the next appointment, the planner's findings) and the options of a print.
The service layer reads the database once and fills these; the builders turn
them into PDF bytes. Tests and the benchmark build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from planner.domain.policy import Policy
from planner.domain.records import (
    Assignment,
    Chair,
    Clinic,
    Course,
    Patient,
    Protocol,
    Session,
)
from planner.rules.violation import Violation

#: Printed across every page of a draft, followed by what is missing on that page's session.
DRAFT_PREFIX = "DRAFT — staffing incomplete: "


@dataclass(frozen=True)
class SessionInfo:
    """One session as a sheet or a schedule prints it.

    ``number`` is n of "infusion n of N" (0 for a cancelled or no-show session: it
    used up no infusion); ``next_session`` is the course's next active session.
    """

    session: Session
    number: int
    next_session: Session | None = None
    problems: tuple[Violation, ...] = ()

    @property
    def ref(self) -> str:
        return self.session.ref

    @property
    def start(self) -> datetime:
        return self.session.start

    @property
    def end(self) -> datetime:
        return self.session.end

    @property
    def status(self) -> str:
        return self.session.status

    @property
    def chair(self) -> Chair:
        return self.session.chair

    @property
    def course(self) -> Course:
        return self.session.course

    @property
    def patient(self) -> Patient:
        return self.session.patient

    @property
    def protocol(self) -> Protocol:
        return self.session.protocol

    @property
    def of(self) -> int:
        """N of "infusion n of N": the infusions the course plans."""
        return self.session.course.planned_infusions

    @property
    def psychiatrist(self) -> Assignment | None:
        return self.session.psychiatrist

    @property
    def monitoring(self) -> Assignment | None:
        return self.session.monitoring

    @property
    def consent_date(self) -> date | None:
        return self.session.course.consent_date

    @property
    def dose_mg(self) -> float | None:
        """Total dose (mg/kg × kg) when the patient's weight is known."""
        return dose_mg(self.protocol, self.patient)


def dose_mg(protocol: Protocol, patient: Patient) -> float | None:
    """mg/kg × kg, rounded to 0.1 mg; None while the weight is unknown."""
    if patient.weight_kg is None:
        return None
    return round(protocol.dose_mg_per_kg * patient.weight_kg, 1)


@dataclass(frozen=True)
class ConsentData:
    clinic: Clinic
    course: Course
    #: Starts of the course's active sessions, in order.
    planned_dates: tuple[datetime, ...]
    template_text: str
    policy: Policy = field(default_factory=Policy)

    @property
    def patient(self) -> Patient:
        return self.course.patient

    @property
    def protocol(self) -> Protocol:
        return self.course.protocol


@dataclass(frozen=True)
class MonitoringData:
    clinic: Clinic
    session: SessionInfo
    policy: Policy = field(default_factory=Policy)


@dataclass(frozen=True)
class DaySchedule:
    day: date
    open_from: datetime | None  # opening hours, when the clinic is open that day
    open_until: datetime | None
    closed_reason: str | None  # a closure day
    sessions: tuple[SessionInfo, ...]


@dataclass(frozen=True)
class WeekData:
    clinic: Clinic
    monday: date
    chairs: tuple[Chair, ...]
    days: tuple[DaySchedule, ...]  # only the days that get a page
    problems: tuple[tuple[SessionInfo, Violation], ...] = ()


@dataclass(frozen=True)
class DayPacketData:
    clinic: Clinic
    day: date
    sessions: tuple[SessionInfo, ...]  # active sessions of the day, by start
    consents: dict[str, ConsentData]  # course ref -> consent form to include
    policy: Policy = field(default_factory=Policy)
    #: Per session ref, what is missing on that session (its own draft banner).
    draft_notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderOptions:
    """How to print: paper size, the timestamp in the footer, and a draft note."""

    paper: str = "A4"  # "A4" | "Letter"
    now: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    #: When set, "DRAFT — staffing incomplete: <note>" is printed across every page.
    draft_note: str | None = None
