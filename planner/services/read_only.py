"""One read-only transaction for a report or an export: one consistent view of the clinic.

Reports read several tables; between two selects another workstation may
save. On PostgreSQL the transaction is REPEATABLE READ and READ ONLY (one
snapshot, and the server refuses any write); SQLite's deferred transaction
reads from one snapshot of the WAL file by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from planner.db.engine import Database


@contextmanager
def read_only(db: Database) -> Iterator[Connection]:
    with db.engine.connect() as conn:
        if db.is_postgres:
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn
