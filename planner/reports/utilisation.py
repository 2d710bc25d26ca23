"""Chair utilisation: booked chair time against open chair time, per chair and day.

Open chair time is the clinic's opening hours of the day (none on a closure
day) for every chair in use. Booked chair time is the chair time
(preparation + infusion + recovery) of the sessions that still hold the chair
— planned, confirmed and done; cancelled and no-show sessions free it —
counted once where two overlap, and only inside the opening hours: what lies
outside is reported on its own (``outside_minutes``), so the rate never
exceeds 100 %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.domain.records import Chair, Clinic, Session
from planner.reports.period import (
    Interval,
    Period,
    day_ranges,
    hours,
    minutes_of,
    monday_of,
    overlap_minutes,
    percent,
    rate,
    week_label,
)
from planner.reports.view import Chart, ReportView, Series, Table

#: A chart shows one bar per day up to this many days, else one bar per week.
DAILY_CHART_DAYS = 31


@dataclass(frozen=True)
class Usage:
    """Minutes of one chair (or all) on one day (or the period)."""

    open_minutes: int = 0
    booked_minutes: int = 0
    outside_minutes: int = 0
    sessions: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.booked_minutes, self.open_minutes)

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.open_minutes + other.open_minutes,
            self.booked_minutes + other.booked_minutes,
            self.outside_minutes + other.outside_minutes,
            self.sessions + other.sessions,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "open_minutes": self.open_minutes,
            "booked_minutes": self.booked_minutes,
            "outside_minutes": self.outside_minutes,
            "sessions": self.sessions,
            "rate": self.rate,
        }


@dataclass(frozen=True)
class ChairUsage:
    chair: Chair
    days: dict[date, Usage]

    @property
    def total(self) -> Usage:
        return sum(self.days.values(), Usage())


@dataclass(frozen=True)
class UtilisationReport:
    period: Period
    days: tuple[date, ...]
    chairs: tuple[ChairUsage, ...]

    def day_total(self, day: date) -> Usage:
        return sum((c.days[day] for c in self.chairs), Usage())

    @property
    def total(self) -> Usage:
        return sum((c.total for c in self.chairs), Usage())


def open_ranges(clinic: Clinic, day: date) -> list[Interval]:
    """The clinic's opening hours on ``day`` (none on a closure day)."""
    if day in clinic.closures:
        return []
    return day_ranges(
        day, ((h.open, h.close) for h in clinic.opening_hours if h.weekday == day.weekday())
    )


def utilisation(
    period: Period, clinic: Clinic, chairs: Iterable[Chair], sessions: Iterable[Session]
) -> UtilisationReport:
    """Per chair and day of ``period``; ``chairs``: those in use (a chair that was retired
    still counts where one of ``sessions`` sits in it)."""
    booked: dict[tuple[str, date], list[Session]] = {}
    chair_by_ref = {c.ref: c for c in chairs}
    for s in sessions:
        if s.active and s.start.date() in period:
            booked.setdefault((s.chair.ref, s.start.date()), []).append(s)
            chair_by_ref.setdefault(s.chair.ref, s.chair)
    opens = {day: open_ranges(clinic, day) for day in period.days()}
    busy = {day for _chair, day in booked}
    days = tuple(d for d in period.days() if opens[d] or d in busy)
    rows = []
    for chair in sorted(chair_by_ref.values(), key=lambda c: c.ref):
        per_day: dict[date, Usage] = {}
        for day in days:
            held = [(s.start, s.end) for s in booked.get((chair.ref, day), ())]
            inside = overlap_minutes(held, opens[day])
            per_day[day] = Usage(
                open_minutes=minutes_of(opens[day]),
                booked_minutes=inside,
                outside_minutes=minutes_of(held) - inside,
                sessions=len(held),
            )
        rows.append(ChairUsage(chair, per_day))
    return UtilisationReport(period, days, tuple(rows))


def as_json(report: UtilisationReport) -> dict[str, Any]:
    return {
        "report": "utilisation",
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "total": report.total.as_json(),
        "days": [{"date": d.isoformat(), **report.day_total(d).as_json()} for d in report.days],
        "chairs": [
            {
                "chair": c.chair.ref,
                "name": c.chair.name,
                **c.total.as_json(),
                "days": [{"date": d.isoformat(), **u.as_json()} for d, u in c.days.items()],
            }
            for c in report.chairs
        ],
    }


def _chart(report: UtilisationReport) -> Chart:
    if len(report.days) <= DAILY_CHART_DAYS:
        labels = tuple(f"{d:%a %d %b}" for d in report.days)
        values = tuple(_pct(report.day_total(d).rate) for d in report.days)
        title = "Chair utilisation per day (booked / open chair time)"
    else:
        weeks: dict[date, Usage] = {}
        for d in report.days:
            weeks[monday_of(d)] = weeks.get(monday_of(d), Usage()) + report.day_total(d)
        labels = tuple(week_label(m) for m in weeks)
        values = tuple(_pct(u.rate) for u in weeks.values())
        title = "Chair utilisation per week (booked / open chair time)"
    return Chart("bar", title, labels, (Series("All chairs", values),), "%", 100.0)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def view(report: UtilisationReport) -> ReportView:
    total = report.total
    chairs = Table(
        "Per chair",
        ("Chair", "Open", "Booked", "Outside hours", "Sessions", "Utilisation"),
        tuple(
            (
                f"{c.chair.name} ({c.chair.ref})",
                hours(c.total.open_minutes),
                hours(c.total.booked_minutes),
                hours(c.total.outside_minutes),
                str(c.total.sessions),
                percent(c.total.rate),
            )
            for c in report.chairs
        )
        + (
            (
                "All chairs",
                hours(total.open_minutes),
                hours(total.booked_minutes),
                hours(total.outside_minutes),
                str(total.sessions),
                percent(total.rate),
            ),
        ),
        numeric=frozenset({1, 2, 3, 4, 5}),
        total_row=True,
    )
    by_day = Table(
        "Per day and chair (utilisation)",
        ("Day", *(c.chair.name for c in report.chairs), "All chairs"),
        tuple(
            (
                f"{d:%a %Y-%m-%d}",
                *(percent(c.days[d].rate) for c in report.chairs),
                percent(report.day_total(d).rate),
            )
            for d in report.days
        ),
        numeric=frozenset(range(1, len(report.chairs) + 2)),
    )
    return ReportView(
        kind="utilisation",
        title="Chair utilisation",
        period=report.period.label(),
        summary=(
            f"{percent(total.rate)} of open chair time booked: {hours(total.booked_minutes)} "
            f"of {hours(total.open_minutes)} over {len(report.chairs)} chair(s) and "
            f"{len(report.days)} day(s); {total.sessions} session(s).",
        )
        + (
            (f"{hours(total.outside_minutes)} of chair time booked outside opening hours.",)
            if total.outside_minutes
            else ()
        ),
        charts=(_chart(report),),
        tables=(chairs, by_day),
        notes=(
            "Booked: chair time (preparation + infusion + recovery) of planned, confirmed and "
            "done sessions inside opening hours; cancelled and no-show sessions free the chair.",
            "Open: the clinic's opening hours for every chair in use; closure days have none.",
        ),
    )
