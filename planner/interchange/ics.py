"""Calendar files (RFC 5545) of sessions: for one staff member, one patient, or the clinic.

Calendars leave the clinic's machines (phones, shared calendars), so by default
an event names no patient — no name, date of birth or record number — only the
session ref, the chair and the role(s); ``with_names`` adds the patient's name.

- UID: the session ref and the clinic's id (:func:`clinic_id`), the same in
  every export, so importing a newer file updates events instead of adding
  them; SEQUENCE is the session's row version, so the newer one wins.
- Times: the planner keeps local clock times without a zone; they are written
  in the clinic's IANA zone with its VTIMEZONE, so a calendar in another zone
  (or across a daylight-saving change) shows the right moment.
- Cancelled sessions stay in the file as ``STATUS:CANCELLED`` (a re-import
  removes them from view); planned ones are TENTATIVE, the rest CONFIRMED.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from planner.domain import PSYCHIATRIST, ROLE_LABELS
from planner.domain.records import Session

ScopeKind = Literal["staff", "patient", "clinic"]

_STATUS = {"planned": "TENTATIVE", "cancelled": "CANCELLED"}


class ZoneUnknown(ValueError):
    """The clinic's time zone is not set and this computer's cannot be named."""


@dataclass(frozen=True)
class Scope:
    """Whose calendar: a staff member's (``ref``), a patient's, or the whole clinic's."""

    kind: ScopeKind
    ref: str = ""
    #: What the calendar is called after the clinic's name ("Dr Ana Silva", "P-0001").
    label: str = "all sessions"


def clinic_id(clinic_name: str) -> str:
    """The clinic's part of every UID: its name in lower-case ASCII words (``lakeside-clinic``).

    Stable while the clinic keeps its name; a renamed clinic's calendars get new
    events (delete the old calendar before importing the new one).
    """
    ascii_name = unicodedata.normalize("NFKD", clinic_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].strip("-") or "clinic"


def uid(session_ref: str, clinic: str) -> str:
    return f"{session_ref}.{clinic}@infusion-planner"


def computer_zone_name() -> str | None:
    """The IANA name of this computer's time zone, when it can be found (Linux, macOS)."""
    candidates: list[str] = []
    tz = os.environ.get("TZ", "").lstrip(":").strip()
    if tz:
        candidates.append(tz)
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if _loads(name):
            return name
    return None


def _loads(name: str) -> bool:
    if not name or name.startswith("/") or name.lower() == "localtime":
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return False
    return True


def resolve_zone(policy_zone: str) -> str:
    """The clinic's zone: the policy's, else this computer's; ZoneUnknown when neither."""
    if policy_zone:
        return policy_zone
    found = computer_zone_name()
    if found is None:
        raise ZoneUnknown(
            "the clinic's time zone is not set and this computer's cannot be named; set it "
            "with `clinic time-zone NAME`, e.g. `clinic time-zone Europe/London`"
        )
    return found


def _roles(session: Session, staff_ref: str | None) -> list[str]:
    """Role labels of the session's staff (only ``staff_ref``'s when given), psychiatrist first."""
    out = []
    for a in sorted(session.assignments, key=lambda a: a.role != PSYCHIATRIST):
        if staff_ref is None or a.staff.ref == staff_ref:
            out.append(ROLE_LABELS.get(a.role, a.role))
    return out


def _description(session: Session, scope: Scope, with_names: bool) -> str:
    chair = session.chair
    lines = [f"Session {session.ref}"]
    if with_names:
        lines.append(f"Patient: {session.patient.name}")
    lines.append(f"Chair: {chair.name}" + (f" ({chair.room})" if chair.room else ""))
    if scope.kind == "staff":
        lines.append("Role: " + ", ".join(_roles(session, scope.ref)))
    else:
        staffed = [
            f"{a.staff.name} ({ROLE_LABELS.get(a.role, a.role).lower()})"
            for a in sorted(session.assignments, key=lambda a: a.role != PSYCHIATRIST)
        ]
        lines.append("Staff: " + ("; ".join(staffed) or "not assigned yet"))
    lines.append(f"Status: {session.status.replace('_', '-')}")
    lines.append(
        f"Chair time {session.start:%H:%M}–{session.end:%H:%M}: preparation "
        f"{session.prep_minutes} min, infusion {session.infusion_minutes} min, recovery "
        f"{session.recovery_minutes} min"
    )
    return "\n".join(lines)


def _summary(session: Session, scope: Scope, with_names: bool) -> str:
    parts = [f"Infusion {session.ref}", session.chair.name]
    if scope.kind == "staff":
        parts.append(", ".join(_roles(session, scope.ref)))
    text = " · ".join(p for p in parts if p)
    if with_names:
        text = f"{session.patient.name} — {text}"
    return text


def calendar(
    sessions: Iterable[Session],
    *,
    scope: Scope,
    zone: str,
    clinic_name: str,
    stamp: datetime,
    versions: Mapping[str, int] | None = None,
    with_names: bool = False,
) -> bytes:
    """The sessions as one VCALENDAR (bytes, CRLF lines); ``stamp``: when it was made."""
    from icalendar import Calendar, Event, Timezone

    from planner import __version__

    tz = ZoneInfo(zone)
    clinic = clinic_id(clinic_name)
    versions = versions or {}
    cal = Calendar()
    cal.add("prodid", f"-//Infusion Planner//Infusion Planner {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{clinic_name or 'Clinic'} — {scope.label}")
    cal.add("x-wr-timezone", zone)
    stamp_utc = stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    ordered = sorted(sessions, key=lambda s: (s.start, s.chair.ref, s.ref))
    for s in ordered:
        event = Event()
        event.add("uid", uid(s.ref, clinic))
        event.add("dtstamp", stamp_utc)
        event.add("sequence", versions.get(s.ref, 0))
        event.add("dtstart", s.start.replace(tzinfo=tz))
        event.add("dtend", s.end.replace(tzinfo=tz))
        event.add("summary", _summary(s, scope, with_names))
        location = s.chair.name + (f" ({s.chair.room})" if s.chair.room else "")
        event.add("location", f"{location}, {clinic_name}" if clinic_name else location)
        event.add("description", _description(s, scope, with_names))
        event.add("status", _STATUS.get(s.status, "CONFIRMED"))
        event.add("transp", "TRANSPARENT" if s.status == "cancelled" else "OPAQUE")
        cal.add_component(event)
    # The zone's rules for the whole years the events fall in: clients that match a
    # VTIMEZONE by its rules (not its name) then see both standard and summer time.
    first = ordered[0].start.year if ordered else stamp_utc.year
    last = max(s.end for s in ordered).year if ordered else stamp_utc.year
    rules = Timezone.from_tzid(zone, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))
    cal.subcomponents.insert(0, rules)  # before the events that refer to it
    return bytes(cal.to_ical())
