"""How times, dates and people appear in violation messages (what a clinic manager reads)."""

from __future__ import annotations

from datetime import date, datetime, time

from planner.domain import FLAG_LABELS, ROLE_LABELS, WEEKDAY_NAMES

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hm(value: datetime | time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def span(start: datetime, end: datetime) -> str:
    """``10:00–11:20``; says so when the end falls on a later day."""
    text = f"{hm(start)}–{hm(end)}"
    days = (end.date() - start.date()).days
    if days == 1:
        text += " (next day)"
    elif days > 1:
        text += f" (+{days} days)"
    return text


def time_range(start: time, end: time) -> str:
    return f"{hm(start)}–{hm(end)}"


def day(value: date) -> str:
    """``Tue 1 Dec 2026``."""
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def short_day(value: date) -> str:
    """``Tue 1 Dec``."""
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]}"


def when(value: datetime) -> str:
    """``Tue 1 Dec 09:00``."""
    return f"{short_day(value.date())} {hm(value)}"


def date_range(first: date, last: date) -> str:
    if first == last:
        return day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day(last)[4:]}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]}–{day(last)[4:]}"
    return f"{day(first)[4:]}–{day(last)[4:]}"


def weekday_plural(weekday: int) -> str:
    return WEEKDAY_NAMES[weekday] + "s"


def role(name: str) -> str:
    return ROLE_LABELS.get(name, name.replace("_", " ")).lower()


def flags(names: tuple[str, ...]) -> str:
    return ", ".join(FLAG_LABELS.get(f, f.replace("_", " ")) for f in names)


def hours(value: float) -> str:
    """``48 h`` / ``36.5 h``."""
    return f"{value:g} h" if value != int(value) else f"{int(value)} h"


def duration(seconds: float) -> str:
    """``47 h 59 min`` / ``24 h`` / ``45 min`` (whole minutes, rounded down: never
    shows a too-short gap as long enough)."""
    minutes = int(seconds // 60)
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h {m} min" if m else f"{h} h"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
