"""Week schedule: one landscape page per day, chairs across, times down, problems marked.

A session fills its chair column for its whole chair time. Sessions that
overlap in one chair (a conflict the planner reports) get a second lane
for that chair instead of being drawn over each other.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from planner.domain import WEEKDAY_NAMES
from planner.domain.records import Chair
from planner.paperwork.blocks import fmt_when, heading, para, plural, staff_name, table
from planner.paperwork.data import DaySchedule, RenderOptions, SessionInfo, WeekData
from planner.paperwork.document import build_pdf
from planner.paperwork.pages import Section, body_height
from planner.paperwork.scripts import markup
from planner.paperwork.styles import (
    ALERT,
    ALERT_SHADE,
    GRID,
    RULE,
    SHADE,
    WARN_SHADE,
    inner_width,
    styles,
)

TITLE = "Week schedule"
SLOT_MINUTES = 15
OK_SHADE = colors.HexColor("#e6f0fa")
_TIME_COLUMN = 1.3 * cm
_RESERVED = 2.4 * cm  # the day heading and the chair names above the grid
#: Narrowest chair column; a day with more chairs than fit continues on the next page.
_MIN_LANE = 2.4 * cm


def iso_week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def build_week(data: WeekData, options: RenderOptions) -> bytes:
    """The week schedule as PDF bytes."""
    sunday = data.monday + timedelta(days=6)
    label = iso_week_label(data.monday)
    story: list[Flowable] = []
    section = Section(
        title=TITLE,
        story=story,
        lines=(
            f"Week {label} · {data.monday:%a %Y-%m-%d} – {sunday:%a %Y-%m-%d} · "
            + plural(sum(len(d.sessions) for d in data.days), "session"),
        ),
        reference=label,
        draft_note=options.draft_note,
        wide=True,
    )
    width = inner_width(options.paper, wide=True)
    height = body_height(section, options.paper) - _RESERVED
    for index, day in enumerate(data.days):
        if index:
            story.append(PageBreak())
        story += _build_day(day, data.chairs, width, height, _twins(data))
    if not data.days:
        story.append(para("No opening hours and no sessions this week."))
    if data.problems:
        story += [PageBreak(), *_build_problems(data, width)]
    return build_pdf(
        [section],
        paper=options.paper,
        now=options.now,
        clinic=data.clinic.name,
        title=f"{TITLE} {label}",
    )


def _lanes(
    sessions: tuple[SessionInfo, ...], chairs: tuple[Chair, ...]
) -> list[tuple[Chair, list[SessionInfo]]]:
    """Columns of the grid: each chair, with extra lanes where its sessions overlap."""
    known = {c.ref for c in chairs}
    extra = {s.chair.ref: s.chair for s in sessions if s.chair.ref not in known}
    all_chairs = list(chairs) + [extra[ref] for ref in sorted(extra)]
    columns: list[tuple[Chair, list[SessionInfo]]] = []
    for chair in all_chairs:
        lanes: list[list[SessionInfo]] = []
        for s in sorted(
            (s for s in sessions if s.chair.ref == chair.ref), key=lambda s: (s.start, s.ref)
        ):
            for lane in lanes:
                if lane[-1].end <= s.start:
                    lane.append(s)
                    break
            else:
                lanes.append([s])
        for lane in lanes or [[]]:
            columns.append((chair, lane))
    return columns


def _bounds(day: DaySchedule) -> tuple[datetime, datetime]:
    starts = [s.start for s in day.sessions] + ([day.open_from] if day.open_from else [])
    ends = [s.end for s in day.sessions] + ([day.open_until] if day.open_until else [])
    first = min(starts)
    last = max(ends)
    first = first.replace(minute=(first.minute // 30) * 30, second=0, microsecond=0)
    if last.minute % 30 or last.second:
        last = last.replace(minute=(last.minute // 30) * 30, second=0, microsecond=0) + timedelta(
            minutes=30
        )
    return first, last


def _twins(data: WeekData) -> frozenset[str]:
    """Names that two or more patients of the week share: printed with the record number."""
    numbers: dict[str, set[str]] = {}
    for day in data.days:
        for s in day.sessions:
            numbers.setdefault(s.patient.name, set()).add(s.patient.record_number)
    return frozenset(name for name, found in numbers.items() if len(found) > 1)


def _initials(name: str) -> str:
    words = [w for w in name.replace(".", " ").split() if w[:1].isupper() and w not in ("Dr",)]
    return "".join(w[0] for w in words) or name[:2]


def _build_day(
    day: DaySchedule,
    chairs: tuple[Chair, ...],
    width: float,
    height: float,
    twins: frozenset[str] = frozenset(),
) -> list[Flowable]:
    title = f"{WEEKDAY_NAMES[day.day.weekday()]} {day.day:%Y-%m-%d}"
    if day.closed_reason is not None:
        title += f" — CLOSED ({day.closed_reason})" if day.closed_reason else " — CLOSED"
    elif day.open_from and day.open_until:
        title += f" · open {day.open_from:%H:%M}–{day.open_until:%H:%M}"
    title += " · " + plural(len(day.sessions), "session")
    if not day.sessions and not day.open_from:
        return [heading(title), para("No sessions.")]
    columns = _lanes(day.sessions, chairs)
    per_page = max(1, int((width - _TIME_COLUMN) // _MIN_LANE))
    parts = [columns[i : i + per_page] for i in range(0, len(columns), per_page)] or [[]]
    position = {ref: n for n, ref in enumerate(dict.fromkeys(c.ref for c, _ in columns), 1)}
    out: list[Flowable] = []
    for number, part in enumerate(parts, start=1):
        if number > 1:
            out.append(PageBreak())
        heading_text = title
        if len(parts) > 1:
            first_chair, last_chair = position[part[0][0].ref], position[part[-1][0].ref]
            heading_text += (
                f" · part {number} of {len(parts)}: chairs {first_chair}–{last_chair} "
                f"of {len(position)}"
            )
        grid, compact = _grid(day, part, width, height, twins)
        out += [heading(heading_text), grid]
        if compact:  # short blocks name staff by initials: say who they are
            out.append(_legend(day))
    return out


def _legend(day: DaySchedule) -> Flowable:
    staff = {
        a.staff.name: a.staff.name
        for x in day.sessions
        for a in (x.psychiatrist, x.monitoring)
        if a is not None
    }
    legend = " · ".join(f"{_initials(n)} = {n}" for n in sorted(staff))
    return para(f"Short blocks: P = psychiatrist, M = monitoring clinician; {legend}", "note")


def _grid(
    day: DaySchedule,
    columns: list[tuple[Chair, list[SessionInfo]]],
    width: float,
    height: float,
    twins: frozenset[str],
) -> tuple[Table, bool]:
    """One day's grid for some chairs (times down, their lanes across); and whether a
    session box had to use the compact form."""
    first, last = _bounds(day)
    slots = max(1, int((last - first).total_seconds() // 60) // SLOT_MINUTES)
    row_h = min(0.6 * cm, height / slots)
    lane_w = (width - _TIME_COLUMN) / max(1, len(columns))
    head = [para("Time", "grid_bold")]
    for chair, _lane in columns:
        head.append(para(chair.name + (f" · {chair.room}" if chair.room else ""), "grid_bold"))
    rows: list[list[object]] = [head]
    for i in range(slots):
        at = first + timedelta(minutes=i * SLOT_MINUTES)
        label: object = f"{at:%H:%M}" if at.minute % 30 == 0 else ""
        rows.append([label] + [""] * len(columns))
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 1), (0, -1), "DejaVuSansCondensed"),
        ("FONTSIZE", (0, 1), (0, -1), 7),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 1), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, RULE),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, GRID),
    ]
    for i in range(slots):
        at = first + timedelta(minutes=(i + 1) * SLOT_MINUTES)
        if at.minute == 0:
            commands.append(("LINEBELOW", (0, i + 1), (-1, i + 1), 0.5, GRID))
        elif at.minute == 30:
            commands.append(
                ("LINEBELOW", (0, i + 1), (-1, i + 1), 0.25, colors.HexColor("#cccccc"))
            )
    if day.open_from and day.open_until:
        for i in range(slots):
            at = first + timedelta(minutes=i * SLOT_MINUTES)
            if at < day.open_from or at >= day.open_until:
                commands.append(("BACKGROUND", (1, i + 1), (-1, i + 1), SHADE))
    compact = False
    for col, (_chair, lane) in enumerate(columns, start=1):
        for s in lane:
            top = int((s.start - first).total_seconds() // 60) // SLOT_MINUTES
            bottom = max(top, -(-int((s.end - first).total_seconds() // 60) // SLOT_MINUTES) - 1)
            top, bottom = top + 1, min(bottom, slots - 1) + 1
            cell, short = _session_cell(s, lane_w - 6, (bottom - top + 1) * row_h - 3, twins)
            rows[top][col] = cell
            compact |= short
            errors = any(p.severity == "error" for p in s.problems)
            shade = ALERT_SHADE if errors else WARN_SHADE if s.problems else OK_SHADE
            commands += [
                ("SPAN", (col, top), (col, bottom)),
                ("BACKGROUND", (col, top), (col, bottom), shade),
                (
                    "BOX",
                    (col, top),
                    (col, bottom),
                    1.2 if errors else 0.8,
                    ALERT if errors else RULE,
                ),
            ]
    grid = Table(
        rows,
        colWidths=[_TIME_COLUMN] + [lane_w] * len(columns),
        rowHeights=[None] + [row_h] * slots,
        style=TableStyle(commands),
        hAlign="LEFT",
    )
    return grid, compact


def _session_cell(
    s: SessionInfo, width: float, height: float, twins: frozenset[str] = frozenset()
) -> tuple[list[Flowable], bool]:
    """Every fact of a session in the box: in the largest size that fits, else in a compact
    form (staff by initials, explained under the grid). Nothing is ever left out. Returns
    the box's paragraphs and whether the compact form was used."""
    psych = staff_name(s.psychiatrist, "NO PSYCHIATRIST")
    monitor = staff_name(s.monitoring, "NO MONITORING CLINICIAN")
    name = s.patient.name
    if name in twins:
        name += f" ({s.patient.record_number})"
    marks = [p for p in s.problems if p.severity == "error"] + [
        p for p in s.problems if p.severity != "error"
    ]
    codes = ""
    if marks:
        sign = "⚠ " if any(p.severity == "error" for p in marks) else "△ "
        codes = sign + ", ".join(dict.fromkeys(p.code for p in marks))
    parts: list[tuple[str, str]] = [
        (f"{s.start:%H:%M}–{s.end:%H:%M} · {name}", "grid_bold"),
        (s.protocol.name, "grid"),
        (f"infusion {s.number} of {s.of} · {s.ref}", "grid"),  # never wrapped inside "n of N"
        (f"Psychiatrist: {psych}", "grid"),
        (f"Monitoring: {monitor}", "grid"),
    ]
    if codes:
        parts.insert(1, (codes, "grid_bold"))
    p_short = _initials(psych) if s.psychiatrist else "NONE"
    m_short = _initials(monitor) if s.monitoring else "NONE"
    compact: list[tuple[str, str]] = [
        (f"{s.start:%H:%M}–{s.end:%H:%M} · {name}", "grid_bold"),
        (f"{s.number}/{s.of} · {s.ref} · P: {p_short} · M: {m_short}", "grid"),
    ]
    if codes:
        compact.insert(1, (codes, "grid_bold"))
    for form, short in ((parts, False), (compact, True)):
        for size in _CELL_SIZES:  # everything, in the largest size that fits the box
            items = [Paragraph(markup(text), _cell_style(style, size)) for text, style in form]
            if sum(item.wrap(width, height)[1] for item in items) <= height:
                return list(items), short
    return list(items), True  # the compact form at the smallest size, even if it overflows


#: Font sizes tried for a session's box, largest first: shrinking keeps every fact on it.
_CELL_SIZES = (7.2, 6.6, 6.0, 5.5)


@lru_cache(maxsize=16)
def _cell_style(name: str, size: float) -> ParagraphStyle:
    base = styles()[name]
    scale = size / base.fontSize
    return ParagraphStyle(  # long rule codes break after a hyphen of their own
        f"{name}-{size}",
        parent=base,
        fontSize=size,
        leading=round(base.leading * scale, 1),
        embeddedHyphenation=1,
    )


def _build_problems(data: WeekData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [["When", "Session", "Patient", "Severity", "Problem", "Details"]]
    extra: list[tuple[object, ...]] = []
    for s, p in data.problems:
        rows.append(
            [
                fmt_when(s.start),
                f"{s.ref} · {s.chair.name}",
                s.patient.name,
                p.severity,
                p.code,
                p.message,
            ]
        )
        if p.severity == "error":
            extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), ALERT_SHADE))
    fractions = [0.12, 0.12, 0.14, 0.07, 0.19, 0.36]  # Problem: the longest rule code fits
    return [
        heading("Problems this week"),
        table(rows, [width * f for f in fractions], header=True, extra=extra),
    ]
