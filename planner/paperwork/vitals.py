"""The back of the monitoring sheet, first part: the vitals grid and adverse events.

Columns follow ASA basic monitoring as applied to ketamine (oxygenation,
ventilation, circulation): BP, HR, RR, SpO₂, O₂ given (room air or L/min), and
EtCO₂ and rhythm where the clinic's policy switches them on; then sedation
(MOAA/S), dissociation and nausea with their legends, and the CADSS score box.
"""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from planner.paperwork import wording
from planner.paperwork.blocks import block, checks, para, table
from planner.paperwork.data import MonitoringData
from planner.paperwork.styles import ALERT, SHADE
from planner.paperwork.timepoints import vitals_time_points

#: (header, relative width) of the grid's columns; optional ones by their policy switch.
_FIRST = (("Time point", 2.2), ("Planned", 1.05), ("Actual", 0.8))
_VITALS = (("BP", 1.0), ("HR", 0.6), ("RR", 0.6))
_O2 = (("O₂ RA /\nL/min", 0.95),)
_ETCO2 = (("EtCO₂", 0.75),)
_RHYTHM = (("Rhythm", 0.95),)
_SCORES = (
    ("MOAA/S\n0–5", 0.95),
    ("Dissoc.\n0–3*", 0.85),
    ("Nausea\n0–3", 0.9),
    ("Initials", 0.85),
)


def heading(text: str) -> Flowable:
    return para(text, "sheet_h")


def build_vitals(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    infusion_start = s.start + timedelta(minutes=s.session.prep_minutes)
    points = vitals_time_points(
        infusion_start,
        s.session.infusion_minutes,
        s.session.recovery_minutes,
        policy.vitals_every_minutes_infusion,
        policy.vitals_every_minutes_recovery,
    )
    columns = [*_FIRST, *_VITALS]
    columns.append(("SpO₂", 0.72))
    if policy.vitals_o2_column:
        columns += _O2
    if policy.vitals_etco2_column:
        columns += _ETCO2
    if policy.vitals_rhythm_column:
        columns += _RHYTHM
    columns += _SCORES
    # a subscript 2 reads back as "SpO2" too, for a reader that searches with the plain digit
    spo2 = para("SpO<sub>2</sub>", "head_small", markup=True)
    head: list[object] = [spo2 if name == "SpO₂" else name for name, _ in columns]
    rows: list[list[object]] = [head]
    blank = [""] * (len(columns) - 2)
    rows += [[p.label, f"{p.planned:%H:%M}" if p.planned else "", *blank] for p in points]
    if policy.vitals_etco2_column or policy.vitals_rhythm_column:  # room for the extra columns
        columns[0] = ("Time point", 1.6)
    total = sum(share for _, share in columns)
    widths = [width * share / total for _, share in columns]
    end_row = next(i for i, p in enumerate(points, start=1) if "end of infusion" in p.label)
    extra = [
        ("BACKGROUND", (0, 1), (1, -1), SHADE),
        ("LINEBELOW", (0, end_row), (-1, end_row), 1.4, ALERT),
    ]
    thresholds = (
        "<b>Alert thresholds — call the psychiatrist:</b> "
        f"systolic &gt; {policy.alert_systolic_above} or diastolic &gt; "
        f"{policy.alert_diastolic_above} mmHg · HR &gt; {policy.alert_hr_above} or &lt; "
        f"{policy.alert_hr_below} /min · RR &gt; {policy.alert_rr_above} or &lt; "
        f"{policy.alert_rr_below} /min · SpO₂ &lt; {policy.alert_spo2_below}%"
    )
    legend = (
        f"<b>MOAA/S:</b> {wording.legend('MOAA/S')}. <b>Nausea:</b> {wording.legend('nausea')}. "
        f"<b>*Dissociation (clinical):</b> {wording.legend('dissociation')}."
    )
    crowded = policy.vitals_etco2_column or policy.vitals_rhythm_column
    grid = table(
        rows,
        widths,
        header=True,
        head_style="tiny_bold" if crowded else "head_small",
        style="cell_small",
        row_height=0.5 * cm,
        extra=extra,
    )
    cadss = table(
        [
            [
                para(
                    "<b>CADSS total</b> (if used; from its form)",
                    "tiny",
                    markup=True,
                ),
                "baseline ______",
                "end of infusion ______",
                "discharge ______",
            ]
        ],
        [width * 0.31, width * 0.21, width * 0.26, width * 0.22],
        row_height=0.5 * cm,
        style="cell_small",
    )
    return [
        block(
            heading("Vitals"),
            para(thresholds, "alert_small", markup=True),
            grid,
            para(legend, "tiny", markup=True),
            cadss,
        )
    ]


def build_adverse_events(width: float) -> list[Flowable]:
    rows: list[list[object]] = [["Time", "Event", "Action taken", "Outcome", "Serious"]]
    rows += [["", "", "", "", checks(["Y", "N"])] for _ in range(3)]
    widths = [width * 0.09, width * 0.31, width * 0.3, width * 0.19, width * 0.11]
    grid = table(rows, widths, header=True, row_height=0.5 * cm, head_style="head_small")
    return [block(heading("Adverse events"), grid)]
