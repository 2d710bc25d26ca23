"""Counted words that read right: "1 error", "2 errors", "no errors" never "1 errors".

Each call gives both forms already translated (``self.tr("1 error")``,
``self.tr("{n} errors")``), so a translation can word each one its own way.
"""

from __future__ import annotations


def plural(n: int, one: str, many: str) -> str:
    """``one`` when ``n`` is 1, else ``many``; ``{n}`` is filled in (other fields are left for
    the caller's ``format``)."""
    return (one if n == 1 else many).replace("{n}", str(n))
