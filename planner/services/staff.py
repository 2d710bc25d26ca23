"""Staff members: roles, credential expiry, weekly hours, leave, and this week's load.

Staff with history are deactivated, never deleted, so past sessions keep their names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.db.engine import Database
from planner.db.models import Course, InfusionSession, StaffHours, StaffLeave, StaffMember
from planner.domain import INACTIVE_SESSION_STATUSES, ROLE_LABELS, ROLES, WEEKDAY_NAMES
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
class HoursRange:
    """One range of weekly availability; a weekday may have several."""

    weekday: int  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class LeavePeriod:
    """Leave, both dates inclusive."""

    start: date
    end: date


@dataclass(frozen=True)
class StaffInput:
    name: str
    roles: tuple[str, ...]
    credential_expires: date | None = None
    hours: tuple[HoursRange, ...] = ()
    leave: tuple[LeavePeriod, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class StaffSnapshot:
    ref: str
    name: str
    roles: tuple[str, ...]
    credential_expires: date | None
    active: bool
    hours: tuple[HoursRange, ...]
    leave: tuple[LeavePeriod, ...]
    version: int
    #: Load of the week asked for: sessions assigned and their chair minutes.
    week_sessions: int = 0
    week_minutes: int = 0
    week_available_minutes: int = 0
    week_leave_days: tuple[date, ...] = field(default=())

    def as_input(self) -> StaffInput:
        return StaffInput(
            name=self.name,
            roles=self.roles,
            credential_expires=self.credential_expires,
            hours=self.hours,
            leave=self.leave,
            active=self.active,
        )


def credential_state(expires: date | None, today: date, warning_days: int) -> str:
    """``"missing"``, ``"expired"``, ``"expiring"`` (within ``warning_days``) or ``"valid"``."""
    if expires is None:
        return "missing"
    if expires < today:
        return "expired"
    if expires <= today + timedelta(days=warning_days):
        return "expiring"
    return "valid"


def validate_staff(data: StaffInput) -> dict[str, str]:
    """Per-field problems of ``data`` (empty when it can be saved)."""
    problems: dict[str, str] = {}
    if not data.name.strip():
        problems["name"] = "Enter the staff member's name."
    elif len(data.name.strip()) > 200:
        problems["name"] = "The name is longer than 200 characters."
    unknown = [r for r in data.roles if r not in ROLES]
    if unknown:
        problems["roles"] = f"Unknown role(s): {', '.join(unknown)}."
    elif not data.roles:
        problems["roles"] = "Choose at least one role."
    for h in data.hours:
        if not 0 <= h.weekday <= 6:
            problems["hours"] = f"Weekday {h.weekday} is not a day of the week."
            break
        if h.end <= h.start:
            problems["hours"] = (
                f"{WEEKDAY_NAMES[h.weekday]}: the end ({h.end:%H:%M}) must be after "
                f"the start ({h.start:%H:%M})."
            )
            break
    else:
        overlap = _first_overlap(data.hours)
        if overlap:
            problems["hours"] = overlap
    for lv in data.leave:
        if lv.end < lv.start:
            problems["leave"] = (
                f"Leave from {lv.start:%Y-%m-%d} ends before it starts ({lv.end:%Y-%m-%d})."
            )
            break
    return problems


def _first_overlap(hours: tuple[HoursRange, ...]) -> str:
    by_day: dict[int, list[HoursRange]] = defaultdict(list)
    for h in hours:
        by_day[h.weekday].append(h)
    for day, ranges in sorted(by_day.items()):
        ranges.sort(key=lambda r: r.start)
        for before, after in zip(ranges, ranges[1:], strict=False):
            if after.start < before.end:
                return (
                    f"{WEEKDAY_NAMES[day]}: {before.start:%H:%M}–{before.end:%H:%M} overlaps "
                    f"{after.start:%H:%M}–{after.end:%H:%M}."
                )
    return ""


def _check(data: StaffInput) -> None:
    problems = validate_staff(data)
    if problems:
        raise ValidationFailed(
            "The staff member cannot be saved: " + " ".join(problems.values()), problems
        )


def _roles_in_order(roles: tuple[str, ...]) -> list[str]:
    return [r for r in ROLES if r in set(roles)]


def _apply(member: StaffMember, data: StaffInput) -> None:
    member.name = data.name.strip()
    member.roles = _roles_in_order(data.roles)
    member.credential_expires = data.credential_expires
    member.active = data.active
    member.hours = [
        StaffHours(weekday=h.weekday, start_time=h.start, end_time=h.end)
        for h in sorted(data.hours, key=lambda h: (h.weekday, h.start))
    ]
    member.leave = [
        StaffLeave(start_date=lv.start, end_date=lv.end)
        for lv in sorted(data.leave, key=lambda lv: lv.start)
    ]


def _state(member: StaffMember) -> dict[str, object]:
    return {
        "name": member.name,
        "roles": list(member.roles),
        "credential_expires": member.credential_expires.isoformat()
        if member.credential_expires
        else None,
        "active": member.active,
        "hours": [f"{h.weekday}:{h.start_time:%H:%M}-{h.end_time:%H:%M}" for h in member.hours],
        "leave": [f"{lv.start_date}..{lv.end_date}" for lv in member.leave],
    }


def create_staff(db: Database, data: StaffInput) -> str:
    """Add a staff member; returns the new ref."""
    _check(data)
    with unit_of_work(db) as session:
        prefix, width = REF_PREFIX["staff"]
        member = StaffMember(ref=next_ref(session, StaffMember, prefix, width))
        _apply(member, data)
        session.add(member)
        session.flush()
        roles = ", ".join(ROLE_LABELS[r] for r in member.roles)
        record_audit(
            session,
            action="create",
            entity="staff",
            ref=member.ref,
            summary=f"added staff member {member.name} ({roles})",
            after=_state(member),
        )
        return member.ref


def update_staff(db: Database, ref: str, data: StaffInput, *, expected_version: int) -> None:
    """Replace a staff member's details; refuses if someone else saved first."""
    _check(data)
    with unit_of_work(db) as session:
        member = _load(session, ref)
        if member.version != expected_version:
            raise ConcurrentEdit(
                f"{member.name} was changed on another workstation since you opened it — "
                "reload to see the current version; nothing was saved."
            )
        before = _state(member)
        _apply(member, data)
        session.flush()
        record_audit(
            session,
            action="update",
            entity="staff",
            ref=ref,
            summary=f"changed staff member {member.name}",
            before=before,
            after=_state(member),
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


def _load(session: Session, ref: str) -> StaffMember:
    member = session.scalars(
        select(StaffMember)
        .where(StaffMember.ref == ref)
        .options(selectinload(StaffMember.hours), selectinload(StaffMember.leave))
    ).first()
    if member is None:
        raise NotFound(f"no staff member with ref {ref!r}")
    return member


def get_staff(db: Database, ref: str) -> StaffSnapshot:
    with db.begin() as session:
        return _snapshot(_load(session, ref))


def _snapshot(member: StaffMember) -> StaffSnapshot:
    return StaffSnapshot(
        ref=member.ref,
        name=member.name,
        roles=tuple(member.roles),
        credential_expires=member.credential_expires,
        active=member.active,
        hours=tuple(HoursRange(h.weekday, h.start_time, h.end_time) for h in member.hours),
        leave=tuple(LeavePeriod(lv.start_date, lv.end_date) for lv in member.leave),
        version=member.version,
    )


def list_staff(
    db: Database, *, week_of: date | None = None, include_inactive: bool = True
) -> list[StaffSnapshot]:
    """Every staff member by name, with the load of the week containing ``week_of``."""
    with db.begin() as session:
        query = (
            select(StaffMember)
            .options(selectinload(StaffMember.hours), selectinload(StaffMember.leave))
            .order_by(StaffMember.name, StaffMember.ref)
        )
        if not include_inactive:
            query = query.where(StaffMember.active.is_(True))
        members = session.scalars(query).all()
        if week_of is None:
            return [_snapshot(m) for m in members]
        monday = week_of - timedelta(days=week_of.weekday())
        load = _week_load(session, monday)
        out = []
        for member in members:
            sessions, minutes = load.get(member.id, (0, 0))
            leave_days = _leave_days(member, monday)
            available = sum(
                _minutes(h.start_time, h.end_time)
                for h in member.hours
                if monday + timedelta(days=h.weekday) not in leave_days
            )
            out.append(
                replace(
                    _snapshot(member),
                    week_sessions=sessions,
                    week_minutes=minutes,
                    week_available_minutes=available,
                    week_leave_days=tuple(sorted(leave_days)),
                )
            )
        return out


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _leave_days(member: StaffMember, monday: date) -> set[date]:
    days = {monday + timedelta(days=i) for i in range(7)}
    return {d for d in days for lv in member.leave if lv.start_date <= d <= lv.end_date}


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
