"""What a command gets: the database (opened lazily) and a way to fail cleanly."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import ArgumentError

from planner.db.engine import Database, DatabaseError, describe_url, open_database
from planner.settings import default_db_url


def _shown(url: str) -> str:
    """The URL for a message, its whole credentials part hidden."""
    return describe_url(url)


class CliError(Exception):
    """A problem the user can fix; printed as ``error: message`` with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class CliContext:
    def __init__(
        self,
        db_url: str | None = None,
        *,
        key_prompt: bool = False,
        password_stdin: bool = False,
        stdin_taken: bool = False,
    ) -> None:
        self.db_url = db_url or default_db_url()
        self.key_prompt = key_prompt
        #: Sign-in (a database with accounts): the password from standard input; ``stdin_taken``:
        #: the command reads its own secret from there.
        self.password_stdin = password_stdin
        self.stdin_taken = stdin_taken
        self._db: Database | None = None

    def open_db(self) -> Database:
        if self._db is None:
            from planner.db.crypto import KeyRequired, resolve_key
            from planner.db.urls import UrlProblem, normalise_url

            try:
                url = resolve_key(normalise_url(self.db_url), prompt=self.key_prompt)
                self._db = open_database(url)
            except UrlProblem as exc:
                raise CliError(f"cannot open database {_shown(self.db_url)}: {exc}") from None
            except KeyRequired as exc:
                raise CliError(str(exc), exit_code=2) from None
            except DatabaseError as exc:
                raise CliError(str(exc), exit_code=2) from exc
            except ArgumentError as exc:  # not a URL, or a database type SQLAlchemy lacks
                raise CliError(
                    f"cannot open database {_shown(self.db_url)}: not a database URL this program "
                    f"understands ({exc}); e.g. sqlite:///path/clinic.sqlite3 or "
                    "postgresql+psycopg://user@host/dbname",
                    exit_code=2,
                ) from None
            except ModuleNotFoundError as exc:  # the URL names a driver that is not installed
                raise CliError(
                    f"cannot open database {_shown(self.db_url)}: its driver is not installed "
                    f"({exc.name})",
                    exit_code=2,
                ) from None
            except ValueError as exc:  # the URL parser's own refusal (a malformed part)
                from planner.db.urls import scrub_urls

                raise CliError(
                    f"cannot open database {_shown(self.db_url)}: the address is malformed "
                    f"({scrub_urls(str(exc))[:200]})",
                    exit_code=2,
                ) from None
            from planner.cli.sign_in import sign_in_for_command

            sign_in_for_command(
                self._db, password_stdin=self.password_stdin, stdin_taken=self.stdin_taken
            )
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
