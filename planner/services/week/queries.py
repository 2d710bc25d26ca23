"""What the planner reads through the ORM, in short read-only transactions: the rules
engine's check of a week, and what its dialogs need (courses, patient search, ...).

Each function opens one transaction, copies what it read into the frozen
snapshots of ``planner.services.week.model`` and returns them: nothing
lazy-loads afterwards. The week itself is read with Core (``reading``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from planner.db import mapping, tables
from planner.db.engine import Database
from planner.db.models import (
    AuditEvent,
    Course,
    InfusionSession,
    Patient,
)
from planner.domain import INACTIVE_SESSION_STATUSES
from planner.domain.policy import Policy
from planner.domain.records import Course as DomainCourse
from planner.services.week.model import (
    CourseChoice,
    PatientHit,
    Violation,
    WeekSnapshot,
    copy_violation,
)
from planner.services.week.reading import read_week
from planner.text_search import matches


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


def _check(
    session: Session, monday: date, refs: Sequence[str], policy: Policy
) -> tuple[tuple[Violation, ...], Any]:
    """The week's violations and the rules engine's data of the week (with its context)."""
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

    Matching is done in Python (``planner.text_search``: no accents, no case) so
    "lukas" finds "Łukasiewicz" and "nunez" finds "Nuñez" on every back-end
    (SQLite's ``lower`` only knows ASCII); a clinic's patient list is small enough to scan.
    """
    if not text.strip():
        return []
    with db.begin() as session:
        rows = session.execute(
            select(Patient.id, Patient.ref, Patient.name, Patient.record_number, Patient.archived)
        ).all()
        found = sorted(
            (
                r
                for r in rows
                if matches(text, r.name, r.ref, r.record_number)
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


def course_record(db: Database, course_ref: str) -> DomainCourse | None:
    """One course as a domain record (patient flags and protocol included), for what-ifs."""
    with db.begin() as session:
        found = mapping.read_courses(session, tables.course.c.ref == course_ref)
        return next(iter(found.values()), None)
