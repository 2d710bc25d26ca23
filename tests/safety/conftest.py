"""Fixtures for the safety suite: two workstations on one database, helpers to compare dumps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.db.engine import Database, open_database
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into


@pytest.fixture
def workstations(db_url: str) -> Iterator[tuple[Database, Database]]:
    """Two workstations: two engines (own pools, own connections) on the same database."""
    first = open_database(db_url)
    load_into(first, base_document())
    second = open_database(db_url)
    yield first, second
    second.close()
    first.close()


@pytest.fixture
def clinic_file(tmp_path: Path) -> tuple[str, Path]:
    """A closed SQLite clinic file (the small factory clinic): its URL and its path."""
    path = tmp_path / "clinic.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    load_into(db, base_document())
    db.close()
    return url, path


def rows_of(url: str) -> Any:
    """Every row of every table of the database at ``url`` (row-for-row comparisons)."""
    from tests.safety.test_fuzz import _state

    db = open_database(url)
    try:
        return _state(db)
    finally:
        db.close()


def records_in_copy(path: Path) -> set[str]:
    """Record numbers of the patients in a kept copy (a SQLite file or a JSON document)."""
    import json
    import sqlite3

    if path.suffix == ".json":
        return {p["record_number"] for p in json.loads(path.read_text())["patients"]}
    copy = sqlite3.connect(path)
    try:
        return {r[0] for r in copy.execute("SELECT record_number FROM patient")}
    finally:
        copy.close()


def full_state(db: Database) -> dict[str, Any]:
    """Everything a user could see: the clinic document plus the audit trail and versions."""
    from sqlalchemy import select

    from planner.db.models import AuditEvent, Course, InfusionSession, Patient

    with db.begin() as session:
        audit = [
            (e.user, e.action, e.entity, e.ref, e.summary, e.before, e.after)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
        versions = {
            model.__name__: sorted(
                (r.ref, r.version) for r in session.scalars(select(model))  # type: ignore[attr-defined]
            )
            for model in (Patient, Course, InfusionSession)
        }
    return {"document": dump_document(db), "audit": audit, "versions": versions}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The figures a release note needs: fuzz examples run and racing bookings attempted."""
    import sys

    lines = []
    fuzz = sys.modules.get("tests.safety.test_fuzz")
    if fuzz is not None and getattr(fuzz, "COUNTS", None):
        counts = fuzz.COUNTS
        lines.append(f"fuzz examples run: {sum(counts.values())} " + str(dict(sorted(counts.items()))))
    races = sys.modules.get("tests.safety.test_workstations")
    if races is not None and races.STATS.get("racing_bookings"):
        lines.append(f"racing bookings attempted: {races.STATS['racing_bookings']}")
    crash = sys.modules.get("tests.safety.test_crash")
    if crash is not None and getattr(crash, "RESULTS", None):
        lines.append(f"kill -9 rounds survived: {crash.RESULTS}")
    for module in ("tests.safety.test_load_race", "tests.safety.test_restore",
                   "tests.safety.test_attacks", "tests.safety.test_kills"):
        stats = getattr(sys.modules.get(module), "STATS", None)
        if stats:
            lines.append(", ".join(f"{name}: {n}" for name, n in sorted(stats.items())))
    if lines:
        terminalreporter.write_sep("-", "safety figures")
        for line in lines:
            terminalreporter.write_line(line)
