"""Attendance: done, cancelled and no-show sessions, per week and per patient.

Only sessions whose outcome is recorded count in the rates; planned and
confirmed sessions are "open" (in the future, or their outcome not entered yet).

- no-show rate = no-show / (done + no-show): of the patients expected in the
  chair, how many did not come;
- cancellation rate = cancelled / (done + no-show + cancelled): of the sessions
  that are over, how many were called off beforehand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.domain.records import Patient, Session
from planner.reports.period import Period, monday_of, name_key, percent, rate, week_label
from planner.reports.view import Chart, ReportView, Series, Table


@dataclass(frozen=True)
class Counts:
    done: int = 0
    cancelled: int = 0
    no_show: int = 0
    open: int = 0  # planned or confirmed

    @property
    def sessions(self) -> int:
        return self.done + self.cancelled + self.no_show + self.open

    @property
    def no_show_rate(self) -> float | None:
        return rate(self.no_show, self.done + self.no_show)

    @property
    def cancellation_rate(self) -> float | None:
        return rate(self.cancelled, self.done + self.no_show + self.cancelled)

    def add(self, status: str) -> Counts:
        field = status if status in ("done", "cancelled", "no_show") else "open"
        values = {
            "done": self.done,
            "cancelled": self.cancelled,
            "no_show": self.no_show,
            "open": self.open,
        }
        values[field] += 1
        return Counts(**values)

    def as_json(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "done": self.done,
            "cancelled": self.cancelled,
            "no_show": self.no_show,
            "open": self.open,
            "no_show_rate": self.no_show_rate,
            "cancellation_rate": self.cancellation_rate,
        }


@dataclass(frozen=True)
class AttendanceReport:
    period: Period
    total: Counts
    #: Monday of each ISO week the period touches -> counts (weeks without sessions too).
    weeks: dict[date, Counts]
    patients: tuple[tuple[Patient, Counts], ...]


def attendance(period: Period, sessions: Iterable[Session]) -> AttendanceReport:
    weeks: dict[date, Counts] = {}
    monday = monday_of(period.start)
    while monday <= period.end:
        weeks[monday] = Counts()
        monday = date.fromordinal(monday.toordinal() + 7)
    total = Counts()
    patients: dict[str, tuple[Patient, Counts]] = {}
    for s in sorted(sessions, key=lambda s: s.start):
        day = s.start.date()
        if day not in period:
            continue
        total = total.add(s.status)
        weeks[monday_of(day)] = weeks[monday_of(day)].add(s.status)
        patient, counts = patients.get(s.patient.ref, (s.patient, Counts()))
        patients[s.patient.ref] = (patient, counts.add(s.status))
    ordered = tuple(sorted(patients.values(), key=lambda pc: (name_key(pc[0].name), pc[0].ref)))
    return AttendanceReport(period, total, weeks, ordered)


def as_json(report: AttendanceReport) -> dict[str, Any]:
    return {
        "report": "attendance",
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "total": report.total.as_json(),
        "weeks": [
            {"week": week_label(m), "monday": m.isoformat(), **c.as_json()}
            for m, c in report.weeks.items()
        ],
        "patients": [{"patient": p.ref, "name": p.name, **c.as_json()} for p, c in report.patients],
    }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _row(label: str, c: Counts) -> tuple[str, ...]:
    return (
        label,
        str(c.sessions),
        str(c.done),
        str(c.cancelled),
        str(c.no_show),
        str(c.open),
        percent(c.no_show_rate),
        percent(c.cancellation_rate),
    )


_COLUMNS = ("Sessions", "Done", "Cancelled", "No-show", "Open", "No-show rate", "Cancellation rate")


def view(report: AttendanceReport) -> ReportView:
    labels = tuple(week_label(m) for m in report.weeks)
    chart = Chart(
        "line",
        "No-show and cancellation rate per week",
        labels,
        (
            Series("No-show rate", tuple(_pct(c.no_show_rate) for c in report.weeks.values())),
            Series(
                "Cancellation rate",
                tuple(_pct(c.cancellation_rate) for c in report.weeks.values()),
            ),
        ),
        "%",
        100.0,
    )
    weeks = Table(
        "Per week",
        ("Week", *_COLUMNS),
        tuple(_row(f"{week_label(m)} ({m:%d %b})", c) for m, c in report.weeks.items())
        + (_row("Whole period", report.total),),
        numeric=frozenset(range(1, 8)),
        total_row=True,
    )
    patients = Table(
        "Per patient",
        ("Patient", *_COLUMNS),
        tuple(_row(f"{p.name} ({p.ref})", c) for p, c in report.patients),
        numeric=frozenset(range(1, 8)),
    )
    t = report.total
    return ReportView(
        kind="attendance",
        title="Attendance",
        period=report.period.label(),
        summary=(
            f"{t.sessions} session(s): {t.done} done, {t.cancelled} cancelled, {t.no_show} "
            f"no-show, {t.open} open. No-show rate {percent(t.no_show_rate)}, cancellation "
            f"rate {percent(t.cancellation_rate)}.",
        ),
        charts=(chart,),
        tables=(weeks, patients),
        notes=(
            "No-show rate: no-shows / (done + no-shows). Cancellation rate: cancelled / (done "
            "+ no-shows + cancelled). Open sessions (planned or confirmed) are not in the rates.",
        ),
    )
