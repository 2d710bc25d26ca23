"""One read-only transaction for a report or an export: one consistent view of the clinic.

Reports read several tables; between two selects another workstation may
save. On PostgreSQL the transaction is REPEATABLE READ and READ ONLY (one
snapshot, and the server refuses any write); on SQLite the deferred
transaction reads one snapshot by itself, and ``query_only`` refuses writes
until the connection goes back to the pool.
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
            return
        if db.is_sqlite:
            _query_only(conn, True)
        try:
            with conn.begin():
                yield conn
        finally:
            if db.is_sqlite:
                _query_only(conn, False)


def _query_only(conn: Connection, on: bool) -> None:
    """SQLite's switch that refuses writes on this connection (outside any transaction)."""
    conn.exec_driver_sql(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
    conn.commit()
