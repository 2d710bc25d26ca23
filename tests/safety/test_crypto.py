"""Encryption at rest (SQLCipher): unreadable without the key, clear wrong-key message,
encrypted backups, and the key never written anywhere."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("sqlcipher3", reason="encryption NOT TESTED: the 'encryption' extra is missing")

from planner.cli import run  # noqa: E402
from planner.db.crypto import (  # noqa: E402
    KeyRequired,
    apply_key,
    encrypted_url,
    needs_key,
    open_encrypted,
    redact,
    resolve_key,
)
from planner.db.engine import DatabaseError, open_database  # noqa: E402
from planner.logging_setup import setup_logging, shutdown_logging  # noqa: E402
from planner.services.backup import backup_database, restore_database  # noqa: E402
from planner.services.clinic_io import dump_document  # noqa: E402
from planner.settings import backup_dir, data_dir  # noqa: E402
from tests.factories import base_document, load_into  # noqa: E402

KEY = "correct horse: battery@staple/42"
PATIENT = "Łukasiewicz"


def _encrypted(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "secret.db"
    url = encrypted_url(path, KEY)
    db = open_database(url)
    load_into(db, base_document())
    db.close()
    return path, url


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_encrypted_database_is_unreadable_without_the_key(tmp_path: Path) -> None:
    path, url = _encrypted(tmp_path)
    raw = path.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("secret.db-*"))
    assert not raw.startswith(b"SQLite format 3")
    assert PATIENT.encode() not in raw and b"MRN-1001" not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM patient").fetchall()
    db = open_database(url)
    try:
        assert dump_document(db)["patients"][0]["name"].endswith(PATIENT)
        assert KEY not in db.describe()
    finally:
        db.close()


def test_wrong_key_is_a_clear_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _encrypted(tmp_path)
    with pytest.raises(DatabaseError, match="wrong key or not an encrypted planner database"):
        open_database(encrypted_url(path, "not the key"))
    code = run(["--db", encrypted_url(path, "not the key"), "dump"])
    err = capsys.readouterr().err
    assert code == 2
    assert "wrong key or not an encrypted planner database" in err
    assert "Traceback" not in err and "not the key" not in err
    # A plain file opened as encrypted, and the encrypted one opened as plain: also clear.
    plain = tmp_path / "plain.sqlite3"
    open_database(f"sqlite:///{plain}").close()
    assert run(["--db", encrypted_url(plain, KEY), "dump"]) == 2
    assert "wrong key or not an encrypted planner database" in capsys.readouterr().err
    assert run(["--db", f"sqlite:///{path}", "dump"]) == 2
    assert "encrypted" in capsys.readouterr().err


def test_key_is_asked_for_and_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _encrypted(tmp_path)
    bare = f"sqlite+pysqlcipher:///{path}"
    assert needs_key(bare)
    assert resolve_key(bare, ask=lambda _prompt: KEY, environ={}) == apply_key(bare, KEY)
    with pytest.raises(KeyRequired):
        resolve_key(bare, ask=lambda _prompt: "", environ={})
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert run(["--db", bare, "dump"]) == 2
    assert "encrypted" in capsys.readouterr().err
    monkeypatch.setenv("PLANNER_DB_KEY", KEY)
    assert run(["--db", bare, "dump", "--out", str(tmp_path / "d.json")]) == 0
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["patients"]


def test_the_gui_path_asks_again_after_a_wrong_key_and_stops_on_cancel(tmp_path: Path) -> None:
    path, _ = _encrypted(tmp_path)
    bare = f"sqlite+pysqlcipher:///{path}"
    answers = iter(["wrong", KEY])
    prompts: list[str] = []

    def ask(message: str) -> str | None:
        prompts.append(message)
        return next(answers)

    db = open_encrypted(bare, ask)
    try:
        assert dump_document(db)["patients"]
    finally:
        db.close()
    assert "wrong key or not an encrypted planner database" in prompts[1]
    with pytest.raises(KeyRequired):
        open_encrypted(bare, lambda _message: None)
    with pytest.raises(DatabaseError, match="wrong key"):
        open_encrypted(bare, lambda _message: "wrong", attempts=2)
    with pytest.raises(DatabaseError, match="encrypted; give its key"):
        open_database(bare)


def test_backups_of_an_encrypted_database_stay_encrypted(tmp_path: Path) -> None:
    path, url = _encrypted(tmp_path)
    db = open_database(url)
    try:
        saved = dump_document(db)
        copy = backup_database(db)
        data = copy.read_bytes()
        assert not data.startswith(b"SQLite format 3")
        assert PATIENT.encode() not in data
        # Readable with the key, and restorable.
        other = open_database(encrypted_url(copy, KEY))
        assert dump_document(other) == saved
        other.close()
        with db.begin() as session:
            from planner.db.models import Patient

            session.query(Patient).one().notes = "changed after the backup"
        result = restore_database(db, copy)
        assert dump_document(db) == saved
        assert not result.kept.read_bytes().startswith(b"SQLite format 3")
    finally:
        db.close()


def test_the_key_is_never_written_to_disk_or_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, url = _encrypted(tmp_path)
    log = setup_logging()
    try:
        logger = logging.getLogger("planner.test")
        logger.info("opening %s", url)
        try:
            raise RuntimeError(f"failed on {url} after PRAGMA key='{KEY}'")
        except RuntimeError:
            logger.exception("while opening")
        assert run(["--db", url, "backup"]) == 0
        assert run(["--db", url, "dump", "--out", str(tmp_path / "d.json")]) == 0
    finally:
        shutdown_logging()
    text = log.read_text(encoding="utf-8")
    assert "opening" in text and "while opening" in text
    encoded = apply_key(url, KEY).split("@")[0].split(":")[-1]
    for secret in (KEY, encoded):
        assert secret not in text
        assert secret.encode() not in _all_bytes(data_dir())
        assert secret.encode() not in _all_bytes(backup_dir())
        assert secret not in capsys.readouterr().out
    assert KEY not in redact(f"{url} PRAGMA key = '{KEY}'")
