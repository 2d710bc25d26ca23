"""Booking and editing infusion sessions: one transaction per action, with a booking guard.

The guard refuses a change that would newly double-book a chair, put a patient
in two places at once, or take a staff member beyond their concurrent-patient
limit. It locks the chair, patient and staff rows first (``SELECT … FOR UPDATE``
on PostgreSQL; the write lock on SQLite), so two workstations booking the same
slot at the same moment cannot both succeed. Every other rule (missing roles,
credentials, hours) is reported by the rules engine, not refused here: the
planner shows it and the paperwork export refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    Chair,
    Course,
    InfusionSession,
    Patient,
    StaffMember,
)
from planner.domain import INACTIVE_SESSION_STATUSES, records
from planner.domain.base import field_problem
from planner.domain.policy import Policy
from planner.services.base import (
    REF_PREFIX,
    NotFound,
    ServiceError,
    ValidationFailed,
    next_ref,
    record_audit,
    retry_on_ref_clash,
    unit_of_work,
)
from planner.services.editing import check_version, row_by_ref
from planner.services.session_records import refuse_if_recorded
from planner.services.snapshots import session_snapshot


class BookingConflict(ServiceError):
    """The change would double-book a chair, a patient or a staff member."""


@dataclass(frozen=True)
class SessionDraft:
    """What the user asks for; durations left as None come from the protocol."""

    course_ref: str
    chair_ref: str
    start: datetime
    status: str = "planned"
    prep_minutes: int | None = None
    infusion_minutes: int | None = None
    recovery_minutes: int | None = None
    assignments: tuple[tuple[str, str], ...] = ()  # (staff_ref, role)


def _eager() -> tuple[object, ...]:
    return (
        selectinload(InfusionSession.course).selectinload(Course.patient),
        selectinload(InfusionSession.course).selectinload(Course.protocol),
        selectinload(InfusionSession.chair),
        selectinload(InfusionSession.assignments).selectinload(Assignment.staff),
    )


def _get(session: Session, ref: str) -> InfusionSession:
    found = session.scalars(
        select(InfusionSession).where(InfusionSession.ref == ref).options(*_eager())  # type: ignore[arg-type]
    ).first()
    if found is None:
        raise NotFound(f'no session with ref "{ref}"')
    return found


def _validate_draft(draft: SessionDraft) -> None:
    """Refuse what a ``Session`` record refuses (its status, durations and roles)."""
    fields: dict[str, str] = {}
    checks = [("status", "status", draft.status)] + [
        (name, f"{name}_override", getattr(draft, name))
        for name in ("prep_minutes", "infusion_minutes", "recovery_minutes")
    ]
    for name, field, value in checks:
        problem = field_problem(records.Session, field, value)
        if problem:
            fields[name] = problem
    seen: set[tuple[str, str]] = set()
    for staff_ref, role in draft.assignments:
        problem = field_problem(records.Assignment, "role", role)
        if problem:
            fields["assignments"] = f"role {role!r}: {problem}"
        if (staff_ref, role) in seen:
            fields["assignments"] = f"{staff_ref} is assigned as {role} twice"
        seen.add((staff_ref, role))
    if fields:
        raise ValidationFailed("; ".join(f"{k}: {v}" for k, v in fields.items()), fields)


def _open_for_change(
    session: Session, ref: str, expected_version: int | None
) -> tuple[InfusionSession, set[str], dict[str, object]]:
    """The session to change (locked, at the version shown), the double bookings it already
    takes part in, and its state before the change."""
    row = _get(session, ref)
    check_version(row, expected_version, f"Session {ref}")
    _lock(session, row)
    return row, booking_conflicts(session, row), session_snapshot(row)


def _lock(session: Session, row: InfusionSession) -> None:
    """Serialise bookings that touch the same chair, patient or staff members.

    ``FOR NO KEY UPDATE`` (not ``FOR UPDATE``): the foreign-key checks of the rows
    just written hold ``KEY SHARE`` locks on the same chair and staff rows, and a
    full ``FOR UPDATE`` would deadlock two workstations against each other.
    """
    staff_ids = sorted({a.staff_id for a in row.assignments if a.staff_id is not None})
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock before reading, so the check sees every committed booking.
        session.execute(text("UPDATE chair SET ref = ref WHERE id = :id"), {"id": row.chair_id})
        return
    session.execute(
        select(Chair.id).where(Chair.id == row.chair_id).with_for_update(key_share=True)
    )
    session.execute(
        select(Patient.id)
        .where(Patient.id == row.course.patient_id)
        .with_for_update(key_share=True)
    )
    if staff_ids:
        session.execute(
            select(StaffMember.id)
            .where(StaffMember.id.in_(staff_ids))
            .order_by(StaffMember.id)
            .with_for_update(key_share=True)
        )


def _policy(session: Session) -> Policy:
    from planner.db.models import Clinic

    clinic = session.scalars(select(Clinic)).first()
    return Policy.from_overrides(clinic.policy if clinic else None)


def _neighbours(session: Session, row: InfusionSession) -> list[InfusionSession]:
    """Active sessions that could overlap ``row`` (same day ± the longest chair time)."""
    lo = row.start - timedelta(days=1)
    hi = row.end + timedelta(days=1)
    return [
        s
        for s in session.scalars(
            select(InfusionSession)
            .where(
                InfusionSession.start >= lo,
                InfusionSession.start < hi,
                InfusionSession.id != row.id,
                InfusionSession.status.not_in(tuple(INACTIVE_SESSION_STATUSES)),
            )
            .options(*_eager())  # type: ignore[arg-type]
        )
        if s.start < row.end and row.start < s.end
    ]


def booking_conflicts(session: Session, row: InfusionSession) -> set[str]:
    """Descriptions of the double bookings ``row`` takes part in (empty when none)."""
    if row.status in INACTIVE_SESSION_STATUSES:
        return set()
    problems: set[str] = set()
    overlapping = _neighbours(session, row)
    for other in overlapping:
        if other.chair_id == row.chair_id:
            problems.add(
                f"{row.chair.name} is taken by {other.course.patient.name} "
                f"{other.start:%H:%M}–{other.end:%H:%M} ({other.ref})"
            )
        if other.course.patient_id == row.course.patient_id:
            problems.add(
                f"{row.course.patient.name} already has session {other.ref} "
                f"{other.start:%H:%M}–{other.end:%H:%M}"
            )
    policy = _policy(session)
    for assignment in row.assignments:
        staff = assignment.staff
        limit = policy.limit_for(assignment.role)
        theirs = [o for o in overlapping if any(a.staff_id == staff.id for a in o.assignments)]
        peak, when = _peak_overlap(row, theirs)
        if peak > limit:
            problems.add(
                f"{staff.name} would be with {peak} patients at {when:%H:%M} (limit {limit})"
            )
    return problems


def _peak_overlap(row: InfusionSession, others: Iterable[InfusionSession]) -> tuple[int, datetime]:
    """Most sessions at once (``row`` included) within ``row``'s chair time, and when."""
    events: list[tuple[datetime, int]] = [(row.start, 1), (row.end, -1)]
    for o in others:
        events.append((max(o.start, row.start), 1))
        events.append((min(o.end, row.end), -1))
    events.sort(key=lambda e: (e[0], e[1]))  # ends (-1) before starts at the same instant
    current = peak = 0
    when = row.start
    for at, delta in events:
        current += delta
        if current > peak:
            peak, when = current, at
    return peak, when


def _guard(session: Session, row: InfusionSession, before: set[str]) -> None:
    session.flush()
    session.expire(row, ["assignments"])
    new = booking_conflicts(session, row) - before
    if new:
        raise BookingConflict("Not saved — " + "; ".join(sorted(new)) + ".")


def _apply_assignments(
    session: Session, row: InfusionSession, assignments: Iterable[tuple[str, str]]
) -> None:
    wanted = list(dict.fromkeys(assignments))
    staff = {}
    for staff_ref, _role in wanted:
        staff[staff_ref] = row_by_ref(session, StaffMember, staff_ref, "staff member")
    # Keep the rows that stay (so the unique constraint never sees a delete-after-insert).
    kept = [a for a in row.assignments if (a.staff.ref, a.role) in set(wanted)]
    have = {(a.staff.ref, a.role) for a in kept}
    row.assignments = kept + [
        Assignment(staff=staff[ref], role=role) for ref, role in wanted if (ref, role) not in have
    ]


def create_session(db: Database, draft: SessionDraft, *, user: str | None = None) -> str:
    """Book a new session; returns its ref."""
    _validate_draft(draft)
    # Two workstations booking at once may pick the same new ref: the loser retries.
    return retry_on_ref_clash(lambda: _create_session(db, draft, user=user))


def _create_session(db: Database, draft: SessionDraft, *, user: str | None) -> str:
    with unit_of_work(db) as session:
        course = row_by_ref(session, Course, draft.course_ref, "course")
        chair = row_by_ref(session, Chair, draft.chair_ref, "chair")
        ref = next_ref(session, InfusionSession, *REF_PREFIX["session"])
        with session.no_autoflush:
            row = InfusionSession(
                ref=ref,
                course=course,
                chair=chair,
                start=draft.start.replace(second=0, microsecond=0),
                status=draft.status,
                prep_minutes_override=draft.prep_minutes,
                infusion_minutes_override=draft.infusion_minutes,
                recovery_minutes_override=draft.recovery_minutes,
            )
            _apply_assignments(session, row, draft.assignments)
            session.add(row)
        session.flush()
        _lock(session, row)
        _guard(session, row, set())
        record_audit(
            session,
            action="create",
            entity="session",
            ref=row.ref,
            patient_ref=row.course.patient.ref,
            summary=f"booked {row.ref} for {row.course.patient.name} {row.start:%Y-%m-%d %H:%M}",
            after=session_snapshot(row),
            user=user,
        )
        return row.ref


def update_session(
    db: Database,
    ref: str,
    draft: SessionDraft,
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> int:
    """Replace a session's time, chair, status, durations and staff; returns the new version."""
    _validate_draft(draft)
    with unit_of_work(db) as session:
        row, before_conflicts, before = _open_for_change(session, ref, expected_version)
        course = row_by_ref(session, Course, draft.course_ref, "course")
        chair = row_by_ref(session, Chair, draft.chair_ref, "chair")
        row.course = course
        row.chair = chair
        row.start = draft.start.replace(second=0, microsecond=0)
        row.status = draft.status
        row.prep_minutes_override = draft.prep_minutes
        row.infusion_minutes_override = draft.infusion_minutes
        row.recovery_minutes_override = draft.recovery_minutes
        current = sorted((a.staff.ref, a.role) for a in row.assignments)
        if current != sorted(draft.assignments):
            with session.no_autoflush:
                _apply_assignments(session, row, draft.assignments)
        flag_modified(row, "status")  # every saved edit bumps the version (staff changes too)
        session.flush()
        _lock(session, row)
        _guard(session, row, before_conflicts)
        after = session_snapshot(row)
        record_audit(
            session,
            action="update",
            entity="session",
            ref=row.ref,
            patient_ref=row.course.patient.ref,
            summary=f"changed {row.ref}: " + _diff_summary(before, after),
            before=before,
            after=after,
            user=user,
        )
        return row.version


def _diff_summary(before: dict[str, object], after: dict[str, object]) -> str:
    changed = [key for key in after if before.get(key) != after.get(key)]
    return ", ".join(changed) if changed else "no change"


def move_session(
    db: Database,
    ref: str,
    *,
    start: datetime,
    chair_ref: str,
    expected_version: int | None = None,
    user: str | None = None,
) -> int:
    """Move a session to another time and/or chair (staff stay); returns the new version."""
    return _update_fields(db, ref, expected_version, user, start=start, chair_ref=chair_ref)


def set_assignments(
    db: Database,
    ref: str,
    assignments: Iterable[tuple[str, str]],
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> int:
    """Replace who fills which role in a session; returns the new version."""
    return _update_fields(db, ref, expected_version, user, assignments=tuple(assignments))


def _update_fields(
    db: Database, ref: str, expected_version: int | None, user: str | None, **changes: object
) -> int:
    """``update_session`` with only some fields changed, against the version read now."""
    current = get_session(db, ref)
    draft = replace(draft_of(current), **changes)  # type: ignore[arg-type]
    if expected_version is None:
        expected_version = current.version
    return update_session(db, ref, draft, expected_version=expected_version, user=user)


def set_status(
    db: Database,
    ref: str,
    status: str,
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> int:
    """Mark a session planned/confirmed/done/cancelled/no-show."""
    problem = field_problem(records.Session, "status", status)
    if problem:
        raise ValidationFailed(f"status: {problem}", {"status": problem})
    with unit_of_work(db) as session:
        row, before_conflicts, before = _open_for_change(session, ref, expected_version)
        row.status = status
        _guard(session, row, before_conflicts)
        record_audit(
            session,
            action="status",
            entity="session",
            ref=row.ref,
            patient_ref=row.course.patient.ref,
            summary=f"{row.ref} {before['status']} → {status}",
            before=before,
            after=session_snapshot(row),
            user=user,
        )
        return row.version


def delete_session(db: Database, ref: str, *, user: str | None = None) -> None:
    """Remove a planned or confirmed session; a done one is history and stays."""
    with unit_of_work(db) as session:
        row = _get(session, ref)
        if row.status == "done":
            raise ServiceError(
                f"{ref} is done and part of the patient's record; it cannot be deleted"
            )
        refuse_if_recorded(session, row.id, ref)
        before = session_snapshot(row)
        patient_ref = row.course.patient.ref
        session.delete(row)
        record_audit(
            session,
            action="delete",
            entity="session",
            ref=ref,
            patient_ref=patient_ref,
            summary=f"deleted {ref}",
            before=before,
            user=user,
        )


def get_session(db: Database, ref: str) -> InfusionSession:
    """A detached, fully loaded session (safe to read after the transaction)."""
    with db.begin() as session:
        return _get(session, ref)


def draft_of(row: InfusionSession) -> SessionDraft:
    return SessionDraft(
        course_ref=row.course.ref,
        chair_ref=row.chair.ref,
        start=row.start,
        status=row.status,
        prep_minutes=row.prep_minutes_override,
        infusion_minutes=row.infusion_minutes_override,
        recovery_minutes=row.recovery_minutes_override,
        assignments=tuple((a.staff.ref, a.role) for a in row.assignments),
    )
