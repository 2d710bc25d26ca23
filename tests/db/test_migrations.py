"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

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
