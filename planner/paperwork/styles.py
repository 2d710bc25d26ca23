"""Fonts, paragraph styles, page templates and page decoration for every document.

All look-and-feel lives here: the builders only assemble flowables. A PDF is
a list of :class:`Section`s (one consent form, one monitoring sheet, the run
sheet, ...); each section has its own page template, header and "Page x of
y" count, so a day packet can carry many patients' papers and every page
still names the right patient.

Importing this module imports reportlab; only the builders import it, and
only when a document is actually made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak
from reportlab.platypus.doctemplate import PageTemplate

from planner.paperwork.data import DRAFT_PREFIX
from planner.resources_path import resource

#: Binary (deflated) streams instead of ASCII85 text: smaller files, and no slow pure-Python
#: encoding of every embedded font subset. Every PDF reader supports them.
rl_config.useA85 = 0

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_COND = "DejaVuSansCondensed"
FONT_COND_BOLD = "DejaVuSansCondensed-Bold"
_FONT_FILES = (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_COND, FONT_COND_BOLD)

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#777777")
GRID = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#ececec")
ALERT = colors.HexColor("#b00020")
ALERT_SHADE = colors.HexColor("#fbe3e6")
WARN_SHADE = colors.HexColor("#fff3cd")

MARGIN_X = 1.5 * cm
MARGIN_TOP = 1.0 * cm
MARGIN_BOTTOM = 1.6 * cm
CHECKBOX = "☐"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed DejaVu Sans (Latin, diacritics, Cyrillic) from the shipped resources, once."""
    for name in _FONT_FILES:
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", f"{name}.ttf"))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    pdfmetrics.registerFontFamily(
        FONT_COND,
        normal=FONT_COND,
        bold=FONT_COND_BOLD,
        italic=FONT_COND,
        boldItalic=FONT_COND_BOLD,
    )


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles every document uses."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, textColor=MUTED, fontSize=9, leading=11.5
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=9,
            spaceAfter=3,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=12,
            spaceBefore=5,
            spaceAfter=2,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=12, bulletIndent=2, spaceBefore=1
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5
        ),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=9.5),
        "head_small": ParagraphStyle(
            "head_small", parent=body, fontName=FONT_BOLD, fontSize=7.2, leading=8.6
        ),
        "head_center": ParagraphStyle(
            "head_center",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8,
            leading=9.5,
            alignment=TA_CENTER,
        ),
        "grid": ParagraphStyle("grid", parent=body, fontName=FONT_COND, fontSize=7.2, leading=8.6),
        "grid_bold": ParagraphStyle(
            "grid_bold", parent=body, fontName=FONT_COND_BOLD, fontSize=7.4, leading=8.8
        ),
        "alert": ParagraphStyle(
            "alert", parent=body, textColor=ALERT, fontName=FONT_BOLD, fontSize=9, leading=11.5
        ),
        "note": ParagraphStyle("note", parent=body, textColor=MUTED, fontSize=8, leading=10),
    }


def page_size(paper: str, *, wide: bool = False) -> tuple[float, float]:
    """A4 or Letter (case-insensitive), portrait or landscape."""
    size = LETTER if paper.strip().lower() == "letter" else A4
    return landscape(size) if wide else size


def inner_width(paper: str, *, wide: bool = False) -> float:
    """Width available to the body of a page."""
    return page_size(paper, wide=wide)[0] - 2 * MARGIN_X


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
    serial: int = field(default=0, compare=False)


@dataclass(frozen=True)
class _Layout:
    header_height: float
    band_lines: tuple[str, ...]
    identity_lines: tuple[tuple[str, float], ...] = ()  # (text, font size)
    header_lines: tuple[tuple[str, float], ...] = ()


def body_height(section: Section, paper: str) -> float:
    """Height of the frame a section's flowables go into (below its header)."""
    width, height = page_size(paper, wide=section.wide)
    layout = _layout(section, width - 2 * MARGIN_X)
    return height - MARGIN_TOP - layout.header_height - MARGIN_BOTTOM - _FRAME_TOP_PAD


_FRAME_TOP_PAD = 2.0


def _band_lines(note: str | None, width: float) -> tuple[str, ...]:
    if not note:
        return ()
    lines = simpleSplit(DRAFT_PREFIX + note, FONT_BOLD, 8.5, width - 12)
    if len(lines) > 3:
        lines = [*lines[:2], _fit(lines[2] + " …", FONT_BOLD, 8.5, width - 12)]
    return tuple(lines)


_IDENTITY_SIZE, _LINE_SIZE = 10.5, 8.5
_IDENTITY_STEP, _LINE_STEP = 13.0, 11.0


def _layout(section: Section, width: float) -> _Layout:
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
    return _Layout(
        header_height=height, band_lines=band, identity_lines=identity, header_lines=lines
    )


@lru_cache(maxsize=2048)
def _header_lines(
    text: str, font: str, size: float, width: float
) -> tuple[tuple[str, float], ...]:
    """One header line, shrunk a little if that makes it fit, else wrapped between its parts.

    Nothing in the header is ever cut off: it names the patient and the session on
    every page. Wrapping breaks between the `` · `` separated parts first, so a
    fact such as "infusion 2 of 6" stays on one line.
    """
    smallest = size - 1.0
    shrunk = size
    while shrunk > smallest and pdfmetrics.stringWidth(text, font, shrunk) > width:
        shrunk -= 0.5
    if pdfmetrics.stringWidth(text, font, shrunk) <= width:
        return ((text, shrunk),)
    lines: list[str] = []
    for part in text.split(" · "):
        joined = f"{lines[-1]} · {part}" if lines else part
        if lines and pdfmetrics.stringWidth(joined, font, size) <= width:
            lines[-1] = joined
        elif pdfmetrics.stringWidth(part, font, size) <= width:
            lines.append(part)
        else:
            lines.extend(simpleSplit(part, font, size, width))
    return tuple((line, size) for line in lines)


@lru_cache(maxsize=2048)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits ``width`` at ``size`` (cached: headers repeat)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


@lru_cache(maxsize=2048)
def _shrunk(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """The size (down to 7 pt) and, if still too long, the cut text of one header line."""
    while size > 7 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return _fit(text, font, size, width), size


def _draw_fitted(
    canv: Canvas, x: float, y: float, text: str, font: str, size: float, width: float
) -> None:
    """Draw one header line, shrinking to 7 pt and then cutting if it is too long."""
    fitted, size = _shrunk(text, font, size, width)
    canv.setFont(font, size)
    canv.drawString(x, y, fitted)


class _Page:
    """What the canvas remembers about a page until the page count is known."""

    def __init__(self, section: Section, layout: _Layout, clinic: str, now: datetime) -> None:
        self.section = section
        self.layout = layout
        self.clinic = clinic
        self.now = now


def _decorate(
    canv: Canvas, page: _Page, number: int, total: int, whole: tuple[int, int] | None = None
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
        canv.setFont(FONT_BOLD, 8.5)
        for i, line in enumerate(layout.band_lines):
            canv.drawString(MARGIN_X + 6, y - 11 - i * 11.0, line)
        y -= band_h + 4
    canv.setFillColor(INK)
    y -= 11
    _draw_fitted(canv, MARGIN_X, y, section.title, FONT_BOLD, 11, inner * 0.6)
    canv.setFillColor(MUTED)
    canv.setFont(FONT, 8)
    canv.drawRightString(width - MARGIN_X, y, _fit(page.clinic, FONT, 8, inner * 0.38))
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
    canv.setFont(FONT, 7.5)
    canv.drawCentredString(width / 2, footer_y, _fit(label, FONT, 7.5, inner * 0.5))
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


class _NumberedCanvas(Canvas):
    """Keeps finished pages until ``save`` so each can say "Page x of y" of its own section."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: list[dict[str, Any]] = []
        self.current_page: _Page | None = None

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages: list[_Page | None] = [state.get("current_page") for state in self._kept]
        totals: dict[int, int] = {}
        for page in pages:
            if page is not None:
                totals[page.section.serial] = totals.get(page.section.serial, 0) + 1
        seen: dict[int, int] = {}
        several = len(totals) > 1
        for index, (state, page) in enumerate(zip(self._kept, pages, strict=True), start=1):
            self.__dict__.update(state)
            if page is not None:
                serial = page.section.serial
                seen[serial] = seen.get(serial, 0) + 1
                whole = (index, len(pages)) if several else None
                _decorate(self, page, seen[serial], totals[serial], whole)
            Canvas.showPage(self)
        Canvas.save(self)


class _Marker(Flowable):
    """Zero-size flowable: reports progress when a section starts being laid out."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self.callback = callback
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.callback()


def build_pdf(
    sections: Sequence[Section],
    *,
    paper: str,
    now: datetime,
    clinic: str,
    title: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Lay out ``sections`` one after another (each from a new page) into PDF bytes."""
    register_fonts()
    if not sections:
        raise ValueError("a document needs at least one section")
    buffer = BytesIO()
    templates: list[PageTemplate] = []
    story: list[Flowable] = []
    total = len(sections)
    for serial, section in enumerate(sections):
        section.serial = serial
        size = page_size(paper, wide=section.wide)
        layout = _layout(section, size[0] - 2 * MARGIN_X)
        frame_top = size[1] - MARGIN_TOP - layout.header_height
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            size[0] - 2 * MARGIN_X,
            frame_top - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=_FRAME_TOP_PAD,
            bottomPadding=0,
            id=f"body{serial}",
        )
        page = _Page(section, layout, clinic, now)
        templates.append(
            PageTemplate(
                id=f"section{serial}", frames=[frame], onPage=_remember(page), pagesize=size
            )
        )
        if serial:
            story += [NextPageTemplate(f"section{serial}"), PageBreak()]
        if progress is not None:
            story.append(_Marker(_progress_step(progress, serial, total)))
        story += section.story
    doc = BaseDocTemplate(
        buffer,
        pagesize=templates[0].pagesize,
        pageTemplates=templates,
        title=title,
        author=clinic,
        creator="Infusion Planner",
        invariant=1,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    )
    doc.build(story, canvasmaker=_NumberedCanvas)
    if progress is not None:
        progress(total, total)
    return buffer.getvalue()


def _remember(page: _Page) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.current_page = page

    return on_page


def _progress_step(
    progress: Callable[[int, int], None], done: int, total: int
) -> Callable[[], None]:
    return lambda: progress(done, total)
