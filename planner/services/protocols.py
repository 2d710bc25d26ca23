"""Protocols: durations, spacing and dose of a clinic's courses; add, edit, delete an unused one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import ConsentTemplate, Course
from planner.db.models import Protocol as ProtocolRowModel
from planner.domain.base import problems
from planner.domain.records import Protocol
from planner.interchange.writer import record_to_json
from planner.services.base import ServiceError, record_audit, unit_of_work
from planner.services.editing import check_version, new_row, refuse, row_by_ref


@dataclass(frozen=True)
class ProtocolRow:
    """One line of the protocols table: the record, its version, and how many courses use it."""

    protocol: Protocol
    version: int
    #: A protocol a course uses cannot be deleted.
    courses: int = 0


def protocol_problems(protocol: Protocol, *, new: bool = False) -> dict[str, str]:
    """Field → what is wrong (empty when it can be saved); ``new``: the ref is chosen on saving."""
    return problems(protocol, skip=["ref"] if new else [])


def _state(protocol: Protocol) -> dict[str, Any]:
    out = record_to_json(protocol)
    out.pop("ref", None)
    return out


def list_protocols(db: Database) -> list[ProtocolRow]:
    """Every protocol by name."""
    with db.begin() as session:
        used: dict[int, int] = dict(
            session.execute(
                select(t.course.c.protocol_id, func.count()).group_by(t.course.c.protocol_id)
            ).all()
        )
        protocols = mapping.read_protocols(session)
        versions = mapping.read_versions(session, t.protocol, protocols)
        rows = [ProtocolRow(p, versions[i], int(used.get(i, 0))) for i, p in protocols.items()]
        rows.sort(key=lambda r: (r.protocol.name, r.protocol.ref))
        return rows


def _check(session: Session, protocol: Protocol, *, new: bool) -> ConsentTemplate | None:
    """Refuse a protocol that breaks a limit or takes another's name; its consent wording row."""
    found = protocol_problems(protocol, new=new)
    if "name" not in found:
        clash = session.scalars(
            select(t.protocol.c.ref).where(
                func.lower(t.protocol.c.name) == protocol.name.strip().lower()
            )
        ).first()
        if clash is not None and (new or clash != protocol.ref):
            found["name"] = f"protocol {clash} already has this name"
    refuse(found, "The protocol cannot be saved")
    wording = protocol.consent_template
    if wording is None:
        return None
    return row_by_ref(session, ConsentTemplate, wording.ref, "consent template")


def create_protocol(db: Database, protocol: Protocol) -> str:
    """Add a protocol (its ``ref`` is chosen here); returns the ref."""
    with unit_of_work(db) as session:
        wording = _check(session, protocol, new=True)
        row = new_row(session, ProtocolRowModel, "protocol")
        record = replace(protocol, ref=row.ref)
        mapping.write_protocol(row, record, consent_template=wording)
        session.add(row)
        session.flush()
        record_audit(
            session,
            action="create",
            entity="protocol",
            ref=record.ref,
            summary=f"added protocol {record.name}",
            after=_state(record),
        )
        return record.ref


def _get(session: Session, ref: str) -> ProtocolRowModel:
    return row_by_ref(session, ProtocolRowModel, ref, "protocol")


def update_protocol(db: Database, protocol: Protocol, *, expected_version: int) -> None:
    """Change a protocol (found by its ref); sessions without their own durations follow it."""
    with unit_of_work(db) as session:
        row = _get(session, protocol.ref)
        check_version(row, expected_version, f"Protocol {row.name}")
        wording = _check(session, protocol, new=False)
        before = _state(mapping.read_protocols(session, t.protocol.c.id == row.id)[row.id])
        mapping.write_protocol(row, protocol, consent_template=wording)
        session.flush()
        record_audit(
            session,
            action="update",
            entity="protocol",
            ref=protocol.ref,
            summary=f"changed protocol {protocol.name}",
            before=before,
            after=_state(protocol),
        )


def delete_protocol(db: Database, ref: str) -> None:
    """Remove a protocol no course uses (a used one stays, for the courses' history)."""
    with unit_of_work(db) as session:
        row = _get(session, ref)
        used = session.scalar(
            select(func.count()).select_from(Course).where(Course.protocol_id == row.id)
        )
        if used:
            raise ServiceError(
                f"Protocol {row.name} is used by "
                + ("1 course" if used == 1 else f"{used} courses")
                + " and cannot be deleted."
            )
        record_audit(
            session,
            action="delete",
            entity="protocol",
            ref=ref,
            summary=f"deleted protocol {row.name}",
            before=_state(mapping.read_protocols(session, t.protocol.c.id == row.id)[row.id]),
        )
        session.delete(row)
