"""The call list on paper: the preparation to go through, then one row per session to call.

Landscape, one line per session with roomy rows for handwritten notes and
boxes to tick: reached, confirmed, left message, cancelled. Sessions already
cancelled are shaded and have no boxes.
"""

from __future__ import annotations

import re
from datetime import datetime

from reportlab.platypus import Flowable, Paragraph

from planner.domain import WEEKDAY_NAMES
from planner.paperwork.blocks import esc, para, plural, spacer, table
from planner.paperwork.document import build_pdf
from planner.paperwork.pages import Section
from planner.paperwork.styles import CHECKBOX, SHADE, inner_width, styles
from planner.paperwork.template import Block
from planner.reports.call_list import TICK_BOXES, Call, CallList

TITLE = "Call list"
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_STATUS = {
    "planned": "planned",
    "confirmed": "confirmed",
    "done": "done",
    "cancelled": "CANCELLED",
    "no_show": "no-show",
}


def build_call_list(data: CallList, *, paper: str, now: datetime) -> bytes:
    width = inner_width(paper, wide=True)
    story: list[Flowable] = []
    story += [_instruction(item) for item in data.instructions]
    story.append(spacer(0.3))
    if data.calls:
        story.append(_table(data, width))
    else:
        story.append(para("No sessions on this day."))
    day = data.day
    return build_pdf(
        [
            Section(
                title=TITLE,
                story=story,
                lines=(
                    f"{WEEKDAY_NAMES[day.weekday()]} {day.isoformat()} · "
                    f"{plural(len(data.calls), 'session')} · {len(data.to_call)} to call",
                ),
                reference=day.isoformat(),
                wide=True,
            )
        ],
        paper=paper,
        now=now,
        clinic=data.clinic_name,
        title=f"Call list {day.isoformat()}",
    )


def _table(data: CallList, width: float) -> Flowable:
    head: list[object] = [
        "Arrive",
        "Infusion",
        "Chair",
        "Patient",
        "Phone",
        "Escort",
        "Status",
        *_tick_heads(),
        "Notes",
    ]
    fractions = [0.05, 0.06, 0.06, 0.17, 0.1, 0.13, 0.07, 0.07, 0.07, 0.07, 0.07, 0.08]
    rows: list[list[object]] = [head]
    boxes = (7, 10)  # first and last column of tick boxes
    extra: list[tuple[object, ...]] = [
        ("ALIGN", (boxes[0], 0), (boxes[1], -1), "CENTER"),
        ("VALIGN", (boxes[0], 1), (boxes[1], -1), "MIDDLE"),
        ("FONTSIZE", (boxes[0], 1), (boxes[1], -1), 15),
        ("LEADING", (boxes[0], 1), (boxes[1], -1), 17),
    ]
    for call in data.calls:
        rows.append(_row(call))
        if call.status not in ("planned", "confirmed"):
            extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE))
    return table(
        rows,
        [width * f for f in fractions],
        header=True,
        style="cell_small",
        head_style="head_small",
        heights=[None] + [34.0] * len(data.calls),
        extra=extra,
    )


def _instruction(item: Block) -> Paragraph:
    markup = _BOLD.sub(r"<b>\1</b>", esc(item.text))
    if item.kind in ("title", "heading"):
        return Paragraph(markup, styles()["h3"])
    if item.kind == "bullet":
        return Paragraph(markup, styles()["bullet"], bulletText="•")
    return Paragraph(markup, styles()["body"])


def _tick_heads() -> list[str]:
    return [box.capitalize() for box in TICK_BOXES]


def _row(call: Call) -> list[object]:
    escort = "\n".join(x for x in (call.escort_name, call.escort_phone) if x) or "NONE ON FILE"
    open_call = call.status in ("planned", "confirmed")
    boxes = [CHECKBOX if open_call else "" for _ in TICK_BOXES]
    return [
        f"{call.arrival:%H:%M}",
        f"{call.infusion_start:%H:%M}",
        call.chair,
        f"{call.patient_name}\n{call.patient_ref} · {call.session_ref} · "
        f"infusion {call.number} of {call.of}",
        call.patient_phone or "NONE ON FILE",
        escort,
        _STATUS.get(call.status, call.status),
        *boxes,
        "",
    ]
