"""Accounts: who may be created, signing in, PINs and their lock-out, witnessing one entry,
the audit trail's account and computer login — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from planner.db import tables as t
from planner.db.engine import Database
from planner.services import accounts
from planner.services.account_presence import database_has_accounts
from planner.services.accounts import AuthenticationFailed
from planner.services.audit import list_audit
from planner.services.base import ValidationFailed
from planner.services.permissions import PermissionDenied, SignInRequired
from tests.ledger_support import load_clinic

PASSWORD = "correct horse"


@pytest.fixture
def clinic(db: Database) -> Database:
    load_clinic(db)
    return db


def test_a_database_without_accounts_needs_no_sign_in(clinic: Database) -> None:
    assert not database_has_accounts(clinic)
    from planner.services.clinic import add_closure

    add_closure(clinic, datetime(2026, 12, 24).date(), "Christmas Eve")
    (event,) = [e for e in list_audit(clinic) if e.entity == "closure"]
    assert event.user == "tester"


def test_the_first_account_is_a_manager_and_then_only_managers_add_accounts(
    clinic: Database,
) -> None:
    with pytest.raises(ValidationFailed, match="the first account must be a manager"):
        accounts.create_account(clinic, "nina", "nurse", PASSWORD)
    with pytest.raises(ValidationFailed, match="at least 8 characters"):
        accounts.create_account(clinic, "maria", "manager", "short")
    with pytest.raises(ValidationFailed, match="use letters, digits"):
        accounts.create_account(clinic, "maria lopez", "manager", PASSWORD)
    accounts.create_account(clinic, "maria", "manager", PASSWORD, staff_ref="S1")
    with pytest.raises(SignInRequired, match="sign in first"):
        accounts.create_account(clinic, "nina", "nurse", PASSWORD)
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.create_account(clinic, "nina", "nurse", PASSWORD, staff_ref="S2")
    with pytest.raises(ValidationFailed, match="already exists"):
        accounts.create_account(clinic, "nina", "nurse", PASSWORD)
    accounts.sign_in(clinic, "nina", PASSWORD)
    with pytest.raises(PermissionDenied, match=r"nina \(Nurse\) may not manage user accounts"):
        accounts.create_account(clinic, "otto", "read_only", PASSWORD)
    assert [(a.name, a.role, a.staff) for a in accounts.list_accounts(clinic)] == [
        ("maria", "manager", "S1"),
        ("nina", "nurse", "S2"),
    ]


def test_hashes_not_passwords_are_stored(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD)
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.set_pin(clinic, "maria", "4321")
    with clinic.engine.connect() as connection:
        row = connection.execute(select(t.account)).one()
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    assert row.pin_hash.startswith("$argon2id$") and "4321" not in row.pin_hash


def test_a_wrong_password_is_refused_and_kept_in_the_audit_trail(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD)
    with pytest.raises(AuthenticationFailed, match="wrong account name or password"):
        accounts.sign_in(clinic, "maria", "not the password")
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(clinic, "nobody", PASSWORD)
    assert clinic.actor is None
    failed = [e for e in list_audit(clinic) if e.action == "login_failed"]
    assert {e.ref for e in failed} == {"maria", "nobody"}
    accounts.sign_in(clinic, "maria", PASSWORD)
    assert clinic.actor is not None and clinic.actor.name == "maria"


def test_every_event_names_the_account_and_the_computer_login(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD)
    accounts.sign_in(clinic, "maria", PASSWORD)
    from planner.services.clinic import add_closure

    add_closure(clinic, datetime(2026, 12, 24).date(), "Christmas Eve")
    (event,) = [e for e in list_audit(clinic) if e.entity == "closure"]
    assert event.user == "maria"
    with clinic.engine.connect() as connection:
        os_user = connection.execute(
            select(t.audit_event.c.os_user).where(t.audit_event.c.entity == "closure")
        ).scalar()
    assert os_user == "tester"


def test_a_disabled_account_cannot_sign_in_and_the_last_manager_stays(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD)
    accounts.sign_in(clinic, "maria", PASSWORD)
    with pytest.raises(ValidationFailed, match="last active manager"):
        accounts.disable_account(clinic, "maria")
    accounts.create_account(clinic, "nina", "nurse", PASSWORD)
    accounts.disable_account(clinic, "nina")
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(clinic, "nina", PASSWORD)


def test_a_disabled_account_signed_in_elsewhere_changes_nothing_more(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD)
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.create_account(clinic, "max", "manager", PASSWORD)
    accounts.sign_in(clinic, "max", PASSWORD)
    accounts.disable_account(clinic, "maria")
    accounts.sign_in(clinic, "max", PASSWORD)
    clinic.actor = accounts.get_account(clinic, "maria")  # still signed in on a workstation
    with pytest.raises(PermissionDenied, match="maria is disabled"):
        accounts.create_account(clinic, "otto", "read_only", PASSWORD)


def test_one_may_change_ones_own_password_but_not_anothers(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD)
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.create_account(clinic, "nina", "nurse", PASSWORD)
    accounts.sign_in(clinic, "nina", PASSWORD)
    accounts.set_password(clinic, "nina", "another good one")
    with pytest.raises(PermissionDenied):
        accounts.set_password(clinic, "maria", "another good one")
    accounts.sign_in(clinic, "nina", "another good one")


def test_a_pin_locks_after_the_policys_wrong_attempts(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD, staff_ref="S1")
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.create_account(clinic, "nina", "nurse", PASSWORD, staff_ref="S2")
    accounts.set_pin(clinic, "nina", "2468")
    now = datetime(2026, 12, 1, 10, 0)
    with pytest.raises(ValidationFailed, match="a PIN is 4 to 8 digits"):
        accounts.set_pin(clinic, "nina", "12ab")
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed, match=f"{left} attempts left"):
            accounts.witness(clinic, "nina", "0000", "statement", clock=lambda: now)
    with pytest.raises(AuthenticationFailed, match="now locked for 15 minutes"):
        accounts.witness(clinic, "nina", "0000", "statement", clock=lambda: now)
    with pytest.raises(AuthenticationFailed, match="locked until 10:15"):
        accounts.witness(clinic, "nina", "2468", "statement", clock=lambda: now)
    later = now + timedelta(minutes=16)
    seal = accounts.witness(clinic, "nina", "2468", "statement", clock=lambda: later)
    assert seal.staff_ref == "S2"
    actions = [e.action for e in list_audit(clinic) if e.ref == "nina"]
    assert actions.count("pin_failed") == 4 and actions.count("pin_locked") == 1


def test_a_seal_is_good_for_its_own_entry_only(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD, staff_ref="S1")
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.create_account(clinic, "nina", "nurse", PASSWORD, staff_ref="S2")
    accounts.set_pin(clinic, "nina", "2468")
    now = datetime(2026, 12, 1, 10, 0)
    seal = accounts.witness(clinic, "nina", "2468", "waste of 15 mg", clock=lambda: now)
    assert seal.valid_for("waste of 15 mg", now + timedelta(minutes=5))
    assert not seal.valid_for("waste of 25 mg", now)
    assert not seal.valid_for("waste of 15 mg", now + timedelta(hours=2))
    with pytest.raises(PermissionDenied, match="a second person"):
        accounts.witness(clinic, "maria", "1234", "waste of 15 mg", clock=lambda: now)


def test_a_front_desk_account_cannot_witness(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", PASSWORD, staff_ref="S1")
    accounts.sign_in(clinic, "maria", PASSWORD)
    accounts.create_account(clinic, "fred", "front_desk", PASSWORD, staff_ref="S2")
    accounts.set_pin(clinic, "fred", "1357")
    with pytest.raises(PermissionDenied, match=r"fred \(Front desk\) may not witness"):
        accounts.witness(clinic, "fred", "1357", "count")
