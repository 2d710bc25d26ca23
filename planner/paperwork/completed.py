"""The completed monitoring sheet: what the session record holds, printed for the chart.

Same header and allergy banner as the blank sheet (:mod:`planner.paperwork.monitoring`);
then check-in, medications given (the planned ketamine dose beside it), waste
with its witness, vitals (values outside the policy's alert thresholds in
bold red, who entered each row), adverse events, discharge, and the
signatures by name and time with every amendment and what it replaced. A
record not signed yet is printed as such on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reportlab.platypus import Flowable

from planner.domain.chart import (
    DISCHARGE_CRITERIA,
    DISCHARGE_LABELS,
    KETAMINE,
    PREGNANCY_LABELS,
    SessionRecord,
    alerts,
)
from planner.domain.policy import Policy
from planner.domain.records import Clinic
from planner.paperwork.blocks import block, esc, labelled, para, table
from planner.paperwork.data import RenderOptions, SessionInfo
from planner.paperwork.document import build_pdf
from planner.paperwork.monitoring import TITLE, allergy_banner, session_header
from planner.paperwork.pages import Section
from planner.paperwork.styles import ALERT, ALERT_SHADE, inner_width

#: Printed across every page of a record that is not signed yet.
UNSIGNED = "NOT SIGNED — a draft session record"


@dataclass(frozen=True)
class CompletedMonitoringData:
    clinic: Clinic
    session: SessionInfo
    record: SessionRecord
    policy: Policy = field(default_factory=Policy)


def heading(text: str) -> Flowable:
    return para(text, "sheet_h")


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _clock(value: datetime | None) -> str:
    return "" if value is None else f"{value:%H:%M}"


def _mg(value: float) -> str:
    return f"{value:g} mg"


def build_completed_monitoring(data: CompletedMonitoringData, options: RenderOptions) -> bytes:
    s = data.session
    return build_pdf(
        [completed_section(data, options)],
        paper=options.paper,
        now=options.now,
        clinic=data.clinic.name,
        title=f"{TITLE} (completed) — {s.patient.name} — {s.ref}",
    )


def completed_section(data: CompletedMonitoringData, options: RenderOptions) -> Section:
    width = inner_width(options.paper)
    story: list[Flowable] = [allergy_banner(data.session, width)]
    story += _checkin(data, width)
    story += _given(data, width)
    story += _waste(data, width)
    story += _vitals(data, width)
    story += _events(data, width)
    story += _discharge(data, width)
    story += _signatures(data, width)
    identity, lines = session_header(data.session)
    note = options.draft_note
    if not data.record.signed:
        note = f"{UNSIGNED}; {note}" if note else UNSIGNED
    return Section(
        title=f"{TITLE} — completed",
        story=story,
        identity=identity,
        lines=lines,
        reference=data.session.ref,
        draft_note=note,
    )


def _checkin(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    r = data.record
    c = r.checks
    escort = (
        f"Yes — {c.escort_name}" if c.escort_present and c.escort_name else _yes(c.escort_present)
    )
    pairs: list[tuple[str, object]] = [
        ("Checked in at", _clock(r.checked_in_at)),
        ("Escort present", escort),
        ("Fasting confirmed", _yes(c.fasting_confirmed)),
        ("No alcohol / benzodiazepines / stimulants", _yes(c.no_substances)),
        ("Consent verified", _yes(c.consent_verified)),
        ("Allergies confirmed", _yes(c.allergies_confirmed)),
        ("Weight today", "not weighed" if c.weight_kg is None else f"{c.weight_kg:g} kg"),
        (
            "Pregnancy check",
            "not recorded" if c.pregnancy is None else PREGNANCY_LABELS[c.pregnancy],
        ),
    ]
    quarter = width / 4
    grid = labelled(pairs, [quarter * 1.15, quarter * 0.85, quarter * 1.15, quarter * 0.85])
    return [block(heading("Check-in"), grid)]


def _planned(data: CompletedMonitoringData) -> str:
    s, weight = data.session, data.record.checks.weight_kg or data.session.patient.weight_kg
    if weight is None:
        return ""
    return f"{round(s.protocol.dose_mg_per_kg * weight, 1):g} mg"


def _given(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [
        ["Drug", "Lot", "Given", "Planned", "Route", "Start", "Stop", "Given by"]
    ]
    planned = _planned(data)
    for m in data.record.medications:
        lot = f"{m.lot.ref} ({m.lot.lot_number})" if m.lot else "—"
        is_ketamine = m.drug.strip().casefold() == KETAMINE
        rows.append(
            [
                m.drug,
                lot,
                _mg(m.mg),
                planned if is_ketamine else "",
                m.route,
                _clock(m.start),
                _clock(m.end),
                m.by.name,
            ]
        )
    if len(rows) == 1:
        rows.append(["none recorded", "", "", "", "", "", "", ""])
    shares = (0.16, 0.17, 0.09, 0.09, 0.07, 0.08, 0.08, 0.26)
    grid = table(
        rows, [width * f for f in shares], header=True, style="cell_small", head_style="head_small"
    )
    return [block(heading("Medications given"), grid)]


def _waste(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [["Lot", "Wasted", "Time", "Wasted by", "Witness"]]
    for w in data.record.waste:
        rows.append(
            [
                f"{w.lot.ref} ({w.lot.lot_number})",
                _mg(w.mg),
                _clock(w.time),
                w.by.name,
                w.witness.name if w.witness else "",
            ]
        )
    if len(rows) == 1:
        rows.append(["none recorded", "", "", "", ""])
    shares = (0.22, 0.1, 0.08, 0.3, 0.3)
    grid = table(
        rows, [width * f for f in shares], header=True, style="cell_small", head_style="head_small"
    )
    return [block(heading("Waste of the remainder (controlled substance)"), grid)]


_VITAL_COLUMNS: Sequence[tuple[str, str]] = (
    ("systolic", "Systolic"),
    ("diastolic", "Diastolic"),
    ("heart_rate", "HR"),
    ("spo2", "SpO₂"),
    ("respiratory_rate", "RR"),
    ("moaas", "MOAA/S"),
)


def _vitals(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    head: list[object] = ["Time", *(label for _, label in _VITAL_COLUMNS), "Note", "Entered by"]
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = []
    for r, v in enumerate(data.record.vitals, start=1):
        found = alerts(v, data.policy)
        row: list[object] = [_clock(v.time)]
        for c, (name, _label) in enumerate(_VITAL_COLUMNS, start=1):
            value = getattr(v, name)
            row.append("" if value is None else str(value))
            if name in found:
                extra += [
                    ("TEXTCOLOR", (c, r), (c, r), ALERT),
                    ("BACKGROUND", (c, r), (c, r), ALERT_SHADE),
                ]
        row += [v.note, v.entered_by]
        rows.append(row)
    if len(rows) == 1:
        rows.append(["none recorded", *[""] * (len(head) - 1)])
    shares = (0.07, 0.08, 0.09, 0.06, 0.06, 0.05, 0.08, 0.35, 0.16)
    grid = table(
        rows,
        [width * f for f in shares],
        header=True,
        style="cell_small",
        head_style="head_small",
        extra=extra,
    )
    p = data.policy
    thresholds = (
        f"Alert thresholds: systolic &gt; {p.alert_systolic_above}, diastolic &gt; "
        f"{p.alert_diastolic_above} mmHg · HR &gt; {p.alert_hr_above} or &lt; {p.alert_hr_below} "
        f"· RR &gt; {p.alert_rr_above} or &lt; {p.alert_rr_below} · SpO₂ &lt; {p.alert_spo2_below}% "
        "— values beyond them are printed in red."
    )
    return [block(heading("Vitals"), para(thresholds, "tiny", markup=True), grid)]


def _events(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [["Time", "Event", "Serious", "Action taken"]]
    extra: list[tuple[object, ...]] = []
    for r, e in enumerate(data.record.adverse_events, start=1):
        rows.append([_clock(e.time), e.description, "Yes" if e.serious else "No", e.action])
        if e.serious:
            extra.append(("TEXTCOLOR", (2, r), (2, r), ALERT))
    if len(rows) == 1:
        rows.append(["", "none recorded", "", ""])
    shares = (0.08, 0.37, 0.08, 0.47)
    grid = table(
        rows,
        [width * f for f in shares],
        header=True,
        style="cell_small",
        head_style="head_small",
        extra=extra,
    )
    return [block(heading("Adverse events"), grid)]


def _discharge(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    d = data.record.discharge
    pairs: list[tuple[str, object]] = [
        (DISCHARGE_LABELS[name], _yes(getattr(d, name))) for name in DISCHARGE_CRITERIA
    ]
    pairs += [
        (
            "Modified Aldrete",
            "not scored"
            if d.aldrete is None
            else f"{d.aldrete} of 10 (discharge at ≥ {data.policy.discharge_min_aldrete})",
        ),
        (
            "Discharged",
            f"at {_clock(d.at)} by {d.by.name}"
            if d.at and d.by
            else (f"at {_clock(d.at)}" if d.at else "not yet"),
        ),
    ]
    quarter = width / 4
    grid = labelled(pairs, [quarter * 1.2, quarter * 0.8, quarter * 1.2, quarter * 0.8])
    return [block(heading("Discharge home after ketamine"), grid)]


def _signatures(data: CompletedMonitoringData, width: float) -> list[Flowable]:
    r = data.record
    if r.signed and r.signed_by is not None and r.signed_at is not None:
        signed = f"Signed and locked by {esc(r.signed_by.name)} on {r.signed_at:%Y-%m-%d at %H:%M}"
    else:
        signed = "<b>Not signed</b>: this is a draft record."
    witnesses = sorted({w.witness.name for w in r.waste if w.witness})
    out: list[Flowable] = [
        heading("Signatures"),
        para(signed, "body", markup=True),
    ]
    if witnesses:
        out.append(para(f"Waste witnessed by: {esc(', '.join(witnesses))}", "body", markup=True))
    if r.amendments:
        rows: list[list[object]] = [["Amended", "By", "Reason", "Changed", "Before", "After"]]
        for a in r.amendments:
            for i, c in enumerate(a.changes or ()):
                rows.append(
                    [
                        f"{a.at:%Y-%m-%d %H:%M}" if i == 0 else "",
                        a.by.name if i == 0 else "",
                        a.reason if i == 0 else "",
                        c.path,
                        _value(c.before),
                        _value(c.after),
                    ]
                )
        shares = (0.12, 0.15, 0.27, 0.16, 0.15, 0.15)
        out.append(
            table(
                rows,
                [width * f for f in shares],
                header=True,
                style="cell_small",
                head_style="head_small",
            )
        )
    return [block(*out)] if len(out) < 4 else out


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", False))
    return str(value)
