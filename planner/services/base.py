"""The unit of work every service call runs in, the audit trail, and refs.

One user action = one transaction: ``unit_of_work(db)`` commits all of it or
nothing, and turns database-level failures into ``ServiceError``s whose text
a clinic manager can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planner.db.engine import Database
from planner.db.models import AuditEvent, Base
from planner.settings import current_user

Clock = Callable[[], datetime]


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
    """Someone else saved the same record first; the user must reload."""


@contextmanager
def unit_of_work(db: Database) -> Iterator[Session]:
    """A transaction for one user action, with failures translated for the user."""
    try:
        with db.begin() as session:
            yield session
    except StaleDataError as exc:
        raise ConcurrentEdit(
            "This record was changed on another workstation since you opened it — "
            "reload to see the current version; nothing was saved."
        ) from exc
    except IntegrityError as exc:
        raise ServiceError(f"the change conflicts with existing data: {_short(exc)}") from exc
    except OperationalError as exc:
        raise ServiceError(f"the database could not complete the change: {_short(exc)}") from exc


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
    """Append one audit event to the current transaction."""
    event = AuditEvent(
        at=at or system_clock(),
        user=user or current_user(),
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


def next_ref(session: Session, model: type[Base], prefix: str, width: int = 4) -> str:
    """The next free ``PREFIX-NNNN`` ref for ``model`` (numbers after the highest in use)."""
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
    "course": ("C", 4),
    "session": ("X", 5),
}
