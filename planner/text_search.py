"""Matching typed text the way people type it: without accents, without caring about case.

"nunez" finds "Nuñez", "zoe" finds "Zoë", "lukasiewicz" finds "Łukasiewicz",
"strasse" finds "Straße". One function for every search in the app (the week
planner's patient search and every page's filter), so they all agree.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Letters that are not a base letter plus an accent, so NFKD leaves them whole.
_LETTERS = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "þ": "th", "Þ": "th", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ħ": "h",
    }
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` lower-cased, without accents, with its spaces squeezed: the form compared."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def matches(query: str, *texts: str) -> bool:
    """True when every word of ``query`` appears in one of ``texts`` (accents and case aside).

    An empty query matches everything.
    """
    words = fold(query).split()
    if not words:
        return True
    folded = [fold(t) for t in texts if t]
    return all(any(word in t for t in folded) for word in words)

