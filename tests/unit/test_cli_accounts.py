"""Accounts on the command line, as a script or a person at a terminal uses them: never a
password as an argument, PLANNER_ACCOUNT with a private password file or --password-stdin,
exit 2 with a sentence for wrong credentials."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from planner.cli import run
from tests.factories import base_document

PASSWORD = "correct horse"


@pytest.fixture
def url(tmp_path: Path) -> str:
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    assert run(["--db", url, "load", str(doc)]) == 0
    return url


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _first_manager(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, PASSWORD + "\n")
    assert (
        run(
            [
                "--db",
                url,
                "account",
                "add",
                "maria",
                "--role",
                "manager",
                "--staff",
                "S1",
                "--password-stdin",
            ]
        )
        == 0
    )


def _password_file(tmp_path: Path, text: str = PASSWORD, mode: int = 0o600) -> Path:
    path = tmp_path / "password"
    path.write_text(text + "\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_without_accounts_nothing_asks_for_a_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--db", url, "account", "list"]) == 0
    assert "no accounts" in capsys.readouterr().out
    assert run(["--db", url, "check"]) in (0, 1)


def test_once_there_is_an_account_every_command_signs_in(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_manager(url, monkeypatch)
    capsys.readouterr()
    _stdin(monkeypatch, "")
    assert run(["--db", url, "dump"]) == 2
    err = capsys.readouterr().err
    assert "this database has user accounts" in err and "PLANNER_ACCOUNT" in err
    monkeypatch.setenv("PLANNER_ACCOUNT", "maria")
    monkeypatch.setenv("PLANNER_PASSWORD_FILE", str(_password_file(tmp_path)))
    assert run(["--db", url, "dump"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "infusion-planner/1"


def test_a_password_file_others_can_read_is_refused(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_manager(url, monkeypatch)
    monkeypatch.setenv("PLANNER_ACCOUNT", "maria")
    monkeypatch.setenv("PLANNER_PASSWORD_FILE", str(_password_file(tmp_path, mode=0o644)))
    assert run(["--db", url, "account", "list"]) == 2
    assert "can be read by others (mode 644)" in capsys.readouterr().err


def test_wrong_credentials_exit_2_with_a_sentence(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_manager(url, monkeypatch)
    monkeypatch.setenv("PLANNER_ACCOUNT", "maria")
    _stdin(monkeypatch, "not it\n")
    assert run(["--db", url, "--password-stdin", "account", "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot sign in as maria: wrong account name or password")
    assert "Traceback" not in err
    _stdin(monkeypatch, PASSWORD + "\n")
    assert run(["--db", url, "account", "list", "--password-stdin"]) == 0
    assert "maria\tManager\tS1\tno PIN" in capsys.readouterr().out


def test_a_new_password_is_typed_twice(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_manager(url, monkeypatch)
    monkeypatch.setenv("PLANNER_ACCOUNT", "maria")
    monkeypatch.setenv("PLANNER_PASSWORD_FILE", str(_password_file(tmp_path)))
    answers = iter(["nurse password", "nurse passw0rd"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(["--db", url, "account", "add", "nina", "--role", "nurse"]) == 2
    assert "the two passwords differ" in capsys.readouterr().err
    answers = iter(["nurse password", "nurse password"])
    assert run(["--db", url, "account", "add", "nina", "--role", "nurse", "--staff", "S2"]) == 0
    answers = iter(["2468", "2468"])
    assert run(["--db", url, "account", "pin", "nina"]) == 0
    _stdin(monkeypatch, "12\n")
    assert run(["--db", url, "account", "pin", "nina", "--password-stdin"]) == 2
    assert "a PIN is 4 to 8 digits" in capsys.readouterr().err
    assert run(["--db", url, "account", "disable", "nina"]) == 0
    assert run(["--db", url, "account", "list"]) == 0
    assert "nina\tNurse\tS2\tPIN set\tdisabled" in capsys.readouterr().out


def test_a_password_is_never_an_argument(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["--db", url, "account", "add", "maria", "--role", "manager", "--password", PASSWORD])
        == 2
    )
    assert "unrecognized arguments" in capsys.readouterr().err


def test_a_nurse_cannot_add_accounts_from_a_script(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_manager(url, monkeypatch)
    monkeypatch.setenv("PLANNER_ACCOUNT", "maria")
    monkeypatch.setenv("PLANNER_PASSWORD_FILE", str(_password_file(tmp_path)))
    _stdin(monkeypatch, "nurse password\n")
    assert run(["--db", url, "account", "add", "nina", "--role", "nurse", "--password-stdin"]) == 0
    monkeypatch.setenv("PLANNER_ACCOUNT", "nina")
    monkeypatch.setenv("PLANNER_PASSWORD_FILE", str(_password_file(tmp_path, "nurse password")))
    _stdin(monkeypatch, "another password\n")
    assert (
        run(["--db", url, "account", "add", "otto", "--role", "read_only", "--password-stdin"]) == 2
    )
    assert "nina (Nurse) may not manage user accounts" in capsys.readouterr().err
    doc = tmp_path / "again.json"
    doc.write_text(json.dumps(base_document()), encoding="utf-8")
    assert run(["--db", url, "load", "--replace", str(doc)]) == 2
    assert "may not change the clinic's set-up" in capsys.readouterr().err


def test_the_inventory_report_json(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", url, "inventory", "report", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert (
        run(["--db", url, "inventory", "report", "--from", "2026-12-02", "--to", "2026-12-01"]) == 2
    )
