"""The back of the monitoring sheet, second part: discharge home after ketamine, and sign-off.

Discharge follows what a clinic checks after ketamine (DOMAIN.md): the
clinic's criteria, each answered yes or no, with the modified Aldrete score
kept and PADSS printed item by item, the total observation time, the "ready to
leave" decision, who discharged the patient and when, and the next appointment.
"""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from planner.paperwork import wording
from planner.paperwork.blocks import (
    block,
    checks,
    fmt_when,
    labelled,
    para,
    side_by_side,
    spacer,
    staff_name,
    table,
)
from planner.paperwork.data import MonitoringData
from planner.paperwork.styles import SHADE


def heading(text: str) -> Flowable:
    return para(text, "sheet_h")


def _criteria(data: MonitoringData, width: float) -> Flowable:
    escort = data.session.patient.escort.name or "__________________"
    items = [line.replace("{escort_name}", escort) for line in wording.items("discharge criteria")]
    half = (len(items) + 1) // 2
    left, right = items[:half], items[half:] + [""] * (2 * half - len(items))
    rows: list[list[object]] = []
    for a, b in zip(left, right, strict=True):
        rows.append([a, checks(["Y", "N"]), b, checks(["Y", "N"]) if b else ""])
    widths = [width * 0.38, width * 0.12, width * 0.38, width * 0.12]
    return table(rows, widths, row_height=0.45 * cm, style="cell_small")


def _scored(name: str, minimum: int, width: float) -> Flowable:
    """A score of 0–2 points per item, printed with each item's criteria and the total to reach."""
    rows: list[list[object]] = [[name, "2", "1", "0", "Pts"]]
    for item, two, one, zero in wording.scored(name):
        rows.append([item, two, one, zero, ""])
    rows.append([f"Total (discharge at ≥ {minimum} of 10)", "", "", "", ""])
    last = len(rows) - 1
    extra = [("SPAN", (0, last), (3, last)), ("BACKGROUND", (0, last), (-1, last), SHADE)]
    shares = (0.3, 0.23, 0.19, 0.19, 0.09)
    return table(
        rows,
        [width * f for f in shares],
        header=True,
        head_style="tiny_bold",
        style="tiny",
        bold_columns=(),
        row_height=0.38 * cm,
        extra=extra,
    )


def build_discharge(data: MonitoringData, width: float) -> list[Flowable]:
    s, policy = data.session, data.policy
    if s.next_session is not None:
        chair = f", {s.next_session.chair.name}" if s.next_session.chair.name else ""
        following = f"{fmt_when(s.next_session.start)}{chair}"
    elif s.number >= s.of:
        following = "none — last infusion of this series"
    else:
        following = "none booked yet — book before the patient leaves"
    gap = 0.25 * cm
    half = (width - gap) / 2
    scores = side_by_side(
        _scored("modified Aldrete", policy.discharge_min_aldrete, half),
        _scored("PADSS", policy.discharge_min_padss, half),
        width,
        gap,
    )
    pairs = [
        ("Total observation", "______ min"),
        ("Discharged at", "____:____ by ______________"),
        ("Next appointment", para(following, "cell_bold")),
    ]
    shares = (0.14, 0.12, 0.14, 0.22, 0.15, 0.23)
    facts_grid = labelled(pairs, [width * f for f in shares], row_height=0.55 * cm)
    return [
        block(
            heading("Discharge home after ketamine"),
            _criteria(data, width),
            spacer(0.1),
            scores,
            spacer(0.1),
            facts_grid,
        )
    ]


def build_signoff(data: MonitoringData, width: float) -> list[Flowable]:
    """Who signs, two to a row: the names the records know are printed."""
    s = data.session
    people = [
        ("Monitoring clinician", staff_name(s.monitoring)),
        ("Psychiatrist", staff_name(s.psychiatrist)),
        ("Waste witness", ""),
        ("Escort", s.patient.escort.name),
    ]
    head: list[object] = ["Sign-off", "Name", "Signature, date / time"] * 2
    rows: list[list[object]] = [head]
    for i in range(0, len(people), 2):
        (a, a_name), (b, b_name) = people[i], people[i + 1]
        rows.append([a, a_name, "", b, b_name, ""])
    shares = (0.15, 0.16, 0.19, 0.15, 0.16, 0.19)
    grid = table(
        rows,
        [width * f for f in shares],
        header=True,
        head_style="head_small",
        style="cell_small",
        row_height=0.65 * cm,
        bold_columns=(0, 3),
    )
    return [block(heading("Sign-off"), grid)]
