"""What a report shows, in plain data: a title, summary lines, charts and tables.

One view feeds both the PDF (reportlab's charts and tables) and the Reports
page (a painted chart and table models), so paper and screen always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

ChartKind = Literal["bar", "line"]


@dataclass(frozen=True)
class Series:
    """One named row of values; None leaves a gap (a week without a known outcome)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """Bars or lines over ``labels`` (days, weeks, people); values in ``unit``."""

    kind: ChartKind
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # "%" or "h" or "" (counts)
    #: The highest the value axis goes when values have a natural top (100 for percentages).
    maximum: float | None = None

    @property
    def empty(self) -> bool:
        return not self.labels or all(v is None for s in self.series for v in s.values)


@dataclass(frozen=True)
class Table:
    """Rows of text under ``columns``; the ``numeric`` columns are right-aligned."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    #: The last row sums up the others (printed bold).
    total_row: bool = False


@dataclass(frozen=True)
class ReportView:
    kind: str
    title: str
    period: str
    summary: tuple[str, ...]
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]
    #: What the numbers mean, printed under the report.
    notes: tuple[str, ...] = ()


def axis_top(chart: Chart) -> tuple[float, float]:
    """The value axis' top and step: a round number above every value, at most the chart's
    own maximum (100 %), so small rates are not squeezed flat at the bottom."""
    highest = max((v for s in chart.series for v in s.values if v is not None), default=0.0)
    top = nice_ceiling(highest * 1.1) if highest > 0 else 1.0
    if chart.maximum is not None:
        top = min(top, chart.maximum)
    step = nice_ceiling(top / 5)
    return math.ceil(top / step) * step, step


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= value - 1e-9:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns
