"""``export`` from the command line: files written whole, clear refusals, exit codes."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.cli.arguments import parse_day, parse_week
from planner.db.engine import open_database
from planner.paperwork import DRAFT_PREFIX
from tests.databases import migrated_sqlite
from tests.factories import base_document, load_into
from tests.paperwork.pdfcheck import all_text, page_sizes, pages_text, qpdf_check

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = migrated_sqlite(tmp_path / "clinic.sqlite3")
    doc = base_document()
    doc["sessions"].append(
        {
            "ref": "X-2",
            "course": "C-0001",
            "chair": "CH-2",
            "start": "2026-12-03T10:00",
            "status": "planned",
            "assignments": [{"staff": "S2", "role": "infusion_nurse"}],
        }
    )
    database = open_database(url)
    load_into(database, doc)
    database.close()
    return url


def _export(db_url: str, *args: str) -> int:
    return run(["--db", db_url, "export", *args])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["consent", "--course", "C-0001"],
            "Consent to a course of intravenous ketamine infusions",
        ),
        (["monitoring", "--session", "X-1"], "Post-infusion monitoring sheet"),
        (["week", "--week", "2026-W49"], "Week schedule"),
        (["day", "--date", "2026-12-01"], "Run sheet"),
    ],
)
def test_each_document_is_written(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    out = tmp_path / "out" / "paper.pdf"
    assert _export(db_url, *args, "--out", str(out)) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert expected in all_text(pdf)
    assert str(out) in capsys.readouterr().out
    assert not [p for p in out.parent.iterdir() if p.name != "paper.pdf"]  # no temp file left
    qpdf_check(pdf, tmp_path)


@pytest.mark.parametrize(
    ("args", "ref"),
    [
        (["consent", "--course", "C-4040"], "C-4040"),
        (["monitoring", "--session", "X-4040"], "X-4040"),
        (["week", "--week", "2026-W99"], "2026-W99"),
        (["day", "--date", "2026-13-01"], "2026-13-01"),
    ],
)
def test_unknown_ref_is_named_exit_2_and_no_file(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], ref: str
) -> None:
    out = tmp_path / "paper.pdf"
    assert _export(db_url, *args, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ref in err and "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "clinic.sqlite3"] or all(
        p.name.startswith("clinic.sqlite3") for p in tmp_path.iterdir()
    )


def test_staffing_incomplete_refuses_and_keeps_an_old_file(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"yesterday's sheet")
    assert _export(db_url, "monitoring", "--session", "X-2", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "X-2" in err and "No psychiatrist is assigned" in err and "--draft" in err
    assert out.read_bytes() == b"yesterday's sheet"
    assert _export(db_url, "day", "--date", "2026-12-03", "--out", str(out)) == 1
    assert out.read_bytes() == b"yesterday's sheet"


def test_draft_prints_the_banner_on_every_page(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "draft.pdf"
    assert _export(db_url, "monitoring", "--session", "X-2", "--draft", "--out", str(out)) == 0
    pages = pages_text(out.read_bytes())
    assert pages and all(DRAFT_PREFIX in p and "No psychiatrist is assigned" in p for p in pages)
    assert _export(db_url, "day", "--date", "2026-12-03", "--draft", "--out", str(out)) == 0
    assert all(DRAFT_PREFIX in p for p in pages_text(out.read_bytes()))


def test_paper_option(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "letter.pdf"
    assert (
        _export(db_url, "consent", "--course", "C-0001", "--paper", "letter", "--out", str(out))
        == 0
    )
    assert all(round(w) == 612 for w, _h in page_sizes(out.read_bytes()))
    assert _export(db_url, "consent", "--course", "C-0001", "--paper", "A4", "--out", str(out)) == 0
    assert all(round(w) == 595 for w, _h in page_sizes(out.read_bytes()))
    assert _export(db_url, "consent", "--course", "C-0001", "--paper", "a5", "--out", str(out)) == 2
    assert "a5" in capsys.readouterr().err


def test_main_entry_point_exports(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "week.pdf"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--db",
            db_url,
            "export",
            "week",
            "--week",
            "2026-W49",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Week 2026-W49" in all_text(out.read_bytes())


def _imports_after(code: str) -> dict[str, Any]:
    script = (
        "import json, sys\n" + code + "\n"
        "print(json.dumps({'reportlab': sorted(m for m in sys.modules if m.startswith('reportlab'))}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    import json

    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_starting_the_app_or_the_cli_does_not_import_reportlab() -> None:
    loaded = _imports_after(
        "import planner.app, planner.cli, planner.paperwork, planner.services.paperwork\n"
        "planner.cli.build_parser()"
    )
    assert loaded["reportlab"] == []
    built = _imports_after(
        "from planner.paperwork import build_monitoring\n"
        "from planner.paperwork.data import RenderOptions\n"
        "from tests.paperwork.samples import monitoring\n"
        "build_monitoring(monitoring(), RenderOptions())"
    )
    assert "reportlab.platypus" in built["reportlab"]  # the check above can see reportlab


def test_weeks_and_days_are_read_from_iso_text() -> None:
    assert parse_week("2026-W49") == date(2026, 11, 30)
    assert parse_week("2026w49") == date(2026, 11, 30)
    assert parse_week("2026-12-06") == date(2026, 11, 30)  # the Sunday of that week
    assert parse_day(" 2026-12-01 ") == date(2026, 12, 1)
    for bad, said in (("next week", "next week"), ("2026-W54", "no week 2026-W54")):
        with pytest.raises(argparse.ArgumentTypeError, match=said):
            parse_week(bad)
