"""Patients: create/update a ``Patient`` record, archive (never delete), the patients list.

A patient is checked with the record's own limits (``problems``), the same
ones the document loader, the dialog and the CSV import use, plus what only
the database knows: a record number another patient already has.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import Course, InfusionSession
from planner.db.models import Patient as PatientRowModel
from planner.domain import INACTIVE_SESSION_STATUSES
from planner.domain.base import problems
from planner.domain.records import Patient
from planner.interchange.writer import record_to_json
from planner.services.base import NotFound, record_audit, unit_of_work
from planner.services.editing import new_row, refuse, row_by_ref, row_for_edit


@dataclass(frozen=True)
class PatientRow:
    """One line of the patients table: the record, its version, and where the patient stands."""

    patient: Patient
    version: int
    active_course_ref: str | None = None
    active_course_protocol: str | None = None
    next_session_ref: str | None = None
    next_session_start: datetime | None = None
    course_refs: tuple[str, ...] = field(default=())


_REFUSED = "The patient cannot be saved"


def patient_snapshot(patient: Patient) -> dict[str, Any]:
    """The audit trail's before/after: the patient as a document writes it."""
    return record_to_json(patient)


def patient_problems(
    patient: Patient, *, today: date, session: Session | None = None, new: bool = False
) -> dict[str, str]:
    """Field → what is wrong (empty when the patient can be saved).

    ``new``: the ref is not chosen yet, and a blank record number will be made
    from it. With a ``session``, a record number another patient has is refused.
    """
    skip = ["ref"] if new else []
    if new and not patient.record_number:
        skip.append("record_number")
    found = problems(patient, skip=skip, today=today)
    if "" in found:  # the record's own rule across fields: a weighing date needs its weight
        found["weight_measured"] = found.pop("").removeprefix("weight measured: ")
    if session is not None and patient.record_number and "record_number" not in found:
        clash = session.scalars(
            select(t.patient.c.ref).where(t.patient.c.record_number == patient.record_number)
        ).first()
        if clash is not None and (new or clash != patient.ref):
            found["record_number"] = f"record number already used by patient {clash}"
    return found


def create_patient(
    db: Database, patient: Patient, *, today: date | None = None, user: str | None = None
) -> str:
    """Add a patient (its ``ref`` is chosen here); a blank record number gets one made from
    the ref. Returns the ref."""
    today = today or date.today()
    with unit_of_work(db) as session:
        refuse(patient_problems(patient, today=today, session=session, new=True), _REFUSED)
        row = new_row(session, PatientRowModel, "patient")
        add_patient(session, row, patient, summary=f"added patient {patient.name}", user=user)
        return row.ref


def add_patient(
    session: Session, row: PatientRowModel, patient: Patient, *, summary: str, user: str | None
) -> Patient:
    """Store a new patient in ``row`` (which has its ref): a blank record number is made from
    the ref. Returns the patient as stored."""
    record = replace(patient, ref=row.ref, record_number=patient.record_number or f"MRN-{row.ref}")
    mapping.write_patient(row, record)
    session.add(row)
    session.flush()
    record_audit(
        session,
        action="create",
        entity="patient",
        ref=row.ref,
        patient_ref=row.ref,
        summary=summary,
        after=patient_snapshot(record),
        user=user,
    )
    return record


def update_patient(
    db: Database,
    patient: Patient,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    user: str | None = None,
) -> int:
    """Save an edited patient (found by its ref); returns the new version."""
    today = today or date.today()
    with unit_of_work(db) as session:
        row = row_for_edit(session, PatientRowModel, patient.ref, expected_version, "patient")
        refuse(patient_problems(patient, today=today, session=session), _REFUSED)
        before = patient_snapshot(mapping.patient_of(row))
        mapping.write_patient(row, patient)
        session.flush()
        after = patient_snapshot(patient)
        record_audit(
            session,
            action="update",
            entity="patient",
            ref=patient.ref,
            patient_ref=patient.ref,
            summary=f"edited patient {patient.name}: "
            + ", ".join(k for k in after if after.get(k) != before.get(k)),
            before=before,
            after=after,
            user=user,
        )
        return row.version


def set_archived(db: Database, ref: str, archived: bool = True, *, user: str | None = None) -> None:
    """Archive (or bring back) a patient; history is never deleted."""
    with unit_of_work(db) as session:
        row = row_by_ref(session, PatientRowModel, ref, "patient")
        if row.archived == archived:
            return
        before = mapping.patient_of(row)
        after = replace(before, archived=archived)
        mapping.write_patient(row, after)
        session.flush()
        record_audit(
            session,
            action="archive" if archived else "unarchive",
            entity="patient",
            ref=ref,
            patient_ref=ref,
            summary=("archived " if archived else "restored ") + after.name,
            before=patient_snapshot(before),
            after=patient_snapshot(after),
            user=user,
        )


def archive_patient(db: Database, ref: str, *, user: str | None = None) -> None:
    set_archived(db, ref, True, user=user)


def get_patient(db: Database, ref: str) -> PatientRow:
    rows = list_patients(db, include_archived=True, refs=(ref,))
    if not rows:
        raise NotFound(f'no patient with ref "{ref}"')
    return rows[0]


def list_patients(
    db: Database,
    search: str = "",
    *,
    include_archived: bool = False,
    now: datetime | None = None,
    refs: tuple[str, ...] = (),
) -> list[PatientRow]:
    """Patients with their active course and next session, sorted by name."""
    now = now or datetime.now()
    p = t.patient.c
    where = []
    if not include_archived:
        where.append(p.archived.is_(False))
    if refs:
        where.append(p.ref.in_(refs))
    condition = and_(*where) if where else None
    with db.begin() as session:
        records = mapping.read_patients(session, condition)
        needle = search.strip().casefold()
        if needle:  # in Python: SQLite's lower() only knows ASCII, and names are not ASCII
            records = {
                i: r
                for i, r in records.items()
                if needle in r.name.casefold()
                or needle in r.record_number.casefold()
                or needle in r.ref.casefold()
            }
        ids = list(records)
        versions = mapping.read_versions(session, t.patient, ids)
        courses: dict[int, list[Course]] = {}
        for course in session.scalars(
            select(Course).where(Course.patient_id.in_(ids)).order_by(Course.id)
        ):
            courses.setdefault(course.patient_id, []).append(course)
        next_sessions: dict[int, InfusionSession] = {}
        upcoming = session.execute(
            select(Course.patient_id, InfusionSession)
            .join(InfusionSession, InfusionSession.course_id == Course.id)
            .where(
                Course.patient_id.in_(ids),
                InfusionSession.start >= now,
                InfusionSession.status.not_in(tuple(INACTIVE_SESSION_STATUSES)),
            )
            .order_by(InfusionSession.start)
        ).all()
        for patient_id, infusion in upcoming:
            next_sessions.setdefault(patient_id, infusion)
        rows = []
        for pid, record in records.items():
            theirs = courses.get(pid, [])
            active = next((c for c in reversed(theirs) if c.status == "active"), None)
            nxt = next_sessions.get(pid)
            rows.append(
                PatientRow(
                    patient=record,
                    version=versions[pid],
                    active_course_ref=active.ref if active else None,
                    active_course_protocol=active.protocol.name if active else None,
                    next_session_ref=nxt.ref if nxt else None,
                    next_session_start=nxt.start if nxt else None,
                    course_refs=tuple(c.ref for c in theirs),
                )
            )
        rows.sort(key=lambda r: (r.patient.name.casefold(), r.patient.ref))
        return rows
