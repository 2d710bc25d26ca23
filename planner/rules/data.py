"""What a check reads: the clinic's sessions and the facts around them, as domain records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.domain.records import Chair, OpeningHours, Session, StaffMember


@dataclass(slots=True)
class ClinicData:
    """A snapshot to check. ``focus``: refs whose violations the caller asked for
    (the rest is context, e.g. neighbours just outside a date range); None = all.
    ``staff`` and ``chairs`` let a what-if use someone or a chair with no session yet."""

    sessions: list[Session] = field(default_factory=list)
    opening_hours: list[OpeningHours] = field(default_factory=list)
    #: Closure day -> reason ("" when none was given).
    closures: dict[date, str] = field(default_factory=dict)
    staff: list[StaffMember] = field(default_factory=list)
    chairs: list[Chair] = field(default_factory=list)
    focus: frozenset[str] | None = None
