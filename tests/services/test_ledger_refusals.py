"""Every refusal of the ketamine log and the session record, through the services, on SQLite
and PostgreSQL: each says what is wrong and changes nothing."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from planner.db.engine import Database
from planner.domain.inventory import InventoryCount
from planner.services import inventory, session_records, sessions
from planner.services.audit import list_audit
from planner.services.base import ServiceError, ValidationFailed
from tests.ledger_support import dose_record, load_clinic, lot, receive, staff


@pytest.fixture
def clinic(db: Database) -> Database:
    load_clinic(db)
    receive(db)  # LOT-0001: 2 vials × 10 mL × 50 mg/mL = 1000 mg
    return db


def _balance(db: Database) -> float:
    (line,) = inventory.inventory_report(db)
    return float(line.as_json()["balance_mg"])


def test_a_delivery_needs_a_witness_who_is_someone_else(db: Database) -> None:
    load_clinic(db)
    with pytest.raises(ValidationFailed, match="a delivery needs a witness") as no_one:
        receive(db, witness=None)
    assert no_one.value.fields == {"witness": no_one.value.fields["witness"]}
    with pytest.raises(ValidationFailed, match="witnessed by a different person than Dr Ana Silva"):
        receive(db, by="S1", witness="S1")
    assert inventory.list_lots(db) == []


def test_a_lot_cannot_expire_before_it_arrives(db: Database) -> None:
    load_clinic(db)
    with pytest.raises(ValidationFailed, match="expires .* before it was received"):
        receive(db, received=date(2026, 11, 2), expires=date(2026, 11, 1))
    assert inventory.list_lots(db) == []


def test_giving_more_than_the_lot_holds_is_refused(clinic: Database) -> None:
    record = dose_record(clinic, given=990.0, wasted=15.0)  # 1005 mg from a 1000 mg lot
    with pytest.raises(ValidationFailed, match=r"holds only 10 mg .*wasting 15 mg is more") as exc:
        session_records.save_record(clinic, "X-1", record, expected_version=None)
    assert "waste[0].mg" in exc.value.fields
    assert session_records.open_record(clinic, "X-1").record is None
    assert _balance(clinic) == 1000


def test_a_later_dose_that_the_lot_cannot_cover_is_refused(clinic: Database) -> None:
    first = dose_record(clinic, session="X-1", given=900.0, wasted=None)
    session_records.save_record(clinic, "X-1", first, expected_version=None)
    second = dose_record(clinic, session="X-2", given=150.0, wasted=None)
    with pytest.raises(ValidationFailed, match=r"holds only 100 mg .* giving 150 mg") as exc:
        session_records.save_record(clinic, "X-2", second, expected_version=None)
    assert exc.value.fields.keys() == {"medications[0].mg"}
    assert _balance(clinic) == 100


def test_nothing_is_given_from_an_expired_lot(db: Database) -> None:
    load_clinic(db)
    receive(db, expires=date(2026, 11, 30))  # X-1 is on 2026-12-01
    record = dose_record(db)
    with pytest.raises(ValidationFailed, match="expired on 2026-11-30; nothing may be given"):
        session_records.save_record(db, "X-1", record, expected_version=None)
    assert session_records.open_record(db, "X-1").record is None


def test_nothing_is_given_from_a_lot_before_it_arrives(db: Database) -> None:
    load_clinic(db)
    receive(db, received=date(2026, 12, 2))
    with pytest.raises(ValidationFailed, match="was received on 2026-12-02, after 2026-12-01"):
        session_records.save_record(db, "X-1", dose_record(db), expected_version=None)


def test_a_waste_needs_a_witness(clinic: Database) -> None:
    record = dose_record(clinic, witness=None)
    with pytest.raises(ValidationFailed, match="a waste needs a witness") as exc:
        session_records.save_record(clinic, "X-1", record, expected_version=None)
    assert "waste[0].witness" in exc.value.fields
    assert session_records.open_record(clinic, "X-1").record is None


def test_a_waste_is_not_witnessed_by_who_wasted_it(clinic: Database) -> None:
    record = dose_record(clinic, by="S2", witness="S2")
    with pytest.raises(ValidationFailed, match="witnessed by a different person than Tomás Nuñez"):
        session_records.save_record(clinic, "X-1", record, expected_version=None)
    assert _balance(clinic) == 1000


def test_ketamine_is_drawn_from_a_named_lot(clinic: Database) -> None:
    record = dose_record(clinic, wasted=None)
    loose = dataclasses.replace(record.medications[0], lot=None)
    with pytest.raises(ValidationFailed, match="ketamine is drawn from a named lot"):
        session_records.save_record(
            clinic, "X-1", dataclasses.replace(record, medications=(loose,)), expected_version=None
        )


def test_a_count_needs_a_witness_and_a_discrepancy_needs_a_note(clinic: Database) -> None:
    people = staff(clinic)
    count = InventoryCount(day=date(2026, 12, 1), lot=lot(clinic), mg=1000.0, by=people["S1"])
    with pytest.raises(ValidationFailed, match="a count needs a witness"):
        inventory.record_count(clinic, count)
    with pytest.raises(ValidationFailed, match="witnessed by a different person"):
        inventory.record_count(clinic, dataclasses.replace(count, witness=people["S1"]))
    short = dataclasses.replace(count, witness=people["S2"], mg=990.0)
    with pytest.raises(ValidationFailed, match=r"differs from its balance \(1000 mg\) by -10 mg"):
        inventory.record_count(clinic, short)
    assert inventory.inventory_report(clinic)[0].counted is None
    assert inventory.record_count(clinic, dataclasses.replace(short, note="vial cracked")) == -10000
    line = inventory.inventory_report(clinic)[0].as_json()
    assert (line["counted_mg"], line["discrepancy_mg"], line["balance_mg"]) == (990, -10, 1000)


def test_a_vital_outside_the_alert_thresholds_needs_a_note(clinic: Database) -> None:
    record = dose_record(clinic, wasted=None)
    high = dataclasses.replace(record.vitals[0], systolic=195)
    with pytest.raises(ValidationFailed, match="systolic 195 > 180 mmHg: add a note") as exc:
        session_records.save_record(
            clinic, "X-1", dataclasses.replace(record, vitals=(high,)), expected_version=None
        )
    assert "vitals[0].note" in exc.value.fields
    noted = dataclasses.replace(high, note="Dr Silva told; infusion slowed")
    version = session_records.save_record(
        clinic, "X-1", dataclasses.replace(record, vitals=(noted,)), expected_version=None
    )
    assert version == 1


def test_signing_locks_the_record_and_marks_the_session_done(clinic: Database) -> None:
    version = session_records.save_record(clinic, "X-1", dose_record(clinic), expected_version=None)
    session_records.sign_record(
        clinic,
        "X-1",
        expected_version=version,
        signer="S1",
        clock=lambda: datetime(2026, 12, 1, 11),
    )
    view = session_records.open_record(clinic, "X-1")
    assert view.session.status == "done"
    assert view.record is not None and view.record.signed_by is not None
    assert (view.record.signed_by.name, view.record.signed_at) == (
        "Dr Ana Silva",
        datetime(2026, 12, 1, 11),
    )
    with pytest.raises(ValidationFailed, match="signed: a change is an amendment with a reason"):
        session_records.save_record(
            clinic, "X-1", view.record.content(), expected_version=view.version
        )


def test_an_amendment_keeps_what_the_signed_record_said(clinic: Database) -> None:
    version = session_records.save_record(clinic, "X-1", dose_record(clinic), expected_version=None)
    session_records.sign_record(clinic, "X-1", expected_version=version, signer="S1")
    view = session_records.open_record(clinic, "X-1")
    assert view.record is not None and view.version is not None
    fixed = dataclasses.replace(view.record.vitals[0], systolic=134)
    with pytest.raises(ValidationFailed, match="needs a reason"):
        session_records.amend_record(
            clinic, "X-1", view.record, reason=" ", expected_version=view.version, by="S1"
        )
    with pytest.raises(ValidationFailed, match="nothing was changed"):
        session_records.amend_record(
            clinic, "X-1", view.record, reason="check", expected_version=view.version, by="S1"
        )
    session_records.amend_record(
        clinic,
        "X-1",
        dataclasses.replace(view.record, vitals=(fixed,)),
        reason="transcription error: the monitor showed 134",
        expected_version=view.version,
        by="S1",
        clock=lambda: datetime(2026, 12, 1, 12, 30),
    )
    after = session_records.open_record(clinic, "X-1")
    assert after.record is not None
    assert after.record.vitals[0].systolic == 134
    (amendment,) = after.record.amendments
    assert amendment.reason == "transcription error: the monitor showed 134"
    assert [(c.path, c.before, c.after) for c in amendment.changes] == [
        ("vitals[0].systolic", 124, 134)
    ]
    assert after.record.signed_at == view.record.signed_at
    (event,) = [e for e in list_audit(clinic, ref="X-1") if e.action == "amend"]
    assert event.before == {"vitals[0].systolic": 124} and event.after == {
        "vitals[0].systolic": 134
    }


def test_a_stale_record_is_not_saved_over(clinic: Database) -> None:
    record = dose_record(clinic)
    session_records.save_record(clinic, "X-1", record, expected_version=None)
    with pytest.raises(ServiceError, match="changed"):
        session_records.save_record(clinic, "X-1", record, expected_version=None)


def test_a_session_with_a_draft_record_is_not_deleted(clinic: Database) -> None:
    session_records.save_record(clinic, "X-1", dose_record(clinic), expected_version=None)
    with pytest.raises(ServiceError, match="X-1 has a session record .* cannot be deleted"):
        sessions.delete_session(clinic, "X-1")
    assert session_records.open_record(clinic, "X-1").record is not None
