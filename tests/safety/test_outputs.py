"""Every writer of a user-named file refuses to destroy data and writes owner-only files.

The examples of issue 11 (``export week --out <the .db>``, ``dump --out <the .db>``,
``--out`` onto a device node) and their siblings: the write-ahead log and shared
memory, a symlink or hard link to the database, the backups folder, a folder, a
FIFO, a symlink to a device. Each is tried through the real command; the database
must stay row-for-row the same and the target untouched. Created files are 0600
whatever the umask.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import open_database
from tests.factories import base_document, load_into
from tests.safety.conftest import rows_of

ROOT = Path(__file__).resolve().parents[2]

#: Every command that writes a file the user names (arguments before ``--out``).
WRITERS: dict[str, list[str]] = {
    "dump": ["dump"],
    "backup": ["backup"],
    "export consent": ["export", "consent", "--course", "C-0001"],
    "export monitoring": ["export", "monitoring", "--session", "X-1"],
    "export week": ["export", "week", "--week", "2026-W49"],
    "export day": ["export", "day", "--date", "2026-12-01"],
    "demo --out": ["demo", "--weeks", "1"],
}


@pytest.fixture
def clinic(clinic_file: tuple[str, Path]) -> tuple[str, Path]:
    return clinic_file


_rows = rows_of


def _targets(tmp_path: Path, db_path: Path) -> dict[str, Callable[[], Path]]:
    """Places no output may go, made on demand (name -> make it, return the path to pass)."""

    def companion(suffix: str) -> Callable[[], Path]:
        def make() -> Path:
            path = db_path.with_name(db_path.name + suffix)
            if not path.exists():  # in WAL mode there is no rollback journal: make one
                path.write_bytes(b"")
            return path

        return make

    def symlink_to_db() -> Path:
        link = tmp_path / "link.pdf"
        link.symlink_to(db_path)
        return link

    def hardlink_to_db() -> Path:
        link = tmp_path / "hard.pdf"
        os.link(db_path, link)
        return link

    def in_backups() -> Path:
        from planner.services.backup import database_backup_dir

        folder = database_backup_dir(open_database(f"sqlite:///{db_path}"))
        target = folder / "auto-20260101-000000-000000.sqlite3"
        target.write_bytes(b"an older backup")
        return target

    def backups_folder() -> Path:
        from planner.services.backup import database_backup_dir

        return database_backup_dir(open_database(f"sqlite:///{db_path}"))

    def fifo() -> Path:
        path = tmp_path / "pipe.pdf"
        os.mkfifo(path)
        return path

    def symlink_to_device() -> Path:
        link = tmp_path / "null.pdf"
        link.symlink_to("/dev/null")
        return link

    def symlink_to_folder() -> Path:
        (tmp_path / "folder").mkdir(exist_ok=True)
        link = tmp_path / "folder.pdf"
        link.symlink_to(tmp_path / "folder")
        return link

    def folder() -> Path:
        path = tmp_path / "a-folder"
        path.mkdir()
        return path

    return {
        "the database": lambda: db_path,
        "its -wal": companion("-wal"),
        "its -shm": companion("-shm"),
        "its -journal": companion("-journal"),
        "a symlink to it": symlink_to_db,
        "a hard link to it": hardlink_to_db,
        "a backup in its backups folder": in_backups,
        "the backups folder": backups_folder,
        "a FIFO": fifo,
        "a symlink to a device": symlink_to_device,
        "a symlink to a folder": symlink_to_folder,
        "a folder": folder,
    }


def _fingerprint(path: Path) -> tuple[object, ...]:
    info = os.lstat(path)
    content = b""
    if stat.S_ISREG(info.st_mode):
        content = path.read_bytes()
    elif stat.S_ISLNK(info.st_mode):
        content = os.readlink(path).encode()
    return (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_ino, content)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize(
    "target",
    [
        "the database", "its -wal", "its -shm", "its -journal", "a symlink to it",
        "a hard link to it", "a backup in its backups folder", "the backups folder", "a FIFO",
        "a symlink to a device", "a symlink to a folder", "a folder",
    ],
)
def test_no_writer_replaces_the_database_a_backup_or_a_special_file(
    clinic: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    writer: str,
    target: str,
) -> None:
    url, db_path = clinic
    before_rows = _rows(url)
    app = open_database(url)  # the app is open: its -wal and -shm exist
    with app.engine.connect() as held:
        held.exec_driver_sql("SELECT count(*) FROM patient").all()
        out = _targets(tmp_path, db_path)[target]()
        before_file = _fingerprint(out)
        code = run(["--db", url, *WRITERS[writer], "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 2, f"{writer} --out {target}: exit {code}"
        assert err.startswith("error: cannot write") and "Traceback" not in err, err
        assert _fingerprint(out) == before_file, f"{writer} changed {target}"
    app.close()
    assert _rows(url) == before_rows
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_export_onto_a_device_node_is_refused(
    clinic: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's example: ``--out`` onto a device node replaced the node with patient data."""
    if os.geteuid() != 0:
        pytest.skip("device node NOT TESTED: making one needs root (the FIFO case runs)")
    url, _ = clinic
    node = tmp_path / "null-device"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    for args in (WRITERS["export week"], WRITERS["dump"], WRITERS["backup"]):
        assert run(["--db", url, *args, "--out", str(node)]) == 2
        assert "it is a device" in capsys.readouterr().err
        assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_written_file_is_owner_only_whatever_the_umask(
    clinic: tuple[str, Path], tmp_path: Path, writer: str
) -> None:
    url, _ = clinic
    out = tmp_path / "new" / f"out-{writer.replace(' ', '-')}"
    old = os.umask(0o000)  # the most open umask: every file would be world-writable
    try:
        assert run(["--db", url, *WRITERS[writer], "--out", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.parent.stat().st_mode) & 0o077 == 0


def test_an_existing_file_keeps_nothing_of_its_old_mode(tmp_path: Path) -> None:
    from planner.safe_output import write_file

    out = tmp_path / "week.pdf"
    out.write_bytes(b"old")
    out.chmod(0o644)
    write_file(out, b"patient data")
    assert out.read_bytes() == b"patient data"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_symlink_to_an_ordinary_file_is_followed_and_kept(tmp_path: Path) -> None:
    from planner.safe_output import write_file

    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    write_file(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_another_database_in_use_is_refused(tmp_path: Path) -> None:
    """A SQLite file some other program has open (its -wal exists) is never overwritten."""
    import sqlite3

    from planner.safe_output import OutputError, check_target

    other = tmp_path / "other.sqlite3"
    keep = sqlite3.connect(other)
    try:
        keep.execute("PRAGMA journal_mode=WAL")
        keep.execute("CREATE TABLE t (x)")
        keep.execute("INSERT INTO t VALUES (1)")
        keep.commit()
        assert (tmp_path / "other.sqlite3-wal").exists()
        with pytest.raises(OutputError, match="database that is in use"):
            check_target(other)
    finally:
        keep.close()


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "dump.json"
    out.write_bytes(b"the previous dump")
    from planner.safe_output import staged_file

    with pytest.raises(RuntimeError), staged_file(out) as tmp:
        tmp.write_bytes(b"half of the new")
        raise RuntimeError("killed half-way")
    assert out.read_bytes() == b"the previous dump"
    assert [p.name for p in tmp_path.iterdir()] == ["dump.json"]


def test_gui_save_as_pdf_refuses_the_database(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's Save as PDF goes through the same check (a .pdf name linked to the database)."""
    from PySide6.QtWidgets import QMessageBox

    from planner.ui.paperwork.preview_dialog import PreviewDialog

    db_path = tmp_path / "clinic.sqlite3"
    db = open_database(f"sqlite:///{db_path}")
    load_into(db, base_document())
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    dialog = PreviewDialog(None, title="t", render=lambda progress: b"%PDF-1.4", file_name="x.pdf")
    dialog.pdf_bytes = b"%PDF-1.4 patient data"
    link = tmp_path / "sheet.pdf"
    link.symlink_to(db_path)
    before = db_path.read_bytes()
    assert not dialog.save_to(link)
    assert shown and "clinic's database" in shown[0]
    assert db_path.read_bytes() == before
    old = os.umask(0o000)
    try:
        assert dialog.save_to(tmp_path / "fine")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "fine.pdf").stat().st_mode) == 0o600
    dialog.close()
    db.close()


@contextmanager
def _small_disk(folder: Path, how: str) -> Iterator[list[str]]:
    """A place that fills up: a 192 KiB tmpfs (needs root), or a 64 KiB file-size limit
    (what a full disk does to a write, without one). Yields the command prefix to run."""
    folder.mkdir()
    run_cli = "import sys; from planner.cli import run; sys.exit(run(sys.argv[1:]))"
    if how == "rlimit":
        yield [sys.executable, "-c",
               "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536)); "
               + run_cli]
        return
    if os.geteuid() != 0:
        pytest.skip("full tmpfs NOT TESTED: mounting needs root (the file-size limit runs)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"full tmpfs NOT TESTED: cannot mount ({mounted.stderr.decode().strip()})")
    try:
        yield [sys.executable, "-c", run_cli]
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("how", ["tmpfs", "rlimit"])
def test_full_disk_gives_a_sentence_and_leaves_nothing_half_written(
    clinic: tuple[str, Path], tmp_path: Path, how: str
) -> None:
    """``backup --out`` onto a full disk (and dump, demo, export): exit 2 with a sentence,
    nothing left in the folder, through the real CLI in a subprocess."""
    url, _ = clinic
    out = tmp_path / "out"
    env = dict(os.environ, PLANNER_DATA_DIR=str(tmp_path / "data"))
    refused = 0
    with _small_disk(out, how) as command:
        if how == "tmpfs":  # fill most of it, as a real full disk would be
            (out / "filler").write_bytes(b"x" * (150 * 1024))
        for args in (["backup"], ["demo", "--weeks", "40"], WRITERS["export week"], ["dump"]):
            done = subprocess.run(
                [*command, "--db", url, *args, "--out", str(out / "x")],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
            )
            assert done.returncode in (0, 2), done.stderr
            assert "Traceback" not in done.stderr
            left = sorted(p.name for p in out.iterdir() if p.name != "filler")
            if done.returncode == 2:
                refused += 1
                assert done.stderr.startswith("error: cannot write"), done.stderr
                assert any(
                    words in done.stderr
                    for words in ("disk is full", "larger than this system allows",
                                  "the disk refused the write")
                ), done.stderr
                assert "nothing was written" in done.stderr
                assert left == [], f"{args}: something half-written was left: {left}"
            else:
                assert left == ["x"]
                (out / "x").unlink()
    assert refused >= 3  # the backup, the large demo and the week PDF do not fit


def test_no_output_replaces_another_database_or_the_default_one(
    clinic: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    fresh_environment: Path,
) -> None:
    """Siblings: another clinic's closed database, an older backup, and the data folder's
    default database (not open in this program) are never overwritten either."""
    import sqlite3

    url, _ = clinic
    other = tmp_path / "other-clinic.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    older = tmp_path / "older-backup.sqlite3"
    assert run(["--db", url, "backup", "--out", str(older)]) == 0
    default = fresh_environment / "planner.sqlite3"
    open_database(f"sqlite:///{default}").close()
    capsys.readouterr()
    for target in (other, older, default):
        before = target.read_bytes()
        for args in (WRITERS["dump"], WRITERS["export week"], WRITERS["backup"]):
            assert run(["--db", url, *args, "--out", str(target)]) == 2
            assert "database" in capsys.readouterr().err
            assert target.read_bytes() == before
