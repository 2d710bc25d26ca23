"""Staff hours: time booked in sessions against time on duty, per person and per role.

On duty: the person's weekly hours on each day of the period, except leave
days and the clinic's closure days. Booked: the chair time of the planned,
confirmed and done sessions the person is assigned to, counted once where
sessions overlap (a nurse watching two patients at once is booked once for
that time). Booked time outside the weekly hours still counts, so the rate
can exceed 100 % — the ``check`` command names such sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.domain import ROLE_LABELS, ROLES
from planner.domain.records import Clinic, Session, StaffMember
from planner.reports.period import (
    Interval,
    Period,
    day_ranges,
    hours,
    minutes_of,
    name_key,
    percent,
    rate,
)
from planner.reports.view import Chart, ReportView, Series, Table

#: A chart shows at most this many people (the busiest); the table lists everyone.
CHART_PEOPLE = 24


@dataclass(frozen=True)
class RoleTime:
    role: str
    booked_minutes: int
    sessions: int


@dataclass(frozen=True)
class PersonHours:
    member: StaffMember
    on_duty_minutes: int
    booked_minutes: int
    sessions: int
    by_role: tuple[RoleTime, ...]

    @property
    def rate(self) -> float | None:
        return rate(self.booked_minutes, self.on_duty_minutes)


@dataclass(frozen=True)
class RoleHours:
    """Everyone holding ``role``: their time on duty, and what they were booked for in it."""

    role: str
    people: int
    on_duty_minutes: int
    booked_minutes: int
    sessions: int

    @property
    def rate(self) -> float | None:
        return rate(self.booked_minutes, self.on_duty_minutes)


@dataclass(frozen=True)
class StaffHoursReport:
    period: Period
    people: tuple[PersonHours, ...]
    roles: tuple[RoleHours, ...]

    @property
    def on_duty_minutes(self) -> int:
        return sum(p.on_duty_minutes for p in self.people)

    @property
    def booked_minutes(self) -> int:
        return sum(p.booked_minutes for p in self.people)


def duty_ranges(member: StaffMember, clinic: Clinic, day: date) -> list[Interval]:
    """When ``member`` is on duty on ``day``: weekly hours, none on leave or closure days."""
    if day in clinic.closures or member.on_leave(day):
        return []
    return day_ranges(day, ((h.start, h.end) for h in member.hours if h.weekday == day.weekday()))


def staff_hours(
    period: Period, clinic: Clinic, staff: Iterable[StaffMember], sessions: Iterable[Session]
) -> StaffHoursReport:
    """``staff``: the people in service (anyone assigned to one of ``sessions`` is added)."""
    members = {m.ref: m for m in staff}
    # staff ref -> role -> session ref -> chair time
    held: dict[str, dict[str, dict[str, Interval]]] = {}
    for s in sessions:
        if not (s.active and s.start.date() in period):
            continue
        for a in s.assignments:
            members.setdefault(a.staff.ref, a.staff)
            held.setdefault(a.staff.ref, {}).setdefault(a.role, {})[s.ref] = (s.start, s.end)
    people = []
    for member in sorted(members.values(), key=lambda m: (name_key(m.name), m.ref)):
        duty = [r for day in period.days() for r in duty_ranges(member, clinic, day)]
        roles = held.get(member.ref, {})
        every = {ref: times for by_ref in roles.values() for ref, times in by_ref.items()}
        people.append(
            PersonHours(
                member=member,
                on_duty_minutes=minutes_of(duty),
                booked_minutes=minutes_of(every.values()),
                sessions=len(every),
                by_role=tuple(
                    RoleTime(role, minutes_of(roles[role].values()), len(roles[role]))
                    for role in ROLES
                    if role in roles
                ),
            )
        )
    return StaffHoursReport(period, tuple(people), _by_role(people))


def _by_role(people: list[PersonHours]) -> tuple[RoleHours, ...]:
    out = []
    for role in ROLES:
        holders = [
            p for p in people if role in p.member.roles or any(r.role == role for r in p.by_role)
        ]
        if not holders:
            continue
        out.append(
            RoleHours(
                role=role,
                people=len(holders),
                on_duty_minutes=sum(p.on_duty_minutes for p in holders),
                booked_minutes=sum(_time_in(p, role).booked_minutes for p in holders),
                sessions=sum(_time_in(p, role).sessions for p in holders),
            )
        )
    return tuple(out)


def _time_in(person: PersonHours, role: str) -> RoleTime:
    return next((r for r in person.by_role if r.role == role), RoleTime(role, 0, 0))


def as_json(report: StaffHoursReport) -> dict[str, Any]:
    return {
        "report": "staff-hours",
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "total": {
            "on_duty_minutes": report.on_duty_minutes,
            "booked_minutes": report.booked_minutes,
            "rate": rate(report.booked_minutes, report.on_duty_minutes),
        },
        "staff": [
            {
                "staff": p.member.ref,
                "name": p.member.name,
                "roles": list(p.member.roles),
                "on_duty_minutes": p.on_duty_minutes,
                "booked_minutes": p.booked_minutes,
                "sessions": p.sessions,
                "rate": p.rate,
                "by_role": [
                    {"role": r.role, "booked_minutes": r.booked_minutes, "sessions": r.sessions}
                    for r in p.by_role
                ],
            }
            for p in report.people
        ],
        "roles": [
            {
                "role": r.role,
                "people": r.people,
                "on_duty_minutes": r.on_duty_minutes,
                "booked_minutes": r.booked_minutes,
                "sessions": r.sessions,
                "rate": r.rate,
            }
            for r in report.roles
        ],
    }


def _chart(report: StaffHoursReport) -> Chart:
    shown = sorted(
        report.people, key=lambda p: (-max(p.booked_minutes, p.on_duty_minutes), p.member.name)
    )[:CHART_PEOPLE]
    shown.sort(key=lambda p: (name_key(p.member.name), p.member.ref))
    title = "Hours booked and on duty per person"
    if len(shown) < len(report.people):
        title += f" (the {len(shown)} busiest)"
    return Chart(
        "bar",
        title,
        tuple(p.member.name for p in shown),
        (
            Series("On duty", tuple(round(p.on_duty_minutes / 60, 1) for p in shown)),
            Series("Booked", tuple(round(p.booked_minutes / 60, 1) for p in shown)),
        ),
        "h",
    )


def _roles_text(member: StaffMember) -> str:
    return ", ".join(ROLE_LABELS.get(r, r) for r in member.roles)


def view(report: StaffHoursReport) -> ReportView:
    people = Table(
        "Per person",
        ("Staff member", "Roles", "On duty", "Booked", "Sessions", "Booked / on duty"),
        tuple(
            (
                f"{p.member.name} ({p.member.ref})",
                _roles_text(p.member),
                hours(p.on_duty_minutes),
                hours(p.booked_minutes),
                str(p.sessions),
                percent(p.rate),
            )
            for p in report.people
        ),
        numeric=frozenset({2, 3, 4, 5}),
    )
    roles = Table(
        "Per role",
        ("Role", "People", "On duty", "Booked in the role", "Sessions", "Booked / on duty"),
        tuple(
            (
                ROLE_LABELS.get(r.role, r.role),
                str(r.people),
                hours(r.on_duty_minutes),
                hours(r.booked_minutes),
                str(r.sessions),
                percent(r.rate),
            )
            for r in report.roles
        ),
        numeric=frozenset({1, 2, 3, 4, 5}),
    )
    total_rate = rate(report.booked_minutes, report.on_duty_minutes)
    return ReportView(
        kind="staff-hours",
        title="Staff hours",
        period=report.period.label(),
        summary=(
            f"{len(report.people)} staff member(s): {hours(report.booked_minutes)} booked of "
            f"{hours(report.on_duty_minutes)} on duty ({percent(total_rate)}).",
        ),
        charts=(_chart(report),),
        tables=(people, roles),
        notes=(
            "On duty: weekly hours, except leave and the clinic's closure days. Booked: chair "
            "time of planned, confirmed and done sessions, counted once where they overlap.",
            "Per role: everyone holding the role (a person with two roles counts in both) and "
            "the time they were booked in that role.",
        ),
    )
