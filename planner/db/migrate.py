"""Run Alembic migrations from inside the app (start-up, tests, restore checks).

Start-up only needs to know that the schema is current: that is one small
query against ``alembic_version`` and ``HEAD_REVISION``, so Alembic itself is
imported only when there is something to migrate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest revision in migrations/versions (a test keeps the two in step).
HEAD_REVISION = "0080"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The head according to Alembic's own reading of the migration scripts."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (head by default); a no-op when it is there.

    Two programs opening a new database at the same moment take turns: the
    migration runs under the database's write lock (SQLite) or an advisory lock
    (PostgreSQL), and the second finds the schema already there.
    """
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        if revision == "head" and _revision_in(connection) == HEAD_REVISION:
            return  # another program migrated it while this one waited
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


#: The advisory lock key PostgreSQL migrations take (any constant no other lock uses).
_MIGRATION_LOCK = 0x504C414E  # "PLAN"


def _revision_in(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
