"""Reports and exports read in a transaction that cannot write, on both back-ends."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from planner.db.engine import Database
from planner.services.read_only import read_only
from tests.factories import base_document, load_into


def test_the_report_transaction_refuses_writes(db: Database) -> None:
    load_into(db, base_document())
    with read_only(db) as conn:
        assert conn.execute(text("SELECT count(*) FROM patient")).scalar() == 1
        with pytest.raises(DBAPIError, match="(?i)read.only|readonly"):
            conn.execute(text("UPDATE patient SET name = 'changed'"))
    # The connection goes back to the pool able to write again.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE patient SET notes = 'still writable'"))
        assert conn.execute(text("SELECT notes FROM patient")).scalar() == "still writable"
