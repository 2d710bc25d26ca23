"""The call list, read back from the PDF the way the person making the calls reads it."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.db.engine import Database, open_database
from planner.services.call_list import call_list, render_call_list
from tests.factories import load_into
from tests.paperwork.pdfcheck import all_text, layout_problems, page_sizes, qpdf_check
from tests.reports.clinics import NURSE, PSY, course, document, patient, session

DAY = date(2026, 12, 8)
NOW = datetime(2026, 12, 7, 15, 0)


def calls_clinic() -> dict[str, Any]:
    return document(
        policy={
            "fasting_solids_hours": 8,
            "fasting_clear_liquids_hours": 3,
            "no_substances_hours": 48,
        },
        patients=[
            patient("P-1", "Zoë Łukasiewicz", 1, phone="+48 600 100 200"),
            patient("P-2", "Bruno Brandt", 2, escort={"name": "", "phone": ""}),
            patient("P-3", "Cleo Carter", 3),
        ],
        courses=[course("C-1", "P-1"), course("C-2", "P-2"), course("C-3", "P-3")],
        sessions=[
            session("X-1", "C-1", "CH-1", "2026-12-04T09:00", "done", (("S1", PSY), ("S2", NURSE))),
            session(
                "X-2", "C-1", "CH-1", "2026-12-08T13:00", "planned", (("S1", PSY), ("S2", NURSE))
            ),
            {**session("X-3", "C-2", "CH-2", "2026-12-08T09:00", "confirmed"), "prep_minutes": 30},
            session("X-4", "C-3", "CH-1", "2026-12-08T10:00", "cancelled"),
            session("X-5", "C-3", "CH-1", "2026-12-09T10:00", "planned"),  # the next day
        ],
    )


@pytest.fixture
def clinic_db(db: Database) -> Database:
    load_into(db, calls_clinic())
    return db


def test_every_session_of_the_day_by_arrival(clinic_db: Database) -> None:
    listed = call_list(clinic_db, DAY)
    assert [c.session_ref for c in listed.calls] == ["X-3", "X-4", "X-2"]
    bruno = listed.calls[0]
    # Arrival is the start of the chair time; the infusion follows the preparation
    # (30 minutes for this session, 20 by the protocol otherwise).
    assert (f"{bruno.arrival:%H:%M}", f"{bruno.infusion_start:%H:%M}") == ("09:00", "09:30")
    assert f"{listed.calls[2].infusion_start:%H:%M}" == "13:20"
    assert listed.calls[2].number == 2 and listed.calls[2].of == 6  # X-1 was the first
    assert [c.session_ref for c in listed.to_call] == ["X-3", "X-2"]  # not the cancelled X-4
    assert (listed.calls[2].patient_phone, bruno.patient_phone) == ("+48 600 100 200", "")


def test_the_pdf_names_who_to_call_and_what_to_go_through(
    clinic_db: Database, tmp_path: Path
) -> None:
    pdf = render_call_list(clinic_db, DAY, now=NOW)
    text = all_text(pdf)
    for expected in (
        "Call list",
        "Tuesday 2026-12-08 · 3 sessions · 2 to call",
        "Zoë Łukasiewicz",
        "Escort of Zoë Łukasiewicz",
        "+48 600 100 200",  # Zoë's own phone
        "+1 555 0101",
        "13:00",
        "13:20",
        "Bruno Brandt",
        "NONE ON FILE",  # Bruno has no escort: no escort, no infusion
        "09:30",
        "CANCELLED",
        # the clinic's instructions with the policy's numbers
        "nothing to eat for 8 hours",
        "until 3 hours before",
        "for 48 hours before",
        "Escort required",
        "Bring:",
        "+1 555 0100",  # the clinic's phone
        # the boxes to tick
        "Reached",
        "Confirmed",
        "Left message",
        "Cancelled",
    ):
        assert expected in text, expected
    assert "Cleo Carter" in text  # the cancelled session is still listed, shaded
    assert "X-5" not in text  # the next day is not on this list
    assert text.count("☐") == 8  # four boxes for each of the two sessions to call
    width, height = page_sizes(pdf)[0]
    assert width > height  # landscape
    assert layout_problems(pdf, margin=30) == []
    qpdf_check(pdf, tmp_path)


def test_a_day_without_sessions(clinic_db: Database) -> None:
    text = all_text(render_call_list(clinic_db, date(2026, 12, 10), now=NOW))
    assert "No sessions on this day." in text
    assert "0 sessions · 0 to call" in text


def test_export_calllist_writes_a_private_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    database = open_database(url)
    load_into(database, calls_clinic())
    database.close()
    out = tmp_path / "calls.pdf"
    assert run(["--db", url, "export", "calllist", "--date", "2026-12-08", "--out", str(out)]) == 0
    assert "3 session(s), 2 to call" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Zoë Łukasiewicz" in all_text(out.read_bytes())
    assert run(["--db", url, "export", "calllist", "--date", "tomorrow", "--out", str(out)]) == 2
    assert "not a valid date" in capsys.readouterr().err
