"""What a command gets: the database (opened lazily) and a way to fail cleanly."""

from __future__ import annotations

from types import TracebackType

from planner.db.engine import Database, DatabaseError, open_database
from planner.settings import default_db_url


class CliError(Exception):
    """A problem the user can fix; printed as ``error: message`` with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class CliContext:
    def __init__(self, db_url: str | None = None, *, key_prompt: bool = False) -> None:
        self.db_url = db_url or default_db_url()
        self.key_prompt = key_prompt
        self._db: Database | None = None

    def open_db(self) -> Database:
        if self._db is None:
            from planner.db.crypto import KeyRequired, resolve_key

            try:
                url = resolve_key(self.db_url, prompt=self.key_prompt)
                self._db = open_database(url)
            except KeyRequired as exc:
                raise CliError(str(exc), exit_code=2) from None
            except DatabaseError as exc:
                raise CliError(str(exc), exit_code=2) from exc
        return self._db

    def __enter__(self) -> CliContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._db is not None:
            self._db.close()
