"""Whole-clinic load and dump in the ``infusion-planner/1`` format (one transaction each)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    AuditEvent,
    Chair,
    Clinic,
    Closure,
    Course,
    InfusionSession,
    OpeningHours,
    Patient,
    Protocol,
    StaffHours,
    StaffLeave,
    StaffMember,
)
from planner.domain import WEEKDAYS
from planner.interchange import FORMAT
from planner.interchange.schema import ClinicDocument
from planner.services.base import (
    ServiceError,
    count,
    lock_for_replace,
    read_snapshot,
    record_audit,
    unit_of_work,
)

#: Tables holding clinic content, children first (the order to delete in).
CONTENT_MODELS = (
    Assignment,
    InfusionSession,
    Course,
    Patient,
    StaffHours,
    StaffLeave,
    StaffMember,
    Chair,
    Protocol,
    Closure,
    OpeningHours,
    Clinic,
)


class DatabaseNotEmpty(ServiceError):
    pass


def is_empty(session: Session) -> bool:
    """True when the database holds no clinic content (settings rows do not count)."""
    return all(
        count(session, model) == 0
        for model in (Protocol, Chair, StaffMember, Patient, Course, InfusionSession)
    )


def load_document(
    db: Database,
    doc: ClinicDocument,
    *,
    replace: bool = False,
    before_write: Callable[[Session, bool], None] | None = None,
) -> dict[str, int]:
    """Import ``doc`` all-or-nothing; refuses a non-empty database unless ``replace``.

    The emptiness check and the write are one transaction that first makes itself
    the only writer (``lock_for_replace``): an import or another load running at the
    same time either finishes before (and this one sees its data) or waits.
    ``before_write(session, empty)`` runs inside that transaction after the check —
    the caller's safety backup, so nothing can be committed between the copy and the
    replacement; if it fails, nothing is changed. Returns the rows written per kind.
    """
    with unit_of_work(db) as session:
        lock_for_replace(session, [model.__tablename__ for model in CONTENT_MODELS])
        empty = is_empty(session)
        if not replace and not empty:
            raise DatabaseNotEmpty(
                "the database already holds a clinic; use --replace to swap its whole "
                "content (a backup is made first)"
            )
        if before_write is not None:
            before_write(session, empty)
        # An "empty" database may still hold clinic settings (name, hours, closures saved
        # before any data): the document's own settings take their place, never sit beside.
        for model in CONTENT_MODELS:
            session.execute(delete(model))
        counts = write_document(session, doc)
        record_audit(
            session,
            action="replace" if replace else "load",
            entity="clinic",
            summary="loaded clinic document: "
            + ", ".join(f"{n} {kind}" for kind, n in counts.items()),
            after=counts,
        )
    return counts


def write_document(session: Session, doc: ClinicDocument) -> dict[str, int]:
    """Insert a validated document into an empty ``session``."""
    session.add(
        Clinic(
            name=doc.clinic.name,
            address=doc.clinic.address,
            phone=doc.clinic.phone,
            logo_path=doc.clinic.logo,
            policy=dict(doc.policy),
        )
    )
    for hours in doc.clinic.opening_hours:
        session.add(
            OpeningHours(
                weekday=WEEKDAYS.index(hours.weekday), open_time=hours.open, close_time=hours.close
            )
        )
    for day in doc.clinic.closures:
        session.add(Closure(day=day))
    protocols = {}
    for p in doc.protocols:
        protocols[p.ref] = Protocol(
            ref=p.ref,
            name=p.name,
            infusions=p.infusions,
            prep_minutes=p.prep_minutes,
            infusion_minutes=p.infusion_minutes,
            recovery_minutes=p.recovery_minutes,
            min_hours_between=p.min_hours_between,
            max_per_7_days=p.max_per_7_days,
            max_gap_days=p.max_gap_days,
            dose_mg_per_kg=p.dose_mg_per_kg,
        )
    chairs = {
        c.ref: Chair(ref=c.ref, name=c.name, room=c.room, active=c.active) for c in doc.chairs
    }
    staff = {}
    for s in doc.staff:
        member = StaffMember(
            ref=s.ref,
            name=s.name,
            roles=list(s.roles),
            credential_expires=s.credential_expires,
            active=s.active,
        )
        member.hours = [
            StaffHours(weekday=WEEKDAYS.index(h.weekday), start_time=h.start, end_time=h.end)
            for h in s.hours
        ]
        member.leave = [StaffLeave(start_date=lv.from_, end_date=lv.to) for lv in s.leave]
        staff[s.ref] = member
    patients = {}
    for pd in doc.patients:
        patients[pd.ref] = Patient(
            ref=pd.ref,
            name=pd.name,
            date_of_birth=pd.date_of_birth,
            record_number=pd.record_number,
            weight_kg=pd.weight_kg,
            flags=list(pd.flags),
            flags_acknowledged_by=pd.flags_acknowledged_by,
            escort_name=pd.escort.name,
            escort_phone=pd.escort.phone,
            notes=pd.notes,
            archived=pd.archived,
        )
    # Added before any course refers to them: rows are inserted in the order they join the
    # session, and that order is what ``dump`` gives back.
    session.add_all([*protocols.values(), *chairs.values(), *staff.values(), *patients.values()])
    courses = {}
    for c in doc.courses:
        protocol = protocols[c.protocol]
        courses[c.ref] = Course(
            ref=c.ref,
            patient=patients[c.patient],
            protocol=protocol,
            planned_infusions=c.planned_infusions or protocol.infusions,
            consent_date=c.consent_date,
            status=c.status,
            pattern=c.pattern,
        )
        session.add(courses[c.ref])
    for sd in doc.sessions:
        infusion = InfusionSession(
            ref=sd.ref,
            course=courses[sd.course],
            chair=chairs[sd.chair],
            start=sd.start,
            status=sd.status,
            prep_minutes_override=sd.prep_minutes,
            infusion_minutes_override=sd.infusion_minutes,
            recovery_minutes_override=sd.recovery_minutes,
        )
        infusion.assignments = [
            Assignment(staff=staff[a.staff], role=a.role) for a in sd.assignments
        ]
        session.add(infusion)
    session.flush()
    return {
        "protocols": len(protocols),
        "chairs": len(chairs),
        "staff": len(staff),
        "patients": len(patients),
        "courses": len(courses),
        "sessions": len(doc.sessions),
    }


def _hm(value: Any) -> str:
    return str(value.strftime("%H:%M"))


def _num(value: float) -> float | int:
    """Whole numbers print without ``.0`` so hand-written files round-trip unchanged."""
    return int(value) if float(value).is_integer() else value


def dump_document(db: Database) -> dict[str, Any]:
    """The whole database as an ``infusion-planner/1`` document, in a stable order.

    Records and assignments come in the order they were stored, so a loaded document
    dumps in its own order (``X-2`` before ``X-10``, a nurse listed before the
    psychiatrist stays there); weekly hours, leave and closures come sorted by time.
    """
    with db.begin() as session:
        read_snapshot(session)  # one committed state, even while others write
        return build_document(session)


def build_document(session: Session) -> dict[str, Any]:
    clinic = session.scalars(select(Clinic).order_by(Clinic.id)).first()
    hours = session.scalars(
        select(OpeningHours).order_by(OpeningHours.weekday, OpeningHours.open_time)
    ).all()
    closures = session.scalars(select(Closure).order_by(Closure.day)).all()
    clinic_doc: dict[str, Any] = {
        "name": clinic.name if clinic else "",
        "address": clinic.address if clinic else "",
        "phone": clinic.phone if clinic else "",
    }
    if clinic is not None and clinic.logo_path:
        clinic_doc["logo"] = clinic.logo_path
    clinic_doc["opening_hours"] = [
        {"weekday": WEEKDAYS[h.weekday], "open": _hm(h.open_time), "close": _hm(h.close_time)}
        for h in hours
    ]
    clinic_doc["closures"] = [c.day.isoformat() for c in closures]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "clinic": clinic_doc,
        "policy": dict(sorted((clinic.policy or {}).items())) if clinic else {},
    }
    doc["protocols"] = [
        {
            "ref": p.ref,
            "name": p.name,
            "infusions": p.infusions,
            "prep_minutes": p.prep_minutes,
            "infusion_minutes": p.infusion_minutes,
            "recovery_minutes": p.recovery_minutes,
            "min_hours_between": _num(p.min_hours_between),
            "max_per_7_days": p.max_per_7_days,
            "max_gap_days": p.max_gap_days,
            "dose_mg_per_kg": _num(p.dose_mg_per_kg),
        }
        for p in session.scalars(select(Protocol).order_by(Protocol.id))
    ]
    doc["chairs"] = [
        {"ref": c.ref, "name": c.name, "room": c.room} | ({} if c.active else {"active": False})
        for c in session.scalars(select(Chair).order_by(Chair.id))
    ]
    staff_rows = session.scalars(
        select(StaffMember)
        .options(selectinload(StaffMember.hours), selectinload(StaffMember.leave))
        .order_by(StaffMember.id)
    ).all()
    doc["staff"] = [
        {
            "ref": s.ref,
            "name": s.name,
            "roles": list(s.roles),
            "credential_expires": s.credential_expires.isoformat()
            if s.credential_expires
            else None,
            "hours": [
                {"weekday": WEEKDAYS[h.weekday], "start": _hm(h.start_time), "end": _hm(h.end_time)}
                for h in sorted(s.hours, key=lambda h: (h.weekday, h.start_time))
            ],
            "leave": [
                {"from": lv.start_date.isoformat(), "to": lv.end_date.isoformat()}
                for lv in sorted(s.leave, key=lambda lv: (lv.start_date, lv.end_date))
            ],
        }
        | ({} if s.active else {"active": False})
        for s in staff_rows
    ]
    doc["patients"] = [
        {
            "ref": p.ref,
            "name": p.name,
            "date_of_birth": p.date_of_birth.isoformat(),
            "record_number": p.record_number,
            "weight_kg": _num(p.weight_kg) if p.weight_kg is not None else None,
            "flags": list(p.flags),
        }
        | ({"flags_acknowledged_by": p.flags_acknowledged_by} if p.flags_acknowledged_by else {})
        | {"escort": {"name": p.escort_name, "phone": p.escort_phone}, "notes": p.notes}
        | ({"archived": True} if p.archived else {})
        for p in session.scalars(select(Patient).order_by(Patient.id))
    ]
    doc["courses"] = [
        {
            "ref": c.ref,
            "patient": c.patient.ref,
            "protocol": c.protocol.ref,
            "planned_infusions": c.planned_infusions,
            "consent_date": c.consent_date.isoformat() if c.consent_date else None,
            "status": c.status,
        }
        | ({"pattern": c.pattern} if c.pattern else {})
        for c in session.scalars(
            select(Course)
            .options(selectinload(Course.patient), selectinload(Course.protocol))
            .order_by(Course.id)
        )
    ]
    sessions_out = []
    rows = session.scalars(
        select(InfusionSession)
        .options(
            selectinload(InfusionSession.course),
            selectinload(InfusionSession.chair),
            selectinload(InfusionSession.assignments).selectinload(Assignment.staff),
        )
        .order_by(InfusionSession.id)
    ).all()
    for s in rows:
        item: dict[str, Any] = {
            "ref": s.ref,
            "course": s.course.ref,
            "chair": s.chair.ref,
            "start": s.start.strftime("%Y-%m-%dT%H:%M"),
            "status": s.status,
        }
        for key, value in (
            ("prep_minutes", s.prep_minutes_override),
            ("infusion_minutes", s.infusion_minutes_override),
            ("recovery_minutes", s.recovery_minutes_override),
        ):
            if value is not None:
                item[key] = value
        item["assignments"] = [
            {"staff": a.staff.ref, "role": a.role}
            for a in sorted(s.assignments, key=lambda a: a.id)
        ]
        sessions_out.append(item)
    doc["sessions"] = sessions_out
    return doc


def document_to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def audit_count(session: Session) -> int:
    return count(session, AuditEvent)
