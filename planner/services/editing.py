"""What every service that adds or edits a record does, written once.

Find the row being edited and refuse a save against an older version; give a
new row the next free ref; refuse a record with problems, naming each field.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db.models import Base
from planner.services.base import REF_PREFIX, ConcurrentEdit, NotFound, ValidationFailed, next_ref

M = TypeVar("M", bound=Base)


def row_by_ref(session: Session, model: type[M], ref: str, what: str) -> M:
    """The row of ``model`` with ``ref``; ``NotFound`` naming ``what`` it is otherwise."""
    row = session.scalars(select(model).where(model.ref == ref)).first()  # type: ignore[attr-defined]
    if row is None:
        raise NotFound(f'no {what} with ref "{ref}"')
    return row


def check_version(row: Any, expected_version: int | None, shown_as: str) -> None:
    """Refuse to save over a change made since the record was read (``shown_as`` names it)."""
    if expected_version is not None and row.version != expected_version:
        raise ConcurrentEdit(
            f"{shown_as} was changed on another workstation since you opened it — "
            "reload to see the current version; nothing was saved.",
            ref=row.ref,
        )


def row_for_edit(
    session: Session, model: type[M], ref: str, expected_version: int | None, what: str
) -> M:
    """``row_by_ref`` that also refuses an edit of an older version."""
    row = row_by_ref(session, model, ref, what)
    check_version(row, expected_version, f"{what.capitalize()} {ref}")
    return row


def new_row(session: Session, model: type[M], kind: str) -> M:
    """A new row of ``model`` with the next free ref of its ``kind`` (``REF_PREFIX``)."""
    return model(ref=next_ref(session, model, *REF_PREFIX[kind]))


def refuse(found: dict[str, str], what: str) -> None:
    """``ValidationFailed`` naming each bad field, when ``found`` has any."""
    if found:
        raise ValidationFailed(
            f"{what}: "
            + "; ".join(f"{k.replace('_', ' ')}: {v}" if k else v for k, v in found.items()),
            found,
        )
