"""Privacy: no network in the default (SQLite) mode; every file we write is owner-only."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from planner.cli import run
from planner.settings import backup_dir, log_dir

ROOT = Path(__file__).resolve().parents[2]


def _run_runner(mode: str, tmp_path: Path, env_data: Path) -> dict[str, object]:
    work = tmp_path / "work"
    work.mkdir()
    report = tmp_path / "report.json"
    env = dict(os.environ, PLANNER_DATA_DIR=str(env_data), QT_QPA_PLATFORM="offscreen")
    env.pop("PLANNER_DB_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.safety.privacy_runner", mode, str(work), str(report)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return dict(json.loads(report.read_text(encoding="utf-8")))


def test_cli_commands_open_no_socket(tmp_path: Path, fresh_environment: Path) -> None:
    report = _run_runner("cli", tmp_path, fresh_environment)
    results = report["results"]
    assert isinstance(results, list)
    ran = {r["command"] for r in results}
    assert {"dump", "backup", "restore", "import", "load"} <= ran
    # ``check`` exits 1 when it finds rule violations in the demo week; that is not a failure.
    assert all(r["exit"] == 0 or (r["command"] == "check" and r["exit"] == 1) for r in results), (
        results
    )
    assert report["fired"] == [], "network use in SQLite mode"


def test_gui_opens_no_socket(tmp_path: Path, fresh_environment: Path) -> None:
    report = _run_runner("gui", tmp_path, fresh_environment)
    assert report["fired"] == [], "network use in SQLite mode"
    results = report["results"]
    assert isinstance(results, list) and results[0]["windows"], "the main window never showed"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_backups_logs_and_dumps_are_owner_only(
    tmp_path: Path, fresh_environment: Path
) -> None:
    old = os.umask(0o022)  # a typical desktop umask: files would be world-readable by default
    try:
        db_file = tmp_path / "clinic.sqlite3"
        url = f"sqlite:///{db_file}"
        from tests.factories import base_document

        doc = tmp_path / "doc.json"
        doc.write_text(json.dumps(base_document()), encoding="utf-8")
        assert run(["--db", url, "load", str(doc)]) == 0
        assert run(["--db", url, "backup", "--out", str(tmp_path / "b.sqlite3")]) == 0
        assert run(["--db", url, "backup"]) == 0
        assert run(["--db", url, "dump", "--out", str(tmp_path / "d.json")]) == 0
        assert run(["--db", url, "restore", str(tmp_path / "b.sqlite3")]) == 0
        from planner.db.engine import open_database
        from planner.logging_setup import setup_logging, shutdown_logging
        from planner.services.backup import automatic_backup

        database = open_database(url)
        try:
            auto = automatic_backup(database, keep=3)
        finally:
            database.close()
        assert auto is not None
        log = setup_logging()
        import logging

        logging.getLogger("planner.test").info("opened")
        shutdown_logging()

        files = [db_file, tmp_path / "b.sqlite3", tmp_path / "d.json", log, auto]
        files += [p for p in db_file.parent.glob("clinic.sqlite3-*")]  # WAL and shared memory
        files += [p for p in backup_dir().rglob("*") if p.is_file()]
        assert len(files) >= 7
        for path in files:
            assert _mode(path) == 0o600, f"{path} is {oct(_mode(path))}"
        folders = [backup_dir(), log_dir(), *(p for p in backup_dir().rglob("*") if p.is_dir())]
        for folder in folders:
            assert _mode(folder) & 0o077 == 0, f"{folder} is {oct(_mode(folder))}"
    finally:
        os.umask(old)
