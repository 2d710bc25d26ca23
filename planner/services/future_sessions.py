"""Sessions still to come that depend on a staff member or a chair (asked before deactivating).

Deactivating someone who is still booked keeps those sessions as they are — the
rules then report them (``staff-inactive``, ``chair-inactive``) until someone
else is assigned — so the app lists them first and asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db.models import Assignment, Chair, Course, InfusionSession, Patient, StaffMember
from planner.domain import INACTIVE_SESSION_STATUSES


@dataclass(frozen=True)
class FutureSession:
    ref: str
    start: datetime
    patient: str  # the patient's name
    chair: str  # the chair's name

    def line(self) -> str:
        return f"{self.ref} {self.start:%a %Y-%m-%d %H:%M} · {self.patient} · {self.chair}"


def future_sessions(
    session: Session, *, staff_ref: str | None = None, chair_ref: str | None = None,
    now: datetime | None = None,
) -> list[FutureSession]:
    """Planned or confirmed sessions from ``now`` on with that staff member or on that chair."""
    moment = now or datetime.now()
    query = (
        select(InfusionSession.ref, InfusionSession.start, Patient.name, Chair.name)
        .join(Course, Course.id == InfusionSession.course_id)
        .join(Patient, Patient.id == Course.patient_id)
        .join(Chair, Chair.id == InfusionSession.chair_id)
        .where(
            InfusionSession.start >= moment,
            InfusionSession.status.not_in(sorted({*INACTIVE_SESSION_STATUSES, "done"})),
        )
        .order_by(InfusionSession.start, InfusionSession.ref)
    )
    if staff_ref is not None:
        query = query.where(
            InfusionSession.id.in_(
                select(Assignment.session_id)
                .join(StaffMember, StaffMember.id == Assignment.staff_id)
                .where(StaffMember.ref == staff_ref)
            )
        )
    if chair_ref is not None:
        query = query.where(Chair.ref == chair_ref)
    return [FutureSession(*row) for row in session.execute(query).all()]
