"""Course views: a course's sessions with "n of N", status and consent; consent and status changes.

The numbering follows the week planner: cancelled and no-show sessions take no number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.db.engine import Database
from planner.db.models import Assignment, Course, InfusionSession, Patient
from planner.domain import COURSE_STATUSES, INACTIVE_SESSION_STATUSES, ROLE_LABELS
from planner.services.base import (
    ConcurrentEdit,
    NotFound,
    ValidationFailed,
    record_audit,
    unit_of_work,
)


@dataclass(frozen=True)
class CourseSessionRow:
    ref: str
    start: datetime
    end: datetime
    chair_name: str
    status: str
    number: int  # n of N; 0 for cancelled / no-show
    staff: tuple[str, ...]  # "Name (Role)"


@dataclass(frozen=True)
class CourseView:
    ref: str
    version: int
    patient_ref: str
    patient_name: str
    protocol_ref: str
    protocol_name: str
    planned_infusions: int
    consent_date: date | None
    status: str
    pattern: str
    sessions: tuple[CourseSessionRow, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.sessions if s.status == "done")

    @property
    def scheduled(self) -> int:
        """Sessions that count towards the course (not cancelled / no-show)."""
        return sum(1 for s in self.sessions if s.number)

    def next_session(self, now: datetime) -> CourseSessionRow | None:
        return next((s for s in self.sessions if s.number and s.start >= now), None)


def _options() -> list[object]:
    return [
        selectinload(Course.patient),
        selectinload(Course.protocol),
        selectinload(Course.sessions).selectinload(InfusionSession.chair),
        selectinload(Course.sessions)
        .selectinload(InfusionSession.assignments)
        .selectinload(Assignment.staff),
    ]


def _view(course: Course) -> CourseView:
    rows = []
    n = 0
    for s in course.sessions:
        number = 0
        if s.status not in INACTIVE_SESSION_STATUSES:
            n += 1
            number = n
        rows.append(
            CourseSessionRow(
                ref=s.ref,
                start=s.start,
                end=s.end,
                chair_name=s.chair.name,
                status=s.status,
                number=number,
                staff=tuple(
                    f"{a.staff.name} ({ROLE_LABELS.get(a.role, a.role)})" for a in s.assignments
                ),
            )
        )
    return CourseView(
        ref=course.ref,
        version=course.version,
        patient_ref=course.patient.ref,
        patient_name=course.patient.name,
        protocol_ref=course.protocol.ref,
        protocol_name=course.protocol.name,
        planned_infusions=course.planned_infusions,
        consent_date=course.consent_date,
        status=course.status,
        pattern=course.pattern,
        sessions=tuple(rows),
    )


def list_courses(
    db: Database,
    *,
    patient_ref: str = "",
    statuses: tuple[str, ...] = (),
    include_archived_patients: bool = False,
) -> list[CourseView]:
    """Courses (newest first per patient name), optionally of one patient or some statuses."""
    with db.begin() as session:
        query = select(Course).join(Course.patient).options(*_options())  # type: ignore[arg-type]
        if patient_ref:
            query = query.where(Patient.ref == patient_ref)
        elif not include_archived_patients:
            query = query.where(Patient.archived.is_(False))
        if statuses:
            query = query.where(Course.status.in_(statuses))
        query = query.order_by(Patient.name, Course.id.desc())
        return [_view(c) for c in session.scalars(query).unique()]


def get_course(db: Database, ref: str) -> CourseView:
    with db.begin() as session:
        return _view(_load(session, ref))


def _load(session: Session, ref: str) -> Course:
    course = session.scalars(
        select(Course).where(Course.ref == ref).options(*_options())  # type: ignore[arg-type]
    ).first()
    if course is None:
        raise NotFound(f"no course with ref {ref!r}")
    return course


def _locked(session: Session, ref: str, expected_version: int | None) -> Course:
    course = _load(session, ref)
    if expected_version is not None and course.version != expected_version:
        raise ConcurrentEdit(
            f"Course {ref} was changed on another workstation since you opened it — "
            "reload to see the current version; nothing was saved."
        )
    return course


def set_consent_date(
    db: Database,
    ref: str,
    consent_date: date | None,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> None:
    """Record (or clear) the date the patient signed the consent for this series."""
    today = today or date.today()
    if consent_date is not None and consent_date > today:
        raise ValidationFailed(
            "The consent date cannot be in the future.",
            {"consent_date": "the consent date is in the future"},
        )
    with unit_of_work(db) as session:
        course = _locked(session, ref, expected_version)
        before = course.consent_date.isoformat() if course.consent_date else None
        course.consent_date = consent_date
        session.flush()
        record_audit(
            session,
            action="consent",
            entity="course",
            ref=ref,
            patient_ref=course.patient.ref,
            summary=f"{ref}: consent "
            + (f"signed {consent_date:%Y-%m-%d}" if consent_date else "date cleared"),
            before={"consent_date": before},
            after={"consent_date": consent_date.isoformat() if consent_date else None},
        )


def set_course_status(
    db: Database, ref: str, status: str, *, expected_version: int | None = None
) -> None:
    """Put a course on hold, complete or cancel it (or make it active again)."""
    if status not in COURSE_STATUSES:
        raise ValidationFailed(
            f"Unknown course status {status!r} (use {', '.join(COURSE_STATUSES)}).",
            {"status": f"unknown status {status!r}"},
        )
    with unit_of_work(db) as session:
        course = _locked(session, ref, expected_version)
        if course.status == status:
            return
        before = course.status
        course.status = status
        session.flush()
        record_audit(
            session,
            action="status",
            entity="course",
            ref=ref,
            patient_ref=course.patient.ref,
            summary=f"{ref} {before} → {status}",
            before={"status": before},
            after={"status": status},
        )
