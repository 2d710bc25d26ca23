"""The paperwork service against real databases (SQLite and PostgreSQL): read, gate, render."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from planner.db.engine import Database
from planner.interchange.validate import DocumentError
from planner.paperwork import DRAFT_PREFIX
from planner.services.base import NotFound, ValidationFailed
from planner.services.consent_templates import import_template, list_templates, read_wording_file
from planner.services.paperwork import (
    StaffingIncomplete,
    render_consent,
    render_day,
    render_monitoring,
    render_week,
)
from tests.factories import base_document, load_into
from tests.paperwork.pdfcheck import all_text, assert_missing_nothing, page_sizes, pages_text

NOW = datetime(2026, 11, 29, 14, 5)


def _session(
    ref: str, start: str, chair: str = "CH-1", *, staffed: bool = True, **extra: Any
) -> dict[str, Any]:
    assignments = [{"staff": "S2", "role": "infusion_nurse"}]
    if staffed:
        assignments.insert(0, {"staff": "S1", "role": "psychiatrist"})
    return {
        "ref": ref,
        "course": "C-0001",
        "chair": chair,
        "start": start,
        "status": "planned",
        "assignments": assignments,
        **extra,
    }


def _clinic(db: Database, *sessions: dict[str, Any], **changes: Any) -> None:
    doc = base_document()
    doc["sessions"] += list(sessions)
    for key, value in changes.items():
        doc[key] = value
    load_into(db, doc)


def test_monitoring_sheet_is_filled_from_the_records(db: Database) -> None:
    _clinic(
        db,
        _session("X-0", "2026-11-27T09:00", status="cancelled"),
        _session("X-2", "2026-12-03T10:00", "CH-2"),
    )
    text = all_text(render_monitoring(db, "X-2", now=NOW))
    assert_missing_nothing(
        text,
        [
            "Zoë Łukasiewicz · Date of birth 1985-04-12 · Record number MRN-1001",
            "Session X-2: Thu 2026-12-03 10:00–12:00",
            "infusion 2 of 6",  # the cancelled X-0 does not count
            "Chair: Chair 2, Room A",
            "Protocol: Ketamine — depression induction",
            "Psychiatrist: Dr Ana Silva (Psychiatrist)",
            "Monitoring clinician: Tomás Nuñez (Infusion nurse)",
            "Weight today: ______ kg",  # no date of weighing on file
            "Medications given",
            "ALLERGIES NOT RECORDED — ask",
            "signed 2026-11-30",
            "Marek Łukasiewicz, +1 555 0111",
            "none booked yet",
            "Generated 2026-11-29 14:05",
        ],
    )
    first = all_text(render_monitoring(db, "X-1", now=NOW))
    assert "infusion 1 of 6" in first
    assert "Next appointment Thu 2026-12-03 10:00, Chair 2" in first


def test_incomplete_staffing_refuses_unless_a_draft_is_asked_for(db: Database) -> None:
    _clinic(db, _session("X-2", "2026-12-03T10:00", staffed=False))
    with pytest.raises(StaffingIncomplete) as caught:
        render_monitoring(db, "X-2", now=NOW)
    message = str(caught.value)
    assert "X-2" in message and "No psychiatrist is assigned" in message
    # the rule code names what is missing in the planner's own words
    assert "missing-psychiatrist" in message
    assert caught.value.missing == {"X-2": ("No psychiatrist is assigned (missing-psychiatrist)",)}
    pages = pages_text(render_monitoring(db, "X-2", draft=True, now=NOW))
    assert pages and all(
        DRAFT_PREFIX in page
        and "No psychiatrist is assigned" in page
        and "missing-psychiatrist" in page
        for page in pages
    )
    # a fully staffed session printed "as draft" is simply not a draft
    assert not any(
        "DRAFT" in page for page in pages_text(render_monitoring(db, "X-1", draft=True, now=NOW))
    )


def test_a_day_with_a_staffing_error_refuses_the_packet(db: Database) -> None:
    _clinic(db, _session("X-2", "2026-12-01T11:00", "CH-2", staffed=False))
    with pytest.raises(StaffingIncomplete, match="X-2"):
        render_day(db, date(2026, 12, 1), now=NOW)
    pages = pages_text(render_day(db, date(2026, 12, 1), draft=True, now=NOW))
    assert DRAFT_PREFIX in pages[0] and "X-2" in pages[0]  # the run sheet
    own = [p for p in pages if "Post-infusion monitoring sheet · X-2" in p]
    assert own and all(DRAFT_PREFIX + "No psychiatrist is assigned" in p for p in own)
    # the staffed session's sheet is no draft
    assert not any("DRAFT" in p for p in pages if "monitoring sheet · X-1" in p)


def test_unknown_refs_are_named(db: Database) -> None:
    _clinic(db)
    with pytest.raises(NotFound, match="C-9999"):
        render_consent(db, "C-9999", now=NOW)
    with pytest.raises(NotFound, match="X-404"):
        render_monitoring(db, "X-404", now=NOW)


def test_consent_form_from_the_records_and_the_clinic_template(
    db: Database, tmp_path: Path
) -> None:
    template = tmp_path / "our-consent.md"
    template.write_text(
        "# Our own consent for {patient_name}\n\nCourse {course_ref}: {infusions} infusions.\n",
        encoding="utf-8",
    )
    _clinic(db, _session("X-2", "2026-12-03T10:00"))
    default = all_text(render_consent(db, "C-0001", now=NOW))
    assert_missing_nothing(
        default,
        [
            "Consent to a course of intravenous ketamine infusions",
            "MRN-1001",
            "Tue 2026-12-01 09:00; Thu 2026-12-03 10:00 (4 more to be booked)",
            "12 Harbour Road",
        ],
    )
    ref = import_template(
        db, "Our own", read_wording_file(template), protocols=[_protocol_of(db, "C-0001")]
    )
    own = all_text(render_consent(db, "C-0001", now=NOW))
    assert "Our own consent for Zoë Łukasiewicz" in own and "Course C-0001: 6 infusions." in own
    assert "What ketamine is" not in own
    # The wording lives in the database: the file it came from is no longer read.
    template.unlink()
    assert "Our own consent for Zoë Łukasiewicz" in all_text(render_consent(db, "C-0001", now=NOW))
    # A document that names a file as its consent template is refused, never read.
    spoiled = base_document()
    spoiled["policy"] = {"consent_template": "/etc/passwd"}
    with pytest.raises(DocumentError, match="never read from a file"):
        _reload(db, spoiled)
    assert ref in {row.template.ref for row in list_templates(db)}


def _protocol_of(db: Database, course_ref: str) -> str:
    from planner.services.courses import get_course

    return get_course(db, course_ref).course.protocol.ref


def _reload(db: Database, doc: dict[str, Any]) -> None:
    from planner.interchange.validate import parse_document
    from planner.services.clinic_io import document_to_json, load_document

    load_document(db, parse_document(document_to_json(doc)), replace=True)


def test_paper_size_comes_from_the_policy_unless_overridden(db: Database) -> None:
    doc = base_document()
    doc["policy"] = {"paper_size": "Letter"}
    load_into(db, doc)
    letter = render_monitoring(db, "X-1", now=NOW)
    assert all(round(w) == 612 and round(h) == 792 for w, h in page_sizes(letter))
    a4 = render_monitoring(db, "X-1", paper="a4", now=NOW)
    assert all(round(w) == 595 and round(h) == 842 for w, h in page_sizes(a4))
    with pytest.raises(ValidationFailed, match="A5"):
        render_monitoring(db, "X-1", paper="A5", now=NOW)


def test_week_schedule_pages_and_marks(db: Database) -> None:
    _clinic(
        db,
        _session("X-2", "2026-12-03T10:00", "CH-2", staffed=False),
        _session("X-3", "2026-12-05T10:00", "CH-2"),  # a Saturday: outside opening hours
    )
    pdf = render_week(db, date(2026, 11, 30), now=NOW)
    pages = pages_text(pdf)
    # Mon-Fri opening days, the Saturday with a session, then the problems page
    assert len(pages) == 7
    assert "Tuesday 2026-12-01" in pages[1] and "Zoë Łukasiewicz" in pages[1]
    assert "⚠ missing-psychiatrist" in pages[3]
    assert "Saturday 2026-12-05" in pages[5] and "outside-opening-hours" in pages[5]
    assert "Problems this week" in pages[6]
    assert all(w > h for w, h in page_sizes(pdf))
    assert render_week(db, date(2026, 12, 2), now=NOW) == pdf  # any day of the week, same schedule
    assert not any("DRAFT" in page for page in pages)  # marked, not refused, not a draft
    # asked for as a draft while staffing is incomplete, every page says so
    draft = pages_text(render_week(db, date(2026, 11, 30), draft=True, now=NOW))
    assert len(draft) == 7
    assert all(DRAFT_PREFIX in page and "missing-psychiatrist" in page for page in draft)
    # a week without staffing errors is never a draft
    clean = pages_text(render_week(db, date(2026, 12, 7), draft=True, now=NOW))
    assert clean and not any("DRAFT" in page for page in clean)


def test_day_packet_includes_consent_when_missing_or_the_series_starts(db: Database) -> None:
    doc = base_document()
    doc["sessions"].append(_session("X-2", "2026-12-03T10:00"))
    load_into(db, doc)
    first_day = pages_text(render_day(db, date(2026, 12, 1), now=NOW))
    assert any("Consent form · C-0001" in p for p in first_day)  # the series starts that day
    later = pages_text(render_day(db, date(2026, 12, 3), now=NOW))
    assert not any("Consent form" in p for p in later)  # consent on file, not the first infusion
    assert any("Post-infusion monitoring sheet · X-2" in p for p in later)

    doc["courses"][0]["consent_date"] = None
    _reload(db, doc)
    later = pages_text(render_day(db, date(2026, 12, 3), now=NOW))
    assert any("Consent form · C-0001" in p for p in later)  # no consent on file


def test_day_packet_progress_and_empty_day(db: Database) -> None:
    _clinic(db)
    seen: list[tuple[int, int]] = []
    render_day(db, date(2026, 12, 1), now=NOW, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 3
    empty = pages_text(render_day(db, date(2026, 12, 2), now=NOW))
    assert len(empty) == 1 and "No sessions on this day." in empty[0]
