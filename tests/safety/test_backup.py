"""Backups and restore: consistent online copies, rotation, verified restores, nothing lost."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import Database, open_database
from planner.services.backup import (
    BackupError,
    automatic_backup,
    backup_database,
    database_backup_dir,
    restore_database,
    verify_backup,
)
from planner.services.clinic_io import dump_document
from planner.services.sessions import SessionDraft, create_session
from planner.settings import backup_dir
from tests.factories import base_document, load_into

from .conftest import full_state


def _book(db: Database, hour: int, day: int = 2) -> str:
    return create_session(
        db,
        SessionDraft(course_ref="C-0001", chair_ref="CH-2", start=datetime(2026, 12, day, hour, 0)),
    )


def test_backup_and_restore_round_trip_on_each_backend(db: Database) -> None:
    load_into(db, base_document())
    saved = dump_document(db)
    copy = backup_database(db)
    assert copy.parent == database_backup_dir(db) and copy.exists()
    assert copy.parent.parent == backup_dir()
    _book(db, 9)  # a change made after the backup
    assert dump_document(db) != saved
    result = restore_database(db, copy)
    assert dump_document(db) == saved
    # The replaced database was kept: restoring *that* brings the later change back.
    assert result.kept.exists()
    restore_database(db, result.kept)
    assert len(dump_document(db)["sessions"]) == 2


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    db = open_database(url)
    load_into(db, base_document())
    db.close()
    out = tmp_path / "copy.sqlite3"
    assert run(["--db", url, "backup", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    db = open_database(url)
    _book(db, 12)
    db.close()
    assert run(["--db", url, "restore", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "kept as" in printed
    db = open_database(url)
    try:
        assert [s["ref"] for s in dump_document(db)["sessions"]] == ["X-1"]
    finally:
        db.close()


def test_backup_is_consistent_while_another_workstation_writes(sqlite_db: Database) -> None:
    """Copies made during a stream of bookings are each intact and hold whole bookings."""
    load_into(sqlite_db, base_document())
    writer_db = open_database(sqlite_db.url)
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        k = 0
        try:
            while not stop.is_set():
                start = datetime(2027, 1, 4, 8, 0) + timedelta(hours=3 * k)
                create_session(
                    writer_db,
                    SessionDraft(
                        course_ref="C-0001", chair_ref="CH-1", start=start,
                        assignments=(("S1", "psychiatrist"), ("S2", "infusion_nurse")),
                    ),
                )
                k += 1
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    copies = []
    try:
        for n in range(8):
            copies.append(backup_database(sqlite_db, sqlite_db.path.parent / f"live-{n}.sqlite3"))  # type: ignore[union-attr]
    finally:
        stop.set()
        thread.join(timeout=60)
        writer_db.close()
    assert not errors, errors
    for copy in copies:
        verify_backup(sqlite_db, copy)
        connection = sqlite3.connect(copy)
        try:
            sessions = connection.execute("SELECT count(*) FROM infusion_session").fetchone()[0]
            staffed = connection.execute("SELECT count(*) FROM assignment").fetchone()[0]
            audited = connection.execute(
                "SELECT count(*) FROM audit_event WHERE entity='session' AND action='create'"
            ).fetchone()[0]
        finally:
            connection.close()
        assert staffed == 2 * sessions  # no booking copied half-way
        assert audited == sessions - 1


def test_automatic_backups_rotate_keeping_the_policy_number(sqlite_db: Database) -> None:
    doc = base_document()
    doc["policy"] = {"backups_keep": 3}
    load_into(sqlite_db, doc)
    made = [automatic_backup(sqlite_db) for _ in range(5)]
    assert all(p is not None for p in made)
    left = sorted(p.name for p in database_backup_dir(sqlite_db).glob("auto-*"))
    assert left == sorted(p.name for p in made[-3:] if p is not None)


def test_no_automatic_backup_of_an_empty_database_or_when_switched_off(
    sqlite_db: Database,
) -> None:
    assert automatic_backup(sqlite_db) is None
    load_into(sqlite_db, base_document())
    assert automatic_backup(sqlite_db, keep=0) is None
    assert list(backup_dir().rglob("auto-*")) == []


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(data), 4096 * 12), 97):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "problem", ["damaged", "not-a-database", "old-schema", "empty-json", "broken-json"]
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    sqlite_db: Database, tmp_path: Path, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    load_into(sqlite_db, base_document())
    bad = tmp_path / "bad.sqlite3"
    if problem == "damaged":
        backup_database(sqlite_db, bad)
        _damage(bad)
    elif problem == "not-a-database":
        bad.write_bytes(b"PK\x03\x04 this is a zip file, not a backup" * 100)
    elif problem == "old-schema":
        backup_database(sqlite_db, bad)
        connection = sqlite3.connect(bad)
        connection.execute("UPDATE alembic_version SET version_num = '0000_older'")
        connection.commit()
        connection.close()
    elif problem == "empty-json":
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"format": "infusion-planner/1"}), encoding="utf-8")
    else:
        doc = base_document()
        doc["sessions"][0]["chair"] = "CH-9"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc), encoding="utf-8")
    before = full_state(sqlite_db)
    with pytest.raises(BackupError):
        restore_database(sqlite_db, bad)
    assert full_state(sqlite_db) == before
    assert list(backup_dir().rglob("before-restore-*")) == []
    code = run(["--db", sqlite_db.url, "restore", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "Traceback" not in err
    assert full_state(sqlite_db) == before


def test_backup_refuses_to_overwrite_the_database_itself(sqlite_db: Database) -> None:
    with pytest.raises(BackupError):
        backup_database(sqlite_db, sqlite_db.path)


def test_postgres_backup_is_a_loadable_document(db: Database, tmp_path: Path) -> None:
    load_into(db, base_document())
    copy = backup_database(db, tmp_path / "copy.any")
    if db.is_postgres:
        from planner.interchange.validate import parse_document

        parse_document(copy.read_bytes())  # loadable anywhere
    else:
        assert copy.read_bytes()[:16] == b"SQLite format 3\x00"


def test_restore_names_what_a_foreign_file_is_on_each_backend(db: Database, tmp_path: Path) -> None:
    load_into(db, base_document())
    garbage = tmp_path / "photo.bin"
    garbage.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(BackupError) as caught:
        verify_backup(db, garbage)
    message = str(caught.value)
    # Random bytes are not "a SQLite backup", whichever database is restoring them.
    assert "is a SQLite backup" not in message
    assert "not a" in message


def test_restore_of_a_folder_says_so(sqlite_db: Database, tmp_path: Path) -> None:
    load_into(sqlite_db, base_document())
    with pytest.raises(BackupError, match="is a folder"):
        verify_backup(sqlite_db, tmp_path)
