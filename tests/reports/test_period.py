"""The arithmetic every report shares: periods, overlapping chair times, rates, chart axes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.reports.period import Period, minutes_of, name_key, overlap_minutes, rate
from planner.reports.view import Chart, Series, axis_top


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 7, hour, minute)


def test_overlapping_times_count_once_and_only_inside() -> None:
    held = [(at(10), at(12)), (at(11), at(13)), (at(16), at(18))]
    assert minutes_of(held) == 180 + 120
    opening = [(at(8), at(12)), (at(13), at(17))]
    # 10-12 inside the morning, 12-13 over lunch, 16-17 inside, 17-18 after closing.
    assert overlap_minutes(held, opening) == 120 + 60


def test_rates_are_rounded_fractions_or_none() -> None:
    assert rate(1, 3) == 0.3333
    assert rate(2, 3) == 0.6667
    assert rate(5, 0) is None


def test_periods_are_checked() -> None:
    assert len(list(Period(date(2026, 12, 7), date(2026, 12, 13)).days())) == 7
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 12, 7), date(2026, 12, 6))
    with pytest.raises(ValueError, match="at most"):
        Period(date(2020, 1, 1), date(2026, 1, 1))


def test_names_sort_as_people_expect() -> None:
    names = ["Emma", "zoë", "Émile", "Ed", "Алексей", "Lena"]
    assert sorted(names, key=name_key) == ["Ed", "Émile", "Emma", "Lena", "zoë", "Алексей"]


@pytest.mark.parametrize(
    ("values", "maximum", "expected"),
    [
        ((25.0, 15.0, None), 100.0, (50.0, 10.0)),  # small rates are not squeezed at the bottom
        ((96.0,), 100.0, (100.0, 20.0)),  # never past 100 %
        ((3.0, 7.0), None, (10.0, 2.0)),
        ((None,), None, (1.0, 0.2)),  # nothing to show: a plain 0..1 axis
    ],
)
def test_chart_axes_end_on_a_round_number(
    values: tuple[float | None, ...], maximum: float | None, expected: tuple[float, float]
) -> None:
    chart = Chart("bar", "t", tuple("abc"[: len(values)]), (Series("s", values),), "%", maximum)
    assert axis_top(chart) == expected
