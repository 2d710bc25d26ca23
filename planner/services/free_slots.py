"""The free starts nearest a wished time: a chair, a psychiatrist and a monitoring clinician
all free for the whole chair time, inside opening hours, fine for the patient.

When the time someone picked is taken, a dialog offers these instead of only saying
"no chair is free then". One read-only transaction; built on the course slot finder
(``planner.scheduling.slots``), so a proposal here is one the planner would also make.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from planner.db.engine import Database
from planner.db.models import Patient, Protocol
from planner.scheduling.grid import iter_bits
from planner.scheduling.model import CourseProgress
from planner.scheduling.results import SlotProposal
from planner.scheduling.slots import CourseSlots
from planner.services.base import NotFound, unit_of_work
from planner.services.planning_data import load_clinic_spec, new_course, stored_course

#: Starts are offered on this grid (minutes), like the planner's own proposals.
STEP = 15


def nearest_free_starts(
    db: Database,
    around: datetime,
    *,
    course: str | None = None,
    patient: str | None = None,
    protocol: str | None = None,
    days: int = 1,
    limit: int = 4,
    not_before: datetime | None = None,
) -> list[SlotProposal]:
    """Free starts closest to ``around`` (same day first, then up to ``days`` - 1 days after).

    For a session of ``course``, or for the first infusion of a new course of ``patient``
    with ``protocol``. Nothing earlier than ``not_before`` is offered (e.g. now).
    """
    first = around.date()
    last = first + timedelta(days=max(1, days) - 1)
    with unit_of_work(db) as session:
        clinic = load_clinic_spec(session, first, last)
        progress: CourseProgress | None
        if course is not None:
            progress = clinic.progress_of(course)
            if progress is None:  # not active (or nothing left to plan): read it as it is
                progress = stored_course(session, course)
                if progress is None:
                    raise NotFound(f'no course with ref "{course}"')
        else:
            pat = session.scalars(select(Patient).where(Patient.ref == patient)).first()
            proto = session.scalars(select(Protocol).where(Protocol.ref == protocol)).first()
            if pat is None or proto is None:
                raise NotFound("no such patient or protocol")
            progress = new_course(session, pat.id, proto.id, proto.infusions)
        finder = CourseSlots(clinic, progress, first, last, STEP)
        earliest = max(datetime.combine(first, time(0)), not_before or datetime.min)
        found: dict[datetime, SlotProposal] = {}
        for slot in iter_bits(finder.options(earliest)):
            proposal = finder.proposal_at(slot, 1)
            if proposal is not None:
                found.setdefault(proposal.start, proposal)
    ranked = sorted(found.values(), key=lambda p: (abs((p.start - around).total_seconds()), p.start))
    return ranked[:limit]
