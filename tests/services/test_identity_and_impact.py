"""A database's own identity (view settings are kept per database by it) and the booked
sessions a change breaks — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from planner.db.engine import Database, open_database
from planner.services.clinic import OpeningRange, save_clinic_settings
from planner.services.identity import database_identity
from planner.services.rule_impact import booked_errors, newly_broken
from tests.factories import base_document, load_into


def test_identity_is_made_once_and_stays(db: Database, tmp_path: Path) -> None:
    first = database_identity(db)
    assert len(first) == 32
    assert database_identity(db) == first
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        assert database_identity(other) != first
    finally:
        other.close()


def test_a_copied_database_file_keeps_its_identity(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "clinic.sqlite3"
    db = open_database(f"sqlite:///{path}")
    mine = database_identity(db)
    db.close()
    shutil.copy(path, tmp_path / "moved.sqlite3")
    moved = open_database(f"sqlite:///{tmp_path / 'moved.sqlite3'}")
    try:
        assert database_identity(moved) == mine
    finally:
        moved.close()


def test_shorter_hours_break_the_session_booked_outside_them(db: Database) -> None:
    load_into(db, base_document())
    today = date(2026, 11, 30)
    before = booked_errors(db, today)
    assert before == frozenset()
    hours = [OpeningRange(weekday=d, open=time(8), close=time(18)) for d in range(5) if d != 1]
    save_clinic_settings(
        db, opening_hours=[*hours, OpeningRange(weekday=1, open=time(12), close=time(18))]
    )
    broken = newly_broken(before, booked_errors(db, today))
    assert [(b.ref, b.code, b.patient) for b in broken] == [
        ("X-1", "outside-opening-hours", "Zoë Łukasiewicz")
    ]
    assert newly_broken(booked_errors(db, today), booked_errors(db, today)) == []
