"""Whether a database asks for a sign-in: the one accounts question start-up asks.

A light read (Core tables, no ORM) so the week paints as quickly with the
accounts feature as without it; everything else about accounts is in
``planner.services.accounts``.
"""

from __future__ import annotations

from planner.db import mapping
from planner.db.engine import Database


def database_has_accounts(db: Database) -> bool:
    with db.engine.connect() as connection:
        return mapping.has_accounts(connection)
