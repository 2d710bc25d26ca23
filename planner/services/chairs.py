"""Chairs (and the rooms they stand in). A chair with history is retired, not deleted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import Chair as ChairRowModel
from planner.domain.base import problems
from planner.domain.records import Chair
from planner.interchange.writer import record_to_json
from planner.services.base import record_audit, unit_of_work
from planner.services.editing import check_version, new_row, refuse, row_by_ref
from planner.services.future_sessions import FutureSession, future_sessions


@dataclass(frozen=True)
class ChairRow:
    """One line of the chairs table: the record and its version."""

    chair: Chair
    version: int


def chair_problems(chair: Chair, *, new: bool = False) -> dict[str, str]:
    """Field → what is wrong (empty when it can be saved); ``new``: the ref is chosen on saving."""
    return problems(chair, skip=["ref"] if new else [])


def _check(session: Session, chair: Chair, *, new: bool) -> None:
    found = chair_problems(chair, new=new)
    if "name" not in found:
        same = session.scalars(
            select(t.chair.c.ref).where(func.lower(t.chair.c.name) == chair.name.lower())
        ).all()
        if any(new or other != chair.ref for other in same):
            found["name"] = f"another chair is already called {chair.name!r}"
    refuse(found, "The chair cannot be saved")


def future_sessions_on(
    db: Database, ref: str, *, now: datetime | None = None
) -> list[FutureSession]:
    """The sessions still to come on chair ``ref`` (ask before taking it out of use)."""
    with db.begin() as session:
        return future_sessions(session, chair_ref=ref, now=now)


def _state(chair: Chair) -> dict[str, Any]:
    out = record_to_json(chair)
    out.pop("ref", None)
    out["active"] = chair.active
    return out


def list_chairs(db: Database, *, include_inactive: bool = True) -> list[ChairRow]:
    """Chairs in room and name order."""
    with db.begin() as session:
        where = None if include_inactive else t.chair.c.active.is_(True)
        chairs = mapping.read_chairs(session, where)
        versions = mapping.read_versions(session, t.chair, chairs)
        rows = [ChairRow(chair, versions[i]) for i, chair in chairs.items()]
        rows.sort(key=lambda r: (r.chair.room, r.chair.name, r.chair.ref))
        return rows


def create_chair(db: Database, chair: Chair) -> str:
    """Add a chair (its ``ref`` is chosen here); returns the ref."""
    with unit_of_work(db) as session:
        _check(session, chair, new=True)
        row = new_row(session, ChairRowModel, "chair")
        record = replace(chair, ref=row.ref)
        mapping.write_chair(row, record)
        session.add(row)
        session.flush()
        record_audit(
            session,
            action="create",
            entity="chair",
            ref=record.ref,
            summary=f"added chair {record.name}" + (f" in {record.room}" if record.room else ""),
            after=_state(record),
        )
        return record.ref


def update_chair(db: Database, chair: Chair, *, expected_version: int) -> None:
    """Save an edited chair (found by its ref)."""
    with unit_of_work(db) as session:
        row = row_by_ref(session, ChairRowModel, chair.ref, "chair")
        check_version(row, expected_version, row.name)
        _check(session, chair, new=False)
        before = _state(mapping.chair_of(row))
        mapping.write_chair(row, chair)
        session.flush()
        record_audit(
            session,
            action="update",
            entity="chair",
            ref=chair.ref,
            summary=f"changed chair {chair.name}",
            before=before,
            after=_state(chair),
        )
