"""Plain paperwork data for builder tests and the benchmark (no database needed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from planner.domain.policy import Policy
from planner.paperwork.data import (
    Appointment,
    ChairInfo,
    ClinicInfo,
    ConsentData,
    DayPacketData,
    DaySchedule,
    MonitoringData,
    PatientInfo,
    Problem,
    ProtocolInfo,
    SessionInfo,
    StaffOnDuty,
    WeekData,
)
from planner.resources_path import resource

NOW = datetime(2026, 11, 29, 14, 5)
CLINIC = ClinicInfo(
    name="Lakeside Infusion Clinic", address="12 Harbour Road, Springfield", phone="+1 555 0100"
)
PROTOCOL = ProtocolInfo(
    ref="KET-DEP",
    name="Ketamine — depression induction",
    infusions=6,
    prep_minutes=20,
    infusion_minutes=40,
    recovery_minutes=60,
    dose_mg_per_kg=0.5,
)
PSYCHIATRIST = StaffOnDuty(ref="S1", name="Dr Ana Silva", role="psychiatrist")
NURSE = StaffOnDuty(ref="S2", name="Tomás Nuñez", role="infusion_nurse")
NAMES = (
    "Zoë Łukasiewicz",
    "Анна Кузнецова",
    "José Núñez-Øster",
    "Ægir Þórsson",
    "Mária Dvořáková",
    "Дмитрий Шостакович",
)


def patient(i: int = 0, *, weight: float | None = 70.0) -> PatientInfo:
    return PatientInfo(
        ref=f"P-{i + 1:04d}",
        name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}"),
        date_of_birth=date(1985, 4, 12) + timedelta(days=97 * i),
        record_number=f"MRN-{1001 + i}",
        weight_kg=weight,
        escort_name="Marek Łukasiewicz",
        escort_phone="+1 555 0111",
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
    problems: tuple[Problem, ...] = ()
    if not staffed:
        problems = (
            Problem("missing-psychiatrist", "error", "no psychiatrist is assigned to this session"),
        )
    return SessionInfo(
        ref=f"X-{i + 1}",
        start=start,
        status="planned",
        chair_ref=f"CH-{chair}",
        chair_name=f"Chair {chair}",
        chair_room="Room A",
        prep_minutes=20,
        infusion_minutes=40,
        recovery_minutes=60,
        number=number,
        of=6,
        course_ref=f"C-{i + 1:04d}",
        patient=patient(i, weight=weight),
        protocol=PROTOCOL,
        psychiatrist=PSYCHIATRIST if staffed else None,
        monitoring=NURSE,
        consent_date=consent,
        next_appointment=Appointment(start + timedelta(days=2), f"Chair {chair}"),
        problems=problems,
    )


def default_template() -> str:
    return resource("templates", "consent_default.md").read_text(encoding="utf-8")


def consent(i: int = 0, *, weight: float | None = 70.0) -> ConsentData:
    first = datetime(2026, 12, 1, 9, 0)
    dates = tuple(first + timedelta(days=d) for d in (0, 2, 4, 7, 9))
    return ConsentData(
        clinic=CLINIC,
        patient=patient(i, weight=weight),
        course_ref=f"C-{i + 1:04d}",
        protocol=PROTOCOL,
        planned_infusions=6,
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
    consents = {s.course_ref: consent(i) for i, s in enumerate(sessions) if s.number == 1}
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
        chairs=tuple(ChairInfo(f"CH-{c}", f"Chair {c}", "Room A") for c in range(1, chairs + 1)),
        days=tuple(schedules),
    )
