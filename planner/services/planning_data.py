"""Read the clinic into what the planner reads (``planner.scheduling.model``).

One read per planning action, through ``planner.db.mapping`` (the one place
that turns rows into domain records): opening hours, closures, active chairs,
active staff with hours and leave, the active sessions around the window
(they hold chairs, staff and the patients' spacing) and every active course
with its remaining infusions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from planner.db import tables as t
from planner.db.mapping import (
    read_chairs,
    read_courses,
    read_opening_hours,
    read_patients,
    read_protocols,
    read_sessions,
    read_staff,
)
from planner.domain import INACTIVE_SESSION_STATUSES
from planner.domain.records import Course
from planner.scheduling.model import ClinicSpec, CourseProgress
from planner.services.checking import load_policy

#: Ref of a course that is being planned and not stored yet.
NEW_COURSE = "(new)"


def new_course(session: Session, patient_id: int, protocol_id: int, infusions: int) -> CourseProgress:
    """A course not stored yet for the patient and protocol (row ids): all ``infusions`` to plan."""
    patient = read_patients(session, t.patient.c.id == patient_id)[patient_id]
    protocol = read_protocols(session, t.protocol.c.id == protocol_id)[protocol_id]
    course = Course(ref=NEW_COURSE, patient=patient, protocol=protocol, planned_infusions=infusions)
    return CourseProgress(course, remaining=infusions)


def stored_course(session: Session, ref: str) -> CourseProgress | None:
    """A stored course as it is, whatever its status, with one infusion to place (None: no such course).

    For a session of a course the planner is not given (not active): its consent
    date and earlier sessions do not bound where that one session may go.
    """
    found = read_courses(session, t.course.c.ref == ref)
    if not found:
        return None
    (course,) = found.values()
    return CourseProgress(replace(course, consent_date=None), remaining=1)


def load_clinic_spec(session: Session, first: date, last: date) -> ClinicSpec:
    """Everything the planner needs for ``first``..``last`` (sessions read with a margin)."""
    policy = load_policy(session)
    closures = frozenset(session.execute(select(t.closure.c.day)).scalars())
    chairs = read_chairs(session)
    staff = read_staff(session)
    s = t.infusion_session.c
    active = s.status.not_in(sorted(INACTIVE_SESSION_STATUSES))
    lo = datetime.combine(first, time()) - timedelta(days=14)
    hi = datetime.combine(last, time()) + timedelta(days=15)
    read = read_sessions(session, and_(active, s.start >= lo, s.start < hi), staff=staff, chairs=chairs)
    counts: dict[int, int] = {}
    latest: dict[int, datetime] = {}
    for course_id, count, last_start in session.execute(
        select(s.course_id, func.count(), func.max(s.start)).where(active).group_by(s.course_id)
    ):
        counts[course_id] = int(count)
        latest[course_id] = last_start
    c, p = t.course.c, t.patient.c
    courses = read_courses(
        session, and_(c.status == "active", c.patient_id.in_(select(p.id).where(p.archived.is_(False))))
    )
    return ClinicSpec(
        opening_hours=read_opening_hours(session),
        closures=closures,
        chairs=tuple(sorted(ch.ref for ch in chairs.values() if ch.active)),
        staff=tuple(sorted((m for m in staff.values() if m.active), key=lambda m: m.ref)),
        bookings=tuple(sorted(read.sessions.values(), key=lambda b: (b.start, b.ref))),
        courses=tuple(
            CourseProgress(
                course,
                remaining=max(0, course.planned_infusions - counts.get(course_id, 0)),
                last_start=latest.get(course_id),
            )
            for course_id, course in sorted(courses.items(), key=lambda kv: kv[1].ref)
        ),
        concurrent_limit=dict(policy.concurrent_limit),
    )
