"""The ORM: classes mapped onto the Core tables of ``planner.db.tables``, for writing.

The fields of each entity are defined once, in ``planner.domain.records``; the
columns once, in ``planner.db.tables``; ``planner.db.mapping`` turns rows into
records and records into rows. These classes add what the ORM needs to write:
relationships and the ``version`` column for optimistic locking (a stale save
raises ``StaleDataError`` instead of overwriting another workstation's change).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from planner.db import tables as t


class Base(DeclarativeBase):
    metadata = t.metadata


class Clinic(Base):
    """The one clinic this database belongs to (a single row)."""

    __table__ = t.clinic
    __mapper_args__ = {"version_id_col": t.clinic.c.version}
    id: Mapped[int]
    name: Mapped[str]
    address: Mapped[str]
    phone: Mapped[str]
    logo: Mapped[bytes | None]
    policy: Mapped[dict[str, Any]]
    version: Mapped[int]


class OpeningHours(Base):
    __table__ = t.opening_hours
    id: Mapped[int]
    weekday: Mapped[int]
    open_time: Mapped[time]
    close_time: Mapped[time]


class Closure(Base):
    __table__ = t.closure
    id: Mapped[int]
    day: Mapped[date]
    reason: Mapped[str]


class ConsentTemplate(Base):
    """A clinic's own consent wording (imported once; protocols refer to it)."""

    __table__ = t.consent_template
    __mapper_args__ = {"version_id_col": t.consent_template.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    name: Mapped[str]
    text: Mapped[str]
    version: Mapped[int]


class Protocol(Base):
    __table__ = t.protocol
    __mapper_args__ = {"version_id_col": t.protocol.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    name: Mapped[str]
    infusions: Mapped[int]
    prep_minutes: Mapped[int]
    infusion_minutes: Mapped[int]
    recovery_minutes: Mapped[int]
    min_hours_between: Mapped[float]
    max_per_7_days: Mapped[int]
    max_gap_days: Mapped[int]
    dose_mg_per_kg: Mapped[float]
    consent_template_id: Mapped[int | None]
    indication: Mapped[str]
    version: Mapped[int]
    consent_template: Mapped[ConsentTemplate | None] = relationship()


class Chair(Base):
    __table__ = t.chair
    __mapper_args__ = {"version_id_col": t.chair.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    name: Mapped[str]
    room: Mapped[str]
    active: Mapped[bool]
    version: Mapped[int]


class StaffMember(Base):
    __table__ = t.staff_member
    __mapper_args__ = {"version_id_col": t.staff_member.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    name: Mapped[str]
    roles: Mapped[list[str]]
    credential_expires: Mapped[date | None]
    active: Mapped[bool]
    version: Mapped[int]
    hours: Mapped[list[StaffHours]] = relationship(
        back_populates="staff",
        cascade="all, delete-orphan",
        order_by="(StaffHours.weekday, StaffHours.start_time)",
    )
    leave: Mapped[list[StaffLeave]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="StaffLeave.start_date"
    )


class StaffHours(Base):
    """One range of a staff member's weekly availability (several per day allowed)."""

    __table__ = t.staff_hours
    id: Mapped[int]
    staff_id: Mapped[int]
    weekday: Mapped[int]
    start_time: Mapped[time]
    end_time: Mapped[time]
    staff: Mapped[StaffMember] = relationship(back_populates="hours")


class StaffLeave(Base):
    """Leave, both dates inclusive."""

    __table__ = t.staff_leave
    id: Mapped[int]
    staff_id: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    staff: Mapped[StaffMember] = relationship(back_populates="leave")


class Patient(Base):
    __table__ = t.patient
    __mapper_args__ = {"version_id_col": t.patient.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    name: Mapped[str]
    date_of_birth: Mapped[date]
    record_number: Mapped[str]
    weight_kg: Mapped[float | None]
    weight_measured: Mapped[date | None]
    sex: Mapped[str]
    phone: Mapped[str]
    allergies: Mapped[list[str] | None]
    flags: Mapped[list[str]]
    flags_acknowledged_by: Mapped[str]
    escort_name: Mapped[str]
    escort_phone: Mapped[str]
    notes: Mapped[str]
    archived: Mapped[bool]
    version: Mapped[int]
    courses: Mapped[list[Course]] = relationship(back_populates="patient", order_by="Course.id")


class Course(Base):
    """A patient's series of infusions under one protocol (one consent covers it)."""

    __table__ = t.course
    __mapper_args__ = {"version_id_col": t.course.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    patient_id: Mapped[int]
    protocol_id: Mapped[int]
    planned_infusions: Mapped[int]
    consent_date: Mapped[date | None]
    status: Mapped[str]
    pattern: Mapped[str]
    version: Mapped[int]
    patient: Mapped[Patient] = relationship(back_populates="courses")
    protocol: Mapped[Protocol] = relationship()
    sessions: Mapped[list[InfusionSession]] = relationship(
        back_populates="course", order_by="(InfusionSession.start, InfusionSession.id)"
    )


class InfusionSession(Base):
    """One infusion in a chair; durations come from the protocol unless overridden."""

    __table__ = t.infusion_session
    __mapper_args__ = {"version_id_col": t.infusion_session.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    course_id: Mapped[int]
    chair_id: Mapped[int]
    start: Mapped[datetime]
    status: Mapped[str]
    prep_minutes_override: Mapped[int | None] = t.infusion_session.c.prep_minutes  # type: ignore[assignment]
    infusion_minutes_override: Mapped[int | None] = t.infusion_session.c.infusion_minutes  # type: ignore[assignment]
    recovery_minutes_override: Mapped[int | None] = t.infusion_session.c.recovery_minutes  # type: ignore[assignment]
    version: Mapped[int]
    course: Mapped[Course] = relationship(back_populates="sessions")
    chair: Mapped[Chair] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Assignment.id"
    )

    @property
    def prep_minutes(self) -> int:
        if self.prep_minutes_override is not None:
            return self.prep_minutes_override
        return self.course.protocol.prep_minutes

    @property
    def infusion_minutes(self) -> int:
        if self.infusion_minutes_override is not None:
            return self.infusion_minutes_override
        return self.course.protocol.infusion_minutes

    @property
    def recovery_minutes(self) -> int:
        if self.recovery_minutes_override is not None:
            return self.recovery_minutes_override
        return self.course.protocol.recovery_minutes

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes

    @property
    def end(self) -> datetime:
        """End of chair time (preparation + infusion + recovery)."""
        return self.start + timedelta(minutes=self.chair_minutes)


class Assignment(Base):
    """A staff member filling a role in a session."""

    __table__ = t.assignment
    id: Mapped[int]
    session_id: Mapped[int]
    staff_id: Mapped[int]
    role: Mapped[str]
    session: Mapped[InfusionSession] = relationship(back_populates="assignments")
    staff: Mapped[StaffMember] = relationship()


class AuditEvent(Base):
    """Append-only record of every change: who, when, what, before/after; hash-chained.

    The database itself refuses UPDATE and DELETE on this table (triggers, migration 0080).
    """

    __table__ = t.audit_event
    id: Mapped[int]
    at: Mapped[datetime]
    user: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    ref: Mapped[str]
    patient_ref: Mapped[str]
    summary: Mapped[str]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    os_user: Mapped[str]
    #: The hash chain (``planner.db.audit_chain``): the previous event's hash and this one's.
    prev_hash: Mapped[str]
    event_hash: Mapped[str]


class Setting(Base):
    """Small key/value store for app-level choices that must travel with the database."""

    __table__ = t.app_setting
    key: Mapped[str]
    value: Mapped[str]


# -- accounts, the controlled-substance log, session records ------------------------------------


class Account(Base):
    """Someone who signs in (the hashes never leave the database)."""

    __table__ = t.account
    __mapper_args__ = {"version_id_col": t.account.c.version}
    id: Mapped[int]
    name: Mapped[str]
    role: Mapped[str]
    staff_id: Mapped[int | None]
    password_hash: Mapped[str]
    pin_hash: Mapped[str | None]
    pin_failures: Mapped[int]
    pin_locked_until: Mapped[datetime | None]
    active: Mapped[bool]
    version: Mapped[int]
    staff: Mapped[StaffMember | None] = relationship()


class DrugLot(Base):
    __table__ = t.drug_lot
    __mapper_args__ = {"version_id_col": t.drug_lot.c.version}
    id: Mapped[int]
    ref: Mapped[str]
    drug: Mapped[str]
    lot_number: Mapped[str]
    concentration_mg_per_ml: Mapped[float]
    ml_per_vial: Mapped[float]
    vials: Mapped[int]
    received: Mapped[date]
    expires: Mapped[date]
    supplier: Mapped[str]
    invoice: Mapped[str]
    received_by_id: Mapped[int]
    witness_id: Mapped[int]
    version: Mapped[int]
    received_by: Mapped[StaffMember] = relationship(foreign_keys=[t.drug_lot.c.received_by_id])
    witness: Mapped[StaffMember] = relationship(foreign_keys=[t.drug_lot.c.witness_id])


class InventoryCount(Base):
    __table__ = t.inventory_count
    id: Mapped[int]
    lot_id: Mapped[int]
    day: Mapped[date]
    mg: Mapped[float]
    by_id: Mapped[int]
    witness_id: Mapped[int]
    note: Mapped[str]
    lot: Mapped[DrugLot] = relationship()
    by: Mapped[StaffMember] = relationship(foreign_keys=[t.inventory_count.c.by_id])
    witness: Mapped[StaffMember] = relationship(foreign_keys=[t.inventory_count.c.witness_id])


class SessionRecord(Base):
    """What happened in the chair; its rows are replaced while a draft, amended once signed."""

    __table__ = t.session_record
    __mapper_args__ = {"version_id_col": t.session_record.c.version}
    id: Mapped[int]
    session_id: Mapped[int]
    checked_in_at: Mapped[datetime | None]
    aldrete: Mapped[int | None]
    discharged_at: Mapped[datetime | None]
    discharged_by_id: Mapped[int | None]
    signed_by_id: Mapped[int | None]
    signed_at: Mapped[datetime | None]
    version: Mapped[int]
    session: Mapped[InfusionSession] = relationship()
    vitals: Mapped[list[VitalSign]] = relationship(
        cascade="all, delete-orphan", order_by="(VitalSign.at, VitalSign.id)"
    )
    medications: Mapped[list[MedicationGiven]] = relationship(
        cascade="all, delete-orphan", order_by="MedicationGiven.id"
    )
    waste: Mapped[list[DrugWaste]] = relationship(
        cascade="all, delete-orphan", order_by="DrugWaste.id"
    )
    adverse_events: Mapped[list[AdverseEventRow]] = relationship(
        cascade="all, delete-orphan", order_by="AdverseEventRow.id"
    )
    amendments: Mapped[list[RecordAmendment]] = relationship(
        cascade="all, delete-orphan", order_by="RecordAmendment.id"
    )


class VitalSign(Base):
    __table__ = t.vital_sign


class MedicationGiven(Base):
    __table__ = t.medication_given


class DrugWaste(Base):
    __table__ = t.drug_waste


class AdverseEventRow(Base):
    __table__ = t.adverse_event


class RecordAmendment(Base):
    __table__ = t.record_amendment
