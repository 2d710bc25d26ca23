"""Short builders of domain records for made-up clinics (the benchmark and the scheduling tests).

The planner reads the domain records themselves (``planner.domain.records``);
these fill in what a made-up clinic does not care about (a patient's birth
date, a chair's name) so an instance reads as the few numbers that matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from planner.domain.records import (
    Assignment,
    Chair,
    Course,
    Leave,
    OpeningHours,
    Patient,
    Protocol,
    Session,
    StaffMember,
    WeeklyHours,
)

#: Chair of a session held elsewhere (not one the planner may use): it only keeps the spacing.
ELSEWHERE = Chair(ref="", name="elsewhere")


def protocol(ref: str, prep: int, infusion: int, recovery: int, hours_between: float,
             per_7_days: int, gap_days: int, infusions: int) -> Protocol:
    return Protocol(ref=ref, name=ref, infusions=infusions, prep_minutes=prep, infusion_minutes=infusion,
                    recovery_minutes=recovery, min_hours_between=hours_between, max_per_7_days=per_7_days,
                    max_gap_days=gap_days)


def opening(ranges: Iterable[tuple[int, time, time]]) -> tuple[OpeningHours, ...]:
    """Opening hours from (weekday 0-6, open, close) ranges."""
    return tuple(OpeningHours(weekday=w, open=a, close=b) for w, a, b in ranges)


def staff(ref: str, name: str, roles: tuple[str, ...], expires: date | None,
          hours: Iterable[tuple[int, time, time]] = (), leave: Iterable[tuple[date, date]] = ()) -> StaffMember:
    """A staff member from (weekday, start, end) hours and (first, last) leave days."""
    return StaffMember(
        ref=ref, name=name, roles=roles, credential_expires=expires,
        hours=tuple(WeeklyHours(weekday=w, start=a, end=b) for w, a, b in hours),
        leave=tuple(Leave(start=a, end=b) for a, b in leave),
    )


def course(ref: str, patient: str, protocol: Protocol, planned: int, patient_name: str = "",
           consent: date | None = None) -> Course:
    """A course of the patient with ref ``patient`` (named ``patient_name``, else by the ref)."""
    person = Patient(ref=patient, name=patient_name or patient, date_of_birth=date(1980, 1, 1),
                     record_number=f"MRN-{patient}")
    return Course(ref=ref, patient=person, protocol=protocol, planned_infusions=planned, consent_date=consent)


def booking(ref: str, course: Course, chair: str, start: datetime, staff: Iterable[tuple[str, str]] = (),
            people: Mapping[str, StaffMember] | None = None, minutes: int | None = None) -> Session:
    """A booked session; ``chair`` "" is elsewhere; ``staff``: (ref, role) pairs found in ``people``;
    ``minutes``: its chair time when not the protocol's (the difference goes to recovery)."""
    recovery = None
    if minutes is not None and minutes != course.protocol.chair_minutes:
        recovery = course.protocol.recovery_minutes + minutes - course.protocol.chair_minutes
    return Session(
        ref=ref, course=course, chair=Chair(ref=chair, name=chair) if chair else ELSEWHERE, start=start,
        recovery_minutes_override=recovery,
        assignments=tuple(Assignment(staff=(people or {})[s], role=r) for s, r in staff),
    )
