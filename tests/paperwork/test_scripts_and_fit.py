"""Every name prints in its own script and reads back as written; the sheet fits two sides;
allergies, sex, phone and weight age reach the page as the records hold them."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from planner.domain.policy import Policy
from planner.paperwork import build_consent, build_day_packet, build_monitoring, build_week
from planner.paperwork.data import MonitoringData, RenderOptions
from tests.paperwork import samples
from tests.paperwork.pdfcheck import all_text, page_sizes, pages_text

OPTIONS = RenderOptions(paper="A4", now=samples.NOW)
#: Latin with diacritics, Cyrillic, Greek, CJK, Arabic, Hebrew.
SCRIPTS = {
    "latin": "Nguyễn Thị Minh Khai-Łęcka",
    "cyrillic": "Анна Кузнецова",
    "greek": "Γιώργος Παπαδόπουλος",
    "cjk": "张伟",
    "arabic": "محمد علي",
    "hebrew": "דוד כהן",
}


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    """The text poppler's ``pdftotext`` gives back (what a person's search would find)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("PDFTOTEXT NOT INSTALLED: extraction not checked (apt-get install poppler-utils)")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _named(name: str) -> samples.SessionInfo:
    return samples.changed(samples.session(), patient={"name": name})


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_document_prints_the_name_as_written(script: str, tmp_path: Path) -> None:
    name = SCRIPTS[script]
    info = _named(name)
    consent = samples.consent()
    consent = dataclasses.replace(
        consent,
        course=dataclasses.replace(
            consent.course, patient=dataclasses.replace(consent.patient, name=name)
        ),
    )
    packet = dataclasses.replace(samples.day_packet(1), sessions=(info,), consents={})
    week = samples.week(per_day=1, days=1)
    week = dataclasses.replace(
        week, days=(dataclasses.replace(week.days[0], sessions=(_named(name),)),)
    )
    documents = {
        "monitoring": build_monitoring(MonitoringData(samples.CLINIC, info), OPTIONS),
        "consent": build_consent(consent, OPTIONS),
        "day packet": build_day_packet(packet, OPTIONS),
        "week": build_week(week, OPTIONS),
    }
    for what, pdf in documents.items():
        text = pdftotext(pdf, tmp_path)
        assert name in text, f"{what}: {name!r} not read back"
        assert "\ufffd" not in text


def test_cjk_prints_with_the_shipped_font_when_the_system_has_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The fallback subset is what a machine without a CJK font prints with."""
    code = (
        "import sys; sys.path.insert(0, '.')\n"
        "from planner.paperwork import build_monitoring, fonts\n"
        "from planner.paperwork.data import MonitoringData, RenderOptions\n"
        "from tests.paperwork import samples\n"
        "info = samples.changed(samples.session(), patient={'name': '张伟'})\n"
        "pdf = build_monitoring(MonitoringData(samples.CLINIC, info), RenderOptions())\n"
        "print(fonts.cjk_font().name)\n"
        "open(sys.argv[1], 'wb').write(pdf)\n"
    )
    out = tmp_path / "cjk.pdf"
    root = Path(__file__).resolve().parents[2]
    env = {"PLANNER_CJK_FONT": "bundled", "PATH": "/usr/bin:/bin"}
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "DroidSansFallback-CJK.ttf"
    assert "张伟" in pdftotext(out.read_bytes(), tmp_path)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_monitoring_sheet_fits_two_sides_of_one_sheet(paper: str) -> None:
    """A 40-minute protocol with the default policy: one sheet, printed on both sides."""
    pdf = build_monitoring(samples.monitoring(), RenderOptions(paper=paper, now=samples.NOW))
    assert len(page_sizes(pdf)) == 2
    back = pages_text(pdf)[1]
    for column in ("RR", "O₂ RA / L/min", "MOAA/S 0–5", "Nausea 0–3"):
        assert column in back
    assert "Sign-off" in back and "Discharge home after ketamine" in back
    assert "EtCO" not in back and "Rhythm" not in back


def test_etco2_and_rhythm_columns_follow_the_policy() -> None:
    policy = Policy(vitals_etco2_column=True, vitals_rhythm_column=True, vitals_o2_column=False)
    data = dataclasses.replace(samples.monitoring(), policy=policy)
    text = all_text(build_monitoring(data, OPTIONS))
    assert "EtCO₂" in text and "Rhythm" in text and "L/min" not in text


def test_the_back_lists_padss_items_and_the_discharge_for_ketamine() -> None:
    text = pages_text(build_monitoring(samples.monitoring(), OPTIONS))[1]
    for phrase in (
        "RR > 24 or < 10 /min",
        "Dissociation resolved — at __:__",
        "Oriented to person, place and time",
        "Steady gait",
        "Tolerating oral fluids",
        "Nausea controlled",
        "Vital signs within the alert limits",
        "Escort present: Marek Łukasiewicz",
        "Written discharge instructions given",
        "Discharged at ____:____ by",
        "PADSS",
        "Vital signs",
        "Walking, mind",
        "Pain, nausea",
        "Bleeding",
        "Intake, output",
        "modified Aldrete",
        "CADSS total",
        "MOAA/S: 5 responds readily",
    ):
        assert phrase in text, phrase
    front = pages_text(build_monitoring(samples.monitoring(), OPTIONS))[0]
    for phrase in (
        "Medications given (ketamine and as-needed / rescue)",
        "Ketamine 35 mg IV infusion",
        "Ondansetron 4 mg IV",
        "Midazolam 1–2 mg IV",
        "Labetalol IV",
        "Clonidine PO",
        "Given by",
    ):
        assert phrase in front, phrase


@pytest.mark.parametrize(
    ("allergies", "printed"),
    [
        (None, "ALLERGIES NOT RECORDED — ask"),
        ((), "No known drug allergies"),
        (("Penicillin", "Latex"), "ALLERGIES: Penicillin; Latex"),
    ],
)
def test_allergies_are_printed_on_the_sheet_and_the_run_sheet(
    allergies: tuple[str, ...] | None, printed: str
) -> None:
    info = samples.changed(samples.session(), patient={"allergies": allergies})
    sheet = pages_text(build_monitoring(MonitoringData(samples.CLINIC, info), OPTIONS))[0]
    assert sheet.count(printed) >= 2  # the banner and the medications given
    packet = dataclasses.replace(samples.day_packet(1), sessions=(info,), consents={})
    assert printed in pages_text(build_day_packet(packet, OPTIONS))[0]


@pytest.mark.parametrize(
    ("sex", "printed"),
    [
        ("female", "sex on record: female — test before the infusion"),
        ("male", "sex on record: male — N/A"),
        ("unknown", "SEX NOT RECORDED — ask"),
    ],
)
def test_pregnancy_check_follows_the_recorded_sex(sex: str, printed: str) -> None:
    info = samples.changed(samples.session(), patient={"sex": sex})
    text = all_text(build_monitoring(MonitoringData(samples.CLINIC, info), OPTIONS))
    assert printed in text and "☐ Negative ☐ Positive ☐ N/A" in text


def test_an_old_or_undated_weight_asks_for_today_s_weight() -> None:
    policy = Policy(weight_max_age_days=30)
    fresh = samples.changed(samples.session(), patient={"weight_measured": date(2026, 11, 1)})
    old = samples.changed(samples.session(), patient={"weight_measured": date(2026, 10, 31)})
    undated = samples.changed(samples.session(), patient={"weight_measured": None})
    text = all_text(build_monitoring(MonitoringData(samples.CLINIC, fresh, policy), OPTIONS))
    assert "70 kg, weighed 2026-11-01 (30 days ago)" in text and "35 mg" in text
    assert "Weight today" not in text
    for info, on_file in (
        (old, "70 kg, weighed 2026-10-31 (31 days ago)"),
        (undated, "70 kg, date weighed not recorded"),
    ):
        text = all_text(build_monitoring(MonitoringData(samples.CLINIC, info, policy), OPTIONS))
        assert f"Weight today: ______ kg on file: {on_file} (limit 30 days)" in text
        assert "35 mg" not in text  # no dose from a weight nobody vouches for


def test_the_run_sheet_never_says_ok_for_a_missing_escort_or_consent() -> None:
    warned = dataclasses.replace(
        samples.session(),
        problems=(
            samples.problem("escort-missing", "warning", "no escort"),
            samples.problem("consent-missing", "warning", "no consent"),
        ),
    )
    packet = dataclasses.replace(samples.day_packet(1), sessions=(warned,), consents={})
    run_sheet = pages_text(build_day_packet(packet, OPTIONS))[0]
    assert "escort-missing" in run_sheet and "consent-missing" in run_sheet
    assert " ok " not in f" {run_sheet} "
