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
from planner.domain.chart import DISCHARGE_CRITERIA


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
    #: The computer's login (or ``PLANNER_USER``) beside ``user``, the signed-in account.
    Column("os_user", String(200), nullable=False, default="", server_default=""),
    #: The hash chain (``planner.db.audit_chain``); the database refuses UPDATE and DELETE
    #: on this table (triggers of migration 0080).
    Column("prev_hash", String(64), nullable=False, default="", server_default=""),
    Column("event_hash", String(64), nullable=False, default="", server_default=""),
)

#: Small key/value store for choices that must travel with the database.
app_setting = Table(
    "app_setting",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False, default=""),
)


# -- accounts, the controlled-substance log and session records (planner.domain.accounts,
# planner.domain.inventory, planner.domain.chart) --------------------------------------------

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("staff_id", ForeignKey("staff_member.id"), nullable=True),
    #: argon2id hashes; the password and PIN themselves are never stored.
    Column("password_hash", String(200), nullable=False),
    Column("pin_hash", String(200), nullable=True, default=None),
    Column("pin_failures", Integer, nullable=False, default=0),
    Column("pin_locked_until", DateTime, nullable=True, default=None),
    Column("active", Boolean, nullable=False, default=True),
    _version(),
)


def _staff_fk(name: str, *, nullable: bool) -> Column[int]:
    return Column(name, ForeignKey("staff_member.id"), nullable=nullable)


drug_lot = Table(
    "drug_lot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("drug", String(200), nullable=False),
    Column("lot_number", String(80), nullable=False),
    Column("concentration_mg_per_ml", Float, nullable=False),
    Column("ml_per_vial", Float, nullable=False),
    Column("vials", Integer, nullable=False),
    Column("received", Date, nullable=False),
    Column("expires", Date, nullable=False),
    Column("supplier", String(200), nullable=False, default=""),
    Column("invoice", String(200), nullable=False, default=""),
    _staff_fk("received_by_id", nullable=False),
    _staff_fk("witness_id", nullable=False),
    _version(),
)

inventory_count = Table(
    "inventory_count",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lot_id", ForeignKey("drug_lot.id"), nullable=False, index=True),
    Column("day", Date, nullable=False),
    Column("mg", Float, nullable=False),
    _staff_fk("by_id", nullable=False),
    _staff_fk("witness_id", nullable=False),
    Column("note", Text, nullable=False, default=""),
)

session_record = Table(
    "session_record",
    metadata,
    Column("id", Integer, primary_key=True),
    #: No cascade: a session with a record is never deleted (sessions refuse it first).
    Column("session_id", ForeignKey("infusion_session.id"), nullable=False, unique=True),
    Column("checked_in_at", DateTime, nullable=True, default=None),
    *(
        Column(name, Boolean, nullable=False, default=False)
        for name in (
            "escort_present",
            "fasting_confirmed",
            "no_substances",
            "consent_verified",
            "allergies_confirmed",
        )
    ),
    Column("escort_name", String(200), nullable=False, default=""),
    Column("weight_kg", Float, nullable=True, default=None),
    Column("pregnancy", String(20), nullable=True, default=None),
    *(
        Column(f"discharge_{name}", Boolean, nullable=False, default=False)
        for name in DISCHARGE_CRITERIA
    ),
    Column("aldrete", Integer, nullable=True, default=None),
    Column("discharged_at", DateTime, nullable=True, default=None),
    _staff_fk("discharged_by_id", nullable=True),
    _staff_fk("signed_by_id", nullable=True),
    Column("signed_at", DateTime, nullable=True, default=None),
    _version(),
)


def _record_fk() -> Column[int]:
    return Column("record_id", ForeignKey("session_record.id"), nullable=False, index=True)


vital_sign = Table(
    "vital_sign",
    metadata,
    Column("id", Integer, primary_key=True),
    _record_fk(),
    Column("at", DateTime, nullable=False),
    *(
        Column(name, Integer, nullable=True, default=None)
        for name in ("systolic", "diastolic", "heart_rate", "spo2", "respiratory_rate", "moaas")
    ),
    Column("note", String(200), nullable=False, default=""),
    Column("entered_by", String(200), nullable=False, default=""),
)

medication_given = Table(
    "medication_given",
    metadata,
    Column("id", Integer, primary_key=True),
    _record_fk(),
    Column("drug", String(200), nullable=False),
    Column("lot_id", ForeignKey("drug_lot.id"), nullable=True, index=True),
    Column("mg", Float, nullable=False),
    Column("route", String(8), nullable=False, default="IV"),
    Column("start_at", DateTime, nullable=False),
    Column("end_at", DateTime, nullable=True, default=None),
    _staff_fk("by_id", nullable=False),
)

drug_waste = Table(
    "drug_waste",
    metadata,
    Column("id", Integer, primary_key=True),
    _record_fk(),
    Column("lot_id", ForeignKey("drug_lot.id"), nullable=False, index=True),
    Column("mg", Float, nullable=False),
    Column("at", DateTime, nullable=False),
    _staff_fk("by_id", nullable=False),
    _staff_fk("witness_id", nullable=False),
)

adverse_event = Table(
    "adverse_event",
    metadata,
    Column("id", Integer, primary_key=True),
    _record_fk(),
    Column("at", DateTime, nullable=False),
    Column("description", String(200), nullable=False),
    Column("serious", Boolean, nullable=False, default=False),
    Column("action", Text, nullable=False, default=""),
)

record_amendment = Table(
    "record_amendment",
    metadata,
    Column("id", Integer, primary_key=True),
    _record_fk(),
    Column("at", DateTime, nullable=False),
    _staff_fk("by_id", nullable=False),
    Column("reason", String(200), nullable=False),
    #: [{"path", "before", "after"}]: what the record said before, kept with the change.
    Column("changes", JSON, nullable=False, default=list),
)
