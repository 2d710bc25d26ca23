"""Printing any script: text split into runs per font, right-to-left text joined and ordered.

Every string a document draws passes through here exactly once, as logical
text (the order it is typed in): ``visual`` joins Arabic letters and puts
right-to-left runs in drawing order, ``runs`` gives each piece the font that
has its glyphs (DejaVu, else the CJK fallback). Plain Latin text takes a fast
path that costs one ``isascii`` call.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from planner.paperwork.fonts import FONT, FONT_CJK, covered

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
#: Characters outside what DejaVu Sans draws that the CJK fallback may have.
_FAR = re.compile("[\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]")


@lru_cache(maxsize=4096)
def visual(text: str) -> str:
    """``text`` in drawing order: Arabic joined, right-to-left runs reversed (left-to-right
    lines, as every document is)."""
    if not _RTL.search(text):
        return text
    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    from bidi import get_display

    return "\n".join(str(get_display(line, base_dir="L")) for line in text.split("\n"))


def _font_of(char: str, font: str) -> str:
    code = ord(char)
    if code in covered(font):
        return font
    if font != FONT and code in covered(FONT):
        return FONT
    if _FAR.match(char) and code in covered(FONT_CJK):
        return FONT_CJK
    return font


@lru_cache(maxsize=4096)
def runs(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """``text`` (already in drawing order) as (piece, font) runs: each character in ``font``
    when it has the glyph, else in the first fallback that does."""
    if text.isascii():
        return ((text, font),)
    out: list[list[str]] = []
    for char in text:
        chosen = font if char == " " else _font_of(char, font)
        if out and out[-1][1] == chosen:
            out[-1][0] += char
        else:
            out.append([char, chosen])
    return tuple((piece, f) for piece, f in out)


def plain(text: str, font: str) -> bool:
    """True when ``text`` draws as it is in ``font``: no right-to-left text, no fallback."""
    if text.isascii():
        return True
    own = covered(font)
    return not _RTL.search(text) and all(ord(c) in own or c == "\n" for c in text)


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` drawn with ``draw_text``."""
    if text.isascii():
        return stringWidth(text, font, size)
    return sum(stringWidth(piece, f, size) for piece, f in runs(visual(text), font))


def draw_text(
    canv: Canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left"
) -> None:
    """Draw one line of logical text from ``x`` (``align``: left, right or centre of ``x``)."""
    pieces = runs(visual(text), font)
    total = sum(stringWidth(piece, f, size) for piece, f in pieces)
    if align == "right":
        x -= total
    elif align == "centre":
        x -= total / 2
    for piece, f in pieces:
        canv.setFont(f, size)
        canv.drawString(x, y, piece)
        x += stringWidth(piece, f, size)


def with_fallback(markup: str) -> str:
    """Paragraph mini-markup with the characters DejaVu lacks set in the fallback font.

    Tags and entities are ASCII, so only runs of other characters are wrapped.
    """
    if markup.isascii() or not _FAR.search(markup):
        return markup
    out = []
    for piece, f in runs(markup, FONT):
        out.append(f'<font face="{f}">{piece}</font>' if f == FONT_CJK else piece)
    return "".join(out)


def markup(text: str) -> str:
    """Plain logical text as paragraph markup: drawing order, escaped, fallback fonts set."""
    return with_fallback(escape(visual(text)))
