"""Whole-clinic load and dump in the ``infusion-planner/1`` format (one transaction each)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.db import mapping, models, tables
from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    AuditEvent,
    Chair,
    Clinic,
    Closure,
    ConsentTemplate,
    Course,
    InfusionSession,
    OpeningHours,
    Patient,
    Protocol,
    StaffHours,
    StaffLeave,
    StaffMember,
)
from planner.interchange.schema import ClinicDocument
from planner.interchange.writer import record_to_json
from planner.services import ledger_io
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
    *ledger_io.LEDGER_MODELS,
    Assignment,
    InfusionSession,
    Course,
    Patient,
    StaffHours,
    StaffLeave,
    StaffMember,
    Chair,
    Protocol,
    ConsentTemplate,
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
        lock_for_replace(session, [model.__table__.name for model in CONTENT_MODELS])
        empty = is_empty(session)
        if not replace and not empty:
            raise DatabaseNotEmpty(
                "the database already holds a clinic; use --replace to swap its whole "
                "content (a backup is made first)"
            )
        if before_write is not None:
            before_write(session, empty)
        links = ledger_io.keep_on_replace(session, doc)
        # An "empty" database may still hold clinic settings (name, hours, closures saved
        # before any data): the document's own settings take their place, never sit beside.
        for model in CONTENT_MODELS:
            session.execute(delete(model))
        counts = write_document(session, doc)
        ledger_io.relink_accounts(session, links)
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
    """Insert a validated document into an empty ``session``.

    Rows are added in the document's order (the order ``dump`` gives back).
    """
    clinic = models.Clinic(policy=dict(doc.policy))
    mapping.write_clinic(clinic, doc.clinic)
    session.add(clinic)
    for hours in doc.clinic.opening_hours:
        session.add(
            models.OpeningHours(weekday=hours.weekday, open_time=hours.open, close_time=hours.close)
        )
    for day in doc.clinic.closures:
        session.add(models.Closure(day=day))
    templates: dict[str, models.ConsentTemplate] = {}
    for ct in doc.consent_templates:
        templates[ct.ref] = models.ConsentTemplate(ref=ct.ref)
        mapping.write_consent_template(templates[ct.ref], ct)
    protocols: dict[str, models.Protocol] = {}
    for p in doc.protocols:
        protocols[p.ref] = models.Protocol(ref=p.ref)
        mapping.write_protocol(
            protocols[p.ref],
            p,
            consent_template=templates[p.consent_template.ref] if p.consent_template else None,
        )
    chairs: dict[str, models.Chair] = {}
    for c in doc.chairs:
        chairs[c.ref] = models.Chair(ref=c.ref)
        mapping.write_chair(chairs[c.ref], c)
    staff: dict[str, models.StaffMember] = {}
    for m in doc.staff:
        staff[m.ref] = models.StaffMember(ref=m.ref)
        mapping.write_staff(staff[m.ref], m)
    patients: dict[str, models.Patient] = {}
    for pt in doc.patients:
        patients[pt.ref] = models.Patient(ref=pt.ref)
        mapping.write_patient(patients[pt.ref], pt)
    # Added before any course refers to them: rows are inserted in the order they join the
    # session, and that order is what ``dump`` gives back.
    session.add_all(
        [
            *templates.values(),
            *protocols.values(),
            *chairs.values(),
            *staff.values(),
            *patients.values(),
        ]
    )
    courses: dict[str, models.Course] = {}
    for course in doc.courses:
        courses[course.ref] = models.Course(ref=course.ref)
        mapping.write_course(
            courses[course.ref],
            course,
            patient=patients[course.patient.ref],
            protocol=protocols[course.protocol.ref],
        )
        session.add(courses[course.ref])
    for sd in doc.sessions:
        infusion = models.InfusionSession(ref=sd.ref)
        mapping.write_session(
            infusion, sd, course=courses[sd.course.ref], chair=chairs[sd.chair.ref], staff=staff
        )
        session.add(infusion)
    ledger = ledger_io.write_ledger(session, doc)
    session.flush()
    counts = {
        "protocols": len(protocols),
        "chairs": len(chairs),
        "staff": len(staff),
        "patients": len(patients),
        "courses": len(courses),
        "sessions": len(doc.sessions),
    }
    if templates:
        counts = {"consent templates": len(templates)} | counts
    return counts | ledger


def dump_document(db: Database) -> dict[str, Any]:
    """The whole database as an ``infusion-planner/1`` document, in a stable order.

    Records and assignments come in the order they were stored, so a loaded document
    dumps in its own order (``X-2`` before ``X-10``, a nurse listed before the
    psychiatrist stays there); weekly hours, leave and closures come sorted by time.
    """
    with db.begin() as session:
        read_snapshot(session)  # one committed state, even while others write
        return build_document(session)


def read_document(session: Session) -> ClinicDocument:
    """Every record of the database, as one document."""
    policy = session.execute(
        select(tables.clinic.c.policy).order_by(tables.clinic.c.id).limit(1)
    ).scalar()
    protocols = mapping.read_protocols(session)
    staff = mapping.read_staff(session)
    chairs = mapping.read_chairs(session)
    sessions = mapping.read_sessions(session, staff=staff, chairs=chairs)
    courses = mapping.read_courses(session, protocols=protocols)
    inventory, recorded = ledger_io.read_ledger(session, staff, sessions)
    return ClinicDocument(
        clinic=mapping.read_clinic(session),
        policy=dict(policy or {}),
        consent_templates=tuple(mapping.read_consent_templates(session).values()),
        protocols=tuple(protocols.values()),
        chairs=tuple(chairs.values()),
        staff=tuple(staff.values()),
        patients=tuple(mapping.read_patients(session).values()),
        courses=tuple(courses.values()),
        inventory=inventory,
        sessions=recorded,
    )


def build_document(session: Session) -> dict[str, Any]:
    return record_to_json(read_document(session))


def document_to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def audit_count(session: Session) -> int:
    return count(session, AuditEvent)
