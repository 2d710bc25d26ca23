"""The clinic's database as the app holds it: opened for the user (asking for the key of an
encrypted one), or a reason why not.

The desktop app opens its database here rather than in ``planner.db``, so the
UI depends on services only. Light to import: no ORM, so the first week is
painted before the ORM loads.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.db.crypto import KeyRequired, open_encrypted
from planner.db.engine import Database, DatabaseError

__all__ = ["Database", "DatabaseError", "KeyRequired", "open_clinic_database"]


def open_clinic_database(url: str, ask_key: Callable[[str], str | None]) -> Database:
    """The migrated database at ``url``; for an encrypted one ``ask_key(message)`` is asked
    for its key (None: the user cancelled, ``KeyRequired``). ``DatabaseError`` says why a
    database cannot be opened."""
    return open_encrypted(url, ask_key)
