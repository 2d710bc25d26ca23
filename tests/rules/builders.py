"""Small clinics made of snapshot records, for rule tests (no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from planner.rules import (
    AssignmentRecord,
    ChairRecord,
    ClinicData,
    ClosureRecord,
    CourseRecord,
    HoursRecord,
    LeaveRecord,
    OpeningHoursRecord,
    PatientRecord,
    ProtocolRecord,
    SessionRecord,
    StaffRecord,
    Violation,
)

WORKDAYS = range(5)
#: 20 min prep + 40 min infusion + 60 min recovery = 2 h of chair time.
KET = ProtocolRecord("KET-DEP", "Ketamine — depression induction")
CH1 = ChairRecord("CH-1", "Chair 1")
CH2 = ChairRecord("CH-2", "Chair 2")
CH3 = ChairRecord("CH-3", "Chair 3")


def hours(
    days: Iterable[int] = WORKDAYS, start: str = "08:00", end: str = "18:00"
) -> tuple[HoursRecord, ...]:
    return tuple(HoursRecord(d, time.fromisoformat(start), time.fromisoformat(end)) for d in days)


def staff(
    ref: str,
    name: str,
    roles: Sequence[str],
    *,
    expires: date | None = date(2030, 1, 1),
    weekly: tuple[HoursRecord, ...] | None = None,
    leave: Sequence[tuple[date, date]] = (),
) -> StaffRecord:
    return StaffRecord(
        ref,
        name,
        tuple(roles),
        expires,
        hours() if weekly is None else weekly,
        tuple(LeaveRecord(a, b) for a, b in leave),
    )


ANA = staff("S1", "Dr Ana Silva", ["psychiatrist"])
TOM = staff("S2", "Tomás Nuñez", ["infusion_nurse"])
BEA = staff("S3", "Bea Okafor", ["infusion_nurse"])
RAJ = staff("S4", "Dr Raj Patel", ["psychiatrist"])


def patient(
    ref: str = "P-1", name: str = "Zoë Łukasiewicz", flags: Sequence[str] = (), ack: str = ""
) -> PatientRecord:
    return PatientRecord(ref, name, tuple(flags), ack)


ZOE = patient()
JAN = patient("P-2", "Jan Kowalski")


def course(
    ref: str = "C-1",
    who: PatientRecord = ZOE,
    protocol: ProtocolRecord = KET,
    planned: int = 6,
    status: str = "active",
) -> CourseRecord:
    return CourseRecord(ref, who, protocol, planned, status)


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
    course: CourseRecord = C1,
    chair: ChairRecord = CH1,
    team: Sequence[tuple[StaffRecord, str]] = ((ANA, "psychiatrist"), (TOM, "infusion_nurse")),
    status: str = "planned",
    minutes: tuple[int, int, int] | None = None,
) -> SessionRecord:
    when = at(start) if isinstance(start, str) else start
    prep, infusion, recovery = minutes if minutes is not None else (None, None, None)
    return SessionRecord(
        ref,
        course,
        chair,
        when,
        status,
        tuple(AssignmentRecord(s, role) for s, role in team),
        prep,
        infusion,
        recovery,
    )


def clinic(
    *sessions: SessionRecord,
    opening: Sequence[tuple[int, str, str]] | None = None,
    closures: Sequence[date] = (),
    staff_list: Sequence[StaffRecord] = (ANA, TOM, BEA, RAJ),
) -> ClinicData:
    rows = [(d, "08:00", "18:00") for d in WORKDAYS] if opening is None else opening
    return ClinicData(
        sessions=list(sessions),
        opening_hours=[
            OpeningHoursRecord(d, time.fromisoformat(a), time.fromisoformat(b)) for d, a, b in rows
        ],
        closures=[ClosureRecord(d, "Christmas") for d in closures],
        staff=list(staff_list),
        chairs=[CH1, CH2, CH3],
    )


def codes(violations: Iterable[Violation], session: str | None = None) -> list[str]:
    return sorted(v.code for v in violations if session is None or v.session == session)


def of(violations: Iterable[Violation], code: str) -> list[Violation]:
    return [v for v in violations if v.code == code]
