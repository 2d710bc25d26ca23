"""CSV import of patients: header mapping, date formats, a preview naming each bad row, all-or-nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import Database
from planner.services.base import ValidationFailed
from planner.services.patient_import import (
    decode_csv,
    guess_dayfirst,
    import_patients,
    preview_patient_csv,
)
from planner.services.patients import list_patients
from tests.factories import base_document, load_into

from .conftest import full_state

TODAY = date(2026, 11, 29)


def test_common_headers_and_date_formats_are_understood(sqlite_db: Database) -> None:
    text = (
        "\ufeffFull Name;Date of Birth;Record Number;Weight (kg);Escort Name;Escort Phone;"
        "Notes;Flags;Insurance\n"
        "Anna Berg;25/03/1980;R-1;70,5;Bo Berg;555 0101;needle-shy;Pregnancy;ACME\n"
        "Carl Dahl;1979-04-03;R-2;80 kg;;;;;\n"
        "Dora Ek;3 April 1979;R-3;;;;;psychosis_history| uncontrolled_hypertension;\n"
    )
    preview = preview_patient_csv(sqlite_db, text, today=TODAY)
    assert preview.problems == ()
    assert preview.dayfirst is True  # 25/03 can only be day first
    assert preview.ignored_columns == ("Insurance",)
    assert set(preview.columns.values()) >= {"name", "date_of_birth", "record_number", "weight_kg"}
    anna, carl, dora = (row.data for row in preview.rows)
    assert (anna.date_of_birth, anna.weight_kg, anna.flags) == (date(1980, 3, 25), 70.5, ("pregnancy",))
    assert anna.escort.name == "Bo Berg" and anna.notes == "needle-shy"
    assert (carl.date_of_birth, carl.weight_kg) == (date(1979, 4, 3), 80.0)
    assert dora.date_of_birth == date(1979, 4, 3)
    assert set(dora.flags) == {"psychosis_history", "uncontrolled_hypertension"}
    assert import_patients(sqlite_db, preview, today=TODAY) == 3
    names = [p.patient.name for p in list_patients(sqlite_db)]
    assert names == ["Anna Berg", "Carl Dahl", "Dora Ek"]


@pytest.mark.parametrize(
    ("dayfirst", "expected"), [(True, date(1980, 4, 3)), (False, date(1980, 3, 4))]
)
def test_ambiguous_dates_follow_the_choice(
    sqlite_db: Database, dayfirst: bool, expected: date
) -> None:
    preview = preview_patient_csv(sqlite_db, "name,dob\nAl,03/04/1980\n", dayfirst=dayfirst)
    assert preview.rows[0].data.date_of_birth == expected
    assert preview.dayfirst is dayfirst


def test_dotted_dates_are_day_first_whatever_the_locale(sqlite_db: Database) -> None:
    text = "Name,DOB\nAnn Lee,01.02.1975\nBo Li,3.4.1960\n"
    for order in (None, False):
        preview = preview_patient_csv(sqlite_db, text, dayfirst=order, today=TODAY)
        assert [r.data.date_of_birth for r in preview.rows] == [date(1975, 2, 1), date(1960, 4, 3)]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Date of Birth (MM/DD/YYYY)", date(1970, 4, 5)), ("DOB [dd.mm.yyyy]", date(1970, 5, 4))],
)
def test_a_format_hint_in_the_date_header_is_understood(
    sqlite_db: Database, header: str, expected: date
) -> None:
    text = f"Patient Name,{header},Weight (lbs)\nCy Twombly,04/05/1970,150\n"
    preview = preview_patient_csv(sqlite_db, text, today=TODAY)
    assert preview.problems == ()
    assert preview.rows[0].data.date_of_birth == expected
    # A weight in pounds is not taken for kilograms.
    assert preview.ignored_columns == ("Weight (lbs)",)
    assert preview.rows[0].data.weight_kg is None


def test_first_and_last_name_columns_are_joined(sqlite_db: Database) -> None:
    text = "First name,Last name,DOB,MRN\nJohn,Smith,1980-01-02,M-7\n"
    preview = preview_patient_csv(sqlite_db, text, today=TODAY)
    assert preview.problems == ()
    assert preview.rows[0].data.name == "John Smith"
    assert import_patients(sqlite_db, preview, today=TODAY) == 1
    assert [p.patient.name for p in list_patients(sqlite_db)] == ["John Smith"]


def test_the_file_decides_the_date_order_when_it_can() -> None:
    assert guess_dayfirst(["03/04/1980", "12/31/1975"]) is False
    assert guess_dayfirst(["03/04/1980", "31/12/1975"]) is True
    assert guess_dayfirst(["03/04/1980", "1975-12-31"]) is None


def test_preview_names_each_bad_row_and_why_and_nothing_is_imported(
    sqlite_db: Database,
) -> None:
    load_into(sqlite_db, base_document())
    text = (
        "name,dob,mrn,weight,flags\n"
        "Good One,1980-01-01,G-1,70,\n"
        ",1980-01-01,G-2,70,\n"
        "No Birthday,,G-3,,\n"
        "Feb Thirty,30/02/1980,G-4,,\n"
        "Future Kid,2030-01-01,G-5,,\n"
        "Heavy,1980-01-01,G-6,900,\n"
        "Dup Number,1980-01-01,G-1,,\n"
        "Taken Number,1980-01-01,MRN-1001,,\n"
        "Odd Flag,1980-01-01,G-9,,telepathy\n"
        "Short Year,01/02/80,G-10,,\n"
        "Too,Many,Values,1,2,3,4\n"
    )
    before = full_state(sqlite_db)
    preview = preview_patient_csv(sqlite_db, text, dayfirst=True, today=TODAY)
    assert [r.line for r in preview.rows] == [2]
    by_line = {p.line: str(p) for p in preview.problems}
    assert sorted(by_line) == list(range(3, 13))
    assert "name" in by_line[3]
    assert "No Birthday" in by_line[4] and "date of birth" in by_line[4]
    assert "'30/02/1980' is not a date" in by_line[5]
    assert "future" in by_line[6]
    assert "weight kg: must be between 20 and 350" in by_line[7]
    assert "also on line 2" in by_line[8]
    assert "P-0001" in by_line[9]
    assert "telepathy" in by_line[10]
    assert "two-digit year" in by_line[11]
    assert "more values" in by_line[12]
    with pytest.raises(ValidationFailed, match="nothing imported"):
        import_patients(sqlite_db, preview, today=TODAY)
    assert full_state(sqlite_db) == before


def test_a_clash_appearing_after_the_preview_imports_nothing(sqlite_db: Database) -> None:
    """Another workstation adds a record number between preview and import: all or nothing."""
    from planner.services.patients import create_patient
    from tests.factories import new_patient

    preview = preview_patient_csv(
        sqlite_db, "name,dob,mrn\nA,1980-01-01,N-1\nB,1981-01-01,N-2\n", today=TODAY
    )
    assert preview.ok
    create_patient(
        sqlite_db, new_patient("Other", date(1970, 1, 1), record_number="N-2"),
        today=TODAY,
    )
    before = full_state(sqlite_db)
    with pytest.raises(ValidationFailed, match="nothing imported"):
        import_patients(sqlite_db, preview, today=TODAY)
    assert full_state(sqlite_db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"first,second\n1,2\n", "no name column"),
        (b"name,dob\n", "no patients"),
        (b"\xff\xfe\x00\x00garbage\x81\x8d\x8f\x90\x9d", "not text"),
    ],
)
def test_cli_explains_a_bad_file_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    csv = tmp_path / "in.csv"
    csv.write_bytes(content)
    assert run(["--db", url, "import", "patients", str(csv)]) == 2
    captured = capsys.readouterr()
    assert message in captured.out + captured.err
    assert "Traceback" not in captured.err


def test_cli_dry_run_previews_and_the_real_run_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    csv = tmp_path / "in.csv"
    csv.write_text("Name,Birth date,MRN\nAda,10/12/1985,A-1\nBob,11/12/1985,B-1\n", encoding="utf-8")
    assert run(["--db", url, "import", "patients", "--dry-run", "--monthfirst", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "2 patient(s) ready" in out and "born 1985-10-12" in out and "nothing imported" in out
    assert run(["--db", url, "import", "patients", "--monthfirst", str(csv)]) == 0
    assert "imported 2 patient(s)" in capsys.readouterr().out
    assert run(["--db", url, "import", "patients", str(csv)]) == 2  # again: numbers are taken
    assert "already used" in capsys.readouterr().out
    assert run(["--db", url, "import", "patients", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_utf16_spreadsheet_export_is_read_with_its_accents(sqlite_db: Database) -> None:
    data = "Full name\tDOB\tMRN\r\nОльга Łukasiewicz\t1980-12-31\tU16\r\n".encode("utf-16")
    preview = preview_patient_csv(sqlite_db, decode_csv(data), today=TODAY)
    assert preview.problems == ()
    assert "Full name" in preview.columns
    assert preview.rows[0].data.name == "Ольга Łukasiewicz"
