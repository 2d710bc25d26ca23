"""Encryption at rest with SQLCipher: building keyed URLs and asking for the key.

An encrypted database is ``sqlite+pysqlcipher://:KEY@//abs/path/file.db`` (the
``sqlcipher3`` package, the ``encryption`` extra). The key lives only in the
URL held in memory: it is asked for at start (a terminal prompt, the
``PLANNER_DB_KEY`` variable for unattended runs, or the GUI's password dialog
through :func:`apply_key`), never written to disk and never logged —
``describe_url`` and the log filter hide it. This module is Qt-free; the GUI
asks for the text and hands it here.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from planner.db.engine import Database

ENV_DB_KEY = "PLANNER_DB_KEY"
ENCRYPTED_DRIVER = "sqlite+pysqlcipher"


class KeyRequired(Exception):
    """An encrypted database was named but no key could be obtained; the text is for the user."""


def is_encrypted(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.get_driver_name() == "pysqlcipher"


def has_key(url: str) -> bool:
    return bool(make_url(url).password)


def needs_key(url: str) -> bool:
    """True for an encrypted URL that does not carry its key yet (ask the user)."""
    return is_encrypted(url) and not has_key(url)


def encrypted_url(path: str | os.PathLike[str], key: str) -> str:
    """The SQLAlchemy URL of the SQLCipher file at ``path`` opened with ``key``."""
    absolute = os.path.abspath(os.fspath(path))
    return f"{ENCRYPTED_DRIVER}://:{quote(key, safe='')}@/{absolute}"


def apply_key(url: str, key: str) -> str:
    """``url`` with ``key`` put in (what the GUI calls after its password dialog)."""
    if not key:
        raise KeyRequired("the database key must not be empty")
    if not is_encrypted(url):
        return url
    parsed = make_url(url)
    keyed = encrypted_url(parsed.database or "", key)
    query = parsed.render_as_string(hide_password=False).partition("?")[2]
    return f"{keyed}?{query}" if query else keyed


def url_key(url: str) -> str | None:
    """The key inside an encrypted URL (for keying a backup file the same way)."""
    if not is_encrypted(url):
        return None
    password = make_url(url).password
    return str(password) if password else None


def resolve_key(
    url: str,
    *,
    prompt: bool = False,
    ask: Callable[[str], str] | None = None,
    environ: dict[str, str] | None = None,
) -> str:
    """Return ``url`` with its key, asking for it when it is missing.

    The key comes, in order, from the URL itself, from ``PLANNER_DB_KEY``, or
    from ``ask`` (default: a hidden terminal prompt, only when ``prompt`` is
    set or the terminal is interactive). Raises ``KeyRequired`` otherwise.
    """
    if not needs_key(url):
        return url
    env = os.environ if environ is None else environ
    key = env.get(ENV_DB_KEY, "")
    if not key and (prompt or ask is not None or sys.stdin.isatty()):
        import getpass

        reader = ask or getpass.getpass
        try:
            key = reader("Database key: ")
        except (EOFError, KeyboardInterrupt):
            key = ""
    if not key:
        raise KeyRequired(
            "this database is encrypted: give its key (--key-prompt, or the "
            f"{ENV_DB_KEY} environment variable)"
        )
    return apply_key(url, key)


_URL_KEY = re.compile(r"(pysqlcipher://[^:/@]*:)([^@]*)(@)")
_PRAGMA_KEY = re.compile(r"(?i)(pragma\s+(?:re)?key\s*=\s*)(\S+)")


def redact(text: str) -> str:
    """``text`` with any database key or URL credentials replaced by ``***`` (every log line)."""
    from planner.db.urls import scrub_urls

    text = _URL_KEY.sub(r"\1***\3", text)
    return scrub_urls(_PRAGMA_KEY.sub(r"\1***", text))


@lru_cache(maxsize=1)
def quiet_sqlcipher() -> bool:
    """Silence SQLCipher's own stderr log: a wrong key must read as one clear message."""
    try:
        import sqlcipher3.dbapi2 as sqlcipher
    except ImportError:
        return False
    connection = sqlcipher.connect(":memory:")
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
    except sqlcipher.DatabaseError:  # older SQLCipher without log levels
        return False
    finally:
        connection.close()
    return True


def connect_file(path: str | os.PathLike[str], key: str | None) -> object:
    """A DBAPI connection to a SQLite file, keyed with SQLCipher when ``key`` is given."""
    if key is None:
        import sqlite3

        return sqlite3.connect(os.fspath(path))
    try:
        import sqlcipher3.dbapi2 as sqlcipher
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise KeyRequired(
            "encrypted databases need the 'encryption' extra (the sqlcipher3 package)"
        ) from exc
    quiet_sqlcipher()
    connection = sqlcipher.connect(os.fspath(path))
    escaped = key.replace("'", "''")
    connection.execute(f"PRAGMA key = '{escaped}'")
    return connection


def open_encrypted(
    url: str,
    ask: Callable[[str], str | None],
    *,
    attempts: int = 3,
) -> Database:
    """Open an encrypted database, asking for its key (what the GUI's password dialog calls).

    ``ask(message)`` shows ``message`` and returns the typed key, or None when the
    user cancels. A wrong key asks again (up to ``attempts`` times) with the
    wrong-key message; the key is kept only in the returned ``Database``'s URL.
    Raises ``KeyRequired`` on cancel and ``DatabaseError`` after the last wrong key.
    """
    from planner.db.engine import WRONG_KEY_MESSAGE, DatabaseError, open_database

    if not needs_key(url):
        return open_database(url)
    from_env = os.environ.get(ENV_DB_KEY, "")
    if from_env:
        return open_database(apply_key(url, from_env))
    message = "This database is encrypted. Enter its key:"
    for attempt in range(attempts):
        key = ask(message)
        if not key:
            raise KeyRequired("no key given: the encrypted database was not opened")
        try:
            return open_database(apply_key(url, key))
        except DatabaseError as exc:
            if WRONG_KEY_MESSAGE not in str(exc) or attempt + 1 == attempts:
                raise
            message = f"That key did not open it ({WRONG_KEY_MESSAGE}). Try again:"
    raise KeyRequired("no key given: the encrypted database was not opened")  # pragma: no cover
