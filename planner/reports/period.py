"""The days a report covers, and the arithmetic every report shares: minutes, rates, weeks."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

#: Longest period a report covers (about three years): enough for any review, and the
#: per-day tables of a longer one would only be paper.
MAX_DAYS = 3 * 366

#: Rates are fractions (0.25 = 25 %) rounded to this many decimals.
RATE_DECIMALS = 4

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Period:
    """``start`` to ``end``, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"the period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise ValueError(f"a report covers at most {MAX_DAYS} days; choose a shorter period")

    def days(self) -> Iterator[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def first_moment(self) -> datetime:
        return datetime.combine(self.start, time())

    @property
    def after_last_moment(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time())

    def label(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def rate(part: float, whole: float) -> float | None:
    """``part / whole`` rounded to :data:`RATE_DECIMALS`; None when there is no whole."""
    if whole <= 0:
        return None
    return round(part / whole, RATE_DECIMALS)


def percent(value: float | None) -> str:
    """A rate as people read it: ``62.5 %``; ``—`` when there is none."""
    return "—" if value is None else f"{value * 100:.1f} %"


def hours(minutes: int) -> str:
    """Minutes as hours with one decimal: ``7.5 h``."""
    return f"{minutes / 60:.1f} h"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    """The ISO week of ``monday``: ``2026-W49``."""
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, in order."""
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if hi <= lo:
            continue
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def minutes_of(intervals: Iterable[Interval]) -> int:
    """Total length of the union of ``intervals``, in whole minutes."""
    return sum(int((hi - lo).total_seconds()) // 60 for lo, hi in merged(intervals))


def overlap_minutes(intervals: Iterable[Interval], within: Iterable[Interval]) -> int:
    """Minutes of the union of ``intervals`` that fall inside the union of ``within``."""
    inside: list[Interval] = []
    bounds = merged(within)
    for lo, hi in merged(intervals):
        for w_lo, w_hi in bounds:
            a, b = max(lo, w_lo), min(hi, w_hi)
            if a < b:
                inside.append((a, b))
    return minutes_of(inside)


def day_ranges(day: date, ranges: Iterable[tuple[time, time]]) -> list[Interval]:
    """Clock ranges of one day as datetime intervals."""
    return [(datetime.combine(day, a), datetime.combine(day, b)) for a, b in ranges]


def name_key(name: str) -> str:
    """Sorting key for people's names: accents and case ignored (Émile between Ed and Emma)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
