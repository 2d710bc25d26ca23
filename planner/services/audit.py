"""The audit trail, read back: who changed what and when, filterable by patient or record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from planner.db.engine import Database
from planner.db.models import AuditEvent


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
        if text.strip():
            like = f"%{text.strip().lower()}%"
            query = query.where(
                or_(
                    func.lower(AuditEvent.summary).like(like),
                    func.lower(AuditEvent.user).like(like),
                    func.lower(AuditEvent.ref).like(like),
                    func.lower(AuditEvent.patient_ref).like(like),
                )
            )
        if since is not None:
            query = query.where(AuditEvent.at >= datetime.combine(since, time()))
        if until is not None:
            query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time()))
        query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
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
            for e in session.scalars(query)
        ]


@dataclass(frozen=True)
class ChainCheck:
    """The audit trail's hash chain, verified: how many events, and the first broken link."""

    events: int
    broken_at: int | None = None  # id of the first event that does not verify
    problem: str = ""

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


def verify_audit_chain(db: Database) -> ChainCheck:
    """Recompute every event's hash in order; name the first event whose link is broken.

    An edited event no longer matches its own hash; a removed or reordered one
    leaves the next event pointing at a hash that is not the one before it.
    Events removed from the very end leave no gap (compare with a backup).
    """

    table = AuditEvent.__table__
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")  # one snapshot for the whole walk
        else:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        rows = connection.execution_options(yield_per=2000).execute(
            select(table).order_by(table.c.id)
        )
        try:
            return _walk(rows)
        finally:
            rows.close()


def _walk(rows: Any) -> ChainCheck:
    from planner.db.audit_chain import GENESIS, event_hash

    prev, prev_label, seen = GENESIS, "the start of the trail", 0
    for row in rows:
        seen += 1
        label = _label(row)
        if not row.event_hash:
            return ChainCheck(
                seen, row.id, f"{label} has no hash: it was written outside the app"
            )
        if row.prev_hash != prev:
            return ChainCheck(
                seen,
                row.id,
                f"{label} does not follow {prev_label}: an event between them was "
                "removed or changed, or the order was changed",
            )
        if event_hash(prev, row._mapping) != row.event_hash:
            return ChainCheck(
                seen,
                row.id,
                f"{label} was changed after it was recorded: its content no longer "
                "matches its hash",
            )
        prev, prev_label = row.event_hash, label
    return ChainCheck(seen)
