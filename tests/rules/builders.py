"""Small clinics made of snapshot records, for rule tests (no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from planner.domain.records import (
    Assignment,
    Chair,
    Course,
    Escort,
    Leave,
    OpeningHours,
    Patient,
    Protocol,
    Session,
    StaffMember,
    WeeklyHours,
)
from planner.rules import ClinicData, Violation

WORKDAYS = range(5)
#: 20 min prep + 40 min infusion + 60 min recovery = 2 h of chair time.
KET = Protocol(ref="KET-DEP", name="Ketamine — depression induction")
CH1 = Chair(ref="CH-1", name="Chair 1")
CH2 = Chair(ref="CH-2", name="Chair 2")
CH3 = Chair(ref="CH-3", name="Chair 3")


def hours(
    days: Iterable[int] = WORKDAYS, start: str = "08:00", end: str = "18:00"
) -> tuple[WeeklyHours, ...]:
    return tuple(
        WeeklyHours(weekday=d, start=time.fromisoformat(start), end=time.fromisoformat(end))
        for d in days
    )


def staff(
    ref: str,
    name: str,
    roles: Sequence[str],
    *,
    expires: date | None = date(2030, 1, 1),
    weekly: tuple[WeeklyHours, ...] | None = None,
    leave: Sequence[tuple[date, date]] = (),
) -> StaffMember:
    return StaffMember(
        ref=ref,
        name=name,
        roles=tuple(roles),
        credential_expires=expires,
        hours=hours() if weekly is None else weekly,
        leave=tuple(Leave(start=a, end=b) for a, b in leave),
    )


ANA = staff("S1", "Dr Ana Silva", ["psychiatrist"])
TOM = staff("S2", "Tomás Nuñez", ["infusion_nurse"])
BEA = staff("S3", "Bea Okafor", ["infusion_nurse"])
RAJ = staff("S4", "Dr Raj Patel", ["psychiatrist"])


MAREK = Escort(name="Marek Łukasiewicz", phone="+1 555 0111")


def patient(
    ref: str = "P-1",
    name: str = "Zoë Łukasiewicz",
    flags: Sequence[str] = (),
    ack: str = "",
    escort: Escort = MAREK,
) -> Patient:
    return Patient(
        ref=ref,
        name=name,
        date_of_birth=date(1980, 1, 1),
        record_number=f"MRN-{ref}",
        flags=tuple(flags),
        flags_acknowledged_by=ack,
        escort=escort,
    )


ZOE = patient()
JAN = patient("P-2", "Jan Kowalski")


def course(
    ref: str = "C-1",
    who: Patient = ZOE,
    protocol: Protocol = KET,
    planned: int = 6,
    status: str = "active",
    consent: date | None = date(2026, 11, 30),
) -> Course:
    return Course(
        ref=ref,
        patient=who,
        protocol=protocol,
        planned_infusions=planned,
        status=status,
        consent_date=consent,
    )


C1 = course()
C2 = course("C-2", JAN)


def at(text: str) -> datetime:
    """``"12-01 09:00"`` → 2026-12-01 09:00 (Tue 1 Dec 2026); full ISO also accepted."""
    if len(text) <= 11:
        text = "2026-" + text
    return datetime.fromisoformat(text)


def session(
    ref: str,
    start: str | datetime,
    *,
    course: Course = C1,
    chair: Chair = CH1,
    team: Sequence[tuple[StaffMember, str]] = ((ANA, "psychiatrist"), (TOM, "infusion_nurse")),
    status: str = "planned",
    minutes: tuple[int, int, int] | None = None,
) -> Session:
    when = at(start) if isinstance(start, str) else start
    prep, infusion, recovery = minutes if minutes is not None else (None, None, None)
    return Session(
        ref=ref,
        course=course,
        chair=chair,
        start=when,
        status=status,
        assignments=tuple(Assignment(staff=s, role=role) for s, role in team),
        prep_minutes_override=prep,
        infusion_minutes_override=infusion,
        recovery_minutes_override=recovery,
    )


def clinic(
    *sessions: Session,
    opening: Sequence[tuple[int, str, str]] | None = None,
    closures: Sequence[date] = (),
    staff_list: Sequence[StaffMember] = (ANA, TOM, BEA, RAJ),
) -> ClinicData:
    rows = [(d, "08:00", "18:00") for d in WORKDAYS] if opening is None else opening
    return ClinicData(
        sessions=list(sessions),
        opening_hours=[
            OpeningHours(weekday=d, open=time.fromisoformat(a), close=time.fromisoformat(b))
            for d, a, b in rows
        ],
        closures=dict.fromkeys(closures, "Christmas"),
        staff=list(staff_list),
        chairs=[CH1, CH2, CH3],
    )


def codes(violations: Iterable[Violation], session: str | None = None) -> list[str]:
    return sorted(v.code for v in violations if session is None or v.session == session)


def of(violations: Iterable[Violation], code: str) -> list[Violation]:
    return [v for v in violations if v.code == code]
