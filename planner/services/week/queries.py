"""What the planner reads through the ORM, in short read-only transactions: the rules
engine's check of a week, and what its dialogs need (courses, patient search, ...).

Each function opens one transaction, copies what it read into the frozen
snapshots of ``planner.services.week.model`` and returns them: nothing
lazy-loads afterwards. The week itself is read with Core (``reading``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    AuditEvent,
    Course,
    InfusionSession,
    Patient,
    StaffMember,
)
from planner.domain import INACTIVE_SESSION_STATUSES, PSYCHIATRIST
from planner.domain.policy import Policy
from planner.services.week.model import (
    CourseChoice,
    PatientHit,
    SessionSnapshot,
    StaffOnSession,
    StaffSnapshot,
    Violation,
    WeekSnapshot,
    copy_violation,
)
from planner.services.week.reading import read_week


def _session_options() -> list[Any]:
    return [
        selectinload(InfusionSession.course).selectinload(Course.patient),
        selectinload(InfusionSession.course).selectinload(Course.protocol),
        selectinload(InfusionSession.chair),
        selectinload(InfusionSession.assignments).selectinload(Assignment.staff),
    ]


def _numbers(session: Session, course_ids: Iterable[int]) -> dict[int, int]:
    """Session id -> its position (1-based) among the active sessions of its course."""
    ids = sorted(set(course_ids))
    out: dict[int, int] = {}
    if not ids:
        return out
    rows = session.execute(
        select(InfusionSession.id, InfusionSession.course_id, InfusionSession.status)
        .where(InfusionSession.course_id.in_(ids))
        .order_by(InfusionSession.course_id, InfusionSession.start, InfusionSession.id)
    ).all()
    counter: dict[int, int] = {}
    for sid, cid, status in rows:
        if status in INACTIVE_SESSION_STATUSES:
            out[sid] = 0
            continue
        counter[cid] = counter.get(cid, 0) + 1
        out[sid] = counter[cid]
    return out


def _snapshot(row: InfusionSession, number: int) -> SessionSnapshot:
    course = row.course
    return SessionSnapshot(
        ref=row.ref,
        version=row.version,
        start=row.start,
        status=row.status,
        prep_minutes=row.prep_minutes,
        infusion_minutes=row.infusion_minutes,
        recovery_minutes=row.recovery_minutes,
        overrides=(
            row.prep_minutes_override,
            row.infusion_minutes_override,
            row.recovery_minutes_override,
        ),
        chair_ref=row.chair.ref,
        chair_name=row.chair.name,
        course_ref=course.ref,
        course_status=course.status,
        patient_ref=course.patient.ref,
        patient_name=course.patient.name,
        protocol_ref=course.protocol.ref,
        protocol_name=course.protocol.name,
        number=number,
        planned_infusions=course.planned_infusions,
        protocol_minutes=(
            course.protocol.prep_minutes,
            course.protocol.infusion_minutes,
            course.protocol.recovery_minutes,
        ),
        staff=tuple(
            StaffOnSession(ref=a.staff.ref, name=a.staff.name, role=a.role)
            for a in sorted(row.assignments, key=lambda a: (a.role != PSYCHIATRIST, a.id))
        ),
    )


def load_sessions(session: Session, start: datetime, end: datetime) -> list[SessionSnapshot]:
    """Sessions starting in [start, end), ordered by start then chair."""
    rows = session.scalars(
        select(InfusionSession)
        .where(InfusionSession.start >= start, InfusionSession.start < end)
        .options(*_session_options())
        .order_by(InfusionSession.start, InfusionSession.id)
    ).all()
    numbers = _numbers(session, (r.course_id for r in rows))
    return [_snapshot(r, numbers.get(r.id, 0)) for r in rows]


def load_staff(session: Session) -> list[StaffSnapshot]:
    rows = session.scalars(
        select(StaffMember)
        .where(StaffMember.active.is_(True))
        .options(selectinload(StaffMember.hours), selectinload(StaffMember.leave))
        .order_by(StaffMember.name, StaffMember.ref)
    ).all()
    out = []
    for member in rows:
        hours: dict[int, list[tuple[time, time]]] = {}
        for h in member.hours:
            hours.setdefault(h.weekday, []).append((h.start_time, h.end_time))
        out.append(
            StaffSnapshot(
                ref=member.ref,
                name=member.name,
                roles=tuple(member.roles),
                credential_expires=member.credential_expires,
                hours={k: tuple(sorted(v)) for k, v in hours.items()},
                leave=tuple((lv.start_date, lv.end_date) for lv in member.leave),
            )
        )
    return out


def load_checked_week(db: Database, monday: date) -> WeekSnapshot:
    """The week with its violations, read and checked in one transaction."""
    with db.begin() as session:
        week = read_week(session.connection(), monday)
        violations, clinic_data = _check(
            session, week.monday, [s.ref for s in week.sessions], week.policy
        )
    return dataclasses.replace(week, violations=violations, clinic_data=clinic_data)


def check_week(db: Database, week: WeekSnapshot) -> WeekSnapshot:
    """``week`` with its violations (for a week read with ``check=False`` to paint sooner)."""
    with db.begin() as session:
        violations, clinic_data = _check(
            session, week.monday, [s.ref for s in week.sessions], week.policy
        )
    return dataclasses.replace(week, violations=violations, clinic_data=clinic_data)


def rules_available() -> bool:
    return importlib.util.find_spec("planner.services.checking") is not None


def _check(
    session: Session, monday: date, refs: Sequence[str], policy: Policy
) -> tuple[tuple[Violation, ...], Any]:
    """The week's violations and the rules engine's data of the week (with its context)."""
    if not rules_available():
        return (), None
    from planner.rules import check
    from planner.services.checking import load_clinic_data

    data = load_clinic_data(session, monday, monday + timedelta(days=6))
    wanted = set(refs)
    found = check(data, policy, sessions=refs) if refs else []
    out = tuple(
        copy_violation(v)
        for v in sorted(found, key=lambda v: (v.severity != "error", v.session, v.code))
        if v.session in wanted
    )
    return out, data


def active_courses(db: Database) -> list[CourseChoice]:
    """Courses that can take another session, by patient name."""
    with db.begin() as session:
        booked = dict(
            session.execute(
                select(InfusionSession.course_id, func.count())
                .where(InfusionSession.status.not_in(INACTIVE_SESSION_STATUSES))
                .group_by(InfusionSession.course_id)
            ).all()
        )
        rows = session.scalars(
            select(Course)
            .join(Course.patient)
            .where(Course.status == "active", Patient.archived.is_(False))
            .options(selectinload(Course.patient), selectinload(Course.protocol))
            .order_by(Patient.name, Course.ref)
        ).all()
        return [
            CourseChoice(
                ref=c.ref,
                patient_ref=c.patient.ref,
                patient_name=c.patient.name,
                protocol_name=c.protocol.name,
                planned_infusions=c.planned_infusions,
                booked=int(booked.get(c.id, 0)),
                prep_minutes=c.protocol.prep_minutes,
                infusion_minutes=c.protocol.infusion_minutes,
                recovery_minutes=c.protocol.recovery_minutes,
            )
            for c in rows
        ]


def find_patients(db: Database, text: str, *, after: datetime, limit: int = 20) -> list[PatientHit]:
    """Patients whose name, ref or record number contains ``text``, with their next session.

    Matching is done in Python with ``casefold`` so "łukas" finds "Łukasiewicz"
    on every back-end (SQLite's ``lower`` only knows ASCII); a clinic's patient
    list is small enough to scan.
    """
    needle = text.strip().casefold()
    if not needle:
        return []
    with db.begin() as session:
        rows = session.execute(
            select(Patient.id, Patient.ref, Patient.name, Patient.record_number, Patient.archived)
        ).all()
        found = sorted(
            (
                r
                for r in rows
                if needle in r.name.casefold()
                or needle in r.ref.casefold()
                or needle in r.record_number.casefold()
            ),
            key=lambda r: (r.archived, r.name.casefold()),
        )[:limit]
        patients = found
        hits = []
        for p in patients:
            nxt = session.execute(
                select(InfusionSession.ref, InfusionSession.start)
                .join(InfusionSession.course)
                .where(
                    Course.patient_id == p.id,
                    InfusionSession.start >= after,
                    InfusionSession.status.not_in(INACTIVE_SESSION_STATUSES),
                )
                .order_by(InfusionSession.start)
                .limit(1)
            ).first()
            if nxt is None:  # nothing ahead: the most recent one, so the jump still helps
                nxt = session.execute(
                    select(InfusionSession.ref, InfusionSession.start)
                    .join(InfusionSession.course)
                    .where(Course.patient_id == p.id)
                    .order_by(InfusionSession.start.desc())
                    .limit(1)
                ).first()
            hits.append(
                PatientHit(
                    patient_ref=p.ref,
                    patient_name=p.name,
                    record_number=p.record_number,
                    next_session=nxt[0] if nxt else None,
                    next_start=nxt[1] if nxt else None,
                )
            )
        return hits


def change_marker(db: Database) -> tuple[int, int]:
    """A cheap fingerprint of the data: it moves whenever any workstation saves a change."""
    with db.begin() as session:
        row = session.execute(select(func.count(AuditEvent.id), func.max(AuditEvent.id))).one()
        return int(row[0] or 0), int(row[1] or 0)


def course_record(db: Database, course_ref: str) -> Any:
    """A rules-engine record of one course (patient flags and protocol included), for what-ifs."""
    from planner.rules.records import CourseRecord, PatientRecord, ProtocolRecord

    with db.begin() as session:
        course = session.scalars(
            select(Course)
            .where(Course.ref == course_ref)
            .options(selectinload(Course.patient), selectinload(Course.protocol))
        ).first()
        if course is None:
            return None
        p, pr = course.patient, course.protocol
        return CourseRecord(
            ref=course.ref,
            patient=PatientRecord(
                ref=p.ref,
                name=p.name,
                flags=tuple(p.flags),
                flags_acknowledged_by=p.flags_acknowledged_by,
            ),
            protocol=ProtocolRecord(
                ref=pr.ref,
                name=pr.name,
                infusions=pr.infusions,
                prep_minutes=pr.prep_minutes,
                infusion_minutes=pr.infusion_minutes,
                recovery_minutes=pr.recovery_minutes,
                min_hours_between=pr.min_hours_between,
                max_per_7_days=pr.max_per_7_days,
                max_gap_days=pr.max_gap_days,
            ),
            planned_infusions=course.planned_infusions,
            status=course.status,
        )
