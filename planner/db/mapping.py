"""Rows ↔ domain records: the one place that knows how the database stores each entity.

Reads are set-based Core selects over ``planner.db.tables`` (no ORM identity
map, nothing lazy afterwards); each returns frozen records keyed by row id so
related records are joined in Python. Writes copy a record onto an ORM object
(``planner.db.models`` is imported by those functions only, so the start-up
read of the first week never loads the ORM).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from typing import Protocol as TypingProtocol

from sqlalchemy import ColumnElement, Select, Table, select

from planner.db import tables as t
from planner.domain.accounts import Account
from planner.domain.chart import (
    AdverseEvent,
    Amendment,
    Change,
    Checks,
    Discharge,
    Medication,
    SessionRecord,
    Vitals,
    Waste,
)
from planner.domain.inventory import DrugLot, InventoryCount, Movement, to_ug
from planner.domain.policy import Policy
from planner.domain.records import (
    Assignment,
    Chair,
    Clinic,
    ConsentTemplate,
    Course,
    Escort,
    Leave,
    OpeningHours,
    Patient,
    Protocol,
    Session,
    StaffMember,
    WeeklyHours,
    infusion_numbers,
)

if TYPE_CHECKING:
    from planner.db import models


class Executor(TypingProtocol):
    """A SQLAlchemy ``Connection`` or ORM ``Session``: anything that runs a select."""

    def execute(self, statement: Any, parameters: Any = ..., /) -> Any: ...


# -- single rows ------------------------------------------------------------------------------


def protocol_of(row: Any, templates: Mapping[int, ConsentTemplate]) -> Protocol:
    return Protocol(
        ref=row.ref,
        name=row.name,
        infusions=row.infusions,
        prep_minutes=row.prep_minutes,
        infusion_minutes=row.infusion_minutes,
        recovery_minutes=row.recovery_minutes,
        min_hours_between=float(row.min_hours_between),
        max_per_7_days=row.max_per_7_days,
        max_gap_days=row.max_gap_days,
        dose_mg_per_kg=float(row.dose_mg_per_kg),
        indication=row.indication,
        consent_template=None
        if row.consent_template_id is None
        else templates[row.consent_template_id],
    )


def chair_of(row: Any) -> Chair:
    return Chair(ref=row.ref, name=row.name, room=row.room, active=bool(row.active))


def patient_of(row: Any) -> Patient:
    return Patient(
        ref=row.ref,
        name=row.name,
        date_of_birth=row.date_of_birth,
        record_number=row.record_number,
        sex=row.sex,
        phone=row.phone or "",
        weight_kg=None if row.weight_kg is None else float(row.weight_kg),
        weight_measured=row.weight_measured,
        allergies=None if row.allergies is None else tuple(row.allergies),
        flags=tuple(row.flags or ()),
        flags_acknowledged_by=row.flags_acknowledged_by or "",
        escort=Escort(name=row.escort_name or "", phone=row.escort_phone or ""),
        notes=row.notes or "",
        archived=bool(row.archived),
    )


# -- sets of rows ------------------------------------------------------------------------------


def read_versions(db: Executor, table: Table, ids: Iterable[int]) -> dict[int, int]:
    """Row id -> ``version`` (what an edit hands back for optimistic locking)."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = db.execute(select(table.c.id, table.c.version).where(table.c.id.in_(wanted)))
    return {row_id: version for row_id, version in rows}


def read_policy(db: Executor) -> Policy:
    """The clinic's policy (defaults without a clinic row); raises ``Invalid`` if corrupt."""
    overrides = db.execute(select(t.clinic.c.policy).order_by(t.clinic.c.id).limit(1)).scalar()
    return Policy.from_overrides(overrides)


def read_opening_hours(db: Executor) -> tuple[OpeningHours, ...]:
    """The weekly opening hours, by weekday and time."""
    h = t.opening_hours.c
    return tuple(
        OpeningHours(weekday=row.weekday, open=row.open_time, close=row.close_time)
        for row in db.execute(select(t.opening_hours).order_by(h.weekday, h.open_time))
    )


def read_clinic(db: Executor) -> Clinic:
    """Letterhead, opening hours (by weekday and time) and closure days."""
    row = db.execute(select(t.clinic).order_by(t.clinic.c.id).limit(1)).first()
    hours = read_opening_hours(db)
    closures = tuple(db.execute(select(t.closure.c.day).order_by(t.closure.c.day)).scalars())
    return Clinic(
        name=row.name if row else "",
        address=row.address if row else "",
        phone=row.phone if row else "",
        logo=row.logo if row else None,
        opening_hours=hours,
        closures=closures,
    )


def read_consent_templates(db: Executor) -> dict[int, ConsentTemplate]:
    return {
        row.id: ConsentTemplate(ref=row.ref, name=row.name, text=row.text)
        for row in db.execute(select(t.consent_template).order_by(t.consent_template.c.id))
    }


def read_protocols(db: Executor, where: ColumnElement[bool] | None = None) -> dict[int, Protocol]:
    query = select(t.protocol).order_by(t.protocol.c.id)
    if where is not None:
        query = query.where(where)
    rows = db.execute(query).all()
    needed = {r.consent_template_id for r in rows} - {None}
    templates = read_consent_templates(db) if needed else {}
    return {row.id: protocol_of(row, templates) for row in rows}


def read_chairs(db: Executor, where: ColumnElement[bool] | None = None) -> dict[int, Chair]:
    query = select(t.chair).order_by(t.chair.c.id)
    if where is not None:
        query = query.where(where)
    return {row.id: chair_of(row) for row in db.execute(query)}


def _parents(
    db: Executor, table: Table, where: ColumnElement[bool] | None
) -> tuple[list[Any], Select[Any]]:
    """The rows of ``table`` matching ``where`` (by id), and a subquery of their ids that
    their child rows are read with (one query per child table, not one per row)."""
    query: Select[Any] = select(table).order_by(table.c.id)
    ids: Select[Any] = select(table.c.id)
    if where is not None:
        query, ids = query.where(where), ids.where(where)
    return list(db.execute(query).all()), ids


def read_staff(db: Executor, where: ColumnElement[bool] | None = None) -> dict[int, StaffMember]:
    """Staff with their weekly hours (by weekday, start) and leave (by first day)."""
    rows, ids = _parents(db, t.staff_member, where)
    if not rows:
        return {}
    h, lv = t.staff_hours.c, t.staff_leave.c
    hours: dict[int, list[WeeklyHours]] = {}
    for sid, weekday, start, end in db.execute(
        select(h.staff_id, h.weekday, h.start_time, h.end_time)
        .where(h.staff_id.in_(ids))
        .order_by(h.staff_id, h.weekday, h.start_time, h.id)
    ):
        hours.setdefault(sid, []).append(WeeklyHours(weekday=weekday, start=start, end=end))
    leave: dict[int, list[Leave]] = {}
    for sid, first, last in db.execute(
        select(lv.staff_id, lv.start_date, lv.end_date)
        .where(lv.staff_id.in_(ids))
        .order_by(lv.staff_id, lv.start_date, lv.end_date, lv.id)
    ):
        leave.setdefault(sid, []).append(Leave(start=first, end=last))
    return {
        row.id: StaffMember(
            ref=row.ref,
            name=row.name,
            roles=tuple(row.roles or ()),
            credential_expires=row.credential_expires,
            hours=tuple(hours.get(row.id, ())),
            leave=tuple(leave.get(row.id, ())),
            active=bool(row.active),
        )
        for row in rows
    }


def read_patients(db: Executor, where: ColumnElement[bool] | None = None) -> dict[int, Patient]:
    query = select(t.patient).order_by(t.patient.c.id)
    if where is not None:
        query = query.where(where)
    return {row.id: patient_of(row) for row in db.execute(query)}


def read_courses(
    db: Executor,
    where: ColumnElement[bool] | None = None,
    *,
    patients: Mapping[int, Patient] | None = None,
    protocols: Mapping[int, Protocol] | None = None,
) -> dict[int, Course]:
    """Courses with their patient and protocol (read here unless given)."""
    c = t.course.c
    query = select(t.course).order_by(c.id)
    if where is not None:
        query = query.where(where)
    rows = db.execute(query).all()
    if not rows:
        return {}
    if patients is None:
        patients = read_patients(db, t.patient.c.id.in_({r.patient_id for r in rows}))
    if protocols is None:
        protocols = read_protocols(db)
    return {
        r.id: Course(
            ref=r.ref,
            patient=patients[r.patient_id],
            protocol=protocols[r.protocol_id],
            planned_infusions=r.planned_infusions,
            consent_date=r.consent_date,
            status=r.status,
            pattern=r.pattern or "",
        )
        for r in rows
    }


@dataclass
class SessionRead:
    """Sessions read with everything they refer to, keyed by row id."""

    sessions: dict[int, Session] = field(default_factory=dict)
    courses: dict[int, Course] = field(default_factory=dict)
    chairs: dict[int, Chair] = field(default_factory=dict)
    staff: dict[int, StaffMember] = field(default_factory=dict)
    #: Session id -> its ``version`` (for optimistic locking in the GUI).
    versions: dict[int, int] = field(default_factory=dict)

    def in_order(self) -> list[Session]:
        """Sessions by start, then by the order they were stored."""
        return sorted(self.sessions.values(), key=lambda s: s.start)


def read_sessions(
    db: Executor,
    where: ColumnElement[bool] | None = None,
    *,
    staff: Mapping[int, StaffMember] | None = None,
    chairs: Mapping[int, Chair] | None = None,
) -> SessionRead:
    """Sessions matching ``where`` (all when None) with their courses, chairs and staff."""
    a = t.assignment.c
    rows, ids = _parents(db, t.infusion_session, where)
    out = SessionRead()
    if not rows:
        return out
    out.courses = read_courses(db, t.course.c.id.in_({r.course_id for r in rows}))
    out.chairs = dict(chairs) if chairs is not None else read_chairs(db)
    out.staff = dict(staff) if staff is not None else read_staff(db)
    assigned: dict[int, list[Assignment]] = {}
    for sid, staff_id, role in db.execute(
        select(a.session_id, a.staff_id, a.role).where(a.session_id.in_(ids)).order_by(a.id)
    ):
        assigned.setdefault(sid, []).append(Assignment(staff=out.staff[staff_id], role=role))
    for r in rows:
        out.sessions[r.id] = Session(
            ref=r.ref,
            course=out.courses[r.course_id],
            chair=out.chairs[r.chair_id],
            start=r.start,
            status=r.status,
            prep_minutes_override=r.prep_minutes,
            infusion_minutes_override=r.infusion_minutes,
            recovery_minutes_override=r.recovery_minutes,
            assignments=tuple(assigned.get(r.id, ())),
        )
        out.versions[r.id] = r.version
    return out


def number_sessions(sessions: Iterable[Session]) -> dict[str, int]:
    """Session ref -> "n" of "n of N" (see ``infusion_numbers``); give every session of the
    courses concerned, in the order they were stored."""
    return infusion_numbers((s.ref, s.course.ref, s.start, s.active) for s in sessions)


# -- writes: record -> ORM -------------------------------------------------------------------------


def write_consent_template(target: models.ConsentTemplate, record: ConsentTemplate) -> None:
    target.name = record.name
    target.text = record.text


def write_protocol(
    target: models.Protocol,
    record: Protocol,
    *,
    consent_template: models.ConsentTemplate | None = None,
) -> None:
    """Copy a protocol (``consent_template``: the ORM row of ``record.consent_template``)."""
    target.consent_template = consent_template
    for name in (
        "name",
        "infusions",
        "prep_minutes",
        "infusion_minutes",
        "recovery_minutes",
        "min_hours_between",
        "max_per_7_days",
        "max_gap_days",
        "dose_mg_per_kg",
        "indication",
    ):
        setattr(target, name, getattr(record, name))


def write_chair(target: models.Chair, record: Chair) -> None:
    target.name = record.name
    target.room = record.room
    target.active = record.active


def write_staff(target: models.StaffMember, record: StaffMember) -> None:
    """Copy a staff member, replacing the weekly hours and leave."""
    from planner.db import models

    target.name = record.name
    target.roles = list(record.roles)
    target.credential_expires = record.credential_expires
    target.active = record.active
    target.hours = [
        models.StaffHours(weekday=h.weekday, start_time=h.start, end_time=h.end)
        for h in sorted(record.hours, key=lambda h: (h.weekday, h.start))
    ]
    target.leave = [
        models.StaffLeave(start_date=lv.start, end_date=lv.end)
        for lv in sorted(record.leave, key=lambda lv: (lv.start, lv.end))
    ]


def write_patient(target: models.Patient, record: Patient) -> None:
    from planner.domain import PATIENT_FLAGS

    target.name = record.name
    target.date_of_birth = record.date_of_birth
    target.record_number = record.record_number
    target.sex = record.sex
    target.phone = record.phone
    target.weight_kg = record.weight_kg
    target.weight_measured = record.weight_measured
    target.allergies = None if record.allergies is None else list(record.allergies)
    target.flags = [f for f in PATIENT_FLAGS if f in record.flags]
    target.flags_acknowledged_by = record.flags_acknowledged_by
    target.escort_name = record.escort.name
    target.escort_phone = record.escort.phone
    target.notes = record.notes
    target.archived = record.archived


def write_course(
    target: models.Course, record: Course, *, patient: models.Patient, protocol: models.Protocol
) -> None:
    target.patient = patient
    target.protocol = protocol
    target.planned_infusions = record.planned_infusions
    target.consent_date = record.consent_date
    target.status = record.status
    target.pattern = record.pattern


def write_session(
    target: models.InfusionSession,
    record: Session,
    *,
    course: models.Course,
    chair: models.Chair,
    staff: Mapping[str, models.StaffMember],
) -> None:
    """Copy a session, replacing its assignments (``staff``: ORM staff by ref)."""
    from planner.db import models

    target.course = course
    target.chair = chair
    target.start = record.start
    target.status = record.status
    target.prep_minutes_override = record.prep_minutes_override
    target.infusion_minutes_override = record.infusion_minutes_override
    target.recovery_minutes_override = record.recovery_minutes_override
    target.assignments = [
        models.Assignment(staff=staff[a.staff.ref], role=a.role) for a in record.assignments
    ]


def write_clinic(target: models.Clinic, record: Clinic) -> None:
    """Letterhead and logo; opening hours and closures are rows of their own."""
    target.name = record.name
    target.address = record.address
    target.phone = record.phone
    target.logo = record.logo


# -- accounts, the controlled-substance log, session records -------------------------------------


def has_accounts(db: Executor) -> bool:
    """Whether anyone signs in to this database (a light read: start-up asks it)."""
    return db.execute(select(t.account.c.id).limit(1)).first() is not None


def staff_refs(db: Executor) -> dict[int, str]:
    """Staff row id -> ref."""
    c = t.staff_member.c
    return dict(db.execute(select(c.id, c.ref)).all())


def read_accounts(db: Executor, where: ColumnElement[bool] | None = None) -> dict[int, Account]:
    """Accounts by row id, with their staff member's ref (never the hashes)."""
    a = t.account.c
    query = select(a.id, a.name, a.role, a.staff_id, a.active, a.pin_hash).order_by(a.id)
    if where is not None:
        query = query.where(where)
    rows = db.execute(query).all()
    refs = staff_refs(db) if any(r.staff_id is not None for r in rows) else {}
    return {
        r.id: Account(
            name=r.name,
            role=r.role,
            staff=refs.get(r.staff_id) if r.staff_id is not None else None,
            active=bool(r.active),
            has_pin=r.pin_hash is not None,
        )
        for r in rows
    }


def read_lots(
    db: Executor, staff: Mapping[int, StaffMember], where: ColumnElement[bool] | None = None
) -> dict[int, DrugLot]:
    """Lots by row id, in the order they were received into the database."""
    query = select(t.drug_lot).order_by(t.drug_lot.c.id)
    if where is not None:
        query = query.where(where)
    return {
        r.id: DrugLot(
            ref=r.ref,
            drug=r.drug,
            lot_number=r.lot_number,
            concentration_mg_per_ml=float(r.concentration_mg_per_ml),
            ml_per_vial=float(r.ml_per_vial),
            vials=r.vials,
            received=r.received,
            expires=r.expires,
            supplier=r.supplier or "",
            invoice=r.invoice or "",
            received_by=staff[r.received_by_id],
            witness=staff[r.witness_id],
        )
        for r in db.execute(query)
    }


def _mg(value: float) -> float:
    """A stored amount back to the microgram it was written with."""
    return to_ug(round(float(value), 3)) / 1000


def read_counts(
    db: Executor, lots: Mapping[int, DrugLot], staff: Mapping[int, StaffMember]
) -> list[InventoryCount]:
    """Every physical count, in the order they were taken."""
    return [
        InventoryCount(
            day=r.day,
            lot=lots[r.lot_id],
            mg=_mg(r.mg),
            by=staff[r.by_id],
            witness=staff[r.witness_id],
            note=r.note or "",
        )
        for r in db.execute(select(t.inventory_count).order_by(t.inventory_count.c.id))
    ]


def _children(db: Executor, table: Any, ids: Any, order: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in db.execute(select(table).where(table.c.record_id.in_(ids)).order_by(*order)):
        out.setdefault(row.record_id, []).append(row)
    return out


@dataclass
class RecordRead:
    """Session records keyed by session row id, with each record's row id and version."""

    records: dict[int, SessionRecord] = field(default_factory=dict)
    record_ids: dict[int, int] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)


def read_records(
    db: Executor,
    staff: Mapping[int, StaffMember],
    lots: Mapping[int, DrugLot],
    where: ColumnElement[bool] | None = None,
) -> RecordRead:
    """Session records (``where`` on ``session_record``), each with all its rows."""
    rows, ids = _parents(db, t.session_record, where)
    out = RecordRead()
    if not rows:
        return out
    vitals = _children(db, t.vital_sign, ids, (t.vital_sign.c.at, t.vital_sign.c.id))
    meds = _children(db, t.medication_given, ids, (t.medication_given.c.id,))
    waste = _children(db, t.drug_waste, ids, (t.drug_waste.c.id,))
    events = _children(db, t.adverse_event, ids, (t.adverse_event.c.id,))
    amendments = _children(db, t.record_amendment, ids, (t.record_amendment.c.id,))

    def who(staff_id: int | None) -> StaffMember | None:
        return None if staff_id is None else staff[staff_id]

    for row in rows:
        out.records[row.session_id] = SessionRecord(
            checked_in_at=row.checked_in_at,
            checks=Checks(
                escort_present=bool(row.escort_present),
                escort_name=row.escort_name or "",
                fasting_confirmed=bool(row.fasting_confirmed),
                no_substances=bool(row.no_substances),
                consent_verified=bool(row.consent_verified),
                weight_kg=None if row.weight_kg is None else float(row.weight_kg),
                pregnancy=row.pregnancy,
                allergies_confirmed=bool(row.allergies_confirmed),
            ),
            vitals=tuple(
                Vitals(
                    time=v.at,
                    systolic=v.systolic,
                    diastolic=v.diastolic,
                    heart_rate=v.heart_rate,
                    spo2=v.spo2,
                    respiratory_rate=v.respiratory_rate,
                    moaas=v.moaas,
                    note=v.note or "",
                    entered_by=v.entered_by or "",
                )
                for v in vitals.get(row.id, ())
            ),
            medications=tuple(
                Medication(
                    drug=m.drug,
                    lot=None if m.lot_id is None else lots[m.lot_id],
                    mg=_mg(m.mg),
                    route=m.route,
                    start=m.start_at,
                    end=m.end_at,
                    by=staff[m.by_id],
                )
                for m in meds.get(row.id, ())
            ),
            waste=tuple(
                Waste(
                    lot=lots[w.lot_id],
                    mg=_mg(w.mg),
                    time=w.at,
                    by=staff[w.by_id],
                    witness=staff[w.witness_id],
                )
                for w in waste.get(row.id, ())
            ),
            adverse_events=tuple(
                AdverseEvent(
                    time=e.at, description=e.description, serious=bool(e.serious), action=e.action
                )
                for e in events.get(row.id, ())
            ),
            discharge=Discharge(
                dissociation_resolved=bool(row.discharge_dissociation_resolved),
                oriented=bool(row.discharge_oriented),
                steady_gait=bool(row.discharge_steady_gait),
                tolerating_fluids=bool(row.discharge_tolerating_fluids),
                nausea_controlled=bool(row.discharge_nausea_controlled),
                vitals_within_limits=bool(row.discharge_vitals_within_limits),
                escort_present=bool(row.discharge_escort_present),
                instructions_given=bool(row.discharge_instructions_given),
                aldrete=row.aldrete,
                at=row.discharged_at,
                by=who(row.discharged_by_id),
            ),
            signed_by=who(row.signed_by_id),
            signed_at=row.signed_at,
            amendments=tuple(
                Amendment(
                    at=a.at,
                    by=staff[a.by_id],
                    reason=a.reason,
                    changes=tuple(
                        Change(path=c["path"], before=c.get("before"), after=c.get("after"))
                        for c in a.changes or ()
                    ),
                )
                for a in amendments.get(row.id, ())
            ),
        )
        out.record_ids[row.session_id] = row.id
        out.versions[row.session_id] = row.version
    return out


def read_movements(db: Executor, lots: Mapping[int, DrugLot]) -> list[Movement]:
    """Every milligram that left a lot: given (from a lot) and wasted, named by session ref,
    with who did it, the witness and the patient (name and record number)."""
    m, w, r = t.medication_given.c, t.drug_waste.c, t.session_record.c
    s, c, p = t.infusion_session.c, t.course.c, t.patient.c
    names = dict(db.execute(select(t.staff_member.c.id, t.staff_member.c.name)).all())

    def of_session(query: Select[Any], record_id: Any) -> Select[Any]:
        return (
            query.join(t.session_record, r.id == record_id)
            .join(t.infusion_session, s.id == r.session_id)
            .join(t.course, c.id == s.course_id)
            .join(t.patient, p.id == c.patient_id)
        )

    out: list[Movement] = []
    given = of_session(
        select(m.lot_id, m.start_at, m.mg, s.ref, m.by_id, p.name, p.record_number)
        .select_from(t.medication_given)
        .where(m.lot_id.is_not(None)),
        m.record_id,
    ).order_by(m.id)
    for lot_id, at, mg, ref, by, name, number in db.execute(given):
        out.append(
            Movement(
                lots[lot_id].ref, at, "given", to_ug(_mg(mg)), ref, names[by], "", f"{name} ({number})"
            )
        )
    wasted = of_session(
        select(w.lot_id, w.at, w.mg, s.ref, w.by_id, w.witness_id, p.name, p.record_number)
        .select_from(t.drug_waste),
        w.record_id,
    ).order_by(w.id)
    for lot_id, at, mg, ref, by, witness, name, number in db.execute(wasted):
        out.append(
            Movement(
                lots[lot_id].ref,
                at,
                "wasted",
                to_ug(_mg(mg)),
                ref,
                names[by],
                names[witness],
                f"{name} ({number})",
            )
        )
    return out


def write_lot(target: models.DrugLot, record: DrugLot, staff: Mapping[str, int]) -> None:
    """Copy a lot (``staff``: staff row id by ref)."""
    for name in (
        "drug",
        "lot_number",
        "concentration_mg_per_ml",
        "ml_per_vial",
        "vials",
        "received",
        "expires",
        "supplier",
        "invoice",
    ):
        setattr(target, name, getattr(record, name))
    target.received_by_id = staff[record.received_by.ref]
    assert record.witness is not None, "a lot is witnessed (checked before writing)"
    target.witness_id = staff[record.witness.ref]


def write_count(
    target: models.InventoryCount,
    record: InventoryCount,
    *,
    staff: Mapping[str, int],
    lots: Mapping[str, int],
) -> None:
    target.lot_id = lots[record.lot.ref]
    target.day = record.day
    target.mg = record.mg
    target.by_id = staff[record.by.ref]
    assert record.witness is not None, "a count is witnessed (checked before writing)"
    target.witness_id = staff[record.witness.ref]
    target.note = record.note


def write_record(
    target: models.SessionRecord,
    record: SessionRecord,
    *,
    staff: Mapping[str, int],
    lots: Mapping[str, int],
) -> None:
    """Copy a session record, replacing its rows (``staff``/``lots``: row ids by ref)."""
    from planner.db import models

    def sid(member: StaffMember | None) -> int | None:
        return None if member is None else staff[member.ref]

    target.checked_in_at = record.checked_in_at
    c = record.checks
    for name in (
        "escort_present",
        "escort_name",
        "fasting_confirmed",
        "no_substances",
        "consent_verified",
        "weight_kg",
        "pregnancy",
        "allergies_confirmed",
    ):
        setattr(target, name, getattr(c, name))
    d = record.discharge
    for name, value in d.criteria():
        setattr(target, f"discharge_{name}", value)
    target.aldrete = d.aldrete
    target.discharged_at = d.at
    target.discharged_by_id = sid(d.by)
    target.signed_by_id = sid(record.signed_by)
    target.signed_at = record.signed_at
    target.vitals = [
        models.VitalSign(
            at=v.time,
            systolic=v.systolic,
            diastolic=v.diastolic,
            heart_rate=v.heart_rate,
            spo2=v.spo2,
            respiratory_rate=v.respiratory_rate,
            moaas=v.moaas,
            note=v.note,
            entered_by=v.entered_by,
        )
        for v in record.vitals
    ]
    target.medications = [
        models.MedicationGiven(
            drug=m.drug,
            lot_id=None if m.lot is None else lots[m.lot.ref],
            mg=m.mg,
            route=m.route,
            start_at=m.start,
            end_at=m.end,
            by_id=staff[m.by.ref],
        )
        for m in record.medications
    ]
    target.waste = [
        models.DrugWaste(
            lot_id=lots[w.lot.ref],
            mg=w.mg,
            at=w.time,
            by_id=staff[w.by.ref],
            witness_id=sid(w.witness),
        )
        for w in record.waste
    ]
    target.adverse_events = [
        models.AdverseEventRow(
            at=e.time, description=e.description, serious=e.serious, action=e.action
        )
        for e in record.adverse_events
    ]
    target.amendments = [
        models.RecordAmendment(
            at=a.at,
            by_id=staff[a.by.ref],
            reason=a.reason,
            changes=[{"path": c.path, "before": c.before, "after": c.after} for c in a.changes],
        )
        for a in record.amendments
    ]
