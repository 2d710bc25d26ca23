"""Which database this is, independent of where it lives or how it is reached.

A workstation keeps view settings per database (the cards' content, the
shown view …). Keying them by the URL would mix two clinics opened from the
same path at different times and split one clinic reached by two addresses;
a random id stored in the database itself (``app_setting``) follows a file
that is moved, copied as a backup or restored, and is the same for every
workstation of a PostgreSQL clinic.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError

if TYPE_CHECKING:
    from planner.db.engine import Database

IDENTITY_KEY = "database_id"

_READ = text("SELECT value FROM app_setting WHERE key = :key").bindparams(
    bindparam("key", IDENTITY_KEY)
)
_WRITE = text("INSERT INTO app_setting (key, value) VALUES (:key, :value)")


def database_identity(db: Database) -> str:
    """This database's id, made (once, by whichever workstation asks first) when missing."""
    with db.engine.begin() as conn:
        found = conn.execute(_READ).scalar()
    if found:
        return str(found)
    try:
        with db.engine.begin() as conn:
            conn.execute(_WRITE, {"key": IDENTITY_KEY, "value": uuid.uuid4().hex})
    except IntegrityError:  # another workstation made it a moment ago: theirs stands
        pass
    with db.engine.begin() as conn:
        return str(conn.execute(_READ).scalar())
