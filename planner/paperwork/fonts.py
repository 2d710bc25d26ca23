"""The fonts every document embeds.

DejaVu Sans (shipped in resources/fonts) covers Latin with diacritics,
Cyrillic, Greek, Arabic letters and Hebrew.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from planner.resources_path import resource

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_COND = "DejaVuSansCondensed"
FONT_COND_BOLD = "DejaVuSansCondensed-Bold"
_FONT_FILES = (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_COND, FONT_COND_BOLD)


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed DejaVu Sans from the shipped resources, once."""
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
