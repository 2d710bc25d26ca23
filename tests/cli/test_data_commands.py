"""The data commands as a user runs them: load, dump, demo, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import run
from tests.factories import base_document

ROOT = Path(__file__).resolve().parents[2]


def _url(tmp_path: Path, name: str = "clinic.sqlite3") -> str:
    return f"sqlite:///{tmp_path / name}"


def test_demo_then_dump_then_load_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--db", _url(tmp_path), "demo", "--seed", "7", "--weeks", "2"]) == 0
    assert "loaded" in capsys.readouterr().out
    out = tmp_path / "clinic.json"
    assert run(["--db", _url(tmp_path), "dump", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "infusion-planner/1"
    assert len(doc["chairs"]) == 4
    roles = [r for s in doc["staff"] for r in s["roles"]]
    assert roles.count("psychiatrist") == 2 and roles.count("infusion_nurse") == 3
    assert len(doc["patients"]) >= 25
    assert run(["--db", _url(tmp_path, "other.sqlite3"), "load", str(out)]) == 0
    again = tmp_path / "again.json"
    assert run(["--db", _url(tmp_path, "other.sqlite3"), "dump", "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in ("a.json", "b.json", "c.json"))
    assert run(["--db", _url(tmp_path), "demo", "--seed", "5", "--out", str(a)]) == 0
    assert run(["--db", _url(tmp_path), "demo", "--seed", "5", "--out", str(b)]) == 0
    assert run(["--db", _url(tmp_path), "demo", "--seed", "6", "--out", str(c)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_load_refuses_non_empty_then_replace_keeps_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fresh_environment: Path
) -> None:
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    assert run(["--db", _url(tmp_path), "load", str(doc)]) == 0
    assert run(["--db", _url(tmp_path), "load", str(doc)]) == 2
    assert "--replace" in capsys.readouterr().err
    assert run(["--db", _url(tmp_path), "load", "--replace", str(doc)]) == 0
    # A copy of the database (SQLite: a database file, in this database's backups folder).
    backups = list((fresh_environment / "backups").rglob("before-replace-*.sqlite3"))
    assert len(backups) == 1
    import sqlite3

    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("SELECT ref FROM patient").fetchall() == [("P-0001",)]
    finally:
        copy.close()


def test_bad_document_exit_2_with_path_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = base_document()
    bad["sessions"][0]["assignments"][1]["staff"] = "S9"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    assert run(["--db", _url(tmp_path), "load", str(path)]) == 2
    err = capsys.readouterr().err
    assert 'sessions[0].assignments[1].staff: no staff member with ref "S9"' in err
    assert "Traceback" not in err
    out = tmp_path / "dump.json"
    assert run(["--db", _url(tmp_path), "dump", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["patients"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "/no/such/file.json"], "no such file"),
        (["frobnicate"], "invalid choice"),
        (["demo", "--weeks", "0"], "--weeks"),
    ],
)
def test_user_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(["--db", _url(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unreachable_database_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'not-a-db.sqlite3'}"
    (tmp_path / "not-a-db.sqlite3").write_bytes(b"this is not a database file" * 100)
    assert run(["--db", url, "dump"]) == 2
    err = capsys.readouterr().err
    assert "cannot open database" in err


def test_main_py_runs_a_command_in_a_fresh_process(tmp_path: Path) -> None:
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    env_url = _url(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", env_url, "load", str(doc)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 sessions" in result.stdout
    dumped = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", env_url, "dump"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert json.loads(dumped.stdout)["sessions"][0]["ref"] == "X-1"


def test_db_option_works_after_the_command_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    assert run(["load", str(doc), "--db", _url(tmp_path)]) == 0
    capsys.readouterr()
    assert run(["check", "--json", "--db", _url(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(["dump", "--db", _url(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["sessions"][0]["ref"] == "X-1"
    # given before the command and not repeated after it, it is kept
    assert run(["--db", _url(tmp_path), "dump"]) == 0
    assert json.loads(capsys.readouterr().out)["sessions"][0]["ref"] == "X-1"


def test_planner_db_url_chooses_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    monkeypatch.setenv("PLANNER_DB_URL", _url(tmp_path, "env.sqlite3"))
    assert run(["load", str(doc)]) == 0
    assert (tmp_path / "env.sqlite3").exists()
    capsys.readouterr()
    assert run(["--db", _url(tmp_path, "other.sqlite3"), "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # --db wins over the variable


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("nonsense://host/db", "not a database URL"),
        ("mysql://user:secret@host/db", "driver is not installed"),
    ],
)
def test_unusable_database_url_is_a_clear_message(
    capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    assert run(["--db", url, "dump"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "secret" not in err
    assert "went wrong" not in err


def test_output_into_a_folder_or_nowhere_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--db", _url(tmp_path), "dump", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    missing = tmp_path / "file.json" / "below-a-file.json"
    (tmp_path / "file.json").write_text("{}", encoding="utf-8")
    assert run(["--db", _url(tmp_path), "demo", "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "went wrong" not in err


def test_demo_document_loads_and_dumps_to_the_same_bytes(tmp_path: Path) -> None:
    written = tmp_path / "demo.json"
    assert (
        run(
            ["--db", _url(tmp_path), "demo", "--seed", "11", "--weeks", "10", "--out", str(written)]
        )
        == 0
    )
    assert run(["--db", _url(tmp_path), "load", str(written)]) == 0
    dumped = tmp_path / "dump.json"
    assert run(["--db", _url(tmp_path), "dump", "--out", str(dumped)]) == 0
    assert dumped.read_bytes() == written.read_bytes()


def test_reader_closing_the_pipe_early_is_not_an_error(tmp_path: Path) -> None:
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    assert run(["--db", _url(tmp_path), "load", str(doc)]) == 0
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", _url(tmp_path), "dump"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `dump | head -0`: nobody reads the output
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_opening_the_app_without_a_screen_says_so(tmp_path: Path) -> None:
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", _url(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux sessions can lack a screen this way")
    assert result.returncode == 2
    assert "no screen" in result.stderr and "Traceback" not in result.stderr
