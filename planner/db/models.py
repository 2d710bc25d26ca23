"""The single definition of every entity (SQLAlchemy 2 typed ORM).

Every entity users talk about has a stable text ``ref`` (``P-0001``) separate
from its primary key: the CLI and the interchange format speak refs. Entities
two workstations may edit at once carry a ``version`` column (optimistic
locking: a stale save raises ``StaleDataError`` instead of overwriting).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Clinic(Base):
    """The one clinic this database belongs to (a single row)."""

    __tablename__ = "clinic"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(80), default="")
    logo_path: Mapped[str | None] = mapped_column(String(1000), default=None)
    #: Only the overrides of the policy defaults (see ``planner.settings.Policy``).
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class OpeningHours(Base):
    __tablename__ = "opening_hours"
    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    open_time: Mapped[time] = mapped_column(Time)
    close_time: Mapped[time] = mapped_column(Time)


class Closure(Base):
    __tablename__ = "closure"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class Protocol(Base):
    __tablename__ = "protocol"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    infusions: Mapped[int] = mapped_column(Integer, default=6)
    prep_minutes: Mapped[int] = mapped_column(Integer, default=20)
    infusion_minutes: Mapped[int] = mapped_column(Integer, default=40)
    recovery_minutes: Mapped[int] = mapped_column(Integer, default=60)
    min_hours_between: Mapped[float] = mapped_column(Float, default=48.0)
    max_per_7_days: Mapped[int] = mapped_column(Integer, default=3)
    max_gap_days: Mapped[int] = mapped_column(Integer, default=7)
    dose_mg_per_kg: Mapped[float] = mapped_column(Float, default=0.5)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes


class Chair(Base):
    __tablename__ = "chair"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    room: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class StaffMember(Base):
    __tablename__ = "staff_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Subset of ``planner.domain.ROLES``; replace the list to change it.
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    credential_expires: Mapped[date | None] = mapped_column(Date, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    hours: Mapped[list[StaffHours]] = relationship(
        back_populates="staff",
        cascade="all, delete-orphan",
        order_by="(StaffHours.weekday, StaffHours.start_time)",
    )
    leave: Mapped[list[StaffLeave]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="StaffLeave.start_date"
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class StaffHours(Base):
    """One range of a staff member's weekly availability (several per day allowed)."""

    __tablename__ = "staff_hours"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    staff: Mapped[StaffMember] = relationship(back_populates="hours")


class StaffLeave(Base):
    """Leave, both dates inclusive."""

    __tablename__ = "staff_leave"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    staff: Mapped[StaffMember] = relationship(back_populates="leave")


class Patient(Base):
    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    record_number: Mapped[str] = mapped_column(String(80), unique=True)
    weight_kg: Mapped[float | None] = mapped_column(Float, default=None)
    #: Subset of ``planner.domain.PATIENT_FLAGS``.
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    flags_acknowledged_by: Mapped[str] = mapped_column(String(200), default="")
    escort_name: Mapped[str] = mapped_column(String(200), default="")
    escort_phone: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    courses: Mapped[list[Course]] = relationship(back_populates="patient", order_by="Course.id")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Course(Base):
    """A patient's series of infusions under one protocol (one consent covers it)."""

    __tablename__ = "course"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocol.id"))
    planned_infusions: Mapped[int] = mapped_column(Integer)
    consent_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: The recurrence the dates came from (RRULE text or preset name), if any.
    pattern: Mapped[str] = mapped_column(String(400), default="")
    patient: Mapped[Patient] = relationship(back_populates="courses")
    protocol: Mapped[Protocol] = relationship()
    sessions: Mapped[list[InfusionSession]] = relationship(
        back_populates="course", order_by="(InfusionSession.start, InfusionSession.id)"
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class InfusionSession(Base):
    """One infusion in a chair; durations come from the protocol unless overridden."""

    __tablename__ = "infusion_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("chair.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    prep_minutes_override: Mapped[int | None] = mapped_column("prep_minutes", Integer, default=None)
    infusion_minutes_override: Mapped[int | None] = mapped_column(
        "infusion_minutes", Integer, default=None
    )
    recovery_minutes_override: Mapped[int | None] = mapped_column(
        "recovery_minutes", Integer, default=None
    )
    course: Mapped[Course] = relationship(back_populates="sessions")
    chair: Mapped[Chair] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

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

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("session_id", "staff_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("infusion_session.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    session: Mapped[InfusionSession] = relationship(back_populates="assignments")
    staff: Mapped[StaffMember] = relationship()


class AuditEvent(Base):
    """Append-only record of every change: who, when, what, before/after; hash-chained.

    The database itself refuses UPDATE and DELETE on this table (triggers, migration 0010).
    """

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str] = mapped_column(String(40), default="", index=True)
    #: Ref of the patient the change concerns, for filtering the audit view.
    patient_ref: Mapped[str] = mapped_column(String(40), default="", index=True)
    summary: Mapped[str] = mapped_column(String(400), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    #: The hash chain (``planner.db.audit_chain``): the previous event's hash and this one's.
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    event_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class Setting(Base):
    """Small key/value store for app-level choices that must travel with the database."""

    __tablename__ = "app_setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
