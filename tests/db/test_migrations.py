"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from planner.db import mapping
from planner.db.engine import Database, open_database
from planner.db.migrate import current_revision, head_revision
from planner.db.models import Base


def test_empty_database_migrates_to_head(empty_db_url: str) -> None:
    db = open_database(empty_db_url)
    try:
        assert current_revision(db.engine) == head_revision()
        tables = set(inspect(db.engine).get_table_names())
        assert {"patient", "staff_member", "infusion_session", "assignment", "audit_event"} <= tables
    finally:
        db.close()


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_opening_again_is_a_no_op(empty_db_url: str) -> None:
    first = open_database(empty_db_url)
    first.close()
    second = open_database(empty_db_url)
    assert current_revision(second.engine) == head_revision()
    second.close()


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_head_constant_matches_the_migration_scripts() -> None:
    from planner.db.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_logo_and_consent_file_move_into_the_database(empty_db_url: str, tmp_path: Path) -> None:
    """A clinic set up before 0002 kept file paths; the upgrade reads them once, then never again."""
    from PIL import Image
    from sqlalchemy import create_engine

    from planner.db.migrate import upgrade_to_head
    from planner.services.consent_templates import list_templates

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), (0, 90, 160)).save(logo)
    wording = tmp_path / "ours.md"
    wording.write_text("# Our consent\n\nFor {patient_name}.\n", encoding="utf-8")
    engine = create_engine(empty_db_url)
    upgrade_to_head(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO clinic (id, name, address, phone, logo_path, policy, version) "
                "VALUES (1, 'Old Clinic', '', '', :logo, :policy, 1)"
            ),
            {"logo": str(logo), "policy": json.dumps({"consent_template": str(wording), "backups_keep": 5})},
        )
        conn.execute(
            text(
                "INSERT INTO protocol (id, ref, name, infusions, prep_minutes, infusion_minutes, "
                "recovery_minutes, min_hours_between, max_per_7_days, max_gap_days, "
                "dose_mg_per_kg, version) VALUES (1, 'KET', 'Ketamine', 6, 20, 40, 60, 48, 3, 7, 0.5, 1)"
            )
        )
    upgrade_to_head(engine)
    engine.dispose()
    logo.unlink()
    wording.unlink()
    db = open_database(empty_db_url)
    try:
        with db.begin() as session:
            clinic = mapping.read_clinic(session)
            policy = mapping.read_policy(session)
            [protocol] = mapping.read_protocols(session).values()
        assert clinic.logo is not None and clinic.logo.startswith(b"\x89PNG")
        assert policy.backups_keep == 5
        assert protocol.consent_template is not None
        assert protocol.consent_template.text.startswith("# Our consent")
        assert [row.protocols for row in list_templates(db)] == [("KET",)]
    finally:
        db.close()


def test_patients_and_protocols_of_an_older_database_keep_their_meaning(tmp_path: object) -> None:
    """Upgrading a database from before the patient details: allergies "not recorded",
    sex unknown, no phone, no weighing date; protocols treat depression."""
    from pathlib import Path

    from sqlalchemy import create_engine, text

    from planner.db.migrate import upgrade_to_head

    assert isinstance(tmp_path, Path)
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade_to_head(engine, "0002")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO patient (ref, name, date_of_birth, record_number, weight_kg, flags, "
                "flags_acknowledged_by, escort_name, escort_phone, notes, archived, version) "
                "VALUES ('P-1', 'A B', '1980-01-01', 'MRN-1', 70, '[]', '', '', '', '', 0, 1)"
            )
        )
        c.execute(
            text(
                "INSERT INTO protocol (ref, name, infusions, prep_minutes, infusion_minutes, "
                "recovery_minutes, min_hours_between, max_per_7_days, max_gap_days, "
                "dose_mg_per_kg, version) VALUES ('K', 'Ketamine', 6, 20, 40, 60, 48, 3, 7, 0.5, 1)"
            )
        )
    upgrade_to_head(engine)
    from planner.db import mapping

    with engine.connect() as c:
        (patient,) = mapping.read_patients(c).values()
        (protocol,) = mapping.read_protocols(c).values()
    engine.dispose()
    assert (patient.allergies, patient.sex, patient.phone, patient.weight_measured) == (
        None,
        "unknown",
        "",
        None,
    )
    assert protocol.indication == "depression"
