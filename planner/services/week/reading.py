"""Reading a week with SQLAlchemy Core alone: what the planner draws, without the ORM.

The app paints its first week before the ORM (and its mapped models) is even
imported: these plain statements read the same rows the models map, with the
same column types, so dates, times and JSON come back exactly as through the
ORM. Every week the planner opens is read here; the rules engine's check (ORM)
runs in the same transaction when asked for (``load_week(check=True)``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Time, bindparam, text

from planner.domain import INACTIVE_SESSION_STATUSES, PSYCHIATRIST
from planner.domain.policy import Policy
from planner.services.week.model import (
    ChairSnapshot,
    SessionSnapshot,
    StaffOnSession,
    StaffSnapshot,
    WeekSnapshot,
    monday_of,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from planner.db.engine import Database

_YES = bindparam("yes", True, type_=Boolean)
_WEEK = (bindparam("lo", type_=DateTime), bindparam("hi", type_=DateTime))

_CLINIC = text("SELECT name, policy FROM clinic ORDER BY id LIMIT 1").columns(policy=JSON)
_CHAIRS = text("SELECT ref, name, room FROM chair WHERE active = :yes ORDER BY ref").bindparams(_YES)
_HOURS = text(
    "SELECT weekday, open_time, close_time FROM opening_hours ORDER BY weekday"
).columns(open_time=Time, close_time=Time)
_CLOSURES = (
    text("SELECT day, reason FROM closure WHERE day >= :lo AND day < :hi")
    .bindparams(bindparam("lo", type_=Date), bindparam("hi", type_=Date))
    .columns(day=Date)
)
_IN_WEEK = "FROM infusion_session s WHERE s.start >= :lo AND s.start < :hi"
_SESSIONS = (
    text(
        "SELECT s.id AS id, s.ref AS ref, s.version AS version, s.start AS start, "
        "s.status AS status, s.prep_minutes AS prep_override, "
        "s.infusion_minutes AS infusion_override, s.recovery_minutes AS recovery_override, "
        "ch.ref AS chair_ref, ch.name AS chair_name, co.ref AS course_ref, "
        "co.status AS course_status, co.planned_infusions AS planned_infusions, "
        "pa.ref AS patient_ref, pa.name AS patient_name, pr.ref AS protocol_ref, "
        "pr.name AS protocol_name, pr.prep_minutes AS prep_minutes, "
        "pr.infusion_minutes AS infusion_minutes, pr.recovery_minutes AS recovery_minutes "
        "FROM infusion_session s "
        "JOIN chair ch ON ch.id = s.chair_id "
        "JOIN course co ON co.id = s.course_id "
        "JOIN patient pa ON pa.id = co.patient_id "
        "JOIN protocol pr ON pr.id = co.protocol_id "
        "WHERE s.start >= :lo AND s.start < :hi ORDER BY s.start, s.id"
    )
    .bindparams(*_WEEK)
    .columns(start=DateTime)
)
#: Every session of the courses seen this week, to number them "n of N".
_COURSE_SESSIONS = text(
    "SELECT c.id, c.course_id, c.status FROM infusion_session c "
    f"WHERE c.course_id IN (SELECT s.course_id {_IN_WEEK}) "
    "ORDER BY c.course_id, c.start, c.id"
).bindparams(*_WEEK)
_ASSIGNMENTS = text(
    "SELECT a.session_id, a.id, a.role, m.ref, m.name FROM assignment a "
    "JOIN staff_member m ON m.id = a.staff_id "
    f"WHERE a.session_id IN (SELECT s.id {_IN_WEEK}) ORDER BY a.id"
).bindparams(*_WEEK)
_STAFF = (
    text(
        "SELECT id, ref, name, roles, credential_expires FROM staff_member "
        "WHERE active = :yes ORDER BY name, ref"
    )
    .bindparams(_YES)
    .columns(roles=JSON, credential_expires=Date)
)
_STAFF_HOURS = (
    text(
        "SELECT h.staff_id, h.weekday, h.start_time, h.end_time FROM staff_hours h "
        "JOIN staff_member m ON m.id = h.staff_id WHERE m.active = :yes "
        "ORDER BY h.staff_id, h.weekday, h.start_time, h.id"
    )
    .bindparams(_YES)
    .columns(start_time=Time, end_time=Time)
)
_STAFF_LEAVE = (
    text(
        "SELECT l.staff_id, l.start_date, l.end_date FROM staff_leave l "
        "JOIN staff_member m ON m.id = l.staff_id WHERE m.active = :yes "
        "ORDER BY l.staff_id, l.start_date, l.id"
    )
    .bindparams(_YES)
    .columns(start_date=Date, end_date=Date)
)
_CONTENT_TABLES = ("protocol", "chair", "staff_member", "patient", "course", "infusion_session")
_ANY_CONTENT = text(
    "SELECT 1 WHERE " + " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in _CONTENT_TABLES)
)


def read_sessions(conn: Connection, start: datetime, end: datetime) -> list[SessionSnapshot]:
    """Sessions starting in [start, end), ordered by start then id (as ``load_sessions``)."""
    week = {"lo": start, "hi": end}
    rows = conn.execute(_SESSIONS, week).all()
    if not rows:
        return []
    numbers: dict[int, int] = {}
    counter: dict[int, int] = {}
    for sid, cid, status in conn.execute(_COURSE_SESSIONS, week):
        if status in INACTIVE_SESSION_STATUSES:
            numbers[sid] = 0
            continue
        counter[cid] = counter.get(cid, 0) + 1
        numbers[sid] = counter[cid]
    staff: dict[int, list[tuple[bool, int, StaffOnSession]]] = {}
    for sid, aid, role, ref, name in conn.execute(_ASSIGNMENTS, week):
        staff.setdefault(sid, []).append((role != PSYCHIATRIST, aid, StaffOnSession(ref, name, role)))
    out = []
    for r in rows:
        overrides = (r.prep_override, r.infusion_override, r.recovery_override)
        protocol = (r.prep_minutes, r.infusion_minutes, r.recovery_minutes)
        prep, infusion, recovery = (
            p if o is None else o for o, p in zip(overrides, protocol, strict=True)
        )
        out.append(
            SessionSnapshot(
                ref=r.ref,
                version=r.version,
                start=r.start,
                status=r.status,
                prep_minutes=prep,
                infusion_minutes=infusion,
                recovery_minutes=recovery,
                overrides=overrides,
                chair_ref=r.chair_ref,
                chair_name=r.chair_name,
                course_ref=r.course_ref,
                course_status=r.course_status,
                patient_ref=r.patient_ref,
                patient_name=r.patient_name,
                protocol_ref=r.protocol_ref,
                protocol_name=r.protocol_name,
                number=numbers.get(r.id, 0),
                planned_infusions=r.planned_infusions,
                protocol_minutes=protocol,
                staff=tuple(s for _, _, s in sorted(staff.get(r.id, ()), key=lambda t: t[:2])),
            )
        )
    return out


def read_staff(conn: Connection) -> list[StaffSnapshot]:
    """Active staff by name, with their weekly hours and leave (as ``load_staff``)."""
    hours: dict[int, dict[int, list[tuple[time, time]]]] = {}
    for staff_id, weekday, first, last in conn.execute(_STAFF_HOURS):
        hours.setdefault(staff_id, {}).setdefault(weekday, []).append((first, last))
    leave: dict[int, list[tuple[date, date]]] = {}
    for staff_id, first_day, last_day in conn.execute(_STAFF_LEAVE):
        leave.setdefault(staff_id, []).append((first_day, last_day))
    return [
        StaffSnapshot(
            ref=ref,
            name=name,
            roles=tuple(roles or ()),
            credential_expires=expires,
            hours={k: tuple(sorted(v)) for k, v in hours.get(staff_id, {}).items()},
            leave=tuple(leave.get(staff_id, ())),
        )
        for staff_id, ref, name, roles, expires in conn.execute(_STAFF)
    ]


def read_week(conn: Connection, monday: date) -> WeekSnapshot:
    """The week starting on ``monday`` (any day is moved back), without its violations."""
    monday = monday_of(monday)
    start = datetime.combine(monday, time(0))
    end = start + timedelta(days=7)
    clinic = conn.execute(_CLINIC).first()
    try:
        policy = Policy.from_overrides(clinic.policy if clinic else None)
    except ValueError:
        policy = Policy()
    chairs = tuple(ChairSnapshot(ref=r, name=n, room=room) for r, n, room in conn.execute(_CHAIRS))
    hours: dict[int, tuple[time, time]] = {}
    for weekday, opens, closes in conn.execute(_HOURS):
        if weekday in hours:  # several ranges a day: take the outer bounds
            first, last = hours[weekday]
            hours[weekday] = (min(first, opens), max(last, closes))
        else:
            hours[weekday] = (opens, closes)
    closures: dict[date, str] = {
        day: reason for day, reason in conn.execute(_CLOSURES, {"lo": monday, "hi": end.date()})
    }
    sessions = read_sessions(conn, start, end)
    # A chair that was retired still shows if it holds a session this week.
    known = {c.ref for c in chairs}
    extra = {s.chair_ref: s.chair_name for s in sessions if s.chair_ref not in known}
    if extra:
        chairs = chairs + tuple(ChairSnapshot(ref=r, name=n, room="") for r, n in extra.items())
    return WeekSnapshot(
        monday=monday,
        clinic_name=clinic.name if clinic else "",
        policy=policy,
        chairs=chairs,
        staff=tuple(read_staff(conn)),
        sessions=tuple(sessions),
        opening_hours=hours,
        closures=closures,
    )


def load_week(db: Database, monday: date, *, check: bool = True) -> WeekSnapshot:
    """The week starting on ``monday`` (any day is moved back to its Monday).

    ``check=False`` leaves out the rules engine's violations (and never loads the
    ORM): the start-up path paints that first and checks right after.
    """
    if check:
        from planner.services.week.queries import load_checked_week

        return load_checked_week(db, monday)
    with db.engine.begin() as conn:
        return read_week(conn, monday)


def is_empty(db: Database) -> bool:
    """True when the database holds no clinic content yet (one cheap statement)."""
    with db.engine.begin() as conn:
        return conn.execute(_ANY_CONTENT).first() is None


def clinic_name(db: Database) -> str:
    with db.engine.begin() as conn:
        row: Any = conn.execute(_CLINIC).first()
        return str(row.name) if row else ""
