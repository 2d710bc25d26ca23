"""Consent form: every section of DOMAIN.md, the records filled in, the identity on every page."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from planner.domain.policy import Policy
from planner.paperwork import build_consent
from planner.paperwork.data import RenderOptions
from planner.paperwork.styles import MARGIN_X
from tests.paperwork import samples
from tests.paperwork.pdfcheck import (
    all_text,
    assert_missing_nothing,
    layout_problems,
    overlapping_rows,
    page_sizes,
    pages_text,
    qpdf_check,
)

OPTIONS = RenderOptions(paper="A4", now=samples.NOW)


def test_every_section_and_prefilled_value_is_printed(tmp_path: Path) -> None:
    pdf = build_consent(samples.consent(), OPTIONS)
    text = all_text(pdf)
    assert_missing_nothing(
        text,
        [
            # 1. identity + letterhead
            "1. Patient identity",
            "Zoë Łukasiewicz",
            "1985-04-12",
            "MRN-1001",
            "Lakeside Infusion Clinic",
            "12 Harbour Road, Springfield",
            "+1 555 0100",
            # 2. planned course
            "2. Planned course",
            "Ketamine — depression induction",
            "6 planned in this series",
            "Tue 2026-12-01 09:00",
            "Thu 2026-12-03 09:00",
            "Sat 2026-12-05 09:00",
            "Tue 2026-12-08 09:00",
            "Thu 2026-12-10 09:00",
            "1 more to be booked",
            "0.5 mg per kg of body weight",
            "at 70 kg that is 35 mg per infusion",
            # 3.-12. wording
            "3. What ketamine is",
            "anesthetic",
            "in use since 1970",
            "Schedule III",
            "off-label",
            "not a research study",
            "4. The procedure",
            "IV line",
            "Anti-nausea medicine may be given",
            "Dissociation",
            "SpO₂",
            "ECG",
            "over about 40 minutes",
            "monitored recovery of about 60 minutes",
            "nausea",
            "6. Expected effects",
            "up to 1–2 hours",
            "up to 24 hours",
            "7. Risks",
            "Common:",
            "blurred or double vision",
            "hallucinations",
            "salivation",
            "Uncommon and rare:",
            "raised eye pressure",
            "emergence reactions",
            "arrhythmia",
            "respiratory depression",
            "allergic reaction",
            "Misuse potential",
            "Bladder problems",
            "Suicidality warning",
            "8. Contraindications: conditions that rule out treatment",
            "Pregnancy",
            "Uncontrolled hypertension",
            "History of psychosis",
            "Aneurysmal vascular disease / AVM / intracranial bleeding",
            "MAOIs or high-dose benzodiazepines",
            "Prior hypersensitivity to ketamine",
            "9. Alternatives",
            "antidepressants",
            "psychotherapy",
            "(ECT)",
            "(TMS)",
            "esketamine",
            "10. Preparation",
            "Fasting: no solid food for 6 hours",
            "no clear liquids for 2 hours",
            "No alcohol, benzodiazepines or stimulants for 24 hours",
            "11. After each infusion",
            "No driving, no operating machinery and no important decisions",
            "No escort, no infusion",
            "whole monitoring period",
            "12. Right to withdraw",
            "the right to withdraw this consent at any time",
            "before the dose is given",
            "all 6 infusions of this series",
            "13. Questions and copy",
            "given a copy",
            # 13. signatures
            "14. Signatures",
            "Patient",
            "Printed name",
            "Signature",
            "Witness",
            "Clinician obtaining consent",
            "Credentials",
            "Interpreter (if used)",
            "Language",
            # what a clinical read added
            "5. Expected benefits and their limits",
            "may ease depression quickly",
            "may not last",
            "no guarantee",
            "choose to have no treatment",
            "transfer you to a hospital",
            "For questions or a crisis after hours, call ________________ (ask the clinic)",
            "Legally authorised representative (if the patient cannot consent)",
            "Relationship / authority",
            "Allergies No known drug allergies",
        ],
    )
    assert "{" not in text and "[[" not in text  # no placeholder or marker left over
    qpdf_check(pdf, tmp_path)


def test_every_page_carries_the_patient_header_and_its_page_number() -> None:
    data = samples.consent(1)  # a Cyrillic name
    pages = pages_text(build_consent(data, OPTIONS))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Анна Кузнецова · Date of birth 1985-07-18 · Record number MRN-1002" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Generated 2026-11-29 14:05" in text


def test_unknown_weight_says_the_dose_is_worked_out_later() -> None:
    text = all_text(build_consent(samples.consent(weight=None), OPTIONS))
    assert "weight to be measured before the first infusion" in text
    assert "35 mg" not in text


def test_a_clinic_template_replaces_the_wording_but_keeps_the_required_blocks() -> None:
    template = (
        "# Einwilligung — {clinic_name}\n\n## Behandlung\n"
        "Ich, {patient_name}, willige in {infusions} Infusionen ({protocol}) ein: {planned_dates}.\n"
        "Unbekannt: {not_a_field}\n"
    )
    data = dataclasses.replace(samples.consent(), template_text=template)
    text = all_text(build_consent(data, OPTIONS))
    assert_missing_nothing(
        text,
        [
            "Einwilligung — Lakeside Infusion Clinic",
            "Ich, Zoë Łukasiewicz, willige in 6 Infusionen (Ketamine — depression induction) ein: "
            "Tue 2026-12-01 09:00;",
            "Unbekannt: {not_a_field}",  # a typo stays visible on the proof
            "Patient identity",
            "MRN-1001",
            "Planned course",
            "Dose basis",
            "Signatures",
            "Witness",
            "Interpreter (if used)",
        ],
    )
    assert "What ketamine is" not in text


def test_flags_on_file_are_marked_in_the_contraindication_list() -> None:
    base = samples.consent()
    patient = dataclasses.replace(
        base.patient, flags=("psychosis_history",), flags_acknowledged_by="Dr Ana Silva"
    )
    course = dataclasses.replace(base.course, patient=patient)
    text = all_text(build_consent(dataclasses.replace(base, course=course), OPTIONS))
    assert "recorded — discuss; acknowledged by Dr Ana Silva" in text


def test_logo_is_drawn_and_a_broken_logo_is_left_out(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (20, 90, 160)).save(logo)
    base = samples.consent()
    with_logo = build_consent(
        dataclasses.replace(base, clinic=dataclasses.replace(base.clinic, logo=logo.read_bytes())),
        OPTIONS,
    )
    broken = build_consent(
        dataclasses.replace(
            base, clinic=dataclasses.replace(base.clinic, logo=b"\x89PNG\r\n\x1a\n broken")
        ),
        OPTIONS,
    )
    assert b"/Subtype /Image" in with_logo
    assert b"/Subtype /Image" not in broken
    assert "Lakeside Infusion Clinic" in all_text(broken)


def test_paper_size_and_byte_stable_output() -> None:
    data = samples.consent()
    a4 = build_consent(data, OPTIONS)
    letter = build_consent(data, RenderOptions(paper="Letter", now=samples.NOW))
    assert all(round(w) == 595 and round(h) == 842 for w, h in page_sizes(a4))
    assert all(round(w) == 612 and round(h) == 792 for w, h in page_sizes(letter))
    assert build_consent(data, OPTIONS) == a4  # same data, same bytes
    later = build_consent(data, RenderOptions(paper="A4", now=datetime(2026, 12, 24, 8, 30)))
    assert "Generated 2026-12-24 08:30" in all_text(later)


def test_consent_on_file_is_shown() -> None:
    base = samples.consent()
    course = dataclasses.replace(base.course, consent_date=date(2026, 11, 30))
    data = dataclasses.replace(base, course=course)
    assert "signed 2026-11-30 (on file)" in all_text(build_consent(data, OPTIONS))


def test_every_page_has_a_line_for_the_patients_initials() -> None:
    pages = pages_text(build_consent(samples.consent(), OPTIONS))
    assert len(pages) >= 3
    assert all("Patient's initials on this page: ________" in page for page in pages)


def test_allergies_and_the_crisis_phone_come_from_the_records() -> None:
    base = samples.consent()
    for allergies, expected in (
        (None, "ALLERGIES NOT RECORDED — ask"),
        (("Penicillin", "Latex"), "ALLERGIES: Penicillin; Latex"),
    ):
        patient = dataclasses.replace(base.patient, allergies=allergies)
        data = dataclasses.replace(
            base,
            course=dataclasses.replace(base.course, patient=patient),
            policy=Policy(crisis_phone="+1 555 0199"),
        )
        text = all_text(build_consent(data, OPTIONS))
        assert f"Allergies {expected}" in text
        assert "crisis after hours, call +1 555 0199" in text


def test_a_pain_protocol_prints_the_pain_wording_without_depression_alternatives() -> None:
    from planner.services.consent_templates import default_wording

    base = samples.consent()
    protocol = dataclasses.replace(base.protocol, name="Ketamine — chronic pain", indication="pain")
    data = dataclasses.replace(
        base,
        course=dataclasses.replace(base.course, protocol=protocol),
        template_text=default_wording("pain"),
    )
    text = all_text(build_consent(data, OPTIONS))
    assert "for chronic pain" in text and "may ease pain" in text
    assert "physiotherapy" in text and "choose to have no treatment" in text
    for depression_only in ("ECT", "TMS", "esketamine", "antidepressants"):
        assert depression_only not in text
    assert default_wording("other") == default_wording("depression")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_an_acknowledgement_stays_inside_its_row(paper: str) -> None:
    """Regression: "acknowledged by Dr Ana Silva" ran into the next flag's row."""
    base = samples.consent()
    patient = dataclasses.replace(
        base.patient,
        flags=("pregnancy", "psychosis_history"),
        flags_acknowledged_by="Dr Ana Silva",
    )
    data = dataclasses.replace(base, course=dataclasses.replace(base.course, patient=patient))
    pdf = build_consent(data, RenderOptions(paper=paper, now=samples.NOW))
    assert layout_problems(pdf, MARGIN_X) == []
    assert overlapping_rows(pdf) == []
