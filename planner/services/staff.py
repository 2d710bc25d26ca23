"""Staff members: roles, credential expiry, weekly hours, leave, and this week's load.

Staff with history are deactivated, never deleted, so past sessions keep their names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import Course, InfusionSession
from planner.db.models import StaffMember as StaffRowModel
from planner.domain import INACTIVE_SESSION_STATUSES, ROLE_LABELS, ROLES
from planner.domain.base import problems
from planner.domain.records import StaffMember
from planner.interchange.writer import record_to_json
from planner.services.base import NotFound, record_audit, unit_of_work
from planner.services.editing import check_version, new_row, refuse, row_by_ref
from planner.services.future_sessions import FutureSession, future_sessions


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff table: the record, its version, and the load of the week asked for."""

    member: StaffMember
    version: int
    week_sessions: int = 0
    week_minutes: int = 0
    week_available_minutes: int = 0
    week_leave_days: tuple[date, ...] = field(default=())


def credential_state(expires: date | None, today: date, warning_days: int) -> str:
    """``"missing"``, ``"expired"``, ``"expiring"`` (within ``warning_days``) or ``"valid"``."""
    if expires is None:
        return "missing"
    if expires < today:
        return "expired"
    if expires <= today + timedelta(days=warning_days):
        return "expiring"
    return "valid"


def staff_problems(member: StaffMember, *, new: bool = False) -> dict[str, str]:
    """Field → what is wrong (empty when it can be saved); ``new``: the ref is chosen on saving."""
    return problems(member, skip=["ref"] if new else [])


def _check(member: StaffMember, *, new: bool = False) -> StaffMember:
    refuse(staff_problems(member, new=new), "The staff member cannot be saved")
    return replace(member, roles=tuple(r for r in ROLES if r in member.roles))


def _snapshot(member: StaffMember) -> dict[str, Any]:
    """The audit trail's before/after: the member as a document writes it."""
    out = record_to_json(member)
    out.pop("ref", None)
    return out


def create_staff(db: Database, member: StaffMember) -> str:
    """Add a staff member (its ``ref`` is chosen here); returns the new ref."""
    record = _check(member, new=True)
    with unit_of_work(db) as session:
        row = new_row(session, StaffRowModel, "staff")
        record = replace(record, ref=row.ref)
        mapping.write_staff(row, record)
        session.add(row)
        session.flush()
        roles = ", ".join(ROLE_LABELS[r] for r in record.roles)
        record_audit(
            session,
            action="create",
            entity="staff",
            ref=record.ref,
            summary=f"added staff member {record.name} ({roles})",
            after=_snapshot(record),
        )
        return record.ref


def update_staff(db: Database, member: StaffMember, *, expected_version: int) -> None:
    """Replace a staff member's details (found by ref); refuses if someone else saved first."""
    record = _check(member)
    with unit_of_work(db) as session:
        row = _load(session, record.ref)
        check_version(row, expected_version, row.name)
        before = _snapshot(_record(session, row.id))
        mapping.write_staff(row, record)
        session.flush()
        record_audit(
            session,
            action="update",
            entity="staff",
            ref=record.ref,
            summary=f"changed staff member {record.name}",
            before=before,
            after=_snapshot(record),
        )


def future_sessions_of(
    db: Database, ref: str, *, now: datetime | None = None
) -> list[FutureSession]:
    """The sessions still to come that ``ref`` is assigned to (ask before deactivating)."""
    with db.begin() as session:
        _load(session, ref)
        return future_sessions(session, staff_ref=ref, now=now)


def set_staff_active(
    db: Database, ref: str, active: bool, *, now: datetime | None = None
) -> list[FutureSession]:
    """Deactivate (or reactivate) a staff member; history keeps their name.

    Returns the sessions still to come that keep a deactivated member (the caller has
    asked about them first; the rules report each as ``staff-inactive``).
    """
    with unit_of_work(db) as session:
        member = _load(session, ref)
        still = [] if active else future_sessions(session, staff_ref=ref, now=now)
        if member.active == active:
            return still
        member.active = active
        record_audit(
            session,
            action="activate" if active else "deactivate",
            entity="staff",
            ref=ref,
            summary=f"{'reactivated' if active else 'deactivated'} staff member {member.name}"
            + (f"; still assigned to {len(still)} future session(s)" if still else ""),
            before={"active": not active},
            after={"active": active} | ({"future_sessions": [s.ref for s in still]} if still else {}),
        )
        return still


def _load(session: Session, ref: str) -> StaffRowModel:
    return row_by_ref(session, StaffRowModel, ref, "staff member")


def _record(session: Session, row_id: int) -> StaffMember:
    return mapping.read_staff(session, t.staff_member.c.id == row_id)[row_id]


def get_staff(db: Database, ref: str) -> StaffRow:
    with db.begin() as session:
        found = mapping.read_staff(session, t.staff_member.c.ref == ref)
        if not found:
            raise NotFound(f"no staff member with ref {ref!r}")
        ((row_id, member),) = found.items()
        return StaffRow(member, mapping.read_versions(session, t.staff_member, [row_id])[row_id])


def list_staff(
    db: Database, *, week_of: date | None = None, include_inactive: bool = True
) -> list[StaffRow]:
    """Every staff member by name, with the load of the week containing ``week_of``."""
    with db.begin() as session:
        where = None if include_inactive else t.staff_member.c.active.is_(True)
        members = mapping.read_staff(session, where)
        versions = mapping.read_versions(session, t.staff_member, members)
        load: dict[int, tuple[int, int]] = {}
        monday = date.min
        if week_of is not None:
            monday = week_of - timedelta(days=week_of.weekday())
            load = _week_load(session, monday)
        out = []
        for row_id, member in members.items():
            row = StaffRow(member, versions[row_id])
            if week_of is not None:
                sessions, minutes = load.get(row_id, (0, 0))
                leave_days = _leave_days(member, monday)
                available = sum(
                    _minutes(h.start, h.end)
                    for h in member.hours
                    if monday + timedelta(days=h.weekday) not in leave_days
                )
                row = replace(
                    row,
                    week_sessions=sessions,
                    week_minutes=minutes,
                    week_available_minutes=available,
                    week_leave_days=tuple(sorted(leave_days)),
                )
            out.append(row)
        out.sort(key=lambda r: (r.member.name, r.member.ref))
        return out


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _leave_days(member: StaffMember, monday: date) -> set[date]:
    days = {monday + timedelta(days=i) for i in range(7)}
    return {d for d in days if member.on_leave(d)}


def _week_load(session: Session, monday: date) -> dict[int, tuple[int, int]]:
    """Staff id → (sessions, busy minutes) in the week starting ``monday``."""
    start = datetime.combine(monday, time())
    end = start + timedelta(days=7)
    rows = session.scalars(
        select(InfusionSession)
        .where(InfusionSession.start >= start, InfusionSession.start < end)
        .where(InfusionSession.status.not_in(INACTIVE_SESSION_STATUSES))
        .options(
            selectinload(InfusionSession.assignments),
            selectinload(InfusionSession.course).selectinload(Course.protocol),
        )
    ).all()
    spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for s in rows:
        for staff_id in {a.staff_id for a in s.assignments}:
            spans[staff_id].append((s.start, s.end))
    return {k: (len(v), _busy_minutes(v)) for k, v in spans.items()}


def _busy_minutes(spans: list[tuple[datetime, datetime]]) -> int:
    """Minutes with at least one patient: parallel patients are one stretch of work."""
    total = 0
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in sorted(spans):
        if current_end is None or start >= current_end:
            if current_start is not None and current_end is not None:
                total += int((current_end - current_start).total_seconds() // 60)
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        total += int((current_end - current_start).total_seconds() // 60)
    return total
