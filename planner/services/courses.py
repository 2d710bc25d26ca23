"""Course views: a course's sessions with "n of N", status and consent; consent and status changes.

The numbering follows the week planner: cancelled and no-show sessions take no number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import Course
from planner.domain import COURSE_STATUSES, ROLE_LABELS
from planner.domain.records import Course as CourseRecord
from planner.domain.records import Session as SessionRecord
from planner.services.base import NotFound, ValidationFailed, record_audit, unit_of_work
from planner.services.editing import row_for_edit


@dataclass(frozen=True)
class CourseSessionRow:
    """One session of a course, with its place in the series (0 for cancelled / no-show)."""

    session: SessionRecord
    number: int

    def staff_labels(self) -> tuple[str, ...]:
        """"Name (Role)" of each assignment."""
        return tuple(
            f"{a.staff.name} ({ROLE_LABELS.get(a.role, a.role)})" for a in self.session.assignments
        )


@dataclass(frozen=True)
class CourseView:
    """A course, its version, and its sessions in order (numbered "n of N")."""

    course: CourseRecord
    version: int
    sessions: tuple[CourseSessionRow, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.sessions if s.session.status == "done")

    @property
    def scheduled(self) -> int:
        """Sessions that count towards the course (not cancelled / no-show)."""
        return sum(1 for s in self.sessions if s.number)

    def next_session(self, now: datetime) -> CourseSessionRow | None:
        return next((s for s in self.sessions if s.number and s.session.start >= now), None)


def _views(session: Session, where: ColumnElement[bool]) -> list[CourseView]:
    """Courses matching ``where`` (a condition on the course table), by patient name, newest first."""
    courses = mapping.read_courses(session, where)
    if not courses:
        return []
    versions = mapping.read_versions(session, t.course, courses)
    read = mapping.read_sessions(session, t.infusion_session.c.course_id.in_(list(courses)))
    numbers = mapping.number_sessions(read.sessions.values())
    by_course: dict[str, list[CourseSessionRow]] = {}
    for record in read.in_order():
        by_course.setdefault(record.course.ref, []).append(
            CourseSessionRow(record, numbers[record.ref])
        )
    views = [
        CourseView(course, versions[i], tuple(by_course.get(course.ref, ())))
        for i, course in sorted(courses.items(), key=lambda item: -item[0])
    ]
    views.sort(key=lambda v: v.course.patient.name)
    return views


def list_courses(
    db: Database,
    *,
    patient_ref: str = "",
    statuses: tuple[str, ...] = (),
    include_archived_patients: bool = False,
) -> list[CourseView]:
    """Courses (newest first per patient name), optionally of one patient or some statuses."""
    p, c = t.patient.c, t.course.c
    patients = select(p.id)
    if patient_ref:
        patients = patients.where(p.ref == patient_ref)
    elif not include_archived_patients:
        patients = patients.where(p.archived.is_(False))
    where: ColumnElement[bool] = c.patient_id.in_(patients)
    if statuses:
        where = where & c.status.in_(statuses)
    with db.begin() as session:
        return _views(session, where)


def get_course(db: Database, ref: str) -> CourseView:
    with db.begin() as session:
        views = _views(session, t.course.c.ref == ref)
        if not views:
            raise NotFound(f"no course with ref {ref!r}")
        return views[0]


def _locked(session: Session, ref: str, expected_version: int | None) -> Course:
    return row_for_edit(session, Course, ref, expected_version, "course")


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
