"""Engine factory: SQLite (WAL, foreign keys, busy timeout, owner-only file) or any URL.

``open_database(url)`` returns a ``Database`` whose schema is migrated to head.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from planner.domain.accounts import Account


class DatabaseError(Exception):
    """A database could not be opened or used; the message is for the user."""


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other back-ends and in-memory databases."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    database = parsed.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def ensure_private_file(path: Path) -> None:
    """Create ``path`` readable by the owner only, before SQLite opens it.

    Only a file created here gets its mode set: an existing file (or a folder, or
    someone else's file) named by mistake keeps its mode; SQLite then says what it is.
    The folder is created when missing (owner-only), an existing one is left as it is.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError:  # a folder, no permission …: SQLite will give the reason
        return
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask


def _refuse_special(path: Path) -> None:
    """A folder, device or pipe (or a link to one) is never opened as a database: SQLite
    would create its journal next to it (``/dev/null-journal``) or hang on a pipe."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseError(
                f"cannot open database {path}: it is a link to a file that does not exist"
            ) from None
        return
    except OSError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise DatabaseError(f"cannot open database {path}: it is a folder, not a database file")
    if not stat.S_ISREG(mode):
        raise DatabaseError(
            f"cannot open database {path}: it is a device or a pipe, not a database file"
        )


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def is_encrypted_url(url: str) -> bool:
    """True for ``sqlite+pysqlcipher://`` (SQLCipher encryption at rest)."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.get_driver_name() == "pysqlcipher"


#: What the user sees when SQLite refuses the file's first page.
WRONG_KEY_MESSAGE = "wrong key or not an encrypted planner database"
NOT_PLAIN_MESSAGE = "not a planner database (or it is encrypted: open it with its key)"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    # Error messages (and so logs) never carry the row values: they may be patient data.
    kwargs.setdefault("hide_parameters", True)
    if backend.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            _refuse_special(path)
            ensure_private_file(path)
        if is_encrypted_url(url):
            from planner.db.crypto import quiet_sqlcipher

            quiet_sqlcipher()
        engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def describe_url(url: str) -> str:
    """The URL with its whole credentials part hidden (``***@``), for titles, logs and About;
    a SQLite file as its path."""
    from planner.db.urls import redact_url

    try:
        path = sqlite_path(url)
    except Exception:  # not even parseable: still never show its credentials
        return redact_url(url)
    if path is not None:
        return str(path)
    return redact_url(url)


@dataclass
class Database:
    """An open, migrated database: the engine and its session factory.

    The ORM (and so the session factory) is loaded on the first unit of work, not on
    opening: the app paints its first week with Core reads before it needs the ORM.
    """

    url: str
    engine: Engine
    _session_factory: sessionmaker[Session] | None = field(default=None, repr=False)
    #: The signed-in account (None: nobody; a database without accounts needs nobody).
    actor: Account | None = field(default=None, repr=False)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        if self._session_factory is None:
            from sqlalchemy.orm import sessionmaker

            self._session_factory = sessionmaker(self.engine, expire_on_commit=False)
        return self._session_factory

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def describe(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self.session_factory.begin() as session:
            session.info["actor"] = self.actor  # what the services check a change against
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True, **engine_kwargs: Any) -> Database:
    """Open ``url`` and bring its schema to the newest revision."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from planner.db.urls import UrlProblem, normalise_url, scrub_urls

    try:
        url = normalise_url(url)
    except UrlProblem as exc:
        raise DatabaseError(f"cannot open database {describe_url(url)}: {exc}") from None
    if is_encrypted_url(url) and not make_url(url).password:
        raise DatabaseError(
            f"cannot open database {describe_url(url)}: it is encrypted; give its key "
            "(--key-prompt or PLANNER_DB_KEY)"
        )
    engine = make_engine(url, **engine_kwargs)
    try:
        if migrate:
            from planner.db.migrate import upgrade_to_head

            upgrade_to_head(engine)
    except DBAPIError as exc:
        engine.dispose()
        orig = getattr(exc, "orig", exc)
        if "file is not a database" in str(orig):
            reason = WRONG_KEY_MESSAGE if is_encrypted_url(url) else NOT_PLAIN_MESSAGE
            raise DatabaseError(f"cannot open database {describe_url(url)}: {reason}") from None
        raise DatabaseError(
            f"cannot open database {describe_url(url)}: {scrub_urls(str(orig))}"
        ) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(
            f"cannot open database {describe_url(url)}: {scrub_urls(str(exc))}"
        ) from exc
    database = Database(url=url, engine=engine)
    if database.path is not None:
        from planner.safe_output import protect_database

        protect_database(database.path)  # no output may ever be written over it
    return database
