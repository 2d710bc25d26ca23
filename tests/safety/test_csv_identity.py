"""CSV import never guesses about a patient's identity, and never lets a CSV drive the terminal.

The issue's examples: one stray Windows-1252 byte in a UTF-8 file made "Jürgen"
"JÃ¼rgen" (exit 0); ``19800102`` with ``--dayfirst`` became 1980-02-01; a file
mixing 25/12/1980 and 12/25/1980 was resolved silently; control characters
from a CSV reached the terminal raw. Through the real command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.db.engine import open_database
from planner.services.clinic_io import dump_document

ESC = "\x1b"


def _import(tmp_path: Path, data: bytes, *options: str) -> tuple[int, str, str]:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    csv = tmp_path / "patients.csv"
    csv.write_bytes(data)
    code = run(["--db", url, "import", "patients", *options, str(csv)])
    return code, url, csv.name


def _names(url: str) -> dict[str, str]:
    db = open_database(url)
    try:
        return {p["record_number"]: (p["name"], p["date_of_birth"]) for p in dump_document(db)["patients"]}  # type: ignore[misc]
    finally:
        db.close()


def test_a_stray_windows_byte_in_a_utf8_file_is_refused_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (
        "name,dob,mrn\nJürgen Müller,1970-03-04,M-1\nAda Brontë,1980-01-02,M-2\n".encode()
        + "José Peña,1975-05-06,M-3\n".encode("cp1252")
    )
    code, url, _ = _import(tmp_path, data)
    captured = capsys.readouterr()
    assert code == 2
    assert "line 4 is not valid UTF-8 (byte 0xE9)" in captured.err, captured.err
    assert "(--encoding windows-1252)" in captured.err
    assert _names(url) == {}
    # Naming the encoding that the file claims to be is refused the same way.
    code, url, _ = _import(tmp_path, data, "--encoding", "utf-8")
    assert code == 2 and "line 4 is not valid utf-8" in capsys.readouterr().err
    assert _names(url) == {}


def test_a_windows_1252_file_is_read_with_its_accents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "name;dob;mrn\nJürgen Müller;1970-03-04;M-1\nJosé Peña;1975-05-06;M-2\n".encode(
        "cp1252"
    )
    code, url, _ = _import(tmp_path, data)
    assert code == 0, capsys.readouterr()
    assert {n for n, _ in _names(url).values()} == {"Jürgen Müller", "José Peña"}


@pytest.mark.parametrize("order", ["--dayfirst", "--monthfirst", None])
def test_digits_only_are_year_month_day_or_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], order: str | None
) -> None:
    options = [order] if order else []
    code, url, _ = _import(tmp_path, b"name,dob,mrn\nAda,19800102,A-1\n", *options)
    assert code == 0, capsys.readouterr()
    assert "born 1980-01-02" in capsys.readouterr().out
    assert _names(url)["A-1"] == ("Ada", "1980-01-02")
    code, url, _ = _import(tmp_path, b"name,dob,mrn\nBo,01021980,B-1\nCy,800102,C-1\n", *options)
    out = capsys.readouterr().out
    assert code == 2
    assert "line 2 (Bo): date of birth: '01021980' is only digits" in out
    assert "line 3 (Cy): date of birth: '800102' is only digits" in out
    assert "B-1" not in _names(url)


@pytest.mark.parametrize("order", ["--dayfirst", "--monthfirst", None])
def test_a_file_mixing_day_first_and_month_first_is_refused_naming_the_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], order: str | None
) -> None:
    data = b"name,dob,mrn\nAda,25/12/1980,A-1\nBo,12/25/1980,B-1\nCy,03/04/1981,C-1\n"
    code, url, _ = _import(tmp_path, data, *([order] if order else []))
    out = capsys.readouterr().out
    assert code == 2
    assert "day first on line 2 ('25/12/1980') and month first on line 3 ('12/25/1980')" in out
    assert _names(url) == {}


@pytest.mark.parametrize(
    ("value", "order", "born", "refused"),
    [
        ("12/25/1980", "--dayfirst", None, "'12/25/1980' is not a date (read as day/month/year)"),
        ("25/12/1980", "--monthfirst", None, "'25/12/1980' is not a date (read as month/day/year)"),
        ("1980 01 02", "--dayfirst", "1980-01-02", None),
        ("1980.01.02", "--dayfirst", "1980-01-02", None),
        ("01.13.1980", "--monthfirst", None, "is not a date (read as day/month/year)"),
        ("1980-13-01", "--dayfirst", None, "is not a date (read as year-month-day)"),
        ("1980-01-02 00:00:00", "--dayfirst", "1980-01-02", None),
        ("2 Jan 1980", "--monthfirst", "1980-01-02", None),
    ],
)
def test_a_date_is_read_in_the_stated_order_or_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    value: str,
    order: str,
    born: str | None,
    refused: str | None,
) -> None:
    code, url, _ = _import(tmp_path, f"name,dob,mrn\nAda,{value},A-1\n".encode(), order)
    out = capsys.readouterr().out
    if born:
        assert code == 0 and _names(url)["A-1"][1] == born, out
    else:
        assert code == 2 and refused in out, out
        assert _names(url) == {}


def test_terminal_control_characters_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = f"Eve{ESC}]0;owned{chr(7)}{ESC}[2J{chr(0x9b)}31m\u202eevil"
    data = (
        f"name,dob,mrn,notes\n{hostile},1980-01-02,E-1,x\n{hostile},nonsense,E-2,y\n"
    ).encode()
    code, _, _ = _import(tmp_path, data, "--dry-run")
    captured = capsys.readouterr()
    assert code == 2
    shown = captured.out + captured.err
    for raw in (ESC, chr(7), chr(0x9b), "\u202e"):
        assert raw not in shown, repr(raw)
    assert "Eve\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil" in captured.out


def test_a_hostile_file_name_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    assert run(["--db", url, "import", "patients", f"{tmp_path}/no{ESC}[31mfile.csv"]) == 2
    err = capsys.readouterr().err
    assert ESC not in err and "no\\x1b[31mfile.csv" in err


def test_the_import_dialog_refuses_a_mixed_file_and_reads_a_chosen_encoding(
    qtbot: Any, tmp_path: Path
) -> None:
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.pages.import_dialog import ImportPatientsDialog

    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    dialog = ImportPatientsDialog(AppContext(db=db, hub=ChangeHub()))
    qtbot.addWidget(dialog)
    csv = tmp_path / "mixed.csv"
    csv.write_bytes("name,dob,mrn\nJürgen,1970-03-04,M-1\n".encode() + b"Jos\xe9,1975-05-06,M-2\n")
    assert not dialog.load_file(csv)
    assert dialog.preview is not None and not dialog.preview.ok
    assert "line 3 is not valid UTF-8" in dialog.preview.problems[0].message
    assert dialog.preview.problems[0].line == 3
    assert not dialog.import_button.isEnabled()
    from tests.gui.pages_fixtures import save_screenshot

    save_screenshot(dialog, "import-mixed-encoding")
    plain = tmp_path / "windows.csv"
    plain.write_bytes("name,dob,mrn\nJosé,1975-05-06,M-2\n".encode("cp1252"))
    assert dialog.load_file(plain)
    assert dialog.preview.rows[0].data.name == "José"
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("utf-8"))
    assert "not valid utf-8" in dialog.preview.problems[0].message
    dialog.close()
    db.close()
