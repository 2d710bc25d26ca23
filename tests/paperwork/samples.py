"""Plain paperwork data for builder tests and the benchmark (no database needed)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

from planner.domain.policy import Policy
from planner.domain.records import (
    Assignment,
    Chair,
    Clinic,
    Course,
    Escort,
    Patient,
    Protocol,
    Session,
    StaffMember,
)
from planner.paperwork.data import (
    ConsentData,
    DayPacketData,
    DaySchedule,
    MonitoringData,
    SessionInfo,
    WeekData,
)
from planner.resources_path import resource
from planner.rules.violation import Violation

NOW = datetime(2026, 11, 29, 14, 5)
CLINIC = Clinic(
    name="Lakeside Infusion Clinic", address="12 Harbour Road, Springfield", phone="+1 555 0100"
)
PROTOCOL = Protocol(
    ref="KET-DEP",
    name="Ketamine — depression induction",
    infusions=6,
    prep_minutes=20,
    infusion_minutes=40,
    recovery_minutes=60,
    dose_mg_per_kg=0.5,
)
PSYCHIATRIST = Assignment(
    staff=StaffMember(ref="S1", name="Dr Ana Silva", roles=("psychiatrist",)), role="psychiatrist"
)
NURSE = Assignment(
    staff=StaffMember(ref="S2", name="Tomás Nuñez", roles=("infusion_nurse",)),
    role="infusion_nurse",
)
NAMES = (
    "Zoë Łukasiewicz",
    "Анна Кузнецова",
    "José Núñez-Øster",
    "Ægir Þórsson",
    "Mária Dvořáková",
    "Дмитрий Шостакович",
)


def problem(code: str, severity: str, message: str, session: str = "X-1") -> Violation:
    """A finding of the planner's checks, as printed on a sheet."""
    return Violation(code, severity, session, message)  # type: ignore[arg-type]


def chair_record(number: int = 1) -> Chair:
    return Chair(ref=f"CH-{number}", name=f"Chair {number}", room="Room A")


def patient(i: int = 0, *, weight: float | None = 70.0) -> Patient:
    return Patient(
        ref=f"P-{i + 1:04d}",
        name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}"),
        date_of_birth=date(1985, 4, 12) + timedelta(days=97 * i),
        record_number=f"MRN-{1001 + i}",
        weight_kg=weight,
        weight_measured=None if weight is None else date(2026, 11, 20),
        allergies=(),
        escort=Escort(name="Marek Łukasiewicz", phone="+1 555 0111"),
    )


def course(
    i: int = 0,
    *,
    weight: float | None = 70.0,
    consent: date | None = date(2026, 11, 30),
    protocol: Protocol = PROTOCOL,
) -> Course:
    return Course(
        ref=f"C-{i + 1:04d}",
        patient=patient(i, weight=weight),
        protocol=protocol,
        planned_infusions=6,
        consent_date=consent,
    )


def session(
    i: int = 0,
    *,
    start: datetime = datetime(2026, 12, 1, 9, 0),
    chair: int = 1,
    staffed: bool = True,
    weight: float | None = 70.0,
    number: int = 1,
    consent: date | None = date(2026, 11, 30),
) -> SessionInfo:
    problems: tuple[Violation, ...] = ()
    if not staffed:
        problems = (
            problem("missing-psychiatrist", "error", "no psychiatrist is assigned to this session"),
        )
    the_course = course(i, weight=weight, consent=consent)
    the_chair = chair_record(chair)
    record = Session(
        ref=f"X-{i + 1}",
        course=the_course,
        chair=the_chair,
        start=start,
        assignments=(PSYCHIATRIST, NURSE) if staffed else (NURSE,),
    )
    following = Session(
        ref=f"X-{i + 1}-next", course=the_course, chair=the_chair, start=start + timedelta(days=2)
    )
    return SessionInfo(session=record, number=number, next_session=following, problems=problems)


def changed(
    info: SessionInfo,
    *,
    patient: dict[str, Any] | None = None,
    protocol: dict[str, Any] | None = None,
    course: dict[str, Any] | None = None,
    **session: Any,
) -> SessionInfo:
    """``info`` with changes to its session record and the records it refers to."""
    record = info.session
    the_course = record.course
    if patient or protocol or course:
        the_course = dataclasses.replace(
            the_course,
            patient=dataclasses.replace(the_course.patient, **(patient or {})),
            protocol=dataclasses.replace(the_course.protocol, **(protocol or {})),
            **(course or {}),
        )
    return dataclasses.replace(
        info, session=dataclasses.replace(record, course=the_course, **session)
    )


def unstaffed(info: SessionInfo, message: str = "No psychiatrist is assigned") -> SessionInfo:
    """``info`` without its psychiatrist, marked as the planner's check marks it."""
    return dataclasses.replace(
        changed(info, assignments=(NURSE,)),
        problems=(problem("missing-psychiatrist", "error", message, info.ref),),
    )


def default_template() -> str:
    return resource("templates", "consent_default.md").read_text(encoding="utf-8")


def consent(i: int = 0, *, weight: float | None = 70.0) -> ConsentData:
    first = datetime(2026, 12, 1, 9, 0)
    dates = tuple(first + timedelta(days=d) for d in (0, 2, 4, 7, 9))
    return ConsentData(
        clinic=CLINIC,
        course=course(i, weight=weight, consent=None),
        planned_dates=dates,
        template_text=default_template(),
        policy=Policy(),
    )


def monitoring(i: int = 0, **kwargs: object) -> MonitoringData:
    return MonitoringData(clinic=CLINIC, session=session(i, **kwargs), policy=Policy())  # type: ignore[arg-type]


def day_sessions(
    count: int, day: date = date(2026, 12, 1), chairs: int = 4
) -> tuple[SessionInfo, ...]:
    """``count`` sessions spread over ``chairs`` chairs from 08:00, two hours apart."""
    out = []
    for i in range(count):
        start = datetime.combine(day, datetime.min.time()) + timedelta(hours=8 + 2 * (i // chairs))
        out.append(session(i, start=start, chair=1 + i % chairs, number=1 + i % 6))
    return tuple(out)


def day_packet(count: int = 30, day: date = date(2026, 12, 1)) -> DayPacketData:
    sessions = day_sessions(count, day, chairs=max(4, (count + 4) // 5))
    consents = {s.course.ref: consent(i) for i, s in enumerate(sessions) if s.number == 1}
    return DayPacketData(
        clinic=CLINIC, day=day, sessions=sessions, consents=consents, policy=Policy()
    )


def week(
    monday: date = date(2026, 11, 30), per_day: int = 12, days: int = 5, chairs: int = 4
) -> WeekData:
    schedules = []
    for d in range(days):
        day = monday + timedelta(days=d)
        opening = datetime.combine(day, datetime.min.time())
        schedules.append(
            DaySchedule(
                day=day,
                open_from=opening + timedelta(hours=8),
                open_until=opening + timedelta(hours=18),
                closed_reason=None,
                sessions=day_sessions(per_day, day, chairs),
            )
        )
    return WeekData(
        clinic=CLINIC,
        monday=monday,
        chairs=tuple(chair_record(c) for c in range(1, chairs + 1)),
        days=tuple(schedules),
    )
