"""Backups and restore: consistent online copies, rotation at start, verified restores.

SQLite: the SQLite online backup API copies a consistent snapshot page by page
while the app keeps running; the copy of an encrypted (SQLCipher) database is
keyed with the same key, so it stays encrypted. PostgreSQL: the whole clinic
as one ``infusion-planner/1`` JSON document (portable: ``load`` and ``restore``
read it into either back-end; the audit trail stays in the live database).
Every file is written to a temporary name first, readable by the owner only,
then renamed, so a crash never leaves a half-written backup under the real name.

A restore checks the file first (SQLite ``integrity_check`` and schema
revision, or full document validation), keeps the current database as a
backup, and only then replaces the content.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from planner.db.crypto import connect_file, url_key
from planner.db.engine import Database, ensure_private_file
from planner.db.migrate import head_revision
from planner.db.models import AuditEvent, Clinic
from planner.domain.policy import Policy
from planner.services.base import ServiceError, record_audit, unit_of_work
from planner.settings import backup_dir

SQLITE_SUFFIX = ".sqlite3"
JSON_SUFFIX = ".json"
AUTO_PREFIX = "auto-"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(ServiceError):
    """A backup could not be made or a file cannot be restored; the text says why."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept: Path  # the replaced database, saved before anything changed
    kind: str  # "sqlite" | "json"


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")


def _slug(db: Database) -> str:
    """A short, file-safe name for the database (file stem or PostgreSQL database name)."""
    name = db.path.stem if db.path is not None else str(db.engine.url.database or "clinic")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "clinic"


def default_suffix(db: Database) -> str:
    return SQLITE_SUFFIX if db.is_sqlite else JSON_SUFFIX


@contextlib.contextmanager
def _private_temp(target: Path) -> Iterator[Path]:
    """A 0600 temporary file next to ``target``; renamed onto it on success, removed otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o600)
    try:
        yield tmp
        os.replace(tmp, target)
        os.chmod(target, 0o600)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def backup_database(db: Database, out: Path | None = None, *, prefix: str = "backup-") -> Path:
    """Write a consistent copy of ``db`` to ``out`` (default: the backup folder) and return it."""
    if out is None:
        out = backup_dir() / f"{prefix}{_slug(db)}-{_stamp()}{default_suffix(db)}"
    out = Path(out).expanduser().absolute()
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give a file name for the backup")
    if db.path is not None and out.resolve() == db.path.resolve():
        raise BackupError("the backup file cannot be the database itself")
    try:
        with _private_temp(out) as tmp:
            if db.is_sqlite:
                _sqlite_copy(db, tmp)
            else:
                _json_copy(db, tmp)
            _fsync(tmp)
    except OSError as exc:
        raise BackupError(f"cannot write the backup {out}: {exc.strerror or exc}") from None
    return out


def _sqlite_copy(db: Database, target: Path) -> None:
    if db.path is None:
        raise BackupError("an in-memory database cannot be backed up")
    raw = db.engine.raw_connection()
    try:
        source: Any = raw.driver_connection
        copy: Any = connect_file(target, url_key(db.url))
        try:
            source.backup(copy)  # one step: a consistent snapshot under a read lock
        finally:
            copy.close()
    finally:
        raw.close()


def _json_copy(db: Database, target: Path) -> None:
    from planner.services.clinic_io import document_to_json, dump_document

    target.write_bytes(document_to_json(dump_document(db)).encode("utf-8"))


def rotate_backups(folder: Path, prefix: str, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest files named ``prefix*``; returns what was deleted."""
    files = sorted(
        p for p in folder.glob(f"{prefix}*") if p.is_file() and not p.name.endswith(".tmp")
    )
    doomed = files[: max(0, len(files) - max(keep, 0))]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return doomed


def automatic_backup(
    db: Database, *, keep: int | None = None, folder: Path | None = None
) -> Path | None:
    """The backup made at every app start; keeps the newest ``Policy.backups_keep`` of them.

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
    folder = folder or backup_dir()
    prefix = f"{AUTO_PREFIX}{_slug(db)}-"
    path = backup_database(db, folder / f"{prefix}{_stamp()}{default_suffix(db)}")
    rotate_backups(folder, prefix, keep)
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
        head = handle.read(16)
    if head == _SQLITE_MAGIC:
        return "sqlite"
    if head.lstrip()[:1] == b"{":
        return "json"
    return "sqlite"  # SQLCipher files start with random salt


def verify_sqlite_file(path: Path, key: str | None) -> str:
    """Check a SQLite backup: readable (with ``key``), intact, and a planner schema.

    Returns its schema revision; raises ``BackupError`` saying what is wrong.
    """
    try:
        connection: Any = connect_file(path, key)
    except Exception as exc:  # the driver's own error types vary
        raise BackupError(f"{path} cannot be opened: {exc}") from None
    try:
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        except Exception as exc:
            if "not a database" in str(exc):
                reason = (
                    "wrong key or not an encrypted planner database"
                    if key
                    else "not a planner database (or it is encrypted with a key)"
                )
                raise BackupError(f"{path}: {reason}") from None
            raise BackupError(f"{path} cannot be read: {exc}") from None
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        if problems:
            raise BackupError(f"{path} is damaged: " + "; ".join(problems[:5]))
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except Exception:
            raise BackupError(f"{path} is not a planner database (no schema version)") from None
    finally:
        connection.close()
    if row is None:
        raise BackupError(f"{path} is not a planner database (no schema version)")
    revision = str(row[0])
    if revision != head_revision():
        raise BackupError(
            f"{path} has schema version {revision}, this app needs {head_revision()}: "
            "open it with the matching version of the app"
        )
    return revision


def verify_json_file(path: Path) -> Any:
    """Parse and fully validate a clinic document backup; returns the parsed document."""
    from planner.interchange.validate import DocumentError, parse_document

    try:
        document = parse_document(path.read_bytes())
    except DocumentError as exc:
        raise BackupError(f"{path} cannot be restored:\n{exc}") from None
    if not (document.protocols or document.chairs or document.staff or document.patients):
        raise BackupError(f"{path} holds no clinic data; restoring it would empty the database")
    return document


def verify_backup(db: Database, path: Path) -> str:
    """Check ``path`` can be restored into ``db``; returns its kind. Raises ``BackupError``."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the backup file inside it")
    if not path.is_file():
        raise BackupError(f"no such backup file: {path}")
    kind = file_kind(path)
    if kind == "json":
        verify_json_file(path)
    elif not db.is_sqlite:
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
    else:
        verify_sqlite_file(path, url_key(db.url))
    return kind


# --------------------------------------------------------------------- restore


def restore_database(db: Database, path: Path) -> RestoreResult:
    """Replace the content of ``db`` with the backup at ``path``, after checking it.

    The current content is saved first (``before-restore-*``); nothing changes if
    the check fails.
    """
    path = Path(path).expanduser().absolute()
    kind = verify_backup(db, path)
    kept = backup_database(db, prefix="before-restore-")
    if kind == "json":
        from planner.services.clinic_io import load_document

        document = verify_json_file(path)
        load_document(db, document, replace=True)
        trail: list[dict[str, Any]] = []
    else:
        trail = _audit_trail(db)
        _sqlite_restore(db, path)
    _continue_audit_trail(db, trail, path, kept)
    return RestoreResult(restored_from=path, kept=kept, kind=kind)


_AUDIT_FIELDS = ("at", "user", "action", "entity", "ref", "patient_ref", "summary", "before", "after")


def _audit_trail(db: Database) -> list[dict[str, Any]]:
    with db.begin() as session:
        return [
            {f: getattr(e, f) for f in _AUDIT_FIELDS}
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def _event_key(event: dict[str, Any]) -> str:
    return json.dumps(event, sort_keys=True, default=str)


def _continue_audit_trail(
    db: Database, trail: list[dict[str, Any]], path: Path, kept: Path
) -> None:
    """Keep the audit trail append-only across a restore: carry over the replaced
    database's later events, then record the restore itself."""
    restored = {_event_key(e) for e in _audit_trail(db)} if trail else set()
    with unit_of_work(db) as session:
        for event in trail:
            if _event_key(event) not in restored:
                session.add(AuditEvent(**event))
        record_audit(
            session,
            action="restore",
            entity="database",
            summary=f"restored from backup {path.name}; the replaced database was kept as "
            f"{kept.name}",
            after={"restored_from": str(path), "kept": str(kept)},
        )


def _sqlite_restore(db: Database, path: Path) -> None:
    key = url_key(db.url)
    # Copy first: the backup file itself is never opened for writing.
    with tempfile.TemporaryDirectory(prefix="planner-restore-") as folder:
        staged = Path(folder) / "staged.sqlite3"
        ensure_private_file(staged)
        shutil.copyfile(path, staged)
        source: Any = connect_file(staged, key)
        db.engine.dispose()
        raw = db.engine.raw_connection()
        try:
            target: Any = raw.driver_connection
            source.backup(target)
            rows = target.execute("PRAGMA integrity_check").fetchall()
        finally:
            raw.close()
            source.close()
        db.engine.dispose()
    if [str(r[0]) for r in rows] != ["ok"]:  # pragma: no cover - SQLite guarantees this
        raise BackupError("the restored database failed its integrity check")
