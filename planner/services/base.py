"""The unit of work every service call runs in, the audit trail, and refs.

One user action = one transaction: ``unit_of_work(db)`` commits all of it or
nothing, and turns database-level failures into ``ServiceError``s whose text
a clinic manager can act on.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planner.db.audit_chain import FIELDS as AUDIT_FIELDS
from planner.db.audit_chain import event_hash, lock_head
from planner.db.engine import Database
from planner.db.models import AuditEvent, Base
from planner.settings import current_user

Clock = Callable[[], datetime]
T = TypeVar("T")


def system_clock() -> datetime:
    return datetime.now().replace(microsecond=0)


class ServiceError(Exception):
    """A failure the user can understand and act on (shown as-is, never a traceback)."""


class NotFound(ServiceError):
    pass


class ValidationFailed(ServiceError):
    """Input that cannot be saved; ``fields`` maps a field name to what is wrong with it."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class ConcurrentEdit(ServiceError):
    """Someone else saved the same record first; the user must reload.

    ``unit_of_work`` names who and when from the audit trail: "changed by
    <user> at <time> — reload" (``changed_by``/``changed_at`` for the GUI).
    """

    def __init__(
        self,
        message: str = "This record was changed on another workstation since you opened it — "
        "reload to see the current version; nothing was saved.",
        *,
        ref: str | None = None,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.ref = ref
        self.changed_by = changed_by
        self.changed_at = changed_at


_REF_IN_TEXT = re.compile(r"\b[A-Z][A-Z0-9]*-\d+\b")


def _watch_writes(session: Session, touched: list[str]) -> None:
    """Note the refs of versioned records each flush of ``session`` is about to write."""

    def before_flush(flushing: Session, _context: Any, _instances: Any) -> None:
        for obj in [*flushing.dirty, *flushing.deleted]:
            ref = getattr(obj, "ref", None)
            if isinstance(ref, str) and ref and hasattr(obj, "version"):
                touched.append(ref)

    event.listen(session, "before_flush", before_flush)


def _suspect_refs(exc: BaseException, touched: list[str]) -> list[str]:
    """Refs of the records a stale save may be about: named ones, then the ones written."""
    refs: list[str] = []
    if isinstance(exc, ConcurrentEdit) and exc.ref:
        refs.append(exc.ref)
    refs.extend(_REF_IN_TEXT.findall(str(exc)))
    refs.extend(reversed(touched))
    return list(dict.fromkeys(refs))


def _who_changed(db: Database, refs: list[str]) -> AuditEvent | None:
    """The newest audit event about any of ``refs`` (who saved last, and when)."""
    if not refs:
        return None
    try:
        with db.begin() as session:
            return session.scalars(
                select(AuditEvent)
                .where(AuditEvent.ref.in_(refs))
                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .limit(1)
            ).first()
    except Exception:  # the message is a courtesy; never fail because of it
        return None


def _concurrent_edit(db: Database, refs: list[str], fallback: ConcurrentEdit) -> ConcurrentEdit:
    event = _who_changed(db, refs)
    if event is None:
        return fallback
    what = {
        "session": "Session",
        "patient": "Patient",
        "course": "Course",
        "staff": "Staff member",
        "chair": "Chair",
    }.get(event.entity, "This record")
    return ConcurrentEdit(
        f"{what} {event.ref} was changed by {event.user} at {event.at:%Y-%m-%d %H:%M} — "
        "reload to see the current version; nothing of yours was saved.",
        ref=event.ref,
        changed_by=event.user,
        changed_at=event.at,
    )


@contextmanager
def unit_of_work(db: Database) -> Iterator[Session]:
    """A transaction for one user action, with failures translated for the user."""
    suspects: list[str] = []
    touched: list[str] = []
    try:
        with db.begin() as session:
            _watch_writes(session, touched)
            try:
                yield session
                session.flush()
            except (StaleDataError, ConcurrentEdit) as exc:
                suspects.extend(_suspect_refs(exc, touched))
                raise
    except StaleDataError as exc:
        raise _concurrent_edit(db, suspects, ConcurrentEdit()) from exc
    except ConcurrentEdit as exc:
        if exc.changed_by is not None:
            raise
        enriched = _concurrent_edit(db, suspects, exc)
        if enriched is exc:
            raise
        raise enriched from exc
    except IntegrityError as exc:
        raise ServiceError(f"the change conflicts with existing data: {_short(exc)}") from exc
    except DataError as exc:
        if "NUL" in _short(exc) or "0x00" in _short(exc):
            raise ServiceError(
                "a text contains a NUL character (\\0), which cannot be stored; remove it"
            ) from exc
        raise ServiceError(f"a value cannot be stored: {_short(exc)}") from exc
    except OperationalError as exc:
        if _busy(exc):
            raise ServiceError(
                "another program is writing to the database and did not finish in time; "
                "nothing was changed — try again in a moment"
            ) from exc
        raise ServiceError(f"the database could not complete the change: {_short(exc)}") from exc


def _busy(exc: Exception) -> bool:
    text_ = _short(exc).lower()
    return "database is locked" in text_ or "lock timeout" in text_


#: How long a whole-database change waits for other writers on PostgreSQL.
LOCK_TIMEOUT = "30s"


def lock_for_replace(session: Session, tables: Sequence[str]) -> None:
    """Make this transaction the database's only writer, before it reads anything.

    What it then reads (is the database empty?) stays true until it commits: no
    other writer can slip in between. SQLite: ``BEGIN IMMEDIATE`` (the write lock,
    waiting for a running writer up to the busy timeout). PostgreSQL: the ``tables``
    locked against every other writer (readers go on), waiting at most ``LOCK_TIMEOUT``.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw: Any = connection.connection.driver_connection
        if raw.in_transaction:  # pragma: no cover - a writer already holds the lock
            connection.exec_driver_sql("UPDATE app_setting SET key = key WHERE 0")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        names = ", ".join(f'"{table}"' for table in tables)
        connection.exec_driver_sql(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def read_snapshot(session: Session) -> None:
    """Make every read of this transaction see one committed state (a consistent dump).

    SQLite's driver runs each SELECT in its own implicit transaction unless one is
    open: ``BEGIN`` holds one snapshot. PostgreSQL: REPEATABLE READ.
    """
    if session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        raw: Any = connection.connection.driver_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN")
    else:
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _short(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0]


def record_audit(
    session: Session,
    *,
    action: str,
    entity: str,
    ref: str = "",
    patient_ref: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    user: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit event to the current transaction.

    The change is first checked against the signed-in account's role
    (``planner.services.permissions``); the event names that account as ``user``
    and the computer's login as ``os_user``.
    """
    from planner.services.permissions import authorize

    account = authorize(session, entity=entity, action=action, ref=ref)
    event = AuditEvent(
        at=at or system_clock(),
        user=account or user or current_user(),
        os_user=current_user(),
        action=action,
        entity=entity,
        ref=ref,
        patient_ref=patient_ref,
        summary=summary[:400],
        before=before,
        after=after,
    )
    session.add(event)
    return event


def _serialise_ref_allocation(session: Session, model: type[Base]) -> None:
    """Make two workstations creating the same kind of record take turns (until commit).

    PostgreSQL: a transaction-level advisory lock per table. SQLite: the write lock,
    taken by a write that changes nothing. Without it both would pick the same ref.
    """
    table = model.__table__.name  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(table.encode())}
        )
    elif dialect == "sqlite":
        session.execute(text(f'UPDATE "{table}" SET id = id WHERE 0'))


def next_ref(session: Session, model: type[Base], prefix: str, width: int = 4) -> str:
    """The next free ``PREFIX-NNNN`` ref for ``model`` (numbers after the highest in use)."""
    _serialise_ref_allocation(session, model)
    refs = session.scalars(
        select(model.ref).where(model.ref.like(f"{prefix}-%"))  # type: ignore[attr-defined]
    ).all()
    highest = 0
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    for ref in refs:
        match = pattern.match(ref)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}-{highest + 1:0{width}d}"


def count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


#: Ref prefixes used when the app creates an entity.
REF_PREFIX = {
    "patient": ("P", 4),
    "staff": ("S", 3),
    "chair": ("CH", 2),
    "protocol": ("PR", 2),
    "consent_template": ("CT", 2),
    "course": ("C", 4),
    "session": ("X", 5),
}


def ref_clash(exc: BaseException) -> bool:
    """True when a save failed only because another workstation took the same new ref."""
    cause = exc.__cause__ if isinstance(exc, ServiceError) else exc
    if not isinstance(cause, IntegrityError):
        return False
    text = str(getattr(cause, "orig", cause))
    return bool(re.search(r"\.ref\b|_ref_key\b|\(ref\)", text))


def retry_on_ref_clash(action: Callable[[], T], attempts: int = 8) -> T:
    """Run ``action`` (one unit of work that allocates a ref) again if its new ref was taken.

    Two workstations creating records at the same moment compute the same next
    ref; the unique constraint refuses the second, which then simply tries again.
    """
    for attempt in range(attempts):
        try:
            return action()
        except ServiceError as exc:
            if attempt + 1 < attempts and ref_clash(exc):
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


class AuditTrailIsAppendOnly(ServiceError):
    """Something tried to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _audit_events_are_never_changed(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTrailIsAppendOnly("the audit trail cannot be changed or deleted")


@event.listens_for(Session, "before_flush")
def _chain_new_audit_events(session: Session, _context: Any, _instances: Any) -> None:
    """Link every new audit event to the one before it (under the trail's append lock)."""
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if not new:
        return
    new.sort(key=lambda obj: inspect(obj).insert_order or 0)
    # The append lock lasts until the transaction ends: later flushes of the same
    # transaction go on from the hash it left (no savepoints are used here).
    transaction = session.get_transaction()
    cached = session.info.get("audit_head")
    if cached is not None and cached[0] is transaction and not transaction.nested:
        prev = cached[1]
    else:
        prev = lock_head(session.connection())
    for obj in new:
        obj.prev_hash = prev
        obj.event_hash = prev = event_hash(prev, {f: getattr(obj, f) for f in AUDIT_FIELDS})
    session.info["audit_head"] = (transaction, prev)


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_audit_changes(state: Any) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", "") == AuditEvent.__table__.name:
            raise AuditTrailIsAppendOnly("the audit trail cannot be changed or deleted")
