"""The rules read ORM instances as they are (unsaved here: no database involved)."""

from __future__ import annotations

from datetime import date, datetime, time

from planner.db.models import (
    Assignment,
    Chair,
    Closure,
    Course,
    InfusionSession,
    OpeningHours,
    Patient,
    Protocol,
    StaffHours,
    StaffMember,
)
from planner.rules import IncrementalChecker, check


class _Data:
    def __init__(self, sessions: list[InfusionSession]) -> None:
        self.sessions = sessions
        self.opening_hours = [
            OpeningHours(weekday=d, open_time=time(8), close_time=time(18)) for d in range(5)
        ]
        self.closures = [Closure(day=date(2026, 12, 25), reason="Christmas")]


def _member(ref: str, name: str, role: str) -> StaffMember:
    member = StaffMember(ref=ref, name=name, roles=[role], credential_expires=date(2027, 6, 30))
    member.hours = [StaffHours(weekday=d, start_time=time(8), end_time=time(18)) for d in range(5)]
    member.leave = []
    return member


def test_check_reads_orm_instances() -> None:
    protocol = Protocol(
        ref="KET",
        name="Ketamine",
        infusions=6,
        prep_minutes=20,
        infusion_minutes=40,
        recovery_minutes=60,
        min_hours_between=48.0,
        max_per_7_days=3,
        max_gap_days=7,
    )
    patient = Patient(ref="P-1", name="Zoë Łukasiewicz", flags=[], flags_acknowledged_by="")
    course = Course(
        ref="C-1", patient=patient, protocol=protocol, planned_infusions=6, status="active"
    )
    chair = Chair(ref="CH-1", name="Chair 1")
    ana = _member("S1", "Dr Ana Silva", "psychiatrist")
    tom = _member("S2", "Tomás Nuñez", "infusion_nurse")
    first = InfusionSession(
        ref="X-1", course=course, chair=chair, start=datetime(2026, 12, 1, 9), status="planned"
    )
    first.assignments = [
        Assignment(staff=ana, role="psychiatrist"),
        Assignment(staff=tom, role="infusion_nurse"),
    ]
    second = InfusionSession(
        ref="X-2", course=course, chair=chair, start=datetime(2026, 12, 25, 10), status="planned"
    )
    second.assignments = [Assignment(staff=ana, role="psychiatrist")]
    data = _Data([first, second])
    found = check(data)
    assert [(v.session, v.code) for v in found] == [
        ("X-1", "induction-gap-too-long"),
        ("X-2", "missing-monitoring-clinician"),
        ("X-2", "clinic-closed"),
        ("X-2", "induction-gap-too-long"),
    ]
    assert IncrementalChecker(data).violations("X-1") == [v for v in found if v.session == "X-1"]
