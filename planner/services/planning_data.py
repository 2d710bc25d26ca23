"""Read the clinic into the planner's plain specs (``planner.scheduling.model``).

One eager read per planning action: opening hours, closures, active chairs,
active staff with hours and leave, the active sessions around the window
(they hold chairs, staff and the patients' spacing) and every active course
with its remaining infusions.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from planner.db.models import (
    Chair,
    Closure,
    Course,
    InfusionSession,
    OpeningHours,
    Patient,
    Protocol,
    StaffMember,
)
from planner.domain import INACTIVE_SESSION_STATUSES
from planner.scheduling.model import (
    BookingSpec,
    ClinicSpec,
    CourseSpec,
    ProtocolSpec,
    StaffSpec,
)
from planner.services.checking import load_policy


def protocol_spec(p: Protocol) -> ProtocolSpec:
    return ProtocolSpec(
        ref=p.ref,
        prep_minutes=p.prep_minutes,
        infusion_minutes=p.infusion_minutes,
        recovery_minutes=p.recovery_minutes,
        min_hours_between=p.min_hours_between,
        max_per_7_days=p.max_per_7_days,
        max_gap_days=p.max_gap_days,
        infusions=p.infusions,
    )


def course_spec(
    ref: str,
    patient: Patient,
    protocol: Protocol,
    planned: int,
    remaining: int,
    *,
    consent_date: date | None = None,
    last_start: datetime | None = None,
) -> CourseSpec:
    return CourseSpec(
        ref=ref,
        patient=patient.ref,
        protocol=protocol_spec(protocol),
        planned_infusions=planned,
        patient_name=patient.name,
        remaining=remaining,
        consent_date=consent_date,
        last_start=last_start,
    )


def load_clinic_spec(session: Session, first: date, last: date) -> ClinicSpec:
    """Everything the planner needs for ``first``..``last`` (sessions read with a margin)."""
    policy = load_policy(session)
    opening = tuple(
        (o.weekday, o.open_time, o.close_time)
        for o in session.scalars(select(OpeningHours).order_by(OpeningHours.weekday, OpeningHours.open_time))
    )
    closures = frozenset(session.scalars(select(Closure.day)))
    chairs = tuple(
        session.scalars(select(Chair.ref).where(Chair.active.is_(True)).order_by(Chair.ref))
    )
    staff = tuple(
        StaffSpec(
            ref=m.ref,
            name=m.name,
            roles=tuple(m.roles or ()),
            credential_expires=m.credential_expires,
            hours=tuple((h.weekday, h.start_time, h.end_time) for h in m.hours),
            leave=tuple((lv.start_date, lv.end_date) for lv in m.leave),
        )
        for m in session.scalars(
            select(StaffMember)
            .where(StaffMember.active.is_(True))
            .order_by(StaffMember.ref)
            .options(selectinload(StaffMember.hours), selectinload(StaffMember.leave))
        )
    )
    lo = datetime.combine(first, time()) - timedelta(days=14)
    hi = datetime.combine(last, time()) + timedelta(days=15)
    active = InfusionSession.status.not_in(sorted(INACTIVE_SESSION_STATUSES))
    rows = session.scalars(
        select(InfusionSession)
        .where(active, InfusionSession.start >= lo, InfusionSession.start < hi)
        .order_by(InfusionSession.start, InfusionSession.ref)
        .options(
            selectinload(InfusionSession.course).selectinload(Course.patient),
            selectinload(InfusionSession.course).selectinload(Course.protocol),
            selectinload(InfusionSession.chair),
            selectinload(InfusionSession.assignments),
        )
    ).all()
    staff_refs = {row[0]: row[1] for row in session.execute(select(StaffMember.id, StaffMember.ref))}
    bookings = tuple(
        BookingSpec(
            ref=r.ref,
            course=r.course.ref,
            patient=r.course.patient.ref,
            chair=r.chair.ref,
            start=r.start,
            end=r.end,
            staff=tuple((staff_refs[a.staff_id], a.role) for a in r.assignments),
        )
        for r in rows
    )
    counts: dict[int, int] = {}
    latest: dict[int, datetime] = {}
    for course_id, count, last_start in session.execute(
        select(InfusionSession.course_id, func.count(), func.max(InfusionSession.start))
        .where(active)
        .group_by(InfusionSession.course_id)
    ):
        counts[course_id] = int(count)
        latest[course_id] = last_start
    courses = tuple(
        course_spec(
            c.ref, c.patient, c.protocol, c.planned_infusions,
            max(0, c.planned_infusions - counts.get(c.id, 0)),
            consent_date=c.consent_date, last_start=latest.get(c.id),
        )
        for c in session.scalars(
            select(Course)
            .join(Patient, Course.patient_id == Patient.id)
            .where(Course.status == "active", Patient.archived.is_(False))
            .order_by(Course.ref)
            .options(selectinload(Course.patient), selectinload(Course.protocol))
        )
    )
    return ClinicSpec(
        opening_hours=opening,
        closures=closures,
        chairs=chairs,
        staff=staff,
        bookings=bookings,
        courses=courses,
        concurrent_limit=dict(policy.concurrent_limit),
    )
