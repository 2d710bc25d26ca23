"""Build the bundled CJK fallback font: a subset of Droid Sans Fallback (Apache-2.0).

The documents print names in Chinese, Japanese and Korean with a system font when
one is installed (planner/paperwork/fonts.py looks for it); this subset is what
they fall back to everywhere else. It keeps the characters of the national
standard sets that names are written in (GB 2312, JIS X 0208, KS X 1001 and the
frequent Big5 characters): 1.6 MB instead of the full font's 4 MB.

Run (Debian: ``apt-get install fonts-droid-fallback``; ``pip install fonttools``):
``python packaging/make_cjk_font.py [SOURCE.ttf] [resources/fonts/DroidSansFallback-CJK.ttf]``
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
TARGET = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "DroidSansFallback-CJK.ttf"


def _characters(encoding: str, leads: range, trails: list[int]) -> set[str]:
    """Every character a double-byte national encoding can write."""
    out: set[str] = set()
    for lead in leads:
        for trail in trails:
            try:
                out.update(bytes([lead, trail]).decode(encoding))
            except UnicodeDecodeError:
                continue
    return out


def repertoire() -> set[str]:
    high = list(range(0xA1, 0xFF))
    chars = _characters("gb2312", range(0xA1, 0xF8), high)
    chars |= _characters("euc_jp", range(0xA1, 0xF5), high)
    chars |= _characters("euc_kr", range(0xA1, 0xFE), high)
    chars |= _characters("big5", range(0xA4, 0xC7), list(range(0x40, 0x7F)) + high)
    return chars


def main(argv: list[str]) -> int:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = Path(argv[0]) if argv else SOURCE
    target = Path(argv[1]) if len(argv) > 1 else TARGET
    font = TTFont(source)
    have = font.getBestCmap()
    wanted = sorted(ord(c) for c in repertoire() if ord(c) in have)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(target)
    print(f"{target}: {len(wanted)} characters, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
