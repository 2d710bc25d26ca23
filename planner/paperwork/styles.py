"""The look of every document: colours, margins, paragraph styles and page sizes.

The builders only assemble flowables in these styles; page decoration lives
in :mod:`planner.paperwork.pages`, assembling a PDF in
:mod:`planner.paperwork.document`, fonts in :mod:`planner.paperwork.fonts`.
Importing this module imports reportlab; only the builders import it, and only
when a document is actually made.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from planner.paperwork.fonts import (
    FONT,
    FONT_BOLD,
    FONT_COND,
    FONT_COND_BOLD,
    register_fonts,
)

#: Binary (deflated) streams instead of ASCII85 text: smaller files, and no slow pure-Python
#: encoding of every embedded font subset. Every PDF reader supports them.
rl_config.useA85 = 0

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
        "alert_small": ParagraphStyle(
            "alert_small", parent=body, textColor=ALERT, fontSize=7.8, leading=9.6
        ),
        "note": ParagraphStyle("note", parent=body, textColor=MUTED, fontSize=8, leading=10),
        # The monitoring sheet: two sides of one sheet of paper hold a whole session.
        "sheet_h": ParagraphStyle(
            "sheet_h",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=11.5,
            spaceBefore=4,
            spaceAfter=1.5,
        ),
        "tiny": ParagraphStyle("tiny", parent=body, fontSize=6.6, leading=7.8),
        "tiny_bold": ParagraphStyle(
            "tiny_bold", parent=body, fontName=FONT_BOLD, fontSize=6.6, leading=7.8
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=7.6, leading=9.2),
        "banner": ParagraphStyle(
            "banner", parent=body, fontName=FONT_BOLD, fontSize=10, leading=12.5
        ),
        "banner_alert": ParagraphStyle(
            "banner_alert",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=12.5,
            textColor=ALERT,
        ),
    }


def page_size(paper: str, *, wide: bool = False) -> tuple[float, float]:
    """A4 or Letter (case-insensitive), portrait or landscape."""
    size = LETTER if paper.strip().lower() == "letter" else A4
    return landscape(size) if wide else size


def inner_width(paper: str, *, wide: bool = False) -> float:
    """Width available to the body of a page."""
    return page_size(paper, wide=wide)[0] - 2 * MARGIN_X
