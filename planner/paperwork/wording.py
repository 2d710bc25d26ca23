"""The monitoring sheet's lists and legends, read from resources/templates (a clinic's text).

Pure text handling, no reportlab: ``[name]`` starts a list; each following line
is an item; `` | `` separates the columns of a scored item.
"""

from __future__ import annotations

from functools import cache

from planner.resources_path import resource

SHEET_WORDING = ("templates", "monitoring_sheet.txt")


def parse_lists(text: str) -> dict[str, tuple[str, ...]]:
    """``[name]`` sections of non-empty, non-comment lines."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1].strip(), [])
        elif current is not None:
            current.append(line)
    return {name: tuple(items) for name, items in out.items()}


@cache
def sheet_lists() -> dict[str, tuple[str, ...]]:
    return parse_lists(resource(*SHEET_WORDING).read_text(encoding="utf-8"))


def items(name: str) -> tuple[str, ...]:
    """One list of the sheet's wording (empty when a clinic's file leaves it out)."""
    return sheet_lists().get(name, ())


def scored(name: str) -> tuple[tuple[str, str, str, str], ...]:
    """A scored list's items as (item, 2 points, 1 point, 0 points)."""
    out = []
    for line in items(name):
        parts = [p.strip() for p in line.split(" | ")] + ["", "", ""]
        out.append((parts[0], parts[1], parts[2], parts[3]))
    return tuple(out)


def legend(name: str) -> str:
    """A scale's items on one line: ``5 responds … · 4 lethargic …``."""
    return " · ".join(items(name))
