"""The workstation's view settings: some for the user everywhere, some for one database.

How big an hour is drawn or whether the legend shows is the user's taste and follows
them from clinic to clinic; what a clinic's cards show belongs to that clinic's
database. Per-database keys live under ``databases/<id>/`` where the id is the one
the database carries itself (``planner.services.identity``), never its path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from planner.services.database import Database


class ViewSettings:
    """Read and write view settings; without a ``QSettings`` (tests) nothing is remembered."""

    def __init__(self, settings: QSettings | None, db: Database) -> None:
        self.settings = settings
        self.db = db
        self._identity: str | None = None

    @property
    def identity(self) -> str:
        if self._identity is None:
            from planner.services.identity import database_identity

            self._identity = database_identity(self.db)
        return self._identity

    def _key(self, key: str, per_database: bool) -> str:
        return f"databases/{self.identity}/{key}" if per_database else key

    def value(self, key: str, default: Any = None, *, per_database: bool = False) -> Any:
        if self.settings is None:
            return default
        found = self.settings.value(self._key(key, per_database))
        return default if found is None else found

    def number(self, key: str, default: float | None, *, per_database: bool = False) -> float | None:
        found = self.value(key, None, per_database=per_database)
        try:
            return default if found in (None, "") else float(found)
        except (TypeError, ValueError):
            return default

    def flag(self, key: str, default: bool, *, per_database: bool = False) -> bool:
        found = self.value(key, None, per_database=per_database)
        if found is None:
            return default
        if isinstance(found, str):
            return found.lower() in ("1", "true", "yes")
        return bool(found)

    def words(self, key: str, default: list[str], *, per_database: bool = False) -> list[str]:
        found = self.value(key, None, per_database=per_database)
        if found is None:
            return list(default)
        if isinstance(found, str):
            return [w for w in found.split(",") if w]
        return [str(w) for w in found]

    def set(self, key: str, value: Any, *, per_database: bool = False) -> None:
        if self.settings is None:
            return
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        full = self._key(key, per_database)
        if self.settings.value(full) != value:  # unchanged: the file is not rewritten
            self.settings.setValue(full, value)
