"""``export monitoring`` of a recorded session prints the completed sheet, read back as a chart
reviewer reads it; a session without a record still prints the blank sheet."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import Database
from planner.services import accounts, session_records
from planner.services.paperwork import render_monitoring
from planner.services.permissions import PermissionDenied
from tests.ledger_support import dose_record, load_clinic, receive
from tests.paperwork.pdfcheck import all_text, assert_missing_nothing, pages_text, qpdf_check

NOW = datetime(2026, 12, 1, 12, 0)


@pytest.fixture
def clinic(sqlite_db: Database) -> Database:
    load_clinic(sqlite_db)
    receive(sqlite_db)
    record = dose_record(sqlite_db)
    high = dataclasses.replace(
        record.vitals[0], systolic=188, note="Dr Silva informed; infusion slowed"
    )
    session_records.save_record(
        sqlite_db, "X-1", dataclasses.replace(record, vitals=(high,)), expected_version=None
    )
    return sqlite_db


def test_an_unsigned_record_prints_as_a_draft_on_every_page(clinic: Database) -> None:
    pdf = render_monitoring(clinic, "X-1", now=NOW)
    for page in pages_text(pdf):
        assert "NOT SIGNED — a draft session record" in page
    assert "Not signed: this is a draft record." in all_text(pdf)


def test_the_completed_sheet_prints_the_record_and_its_signatures(
    clinic: Database, tmp_path: Path
) -> None:
    session_records.sign_record(
        clinic, "X-1", expected_version=1, signer="S1", clock=lambda: datetime(2026, 12, 1, 11, 10)
    )
    view = session_records.open_record(clinic, "X-1")
    assert view.record is not None and view.version is not None
    fixed = dataclasses.replace(view.record.vitals[0], heart_rate=74)
    session_records.amend_record(
        clinic,
        "X-1",
        dataclasses.replace(view.record, vitals=(fixed,)),
        reason="pulse re-read from the monitor",
        expected_version=view.version,
        by="S1",
        clock=lambda: datetime(2026, 12, 1, 11, 40),
    )
    pdf = render_monitoring(clinic, "X-1", now=NOW)
    text = all_text(pdf)
    assert_missing_nothing(
        text,
        [
            "Post-infusion monitoring sheet — completed",
            "Zoë Łukasiewicz",
            "Session X-1",
            "Medications given",
            "ketamine LOT-0001 (KX-2291) 35 mg 35 mg IV 09:20 Tomás Nuñez",
            "Waste of the remainder (controlled substance)",
            "LOT-0001 (KX-2291) 15 mg 10:00 Tomás Nuñez Dr Ana Silva",
            "09:20 188 80 74 98",
            "Dr Silva informed; infusion slowed tester",
            "Signed and locked by Dr Ana Silva on 2026-12-01 at 11:10",
            "Waste witnessed by: Dr Ana Silva",
            "2026-12-01 11:40 Dr Ana Silva pulse re-read from the monitor vitals[0].heart_rate 72 74",
        ],
    )
    assert "NOT SIGNED" not in text
    qpdf_check(pdf, tmp_path)


def test_a_session_without_a_record_prints_the_blank_sheet(
    clinic: Database, tmp_path: Path
) -> None:
    out = tmp_path / "x2.pdf"
    assert (
        run(["--db", clinic.url, "export", "monitoring", "--session", "X-2", "--out", str(out)])
        == 0
    )
    text = all_text(out.read_bytes())
    assert "completed" not in text
    assert "Pre-infusion: readiness checklist" in text and "Weight today: ______ kg" in text


def test_printing_a_record_needs_a_role_that_may_read_it(clinic: Database) -> None:
    accounts.create_account(clinic, "maria", "manager", "correct horse", staff_ref="S1")
    accounts.sign_in(clinic, "maria", "correct horse")
    accounts.create_account(clinic, "fred", "front_desk", "correct horse")
    accounts.sign_in(clinic, "fred", "correct horse")
    with pytest.raises(PermissionDenied, match="may not read session records"):
        render_monitoring(clinic, "X-1", now=NOW)
    assert "Pre-infusion" in all_text(render_monitoring(clinic, "X-2", now=NOW))
