"""What a reader gets back from the PDFs as printed: nothing runs out of its cell, and the
domain's wording survives text extraction as written (no line wrapped inside a key phrase,
subscripts and dashes read back as characters).
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader

from planner.domain.records import Chair
from planner.paperwork import build_consent, build_day_packet, build_monitoring, build_week
from planner.paperwork.data import RenderOptions, SessionInfo, WeekData
from planner.paperwork.styles import MARGIN_X
from tests.paperwork import samples
from tests.paperwork.pdfcheck import layout_problems, overlapping_rows

PAPERS = ("A4", "Letter")
#: The longest rule codes the planner reports: they must fit their column on both papers.
LONG_CODES = (
    samples.problem("missing-monitoring-clinician", "error", "No monitoring clinician is assigned"),
    samples.problem("same-person-both-roles", "error", "One person holds both roles"),
    samples.problem("induction-gap-too-long", "warning", "9 days since the previous infusion"),
)


def _raw_text(pdf: bytes) -> str:
    """Text as pypdf gives it, line breaks kept: what a quick ``in`` check sees."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _with_problems(session: SessionInfo) -> SessionInfo:
    return dataclasses.replace(session, problems=LONG_CODES)


def _week_with_problems() -> WeekData:
    week = samples.week(per_day=8, days=2)
    first = week.days[0]
    marked = _with_problems(first.sessions[0])
    day = dataclasses.replace(first, sessions=(marked, *first.sessions[1:]))
    return dataclasses.replace(
        week, days=(day, *week.days[1:]), problems=tuple((marked, p) for p in LONG_CODES)
    )


@pytest.mark.parametrize("paper", PAPERS)
def test_run_sheet_checks_stay_inside_the_table(paper: str) -> None:
    """Regression: "⚠ missing-monitoring-clinician" ran past the run sheet's right edge."""
    packet = samples.day_packet(4)
    packet = dataclasses.replace(
        packet, sessions=(_with_problems(packet.sessions[0]), *packet.sessions[1:])
    )
    pdf = build_day_packet(packet, RenderOptions(paper=paper, now=samples.NOW))
    assert layout_problems(pdf, MARGIN_X) == []
    assert overlapping_rows(pdf) == []
    run_sheet = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for problem in LONG_CODES:  # each code whole, on a line of its own
        assert problem.code in run_sheet.splitlines() or f"⚠ {problem.code}" in run_sheet


@pytest.mark.parametrize("paper", PAPERS)
def test_week_problem_codes_do_not_run_into_the_details(paper: str) -> None:
    """Regression: a long rule code overflowed the "Problem" column into "Details"."""
    pdf = build_week(_week_with_problems(), RenderOptions(paper=paper, now=samples.NOW))
    assert layout_problems(pdf, MARGIN_X) == []
    assert "missing-monitoring-clinician" in _raw_text(pdf)


@pytest.mark.parametrize("paper", PAPERS)
def test_monitoring_sheet_and_consent_form_lay_out_cleanly(paper: str) -> None:
    options = RenderOptions(paper=paper, now=samples.NOW)
    sheet = dataclasses.replace(samples.monitoring(), session=_with_problems(samples.session()))
    for pdf in (build_monitoring(sheet, options), build_consent(samples.consent(), options)):
        assert layout_problems(pdf, MARGIN_X) == []
        assert overlapping_rows(pdf) == []
    # the new sections with their longest values: a stale weight, allergies, flags
    stale = samples.changed(
        samples.session(),
        patient={
            "weight_measured": date(2026, 6, 1),
            "allergies": ("Penicillin", "Latex", "Chlorhexidine"),
            "flags": ("uncontrolled_hypertension",),
            "flags_acknowledged_by": "Dr Ana Silva",
        },
    )
    pdf = build_monitoring(dataclasses.replace(samples.monitoring(), session=stale), options)
    assert layout_problems(pdf, MARGIN_X) == []
    assert overlapping_rows(pdf) == []


@pytest.mark.parametrize("paper", PAPERS)
def test_monitoring_sheet_wording_reads_back_verbatim(paper: str) -> None:
    """Regression: "Infusion 1 of 6", "Modified Aldrete", "Lot number" only in other casing,
    no "SpO2" for a reader that types the plain digit, and "Planned" cut into "Planne d"."""
    text = _raw_text(build_monitoring(samples.monitoring(), RenderOptions(paper=paper)))
    expected = [
        "infusion 1 of 6",
        "Page 1 of 2",
        "Record number MRN-1001",
        "modified Aldrete",
        "PADSS",
        "SpO₂",
        "SpO2",
        "MOAA/S",
        "CADSS",
        "PHQ-9",
        "MADRS",
        "Escort present",
        "Planned",
        "Initials",
        "35 mg",
        "0.5 mg/kg",
    ]
    assert [phrase for phrase in expected if phrase not in text] == []


@pytest.mark.parametrize("paper", PAPERS)
def test_consent_wording_reads_back_verbatim(paper: str) -> None:
    """Regression: "right to withdraw" was only a capitalised heading, "Clinician obtaining
    consent" wrapped inside its signature block title, fasting/driving were not named."""
    text = _raw_text(build_consent(samples.consent(), RenderOptions(paper=paper)))
    expected = [
        "Page 1 of ",
        "Record number MRN-1001",
        "Schedule III",
        "off-label",
        "not a research study",
        "SpO₂",
        "(ECT)",
        "(TMS)",
        "esketamine",
        "right to withdraw",
        "Contraindications",
        "Fasting",
        "No driving",
        "No escort, no infusion",
        "Clinician obtaining consent",
        "Interpreter (if used)",
    ]
    assert [phrase for phrase in expected if phrase not in text] == []


def test_a_crowded_week_keeps_every_fact_of_each_session_verbatim() -> None:
    """Regression: with eight chairs a marked session lost both staff names (the box was
    full), and "infusion 2 of 6" was wrapped between "of" and "6"."""
    week = samples.week(per_day=16, days=1, chairs=8)
    day = week.days[0]
    marked = _with_problems(day.sessions[0])
    week = dataclasses.replace(
        week, days=(dataclasses.replace(day, sessions=(marked, *day.sessions[1:])),)
    )
    pdf = build_week(week, RenderOptions(paper="Letter", now=samples.NOW))
    assert layout_problems(pdf, MARGIN_X) == []
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    lines = first_page.splitlines()
    for s in week.days[0].sessions:
        assert f"infusion {s.number} of {s.of} · {s.ref}" in lines
    flat = " ".join(first_page.split())
    assert flat.count("Psychiatrist: Dr Ana Silva") == 16
    assert flat.count("Monitoring: Tomás Nuñez") == 16


def test_long_names_in_the_page_header_are_wrapped_never_cut() -> None:
    """Regression: a header line too long for the page was cut with "…", so a long
    protocol or patient name was missing from every page's header."""
    name = "Maximiliana Alexandrina Konstantinopoulou-Papadimitriou Ødegård-Łukasiewicz"
    protocol = dataclasses.replace(
        samples.PROTOCOL, name="Ketamine — treatment-resistant depression, extended induction"
    )
    session = samples.changed(
        samples.session(),
        patient={"name": name},
        protocol={"name": protocol.name},
        chair=Chair(ref="CH-12", name="Recliner 12 (window side)", room="East wing, room 3.14"),
    )
    sheet = dataclasses.replace(samples.monitoring(), session=session)
    for paper in PAPERS:
        pdf = build_monitoring(sheet, RenderOptions(paper=paper, now=samples.NOW))
        assert layout_problems(pdf, MARGIN_X) == []
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) >= 2
        for page in reader.pages:
            text = " ".join((page.extract_text() or "").split())
            assert "…" not in text
            assert name in text  # whole, though the identity line wraps after it
            assert "Date of birth 1985-04-12 · Record number MRN-1001" in text
            assert f"Protocol: {protocol.name}" in text
            assert "infusion 1 of 6" in text
            assert "Chair: Recliner 12 (window side), East wing, room 3.14" in text
