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


@dataclass(frozen=True)
class ChainCheck:
    """The audit trail's hash chain, verified: how many events, and the first broken link.

    ``last_id``/``last_hash``: the newest event verified, where a later check can go on.
    """

    events: int
    broken_at: int | None = None  # id of the first event that does not verify
    problem: str = ""
    last_id: int = 0
    last_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def sentence(self) -> str:
        if self.ok:
            return (
                f"The audit trail is intact: {self.events} event(s), each linked to the one "
                "before it."
            )
        return f"The audit trail has been altered: {self.problem}"


def _label(row: Any) -> str:
    what = f"{row.action} {row.entity}" + (f" {row.ref}" if row.ref else "")
    return f"event #{row.id} ({row.at:%Y-%m-%d %H:%M}, {row.user}: {what})"


def verify_audit_chain(db: Database, *, since: ChainCheck | None = None) -> ChainCheck:
    """Recompute every event's hash in order; name the first event whose link is broken.

    An edited event no longer matches its own hash; a removed or reordered one
    leaves the next event pointing at a hash that is not the one before it.
    Events removed from the very end leave no gap (compare with a backup).
    ``since``: an earlier intact result — only newer events are read (and the last
    one it saw must still be there, unchanged); a full check reads them all.
    """
    from planner.db.audit_chain import GENESIS

    table = AuditEvent.__table__
    start = since if since is not None and since.ok and since.last_id else None
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")  # one snapshot for the whole walk
        else:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        prev, prev_label, seen, last_id = GENESIS, "the start of the trail", 0, 0
        if start is not None:
            still = connection.execute(
                select(table.c.event_hash).where(table.c.id == start.last_id)
            ).scalar()
            if still != start.last_hash:
                return ChainCheck(
                    start.events,
                    start.last_id,
                    f"event #{start.last_id} was changed or removed since the last check",
                )
            prev, prev_label = start.last_hash, f"event #{start.last_id}"
            seen, last_id = start.events, start.last_id
        rows = connection.execution_options(yield_per=2000).execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id)
        )
        try:
            return _walk(rows, prev, prev_label, seen, last_id)
        finally:
            rows.close()


def _walk(rows: Any, prev: str, prev_label: str, seen: int, last_id: int) -> ChainCheck:
    from planner.db.audit_chain import stored_hash

    previous: Any = None
    for row in rows:
        seen += 1
        if previous is not None:  # named only when a link is broken (cheap walk)
            prev_label = ""
        if not row.event_hash:
            return ChainCheck(
                seen, row.id, f"{_label(row)} has no hash: it was written outside the app"
            )
        if row.prev_hash != prev:
            return ChainCheck(
                seen,
                row.id,
                f"{_label(row)} does not follow {prev_label or _label(previous)}: an event "
                "between them was removed or changed, or the order was changed",
            )
        if stored_hash(prev, row) != row.event_hash:
            return ChainCheck(
                seen,
                row.id,
                f"{_label(row)} was changed after it was recorded: its content no longer "
                "matches its hash",
            )
        prev, last_id, previous = row.event_hash, row.id, row
    return ChainCheck(seen, last_id=last_id, last_hash=prev)
