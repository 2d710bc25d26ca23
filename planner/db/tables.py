"""The database schema as SQLAlchemy Core tables (light: no ORM, no mappers).

The ORM classes of ``planner.db.models`` map onto these tables, and the fast
reads of ``planner.db.mapping`` select from them directly. Column defaults are
the domain records' defaults, so a row and a record agree on what "not given"
means. Migrations create exactly this schema (a test compares them).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)

from planner.domain import records as r


def default_of(record: type, name: str) -> Any:
    """The default of field ``name`` of a domain record (what a new row starts with)."""
    for f in dataclasses.fields(record):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory
    raise KeyError(name)


def _version() -> Column[int]:
    return Column("version", Integer, nullable=False, default=1)


metadata = MetaData()

clinic = Table(
    "clinic",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("address", String(400), nullable=False, default=""),
    Column("phone", String(80), nullable=False, default=""),
    #: A PNG or JPEG for the letterhead (checked when imported; never a path).
    Column("logo", LargeBinary, nullable=True, default=None),
    #: Only the overrides of the policy defaults (``planner.domain.policy.Policy``).
    Column("policy", JSON, nullable=False, default=dict),
    _version(),
)

opening_hours = Table(
    "opening_hours",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("weekday", Integer, nullable=False),  # 0 = Monday
    Column("open_time", Time, nullable=False),
    Column("close_time", Time, nullable=False),
)

closure = Table(
    "closure",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, unique=True),
    Column("reason", String(200), nullable=False, default=""),
)

consent_template = Table(
    "consent_template",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("text", Text, nullable=False),
    _version(),
)

protocol = Table(
    "protocol",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    *(
        Column(name, kind, nullable=False, default=default_of(r.Protocol, name))
        for name, kind in (
            ("infusions", Integer),
            ("prep_minutes", Integer),
            ("infusion_minutes", Integer),
            ("recovery_minutes", Integer),
            ("min_hours_between", Float),
            ("max_per_7_days", Integer),
            ("max_gap_days", Integer),
            ("dose_mg_per_kg", Float),
        )
    ),
    Column(
        "consent_template_id",
        ForeignKey("consent_template.id", name="fk_protocol_consent_template"),
        nullable=True,
    ),
    #: ``planner.domain.INDICATIONS``: chooses the built-in consent wording.
    Column("indication", String(20), nullable=False, default="depression"),
    _version(),
)

chair = Table(
    "chair",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("room", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    _version(),
)

staff_member = Table(
    "staff_member",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    #: Subset of ``planner.domain.ROLES``; replace the list to change it.
    Column("roles", JSON, nullable=False, default=list),
    Column("credential_expires", Date, nullable=True, default=None),
    Column("active", Boolean, nullable=False, default=True),
    _version(),
)

staff_hours = Table(
    "staff_hours",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_id", ForeignKey("staff_member.id", ondelete="CASCADE"), nullable=False),
    Column("weekday", Integer, nullable=False),  # 0 = Monday
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
)

staff_leave = Table(
    "staff_leave",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_id", ForeignKey("staff_member.id", ondelete="CASCADE"), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
)

patient = Table(
    "patient",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("record_number", String(80), nullable=False, unique=True),
    Column("weight_kg", Float, nullable=True, default=None),
    Column("weight_measured", Date, nullable=True, default=None),
    #: ``planner.domain.SEXES`` (for pregnancy screening).
    Column("sex", String(20), nullable=False, default="unknown"),
    Column("phone", String(80), nullable=False, default=""),
    #: NULL: not recorded; []: no known drug allergies; else the allergies (text).
    Column("allergies", JSON(none_as_null=True), nullable=True, default=None),
    #: Subset of ``planner.domain.PATIENT_FLAGS``.
    Column("flags", JSON, nullable=False, default=list),
    Column("flags_acknowledged_by", String(200), nullable=False, default=""),
    Column("escort_name", String(200), nullable=False, default=""),
    Column("escort_phone", String(80), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("archived", Boolean, nullable=False, default=False),
    _version(),
)

course = Table(
    "course",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("patient_id", ForeignKey("patient.id"), nullable=False, index=True),
    Column("protocol_id", ForeignKey("protocol.id"), nullable=False),
    Column("planned_infusions", Integer, nullable=False),
    Column("consent_date", Date, nullable=True, default=None),
    Column("status", String(20), nullable=False, default="active"),
    #: The recurrence the dates came from (RRULE text or preset name), if any.
    Column("pattern", String(400), nullable=False, default=""),
    _version(),
)

infusion_session = Table(
    "infusion_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("course_id", ForeignKey("course.id"), nullable=False, index=True),
    Column("chair_id", ForeignKey("chair.id"), nullable=False, index=True),
    Column("start", DateTime, nullable=False, index=True),
    Column("status", String(20), nullable=False, default="planned"),
    #: Per-session durations; NULL = the protocol's.
    Column("prep_minutes", Integer, nullable=True, default=None),
    Column("infusion_minutes", Integer, nullable=True, default=None),
    Column("recovery_minutes", Integer, nullable=True, default=None),
    _version(),
)

assignment = Table(
    "assignment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id",
        ForeignKey("infusion_session.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("staff_id", ForeignKey("staff_member.id"), nullable=False, index=True),
    Column("role", String(40), nullable=False),
    UniqueConstraint("session_id", "staff_id", "role"),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("user", String(200), nullable=False),
    Column("action", String(80), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("ref", String(40), nullable=False, default="", index=True),
    #: Ref of the patient the change concerns, for filtering the audit view.
    Column("patient_ref", String(40), nullable=False, default="", index=True),
    Column("summary", String(400), nullable=False, default=""),
    Column("before", JSON, nullable=True, default=None),
    Column("after", JSON, nullable=True, default=None),
)

#: Small key/value store for choices that must travel with the database.
app_setting = Table(
    "app_setting",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False, default=""),
)
