"""Page decoration: each paper's header (title, patient, session), draft band, footer.

A PDF is a list of :class:`Section`s (one consent form, one monitoring sheet,
the run sheet, ...); each has its own header and "Page x of y" count, so a day
packet can carry many patients' papers and every page still names the right
patient. Headers are drawn once the page count is known
(:mod:`planner.paperwork.document`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from planner.paperwork.data import DRAFT_PREFIX
from planner.paperwork.fonts import FONT, FONT_BOLD, register_fonts
from planner.paperwork.scripts import draw_text, text_width
from planner.paperwork.styles import (
    ALERT,
    ALERT_SHADE,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    RULE,
    page_size,
)


@dataclass
class Section:
    """One document inside a PDF: its own pages, header, page count and draft state."""

    title: str  # what the paper is, e.g. "Post-infusion monitoring sheet"
    story: list[Flowable]
    identity: str | None = None  # the patient line printed on every page
    lines: tuple[str, ...] = ()  # further header lines (session, staff, week ...)
    reference: str = ""  # printed in the footer, e.g. the course or session ref
    draft_note: str | None = None
    wide: bool = False  # landscape
    #: A line for the patient's initials at the foot of every page (a consent form).
    initials: bool = False
    serial: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Layout:
    header_height: float
    band_lines: tuple[str, ...]
    identity_lines: tuple[tuple[str, float], ...] = ()  # (text, font size)
    header_lines: tuple[tuple[str, float], ...] = ()


def body_height(section: Section, paper: str) -> float:
    """Height of the frame a section's flowables go into (below its header)."""
    width, height = page_size(paper, wide=section.wide)
    layout = page_layout(section, width - 2 * MARGIN_X)
    return height - MARGIN_TOP - layout.header_height - MARGIN_BOTTOM - FRAME_TOP_PAD


FRAME_TOP_PAD = 2.0


def _band_lines(note: str | None, width: float) -> tuple[str, ...]:
    if not note:
        return ()
    lines = simpleSplit(DRAFT_PREFIX + note, FONT_BOLD, 8.5, width - 12)
    if len(lines) > 3:
        lines = [*lines[:2], _fit(lines[2] + " …", FONT_BOLD, 8.5, width - 12)]
    return tuple(lines)


_IDENTITY_SIZE, _LINE_SIZE = 10.5, 8.5
_IDENTITY_STEP, _LINE_STEP = 13.0, 11.0


def page_layout(section: Section, width: float) -> Layout:
    register_fonts()
    band = _band_lines(section.draft_note, width)
    identity = (
        _header_lines(section.identity, FONT_BOLD, _IDENTITY_SIZE, width)
        if section.identity
        else ()
    )
    lines = tuple(
        part for line in section.lines for part in _header_lines(line, FONT, _LINE_SIZE, width)
    )
    height = 15.0  # title + clinic line
    if identity:
        height += 15.0 + _IDENTITY_STEP * (len(identity) - 1)
    height += _LINE_STEP * len(lines) + 8.0
    if band:
        height += 11.0 * len(band) + 10.0
    return Layout(
        header_height=height, band_lines=band, identity_lines=identity, header_lines=lines
    )


@lru_cache(maxsize=2048)
def _header_lines(text: str, font: str, size: float, width: float) -> tuple[tuple[str, float], ...]:
    """One header line, shrunk a little if that makes it fit, else wrapped between its parts.

    Nothing in the header is ever cut off: it names the patient and the session on
    every page. Wrapping breaks between the `` · `` separated parts first, so a
    fact such as "infusion 2 of 6" stays on one line.
    """
    smallest = size - 1.0
    shrunk = size
    while shrunk > smallest and text_width(text, font, shrunk) > width:
        shrunk -= 0.5
    if text_width(text, font, shrunk) <= width:
        return ((text, shrunk),)
    lines: list[str] = []
    for part in text.split(" · "):
        joined = f"{lines[-1]} · {part}" if lines else part
        if lines and text_width(joined, font, size) <= width:
            lines[-1] = joined
        elif text_width(part, font, size) <= width:
            lines.append(part)
        else:
            lines.extend(simpleSplit(part, font, size, width))
    return tuple((line, size) for line in lines)


@lru_cache(maxsize=2048)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits ``width`` at ``size`` (cached: headers repeat)."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


@lru_cache(maxsize=2048)
def _shrunk(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """The size (down to 7 pt) and, if still too long, the cut text of one header line."""
    while size > 7 and text_width(text, font, size) > width:
        size -= 0.5
    return _fit(text, font, size, width), size


def _draw_fitted(
    canv: Canvas, x: float, y: float, text: str, font: str, size: float, width: float
) -> None:
    """Draw one header line, shrinking to 7 pt and then cutting if it is too long."""
    fitted, size = _shrunk(text, font, size, width)
    draw_text(canv, x, y, fitted, font, size)


class Page:
    """What the canvas remembers about a page until the page count is known."""

    def __init__(self, section: Section, layout: Layout, clinic: str, now: datetime) -> None:
        self.section = section
        self.layout = layout
        self.clinic = clinic
        self.now = now


def decorate(
    canv: Canvas, page: Page, number: int, total: int, whole: tuple[int, int] | None = None
) -> None:
    """Header, draft band and watermark, footer: drawn once the page count is known.

    ``whole`` is (page, pages) of the whole PDF when it holds several papers (a day
    packet): each paper counts its own pages, and the footer also says where the page
    sits in the packet, so a missing sheet is noticed before the day starts.
    """
    width, height = canv._pagesize
    section, layout = page.section, page.layout
    inner = width - 2 * MARGIN_X
    canv.saveState()
    y = height - MARGIN_TOP
    if layout.band_lines:
        band_h = 11.0 * len(layout.band_lines) + 6
        canv.setFillColor(ALERT_SHADE)
        canv.setStrokeColor(ALERT)
        canv.rect(MARGIN_X, y - band_h, inner, band_h, stroke=1, fill=1)
        canv.setFillColor(ALERT)
        for i, line in enumerate(layout.band_lines):
            draw_text(canv, MARGIN_X + 6, y - 11 - i * 11.0, line, FONT_BOLD, 8.5)
        y -= band_h + 4
    canv.setFillColor(INK)
    y -= 11
    _draw_fitted(canv, MARGIN_X, y, section.title, FONT_BOLD, 11, inner * 0.6)
    canv.setFillColor(MUTED)
    clinic = _fit(page.clinic, FONT, 8, inner * 0.38)
    draw_text(canv, width - MARGIN_X, y, clinic, FONT, 8, align="right")
    canv.setFillColor(INK)
    for i, (line, size) in enumerate(layout.identity_lines):
        y -= 15 if i == 0 else _IDENTITY_STEP
        _draw_fitted(canv, MARGIN_X, y, line, FONT_BOLD, size, inner)
    for line, size in layout.header_lines:
        y -= _LINE_STEP
        _draw_fitted(canv, MARGIN_X, y, line, FONT, size, inner)
    y -= 5
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.8)
    canv.line(MARGIN_X, y, width - MARGIN_X, y)
    # footer
    if section.initials:
        canv.setFillColor(INK)
        draw_text(
            canv,
            width - MARGIN_X,
            MARGIN_BOTTOM - 0.35 * cm,
            "Patient's initials on this page: ________",
            FONT_BOLD,
            8,
            align="right",
        )
    canv.setLineWidth(0.5)
    canv.line(MARGIN_X, MARGIN_BOTTOM - 0.45 * cm, width - MARGIN_X, MARGIN_BOTTOM - 0.45 * cm)
    canv.setFont(FONT, 7.5)
    canv.setFillColor(MUTED)
    footer_y = MARGIN_BOTTOM - 0.85 * cm
    canv.drawString(MARGIN_X, footer_y, f"Generated {page.now:%Y-%m-%d %H:%M}")
    label = section.title + (f" · {section.reference}" if section.reference else "")
    if whole is not None:
        label = f"Packet: Page {whole[0]} of {whole[1]} · {label}"
    canv.setFillColor(INK)
    canv.setFont(FONT_BOLD, 8)
    canv.drawRightString(width - MARGIN_X, footer_y, f"Page {number} of {total}")
    canv.setFillColor(MUTED)  # drawn after the paper's own page number: that one reads first
    draw_text(canv, width / 2, footer_y, _fit(label, FONT, 7.5, inner * 0.5), FONT, 7.5, "centre")
    if section.draft_note:
        _watermark(canv, width, height)
    canv.restoreState()


def _watermark(canv: Canvas, width: float, height: float) -> None:
    canv.saveState()
    canv.setFillColor(ALERT, alpha=0.13)
    canv.translate(width / 2, height / 2)
    canv.rotate(35)
    canv.setFont(FONT_BOLD, min(width, height) / 5.2)
    canv.drawCentredString(0, 0, "DRAFT")
    canv.setFont(FONT_BOLD, min(width, height) / 22)
    canv.drawCentredString(0, -min(width, height) / 11, "staffing incomplete")
    canv.restoreState()
