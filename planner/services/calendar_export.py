"""Calendar files of sessions: one staff member's, one patient's, or the whole clinic's.

Reads the sessions of the period in one read-only transaction and writes
them with :mod:`planner.interchange.ics` in the clinic's time zone (the
policy's ``time_zone``, else this computer's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, select

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.interchange.ics import Scope, ZoneUnknown, calendar, resolve_zone
from planner.services.base import NotFound, ValidationFailed
from planner.services.read_only import read_only
from planner.services.reports import period_of, policy_of


@dataclass(frozen=True)
class CalendarFile:
    data: bytes
    events: int
    cancelled: int
    zone: str
    scope: Scope


def export_calendar(
    db: Database,
    start: date,
    end: date,
    *,
    staff_ref: str | None = None,
    patient_ref: str | None = None,
    with_names: bool = False,
    now: datetime | None = None,
) -> CalendarFile:
    """Sessions starting ``start``..``end`` (both included) of ``staff_ref``, of
    ``patient_ref``, or of everyone when neither is given."""
    if staff_ref and patient_ref:
        raise ValidationFailed("give a staff member or a patient, not both")
    period = period_of(start, end)
    s = t.infusion_session.c
    where = and_(s.start >= period.first_moment, s.start < period.after_last_moment)
    with read_only(db) as conn:
        policy = policy_of(conn)
        clinic = mapping.read_clinic(conn)
        scope = Scope("clinic")
        if staff_ref:
            members = mapping.read_staff(conn, t.staff_member.c.ref == staff_ref)
            if not members:
                raise NotFound(f'no staff member with ref "{staff_ref}"')
            (staff_id, member), *_ = members.items()
            a = t.assignment.c
            where = and_(where, s.id.in_(select(a.session_id).where(a.staff_id == staff_id)))
            scope = Scope("staff", member.ref, member.name)
        elif patient_ref:
            patients = mapping.read_patients(conn, t.patient.c.ref == patient_ref)
            if not patients:
                raise NotFound(f'no patient with ref "{patient_ref}"')
            (patient_id, patient), *_ = patients.items()
            c = t.course.c
            where = and_(where, s.course_id.in_(select(c.id).where(c.patient_id == patient_id)))
            label = patient.name if with_names else patient.ref
            scope = Scope("patient", patient.ref, label)
        read = mapping.read_sessions(conn, where)
    try:
        zone = resolve_zone(policy.time_zone)
    except ZoneUnknown as exc:
        raise ValidationFailed(str(exc), {"time_zone": str(exc)}) from None
    sessions = read.in_order()
    versions = {read.sessions[i].ref: v for i, v in read.versions.items()}
    data = calendar(
        sessions,
        scope=scope,
        zone=zone,
        clinic_name=clinic.name,
        stamp=now or datetime.now(UTC),
        versions=versions,
        with_names=with_names,
    )
    return CalendarFile(
        data=data,
        events=len(sessions),
        cancelled=sum(1 for x in sessions if x.status == "cancelled"),
        zone=zone,
        scope=scope,
    )
