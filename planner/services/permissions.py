"""Who may change what: checked where every change is audited, against the signed-in account.

``planner.services.base.record_audit`` asks ``authorize`` before it writes an
audit event, so every service that changes something is checked the same way
without knowing about accounts; a refusal raises ``PermissionDenied`` inside
the transaction, which rolls it back. A database without accounts is not
checked at all. The account's role is read again in the same transaction, so a
role changed or an account disabled on another workstation counts at once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import tables as t
from planner.db.engine import Database
from planner.db.mapping import has_accounts
from planner.domain.accounts import (
    ACCOUNT_ROLE_LABELS,
    CAPABILITY_LABELS,
    OWN_ACCOUNT_ACTIONS,
    SIGN_IN_ACTIONS,
    Account,
    capability_for,
    may,
)
from planner.services.base import ServiceError


class PermissionDenied(ServiceError):
    """The signed-in account's role does not allow the change; nothing was changed."""


class SignInRequired(PermissionDenied):
    """The database has accounts and nobody is signed in."""


def _current(session: Session, actor: Account) -> tuple[str, bool] | None:
    row = session.execute(
        select(t.account.c.role, t.account.c.active).where(t.account.c.name == actor.name)
    ).first()
    return None if row is None else (row.role, bool(row.active))


def check_capability(session: Session, capability: str) -> Account | None:
    """The signed-in account if it may ``capability`` (None: the database has no accounts)."""
    actor: Account | None = session.info.get("actor")
    if actor is None:
        if not has_accounts(session):
            return None
        raise SignInRequired("this database has user accounts: sign in first; nothing was changed")
    current = _current(session, actor)
    if current is None or not current[1]:
        raise PermissionDenied(f"the account {actor.name} is disabled; nothing was changed")
    role, _active = current
    if not may(role, capability):
        raise PermissionDenied(
            f"{actor.name} ({ACCOUNT_ROLE_LABELS.get(role, role)}) may not "
            f"{CAPABILITY_LABELS.get(capability, capability)}; nothing was changed"
        )
    return actor


def authorize(session: Session, *, entity: str, action: str, ref: str = "") -> str | None:
    """The account name a change is made by, after checking its role may make it.

    None when the database has no accounts. Sign-in events are always written;
    a password or PIN change to one's own account needs no particular role.
    """
    actor: Account | None = session.info.get("actor")
    if entity == "account" and action in SIGN_IN_ACTIONS:
        return actor.name if actor is not None else None
    if (
        actor is not None
        and entity == "account"
        and action in OWN_ACCOUNT_ACTIONS
        and ref == actor.name
    ):
        current = _current(session, actor)
        if current is None or not current[1]:
            raise PermissionDenied(f"the account {actor.name} is disabled; nothing was changed")
        return actor.name
    checked = check_capability(session, capability_for(entity, action))
    return None if checked is None else checked.name


def require(db: Database, capability: str) -> Account | None:
    """Refuse early (before any work) when the signed-in account may not ``capability``."""
    with db.begin() as session:
        return check_capability(session, capability)


def allowed(db: Database, capability: str) -> bool:
    """Whether the signed-in account may ``capability`` (for enabling buttons; services check)."""
    try:
        require(db, capability)
    except PermissionDenied:
        return False
    return True
