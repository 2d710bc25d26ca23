"""Post-infusion monitoring sheet (one per session), pre-filled from the records.

Sections follow DOMAIN.md "Post-infusion monitoring sheet" and "Day-of
readiness": readiness checklist, medications, baseline, drug record, vitals
grid with alert thresholds, adverse events, discharge (modified Aldrete),
sign-off. Rows where staff write by hand are deliberately tall.
"""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from planner.domain import FLAG_LABELS, INACTIVE_SESSION_STATUSES
from planner.paperwork.blocks import (
    block,
    checks,
    fmt_date,
    fmt_kg,
    fmt_when,
    heading,
    identity_line,
    labelled,
    para,
    spacer,
    staff_label,
    staff_name,
    table,
)
from planner.paperwork.data import MonitoringData, RenderOptions, SessionInfo
from planner.paperwork.document import build_pdf
from planner.paperwork.pages import Section
from planner.paperwork.styles import ALERT, ALERT_SHADE, SHADE, inner_width
from planner.paperwork.timepoints import vitals_time_points

TITLE = "Post-infusion monitoring sheet"
WRITE_ROW = 0.9 * cm  # height of a row written in by hand
MEDICATION_CLASSES = ("Benzodiazepines", "Sedative-hypnotics", "Stimulants", "MAOIs", "Opioids")
ALDRETE = (
    ("Activity", "Moves 4 limbs voluntarily or on command", "Moves 2 limbs", "Cannot move limbs"),
    ("Respiration", "Breathes deeply, coughs freely", "Dyspnea or limited breathing", "Apneic"),
    (
        "Circulation",
        "BP within ±20% of baseline",
        "BP within ±20–49% of baseline",
        "BP beyond ±50% of baseline",
    ),
    ("Consciousness", "Fully awake", "Arousable on calling", "Not responding"),
    (
        "O₂ saturation",
        "SpO₂ > 92% on room air",
        "Needs O₂ to keep SpO₂ > 90%",
        "SpO₂ < 90% even with O₂",
    ),
)


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


def infusion_of(s: SessionInfo) -> str:
    """``infusion 2 of 6``; a cancelled or no-show session used up no infusion."""
    if s.number <= 0:
        return f"not counted as an infusion (course of {s.of})"
    return f"infusion {s.number} of {s.of}"


def monitoring_section(data: MonitoringData, options: RenderOptions) -> Section:
    """The sheet as one section (also used inside a day packet)."""
    width = inner_width(options.paper)
    s = data.session
    story: list[Flowable] = []
    story += _build_planner_notes(data, width)
    story += _build_readiness(data, width)
    story += _build_medications(data, width)
    story += _build_baseline(data, width)
    story += _build_drug_record(data, width)
    story += _build_vitals(data, width)
    story += _build_adverse_events(data, width)
    story += _build_discharge(data, width)
    story += _build_signoff(data, width)
    identity, lines = session_header(s)
    return Section(
        title=TITLE,
        story=story,
        identity=identity,
        lines=lines,
        reference=s.ref,
        draft_note=options.draft_note,
    )


def _build_planner_notes(data: MonitoringData, width: float) -> list[Flowable]:
    """What the planner's checks found for this session (errors first), if anything."""
    problems = sorted(data.session.problems, key=lambda p: (p.severity != "error", p.code))
    if not problems:
        return []
    rows = [["Planner check", "Finding"]]
    rows += [[f"{p.severity.upper()}: {p.code}", p.message] for p in problems]
    shade = [
        ("BACKGROUND", (0, r), (-1, r), ALERT_SHADE)
        for r, p in enumerate(problems, start=1)
        if p.severity == "error"
    ]
    return [table(rows, [width * 0.32, width * 0.68], header=True, extra=shade), spacer(0.2)]


def _build_readiness(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    p = s.patient
    consent = (
        f"signed {fmt_date(s.consent_date)}"
        if s.consent_date
        else "NOT ON FILE — sign consent first"
    )
    escort = ", ".join(x for x in (p.escort.name, p.escort.phone) if x) or "none on file — ask"
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
        ["Pregnancy check where relevant", "", checks(["Neg", "N/A"]), ""],
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
    widths = [width * 0.36, width * 0.34, width * 0.18, width * 0.12]
    grid = table(rows, widths, header=True, row_height=1.0 * cm, extra=extra)
    return [block(heading("Pre-infusion: readiness checklist"), grid)]


def _build_medications(data: MonitoringData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [["Medication taken (class)", "Taken?", "Name, dose, last taken"]]
    rows += [[name, checks(["No", "Yes"]), ""] for name in MEDICATION_CLASSES]
    widths = [width * 0.3, width * 0.2, width * 0.5]
    return [block(heading("Medications"), table(rows, widths, header=True, row_height=0.75 * cm))]


def _build_baseline(data: MonitoringData, width: float) -> list[Flowable]:
    vitals = [
        ["BP (mmHg)", "HR (/min)", "RR (/min)", "SpO₂ (%)", "Temperature (°C)"],
        ["", "", "", "", ""],
    ]
    grid = table(vitals, [width / 5] * 5, header=True, row_height=WRITE_ROW)
    pairs = [
        ("Vitals acceptable to start", checks(["Y", "N"])),
        ("Baseline PHQ-9 / MADRS", "PHQ-9 ______   or   MADRS ______"),
        ("Suicide-risk screen", checks(["Negative", "Positive → psychiatrist informed"])),
        ("IV site", "site ______________   gauge ______"),
    ]
    details = labelled(pairs, [5 * cm, width - 5 * cm], row_height=0.8 * cm)
    return [block(heading("Baseline"), grid, spacer(0.15), details)]


def _build_drug_record(data: MonitoringData, width: float) -> list[Flowable]:
    s = data.session
    per_kg = f"{s.protocol.dose_mg_per_kg:g} mg/kg"
    if s.dose_mg is not None and s.patient.weight_kg is not None:
        weight = f"{fmt_kg(s.patient.weight_kg)} kg (on file)"
        total = f"{s.dose_mg:g} mg  ({fmt_kg(s.patient.weight_kg)} kg × {per_kg})"
    else:
        weight = "not on file — weigh: ______ kg"
        total = f"______ mg  (weight × {per_kg})"
    pairs = [
        ("Weight", weight),
        ("Dose", per_kg),
        ("Total dose", para(total, "cell_bold")),
        ("Concentration / diluent", ""),
        ("Rate", ""),
        ("Vial lot number", ""),
        ("Start time", ""),
        ("Stop time", ""),
        ("Amount wasted", ""),
        ("Waste witness", ""),
    ]
    quarter = width / 4
    widths = [quarter * 0.8, quarter * 1.2, quarter * 0.8, quarter * 1.2]
    return [
        block(
            heading("Drug record (controlled substance)"),
            labelled(pairs, widths, row_height=WRITE_ROW),
        )
    ]


def _build_vitals(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    infusion_start = s.start + timedelta(minutes=s.session.prep_minutes)
    points = vitals_time_points(
        infusion_start,
        s.session.infusion_minutes,
        s.session.recovery_minutes,
        policy.vitals_every_minutes_infusion,
        policy.vitals_every_minutes_recovery,
    )
    head = [
        "Time point",
        "Planned",
        "Actual time",
        "BP",
        "HR",
        "RR",
        para("SpO<sub>2</sub>", "head_small", markup=True),  # reads back as "SpO2" too
        "Sedation MOAA/S 0–5",
        "Dissociation (CADSS / clinical)",
        "Nausea",
        "Initials",
    ]
    rows: list[list[object]] = [list(head)]
    rows += [
        [point.label, f"{point.planned:%H:%M}" if point.planned else "", *[""] * 9]
        for point in points
    ]
    fractions = [0.14, 0.085, 0.08, 0.1, 0.065, 0.065, 0.07, 0.1, 0.12, 0.075, 0.075]
    widths = [width * f / sum(fractions) for f in fractions]
    end_row = next(i for i, p in enumerate(points, start=1) if "end of infusion" in p.label)
    extra = [
        ("BACKGROUND", (0, 1), (1, -1), SHADE),
        ("LINEBELOW", (0, end_row), (-1, end_row), 1.4, ALERT),
    ]
    thresholds = (
        f"<b>Alert thresholds — call the psychiatrist:</b> systolic &gt; {policy.alert_systolic_above} "
        f"or diastolic &gt; {policy.alert_diastolic_above} mmHg · HR &gt; {policy.alert_hr_above} "
        f"or &lt; {policy.alert_hr_below} /min · SpO₂ &lt; {policy.alert_spo2_below}%"
    )
    return [
        block(
            heading("Vitals"),
            para(thresholds, "alert", markup=True),
            spacer(0.15),
            table(
                rows, widths, header=True, head_style="head_small", row_height=1.0 * cm, extra=extra
            ),
        )
    ]


def _build_adverse_events(data: MonitoringData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [["Time", "Event", "Action taken", "Outcome", "Serious (Y/N)"]]
    rows += [["", "", "", "", checks(["Y", "N"])] for _ in range(4)]
    widths = [width * 0.1, width * 0.3, width * 0.28, width * 0.2, width * 0.12]
    return [
        block(heading("Adverse events"), table(rows, widths, header=True, row_height=WRITE_ROW))
    ]


def _build_discharge(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    rows: list[list[object]] = [["Modified Aldrete item", "2", "1", "0", "Score"]]
    rows += [[item, two, one, zero, ""] for item, two, one, zero in ALDRETE]
    total = f"Total (discharge at ≥ {policy.discharge_min_aldrete} of 10)"
    rows.append([para(total, "cell_bold"), "", "", "", ""])  # a paragraph: it spans four columns
    widths = [width * 0.18, width * 0.25, width * 0.25, width * 0.22, width * 0.1]
    extra = [("SPAN", (0, 6), (3, 6)), ("BACKGROUND", (0, 6), (-1, 6), SHADE)]
    aldrete = table(rows, widths, header=True, row_height=0.85 * cm, extra=extra)
    if s.next_session is not None:
        chair = f", {s.next_session.chair.name}" if s.next_session.chair.name else ""
        following = f"{fmt_when(s.next_session.start)}{chair}"
    elif s.number >= s.of:
        following = "none — last infusion of this series"
    else:
        following = "none booked yet — book before the patient leaves"
    escort = s.patient.escort.name or "____________________"
    pairs = [
        ("PADSS (alternative)", f"______ of 10 (discharge at ≥ {policy.discharge_min_aldrete})"),
        ("Total monitoring minutes", ""),
        ("Released to (escort)", escort),
        ("Written instructions given", checks(["Yes"])),
        ("Next appointment", para(following, "cell_bold")),
    ]
    return [
        block(
            heading("Discharge — modified Aldrete score (or PADSS)"),
            aldrete,
            spacer(0.15),
            labelled(pairs, [5 * cm, width - 5 * cm], row_height=0.8 * cm),
        )
    ]


def _build_signoff(data: MonitoringData, width: float) -> list[Flowable]:
    s = data.session
    rows: list[list[object]] = [
        ["Sign-off", "Name", "Signature", "Date / time"],
        ["Monitoring clinician", staff_name(s.monitoring), "", ""],
        ["Psychiatrist", staff_name(s.psychiatrist), "", ""],
        ["Waste witness", "", "", ""],
        ["Escort", s.patient.escort.name, "", ""],
    ]
    widths = [width * 0.22, width * 0.3, width * 0.28, width * 0.2]
    return [block(heading("Sign-off"), table(rows, widths, header=True, row_height=1.1 * cm))]
