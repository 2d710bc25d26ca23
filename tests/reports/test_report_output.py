"""Reports as the clinic gets them: the PDF read back (charts included), JSON and text."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import Database, open_database
from planner.services.reports import render_report, run_report
from tests.factories import load_into
from tests.paperwork.pdfcheck import all_text, layout_problems, page_sizes, pages_text, qpdf_check
from tests.reports.clinics import attendance_clinic, courses_clinic, week_clinic

NOW = datetime(2026, 12, 21, 8, 0)
MON, WED = date(2026, 12, 7), date(2026, 12, 9)


@pytest.fixture
def week_db(sqlite_db: Database) -> Database:
    load_into(sqlite_db, week_clinic())
    return sqlite_db


def test_utilisation_pdf_has_its_bar_chart_and_tables(week_db: Database, tmp_path: Path) -> None:
    pdf = render_report(run_report(week_db, "utilisation", MON, WED), now=NOW)
    first = pages_text(pdf)[0]
    for expected in (
        "Chair utilisation report",
        "2026-12-07 to 2026-12-09",
        "19.4 % of open chair time booked: 7.0 h of 36.0 h",
        "Chair utilisation per day (booked / open chair time)",
        # the bar chart: its value labels and axis
        "25 %",
        "15 %",
        "50 %",
        # the per-chair table
        "Chair 1 (CH-1)",
        "18.0 h",
        "16.7 %",
        "22.2 %",
        "All chairs",
        "Outside hours",
        "Generated 2026-12-21 08:00",
    ):
        assert expected in first, expected
    assert "Wed 2026-12-09" in all_text(pdf)
    width, height = page_sizes(pdf)[0]
    assert width > height
    qpdf_check(pdf, tmp_path)


def test_attendance_pdf_has_its_line_chart(sqlite_db: Database) -> None:
    load_into(sqlite_db, attendance_clinic())
    pdf = render_report(
        run_report(sqlite_db, "attendance", date(2026, 12, 7), date(2026, 12, 20)), now=NOW
    )
    text = all_text(pdf)
    for expected in (
        "No-show and cancellation rate per week",
        "No-show rate",  # the legend
        "Cancellation rate",
        "2026-W50",
        "2026-W51",
        "25.0 %",  # W50's no-show rate in the table
        "33.3 %",  # the whole period's
        "Alma Avery (P-1)",
        "Bruno Brandt (P-2)",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("kind", ["staff-hours", "courses"])
def test_every_report_prints_cleanly(sqlite_db: Database, kind: str) -> None:
    load_into(sqlite_db, courses_clinic() if kind == "courses" else week_clinic())
    start, end = (date(2026, 12, 14), date(2026, 12, 20)) if kind == "courses" else (MON, WED)
    pdf = render_report(run_report(sqlite_db, kind, start, end), now=NOW)
    text = all_text(pdf)
    if kind == "courses":
        assert "Courses by state on 2026-12-20" in text
        assert "Stalled" in text and "OVERDUE" in text and "Bruno Brandt (P-2)" in text
    else:
        assert "Hours booked and on duty per person" in text
        assert "Dr One (S1)" in text and "61.1 %" in text and "Infusion nurse" in text
    assert layout_problems(pdf, margin=30) == []


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def week_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    database = open_database(url)
    load_into(database, week_clinic())
    database.close()
    return url


def test_report_json_on_stdout(week_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "--db",
            week_url,
            "report",
            "utilisation",
            "--from",
            "2026-12-07",
            "--to",
            "2026-12-09",
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"] == "utilisation"
    assert data["total"]["rate"] == 0.1944


def test_report_text_on_stdout(week_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        ["--db", week_url, "report", "staff-hours", "--from", "2026-12-07", "--to", "2026-12-09"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Staff hours — 2026-12-07 to 2026-12-09" in out
    assert "Dr One (S1)" in out and "11.0 h" in out and "61.1 %" in out


def test_report_files_are_private(
    week_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, data = tmp_path / "r" / "attendance.pdf", tmp_path / "r" / "attendance.json"
    base = ["--db", week_url, "report", "attendance", "--from", "2026-12-07", "--to", "2026-12-09"]
    assert run([*base, "--out", str(pdf)]) == 0
    assert run([*base, "--json", "--out", str(data)]) == 0
    assert "Attendance report" in all_text(pdf.read_bytes())
    assert json.loads(data.read_text())["total"]["sessions"] == 8  # X-1 .. X-8
    for path in (pdf, data):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "wrote the attendance report" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["revenue", "--from", "2026-12-07", "--to", "2026-12-09"],
        ["utilisation", "--from", "2026-12-09", "--to", "2026-12-07"],
        ["utilisation", "--from", "2026-12-07"],
        ["utilisation", "--from", "2020-01-01", "--to", "2026-12-31"],
    ],
)
def test_bad_input_exits_2(
    week_url: str, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert run(["--db", week_url, "report", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(("error:", "usage:"))
    assert "Traceback" not in err
