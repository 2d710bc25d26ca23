"""Clinic settings: details on a fresh database, hours, closures, protocols, policy."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from planner.db.engine import Database
from planner.domain.policy import Policy
from planner.services import clinic_settings as cs
from planner.services import consent_templates as ct
from planner.services.base import ServiceError, ValidationFailed
from planner.services.chairs import ChairInput, create_chair, list_chairs, update_chair
from tests.factories import base_document, load_into


def test_fresh_database_is_set_up_from_nothing(db: Database) -> None:
    assert cs.get_clinic(db).version == 0
    cs.update_clinic(db, cs.ClinicInfo(name="Harbour Infusions", address="1 Quay St", phone="555"))
    info = cs.get_clinic(db)
    assert (info.name, info.address, info.phone) == ("Harbour Infusions", "1 Quay St", "555")
    cs.set_opening_hours(
        db, [cs.OpeningRange(0, time(8), time(12)), cs.OpeningRange(0, time(13), time(18))]
    )
    assert len(cs.get_opening_hours(db)) == 2
    cs.add_closure(db, date(2026, 12, 25), "Christmas")
    assert cs.list_closures(db) == [cs.ClosureDay(date(2026, 12, 25), "Christmas")]
    ref = cs.create_protocol(db, cs.ProtocolInput(name="Ketamine — depression induction"))
    assert [p.ref for p in cs.list_protocols(db)] == [ref]
    chair = create_chair(db, ChairInput("Chair 1", "Room A"))
    assert [c.ref for c in list_chairs(db)] == [chair]


def test_clinic_needs_a_name_and_stale_edit_refused(sqlite_db: Database) -> None:
    with pytest.raises(ValidationFailed) as caught:
        cs.update_clinic(sqlite_db, cs.ClinicInfo(name=""))
    assert "name" in caught.value.fields
    cs.update_clinic(sqlite_db, cs.ClinicInfo(name="A"))
    shown = cs.get_clinic(sqlite_db)
    cs.update_clinic(sqlite_db, cs.ClinicInfo(name="B", version=shown.version))
    with pytest.raises(ServiceError):
        cs.update_clinic(sqlite_db, cs.ClinicInfo(name="C", version=shown.version))
    assert cs.get_clinic(sqlite_db).name == "B"


def test_opening_hours_must_make_sense(sqlite_db: Database) -> None:
    with pytest.raises(ValidationFailed, match="Friday"):
        cs.set_opening_hours(sqlite_db, [cs.OpeningRange(4, time(18), time(8))])
    with pytest.raises(ValidationFailed, match="overlap"):
        cs.set_opening_hours(
            sqlite_db,
            [cs.OpeningRange(1, time(8), time(12)), cs.OpeningRange(1, time(11), time(13))],
        )


def test_closure_twice_and_removal(sqlite_db: Database) -> None:
    cs.add_closure(sqlite_db, date(2027, 1, 1))
    with pytest.raises(ValidationFailed):
        cs.add_closure(sqlite_db, date(2027, 1, 1))
    cs.remove_closure(sqlite_db, date(2027, 1, 1))
    assert cs.list_closures(sqlite_db) == []


def test_used_protocol_cannot_be_deleted_but_edited(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    (p,) = cs.list_protocols(sqlite_db)
    assert p.courses == 1
    with pytest.raises(ServiceError, match="used by 1 course"):
        cs.delete_protocol(sqlite_db, p.ref)
    cs.update_protocol(
        sqlite_db,
        p.ref,
        cs.ProtocolInput(name=p.name, infusion_minutes=50),
        expected_version=p.version,
    )
    assert cs.list_protocols(sqlite_db)[0].infusion_minutes == 50
    with pytest.raises(ValidationFailed) as caught:
        cs.create_protocol(sqlite_db, cs.ProtocolInput(name=p.name.upper(), dose_mg_per_kg=0))
    assert set(caught.value.fields) == {"name", "dose_mg_per_kg"}


def test_policy_stores_only_overrides(sqlite_db: Database) -> None:
    cs.update_policy(
        sqlite_db,
        alert_hr_above=130,
        concurrent_limit={"psychiatrist": 1, "anesthesiologist": 2, "infusion_nurse": 2},
    )
    policy = cs.get_policy(sqlite_db)
    assert policy.alert_hr_above == 130 and policy.limit_for("psychiatrist") == 1
    assert policy.overrides() == {
        "alert_hr_above": 130,
        "concurrent_limit": {"psychiatrist": 1, "anesthesiologist": 2, "infusion_nurse": 2},
    }
    cs.set_paper_size(sqlite_db, "letter")
    assert cs.get_policy(sqlite_db).paper_size == "Letter"
    with pytest.raises(ValidationFailed):
        cs.set_paper_size(sqlite_db, "A5")
    with pytest.raises(ValidationFailed) as caught:
        cs.set_policy(sqlite_db, Policy(alert_hr_below=130, alert_hr_above=120))
    assert "alert_hr_below" in caught.value.fields


def test_consent_wording_is_imported_once_and_chosen_per_protocol(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with pytest.raises(ValidationFailed, match="not a file"):
        ct.read_wording_file(tmp_path / "missing.txt")
    with pytest.raises(ValidationFailed, match="not a file"):
        ct.read_wording_file("/dev/zero")
    (tmp_path / "latin1.txt").write_bytes("Jürgen".encode("latin-1"))
    with pytest.raises(ValidationFailed, match="UTF-8"):
        ct.read_wording_file(tmp_path / "latin1.txt")
    (tmp_path / "huge.txt").write_bytes(b"a" * (ct.MAX_FILE_BYTES + 1))
    with pytest.raises(ValidationFailed, match="larger"):
        ct.read_wording_file(tmp_path / "huge.txt")
    with pytest.raises(ValidationFailed, match="NUL"):
        ct.import_template(sqlite_db, "Bad", "text\x00")
    protocol = cs.create_protocol(sqlite_db, cs.ProtocolInput("Ketamine"))
    template = tmp_path / "consent.txt"
    template.write_text("Our wording", encoding="utf-8")
    ref = ct.import_template(
        sqlite_db, "Ours", ct.read_wording_file(template), protocols=[protocol]
    )
    [row] = ct.list_templates(sqlite_db)
    assert (row.template.ref, row.template.text, row.protocols) == (ref, "Our wording", (protocol,))
    with pytest.raises(ServiceError, match="used by 1 protocol"):
        ct.delete_template(sqlite_db, ref)
    ct.use_template(sqlite_db, protocol, None)
    ct.delete_template(sqlite_db, ref)
    assert ct.list_templates(sqlite_db) == []


def test_chair_names_unique_and_retire(sqlite_db: Database) -> None:
    ref = create_chair(sqlite_db, ChairInput("Recliner 1", "Room B"))
    with pytest.raises(ValidationFailed):
        create_chair(sqlite_db, ChairInput("recliner 1"))
    (chair,) = list_chairs(sqlite_db)
    update_chair(
        sqlite_db,
        ref,
        ChairInput("Recliner 1", "Room B", active=False),
        expected_version=chair.version,
    )
    assert list_chairs(sqlite_db, include_inactive=False) == []
