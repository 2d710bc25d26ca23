"""Reading a week with SQLAlchemy Core alone: what the planner draws, without the ORM.

The app paints its first week before the ORM (and its mapped models) is even
imported: ``planner.db.mapping`` selects from the Core tables into domain
records, and these become the planner's snapshots. The rules engine's check
runs in the same transaction when asked for (``load_week(check=True)``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, exists, or_, select

from planner.db import mapping
from planner.db import tables as t
from planner.db.mapping import Executor
from planner.domain import INACTIVE_SESSION_STATUSES, PSYCHIATRIST
from planner.domain.base import Invalid
from planner.domain.policy import Policy
from planner.domain.records import Session, StaffMember, infusion_numbers
from planner.services.week.model import (
    ChairSnapshot,
    SessionSnapshot,
    StaffOnSession,
    StaffSnapshot,
    WeekSnapshot,
    monday_of,
)

if TYPE_CHECKING:
    from planner.db.engine import Database

_CONTENT_TABLES = (
    t.protocol,
    t.chair,
    t.staff_member,
    t.patient,
    t.course,
    t.infusion_session,
)


def session_snapshot(session: Session, version: int, number: int) -> SessionSnapshot:
    """What the planner shows of a session record."""
    course = session.course
    protocol = course.protocol
    return SessionSnapshot(
        ref=session.ref,
        version=version,
        start=session.start,
        status=session.status,
        prep_minutes=session.prep_minutes,
        infusion_minutes=session.infusion_minutes,
        recovery_minutes=session.recovery_minutes,
        overrides=(
            session.prep_minutes_override,
            session.infusion_minutes_override,
            session.recovery_minutes_override,
        ),
        chair_ref=session.chair.ref,
        chair_name=session.chair.name,
        course_ref=course.ref,
        course_status=course.status,
        patient_ref=course.patient.ref,
        patient_name=course.patient.name,
        protocol_ref=protocol.ref,
        protocol_name=protocol.name,
        number=number,
        planned_infusions=course.planned_infusions,
        protocol_minutes=(protocol.prep_minutes, protocol.infusion_minutes, protocol.recovery_minutes),
        staff=tuple(
            StaffOnSession(ref=a.staff.ref, name=a.staff.name, role=a.role)
            for a in sorted(session.assignments, key=lambda a: a.role != PSYCHIATRIST)
        ),
        patient_record=course.patient.record_number,
    )


def staff_snapshot(member: StaffMember) -> StaffSnapshot:
    hours: dict[int, list[tuple[time, time]]] = {}
    for h in member.hours:
        hours.setdefault(h.weekday, []).append((h.start, h.end))
    return StaffSnapshot(
        ref=member.ref,
        name=member.name,
        roles=tuple(member.roles),
        credential_expires=member.credential_expires,
        hours={k: tuple(sorted(v)) for k, v in hours.items()},
        leave=tuple((lv.start, lv.end) for lv in member.leave),
    )


def read_sessions(conn: Executor, start: datetime, end: datetime) -> list[SessionSnapshot]:
    """Sessions starting in [start, end), ordered by start then storage order."""
    s = t.infusion_session.c
    read = mapping.read_sessions(conn, and_(s.start >= start, s.start < end))
    if not read.sessions:
        return []
    numbers = course_numbers(conn, {x.course.ref for x in read.sessions.values()})
    ids = {x.ref: sid for sid, x in read.sessions.items()}
    return [
        session_snapshot(x, read.versions[ids[x.ref]], numbers.get(x.ref, 0))
        for x in read.in_order()
    ]


def course_numbers(conn: Executor, course_refs: set[str]) -> dict[str, int]:
    """Session ref -> n of "n of N" for every session of the courses ``course_refs``."""
    s, c = t.infusion_session.c, t.course.c
    rows = conn.execute(
        select(s.ref, c.ref, s.start, s.status)
        .join(t.course, c.id == s.course_id)
        .where(c.ref.in_(course_refs))
        .order_by(s.id)
    ).all()
    return infusion_numbers(
        (ref, course, start, status not in INACTIVE_SESSION_STATUSES)
        for ref, course, start, status in rows
    )


def read_staff(conn: Executor) -> list[StaffSnapshot]:
    """Active staff by name, with their weekly hours and leave."""
    members = mapping.read_staff(conn, t.staff_member.c.active.is_(True)).values()
    return [staff_snapshot(m) for m in sorted(members, key=lambda m: (m.name, m.ref))]


def _policy(conn: Executor) -> Policy:
    try:
        return mapping.read_policy(conn)
    except Invalid:
        return Policy()


def read_week(conn: Executor, monday: date) -> WeekSnapshot:
    """The week starting on ``monday`` (any day is moved back), without its violations."""
    monday = monday_of(monday)
    start = datetime.combine(monday, time(0))
    end = start + timedelta(days=7)
    clinic = _clinic_name(conn)
    policy = _policy(conn)
    active_chairs = mapping.read_chairs(conn, t.chair.c.active.is_(True)).values()
    chairs = tuple(
        ChairSnapshot(ref=c.ref, name=c.name, room=c.room)
        for c in sorted(active_chairs, key=lambda c: c.ref)
    )
    hours: dict[int, tuple[time, time]] = {}
    for weekday, opens, closes in conn.execute(
        select(t.opening_hours.c.weekday, t.opening_hours.c.open_time, t.opening_hours.c.close_time)
    ):
        if weekday in hours:  # several ranges a day: take the outer bounds
            first, last = hours[weekday]
            hours[weekday] = (min(first, opens), max(last, closes))
        else:
            hours[weekday] = (opens, closes)
    cl = t.closure.c
    closures: dict[date, str] = dict(
        conn.execute(
            select(cl.day, cl.reason).where(cl.day >= monday, cl.day < end.date())
        ).all()
    )
    sessions = read_sessions(conn, start, end)
    # A chair that was retired still shows if it holds a session this week.
    known = {c.ref for c in chairs}
    extra = {s.chair_ref: s.chair_name for s in sessions if s.chair_ref not in known}
    if extra:
        chairs = chairs + tuple(ChairSnapshot(ref=r, name=n, room="") for r, n in extra.items())
    return WeekSnapshot(
        monday=monday,
        clinic_name=clinic,
        policy=policy,
        chairs=chairs,
        staff=tuple(read_staff(conn)),
        sessions=tuple(sessions),
        opening_hours=hours,
        closures=closures,
    )


def load_week(db: Database, monday: date, *, check: bool = True) -> WeekSnapshot:
    """The week starting on ``monday`` (any day is moved back to its Monday).

    ``check=False`` leaves out the rules engine's violations (and never loads the
    ORM): the start-up path paints that first and checks right after.
    """
    if check:
        from planner.services.week.queries import load_checked_week

        return load_checked_week(db, monday)
    with db.engine.begin() as conn:
        return read_week(conn, monday)


def is_empty(db: Database) -> bool:
    """True when the database holds no clinic content yet (one cheap statement)."""
    any_content = or_(*(exists().select_from(table) for table in _CONTENT_TABLES))
    with db.engine.begin() as conn:
        return not conn.execute(select(any_content)).scalar()


def _clinic_name(conn: Executor) -> str:
    name = conn.execute(select(t.clinic.c.name).order_by(t.clinic.c.id).limit(1)).scalar()
    return str(name or "")


def clinic_name(db: Database) -> str:
    """The clinic's name ("" before it is set up)."""
    with db.engine.begin() as conn:
        return _clinic_name(conn)
