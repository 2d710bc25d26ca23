"""Chairs (and the rooms they stand in). A chair with history is retired, not deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db.engine import Database
from planner.db.models import Chair
from planner.services.base import (
    REF_PREFIX,
    ConcurrentEdit,
    NotFound,
    ValidationFailed,
    next_ref,
    record_audit,
    unit_of_work,
)
from planner.services.future_sessions import FutureSession, future_sessions


@dataclass(frozen=True)
class ChairInput:
    name: str
    room: str = ""
    active: bool = True


@dataclass(frozen=True)
class ChairSnapshot:
    ref: str
    name: str
    room: str
    active: bool
    version: int


def validate_chair(data: ChairInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not data.name.strip():
        problems["name"] = "Enter a name for the chair."
    elif len(data.name.strip()) > 200:
        problems["name"] = "The name is longer than 200 characters."
    if len(data.room.strip()) > 200:
        problems["room"] = "The room is longer than 200 characters."
    return problems


def _check(db_session: Session, data: ChairInput, ref: str | None) -> None:
    problems = validate_chair(data)
    if not problems:
        same = db_session.scalars(
            select(Chair.ref).where(func.lower(Chair.name) == data.name.strip().lower())
        ).all()
        if any(other != ref for other in same):
            problems["name"] = f"Another chair is already called {data.name.strip()!r}."
    if problems:
        raise ValidationFailed(
            "The chair cannot be saved: " + " ".join(problems.values()), problems
        )


def future_sessions_on(
    db: Database, ref: str, *, now: datetime | None = None
) -> list[FutureSession]:
    """The sessions still to come on chair ``ref`` (ask before taking it out of use)."""
    with db.begin() as session:
        return future_sessions(session, chair_ref=ref, now=now)


def list_chairs(db: Database, *, include_inactive: bool = True) -> list[ChairSnapshot]:
    """Chairs in room and name order."""
    with db.begin() as session:
        query = select(Chair).order_by(Chair.room, Chair.name, Chair.ref)
        if not include_inactive:
            query = query.where(Chair.active.is_(True))
        return [
            ChairSnapshot(c.ref, c.name, c.room, c.active, c.version)
            for c in session.scalars(query)
        ]


def create_chair(db: Database, data: ChairInput) -> str:
    with unit_of_work(db) as session:
        _check(session, data, None)
        prefix, width = REF_PREFIX["chair"]
        chair = Chair(
            ref=next_ref(session, Chair, prefix, width),
            name=data.name.strip(),
            room=data.room.strip(),
            active=data.active,
        )
        session.add(chair)
        session.flush()
        record_audit(
            session,
            action="create",
            entity="chair",
            ref=chair.ref,
            summary=f"added chair {chair.name}" + (f" in {chair.room}" if chair.room else ""),
            after={"name": chair.name, "room": chair.room, "active": chair.active},
        )
        return chair.ref


def update_chair(db: Database, ref: str, data: ChairInput, *, expected_version: int) -> None:
    with unit_of_work(db) as session:
        chair = session.scalars(select(Chair).where(Chair.ref == ref)).first()
        if chair is None:
            raise NotFound(f"no chair with ref {ref!r}")
        if chair.version != expected_version:
            raise ConcurrentEdit(
                f"{chair.name} was changed on another workstation since you opened it — "
                "reload to see the current version; nothing was saved."
            )
        _check(session, data, ref)
        before = {"name": chair.name, "room": chair.room, "active": chair.active}
        chair.name = data.name.strip()
        chair.room = data.room.strip()
        chair.active = data.active
        session.flush()
        record_audit(
            session,
            action="update",
            entity="chair",
            ref=ref,
            summary=f"changed chair {chair.name}",
            before=before,
            after={"name": chair.name, "room": chair.room, "active": chair.active},
        )
