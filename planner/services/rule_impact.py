"""Which booked sessions a change of hours, leave or closures breaks.

Read the booked sessions' errors before the change and after it; the difference
is what the change did. The GUI then lists those sessions and offers to open
them, so a manager who shortens Friday's hours hears about Friday's patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.db.engine import Database
from planner.services.checking import run_check

#: How far ahead booked sessions are looked at (about half a year).
HORIZON_DAYS = 182


@dataclass(frozen=True, order=True)
class BrokenSession:
    """A booked session with one error, in words a manager reads."""

    start: datetime
    ref: str
    patient: str
    chair: str
    code: str
    message: str


def booked_errors(db: Database, today: date, *, days: int = HORIZON_DAYS) -> frozenset[BrokenSession]:
    """Every error of the sessions from ``today`` on (cancelled and no-show ones take no part)."""
    report = run_check(db, today, today + timedelta(days=days))
    out = set()
    for v in report.violations:
        summary = report.sessions.get(v.session)
        if v.severity != "error" or summary is None:
            continue
        out.add(BrokenSession(summary.start, v.session, summary.patient, summary.chair, v.code, v.message))
    return frozenset(out)


def newly_broken(
    before: frozenset[BrokenSession], after: frozenset[BrokenSession]
) -> list[BrokenSession]:
    """The errors ``after`` has that ``before`` did not (same session, rule and words), by time."""
    known = {(b.ref, b.code, b.message) for b in before}
    return sorted(b for b in after if (b.ref, b.code, b.message) not in known)
