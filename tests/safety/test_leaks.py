"""Leaks and wrong targets: passwords in URLs, backups of one database deleting another's,
plaintext copies of an encrypted database, ``--db`` changing modes it should not touch."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import open_database
from tests.factories import base_document, load_into

ROOT = Path(__file__).resolve().parents[2]
#: A password with every character a URL treats specially, none of them encoded.
PASSWORD = "Tr0ub4dor@Zq9:Kx7/Wv3?Mm5#Yy8%Qp4 Lb6"
FRAGMENTS = [f for f in re.split(r"[@:/?#% ]", PASSWORD) if len(f) >= 3]


def _no_fragment(text: str) -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, f"password fragment {fragment!r} shown: {text[:400]}"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:1/clinic",  # nothing listens
        f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:5441/no_such_db",
        f"postgresql+psycopg://planner:{PASSWORD}@db.invalid/clinic",
        f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:port/clinic",
        f"postgresql+psycopg://planner:{PASSWORD}@[::1/clinic",
        f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:99999/clinic",
        f"mysql+nosuchdriver://planner:{PASSWORD}@host/clinic",
        f"nosuchdb://planner:{PASSWORD}@host/clinic",
    ],
)
def test_a_password_never_shows_on_screen_or_in_the_log(url: str, tmp_path: Path) -> None:
    """The issue's example: an unencoded ``@`` showed the password's tail. Through the real
    CLI (as a subprocess, in the argument and in PLANNER_DB_URL): exit 2, a sentence,
    the URL shown as ``…://***@host``, no fragment of the password anywhere."""
    data = tmp_path / "data"
    env = dict(os.environ, PLANNER_DATA_DIR=str(data))
    for args, extra in (([ "--db", url, "check"], {}), (["check"], {"PLANNER_DB_URL": url})):
        done = subprocess.run(
            [sys.executable, "main.py", *args], cwd=ROOT, env=dict(env, **extra),
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: cannot open database"), done.stderr
        assert "Traceback" not in done.stderr
        _no_fragment(done.stdout + done.stderr)
        assert "***@" in done.stderr, done.stderr
    for log in data.rglob("*.log*"):
        _no_fragment(log.read_text(encoding="utf-8", errors="replace"))


def test_bad_port_and_bracket_are_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    for url, words in (
        ("postgresql+psycopg://u@host:54x2/clinic", "is not a number between 1 and 65535"),
        ("postgresql+psycopg://u@host:0/clinic", "is not a number between 1 and 65535"),
        ("postgresql+psycopg://u@[::1/clinic", "unmatched or misplaced bracket"),
        ("postgresql+psycopg://u@::1]:5432/clinic", "unmatched bracket"),
        ("postgresql+psycopg://u@[::1]x/clinic", "text after its ']'"),
    ):
        assert run(["--db", url, "check"]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, err


def test_the_log_hides_any_url_credentials_and_passwords_in_use(tmp_path: Path) -> None:
    from planner.db.urls import normalise_url
    from planner.logging_setup import setup_logging, shutdown_logging

    normalise_url(f"postgresql+psycopg://planner:{PASSWORD}@server/clinic")  # now in use
    log = setup_logging()
    try:
        logger = logging.getLogger("planner.test")
        logger.error("cannot reach postgresql://planner:%s@server/clinic", PASSWORD)
        logger.error("the server said: password %s was refused", PASSWORD)
        try:
            raise RuntimeError(f"connect to mysql://root:{PASSWORD}@h/x failed")
        except RuntimeError:
            logger.exception("while opening")
    finally:
        shutdown_logging()
    text = log.read_text(encoding="utf-8")
    _no_fragment(text)
    assert "***@server/clinic" in text


def test_an_app_window_title_and_about_show_no_credentials() -> None:
    from planner.db.engine import describe_url

    shown = describe_url(f"postgresql+psycopg://planner:{PASSWORD}@db.clinic.local/clinic")
    assert shown == "postgresql+psycopg://***@db.clinic.local/clinic"


def test_the_intended_password_reaches_the_server(tmp_path: Path) -> None:
    """Read as typed: ``p@ss`` is the password, not ``p`` with a host ``ss@server``."""
    from sqlalchemy.engine import make_url

    from planner.db.urls import normalise_url

    url = make_url(normalise_url(f"postgresql+psycopg://planner:{PASSWORD}@db.local:5433/clinic"))
    assert url.password == PASSWORD
    assert (url.username, url.host, url.port, url.database) == ("planner", "db.local", 5433, "clinic")


# ------------------------------------------------------------ --db touches nothing else


def test_db_pointing_at_a_text_file_or_a_folder_changes_no_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's example: refused (exit 2), but the file became 0600 and the folder
    ``drw-------``. Now both keep their modes and content."""
    text = tmp_path / "some.txt"
    text.write_text("shopping list\n")
    text.chmod(0o644)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    folder.chmod(0o755)
    for target in (text, folder):
        before = (stat.S_IMODE(target.stat().st_mode), target.stat().st_mtime_ns)
        assert run(["--db", f"sqlite:///{target}", "check"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: cannot open database") and "Traceback" not in err
        assert (stat.S_IMODE(target.stat().st_mode), target.stat().st_mtime_ns) == before
    assert text.read_text() == "shopping list\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "planner-data", "some.txt"] or (
        sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "some.txt"]
    )


def test_an_existing_database_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    db = open_database(f"sqlite:///{path}")
    db.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # made here: owner only
    path.chmod(0o640)  # the owner shares it with a group on purpose
    assert run(["--db", f"sqlite:///{path}", "check"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_database_in_a_new_folder_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        assert run(["--db", f"sqlite:///{tmp_path / 'new' / 'clinic.db'}", "check"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new" / "clinic.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


# ------------------------------------------------------ backups keyed by database


def test_two_databases_with_the_same_name_never_share_a_rotation(tmp_path: Path) -> None:
    """The issue's example: two ``clinic.db`` in two folders; starting the app on one
    deleted all of the other's backups."""
    from planner.services.backup import automatic_backup, database_backup_dir

    urls = []
    for folder in ("site-a", "site-b"):
        (tmp_path / folder).mkdir()
        url = f"sqlite:///{tmp_path / folder / 'clinic.db'}"
        db = open_database(url)
        load_into(db, base_document())
        db.close()
        urls.append(url)
    made: dict[str, list[Path]] = {url: [] for url in urls}
    for _ in range(4):
        for url in urls:
            db = open_database(url)
            try:
                path = automatic_backup(db, keep=3)
                assert path is not None
                made[url].append(path)
            finally:
                db.close()
    folders = set()
    for url in urls:
        db = open_database(url)
        folder = database_backup_dir(db)
        db.close()
        folders.add(folder)
        assert sorted(p.name for p in folder.glob("auto-*")) == sorted(
            p.name for p in made[url][-3:]
        )
    assert len(folders) == 2


def test_rotation_deletes_only_the_apps_own_files(tmp_path: Path) -> None:
    from planner.services.backup import automatic_backup, database_backup_dir

    db = open_database(f"sqlite:///{tmp_path / 'clinic.db'}")
    load_into(db, base_document())
    folder = database_backup_dir(db)
    mine = folder / "auto-notes-from-the-manager.txt"
    mine.write_text("keep me")
    for _ in range(3):
        automatic_backup(db, keep=1)
    db.close()
    assert mine.read_text() == "keep me"


def test_readme_says_where_backups_go() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "one folder per database" in readme


# ---------------------------------------------------- encrypted stays encrypted


def test_replace_of_an_encrypted_database_keeps_an_encrypted_copy(tmp_path: Path) -> None:
    """The issue's example: ``load --replace`` on a SQLCipher database wrote a plaintext
    JSON of every patient. Now the kept copy is the database, encrypted with its key."""
    pytest.importorskip("sqlcipher3", reason="encryption NOT TESTED: no sqlcipher3")
    from planner.db.crypto import encrypted_url

    key = "k3y with @ and / inside"
    url = encrypted_url(tmp_path / "secret.db", key)
    db = open_database(url)
    load_into(db, base_document())
    db.close()
    doc = base_document()
    doc["patients"][0]["name"] = "Someone Else"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    env = dict(os.environ, PLANNER_DATA_DIR=str(tmp_path / "data"), PLANNER_DB_KEY=key)
    bare = f"sqlite+pysqlcipher:///{tmp_path / 'secret.db'}"
    done = subprocess.run(
        [sys.executable, "main.py", "--db", bare, "load", "--replace", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    copies = [p for p in (tmp_path / "data" / "backups").rglob("*") if p.is_file()]
    assert len(copies) == 1 and copies[0].name.startswith("before-replace-")
    raw = copies[0].read_bytes()
    assert not raw.startswith(b"SQLite format 3") and not raw.lstrip().startswith(b"{")
    assert "Łukasiewicz".encode() not in raw and b"MRN-1001" not in raw
    # ... and it restores, with the key, to the content before the replace.
    done = subprocess.run(
        [sys.executable, "main.py", "--db", bare, "restore", str(copies[0])],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    db = open_database(url)
    try:
        from planner.services.clinic_io import dump_document

        assert dump_document(db)["patients"][0]["name"] == "Zoë Łukasiewicz"
    finally:
        db.close()
    for copy in (tmp_path / "data" / "backups").rglob("*"):
        if copy.is_file():
            assert not copy.read_bytes().startswith(b"SQLite format 3"), copy


def test_db_naming_a_device_a_pipe_or_a_dangling_link_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sibling: SQLite would open a device through a link and create its journal next to
    the device (``/dev/null-journal``), or wait for ever on a pipe."""
    targets = []
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    targets.append(fifo)
    if os.geteuid() == 0:
        node = tmp_path / "null-device"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        link = tmp_path / "db-link"
        link.symlink_to(node)
        targets.append(link)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "clinic.db")
    targets.append(dangling)
    for target in targets:
        assert run(["--db", f"sqlite:///{target}", "check"]) == 2
        err = capsys.readouterr().err
        assert "not a database file" in err or "does not exist" in err, err
    assert sorted(p.name for p in tmp_path.iterdir() if "journal" in p.name or "wal" in p.name) == []
    assert not (tmp_path / "nowhere").exists()
