"""The audit trail, read back: who changed what and when, filterable by patient or record."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from planner.db.engine import Database
from planner.db.models import AuditEvent
from planner.text_search import matches


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    action: str
    entity: str
    ref: str
    patient_ref: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def list_audit(
    db: Database,
    *,
    patient_ref: str = "",
    ref: str = "",
    text: str = "",
    since: date | None = None,
    until: date | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Newest first. ``patient_ref`` matches events about that patient (their sessions and
    courses included); ``ref`` matches the changed record (a session, course, staff member...);
    ``text`` searches the summary, user and refs."""
    with db.begin() as session:
        query = select(AuditEvent)
        if patient_ref.strip():
            query = query.where(func.lower(AuditEvent.patient_ref) == patient_ref.strip().lower())
        if ref.strip():
            query = query.where(func.lower(AuditEvent.ref) == ref.strip().lower())
        if since is not None:
            query = query.where(AuditEvent.at >= datetime.combine(since, time()))
        if until is not None:
            query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time()))
        query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        events: Iterator[AuditEvent]
        if text.strip():  # words without accents or case (``planner.text_search``), in Python:
            # SQL's lower() knows ASCII only, so "nunez" would miss "Nuñez".
            events = itertools.islice(
                (
                    e
                    for e in session.scalars(query.execution_options(yield_per=500))
                    if matches(text, e.summary, e.user, e.ref, e.patient_ref)
                ),
                limit,
            )
        else:
            events = iter(session.scalars(query.limit(limit)))
        return [
            AuditRow(
                id=e.id,
                at=e.at,
                user=e.user,
                action=e.action,
                entity=e.entity,
                ref=e.ref,
                patient_ref=e.patient_ref,
                summary=e.summary,
                before=e.before,
                after=e.after,
            )
            for e in events
        ]
