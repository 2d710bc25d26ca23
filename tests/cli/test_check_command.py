"""The ``check`` command: human and JSON output, date ranges, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.db.engine import open_database
from tests.databases import migrated_sqlite
from tests.factories import base_document, load_into

JSON_KEYS = {"code", "severity", "session", "message", "related", "staff", "patient", "chair"}


def _db(tmp_path: Path, doc: dict[str, Any]) -> str:
    url = migrated_sqlite(tmp_path / "clinic.sqlite3")
    db = open_database(url)
    load_into(db, doc)
    db.close()
    return url


def _problem_clinic() -> dict[str, Any]:
    """X-1 (Tue 1 Dec) fine; X-2 (Wed 2 Dec) without a nurse and only 24 h after X-1;
    X-3 (Mon 7 Dec) for a flagged patient (warning only)."""
    doc = base_document()
    doc["patients"].append(
        {
            "ref": "P-0002",
            "name": "Jan Kowalski",
            "date_of_birth": "1970-01-01",
            "record_number": "MRN-1002",
            "flags": ["psychosis_history"],
        }
    )
    doc["courses"].append({"ref": "C-0002", "patient": "P-0002", "protocol": "KET-DEP"})
    doc["sessions"] += [
        {
            "ref": "X-2",
            "course": "C-0001",
            "chair": "CH-2",
            "start": "2026-12-02T09:00",
            "assignments": [{"staff": "S1", "role": "psychiatrist"}],
        },
        {
            "ref": "X-3",
            "course": "C-0002",
            "chair": "CH-1",
            "start": "2026-12-07T09:00",
            "assignments": [
                {"staff": "S1", "role": "psychiatrist"},
                {"staff": "S2", "role": "infusion_nurse"},
            ],
        },
    ]
    return doc


def test_clean_clinic_exits_0_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _db(tmp_path, base_document())
    assert run(["--db", url, "check"]) == 0
    out = capsys.readouterr().out
    assert "No problems found" in out and "1 session checked" in out


def test_errors_exit_1_grouped_by_day_and_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _db(tmp_path, _problem_clinic())
    assert run(["--db", url, "check"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    wed = lines.index("Wed 2 Dec 2026")
    assert "X-2" in lines[wed + 1] and "09:00–11:00" in lines[wed + 1]
    assert "Zoë Łukasiewicz" in lines[wed + 1] and "Chair 2" in lines[wed + 1]
    assert "missing-monitoring-clinician" in out and "spacing-too-short" in out
    mon = lines.index("Mon 7 Dec 2026")
    assert "X-3" in lines[mon + 1] and "patient-flag" in lines[mon + 2]
    assert lines[-1].startswith("3 sessions checked (all dates):")
    assert "1 error," in lines[-1]


def test_only_warnings_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _db(tmp_path, _problem_clinic())
    assert run(["--db", url, "check", "--from", "2026-12-07", "--to", "2026-12-07"]) == 0
    out = capsys.readouterr().out
    assert "patient-flag" in out and "X-2" not in out


def test_json_output_is_an_array_of_violations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _db(tmp_path, _problem_clinic())
    assert run(["--db", url, "check", "--json"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert all(set(item) == JSON_KEYS for item in items)
    by_code = {(i["session"], i["code"]): i for i in items}
    missing = by_code[("X-2", "missing-monitoring-clinician")]
    assert missing["severity"] == "error" and missing["related"] == []
    spacing = by_code[("X-2", "spacing-too-short")]
    assert spacing["related"] == ["X-1"] and spacing["patient"] == "P-0001"
    assert spacing["severity"] == "warning" and spacing["staff"] is None
    assert by_code[("X-3", "patient-flag")]["patient"] == "P-0002"


def test_json_with_nothing_found_is_an_empty_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _db(tmp_path, _problem_clinic())
    assert run(["--db", url, "check", "--json", "--from", "2026-12-08"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_date_range_filters_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _db(tmp_path, _problem_clinic())
    assert run(["--db", url, "check", "--json", "--to", "2026-12-01"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["session"], i["code"], i["related"]) for i in items] == [
        ("X-1", "spacing-too-short", ["X-2"])
    ]
    assert run(["--db", url, "check", "--json", "--from", "2026-12-02", "--to", "2026-12-02"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert {i["session"] for i in items} == {"X-2"}


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--from", "2026-13-01"],
        ["check", "--to", "yesterday"],
        ["check", "--from", "2026-12-05", "--to", "2026-12-01"],
        ["check", "--bogus"],
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    url = _db(tmp_path, base_document())
    assert run(["--db", url, *argv]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_bad_date_message_names_the_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _db(tmp_path, base_document())
    assert run(["--db", url, "check", "--from", "1/12/2026"]) == 2
    err = capsys.readouterr().err
    assert "'1/12/2026' is not a valid date" in err and "YYYY-MM-DD" in err


def test_empty_database_has_nothing_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert run(["--db", url, "check"]) == 0
    assert "No sessions to check" in capsys.readouterr().out


def test_runs_as_a_program(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = _db(tmp_path, _problem_clinic())
    main = Path(__file__).resolve().parents[2] / "main.py"
    done = subprocess.run(
        [sys.executable, str(main), "--db", url, "check", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert {i["session"] for i in json.loads(done.stdout)} == {"X-1", "X-2", "X-3"}
