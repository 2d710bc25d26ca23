"""Patients: validation that names each bad field, create/update, archive (never delete)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db.engine import Database
from planner.db.models import Course, InfusionSession, Patient
from planner.domain import INACTIVE_SESSION_STATUSES, PATIENT_FLAGS
from planner.services.base import (
    REF_PREFIX,
    ConcurrentEdit,
    NotFound,
    ValidationFailed,
    next_ref,
    record_audit,
    unit_of_work,
)
from planner.services.snapshots import patient_snapshot

#: Plausible adult/adolescent weights for weight-based dosing (kg).
MIN_WEIGHT_KG = 20.0
MAX_WEIGHT_KG = 350.0
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class PatientInput:
    """What the add/edit dialog (or an import) collects."""

    name: str
    date_of_birth: date | None
    record_number: str = ""
    weight_kg: float | None = None
    flags: tuple[str, ...] = ()
    flags_acknowledged_by: str = ""
    escort_name: str = ""
    escort_phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PatientRow:
    """One line of the patients table (a detached snapshot)."""

    ref: str
    name: str
    date_of_birth: date
    record_number: str
    weight_kg: float | None
    flags: tuple[str, ...]
    flags_acknowledged_by: str
    escort_name: str
    escort_phone: str
    notes: str
    archived: bool
    version: int
    active_course_ref: str | None = None
    active_course_protocol: str | None = None
    next_session_ref: str | None = None
    next_session_start: datetime | None = None
    course_refs: tuple[str, ...] = field(default=())


def validate_patient(
    data: PatientInput, *, today: date, session: Session | None = None, ref: str | None = None
) -> dict[str, str]:
    """Field name → what is wrong with it (empty when all is well)."""
    problems: dict[str, str] = {}
    if not data.name.strip():
        problems["name"] = "a name is required"
    elif len(data.name) > 200:
        problems["name"] = "at most 200 characters"
    if data.date_of_birth is None:
        problems["date_of_birth"] = "a date of birth is required"
    elif data.date_of_birth > today:
        problems["date_of_birth"] = "the date of birth is in the future"
    elif data.date_of_birth < EARLIEST_BIRTH:
        problems["date_of_birth"] = "the date of birth is before 1900"
    if data.weight_kg is not None and not (MIN_WEIGHT_KG <= data.weight_kg <= MAX_WEIGHT_KG):
        problems["weight_kg"] = (
            f"a weight of {data.weight_kg:g} kg is not plausible "
            f"({MIN_WEIGHT_KG:g}–{MAX_WEIGHT_KG:g} kg)"
        )
    unknown = [f for f in data.flags if f not in PATIENT_FLAGS]
    if unknown:
        problems["flags"] = f"unknown flag(s): {', '.join(unknown)}"
    if len(data.record_number) > 80:
        problems["record_number"] = "at most 80 characters"
    elif session is not None and data.record_number.strip():
        clash = session.scalars(
            select(Patient.ref).where(Patient.record_number == data.record_number.strip())
        ).first()
        if clash is not None and clash != ref:
            problems["record_number"] = f"record number already used by patient {clash}"
    return problems


def _raise_if(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationFailed(
            "Not saved — " + "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in problems.items()),
            problems,
        )


def _apply(patient: Patient, data: PatientInput) -> None:
    patient.name = data.name.strip()
    assert data.date_of_birth is not None
    patient.date_of_birth = data.date_of_birth
    patient.weight_kg = data.weight_kg
    patient.flags = [f for f in PATIENT_FLAGS if f in data.flags]
    patient.flags_acknowledged_by = data.flags_acknowledged_by.strip()
    patient.escort_name = data.escort_name.strip()
    patient.escort_phone = data.escort_phone.strip()
    patient.notes = data.notes


def create_patient(
    db: Database, data: PatientInput, *, today: date | None = None, user: str | None = None
) -> str:
    """Add a patient; a blank record number gets one made from the ref. Returns the ref."""
    today = today or date.today()
    with unit_of_work(db) as session:
        _raise_if(validate_patient(data, today=today, session=session))
        ref = next_ref(session, Patient, *REF_PREFIX["patient"])
        patient = Patient(ref=ref, record_number=data.record_number.strip() or f"MRN-{ref}")
        _apply(patient, data)
        session.add(patient)
        session.flush()
        record_audit(
            session,
            action="create",
            entity="patient",
            ref=ref,
            patient_ref=ref,
            summary=f"added patient {patient.name}",
            after=patient_snapshot(patient),
            user=user,
        )
        return ref


def _get(session: Session, ref: str) -> Patient:
    patient = session.scalars(select(Patient).where(Patient.ref == ref)).first()
    if patient is None:
        raise NotFound(f'no patient with ref "{ref}"')
    return patient


def update_patient(
    db: Database,
    ref: str,
    data: PatientInput,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    user: str | None = None,
) -> int:
    """Save an edited patient; returns the new version."""
    today = today or date.today()
    with unit_of_work(db) as session:
        patient = _get(session, ref)
        if expected_version is not None and patient.version != expected_version:
            raise ConcurrentEdit(
                f"Patient {ref} was changed on another workstation since you opened it — "
                "reload to see the current version; nothing was saved."
            )
        _raise_if(validate_patient(data, today=today, session=session, ref=ref))
        before = patient_snapshot(patient)
        _apply(patient, data)
        patient.record_number = data.record_number.strip() or patient.record_number
        session.flush()
        after = patient_snapshot(patient)
        record_audit(
            session,
            action="update",
            entity="patient",
            ref=ref,
            patient_ref=ref,
            summary=f"edited patient {patient.name}: "
            + ", ".join(k for k in after if after[k] != before[k]),
            before=before,
            after=after,
            user=user,
        )
        return patient.version


def set_archived(db: Database, ref: str, archived: bool = True, *, user: str | None = None) -> None:
    """Archive (or bring back) a patient; history is never deleted."""
    with unit_of_work(db) as session:
        patient = _get(session, ref)
        if patient.archived == archived:
            return
        before = patient_snapshot(patient)
        patient.archived = archived
        session.flush()
        record_audit(
            session,
            action="archive" if archived else "unarchive",
            entity="patient",
            ref=ref,
            patient_ref=ref,
            summary=("archived " if archived else "restored ") + patient.name,
            before=before,
            after=patient_snapshot(patient),
            user=user,
        )


def archive_patient(db: Database, ref: str, *, user: str | None = None) -> None:
    set_archived(db, ref, True, user=user)


def get_patient(db: Database, ref: str) -> PatientRow:
    rows = [r for r in list_patients(db, include_archived=True, refs=(ref,))]
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
    with db.begin() as session:
        query = select(Patient).order_by(func.lower(Patient.name), Patient.ref)
        if not include_archived:
            query = query.where(Patient.archived.is_(False))
        if refs:
            query = query.where(Patient.ref.in_(refs))
        patients = list(session.scalars(query).all())
        needle = search.strip().casefold()
        if needle:  # in Python: SQLite's lower() only knows ASCII, and names are not ASCII
            patients = [
                p
                for p in patients
                if needle in p.name.casefold()
                or needle in p.record_number.casefold()
                or needle in p.ref.casefold()
            ]
        patients.sort(key=lambda p: (p.name.casefold(), p.ref))
        ids = [p.id for p in patients]
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
        for p in patients:
            theirs = courses.get(p.id, [])
            active = next((c for c in reversed(theirs) if c.status == "active"), None)
            nxt = next_sessions.get(p.id)
            rows.append(
                PatientRow(
                    ref=p.ref,
                    name=p.name,
                    date_of_birth=p.date_of_birth,
                    record_number=p.record_number,
                    weight_kg=p.weight_kg,
                    flags=tuple(p.flags),
                    flags_acknowledged_by=p.flags_acknowledged_by,
                    escort_name=p.escort_name,
                    escort_phone=p.escort_phone,
                    notes=p.notes,
                    archived=p.archived,
                    version=p.version,
                    active_course_ref=active.ref if active else None,
                    active_course_protocol=active.protocol.name if active else None,
                    next_session_ref=nxt.ref if nxt else None,
                    next_session_start=nxt.start if nxt else None,
                    course_refs=tuple(c.ref for c in theirs),
                )
            )
        return rows
