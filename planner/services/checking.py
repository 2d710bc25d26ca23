"""Checking what is in the database: a snapshot read in a few set-based queries, then the rules.

``load_clinic_data`` reads rows with plain column selects (no ORM identity
map, no lazy loading) into the frozen records of ``planner.rules.records``,
so the result is safe to keep after the transaction and cheap to build. For a
date range or a few sessions it also reads their CONTEXT: every session within
two days (overlaps at the edges) and every session of the same patients
(spacing, 7-day windows, induction, planned count), and marks the asked-for
sessions as ``focus`` so only their violations are reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    Chair,
    Clinic,
    Closure,
    Course,
    InfusionSession,
    OpeningHours,
    Patient,
    Protocol,
    StaffHours,
    StaffLeave,
    StaffMember,
)
from planner.domain.policy import Policy
from planner.rules import check
from planner.rules.records import (
    AssignmentRecord,
    ChairRecord,
    ClinicData,
    ClosureRecord,
    CourseRecord,
    HoursRecord,
    LeaveRecord,
    OpeningHoursRecord,
    PatientRecord,
    ProtocolRecord,
    SessionRecord,
    StaffRecord,
)
from planner.rules.violation import Violation
from planner.services.base import NotFound, ValidationFailed

#: Sessions this close to the asked-for ones are read as context: no chair time is longer
#: (prep, infusion and recovery are each at most 24 h), so no overlap is missed.
CONTEXT_MARGIN = timedelta(days=3)

S = InfusionSession


def load_policy(session: Session) -> Policy:
    """The clinic's policy (defaults when there is no clinic row or no overrides)."""
    overrides = session.scalars(select(Clinic.policy).order_by(Clinic.id)).first()
    try:
        return Policy.from_overrides(overrides)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(f"the clinic policy in the database is invalid: {exc}") from exc


def _day_start(value: date) -> datetime:
    return datetime.combine(value, time())


def _windows_clause(windows: list[tuple[datetime, datetime]]) -> ColumnElement[bool]:
    """``start`` inside any of the (merged) windows."""
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    if not merged:
        return false()
    return or_(*(and_(S.start >= lo, S.start < hi) for lo, hi in merged))


def load_clinic_data(
    session: Session,
    start: date | None = None,
    end: date | None = None,
    *,
    refs: Iterable[str] | None = None,
) -> ClinicData:
    """A detached snapshot for checking sessions starting on ``start``..``end`` (inclusive;
    None = open-ended) or the sessions ``refs``; everything when neither is given."""
    target: ColumnElement[bool] | None = None
    windows: list[tuple[datetime, datetime]] = []
    if refs is not None:
        target = S.ref.in_(sorted(set(refs)))
        for (started,) in session.execute(select(S.start).where(target)):
            windows.append((started - CONTEXT_MARGIN, started + CONTEXT_MARGIN))
    elif start is not None or end is not None:
        parts = []
        lo = _day_start(start) if start is not None else None
        hi = _day_start(end + timedelta(days=1)) if end is not None else None
        if lo is not None:
            parts.append(S.start >= lo)
        if hi is not None:
            parts.append(S.start < hi)
        target = and_(*parts)
        windows.append(
            (
                lo - CONTEXT_MARGIN if lo is not None else datetime.min,
                hi + CONTEXT_MARGIN if hi is not None else datetime.max,
            )
        )
    if target is None:
        scope: ColumnElement[bool] | None = None
    else:
        patients = select(Course.patient_id).join(S, S.course_id == Course.id).where(target)
        courses = select(Course.id).where(Course.patient_id.in_(patients))
        scope = or_(_windows_clause(windows), S.course_id.in_(courses))
    return _read(session, scope, target)


def _read(
    session: Session, scope: ColumnElement[bool] | None, target: ColumnElement[bool] | None
) -> ClinicData:
    protocols = {
        row.id: ProtocolRecord(
            row.ref,
            row.name,
            row.infusions,
            row.prep_minutes,
            row.infusion_minutes,
            row.recovery_minutes,
            row.min_hours_between,
            row.max_per_7_days,
            row.max_gap_days,
        )
        for row in session.execute(select(Protocol)).scalars().all()
    }
    chairs = {
        cid: ChairRecord(ref, name, room)
        for cid, ref, name, room in session.execute(
            select(Chair.id, Chair.ref, Chair.name, Chair.room).order_by(Chair.ref)
        )
    }
    staff = _read_staff(session)
    sessions_q = select(
        S.id,
        S.ref,
        S.course_id,
        S.chair_id,
        S.start,
        S.status,
        S.prep_minutes_override,
        S.infusion_minutes_override,
        S.recovery_minutes_override,
    )
    assign_q = select(Assignment.session_id, Assignment.staff_id, Assignment.role).order_by(
        Assignment.id
    )
    course_q = select(
        Course.id,
        Course.ref,
        Course.patient_id,
        Course.protocol_id,
        Course.planned_infusions,
        Course.status,
    )
    patient_q = select(
        Patient.id, Patient.ref, Patient.name, Patient.flags, Patient.flags_acknowledged_by
    )
    if scope is not None:
        in_scope = select(S.id).where(scope)
        sessions_q = sessions_q.where(scope)
        assign_q = assign_q.where(Assignment.session_id.in_(in_scope))
        scoped_courses = select(S.course_id).where(scope)
        course_q = course_q.where(Course.id.in_(scoped_courses))
        patient_q = patient_q.where(
            Patient.id.in_(select(Course.patient_id).where(Course.id.in_(scoped_courses)))
        )
    patients = {
        pid: PatientRecord(ref, name, tuple(flags or ()), ack or "")
        for pid, ref, name, flags, ack in session.execute(patient_q)
    }
    courses = {
        cid: CourseRecord(ref, patients[pid], protocols[prid], planned, status)
        for cid, ref, pid, prid, planned, status in session.execute(course_q)
    }
    assigned: dict[int, list[AssignmentRecord]] = {}
    for sid, staff_id, role in session.execute(assign_q):
        assigned.setdefault(sid, []).append(AssignmentRecord(staff[staff_id], role))
    records = [
        SessionRecord(
            ref,
            courses[course_id],
            chairs[chair_id],
            started,
            status,
            tuple(assigned.get(sid, ())),
            prep,
            infusion,
            recovery,
        )
        for sid, ref, course_id, chair_id, started, status, prep, infusion, recovery in session.execute(
            sessions_q
        )
    ]
    records.sort(key=lambda r: (r.start, r.ref))
    focus = None
    if target is not None:
        focus = frozenset(session.scalars(select(S.ref).where(target)))
    return ClinicData(
        sessions=records,
        opening_hours=[
            OpeningHoursRecord(wd, o, c)
            for wd, o, c in session.execute(
                select(OpeningHours.weekday, OpeningHours.open_time, OpeningHours.close_time)
            )
        ],
        closures=[
            ClosureRecord(d, reason or "")
            for d, reason in session.execute(
                select(Closure.day, Closure.reason).order_by(Closure.day)
            )
        ],
        staff=sorted(staff.values(), key=lambda s: s.ref),
        chairs=list(chairs.values()),
        focus=focus,
    )


def _read_staff(session: Session) -> dict[int, StaffRecord]:
    hours: dict[int, list[HoursRecord]] = {}
    for sid, wd, a, b in session.execute(
        select(StaffHours.staff_id, StaffHours.weekday, StaffHours.start_time, StaffHours.end_time)
    ):
        hours.setdefault(sid, []).append(HoursRecord(wd, a, b))
    leave: dict[int, list[LeaveRecord]] = {}
    for sid, first, last in session.execute(
        select(StaffLeave.staff_id, StaffLeave.start_date, StaffLeave.end_date)
    ):
        leave.setdefault(sid, []).append(LeaveRecord(first, last))
    return {
        sid: StaffRecord(
            ref,
            name,
            tuple(roles or ()),
            expires,
            tuple(sorted(hours.get(sid, ()), key=lambda h: (h.weekday, h.start_time))),
            tuple(sorted(leave.get(sid, ()), key=lambda lv: lv.start_date)),
            bool(active),
        )
        for sid, ref, name, roles, expires, active in session.execute(
            select(
                StaffMember.id,
                StaffMember.ref,
                StaffMember.name,
                StaffMember.roles,
                StaffMember.credential_expires,
                StaffMember.active,
            )
        )
    }


def check_range(
    db: Database, start: date | None = None, end: date | None = None
) -> list[Violation]:
    """Violations of the sessions starting ``start``..``end`` (inclusive; None = open)."""
    return run_check(db, start, end).violations


def check_sessions(session: Session, refs: Sequence[str] | str) -> list[Violation]:
    """Violations of the sessions ``refs``, checked against everything around them."""
    wanted = [refs] if isinstance(refs, str) else list(refs)
    data = load_clinic_data(session, refs=wanted)
    missing = sorted(set(wanted) - (data.focus or frozenset()))
    if missing:
        raise NotFound(f"no session {', '.join(missing)}")
    return check(data, load_policy(session), sessions=wanted)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What a report shows about a session next to its violations."""

    ref: str
    start: datetime
    end: datetime
    status: str
    patient: str
    chair: str
    course: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """A checked range: the violations and the sessions they belong to."""

    start: date | None
    end: date | None
    violations: list[Violation]
    sessions: dict[str, SessionSummary]

    @property
    def checked(self) -> int:
        """Sessions that take part in checking (not cancelled / no-show)."""
        return sum(1 for s in self.sessions.values() if s.status not in ("cancelled", "no_show"))


def run_check(db: Database, start: date | None = None, end: date | None = None) -> CheckReport:
    """Check a date range in one read-only transaction."""
    if start is not None and end is not None and end < start:
        raise ValidationFailed(f"the range ends ({end}) before it starts ({start})")
    with db.begin() as session:
        data = load_clinic_data(session, start, end)
        policy = load_policy(session)
    violations = check(data, policy, sessions=data.focus)
    summaries = {
        s.ref: SessionSummary(
            s.ref, s.start, s.end, s.status, s.course.patient.name, s.chair.name, s.course.ref
        )
        for s in data.sessions
        if data.focus is None or s.ref in data.focus
    }
    return CheckReport(start, end, violations, summaries)
