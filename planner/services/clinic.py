"""The clinic's settings: letterhead and logo, opening hours, policy (one version), closures.

Details, opening hours and policy are saved together by ``save_clinic_settings``:
one transaction, checked against the version of the clinic row that was shown,
which every saved part moves on. So a refused part saves nothing (and the next
Save is not mistaken for someone else's change), and two workstations editing
the clinic at once cannot silently overwrite each other. The clinic row is
created on the first save, so a fresh database can be set up from the GUI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from planner.db import mapping
from planner.db.engine import Database
from planner.db.models import AuditEvent, Closure, OpeningHours
from planner.db.models import Clinic as ClinicRowModel
from planner.domain import WEEKDAY_NAMES
from planner.domain.base import problems
from planner.domain.policy import Policy
from planner.domain.records import Clinic
from planner.domain.records import OpeningHours as OpeningRange
from planner.services.base import (
    ConcurrentEdit,
    NotFound,
    ValidationFailed,
    record_audit,
    unit_of_work,
)

#: Audit entities of the parts that share the clinic row's version.
_PARTS = ("clinic", "opening_hours", "policy")


@dataclass(frozen=True)
class ClinicSettings:
    """What the Clinic page shows: the clinic, its policy, and the version both were read at."""

    clinic: Clinic
    policy: Policy
    #: 0 while the clinic has never been saved.
    version: int


@dataclass(frozen=True)
class ClosureDay:
    """A day the clinic is closed, with the reason given (the record keeps the day only)."""

    day: date
    reason: str = ""


def _row(session: Session) -> ClinicRowModel | None:
    return session.scalars(select(ClinicRowModel).order_by(ClinicRowModel.id)).first()


def get_clinic_settings(db: Database) -> ClinicSettings:
    with db.begin() as session:
        row = _row(session)
        return ClinicSettings(
            clinic=mapping.read_clinic(session),
            policy=mapping.read_policy(session),
            version=row.version if row is not None else 0,
        )


def get_clinic(db: Database) -> Clinic:
    with db.begin() as session:
        return mapping.read_clinic(session)


def get_policy(db: Database) -> Policy:
    with db.begin() as session:
        return mapping.read_policy(session)


def settings_problems(
    clinic: Clinic | None = None, policy: Policy | None = None
) -> dict[str, str]:
    """Field → what is wrong with the clinic's details and hours and with the policy.

    The policy's own rule across fields (each low alert below its high one) is
    reported on the low alert it concerns (``alert_hr_below``, ``alert_rr_below``).
    """
    found: dict[str, str] = {}
    if clinic is not None:
        found.update(problems(clinic, skip=["closures"]))
    if policy is not None:
        for key, text in problems(policy).items():
            found[key or _low_alert_out_of_order(policy)] = text
    return found


def _low_alert_out_of_order(policy: Policy) -> str:
    if policy.alert_hr_below >= policy.alert_hr_above:
        return "alert_hr_below"
    return "alert_rr_below"


def _stale(session: Session) -> ConcurrentEdit:
    """The "changed by X at T — reload" refusal, naming the last change to the settings."""
    last = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity.in_(_PARTS))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return ConcurrentEdit(
            "The clinic settings were changed on another workstation since you opened them — "
            "reload to see the current version; nothing of yours was saved."
        )
    return ConcurrentEdit(
        f"The clinic settings were changed by {last.user} at {last.at:%Y-%m-%d %H:%M} — "
        "reload to see the current version; nothing of yours was saved.",
        changed_by=last.user,
        changed_at=last.at,
    )


def _hours_text(ranges: Sequence[OpeningRange]) -> list[str]:
    return [f"{WEEKDAY_NAMES[r.weekday]} {r.open:%H:%M}-{r.close:%H:%M}" for r in ranges]


def save_clinic_settings(
    db: Database,
    *,
    details: Clinic | None = None,
    opening_hours: Sequence[OpeningRange] | None = None,
    policy: Policy | None = None,
    expected_version: int | None = None,
    user: str | None = None,
) -> int:
    """Save any of: the letterhead (name, address, phone, logo of ``details``), the weekly
    opening hours (days without a range are closed), the policy (only what differs from
    the defaults is kept). All or nothing; returns the clinic's new version.

    ``expected_version`` is the version that was shown (0: none saved yet); a save
    against an older one is refused with who changed the settings and when.
    """
    with unit_of_work(db) as session:
        row = _row(session)
        if expected_version is not None and (row.version if row else 0) != expected_version:
            raise _stale(session)
        current = mapping.read_clinic(session)
        wanted = current
        if details is not None:
            wanted = replace(
                wanted,
                name=details.name,
                address=details.address,
                phone=details.phone,
                logo=details.logo,
            )
        if opening_hours is not None:
            wanted = replace(
                wanted, opening_hours=tuple(sorted(opening_hours, key=lambda r: (r.weekday, r.open)))
            )
        found = settings_problems(wanted if wanted != current else None, policy)
        if found:
            raise ValidationFailed(
                "Not saved: "
                + " ".join(f"{k.replace('_', ' ')}: {v}." for k, v in found.items()),
                found,
            )
        try:
            if row is None:
                row = ClinicRowModel(name="", address="", phone="", policy={})
                session.add(row)
                session.flush()
            if opening_hours is not None:
                _save_hours(session, current, wanted, user)
            if details is not None:
                _save_details(session, row, current, wanted, user)
            if policy is not None:
                _save_policy(session, row, policy, user)
            flag_modified(row, "policy")  # every save moves the version on, whatever it changed
            session.flush()
        except StaleDataError:  # another workstation saved between our check and our write
            raise _stale(session) from None
        return row.version


def _save_details(
    session: Session, row: ClinicRowModel, current: Clinic, wanted: Clinic, user: str | None
) -> None:
    def letterhead(c: Clinic) -> dict[str, Any]:
        return {"name": c.name, "address": c.address, "phone": c.phone, "logo": c.logo is not None}

    if (current.name, current.address, current.phone, current.logo) == (
        wanted.name,
        wanted.address,
        wanted.phone,
        wanted.logo,
    ):
        return
    mapping.write_clinic(row, wanted)
    record_audit(
        session,
        action="update",
        entity="clinic",
        summary=f"changed clinic details ({wanted.name})",
        before=letterhead(current),
        after=letterhead(wanted),
        user=user,
    )


def _save_hours(session: Session, current: Clinic, wanted: Clinic, user: str | None) -> None:
    if current.opening_hours == wanted.opening_hours:
        return
    for old in session.scalars(select(OpeningHours)).all():
        session.delete(old)
    session.flush()
    for r in wanted.opening_hours:
        session.add(OpeningHours(weekday=r.weekday, open_time=r.open, close_time=r.close))
    record_audit(
        session,
        action="update",
        entity="opening_hours",
        summary="changed opening hours",
        before={"hours": _hours_text(current.opening_hours)},
        after={"hours": _hours_text(wanted.opening_hours)},
        user=user,
    )


def _save_policy(session: Session, row: ClinicRowModel, policy: Policy, user: str | None) -> None:
    before = dict(row.policy or {})
    after = policy.overrides()
    if before == after:
        return
    row.policy = after
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    record_audit(
        session,
        action="update",
        entity="policy",
        summary="changed clinic policy: " + ", ".join(changed),
        before=before,
        after=dict(after),
        user=user,
    )


def set_logo(db: Database, logo: bytes | None) -> int:
    """Store (or clear, with None) the letterhead logo; returns the clinic's new version."""
    shown = get_clinic_settings(db)
    return save_clinic_settings(
        db, details=replace(shown.clinic, logo=logo), expected_version=shown.version
    )


def set_time_zone(db: Database, name: str) -> int:
    """Store the clinic's IANA time zone ("" = the computer's own); returns the new version."""
    shown = get_clinic_settings(db)
    return save_clinic_settings(
        db, policy=replace(shown.policy, time_zone=name), expected_version=shown.version
    )


# -- closures ----------------------------------------------------------------------------------


def list_closures(db: Database) -> list[ClosureDay]:
    with db.begin() as session:
        return [
            ClosureDay(c.day, c.reason)
            for c in session.scalars(select(Closure).order_by(Closure.day))
        ]


def add_closure(db: Database, day: date, reason: str = "") -> None:
    found = problems(Clinic(closures=(day,)), skip=["opening_hours"])
    if found:
        raise ValidationFailed(f"{day:%Y-%m-%d}: {found['closures']}", {"day": found["closures"]})
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
