"""The fonts every document embeds, and the fallback for scripts DejaVu Sans lacks.

DejaVu Sans (shipped in resources/fonts) covers Latin with diacritics,
Cyrillic, Greek, Arabic and Hebrew. Chinese, Japanese and Korean come from a
system font when one is installed (full coverage), else from the shipped
subset of Droid Sans Fallback; it is registered only when a document first
prints such a character. Text is split into runs per font by
:mod:`planner.paperwork.scripts`.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from planner.resources_path import resource

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_COND = "DejaVuSansCondensed"
FONT_COND_BOLD = "DejaVuSansCondensed-Bold"
_FONT_FILES = (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_COND, FONT_COND_BOLD)
#: The CJK fallback's name in the PDFs (whichever file it came from).
FONT_CJK = "PlannerCJK"
BUNDLED_CJK = ("fonts", "DroidSansFallback-CJK.ttf")
#: Where systems keep a TrueType CJK font reportlab can embed (CFF-based ones cannot be).
SYSTEM_CJK = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    r"C:\Windows\Fonts\msyh.ttc",
    r"C:\Windows\Fonts\simsun.ttc",
)
#: Set to a font file to use instead of the system's (or to "bundled" for the shipped one).
ENV_CJK_FONT = "PLANNER_CJK_FONT"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed DejaVu Sans from the shipped resources, once."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
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


@cache
def covered(font: str) -> frozenset[int]:
    """The code points a registered font has glyphs for."""
    register_fonts()
    if font == FONT_CJK:
        cjk_font()
    face = pdfmetrics.getFont(font).face
    return frozenset(face.charToGlyph)


def cjk_candidates() -> list[Path]:
    """Font files to try for CJK, best first: the one named in the environment, the
    system's, then the shipped subset."""
    chosen = os.environ.get(ENV_CJK_FONT, "").strip()
    paths: list[Path] = []
    if chosen and chosen != "bundled":
        paths.append(Path(chosen))
    if not chosen:
        windows = os.environ.get("WINDIR")
        for name in SYSTEM_CJK:
            if name.startswith("C:\\"):
                if sys.platform != "win32":
                    continue
                if windows:
                    name = windows + name[len("C:\\Windows") :]
            paths.append(Path(name))
    paths.append(resource(*BUNDLED_CJK))
    return paths


@lru_cache(maxsize=1)
def cjk_font() -> Path:
    """Register the CJK fallback from the first file that loads; returns that file."""
    register_fonts()
    for path in cjk_candidates():
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(FONT_CJK, str(path), subfontIndex=0))
        except Exception:  # not a TrueType font reportlab can embed: try the next
            continue
        return path
    raise FileNotFoundError(f"no CJK font could be loaded (looked for {resource(*BUNDLED_CJK)})")


def _unicode_hex(text: str) -> str:
    return "".join(f"{unit:04X}" for unit in _utf16(text))


def _utf16(text: str) -> list[int]:
    data = text.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def _extracted(code: int) -> str:
    """What a reader should get for a drawn character: Arabic presentation forms (the joined
    shapes a name is drawn with) read back as the letters that were written."""
    char = chr(code)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return unicodedata.normalize("NFKC", char)
    return char


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, but with every character mapped to the text it stands
    for (see ``_extracted``) and characters beyond the BMP written as UTF-16."""
    entries = [f"<{i:02X}> <{_unicode_hex(_extracted(v))}>" for i, v in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
