"""Each role tries each kind of change through the services (not the GUI): what its role
allows is done, the rest is refused with a sentence and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from planner.db.engine import Database
from planner.domain.accounts import ACCOUNT_ROLES, ROLE_CAPABILITIES
from planner.domain.inventory import receipt_statement
from planner.services import accounts, inventory, patients, session_records, sessions
from planner.services.audit import list_audit
from planner.services.clinic import add_closure
from planner.services.permissions import PermissionDenied
from tests.ledger_support import dose_record, load_clinic, receive, staff

PASSWORD = "correct horse"


def _signed_lot(db: Database, by: str) -> None:
    """A delivery received by ``by`` (the person signed in), witnessed by "wit" with a PIN."""
    people = staff(db)
    from planner.domain.inventory import DrugLot

    lot = DrugLot(
        ref="",
        drug="ketamine",
        lot_number="KX-3001",
        concentration_mg_per_ml=50.0,
        ml_per_vial=10.0,
        vials=1,
        received=date(2026, 11, 20),
        expires=date(2027, 6, 30),
        received_by=people[by],
        witness=people["S3"],
    )
    seal = accounts.witness(db, "wit", "9753", receipt_statement(lot))
    inventory.receive_lot(db, lot, seals=(seal,))


def _changes(db: Database) -> dict[str, Callable[[], object]]:
    return {
        "patients": lambda: patients.archive_patient(db, "P-0001"),
        "planning": lambda: sessions.set_status(db, "X-2", "confirmed"),
        "setup": lambda: add_closure(db, date(2026, 12, 24), "Christmas Eve"),
        "inventory": lambda: _signed_lot(db, "S2"),
        "record": lambda: session_records.save_record(
            db, "X-3", dose_record(db, session="X-3", wasted=None), expected_version=None
        ),
        "sign": lambda: session_records.sign_record(db, "X-1", expected_version=1),
        "accounts": lambda: accounts.create_account(db, "otto", "read_only", PASSWORD),
        "view_record": lambda: session_records.open_record(db, "X-1"),
    }


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_each_role_may_make_exactly_the_changes_its_role_allows(db: Database, role: str) -> None:
    load_clinic(db)
    accounts.create_account(db, "boss", "manager", PASSWORD, staff_ref="S1")
    accounts.sign_in(db, "boss", PASSWORD)
    accounts.create_account(db, "wit", "nurse", PASSWORD, staff_ref="S3")
    accounts.set_pin(db, "wit", "9753")
    _signed_lot(db, "S1")
    session_records.save_record(
        db, "X-1", dose_record(db, session="X-1", by="S1", wasted=None), expected_version=None
    )
    accounts.create_account(db, "user", role, PASSWORD, staff_ref="S2")
    accounts.sign_in(db, "user", PASSWORD)
    allowed = ROLE_CAPABILITIES[role]
    outcome: dict[str, bool] = {}
    for capability, change in _changes(db).items():
        events = len(list_audit(db))
        try:
            change()
        except PermissionDenied as exc:
            assert "may not" in str(exc)
            assert len(list_audit(db)) == events, f"{capability}: a refused change left a trace"
            outcome[capability] = False
        else:
            outcome[capability] = True
    assert {c for c, done in outcome.items() if done} == set(outcome) & allowed


def test_with_accounts_nobody_signed_in_changes_nothing(db: Database) -> None:
    load_clinic(db)
    accounts.create_account(db, "boss", "manager", PASSWORD, staff_ref="S1")
    with pytest.raises(PermissionDenied, match="sign in first"):
        sessions.set_status(db, "X-2", "confirmed")
    with pytest.raises(PermissionDenied, match="sign in first"):
        receive(db)
    accounts.sign_in(db, "boss", PASSWORD)
    accounts.sign_out(db)
    with pytest.raises(PermissionDenied, match="sign in first"):
        session_records.open_record(db, "X-1")


def test_with_accounts_a_waste_is_confirmed_by_the_witness_pin(db: Database) -> None:
    load_clinic(db)
    accounts.create_account(db, "boss", "manager", PASSWORD, staff_ref="S1")
    accounts.sign_in(db, "boss", PASSWORD)
    accounts.create_account(db, "wit", "nurse", PASSWORD, staff_ref="S3")
    accounts.set_pin(db, "wit", "9753")
    _signed_lot(db, "S1")
    record = dose_record(db, by="S1", witness="S3")
    from planner.domain.chart import waste_statement
    from planner.services.base import ValidationFailed

    with pytest.raises(ValidationFailed, match="confirmed by Grace Okafor with their PIN"):
        session_records.save_record(db, "X-1", record, expected_version=None)
    other = accounts.witness(db, "wit", "9753", "waste of 99 mg from somewhere")
    with pytest.raises(ValidationFailed, match="with their PIN"):
        session_records.save_record(db, "X-1", record, expected_version=None, seals=(other,))
    seal = accounts.witness(db, "wit", "9753", waste_statement(record.waste[0], "X-1"))
    assert session_records.save_record(db, "X-1", record, expected_version=None, seals=(seal,)) == 1
    not_mine = dose_record(db, session="X-2", by="S2", witness="S3")
    with pytest.raises(ValidationFailed, match="a waste is recorded by the person signed in"):
        session_records.save_record(db, "X-2", not_mine, expected_version=None)
