"""What the records work out from their fields: chair time, the end of a session, credentials."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from planner.domain.base import validate
from planner.domain.records import (
    Assignment,
    Chair,
    Course,
    Patient,
    Protocol,
    Session,
    StaffMember,
)

KETAMINE = Protocol(ref="K", name="Ketamine", prep_minutes=20, infusion_minutes=40, recovery_minutes=60)
ADA = Patient(ref="P-1", name="Ada", date_of_birth=date(1980, 12, 10), record_number="M-1")
COURSE = Course(ref="C-1", patient=ADA, protocol=KETAMINE, planned_infusions=6)
DOCTOR = StaffMember(ref="S-1", name="Dr Silva", roles=("psychiatrist",), credential_expires=date(2027, 6, 30))
NURSE = StaffMember(ref="S-2", name="Nuñez", roles=("infusion_nurse",))


def _session(**changes: object) -> Session:
    return Session(
        ref="X-1",
        course=COURSE,
        chair=Chair(ref="CH-1", name="Chair 1"),
        start=datetime(2026, 12, 1, 9),
        **changes,  # type: ignore[arg-type]
    )


def test_a_session_takes_the_protocols_durations_unless_it_has_its_own() -> None:
    assert KETAMINE.chair_minutes == 120
    assert _session().end == datetime(2026, 12, 1, 11)
    longer = _session(infusion_minutes_override=70)
    assert (longer.infusion_minutes, longer.prep_minutes, longer.end) == (
        70,
        20,
        datetime(2026, 12, 1, 11, 30),
    )
    assert (longer.patient, longer.protocol) == (ADA, KETAMINE)


def test_cancelled_and_no_show_sessions_take_part_in_nothing() -> None:
    assert _session().active
    assert not _session(status="cancelled").active
    assert not _session(status="no_show").active


def test_the_psychiatrist_and_the_monitoring_clinician_of_a_session() -> None:
    staffed = _session(
        assignments=(
            Assignment(staff=NURSE, role="infusion_nurse"),
            Assignment(staff=DOCTOR, role="psychiatrist"),
        )
    )
    assert staffed.psychiatrist is not None and staffed.psychiatrist.staff == DOCTOR
    assert staffed.monitoring is not None and staffed.monitoring.staff == NURSE
    assert _session().psychiatrist is None


def test_a_credential_is_valid_through_its_expiry_day() -> None:
    assert DOCTOR.credential_valid(date(2027, 6, 30))
    assert not DOCTOR.credential_valid(date(2027, 7, 1))
    assert not replace(DOCTOR, credential_expires=None).credential_valid(date(2026, 1, 1))


def test_a_course_without_a_number_of_infusions_takes_its_protocols() -> None:
    entry = {"ref": "C-2", "patient": "P-1", "protocol": "K"}
    course = validate(Course, entry, context={"patients": {"P-1": ADA}, "protocols": {"K": KETAMINE}})
    assert course.planned_infusions == KETAMINE.infusions and course.patient is ADA
