"""Local user accounts: create, sign in, change a password or PIN, disable; witnessing with a PIN.

Passwords and PINs are hashed with argon2id (the parameters OWASP recommends
as a minimum: 19 MiB, 2 passes) and never stored or logged as typed. A PIN
locks for the policy's minutes after the policy's number of wrong attempts in a
row. A witness confirms one particular entry with their PIN: the returned
``WitnessSeal`` names that entry, and the services accept it only for it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import Account as AccountRow
from planner.db.models import StaffMember
from planner.domain.accounts import (
    ACCOUNT_ROLE_LABELS,
    Account,
    may,
    password_problem,
    pin_problem,
)
from planner.domain.base import problems
from planner.domain.records import StaffMember as StaffRecord
from planner.services.base import (
    Clock,
    NotFound,
    ServiceError,
    ValidationFailed,
    record_audit,
    system_clock,
    unit_of_work,
)
from planner.services.permissions import PermissionDenied, has_accounts

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: How long a witness's confirmation stays good for the entry it names.
SEAL_MINUTES = 30
_SEAL_KEY = secrets.token_bytes(32)


class AuthenticationFailed(ServiceError):
    """Wrong account name, password or PIN (or a disabled account, or a locked PIN)."""


def _hash(secret: str) -> str:
    return HASHER.hash(secret)


def _matches(stored: str | None, secret: str) -> bool:
    if not stored:
        return False
    try:
        return HASHER.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def list_accounts(db: Database) -> list[Account]:
    with db.begin() as session:
        return list(mapping.read_accounts(session).values())


def _row(session: Session, name: str) -> AccountRow:
    row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
    if row is None:
        raise NotFound(f"no account named {name!r}")
    return row


def _staff_id(session: Session, ref: str | None) -> int | None:
    if ref is None:
        return None
    found = session.scalar(select(StaffMember.id).where(StaffMember.ref == ref))
    if found is None:
        raise NotFound(f"no staff member with ref {ref!r}")
    return int(found)


def create_account(
    db: Database, name: str, role: str, password: str, *, staff_ref: str | None = None
) -> Account:
    """A new account; the first account of a database must be a manager."""
    account = Account(name=name, role=role, staff=staff_ref)
    found = problems(account, skip=("has_pin",))
    bad = password_problem(password)
    if bad:
        found["password"] = bad
    if found:
        raise ValidationFailed("the account cannot be created: " + _words(found), found)
    hashed = _hash(password)
    with unit_of_work(db) as session:
        if not has_accounts(session) and role != "manager":
            raise ValidationFailed(
                "the first account must be a manager (who can then add the others)",
                {"role": "the first account must be a manager"},
            )
        if session.scalar(select(AccountRow.id).where(AccountRow.name == name)) is not None:
            raise ValidationFailed(
                f"an account named {name} already exists", {"name": "already taken"}
            )
        staff_id = _staff_id(session, staff_ref)
        # Audited before the row exists: the first account is made by nobody in particular.
        record_audit(
            session,
            action="create",
            entity="account",
            ref=name,
            summary=f"account {name} created ({ACCOUNT_ROLE_LABELS[role]})",
            after={"name": name, "role": role, "staff": staff_ref},
        )
        session.add(
            AccountRow(name=name, role=role, staff_id=staff_id, password_hash=hashed, active=True)
        )
    return account


def _words(found: dict[str, str]) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" if k else v for k, v in found.items())


def set_role(db: Database, name: str, role: str) -> None:
    """Give an account another role (the last active manager stays a manager)."""
    found = problems(Account(name=name, role=role), skip=("has_pin",))
    if found:
        raise ValidationFailed(_words(found), found)
    with unit_of_work(db) as session:
        row = _row(session, name)
        if row.role == "manager" and role != "manager":
            _keep_a_manager(session, name)
        record_audit(
            session,
            action="update",
            entity="account",
            ref=name,
            summary=f"account {name} is now {ACCOUNT_ROLE_LABELS[role]}",
            before={"role": row.role},
            after={"role": role},
        )
        row.role = role


def link_staff(db: Database, name: str, staff_ref: str | None) -> None:
    """Link an account to the staff member it signs for (None: unlink)."""
    with unit_of_work(db) as session:
        row = _row(session, name)
        before = _staff_ref(session, row.staff_id)
        record_audit(
            session,
            action="update",
            entity="account",
            ref=name,
            summary=f"account {name} signs for {staff_ref or 'nobody'}",
            before={"staff": before},
            after={"staff": staff_ref},
        )
        row.staff_id = _staff_id(session, staff_ref)


def _staff_ref(session: Session, staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    return session.scalar(select(StaffMember.ref).where(StaffMember.id == staff_id))


def _keep_a_manager(session: Session, name: str) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(AccountRow)
        .where(AccountRow.role == "manager", AccountRow.active, AccountRow.name != name)
    )
    if not others:
        raise ValidationFailed(
            f"{name} is the last active manager: add another manager first",
            {"role": "the last active manager"},
        )


def get_account(db: Database, name: str) -> Account:
    with db.begin() as session:
        found = mapping.read_accounts(session, t.account.c.name == name)
    if not found:
        raise NotFound(f"no account named {name!r}")
    return next(iter(found.values()))


def set_password(db: Database, name: str, password: str) -> None:
    """A new password (one's own, or anyone's by a manager)."""
    _set_secret(db, name, password, pin=False)


def set_pin(db: Database, name: str, pin: str) -> None:
    """A new witnessing PIN (one's own, or anyone's by a manager); unlocks a locked PIN."""
    _set_secret(db, name, pin, pin=True)


def _set_secret(db: Database, name: str, secret: str, *, pin: bool) -> None:
    field = "pin" if pin else "password"
    bad = (pin_problem if pin else password_problem)(secret)
    if bad:
        raise ValidationFailed(bad, {field: bad})
    hashed = _hash(secret)
    with unit_of_work(db) as session:
        row = _row(session, name)
        record_audit(
            session,
            action=field,
            entity="account",
            ref=name,
            summary=f"PIN of {name} set" if pin else f"password of {name} changed",
        )
        if pin:
            row.pin_hash = hashed
            row.pin_failures = 0
            row.pin_locked_until = None
        else:
            row.password_hash = hashed


def disable_account(db: Database, name: str) -> None:
    """Nobody can sign in or witness as ``name`` any more (the account and its history stay)."""
    with unit_of_work(db) as session:
        row = _row(session, name)
        if not row.active:
            return
        if row.role == "manager":
            _keep_a_manager(session, name)
        record_audit(
            session,
            action="disable",
            entity="account",
            ref=name,
            summary=f"account {name} disabled",
        )
        row.active = False


def sign_in(db: Database, name: str, password: str, *, clock: Clock = system_clock) -> Account:
    """Check the password and make ``name`` the database's signed-in account.

    A failed attempt is kept in the audit trail (committed before refusing).
    """
    ok = False
    with unit_of_work(db) as session:
        row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
        ok = row is not None and row.active and _matches(row.password_hash, password)
        if ok:
            record_audit(
                session,
                action="login",
                entity="account",
                ref=name,
                user=name,
                at=clock(),
                summary=f"{name} signed in",
            )
        else:
            record_audit(
                session,
                action="login_failed",
                entity="account",
                ref=name[:40],
                at=clock(),
                summary=f"failed sign-in as {name[:80]!r}",
            )
    if not ok:
        raise AuthenticationFailed("wrong account name or password (or the account is disabled)")
    db.actor = get_account(db, name)
    return db.actor


def sign_out(db: Database) -> None:
    db.actor = None


def confirm_password(db: Database, password: str, *, clock: Clock = system_clock) -> Account:
    """The signed-in person proves it is still them (unlocking the app after idle)."""
    if db.actor is None:
        raise AuthenticationFailed("nobody is signed in")
    return sign_in(db, db.actor.name, password, clock=clock)


# -- witnessing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WitnessSeal:
    """A witness's confirmation, with their PIN, of one entry (``statement``)."""

    account: str
    staff_ref: str
    statement: str
    issued_at: datetime
    digest: str

    def valid_for(self, statement: str, now: datetime) -> bool:
        fresh = self.issued_at <= now <= self.issued_at + timedelta(minutes=SEAL_MINUTES)
        return (
            fresh
            and statement == self.statement
            and hmac.compare_digest(
                self.digest, _digest(self.account, self.staff_ref, statement, self.issued_at)
            )
        )


def _digest(account: str, staff_ref: str, statement: str, at: datetime) -> str:
    message = "\n".join((account, staff_ref, statement, at.isoformat())).encode("utf-8")
    return hmac.new(_SEAL_KEY, message, hashlib.sha256).hexdigest()


def witness(
    db: Database, name: str, pin: str, statement: str, *, clock: Clock = system_clock
) -> WitnessSeal:
    """``name`` confirms ``statement`` with their PIN; refuses (and counts) a wrong PIN.

    The witness must be an active account allowed to witness, linked to a staff
    member, and not the person signed in.
    """
    from planner.db.mapping import read_policy

    now = clock()
    failure: ServiceError | None = None
    seal: WitnessSeal | None = None
    with unit_of_work(db) as session:
        row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
        if row is None or not row.active:
            raise AuthenticationFailed(f"no active account named {name!r}")
        if db.actor is not None and db.actor.name == name:
            raise PermissionDenied("the witness must be a second person, not the one signed in")
        if not may(row.role, "witness"):
            raise PermissionDenied(
                f"{name} ({ACCOUNT_ROLE_LABELS.get(row.role, row.role)}) may not witness "
                "controlled-substance entries"
            )
        staff_ref = _staff_ref(session, row.staff_id)
        if staff_ref is None:
            raise PermissionDenied(
                f"{name} is not linked to a staff member: a manager links the account first"
            )
        if row.pin_hash is None:
            raise AuthenticationFailed(f"{name} has no witnessing PIN yet: set one first")
        if row.pin_locked_until is not None and row.pin_locked_until > now:
            raise AuthenticationFailed(
                f"the PIN of {name} is locked until {row.pin_locked_until:%H:%M} after "
                "too many wrong attempts"
            )
        if _matches(row.pin_hash, pin):
            row.pin_failures = 0
            row.pin_locked_until = None
            seal = WitnessSeal(
                name, staff_ref, statement, now, _digest(name, staff_ref, statement, now)
            )
        else:
            policy = read_policy(session)
            row.pin_failures += 1
            if row.pin_failures >= policy.pin_attempts:
                row.pin_failures = 0
                row.pin_locked_until = now + timedelta(minutes=policy.pin_lockout_minutes)
                record_audit(
                    session,
                    action="pin_locked",
                    entity="account",
                    ref=name,
                    at=now,
                    summary=f"PIN of {name} locked for {policy.pin_lockout_minutes} min after "
                    f"{policy.pin_attempts} wrong attempts",
                )
                failure = AuthenticationFailed(
                    f"wrong PIN; the PIN of {name} is now locked for "
                    f"{policy.pin_lockout_minutes} minutes"
                )
            else:
                record_audit(
                    session,
                    action="pin_failed",
                    entity="account",
                    ref=name,
                    at=now,
                    summary=f"wrong PIN for {name}",
                )
                left = policy.pin_attempts - row.pin_failures
                failure = AuthenticationFailed(f"wrong PIN for {name} ({left} attempts left)")
    if failure is not None:
        raise failure
    assert seal is not None
    return seal


def actor_staff(db: Database) -> str | None:
    """The staff ref of the signed-in account (None without accounts or without a link)."""
    return None if db.actor is None else db.actor.staff


def staff_choices(db: Database) -> list[StaffRecord]:
    """The active staff members an account may sign for."""
    with db.begin() as session:
        return [s for s in mapping.read_staff(session).values() if s.active]
