"""Checking what is in the database: a snapshot read in a few set-based queries, then the rules.

``load_clinic_data`` reads rows with set-based selects (``planner.db.mapping``:
no ORM identity map, no lazy loading) into the frozen domain records, so the
result is safe to keep after the transaction and cheap to build. For a
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

from planner.db import mapping, tables
from planner.db.engine import Database
from planner.db.models import Clinic, Course, InfusionSession
from planner.domain.base import Invalid
from planner.domain.policy import Policy
from planner.rules import ClinicData, check
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
    except Invalid as exc:
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
    staff = mapping.read_staff(session)
    chairs = mapping.read_chairs(session)
    read = mapping.read_sessions(session, scope, staff=staff, chairs=chairs)
    focus = None
    if target is not None:
        focus = frozenset(session.scalars(select(S.ref).where(target)))
    closures = session.execute(select(tables.closure.c.day, tables.closure.c.reason)).all()
    return ClinicData(
        sessions=sorted(read.sessions.values(), key=lambda r: (r.start, r.ref)),
        opening_hours=list(mapping.read_opening_hours(session)),
        closures={day: reason or "" for day, reason in closures},
        staff=sorted(staff.values(), key=lambda s: s.ref),
        chairs=sorted(chairs.values(), key=lambda c: c.ref),
        focus=focus,
    )


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
