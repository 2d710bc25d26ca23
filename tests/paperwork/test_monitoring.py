"""Monitoring sheet: every field of DOMAIN.md pre-filled, the vitals grid, thresholds, draft banner."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from planner.domain.policy import Policy
from planner.paperwork import DRAFT_PREFIX, build_monitoring
from planner.paperwork.data import MonitoringData, RenderOptions
from planner.paperwork.timepoints import vitals_time_points
from tests.paperwork import samples
from tests.paperwork.pdfcheck import all_text, assert_missing_nothing, pages_text, qpdf_check

OPTIONS = RenderOptions(paper="A4", now=samples.NOW)


def test_every_field_is_printed_and_prefilled(tmp_path: Path) -> None:
    pdf = build_monitoring(samples.monitoring(), OPTIONS)
    text = all_text(pdf)
    assert_missing_nothing(
        text,
        [
            # header
            "Zoë Łukasiewicz · Date of birth 1985-04-12 · Record number MRN-1001",
            "Session X-1: Tue 2026-12-01 09:00–11:00",
            "infusion 1 of 6",
            "Chair: Chair 1, Room A",
            "Protocol: Ketamine — depression induction",
            "Psychiatrist: Dr Ana Silva (Psychiatrist)",
            "Monitoring clinician: Tomás Nuñez (Infusion nurse)",
            # day-of readiness
            "Consent current for this series",
            "signed 2026-11-30",
            "Fasting confirmed",
            "no solids 6 h, clear liquids 2 h",
            "Escort (responsible adult) name and phone confirmed",
            "Marek Łukasiewicz, +1 555 0111",
            "Pregnancy check",
            "☐ Negative ☐ Positive ☐ N/A",
            "No alcohol / benzodiazepines / stimulants in 24 h",
            # medications and baseline
            "Benzodiazepines",
            "Sedative-hypnotics",
            "Stimulants",
            "MAOIs",
            "Opioids",
            "BP (mmHg)",
            "HR (/min)",
            "RR (/min)",
            "SpO₂ (%)",
            "Temperature (°C)",
            "Vitals acceptable to start",
            "☐ Y ☐ N",
            "PHQ-9",
            "MADRS",
            "Suicide-risk screen",
            "IV site",
            # drug record
            "Weight",
            "70 kg, weighed 2026-11-20 (11 days ago)",
            "0.5 mg/kg",
            "Total dose",
            "35 mg (70 kg × 0.5 mg/kg)",
            "Concentration, diluent",
            "Rate",
            "Start time",
            "Stop time",
            "Vial lot number",
            "Amount wasted",
            "Waste witness",
            # vitals grid
            "Time point",
            "Planned",
            "Actual",
            "MOAA/S",
            "Dissoc.",
            "Nausea",
            "5 responds readily to name in a normal tone",
            "0 none · 1 mild · 2 moderate · 3 severe or vomiting",
            "CADSS total",
            "Initials",
            "Baseline (before start) 09:20",
            "10 min 09:30",
            "20 min 09:40",
            "30 min 09:50",
            "40 min — end of infusion 10:00",
            "+15 min after 10:15",
            "+30 min after 10:30",
            "+45 min after 10:45",
            "+60 min after 11:00",
            "Discharge",
            "systolic > 180",
            "diastolic > 110 mmHg",
            "HR > 120 or < 50 /min",
            "SpO₂ < 92%",
            # adverse events
            "Adverse events",
            "Event",
            "Action taken",
            "Outcome",
            "Serious",
            # discharge
            "Discharge home after ketamine",
            "modified Aldrete",
            "Activity",
            "Breathing",
            "Circulation",
            "Consciousness",
            "O₂ saturation",
            "discharge at ≥ 9 of 10",
            "PADSS",
            "Total observation",
            "Escort present: Marek Łukasiewicz",
            "Written discharge instructions given",
            "Next appointment Thu 2026-12-03 09:00, Chair 1",
            # sign-off
            "Sign-off",
            "Monitoring clinician Tomás Nuñez",
            "Psychiatrist Dr Ana Silva",
            "Waste witness",
            "Escort Marek Łukasiewicz",
        ],
    )
    assert DRAFT_PREFIX not in text
    qpdf_check(pdf, tmp_path)


def test_every_page_has_the_identity_and_session_header() -> None:
    pages = pages_text(build_monitoring(samples.monitoring(5), OPTIONS))  # Cyrillic name
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Дмитрий Шостакович · Date of birth 1986-08-10 · Record number MRN-1006" in text
        assert "infusion 1 of 6" in text and "Chair: Chair 1" in text
        assert "Psychiatrist: Dr Ana Silva" in text
        assert f"Page {number} of {len(pages)}" in text


def test_unknown_weight_leaves_the_dose_to_be_worked_out() -> None:
    text = all_text(build_monitoring(samples.monitoring(weight=None), OPTIONS))
    assert "Weight today: ______ kg on file: no weight on file" in text
    assert "______ mg (weight today × 0.5 mg/kg)" in text
    assert "35 mg" not in text


def test_the_clinic_policy_sets_time_points_thresholds_and_discharge_score() -> None:
    policy = Policy(
        vitals_every_minutes_infusion=5,
        vitals_every_minutes_recovery=20,
        alert_systolic_above=170,
        alert_spo2_below=94,
        discharge_min_aldrete=8,
        fasting_solids_hours=8,
    )
    data = dataclasses.replace(samples.monitoring(), policy=policy)
    text = all_text(build_monitoring(data, OPTIONS))
    assert_missing_nothing(
        text,
        [
            "5 min 09:25",
            "35 min 09:55",
            "40 min — end of infusion 10:00",
            "+20 min after 10:20",
            "+40 min after 10:40",
            "+60 min after 11:00",
            "systolic > 170",
            "SpO₂ < 94%",
            "discharge at ≥ 8 of 10",
            "no solids 8 h",
        ],
    )
    assert "+15 min after" not in text


def test_the_draft_banner_is_printed_on_every_page_only_for_a_draft() -> None:
    plain = pages_text(build_monitoring(samples.monitoring(staffed=False), OPTIONS))
    assert not any("DRAFT" in page for page in plain)
    note = "X-1: No psychiatrist is assigned"
    draft = pages_text(
        build_monitoring(
            samples.monitoring(staffed=False), dataclasses.replace(OPTIONS, draft_note=note)
        )
    )
    for page in draft:
        assert DRAFT_PREFIX + note in page
    assert "— psychiatrist not assigned —" in draft[0]
    assert "ERROR: missing-psychiatrist" in draft[0]


def test_last_infusion_and_unbooked_next_appointment() -> None:
    last = dataclasses.replace(samples.session(), number=6, next_session=None)
    unbooked = dataclasses.replace(samples.session(), number=2, next_session=None)
    for session, expected in (
        (last, "none — last infusion of this series"),
        (unbooked, "none booked yet — book before the patient leaves"),
    ):
        data = MonitoringData(clinic=samples.CLINIC, session=session)
        assert expected in all_text(build_monitoring(data, OPTIONS))


def test_missing_consent_and_flags_are_called_out() -> None:
    session = samples.session(consent=None)
    data = MonitoringData(
        clinic=samples.CLINIC,
        session=samples.changed(session, patient={"flags": ("uncontrolled_hypertension",)}),
    )
    text = all_text(build_monitoring(data, OPTIONS))
    assert "NOT ON FILE — sign consent first" in text
    assert "Uncontrolled hypertension (NOT acknowledged)" in text


def test_time_points_keep_the_end_of_infusion_and_recovery_rows() -> None:
    start = datetime(2026, 12, 1, 9, 20)
    labels = [p.label for p in vitals_time_points(start, 35, 50, 10, 15)]
    assert labels == [
        "Baseline (before start)",
        "10 min",
        "20 min",
        "30 min",
        "35 min — end of infusion",
        "+15 min after",
        "+30 min after",
        "+45 min after",
        "+50 min after",
        "Discharge",
    ]
    default = vitals_time_points(start, 40, 60, 10, 15)
    assert [p.planned.strftime("%H:%M") if p.planned else None for p in default] == [
        "09:20",
        "09:30",
        "09:40",
        "09:50",
        "10:00",
        "10:15",
        "10:30",
        "10:45",
        "11:00",
        None,
    ]


def test_a_cancelled_session_says_so_in_the_header() -> None:
    data = MonitoringData(
        clinic=samples.CLINIC, session=samples.changed(samples.session(), status="cancelled")
    )
    pages = pages_text(build_monitoring(data, OPTIONS))
    assert all("Session X-1: Tue 2026-12-01 09:00–11:00 · CANCELLED" in page for page in pages)
