"""Post-infusion monitoring sheet (one per session), pre-filled from the records.

Two sides of one sheet of paper (A4 or Letter) for a 40-minute protocol. The
front: allergies, day-of readiness, medications taken, baseline, the drug
record of the controlled substance and the medications given. The back
(:mod:`planner.paperwork.vitals`, :mod:`planner.paperwork.discharge`): vitals,
adverse events, discharge for ketamine and sign-off. Sections follow DOMAIN.md
"Post-infusion monitoring sheet" and "What a clinical read of the first sheets
added"; lists and legends come from resources/templates/monitoring_sheet.txt.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from planner.domain import FLAG_LABELS, INACTIVE_SESSION_STATUSES
from planner.paperwork import facts
from planner.paperwork.blocks import (
    block,
    checks,
    fmt_date,
    fmt_when,
    identity_line,
    labelled,
    para,
    staff_label,
    table,
)
from planner.paperwork.data import MonitoringData, RenderOptions, SessionInfo
from planner.paperwork.discharge import build_discharge, build_signoff
from planner.paperwork.document import build_pdf
from planner.paperwork.pages import Section
from planner.paperwork.styles import ALERT, ALERT_SHADE, RULE, SHADE, inner_width
from planner.paperwork.vitals import build_adverse_events, build_vitals

TITLE = "Post-infusion monitoring sheet"
ROW = 0.55 * cm  # the least height of a row written in by hand
MEDICATION_CLASSES = ("Benzodiazepines", "Sedative-hypnotics", "Stimulants", "MAOIs", "Opioids")
#: Blank rows under the pre-printed drugs of the medications-given table.
SPARE_DRUG_ROWS = 2


def build_monitoring(data: MonitoringData, options: RenderOptions) -> bytes:
    """The monitoring sheet of one session as PDF bytes."""
    s = data.session
    return build_pdf(
        [monitoring_section(data, options)],
        paper=options.paper,
        now=options.now,
        clinic=data.clinic.name,
        title=f"{TITLE} — {s.patient.name} — {s.ref}",
    )


def infusion_of(s: SessionInfo) -> str:
    """``infusion 2 of 6``; a cancelled or no-show session used up no infusion."""
    if s.number <= 0:
        return f"not counted as an infusion (course of {s.of})"
    return f"infusion {s.number} of {s.of}"


def session_header(s: SessionInfo) -> tuple[str, tuple[str, ...]]:
    """The identity line and the session lines printed at the top of every page."""
    identity = identity_line(s.patient)
    room = f", {s.chair.room}" if s.chair.room else ""
    status = (
        f" · {s.status.replace('_', '-').upper()}" if s.status in INACTIVE_SESSION_STATUSES else ""
    )
    lines = (
        f"Session {s.ref}: {fmt_when(s.start)}–{s.end:%H:%M}{status} · {infusion_of(s)} · "
        f"Chair: {s.chair.name}{room} · Protocol: {s.protocol.name}",
        f"Psychiatrist: {staff_label(s.psychiatrist, 'psychiatrist')} · "
        f"Monitoring clinician: {staff_label(s.monitoring, 'monitoring clinician')}",
    )
    return identity, lines


def monitoring_section(data: MonitoringData, options: RenderOptions) -> Section:
    """The sheet as one section (also used inside a day packet)."""
    width = inner_width(options.paper)
    story: list[Flowable] = [allergy_banner(data.session, width)]
    story += _build_planner_notes(data, width)
    story += _build_readiness(data, width)
    story += _build_medications(width)
    story += _build_baseline(width)
    story += _build_drug_record(data, width)
    story += _build_given(data, width)
    story.append(PageBreak())  # the back of the sheet
    story += build_vitals(data, width)
    story += build_adverse_events(width)
    story += build_discharge(data, width)
    story += build_signoff(data, width)
    identity, lines = session_header(data.session)
    return Section(
        title=TITLE,
        story=story,
        identity=identity,
        lines=lines,
        reference=data.session.ref,
        draft_note=options.draft_note,
    )


def heading(text: str) -> Flowable:
    return para(text, "sheet_h")


def allergy_banner(s: SessionInfo, width: float) -> Table:
    """Allergies, as prominent as the page allows: "not recorded" reads unlike "none known"."""
    fact = facts.allergies(s.patient)
    text = para(fact.text, "banner_alert" if fact.alert else "banner")
    banner = Table([[text]], colWidths=[width], hAlign="LEFT")
    banner.setStyle(
        TableStyle(
            [
                (
                    "BOX",
                    (0, 0),
                    (-1, -1),
                    1.4 if fact.alert else 0.8,
                    ALERT if fact.alert else RULE,
                ),
                ("BACKGROUND", (0, 0), (-1, -1), ALERT_SHADE if fact.alert else SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return banner


def _build_planner_notes(data: MonitoringData, width: float) -> list[Flowable]:
    """What the planner's checks found for this session (errors first), if anything."""
    problems = sorted(data.session.problems, key=lambda p: (p.severity != "error", p.code))
    if not problems:
        return []
    rows: list[list[object]] = [["Planner check", "Finding"]]
    rows += [[f"{p.severity.upper()}: {p.code}", p.message] for p in problems]
    shade = [
        ("BACKGROUND", (0, r), (-1, r), ALERT_SHADE)
        for r, p in enumerate(problems, start=1)
        if p.severity == "error"
    ]
    return [table(rows, [width * 0.3, width * 0.7], header=True, style="cell_small", extra=shade)]


def _build_readiness(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    p = s.patient
    consent = (
        f"signed {fmt_date(s.consent_date)}"
        if s.consent_date
        else "NOT ON FILE — sign consent first"
    )
    escort = ", ".join(x for x in (p.escort.name, p.escort.phone) if x) or "none on file — ask"
    pregnancy = facts.pregnancy_rule(p)
    rows: list[list[object]] = [
        ["Day-of readiness", "On file / rule", "Confirmed", "Initials"],
        ["Consent current for this series", consent, checks(["Yes", "No"]), ""],
        [
            "Fasting confirmed",
            f"no solids {policy.fasting_solids_hours} h, clear liquids "
            f"{policy.fasting_clear_liquids_hours} h",
            checks(["Yes", "No"]),
            "",
        ],
        ["Escort (responsible adult) name and phone confirmed", escort, checks(["Yes", "No"]), ""],
        ["Pregnancy check", pregnancy.text, checks(["Negative", "Positive", "N/A"]), ""],
        [
            f"No alcohol / benzodiazepines / stimulants in {policy.no_substances_hours} h",
            "",
            checks(["Yes", "No"]),
            "",
        ],
    ]
    extra: list[tuple[object, ...]] = []
    if not s.consent_date:
        extra.append(("TEXTCOLOR", (1, 1), (1, 1), ALERT))
    if not (p.escort.name and p.escort.phone):
        extra.append(("TEXTCOLOR", (1, 3), (1, 3), ALERT))
    if pregnancy.alert:
        extra.append(("TEXTCOLOR", (1, 4), (1, 4), ALERT))
    if p.flags:
        flags = "; ".join(FLAG_LABELS.get(f, f) for f in p.flags)
        ack = (
            f" (acknowledged by {p.flags_acknowledged_by})"
            if p.flags_acknowledged_by
            else " (NOT acknowledged)"
        )
        rows.append(
            ["Exclusion flags on file — clinician reviewed", flags + ack, checks(["Yes"]), ""]
        )
        extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), ALERT_SHADE))
    widths = [width * 0.4, width * 0.28, width * 0.24, width * 0.08]
    grid = table(rows, widths, header=True, row_height=ROW, extra=extra, style="cell_small")
    return [block(heading("Pre-infusion: readiness checklist"), grid)]


def _build_medications(width: float) -> list[Flowable]:
    """Medications the patient takes, one column per class: ticked, then named."""
    head: list[object] = ["Taking (class)", *MEDICATION_CLASSES]
    rows: list[list[object]] = [
        head,
        ["Taken? Name, dose, last", *[checks(["No", "Yes"]) for _ in MEDICATION_CLASSES]],
    ]
    first = width * 0.13
    widths = [first] + [(width - first) / len(MEDICATION_CLASSES)] * len(MEDICATION_CLASSES)
    grid = table(
        rows,
        widths,
        header=True,
        heights=[None, 0.9 * cm],
        bold_columns=[0],
        style="cell_small",
        head_style="head_small",
    )
    return [block(heading("Medications"), grid)]


def _build_baseline(width: float) -> list[Flowable]:
    head = ["BP (mmHg)", "HR (/min)", "RR (/min)", "SpO₂ (%)", "Temperature (°C)", "IV site, gauge"]
    screen: list[object] = [
        para("Vitals acceptable to start: ☐ Y ☐ N", "cell_small"),
        "",
        para("Suicide-risk screen: ☐ Negative ☐ Positive → psychiatrist informed", "cell_small"),
        "",
        para("PHQ-9 ______ or MADRS ______", "cell_small"),
        "",
    ]
    spans = [("SPAN", (c, 2), (c + 1, 2)) for c in (0, 2, 4)]
    grid = table(
        [head, [""] * 6, screen],
        [width / 6] * 6,
        header=True,
        heights=[None, ROW, ROW],
        extra=spans,
    )
    return [block(heading("Baseline"), grid)]


def _build_drug_record(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    p, day = s.patient, s.start.date()
    per_kg = f"{s.protocol.dose_mg_per_kg:g} mg/kg"
    extra: list[tuple[object, ...]] = []
    if facts.weight_is_current(p, day, policy.weight_max_age_days) and s.dose_mg is not None:
        weight: object = facts.weight_on_file(p, day)
        total = f"{s.dose_mg:g} mg  ({p.weight_kg:g} kg × {per_kg})"
    else:
        on_file = facts.weight_on_file(p, day)
        weight = para(
            f"<b>Weight today: ______ kg</b><br/>on file: {escape(on_file)}"
            f" (limit {policy.weight_max_age_days} days)",
            "cell_small",
            markup=True,
        )
        total = f"______ mg  (weight today × {per_kg})"
        extra.append(("BACKGROUND", (1, 0), (1, 0), ALERT_SHADE))
    pairs = [
        ("Weight", weight),
        ("Dose", per_kg),
        ("Vial lot number", ""),
        ("Total dose", para(total, "cell_bold")),
        ("Concentration, diluent", ""),
        ("Rate", ""),
        ("Start time", ""),
        ("Stop time", ""),
        ("Amount wasted", ""),
        ("Waste witness", ""),
    ]
    sixth = width / 6
    widths = [sixth * 0.85, sixth * 1.4, sixth * 0.95, sixth * 1.0, sixth * 0.85, sixth * 0.95]
    grid = labelled(pairs, widths, row_height=ROW)
    if extra:
        grid.setStyle(TableStyle(extra))
    return [block(heading("Drug record (controlled substance)"), grid)]


def _build_given(data: MonitoringData, width: float) -> list[Flowable]:
    """Every dose given: the ketamine and the clinic's standing as-needed / rescue drugs."""
    s = data.session
    current = facts.weight_is_current(s.patient, s.start.date(), data.policy.weight_max_age_days)
    ketamine = f"{s.dose_mg:g} mg" if current and s.dose_mg is not None else ""
    rows: list[list[object]] = [["Drug", "Dose", "Route", "Time", "Given by"]]
    rows.append(["Ketamine", ketamine, "IV infusion", "", ""])
    rows += [[drug, "", "", "", ""] for drug in data.policy.as_needed_drugs]
    rows += [["", "", "", "", ""] for _ in range(SPARE_DRUG_ROWS)]
    widths = [width * 0.34, width * 0.16, width * 0.16, width * 0.12, width * 0.22]
    grid = table(rows, widths, header=True, row_height=0.5 * cm, bold_columns=[0])
    allergy = facts.allergies(s.patient)
    title = para(
        f"Medications given (ketamine and as-needed / rescue) — "
        f'<font color="{"#b00020" if allergy.alert else "#1a1a1a"}">{escape(allergy.text)}</font>',
        "sheet_h",
        markup=True,
    )
    return [block(title, grid)]
