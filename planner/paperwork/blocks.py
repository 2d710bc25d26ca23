"""Small flowable helpers shared by the documents: text, headed form tables, check rows.

Everything is drawn with the styles of :mod:`planner.paperwork.styles`; the
builders only say what goes where.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from planner.domain import ROLE_LABELS
from planner.domain.records import Assignment, Patient
from planner.paperwork.scripts import markup as text_markup
from planner.paperwork.scripts import plain as plain_text
from planner.paperwork.scripts import with_fallback
from planner.paperwork.styles import CHECKBOX, GRID, SHADE, styles

Cell = Any  # a str (escaped here) or a Flowable


def esc(text: object) -> str:
    return escape(str(text))


def para(text: str, style: str = "body", *, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped) or, with ``markup``, reportlab mini-markup."""
    return Paragraph(with_fallback(text) if markup else text_markup(text), styles()[style])


def heading(text: str) -> Paragraph:
    return para(text, "h2")


def spacer(height_cm: float) -> Spacer:
    return Spacer(1, height_cm * cm)


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else "—"


def fmt_when(value: datetime) -> str:
    """``Tue 2026-12-01 09:00``: unambiguous on paper, sortable, language-neutral digits."""
    return f"{value:%a %Y-%m-%d %H:%M}"


def fmt_kg(value: float) -> str:
    return f"{value:g}"


def identity_line(patient: Patient) -> str:
    """The patient line printed at the top of every page of a patient's paper."""
    return (
        f"{patient.name} · Date of birth {fmt_date(patient.date_of_birth)} · "
        f"Record number {patient.record_number}"
    )


def staff_label(assignment: Assignment | None, missing: str) -> str:
    if assignment is None:
        return f"— {missing} not assigned —"
    return f"{assignment.staff.name} ({ROLE_LABELS.get(assignment.role, assignment.role)})"


def staff_name(assignment: Assignment | None, missing: str = "") -> str:
    """The name of whoever fills an assignment (``missing`` when nobody does)."""
    return assignment.staff.name if assignment is not None else missing


def plural(count: int, word: str) -> str:
    """``1 session``, ``2 sessions``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def checks(items: Sequence[str]) -> str:
    """Inline tick boxes: ``☐ Yes  ☐ No``."""
    return "   ".join(f"{CHECKBOX} {item}" for item in items)


def table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    header: bool = False,
    row_height: float | None = None,
    heights: Sequence[float | None] | None = None,
    style: str = "cell",
    head_style: str = "head",
    bold_columns: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
    repeat_header: bool = True,
) -> Table:
    """A gridded table; ``header`` shades and repeats the first row; roomy rows for pens.

    Cell fonts and paddings come from shared cell styles rather than one
    style command per property: a monitoring sheet has hundreds of cells, and
    reportlab applies every command to every cell it covers.
    """
    body, head, bold = styles()[style], styles()[head_style], styles()["cell_bold"]
    plain, top, strong = _cell_style(style), _cell_style(head_style), _cell_style("cell_bold")
    data: list[list[Cell]] = []
    cell_styles: list[list[CellStyle]] = []
    spans, _hidden = _spans(extra, widths, len(rows))
    for r, row in enumerate(rows):
        is_head = header and r == 0
        data.append(
            [
                _fitting_cell(
                    v,
                    head if is_head else bold if c in bold_columns else body,
                    spans.get((r, c), widths[c]),
                )
                for c, v in enumerate(row)
            ]
        )
        cell_styles.append(
            [top if is_head else strong if c in bold_columns else plain for c in range(len(row))]
        )
    commands: list[tuple[Any, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, GRID)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    commands.extend(extra)
    _own_styles_for(cell_styles, extra)
    if heights is None and row_height is not None:
        heights = [None if header and r == 0 else row_height for r in range(len(rows))]
    if heights is not None:
        heights = _at_least(heights, data, cell_styles, widths, extra)
    return Table(
        data,
        colWidths=list(widths),
        rowHeights=list(heights) if heights is not None else None,
        style=TableStyle(commands),
        repeatRows=1 if header and repeat_header else 0,
        hAlign="LEFT",
        cellStyles=cell_styles,
    )


_PAD = 4


def _spans(
    extra: Sequence[tuple[Any, ...]], widths: Sequence[float], nrows: int
) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """Widths of the first cell of each one-row span, and the cells the spans cover."""
    spans: dict[tuple[int, int], float] = {}
    hidden: set[tuple[int, int]] = set()
    for command in extra:
        if command[0] == "SPAN":
            (c0, r0), (c1, _r1) = command[1], command[2]
            c0, c1, r0 = c0 % len(widths), c1 % len(widths), r0 % nrows
            spans[(r0, c0)] = sum(widths[c0 : c1 + 1])
            hidden.update((r0, c) for c in range(c0 + 1, c1 + 1))
    return spans, hidden


def _at_least(
    heights: Sequence[float | None],
    data: list[list[Cell]],
    cell_styles: list[list[CellStyle]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]],
) -> list[float | None]:
    """Row heights grown where a cell's text needs more: a fixed height is a minimum, so
    text never runs into the next row (it would read as part of it)."""
    spans, hidden = _spans(extra, widths, len(data))
    out: list[float | None] = []
    for r, (wanted, row) in enumerate(zip(heights, data, strict=True)):
        if wanted is None:
            out.append(None)
            continue
        need = 0.0
        for c, value in enumerate(row):
            if (r, c) in hidden:
                continue
            cell = cell_styles[r][c]
            pads = cell.topPadding + cell.bottomPadding
            if isinstance(value, str):
                need = max(need, (value.count("\n") + 1) * cell.leading + pads)
            elif isinstance(value, Flowable):
                room = spans.get((r, c), widths[c]) - cell.leftPadding - cell.rightPadding
                need = max(need, value.wrap(room, 10_000)[1] + pads)
        out.append(max(wanted, need))
    return out


#: Table style commands that change a cell's own style (the rest draw lines, fills, spans).
_CELL_OPS = frozenset(
    {
        "FONT",
        "FONTNAME",
        "FACE",
        "FONTSIZE",
        "SIZE",
        "LEADING",
        "TEXTCOLOR",
        "ALIGN",
        "ALIGNMENT",
        "VALIGN",
        "LEFTPADDING",
        "RIGHTPADDING",
        "TOPPADDING",
        "BOTTOMPADDING",
    }
)


@cache
def _cell_style(name: str) -> CellStyle:
    """A shared, never-modified cell style in the font of paragraph style ``name``."""
    para_style = styles()[name]
    cell = CellStyle(name)
    cell.fontname = para_style.fontName
    cell.fontsize = para_style.fontSize
    cell.leading = para_style.leading
    cell.color = para_style.textColor
    cell.valign = "TOP"
    cell.leftPadding = cell.rightPadding = _PAD
    cell.topPadding = cell.bottomPadding = 3
    return cell


def _own_styles_for(
    cell_styles: list[list[CellStyle]], commands: Sequence[tuple[Any, ...]]
) -> None:
    """Give cells that a command restyles their own copy, so shared styles stay untouched."""
    rows = len(cell_styles)
    for command in commands:
        if command[0] not in _CELL_OPS:
            continue
        (c0, r0), (c1, r1) = command[1], command[2]
        for r in range(r0 % rows, r1 % rows + 1):
            cols = len(cell_styles[r])
            for c in range(c0 % cols, c1 % cols + 1):
                if cell_styles[r][c] is _cell_style(cell_styles[r][c].name):
                    cell_styles[r][c] = cell_styles[r][c].copy()


def _fitting_cell(value: Cell, style: ParagraphStyle, width: float) -> Cell:
    """Plain text broken into lines that fit ``width``: the table draws it without paragraphs.

    Most cells are empty or short; paragraphs (parsed mini-markup) would cost
    several times more per cell. An empty cell becomes an empty list, so the
    table draws nothing there at all.
    """
    if not isinstance(value, str):
        return value
    if not value:
        return []
    if not plain_text(value, style.fontName):  # another script: a paragraph sets its fonts
        return Paragraph(text_markup(value).replace("\n", "<br/>"), style)
    return _wrapped(value, style.fontName, style.fontSize, width - 2 * _PAD)


@lru_cache(maxsize=4096)
def _wrapped(value: str, font: str, size: float, room: float) -> str:
    """``value`` with line breaks so each line fits ``room`` (cached: labels repeat per sheet)."""
    lines: list[str] = []
    for line in value.split("\n"):
        if stringWidth(line, font, size) <= room:
            lines.append(line)
        else:
            for part in simpleSplit(line, font, size, room):
                lines.extend(_break_long(part, font, size, room))
    return "\n".join(lines)


_HYPHEN_PIECES = re.compile(r"[^-]+-*|-+")


def _break_long(line: str, font: str, size: float, room: float) -> list[str]:
    """A line still wider than ``room`` (one long word, e.g. a rule code) broken after hyphens.

    A piece without hyphens that is still too wide is cut between characters:
    text may never run past the edge of its cell.
    """
    if stringWidth(line, font, size) <= room:
        return [line]
    out: list[str] = []
    current = ""
    for piece in _HYPHEN_PIECES.findall(line):
        if current and stringWidth(current + piece, font, size) > room:
            out.append(current)
            current = ""
        current += piece
        while stringWidth(current, font, size) > room and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and stringWidth(current[:cut], font, size) > room:
                cut -= 1
            out.append(current[:cut])
            current = current[cut:]
    if current:
        out.append(current)
    return out


def labelled(
    pairs: Sequence[tuple[str, Cell]], widths: Sequence[float], *, row_height: float | None = None
) -> Table:
    """Label/value pairs laid out across ``len(widths) // 2`` column pairs, labels shaded."""
    per_row = len(widths) // 2
    rows: list[list[Cell]] = []
    for start in range(0, len(pairs), per_row):
        row: list[Cell] = []
        chunk = list(pairs[start : start + per_row])
        chunk += [("", "")] * (per_row - len(chunk))
        for label, value in chunk:
            row += [label, value]
        rows.append(row)
    labels = range(0, len(widths), 2)
    shade = [("BACKGROUND", (c, 0), (c, -1), SHADE) for c in labels]
    return table(rows, widths, row_height=row_height, bold_columns=labels, extra=shade)


def side_by_side(left: Flowable, right: Flowable, width: float, gap: float) -> Table:
    """Two flowables next to each other, each ``(width - gap) / 2`` wide, without a frame."""
    half = (width - gap) / 2
    pair = Table([[left, "", right]], colWidths=[half, gap, half], hAlign="LEFT")
    pair.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return pair


def block(*flowables: Flowable) -> KeepTogether:
    """Keep a heading with what follows it on one page."""
    return KeepTogether(list(flowables))
