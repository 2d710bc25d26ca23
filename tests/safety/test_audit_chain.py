"""The audit trail is append-only in the database itself and hash-chained.

``DELETE FROM audit_event`` from any SQL client is refused by the database (the
issue's example); an edit or removal made behind the app's back (triggers
dropped) is found by ``audit verify`` (exit 1, the first broken link named) and
shown on the Audit page; every command that writes keeps the chain verifiable.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from planner.cli import run
from planner.db.engine import Database, open_database
from planner.domain.records import Patient
from planner.services import patients
from planner.services.patient_import import import_patients, preview_patient_csv
from tests.factories import base_document, load_into

TODAY = date(2026, 11, 29)


def _busy_trail(db: Database, n: int = 6) -> None:
    load_into(db, base_document())
    for i in range(n):
        patients.create_patient(
            db,
            Patient(ref="", name=f"Chain {i}", date_of_birth=date(1980, 1, 1 + i),
                         record_number=f"CH-{i}", weight_kg=70.0),
            today=TODAY,
        )


def _raw(db: Database, sql: str) -> None:
    """Run ``sql`` as any SQL client would: a plain connection, no app in between."""
    engine = create_engine(db.engine.url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _count(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM audit_event").scalar() or 0)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_event",
        "DELETE FROM audit_event WHERE id = 2",
        "UPDATE audit_event SET summary = 'nothing happened'",
        'UPDATE audit_event SET "user" = \'someone else\' WHERE id = 1',
    ],
)
def test_the_database_itself_refuses_to_change_or_delete_events(db: Database, sql: str) -> None:
    _busy_trail(db)
    before = _count(db)
    with pytest.raises(DBAPIError, match="append-only"):
        _raw(db, sql)
    assert _count(db) == before
    assert run(["--db", db.url, "audit", "verify"]) == 0


def test_postgres_refuses_truncate(db: Database) -> None:
    if not db.is_postgres:
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has none)")
    _busy_trail(db)
    with pytest.raises(DBAPIError, match="append-only"):
        _raw(db, "TRUNCATE audit_event")
    assert _count(db) > 0


def _without_guard(db: Database, sql: str) -> None:
    """Someone with full access drops the guard first, then edits (what verify must catch)."""
    if db.is_sqlite:
        _raw(db, "DROP TRIGGER audit_event_no_update")
        _raw(db, "DROP TRIGGER audit_event_no_delete")
    else:
        _raw(db, "ALTER TABLE audit_event DISABLE TRIGGER USER")
    _raw(db, sql)


@pytest.mark.parametrize(
    ("tamper", "named", "words"),
    [
        ("UPDATE audit_event SET summary = 'nothing happened' WHERE id = 3", "#3",
         "was changed after it was recorded"),
        ("DELETE FROM audit_event WHERE id = 3", "#4", "does not follow event #2"),
        ("UPDATE audit_event SET at = at + INTERVAL '1 day' WHERE id = 5", "#5",
         "was changed after it was recorded"),
        ("UPDATE audit_event SET event_hash = '' WHERE id = 2", "#2", "has no hash"),
        ("UPDATE audit_event SET os_user = 'someone else' WHERE id = 4", "#4",
         "was changed after it was recorded"),
    ],
)
def test_verify_names_the_first_broken_link(
    db: Database, capsys: pytest.CaptureFixture[str], tamper: str, named: str, words: str
) -> None:
    _busy_trail(db)
    assert run(["--db", db.url, "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    if db.is_sqlite:
        tamper = tamper.replace("at + INTERVAL '1 day'", "datetime(at, '+1 day')")
    _without_guard(db, tamper)
    code = run(["--db", db.url, "audit", "verify"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"event {named} " in out and words in out, out
    assert "Traceback" not in out


def test_the_audit_page_shows_the_same_result(qtbot: Any, tmp_path: Path) -> None:
    from planner.services.audit import verify_audit_chain
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.pages.audit_page import AuditPage

    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    _busy_trail(db)
    page = AuditPage(AppContext(db=db, hub=ChangeHub()))
    qtbot.addWidget(page)
    page.refresh()  # the first showing walks the whole chain, in the background
    qtbot.waitUntil(lambda: "intact" in page.chain.text(), timeout=30000)
    patients.create_patient(  # a new event: the next refresh checks what was added
        db, Patient(ref="", name="New One", date_of_birth=date(1990, 1, 1), record_number="N-1"),
        today=TODAY,
    )
    page.refresh()
    assert page.chain.text() == verify_audit_chain(db).sentence()
    assert "8 event(s)" in page.chain.text()
    _without_guard(db, "DELETE FROM audit_event WHERE id = 2")
    page.verify_button.click()
    expected = verify_audit_chain(db).sentence()
    qtbot.waitUntil(lambda: page.chain.text() == expected, timeout=30000)
    assert "event #3" in expected and "altered" in expected
    assert page.verify_button.isEnabled()
    from tests.gui.pages_fixtures import save_screenshot

    page.resize(900, 500)
    save_screenshot(page, "audit-chain-broken")
    db.close()


def test_migration_hashes_the_events_already_there(empty_db_url: str) -> None:
    """A database made before the chain: its events are hashed in order, then guarded."""
    from planner.db.migrate import upgrade_to_head

    old = open_database(empty_db_url, migrate=False)
    upgrade_to_head(old.engine, "0001")
    with old.engine.begin() as connection:
        for i in range(25):
            connection.execute(
                text(
                    'INSERT INTO audit_event (at, "user", action, entity, ref, patient_ref, '
                    "summary, before, after) VALUES (:at, 'old', 'update', 'patient', :ref, "
                    ":ref, :summary, :before, NULL)"
                ),
                {
                    "at": datetime(2026, 1, 1, 9, i),
                    "ref": f"P-{i:04d}",
                    "summary": f"changed patient {i} — Zoë",
                    "before": '{"weight_kg": 70.5, "flags": ["pregnancy"]}',
                },
            )
    upgrade_to_head(old.engine)
    old.close()
    db = open_database(empty_db_url)
    try:
        from planner.services.audit import verify_audit_chain

        check = verify_audit_chain(db)
        assert check.ok and check.events == 25, check.sentence()
        with pytest.raises(DBAPIError, match="append-only"):
            _raw(db, "DELETE FROM audit_event")
        # New events continue the chain.
        load_into(db, base_document())
        assert verify_audit_chain(db).events == 26
        assert verify_audit_chain(db).ok
    finally:
        db.close()


def test_every_command_keeps_the_chain_verifiable(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    _busy_trail(db, 3)
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    csv = tmp_path / "p.csv"
    csv.write_text("name,dob,mrn\nAl One,1970-01-02,IMP-1\nBea Two,1981-03-02,IMP-2\n")
    backup = tmp_path / ("copy.sqlite3" if db.is_sqlite else "copy.json")
    steps = [
        ["backup", "--out", str(backup)],
        ["import", "patients", str(csv)],
        ["load", "--replace", str(doc)],
        ["restore", str(backup)],
        ["dump", "--out", str(tmp_path / "d.json")],
        ["demo", "--replace", "--weeks", "1"],
    ]
    for step in steps:
        assert run(["--db", db.url, *step]) == 0, (step, capsys.readouterr().err)
        assert run(["--db", db.url, "audit", "verify"]) == 0, (step, capsys.readouterr().out)


def test_two_workstations_writing_at_once_never_fork_the_chain(db: Database) -> None:
    load_into(db, base_document())
    other = open_database(db.url)
    errors: list[BaseException] = []

    def write(station: Database, tag: str) -> None:
        try:
            for i in range(15):
                patients.create_patient(
                    station,
                    Patient(ref="", name=f"{tag} {i}", date_of_birth=date(1980, 1, 1 + i),
                                 record_number=f"{tag}-{i}", weight_kg=70.0),
                    today=TODAY,
                )
            text_ = "name,dob,mrn\n" + "".join(
                f"{tag} csv {i},1970-01-{i + 1:02d},{tag}-CSV-{i}\n" for i in range(20)
            )
            import_patients(station, preview_patient_csv(station, text_, today=TODAY))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, t)) for s, t in ((db, "A"), (other, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    other.close()
    assert not errors, errors
    from planner.services.audit import verify_audit_chain

    check = verify_audit_chain(db)
    assert check.ok, check.sentence()
    assert check.events == 1 + 2 * (15 + 20 + 1)
