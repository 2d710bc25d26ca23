"""Course planning and the auto-planner, on the database (one transaction per action).

Public API (stable; results are frozen dataclasses, safe to hand to the GUI)::

    preview_course_plan(db, *, patient, protocol, start, pattern, infusions=None) -> CoursePlan
        The dates a new course would get (pattern: RRULE text or "Mon/Wed/Fri",
        "Mon/Thu", "every 2–3 days"), closures and spacing skipped
        (``CoursePlan.skipped``), each occurrence with a chair and both staff roles
        when free and its problems (``PlannedOccurrence.problems``). Writes nothing.
    create_course_with_sessions(db, *, patient, protocol, start, pattern, infusions=None,
                                consent_date=None, allow_problems=False) -> CreatedCourse
        The same plan, written in ONE transaction (course + sessions + assignments +
        audit events). Refuses (ValidationFailed) when any date has an error, unless
        ``allow_problems``; then sessions lacking staff are saved without them.
    find_slots(db, course_ref, *, earliest=None, horizon_days=28, alternatives_for=None,
               limit=5, clock=system_clock) -> SlotSuggestions
        Earliest feasible chair + start + psychiatrist + monitoring clinician for each
        remaining infusion; ranked alternatives for infusion number ``alternatives_for``.
    propose_reflow(db, session_ref) -> ReflowProposal
        After a cancelled / no-show session: the course's make-up infusion placed as soon
        as possible and its later sessions moved so spacing holds. Writes nothing.
    apply_reflow(db, proposal) -> tuple[str, ...]    (refs moved or created; one transaction)
    propose_autoplan(db, start, end, *, progress=None) -> AutoplanResult
        Due infusions of active courses placed between the dates (inclusive). Writes nothing.
        ``progress(done, total)`` reports the search; it may raise PlanningCancelled to stop.
    apply_autoplan(db, result) -> tuple[str, ...]    (new session refs; ONE transaction)
        Re-verifies every placement against the current database and the rules engine;
        when anything no longer fits, nothing is written (ServiceError).

Result types (``planner.scheduling``)::

    AutoplanResult(first, last, placed: tuple[PlacedInfusion, ...],
                   unplaced: tuple[UnplacedInfusion, ...], not_due, courses)
        .summary() -> dict, .unplaced_lines() -> ["7 infusions could not be placed: ..."],
        .to_json() -> the ``autoplan --json`` shape
    PlacedInfusion(course, patient, infusion, start, end, chair, psychiatrist,
                   monitoring_clinician, monitoring_role, due, patient_name,
                   psychiatrist_name, monitoring_name)
    UnplacedInfusion(course, patient, infusion, due, reason, patient_name)
    CoursePlan(pattern, occurrences: tuple[PlannedOccurrence, ...], skipped: tuple[SkippedDate, ...])
    PlannedOccurrence(infusion, start, end, chair, psychiatrist, monitoring_clinician,
                      monitoring_role, problems: tuple[DateProblem(code, severity, message), ...])
    SlotSuggestions(course, proposals, alternatives, unplaced) of SlotProposal(infusion, start, end,
                    chair, psychiatrist, monitoring_clinician, monitoring_role)
    ReflowProposal(course, trigger, moves: tuple[ReflowMove(session|None, infusion, old_start,
                   new: SlotProposal), ...], problems)

"Remaining infusions" of a course = planned infusions minus its active sessions
(cancelled and no-show sessions do not use up an infusion).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    Chair,
    Course,
    InfusionSession,
    Patient,
    Protocol,
    StaffMember,
)
from planner.domain import INACTIVE_SESSION_STATUSES, PSYCHIATRIST
from planner.scheduling.autoplan import (
    AutoplanResult,
    PlacedInfusion,
    UnplacedInfusion,
    autoplan,
)
from planner.scheduling.patterns import plan_course
from planner.scheduling.reflow import reflow_course
from planner.scheduling.results import (
    CoursePlan,
    PlannedOccurrence,
    ReflowProposal,
    SlotSuggestions,
)
from planner.scheduling.slots import find_course_slots
from planner.services.base import (
    REF_PREFIX,
    Clock,
    NotFound,
    ServiceError,
    ValidationFailed,
    next_ref,
    record_audit,
    system_clock,
    unit_of_work,
)
from planner.services.planning_data import load_clinic_spec, new_course

__all__ = [
    "AutoplanResult",
    "CoursePlan",
    "CreatedCourse",
    "PlacedInfusion",
    "PlannedOccurrence",
    "ReflowProposal",
    "SlotSuggestions",
    "UnplacedInfusion",
    "apply_autoplan",
    "apply_reflow",
    "create_course_with_sessions",
    "find_slots",
    "preview_course_plan",
    "propose_autoplan",
    "propose_reflow",
]

#: How far around a planning window existing sessions are read (spacing, 7-day windows).
CONTEXT_DAYS = 21


@dataclass(frozen=True)
class CreatedCourse:
    course: str
    sessions: tuple[str, ...]
    plan: CoursePlan


# -- course plans ---------------------------------------------------------------------------
def _by_ref(session: Session, model: type, ref: str, what: str) -> object:
    found = session.scalars(select(model).where(model.ref == ref)).first()  # type: ignore[attr-defined]
    if found is None:
        raise NotFound(f'no {what} with ref "{ref}"')
    return found


def _plan(
    session: Session, patient: str, protocol: str, start: datetime, pattern: str, infusions: int | None
) -> tuple[Patient, Protocol, CoursePlan]:
    pat = _by_ref(session, Patient, patient, "patient")
    proto = _by_ref(session, Protocol, protocol, "protocol")
    assert isinstance(pat, Patient) and isinstance(proto, Protocol)
    count = infusions if infusions is not None else proto.infusions
    if count < 1:
        raise ValidationFailed("a course needs at least one infusion", {"infusions": "at least 1"})
    horizon = start.date() + timedelta(days=max(28, count * 7))
    clinic = load_clinic_spec(session, start.date(), horizon)
    progress = new_course(session, pat.id, proto.id, count)
    try:
        plan = plan_course(clinic, progress, start, pattern, count)
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"pattern": str(exc)}) from exc
    return pat, proto, plan


def preview_course_plan(
    db: Database,
    *,
    patient: str,
    protocol: str,
    start: datetime,
    pattern: str,
    infusions: int | None = None,
) -> CoursePlan:
    """The dates, places and problems of a course before it is saved (writes nothing)."""
    with unit_of_work(db) as session:
        return _plan(session, patient, protocol, start, pattern, infusions)[2]


def create_course_with_sessions(
    db: Database,
    *,
    patient: str,
    protocol: str,
    start: datetime,
    pattern: str,
    infusions: int | None = None,
    consent_date: date | None = None,
    allow_problems: bool = False,
) -> CreatedCourse:
    """Save a course and all its sessions in one transaction (the plan is recomputed inside it)."""
    with unit_of_work(db) as session:
        pat, proto, plan = _plan(session, patient, protocol, start, pattern, infusions)
        errors = [o for o in plan.occurrences if o.has_errors]
        if errors and not allow_problems:
            first = errors[0]
            problem = next(p for p in first.problems if p.severity == "error")
            raise ValidationFailed(
                f"{len(errors)} of {len(plan.occurrences)} dates have problems; first: "
                f"{first.start:%a %d %b %H:%M}: {problem.message}",
                {"dates": problem.message},
            )
        course = Course(
            ref=next_ref(session, Course, *REF_PREFIX["course"]),
            patient=pat,
            protocol=proto,
            planned_infusions=len(plan.occurrences) if infusions is None else infusions,
            consent_date=consent_date,
            status="active",
            pattern=plan.pattern,
        )
        session.add(course)
        session.flush()
        refs = _write_sessions(session, course, plan.occurrences)
        record_audit(
            session,
            action="create",
            entity="course",
            ref=course.ref,
            patient_ref=pat.ref,
            summary=f"course {course.ref} for {pat.name}: {len(refs)} sessions ({plan.pattern})",
            after={"course": course.ref, "sessions": list(refs), "pattern": plan.pattern},
        )
        return CreatedCourse(course.ref, refs, plan)


def _write_sessions(
    session: Session, course: Course, occurrences: tuple[PlannedOccurrence, ...] | list[PlannedOccurrence]
) -> tuple[str, ...]:
    chairs = {c.ref: c for c in session.scalars(select(Chair))}
    staff = {s.ref: s for s in session.scalars(select(StaffMember))}
    first_ref = next_ref(session, InfusionSession, *REF_PREFIX["session"])
    prefix, width = REF_PREFIX["session"]
    number = int(first_ref.rsplit("-", 1)[1])
    refs: list[str] = []
    for occ in occurrences:
        if occ.chair is None:
            raise ValidationFailed(
                f"no chair is free on {occ.start:%a %d %b %H:%M}; choose another time",
                {"chair": "no chair free"},
            )
        ref = f"{prefix}-{number:0{width}d}"
        number += 1
        row = InfusionSession(ref=ref, course=course, chair=chairs[occ.chair], start=occ.start)
        if occ.psychiatrist:
            row.assignments.append(Assignment(staff=staff[occ.psychiatrist], role=PSYCHIATRIST))
        if occ.monitoring_clinician and occ.monitoring_role:
            row.assignments.append(
                Assignment(staff=staff[occ.monitoring_clinician], role=occ.monitoring_role)
            )
        session.add(row)
        refs.append(ref)
    session.flush()
    return tuple(refs)


# -- slot finder and reflow -----------------------------------------------------------------
def find_slots(
    db: Database,
    course_ref: str,
    *,
    earliest: datetime | None = None,
    horizon_days: int = 28,
    alternatives_for: int | None = None,
    limit: int = 5,
    clock: Clock = system_clock,
) -> SlotSuggestions:
    """Where the remaining infusions of one course could go, earliest feasible first."""
    when = earliest or clock()
    with unit_of_work(db) as session:
        course = _by_ref(session, Course, course_ref, "course")
        assert isinstance(course, Course)
        clinic = load_clinic_spec(session, when.date(), when.date() + timedelta(days=horizon_days))
        progress = clinic.progress_of(course_ref)
        if progress is None:
            raise ServiceError(f"course {course_ref} is not active, so nothing is planned for it")
        return find_course_slots(
            clinic, progress, earliest=when, horizon_days=horizon_days,
            alternatives_for=alternatives_for, limit=limit,
        )


def propose_reflow(db: Database, session_ref: str) -> ReflowProposal:
    """Make up a cancelled / no-show infusion and keep the course's spacing (writes nothing)."""
    with unit_of_work(db) as session:
        return _reflow(session, session_ref)


def _reflow(session: Session, session_ref: str) -> ReflowProposal:
    row = session.scalars(
        select(InfusionSession)
        .where(InfusionSession.ref == session_ref)
        .options(selectinload(InfusionSession.course))
    ).first()
    if row is None:
        raise NotFound(f'no session with ref "{session_ref}"')
    if row.status not in INACTIVE_SESSION_STATUSES:
        raise ValidationFailed(
            f"session {session_ref} is {row.status}; reflow follows a cancelled or no-show session",
            {"status": row.status},
        )
    first = row.start.date()
    clinic = load_clinic_spec(session, first, first + timedelta(days=60))
    progress = clinic.progress_of(row.course.ref)
    if progress is None:
        raise ServiceError(f"course {row.course.ref} is not active; nothing to reflow")
    return reflow_course(clinic, progress, trigger=row.ref, after=row.start + timedelta(
        minutes=row.chair_minutes))


def apply_reflow(db: Database, proposal: ReflowProposal) -> tuple[str, ...]:
    """Write an accepted reflow in one transaction; refuses if the course changed meanwhile."""
    with unit_of_work(db) as session:
        fresh = _reflow(session, proposal.trigger)
        if fresh != proposal:
            raise ServiceError(
                "the schedule changed since this proposal was made; look at the new proposal"
            )
        course = _by_ref(session, Course, proposal.course, "course")
        assert isinstance(course, Course)
        changed: list[str] = []
        new_occ: list[PlannedOccurrence] = []
        for move in proposal.moves:
            occ = PlannedOccurrence(
                move.infusion, move.new.start, move.new.end, move.new.chair,
                move.new.psychiatrist, move.new.monitoring_clinician, move.new.monitoring_role,
            )
            if move.session is None:
                new_occ.append(occ)
                continue
            row = session.scalars(
                select(InfusionSession).where(InfusionSession.ref == move.session)
            ).one()
            before = {"start": row.start.isoformat(), "chair": row.chair.ref}
            row.start = occ.start
            row.chair = session.scalars(select(Chair).where(Chair.ref == occ.chair)).one()
            staff = {s.ref: s for s in session.scalars(select(StaffMember))}
            wanted = {(move.new.psychiatrist, PSYCHIATRIST),
                      (move.new.monitoring_clinician, move.new.monitoring_role)}
            # Keep matching rows (the unique constraint never sees a delete-after-insert).
            kept = [a for a in row.assignments if (a.staff.ref, a.role) in wanted]
            have = {(a.staff.ref, a.role) for a in kept}
            row.assignments = kept + [
                Assignment(staff=staff[ref], role=role) for ref, role in sorted(wanted - have)
            ]
            session.flush()
            record_audit(
                session, action="reflow", entity="session", ref=row.ref,
                patient_ref=course.patient.ref,
                summary=f"moved {row.ref} to {occ.start:%Y-%m-%d %H:%M} after {proposal.trigger}",
                before=before, after={"start": occ.start.isoformat(), "chair": occ.chair},
            )
            changed.append(row.ref)
        refs = _write_sessions(session, course, new_occ) if new_occ else ()
        for ref in refs:
            record_audit(
                session, action="reflow", entity="session", ref=ref, patient_ref=course.patient.ref,
                summary=f"make-up infusion {ref} after {proposal.trigger}",
            )
        _verify_no_errors(session, [*changed, *refs])
        return (*changed, *refs)


# -- auto-planner ---------------------------------------------------------------------------
def propose_autoplan(
    db: Database, start: date, end: date, *, progress: Callable[[int, int], None] | None = None,
    not_before: datetime | None = None,
) -> AutoplanResult:
    """The auto-planner's proposal for ``start``..``end`` (inclusive); writes nothing.

    ``progress(done, total)`` is called as the search goes on; raising
    ``planner.scheduling.PlanningCancelled`` from it stops the search (nothing to undo:
    the database was only read). ``not_before`` is now: nothing is proposed before it
    (a period that began earlier this week plans only what is still ahead).
    """
    if end < start:
        raise ValidationFailed("the period ends before it starts", {"end": "before start"})
    with unit_of_work(db) as session:
        clinic = load_clinic_spec(session, start - timedelta(days=CONTEXT_DAYS),
                                  end + timedelta(days=CONTEXT_DAYS))
    if not_before is not None:
        clinic = replace(
            clinic, courses=tuple(replace(c, earliest=not_before) for c in clinic.courses)
        )
    return autoplan(clinic, start, end, progress=progress)


def apply_autoplan(db: Database, result: AutoplanResult) -> tuple[str, ...]:
    """Write every placed infusion in ONE transaction, or nothing if anything no longer fits."""
    if not result.placed:
        return ()
    with unit_of_work(db) as session:
        clinic = load_clinic_spec(session, result.first - timedelta(days=CONTEXT_DAYS),
                                  result.last + timedelta(days=CONTEXT_DAYS))
        from planner.scheduling.autoplan import verify_placements

        problems = verify_placements(clinic, result)
        if problems:
            raise ServiceError(
                "the schedule changed since the proposal was made, so nothing was saved "
                f"({problems[0]}); run the auto-planner again"
            )
        courses = {
            c.ref: c for c in session.scalars(
                select(Course).where(Course.ref.in_({p.course for p in result.placed}))
            )
        }
        refs: list[str] = []
        by_course: dict[str, list[PlacedInfusion]] = {}
        for p in result.placed:
            by_course.setdefault(p.course, []).append(p)
        for course_ref in sorted(by_course):
            course = courses[course_ref]
            occs = [
                PlannedOccurrence(p.infusion, p.start, p.end, p.chair, p.psychiatrist,
                                  p.monitoring_clinician, p.monitoring_role)
                for p in by_course[course_ref]
            ]
            new = _write_sessions(session, course, occs)
            for ref, p in zip(new, by_course[course_ref], strict=True):
                record_audit(
                    session, action="autoplan", entity="session", ref=ref,
                    patient_ref=course.patient.ref,
                    summary=f"auto-planned {ref}: {course.ref} infusion {p.infusion} "
                    f"{p.start:%Y-%m-%d %H:%M} {p.chair}",
                    after={"start": p.start.isoformat(), "chair": p.chair,
                           "psychiatrist": p.psychiatrist,
                           "monitoring_clinician": p.monitoring_clinician},
                )
            refs.extend(new)
        _verify_no_errors(session, refs)
        return tuple(refs)


def _verify_no_errors(session: Session, refs: list[str] | tuple[str, ...]) -> None:
    """Last line of defence: the rules engine must find no error on what is being written."""
    if not refs:
        return
    from planner.services.checking import check_sessions

    errors = [v for v in check_sessions(session, list(refs)) if v.severity == "error"]
    if errors:
        raise ServiceError(
            f"nothing was saved: {errors[0].session} would have an error: {errors[0].message}"
        )
