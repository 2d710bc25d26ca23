"""The one way a user-named file is written: checked target, owner-only, all or nothing.

Every writer of a file the user names (``dump --out``, ``export … --out``,
``backup --out``, the app's Save as PDF) and every file the app writes on its
own (automatic and safety backups) goes through :func:`write_file` or
:func:`staged_file`. They refuse a target that would destroy or leak data:

- the live database or its ``-wal``/``-shm``/``-journal`` companions (by path
  and by inode, so a hard link or symlink to them is caught too), the default
  database of the data folder, and any other existing SQLite database file
  (another clinic's, an older backup): replacing one is never what was meant;
- a file inside the backups folder, unless the app itself writes a backup there;
- anything that is not a regular file or a new path: folders, device nodes,
  FIFOs, sockets, and symlinks to those.

A symlink to a regular file is followed: the file it points to is replaced,
the link stays. The data goes to a temporary file created 0600 next to the
target (whatever the umask), is flushed to disk, then renamed over the
target, so a crash, a kill or a full disk never leaves a half-written file
under the real name. Qt-free: the GUI and the CLI share it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

#: Files that belong to a SQLite database besides the main file.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_lock = threading.Lock()
_databases: set[Path] = set()


class OutputError(Exception):
    """A file cannot be written there (or could not be written); the text says why."""


def protect_database(path: str | os.PathLike[str]) -> None:
    """Remember ``path`` as a live database: no output may ever replace it or its journals."""
    with _lock:
        _databases.add(Path(os.path.abspath(os.fspath(path))))


def protected_databases() -> frozenset[Path]:
    with _lock:
        return frozenset(_databases)


def _backups_root() -> Path:
    from planner.settings import backup_root

    return backup_root()


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_dev == b.st_dev and a.st_ino == b.st_ino


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _database_files() -> list[Path]:
    from planner.settings import default_db_path_name

    out: list[Path] = []
    for db in {*protected_databases(), default_db_path_name()}:
        out.append(db)
        out.extend(db.with_name(db.name + suffix) for suffix in SQLITE_COMPANIONS)
    return out


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _is_sqlite(path: Path) -> bool:
    """A SQLite database file (by its first bytes); an encrypted one cannot be told."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def check_target(path: str | os.PathLike[str], *, allow_backups: bool = False) -> Path:
    """The file to write for the user-named ``path``, or ``OutputError`` saying why not.

    ``allow_backups``: the app writes one of its own backups into the backups folder.
    """
    shown = os.fspath(path)
    if not shown or shown.endswith(os.sep):
        raise OutputError(f"cannot write {shown!r}: give a file name")
    if shown == "-":  # means standard output for text; this writer makes a file
        raise OutputError(
            "cannot write '-': this command writes a file, not to standard output; give a "
            "file name"
        )
    try:
        return _check(shown, allow_backups)
    except OSError as exc:  # a name too long, a path through a file, no permission …
        raise OutputError(f"cannot write {shown}: {failure_text(exc)}") from None


def _check(shown: str, allow_backups: bool) -> Path:
    named = Path(os.path.abspath(os.path.expanduser(shown)))
    try:
        real = named.resolve(strict=False)
    except RuntimeError:  # a symlink loop
        raise OutputError(f"cannot write {shown}: the path is a loop of symbolic links") from None
    folder = real.parent
    while _stat(folder) is None and folder.parent != folder:  # missing folders are made
        folder = folder.parent
    folder_stat = _stat(folder)
    if folder_stat is None or not stat.S_ISDIR(folder_stat.st_mode):
        raise OutputError(f"cannot write {shown}: {folder} is not a folder")
    target_stat = _stat(real)
    if target_stat is None and os.path.lexists(real):
        raise OutputError(f"cannot write {shown}: it is a broken symbolic link")
    if target_stat is not None and not stat.S_ISREG(target_stat.st_mode):
        raise OutputError(
            f"cannot write {shown}: it is {_kind(target_stat.st_mode)}, not a file; "
            "give the name of a new or ordinary file"
        )
    for live in _database_files():
        live_stat = _stat(live)
        same = live_stat is not None and target_stat is not None and _same_file(
            live_stat, target_stat
        )
        if same or real == live.resolve(strict=False):
            raise OutputError(
                f"cannot write {shown}: it is the clinic's database (or its journal); "
                "choose another file name"
            )
    if target_stat is not None and _is_sqlite(real):
        in_use = any(real.with_name(real.name + s).exists() for s in ("-wal", "-shm"))
        raise OutputError(
            f"cannot write {shown}: it is a database"
            + (" that is in use" if in_use else " (or a backup of one)")
            + "; choose another file name, or delete it first if it may go"
        )
    if not allow_backups:
        root = _backups_root().resolve(strict=False)
        if _inside(real, root):
            raise OutputError(
                f"cannot write {shown}: it is inside the backups folder {root}, which only "
                "the app's own backups may change; choose another place"
            )
    return real


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def failure_text(exc: BaseException) -> str:
    """Why a write failed, in words (disk full and size limits said plainly)."""
    number = getattr(exc, "errno", None)
    if number == errno.ENOSPC or "disk is full" in str(exc) or "disk full" in str(exc):
        return "the disk is full"
    if number == errno.EFBIG or "too large" in str(exc).lower():
        return "the file would be larger than this system allows"
    if number == errno.EDQUOT:
        return "the disk quota is used up"
    if number in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if number == errno.EROFS:
        return "the disk is read-only"
    if "disk i/o error" in str(exc).lower():
        return "the disk refused the write (it may be full)"
    strerror = getattr(exc, "strerror", None)
    return str(strerror or exc)


def _disk_trouble(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "disk is full" in text or "disk full" in text or "disk i/o error" in text


@contextlib.contextmanager
def staged_file(
    path: str | os.PathLike[str], *, allow_backups: bool = False
) -> Iterator[Path]:
    """A new 0600 temporary file next to the checked target; it replaces the target only
    when the ``with`` block ends without an error (after being flushed to disk).

    Raises ``OutputError`` for a refused target or a failed write (disk full …); the
    temporary file is removed on every failure, so nothing half-written is left.
    """
    target = check_target(path, allow_backups=allow_backups)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {failure_text(exc)}") from None
    tmp = Path(name)
    try:
        os.close(fd)
        os.chmod(tmp, 0o600)  # mkstemp made it so; said again, whatever the platform
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        check_target(path, allow_backups=allow_backups)  # still a safe place, just before
        os.replace(tmp, target)
        _fsync_folder(target.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {failure_text(exc)}; nothing was written"
        ) from None
    except Exception as exc:
        if _disk_trouble(exc):  # e.g. SQLite's own "database or disk is full"
            raise OutputError(
                f"cannot write {path}: {failure_text(exc)}; nothing was written"
            ) from None
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_file(
    path: str | os.PathLike[str], data: bytes, *, allow_backups: bool = False
) -> Path:
    """Write ``data`` to ``path`` atomically, readable by the owner only; returns the file."""
    target = check_target(path, allow_backups=allow_backups)
    with staged_file(path, allow_backups=allow_backups) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
    return target
