"""Clinic settings: letterhead, opening hours, closures, protocols, policy, paper, consent template.

The clinic row is created on first save, so a fresh database can be set up from the GUI.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db.engine import Database
from planner.db.models import Clinic, Closure, Course, OpeningHours, Protocol
from planner.domain import WEEKDAY_NAMES
from planner.domain.fields import check_image
from planner.domain.policy import Policy
from planner.services.base import (
    REF_PREFIX,
    ConcurrentEdit,
    NotFound,
    ServiceError,
    ValidationFailed,
    next_ref,
    record_audit,
    unit_of_work,
)

_STALE = "were changed on another workstation since you opened them — reload; nothing was saved."


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    address: str = ""
    phone: str = ""
    #: PNG or JPEG bytes for the letterhead (None: no logo).
    logo: bytes | None = None
    version: int = 0  # 0 = not saved yet


@dataclass(frozen=True)
class OpeningRange:
    weekday: int  # 0 = Monday
    open: time
    close: time


@dataclass(frozen=True)
class ClosureDay:
    day: date
    reason: str = ""


@dataclass(frozen=True)
class ProtocolInput:
    name: str
    infusions: int = 6
    prep_minutes: int = 20
    infusion_minutes: int = 40
    recovery_minutes: int = 60
    min_hours_between: float = 48.0
    max_per_7_days: int = 3
    max_gap_days: int = 7
    dose_mg_per_kg: float = 0.5


@dataclass(frozen=True)
class ProtocolSnapshot(ProtocolInput):
    ref: str = ""
    version: int = 0
    courses: int = 0  # how many courses use it (a used protocol cannot be deleted)


def _clinic(session: Session) -> Clinic | None:
    return session.scalars(select(Clinic).order_by(Clinic.id)).first()


def _clinic_for_write(session: Session) -> Clinic:
    clinic = _clinic(session)
    if clinic is None:
        clinic = Clinic(name="", address="", phone="", policy={})
        session.add(clinic)
        session.flush()
    return clinic


def get_clinic(db: Database) -> ClinicInfo:
    with db.begin() as session:
        c = _clinic(session)
        if c is None:
            return ClinicInfo(name="")
        return ClinicInfo(c.name, c.address, c.phone, c.logo, c.version)


def validate_clinic(info: ClinicInfo) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not info.name.strip():
        problems["name"] = "Enter the clinic's name (it heads every printed page)."
    for key, limit in (("name", 200), ("address", 400), ("phone", 80)):
        if len(getattr(info, key)) > limit:
            problems[key] = f"At most {limit} characters."
    if info.logo is not None:
        try:
            check_image(info.logo)
        except ValueError as exc:
            problems["logo"] = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
    return problems


def update_clinic(db: Database, info: ClinicInfo) -> None:
    """Save name, address, phone and logo (``info.version`` is the version that was shown)."""
    problems = validate_clinic(info)
    if problems:
        raise ValidationFailed("Not saved: " + " ".join(problems.values()), problems)
    with unit_of_work(db) as session:
        clinic = _clinic_for_write(session)
        if info.version and clinic.version != info.version:
            raise ConcurrentEdit("The clinic details " + _STALE)
        before = {"name": clinic.name, "address": clinic.address, "phone": clinic.phone}
        clinic.name = info.name.strip()
        clinic.address = info.address.strip()
        clinic.phone = info.phone.strip()
        clinic.logo = info.logo
        record_audit(
            session,
            action="update",
            entity="clinic",
            summary=f"changed clinic details ({clinic.name})",
            before=before,
            after={"name": clinic.name, "address": clinic.address, "phone": clinic.phone},
        )


# -- opening hours and closures ---------------------------------------------------------------


def get_opening_hours(db: Database) -> list[OpeningRange]:
    with db.begin() as session:
        rows = session.scalars(
            select(OpeningHours).order_by(OpeningHours.weekday, OpeningHours.open_time)
        )
        return [OpeningRange(h.weekday, h.open_time, h.close_time) for h in rows]


def validate_opening_hours(ranges: list[OpeningRange]) -> dict[str, str]:
    by_day: dict[int, list[OpeningRange]] = {}
    for r in ranges:
        if not 0 <= r.weekday <= 6:
            return {"opening_hours": f"Weekday {r.weekday} is not a day of the week."}
        if r.close <= r.open:
            return {
                "opening_hours": f"{WEEKDAY_NAMES[r.weekday]}: closing ({r.close:%H:%M}) must be "
                f"after opening ({r.open:%H:%M})."
            }
        by_day.setdefault(r.weekday, []).append(r)
    for day, items in by_day.items():
        items.sort(key=lambda r: r.open)
        for a, b in zip(items, items[1:], strict=False):
            if b.open < a.close:
                return {"opening_hours": f"{WEEKDAY_NAMES[day]}: two opening ranges overlap."}
    return {}


def set_opening_hours(db: Database, ranges: list[OpeningRange]) -> None:
    """Replace the weekly opening hours (days without a range are closed)."""
    problems = validate_opening_hours(ranges)
    if problems:
        raise ValidationFailed("Not saved: " + problems["opening_hours"], problems)
    with unit_of_work(db) as session:
        old = session.scalars(select(OpeningHours)).all()
        before = [
            f"{WEEKDAY_NAMES[h.weekday]} {h.open_time:%H:%M}-{h.close_time:%H:%M}" for h in old
        ]
        for h in old:
            session.delete(h)
        session.flush()
        for r in sorted(ranges, key=lambda r: (r.weekday, r.open)):
            session.add(OpeningHours(weekday=r.weekday, open_time=r.open, close_time=r.close))
        after = [f"{WEEKDAY_NAMES[r.weekday]} {r.open:%H:%M}-{r.close:%H:%M}" for r in ranges]
        record_audit(
            session,
            action="update",
            entity="opening_hours",
            summary="changed opening hours",
            before={"hours": before},
            after={"hours": after},
        )


def list_closures(db: Database) -> list[ClosureDay]:
    with db.begin() as session:
        return [
            ClosureDay(c.day, c.reason)
            for c in session.scalars(select(Closure).order_by(Closure.day))
        ]


def add_closure(db: Database, day: date, reason: str = "") -> None:
    with unit_of_work(db) as session:
        if session.scalars(select(Closure).where(Closure.day == day)).first() is not None:
            raise ValidationFailed(
                f"{day:%Y-%m-%d} is already a closure day.", {"day": "already a closure day"}
            )
        session.add(Closure(day=day, reason=reason.strip()[:200]))
        record_audit(
            session,
            action="create",
            entity="closure",
            ref=day.isoformat(),
            summary=f"clinic closed on {day:%Y-%m-%d}"
            + (f" ({reason.strip()})" if reason.strip() else ""),
        )


def remove_closure(db: Database, day: date) -> None:
    with unit_of_work(db) as session:
        row = session.scalars(select(Closure).where(Closure.day == day)).first()
        if row is None:
            raise NotFound(f"{day:%Y-%m-%d} is not a closure day")
        session.delete(row)
        record_audit(
            session,
            action="delete",
            entity="closure",
            ref=day.isoformat(),
            summary=f"clinic open again on {day:%Y-%m-%d}",
        )


# -- protocols ---------------------------------------------------------------------------------

_PROTOCOL_LIMITS: dict[str, tuple[float, float, str]] = {
    "infusions": (1, 200, "infusions"),
    "prep_minutes": (0, 1440, "minutes"),
    "infusion_minutes": (1, 1440, "minutes"),
    "recovery_minutes": (0, 1440, "minutes"),
    "min_hours_between": (0, 24 * 365, "hours"),
    "max_per_7_days": (1, 50, "infusions"),
    "max_gap_days": (1, 3650, "days"),
    "dose_mg_per_kg": (0.01, 20, "mg/kg"),
}


def validate_protocol(data: ProtocolInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not data.name.strip():
        problems["name"] = "Enter the protocol's name."
    elif len(data.name.strip()) > 200:
        problems["name"] = "At most 200 characters."
    for key, (low, high, unit) in _PROTOCOL_LIMITS.items():
        value = getattr(data, key)
        if not low <= value <= high:
            problems[key] = f"Must be between {low:g} and {high:g} {unit}."
    return problems


def list_protocols(db: Database) -> list[ProtocolSnapshot]:
    with db.begin() as session:
        used = dict(
            session.execute(
                select(Course.protocol_id, func.count()).group_by(Course.protocol_id)
            ).all()
        )
        return [
            ProtocolSnapshot(
                **{f.name: getattr(p, f.name) for f in dataclasses.fields(ProtocolInput)},
                ref=p.ref,
                version=p.version,
                courses=int(used.get(p.id, 0)),
            )
            for p in session.scalars(select(Protocol).order_by(Protocol.name, Protocol.ref))
        ]


def _protocol_state(p: Protocol) -> dict[str, Any]:
    return {f.name: getattr(p, f.name) for f in dataclasses.fields(ProtocolInput)}


def _check_protocol(session: Session, data: ProtocolInput, ref: str | None) -> None:
    problems = validate_protocol(data)
    if "name" not in problems:
        clash = session.scalars(
            select(Protocol.ref).where(func.lower(Protocol.name) == data.name.strip().lower())
        ).first()
        if clash is not None and clash != ref:
            problems["name"] = f"Protocol {clash} already has this name."
    if problems:
        raise ValidationFailed(
            "The protocol cannot be saved: " + " ".join(problems.values()), problems
        )


def create_protocol(db: Database, data: ProtocolInput) -> str:
    with unit_of_work(db) as session:
        _check_protocol(session, data, None)
        prefix, width = REF_PREFIX["protocol"]
        protocol = Protocol(ref=next_ref(session, Protocol, prefix, width))
        for key, value in _protocol_state_of(data).items():
            setattr(protocol, key, value)
        session.add(protocol)
        session.flush()
        record_audit(
            session,
            action="create",
            entity="protocol",
            ref=protocol.ref,
            summary=f"added protocol {protocol.name}",
            after=_protocol_state(protocol),
        )
        return protocol.ref


def _protocol_state_of(data: ProtocolInput) -> dict[str, Any]:
    values = {f.name: getattr(data, f.name) for f in dataclasses.fields(ProtocolInput)}
    values["name"] = data.name.strip()
    return values


def update_protocol(db: Database, ref: str, data: ProtocolInput, *, expected_version: int) -> None:
    """Change a protocol; sessions without their own durations follow the new ones."""
    with unit_of_work(db) as session:
        protocol = session.scalars(select(Protocol).where(Protocol.ref == ref)).first()
        if protocol is None:
            raise NotFound(f"no protocol with ref {ref!r}")
        if protocol.version != expected_version:
            raise ConcurrentEdit(
                f"Protocol {protocol.name} was changed on another workstation — reload; nothing was saved."
            )
        _check_protocol(session, data, ref)
        before = _protocol_state(protocol)
        for key, value in _protocol_state_of(data).items():
            setattr(protocol, key, value)
        session.flush()
        record_audit(
            session,
            action="update",
            entity="protocol",
            ref=ref,
            summary=f"changed protocol {protocol.name}",
            before=before,
            after=_protocol_state(protocol),
        )


def delete_protocol(db: Database, ref: str) -> None:
    """Remove a protocol no course uses (a used one stays, for the courses' history)."""
    with unit_of_work(db) as session:
        protocol = session.scalars(select(Protocol).where(Protocol.ref == ref)).first()
        if protocol is None:
            raise NotFound(f"no protocol with ref {ref!r}")
        used = session.scalar(
            select(func.count()).select_from(Course).where(Course.protocol_id == protocol.id)
        )
        if used:
            raise ServiceError(
                f"Protocol {protocol.name} is used by "
                + ("1 course" if used == 1 else f"{used} courses")
                + " and cannot be deleted."
            )
        record_audit(
            session,
            action="delete",
            entity="protocol",
            ref=ref,
            summary=f"deleted protocol {protocol.name}",
            before=_protocol_state(protocol),
        )
        session.delete(protocol)


# -- policy, paper size, consent template --------------------------------------------------------


def get_policy(db: Database) -> Policy:
    with db.begin() as session:
        clinic = _clinic(session)
        return Policy.from_overrides(clinic.policy if clinic else None)


def validate_policy(policy: Policy) -> dict[str, str]:
    problems: dict[str, str] = {}
    for role, limit in policy.concurrent_limit.items():
        if not 1 <= int(limit) <= 20:
            problems[f"concurrent_limit.{role}"] = "Between 1 and 20 patients at once."
    checks = {
        "alert_systolic_above": (60, 300),
        "alert_diastolic_above": (30, 200),
        "alert_hr_above": (40, 250),
        "alert_hr_below": (20, 120),
        "alert_spo2_below": (50, 100),
        "fasting_solids_hours": (0, 24),
        "fasting_clear_liquids_hours": (0, 24),
        "no_substances_hours": (0, 168),
        "vitals_every_minutes_infusion": (1, 120),
        "vitals_every_minutes_recovery": (1, 120),
        "discharge_min_aldrete": (0, 10),
        "credential_warning_days": (0, 365),
        "backups_keep": (1, 1000),
    }
    for key, (low, high) in checks.items():
        if not low <= getattr(policy, key) <= high:
            problems[key] = f"Must be between {low} and {high}."
    if policy.alert_hr_below >= policy.alert_hr_above:
        problems["alert_hr_below"] = "The low heart-rate alert must be below the high one."
    if policy.paper_size not in ("A4", "Letter"):
        problems["paper_size"] = "A4 or Letter."
    return problems


def set_policy(db: Database, policy: Policy) -> None:
    """Store the policy (only what differs from the defaults is kept)."""
    problems = validate_policy(policy)
    if problems:
        raise ValidationFailed(
            "The policy cannot be saved: " + " ".join(problems.values()), problems
        )
    with unit_of_work(db) as session:
        clinic = _clinic_for_write(session)
        before = dict(clinic.policy or {})
        clinic.policy = policy.overrides()
        record_audit(
            session,
            action="update",
            entity="policy",
            summary="changed clinic policy: "
            + (
                ", ".join(
                    sorted(
                        k
                        for k in set(before) | set(clinic.policy)
                        if before.get(k) != clinic.policy.get(k)
                    )
                )
                or "no change"
            ),
            before=before,
            after=dict(clinic.policy),
        )


def update_policy(db: Database, **changes: Any) -> Policy:
    """Change some policy values, keeping the rest; returns the new policy."""
    current = get_policy(db)
    try:
        policy = dataclasses.replace(current, **changes)
    except TypeError as exc:
        raise ValidationFailed(f"Unknown policy setting: {exc}") from exc
    set_policy(db, policy)
    return policy


def set_paper_size(db: Database, size: str) -> None:
    normal = {"a4": "A4", "letter": "Letter"}.get(size.strip().lower())
    if normal is None:
        raise ValidationFailed(
            f"Paper size must be A4 or Letter, not {size!r}.", {"paper_size": "A4 or Letter"}
        )
    update_policy(db, paper_size=normal)
