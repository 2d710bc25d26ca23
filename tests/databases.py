"""Test databases: migrated once per test session, then copied (or emptied) for each test.

Running the migrations for each test's database cost more than many tests. A
SQLite test gets a copy of a file migrated once; a PostgreSQL test gets the
test database's schema with its rows removed (it is migrated again only when
a test left it at another revision or empty, e.g. a migration test).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

from planner.db import tables
from planner.db.engine import open_database
from planner.db.migrate import HEAD_REVISION, current_revision


class SqliteTemplate:
    """A migrated, empty SQLite file, made on first use and copied for each test."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._path: Path | None = None

    def copy_to(self, path: Path) -> str:
        """A migrated, empty database at ``path`` (owner-only, as the app makes it); its URL."""
        if self._path is None:
            template = self._folder / "template.sqlite3"
            open_database(f"sqlite:///{template}").close()
            self._path = template
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path, path)
        os.chmod(path, 0o600)
        return f"sqlite:///{path}"


_sqlite: SqliteTemplate | None = None


def use_sqlite_template(template: SqliteTemplate) -> None:
    global _sqlite
    _sqlite = template


def migrated_sqlite(path: Path) -> str:
    """The URL of a fresh, migrated, empty SQLite database at ``path``."""
    assert _sqlite is not None, "the session's template is set up by tests/conftest.py"
    return _sqlite.copy_to(path)


def reset_postgres(url: str, *, migrated: bool = True) -> None:
    """Empty the PostgreSQL database at ``url``: no rows, schema at head (or no schema at all)."""
    engine = create_engine(url)
    try:
        at_head = migrated and current_revision(engine) == HEAD_REVISION
        with engine.begin() as connection:
            if at_head:
                names = ", ".join(f'"{t.name}"' for t in tables.metadata.sorted_tables)
                # The audit trail refuses TRUNCATE (append-only): the test's owner lifts that
                # for this one transaction, the triggers are back when it commits.
                connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                connection.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
            else:
                connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    if migrated and not at_head:
        open_database(url).close()
