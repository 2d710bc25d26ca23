"""The dispensing log and the count sheet, read back as a compliance officer reads them."""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import Database
from planner.services.ledger_paperwork import render_count_sheet, render_dispensing_log
from tests.ledger_support import LOT, load_clinic, recorded_document
from tests.paperwork.pdfcheck import all_text, assert_missing_nothing, page_sizes, qpdf_check

NOW = datetime(2026, 12, 2, 18, 0)


def _two_lots() -> dict:
    doc = recorded_document()
    second = copy.deepcopy(LOT) | {
        "ref": "LOT-0002",
        "lot_number": "KX-3310",
        "vials": 1,
        "received": "2026-11-20",
        "expires": "2026-12-01",
    }
    doc["inventory"]["lots"].append(second)
    record = doc["sessions"][1].setdefault("record", copy.deepcopy(doc["sessions"][0]["record"]))
    for entry in record["medications"][:1]:
        entry["start"], entry["end"], entry["mg"] = "2026-12-02T09:20", "2026-12-02T10:00", 40
    record["medications"] = record["medications"][:1]
    record["waste"][0]["time"], record["waste"][0]["mg"] = "2026-12-02T10:02", 10
    record["vitals"], record["adverse_events"] = record["vitals"][:1], []
    for v in record["vitals"]:
        v["time"] = "2026-12-02T09:20"
    record["checked_in_at"] = "2026-12-02T08:50"
    record["discharge"]["at"], record["signed_at"] = "2026-12-02T11:00", "2026-12-02T11:10"
    doc["sessions"][1]["status"] = "done"
    return doc


@pytest.fixture
def clinic(sqlite_db: Database) -> Database:
    load_clinic(sqlite_db, _two_lots())
    return sqlite_db


def test_the_dispensing_log_lists_every_milligram_in_time_order(
    clinic: Database, tmp_path: Path
) -> None:
    pdf = render_dispensing_log(clinic, date(2026, 12, 1), date(2026, 12, 31), now=NOW)
    text = all_text(pdf)
    assert_missing_nothing(
        text,
        [
            "Controlled-substance dispensing log",
            "Period: 2026-12-01 to 2026-12-31 (both days included)",
            "2026-12-01 09:20 Zoë Łukasiewicz (MRN-1001) X-1 LOT-0001 (KX-2291) 35 Tomás Nuñez 965",
            "2026-12-01 10:02 Zoë Łukasiewicz (MRN-1001) X-1 LOT-0001 (KX-2291) 15 Tomás Nuñez Grace Okafor 950",
            "2026-12-02 09:20 Zoë Łukasiewicz (MRN-1001) X-2 LOT-0001 (KX-2291) 40 Tomás Nuñez 910",
            "2026-12-02 10:02 Zoë Łukasiewicz (MRN-1001) X-2 LOT-0001 (KX-2291) 10 Tomás Nuñez Grace Okafor 900",
            "LOT-0001 ketamine KX-2291 50 mg/mL × 10 mL 2027-05-31 1000 0 75 25 900 (18 mL)",
            "LOT-0002 ketamine KX-3310 50 mg/mL × 10 mL 2026-12-01 500 0 0 0 500 (10 mL)",
            "Reviewed by (name)",
        ],
    )
    assert (
        text.index("2026-12-01 09:20")
        < text.index("2026-12-01 10:02")
        < text.index("2026-12-02 09:20")
    )
    assert page_sizes(pdf)[0][0] > page_sizes(pdf)[0][1]  # landscape
    qpdf_check(pdf, tmp_path)


def test_a_period_opens_with_the_balance_left_before_it(clinic: Database) -> None:
    text = all_text(render_dispensing_log(clinic, date(2026, 12, 2), date(2026, 12, 2), now=NOW))
    assert "2026-12-01 09:20" not in text
    assert_missing_nothing(
        text, ["LOT-0001 ketamine KX-2291 50 mg/mL × 10 mL 2027-05-31 950 0 40 10 900 (18 mL)"]
    )


def test_the_count_sheet_lists_what_each_lot_should_hold(clinic: Database, tmp_path: Path) -> None:
    pdf = render_count_sheet(clinic, date(2026, 12, 3), now=NOW)
    text = all_text(pdf)
    assert_missing_nothing(
        text,
        [
            "Controlled-substance count sheet",
            "Physical inventory on 2026-12-03",
            "LOT-0001 ketamine, KX-2291 50 mg/mL × 10 mL 2027-05-31 900 (18 mL) 950 mg on 2026-12-01",
            "LOT-0002 ketamine, KX-3310 50 mg/mL × 10 mL 2026-12-01 (expired) 500 (10 mL)",
            "Counted by",
            "Witness",
        ],
    )
    qpdf_check(pdf, tmp_path)


def test_export_commands_write_both_papers(
    clinic: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, sheet = tmp_path / "log.pdf", tmp_path / "count.pdf"
    assert (
        run(
            [
                "--db",
                clinic.url,
                "export",
                "dispensing-log",
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-02",
                "--out",
                str(log),
                "--paper",
                "letter",
            ]
        )
        == 0
    )
    assert (
        run(
            ["--db", clinic.url, "export", "inventory", "--date", "2026-12-03", "--out", str(sheet)]
        )
        == 0
    )
    assert "X-2" in all_text(log.read_bytes()) and "KX-3310" in all_text(sheet.read_bytes())
    assert page_sizes(log.read_bytes())[0] == pytest.approx((792, 612))
    assert (
        run(
            [
                "--db",
                clinic.url,
                "export",
                "dispensing-log",
                "--from",
                "2026-12-02",
                "--to",
                "2026-12-01",
                "--out",
                str(log),
            ]
        )
        == 2
    )
    assert "--to must not be before --from" in capsys.readouterr().err
