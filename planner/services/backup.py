"""Backups and restore: consistent online copies, per-database rotation, verified restores.

Where: each database has its own folder inside the backups folder,
``backups/<name>-<id>/``, where ``<id>`` is a short hash of the database's
resolved file path (SQLite) or its server, port and name (PostgreSQL). Two
databases called ``clinic.db`` in two folders never share a folder, so the
rotation of one never deletes the other's copies.

What: SQLite — a copy made with the SQLite online backup API (a consistent
snapshot while the app keeps running); the copy of an encrypted (SQLCipher)
database is keyed with the same key, so it stays encrypted, always.
PostgreSQL — the whole clinic as one ``infusion-planner/1`` JSON document.
Every file is written through ``planner.safe_output``: 0600, temporary name
first, renamed when complete, so a crash or a full disk leaves no half-written
backup under the real name.

Restore checks everything before it changes anything: a private copy of the
file is checked for integrity, foreign keys, every table and column of the
current schema, the schema revision, and that its data reads; then, in ONE
transaction holding the write lock, the current database is kept as a
``before-restore-*`` copy, the content is replaced, the audit events of the
backup that this database does not have are carried over, and the restore
itself is recorded. A kill at any moment leaves either the old database or
the restored one, with its whole audit trail.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, insert, select
from sqlalchemy.orm import Session

from planner.db import tables
from planner.db.audit_chain import FIELDS as AUDIT_FIELDS
from planner.db.audit_chain import canonical, chain, lock_head
from planner.db.crypto import connect_file, encrypted_url, url_key
from planner.db.engine import Database
from planner.db.migrate import head_revision
from planner.db.models import Base, Clinic
from planner.domain.policy import Policy
from planner.safe_output import OutputError, staged_file
from planner.services.base import (
    ServiceError,
    lock_for_replace,
    read_snapshot,
    system_clock,
    unit_of_work,
)
from planner.services.permissions import authorize
from planner.settings import backup_dir, current_user

SQLITE_SUFFIX = ".sqlite3"
JSON_SUFFIX = ".json"
AUTO_PREFIX = "auto-"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_STAMP = r"\d{8}-\d{6}-\d{6}"
#: Tables a restore never replaces: the schema revision and the append-only audit trail.
_AUDIT: Table = tables.audit_event
_KEPT_TABLES = ("alembic_version", _AUDIT.name)
_SOURCE = "restore_src"
#: A clinic document larger than this is not a backup this app made.
_MAX_DOCUMENT = 512 << 20
#: Leftovers of a killed backup or restore are removed after this many seconds.
_STALE_SECONDS = 24 * 3600


class BackupError(ServiceError):
    """A backup could not be made or a file cannot be restored; the text says why."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept: Path  # the replaced database, saved before anything changed
    kind: str  # "sqlite" | "json"
    carried_events: int = 0  # audit events of the backup this database did not have
    note: str = ""  # e.g. the backup's own audit trail did not verify


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")


def _slug(db: Database) -> str:
    """A short, file-safe name for the database (file stem or PostgreSQL database name)."""
    name = db.path.stem if db.path is not None else str(db.engine.url.database or "clinic")
    return (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "clinic")[:40].lstrip(".") or "clinic"


def database_identity(db: Database) -> str:
    """What tells this database apart from every other: its real file, or its server and name."""
    if db.path is not None:
        return str(db.path.expanduser().resolve())
    url = db.engine.url
    return f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"


def database_backup_dir(db: Database) -> Path:
    """This database's own backups folder (created owner-only when missing)."""
    key = hashlib.sha256(database_identity(db).encode("utf-8")).hexdigest()[:12]
    folder = backup_dir() / f"{_slug(db)}-{key}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def default_suffix(db: Database) -> str:
    return SQLITE_SUFFIX if db.is_sqlite else JSON_SUFFIX


def backup_database(db: Database, out: Path | None = None, *, prefix: str = "backup-") -> Path:
    """Write a consistent copy of ``db`` to ``out`` (default: its backups folder); return it.

    Safe while other workstations write, and while the caller holds the write lock in
    another transaction (the copy then holds exactly what that transaction sees).
    """
    own = out is None
    if out is None:
        out = database_backup_dir(db) / f"{prefix}{_stamp()}{default_suffix(db)}"
    if db.is_sqlite and db.path is None:
        raise BackupError("an in-memory database cannot be backed up")
    try:
        with staged_file(out, allow_backups=own) as tmp:
            if db.is_sqlite:
                _sqlite_copy(db, tmp)
            else:
                _write_json(tmp, _json_document(db))
    except OutputError as exc:
        raise BackupError(str(exc)) from None
    return Path(out).expanduser().absolute()


def _sqlite_copy(db: Database, target: Path) -> None:
    """Copy the committed state with the online backup API, through its own connection."""
    assert db.path is not None
    key = url_key(db.url)
    source: Any = connect_file(db.path, key)
    try:
        source.execute("PRAGMA busy_timeout = 10000")
        copy: Any = connect_file(target, key)
        try:
            source.backup(copy)  # one step: a consistent snapshot
        finally:
            copy.close()
    finally:
        source.close()


def _json_document(db: Database, session: Session | None = None) -> dict[str, Any]:
    from planner.services.clinic_io import build_document

    if session is not None:
        return build_document(session)
    with db.begin() as reading:
        read_snapshot(reading)
        return build_document(reading)


def _write_json(target: Path, document: dict[str, Any]) -> None:
    from planner.services.clinic_io import document_to_json

    target.write_bytes(document_to_json(document).encode("utf-8"))


def safety_backup(db: Database, session: Session, *, prefix: str) -> Path:
    """The copy kept before a whole-database change, made inside that change's locked
    transaction (``session``), so no write can fall between the copy and the change.

    SQLite: a database file (encrypted with the same key when the database is
    encrypted); PostgreSQL: the JSON document read in ``session`` itself.
    """
    if db.is_sqlite:
        return backup_database(db, prefix=prefix)
    out = database_backup_dir(db) / f"{prefix}{_stamp()}{JSON_SUFFIX}"
    document = _json_document(db, session)
    try:
        with staged_file(out, allow_backups=True) as tmp:
            _write_json(tmp, document)
    except OutputError as exc:
        raise BackupError(f"the backup was not made, so nothing was changed: {exc}") from None
    return out


def rotate_backups(folder: Path, prefix: str, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest files the app named ``prefix<stamp><suffix>``."""
    pattern = re.compile(rf"^{re.escape(prefix)}{_STAMP}(?:{SQLITE_SUFFIX}|{JSON_SUFFIX})$")
    files = sorted(p for p in folder.iterdir() if pattern.match(p.name) and p.is_file())
    doomed = files[: max(0, len(files) - max(keep, 0))]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return doomed


def _remove_leftovers(folder: Path) -> None:
    """Temporary files and folders of a backup or restore that was killed long ago."""
    cutoff = time.time() - _STALE_SECONDS
    for path in folder.iterdir():
        if not (path.name.startswith(".") and (".tmp" in path.name or
                                               path.name.startswith(".restore-"))):
            continue
        with contextlib.suppress(OSError):
            if path.lstat().st_mtime > cutoff:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def automatic_backup(db: Database, *, keep: int | None = None) -> Path | None:
    """The backup made at every app start; keeps this database's newest ``backups_keep``.

    Returns the new file, or None when backups are switched off (keep = 0) or the
    database holds no clinic yet.
    """
    from planner.services.clinic_io import is_empty

    with db.begin() as session:
        if keep is None:
            clinic = session.scalars(select(Clinic).order_by(Clinic.id)).first()
            try:
                keep = Policy.from_overrides(clinic.policy if clinic else None).backups_keep
            except (TypeError, ValueError):
                keep = Policy().backups_keep
        empty = is_empty(session)
    if keep <= 0 or empty:
        return None
    folder = database_backup_dir(db)
    _remove_leftovers(folder)
    path = backup_database(db, prefix=AUTO_PREFIX)
    rotate_backups(folder, AUTO_PREFIX, keep)
    return path


def startup_backup(db: Database) -> Path | None:
    """The automatic backup at app start; a failure is logged and never blocks the start."""
    import logging

    try:
        return automatic_backup(db)
    except Exception:  # the app must still open; the log says why the copy failed
        logging.getLogger("planner.backup").exception("automatic backup at start failed")
        return None


# ---------------------------------------------------------------- verification


def file_kind(path: Path) -> str:
    """``"sqlite"`` (plain or encrypted SQLite file) or ``"json"`` (clinic document)."""
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    return "sqlite"  # SQLCipher files start with random salt


def _query(connection: Any, path: Path, sql: str, key: str | None) -> list[Any]:
    try:
        return list(connection.execute(sql).fetchall())
    except Exception as exc:  # the driver's own error types vary
        if "not a database" in str(exc) or "encrypted" in str(exc):
            reason = (
                "wrong key or not an encrypted planner database"
                if key
                else "not a planner database (or it is encrypted with a key)"
            )
            raise BackupError(f"{path}: {reason}") from None
        raise BackupError(f"{path} cannot be read: {exc}") from None


def _check_schema(connection: Any, path: Path, key: str | None) -> None:
    """Every table and column of this app's schema is in the file."""
    found = {
        str(r[0])
        for r in _query(connection, path, "SELECT name FROM sqlite_master WHERE type='table'", key)
    }
    for table in Base.metadata.sorted_tables:
        if table.name not in found:
            raise BackupError(
                f"{path} is not a complete planner database: the table {table.name} is missing"
            )
        columns = {str(r[1]) for r in _query(connection, path, f'PRAGMA table_info("{table.name}")', key)}
        missing = [c.name for c in table.columns if c.name not in columns]
        if missing:
            raise BackupError(
                f"{path} is not a complete planner database: the table {table.name} lacks "
                f"the column(s) {', '.join(missing)}"
            )


def verify_sqlite_file(path: Path, key: str | None, *, shown: Path | None = None) -> str:
    """Check a SQLite file in place: readable (with ``key``), intact, this app's whole schema
    at this app's revision, no broken references. Returns the revision; raises ``BackupError``.

    ``shown``: the name to use in messages (the user's file, when ``path`` is its copy).
    """
    try:
        return _verify_sqlite(path, key)
    except BackupError as exc:
        if shown is None:
            raise
        raise BackupError(str(exc).replace(str(path), str(shown))) from None


def _verify_sqlite(path: Path, key: str | None) -> str:
    try:
        connection: Any = connect_file(path, key)
    except BackupError:
        raise
    except Exception as exc:  # the driver's own error types vary
        raise BackupError(f"{path} cannot be opened: {exc}") from None
    try:
        rows = _query(connection, path, "PRAGMA integrity_check", key)
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        if problems:
            raise BackupError(f"{path} is damaged: " + "; ".join(problems[:5]))
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except Exception:
            raise BackupError(f"{path} is not a planner database (no schema version)") from None
        if row is None:
            raise BackupError(f"{path} is not a planner database (no schema version)")
        revision = str(row[0])
        if revision != head_revision():
            raise BackupError(
                f"{path} has schema version {revision}, this app needs {head_revision()}: "
                "open it with the matching version of the app"
            )
        _check_schema(connection, path, key)
        broken = _query(connection, path, "PRAGMA foreign_key_check", key)
        if broken:
            first = broken[0]
            raise BackupError(
                f"{path} has {len(broken)} broken reference(s), e.g. a row of {first[0]} "
                f"points to a missing {first[2]}"
            )
    finally:
        connection.close()
    return revision


def _check_data_reads(path: Path, key: str | None, *, shown: Path) -> str:
    """Read the file as the app does (the whole clinic, the audit trail); returns a note
    when the file's own audit trail does not verify (it is recorded, not refused)."""
    from sqlalchemy.exc import SQLAlchemyError

    from planner.db.engine import open_database
    from planner.services.audit import verify_audit_chain
    from planner.services.clinic_io import build_document

    url = encrypted_url(path, key) if key else f"sqlite:///{path}"
    try:
        staged = open_database(url, migrate=False)
    except Exception as exc:
        raise BackupError(f"{shown} cannot be opened: {exc}".replace(str(path), str(shown))) from None
    try:
        with staged.begin() as session:
            build_document(session)
        chain_check = verify_audit_chain(staged)
    except (SQLAlchemyError, ValueError, TypeError, KeyError, OverflowError) as exc:
        raise BackupError(
            f"{shown} cannot be restored: its data does not read back ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200] if str(exc) else 'no details'})"
        ) from None
    finally:
        staged.close()
    return "" if chain_check.ok else chain_check.sentence()


def verify_json_file(path: Path) -> Any:
    """Parse and fully validate a clinic document backup; returns the parsed document."""
    from planner.interchange.validate import DocumentError, parse_document

    if path.stat().st_size > _MAX_DOCUMENT:
        raise BackupError(f"{path} is larger than {_MAX_DOCUMENT >> 20} MB; it is not a backup")
    try:
        document = parse_document(path.read_bytes())
    except DocumentError as exc:
        raise BackupError(f"{path} cannot be restored:\n{exc}") from None
    if not (document.protocols or document.chairs or document.staff or document.patients):
        raise BackupError(f"{path} holds no clinic data; restoring it would empty the database")
    return document


def _check_file(db: Database, path: Path) -> str:
    try:
        return _file_kind_for(db, Path(path))
    except OSError as exc:  # a name too long, no permission, a path through a file …
        from planner.safe_output import failure_text

        raise BackupError(f"cannot read {path}: {failure_text(exc)}") from None


def _file_kind_for(db: Database, path: Path) -> str:
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the backup file inside it")
    if not path.exists():
        raise BackupError(f"no such backup file: {path}")
    if not path.is_file():
        raise BackupError(f"{path} is not a backup file (it is a device or a pipe)")
    kind = file_kind(path)
    if kind == "sqlite" and not db.is_sqlite:
        with open(path, "rb") as handle:
            plain_sqlite = handle.read(16) == _SQLITE_MAGIC
        if plain_sqlite:
            raise BackupError(
                f"{path} is a SQLite backup; a PostgreSQL database restores from a JSON backup"
            )
        raise BackupError(
            f"{path} is not a backup of this app: a PostgreSQL database restores from a JSON "
            "backup (made by 'backup' on PostgreSQL, or 'dump')"
        )
    return kind


def _stage(db: Database, path: Path, folder: Path) -> Path:
    """A private copy of the backup file (and its write-ahead log, if any) to check and read."""
    staged = folder / "staged.sqlite3"
    try:
        with open(path, "rb") as source, open(staged, "xb") as target:
            shutil.copyfileobj(source, target)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, folder / "staged.sqlite3-wal")
    except OSError as exc:
        from planner.safe_output import failure_text

        raise BackupError(
            f"cannot restore {path}: its copy could not be made ({failure_text(exc)}); "
            "nothing was changed"
        ) from None
    return staged


def verify_backup(db: Database, path: Path) -> str:
    """Check ``path`` can be restored into ``db``; returns its kind. Raises ``BackupError``."""
    kind = _check_file(db, path)
    if kind == "json":
        verify_json_file(path)
        return kind
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=database_backup_dir(db)) as folder:
        staged = _stage(db, path, Path(folder))
        verify_sqlite_file(staged, url_key(db.url), shown=path)
        _check_data_reads(staged, url_key(db.url), shown=path)
    return kind


# --------------------------------------------------------------------- restore


def restore_database(db: Database, path: Path) -> RestoreResult:
    """Replace the content of ``db`` with the backup at ``path``, after checking it.

    The current content is kept first (``before-restore-*``); nothing changes if the
    check, the kept copy or the replacement fails.
    """
    path = Path(path).expanduser().absolute()
    kind = _check_file(db, path)
    if kind == "json":
        return _json_restore(db, path)
    key = url_key(db.url)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=database_backup_dir(db)) as folder:
        staged = _stage(db, path, Path(folder))
        verify_sqlite_file(staged, key, shown=path)
        note = _check_data_reads(staged, key, shown=path)
        return _sqlite_restore(db, path, staged, note)


def _restore_summary(path: Path, kept: Path, carried: int, note: str) -> tuple[str, dict[str, Any]]:
    summary = f"restored from backup {path.name}; the replaced database was kept as {kept.name}"
    if carried:
        summary += f"; {carried} audit event(s) of the backup were carried over"
    after: dict[str, Any] = {"restored_from": str(path), "kept": str(kept), "carried": carried}
    if note:
        after["backup_audit_trail"] = note
    return summary[:400], after


def _json_restore(db: Database, path: Path) -> RestoreResult:
    from planner.services.base import record_audit
    from planner.services.clinic_io import load_document

    document = verify_json_file(path)
    kept: list[Path] = []

    def keep_current(session: Session, _empty: bool) -> None:
        kept.append(safety_backup(db, session, prefix="before-restore-"))
        summary, after = _restore_summary(path, kept[0], 0, "")
        record_audit(session, action="restore", entity="database", summary=summary, after=after)

    load_document(db, document, replace=True, before_write=keep_current)
    return RestoreResult(restored_from=path, kept=kept[0], kind="json")


def _content_tables() -> list[Table]:
    """Every table a restore replaces, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in _KEPT_TABLES]


def _event_key(row: Any) -> bytes:
    return canonical(row)


def _carried_events(connection: Connection) -> list[dict[str, Any]]:
    """The backup's audit events this database does not have (as many times as missing)."""
    live = _AUDIT
    source = live.to_metadata(MetaData(), schema=_SOURCE)
    have = Counter(
        _event_key(r)
        for r in connection.execute(select(*[live.c[f] for f in AUDIT_FIELDS])).mappings()
    )
    out: list[dict[str, Any]] = []
    for row in connection.execute(
        select(*[source.c[f] for f in AUDIT_FIELDS]).order_by(source.c.id)
    ).mappings():
        key = _event_key(row)
        if have[key]:
            have[key] -= 1
            continue
        out.append(dict(row))
    return out


def _sqlite_restore(db: Database, path: Path, staged: Path, note: str) -> RestoreResult:
    """Swap the content and append the audit events in one locked transaction."""
    tables = _content_tables()
    try:
        with unit_of_work(db) as session:
            lock_for_replace(session, [table.name for table in tables])
            account = authorize(session, entity="database", action="restore")
            kept = backup_database(db, prefix="before-restore-")
            connection = session.connection()
            key = url_key(db.url)
            if key is None:
                connection.exec_driver_sql(f"ATTACH DATABASE ? AS {_SOURCE}", (str(staged),))
            else:  # SQLCipher: the copy is encrypted with the same key
                connection.exec_driver_sql(
                    f"ATTACH DATABASE ? AS {_SOURCE} KEY ?", (str(staged), key)
                )
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for table in reversed(tables):
                connection.execute(table.delete())
            for table in tables:
                names = ", ".join(f'"{c.name}"' for c in table.columns)
                connection.exec_driver_sql(
                    f'INSERT INTO main."{table.name}" ({names}) '
                    f'SELECT {names} FROM {_SOURCE}."{table.name}"'
                )
            carried = _carried_events(connection)
            summary, after = _restore_summary(path, kept, len(carried), note)
            restore_event: dict[str, Any] = {
                "at": system_clock(),
                "user": account or current_user(),
                "os_user": current_user(),
                "action": "restore",
                "entity": "database",
                "ref": "",
                "patient_ref": "",
                "summary": summary,
                "before": None,
                "after": after,
            }
            events = [*carried, restore_event]
            chain(lock_head(connection), events)
            connection.execute(insert(_AUDIT), events)
            broken = connection.exec_driver_sql("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                raise BackupError(
                    f"{path} cannot be restored: {len(broken)} broken reference(s) after the "
                    "copy; nothing was changed"
                )
    finally:
        # The pooled connection that attached the copy lets it go (its file goes next).
        db.engine.dispose()
    return RestoreResult(
        restored_from=path, kept=kept, kind="sqlite", carried_events=len(carried), note=note
    )

