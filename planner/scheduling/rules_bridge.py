"""Check planned sessions of a clinic spec with the real rules engine.

The planner and the rules engine read the same domain records: this adds the
new sessions (the planner's proposal, or a reference solver's in the
benchmark) to the spec's bookings and runs ``planner.rules.check``, so a
proposal is judged by the same rules as a saved schedule. Existing bookings
are context: they are checked against, not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from planner.domain.policy import Policy
from planner.domain.records import Assignment, Chair, Session
from planner.rules import ClinicData, Violation, check
from planner.scheduling.model import ClinicSpec

#: What the auto-planner never breaks: every error, plus the protocol warnings it keeps as hard limits.
PLANNER_HARD_CODES = frozenset({"spacing-too-short", "too-many-per-week", "course-over-planned"})

#: Chair of a new session whose chair is not one of the clinic's.
_ELSEWHERE = Chair(ref="", name="elsewhere")


@dataclass(frozen=True)
class NewSession:
    """A session to check: which course, where, when, and who fills which role."""

    ref: str
    course: str
    chair: str
    start: datetime
    staff: tuple[tuple[str, str], ...]


def check_sessions(spec: ClinicSpec, new: Iterable[NewSession]) -> list[Violation]:
    """Violations of the ``new`` sessions among the clinic's existing bookings."""
    people = {s.ref: s for s in spec.staff}
    courses = {c.course.ref: c.course for c in spec.courses}
    chairs = {ref: Chair(ref=ref, name=ref) for ref in spec.chairs}
    sessions = list(spec.bookings)
    refs = []
    for n in new:
        sessions.append(
            Session(
                ref=n.ref, course=courses[n.course], chair=chairs.get(n.chair, _ELSEWHERE), start=n.start,
                assignments=tuple(Assignment(staff=people[s], role=role) for s, role in n.staff),
            )
        )
        refs.append(n.ref)
    data = ClinicData(
        sessions=sessions,
        opening_hours=list(spec.opening_hours),
        closures=dict.fromkeys(sorted(spec.closures), ""),
    )
    return check(data, Policy(concurrent_limit=dict(spec.concurrent_limit)), sessions=refs)


def planner_breaks(violations: Iterable[Violation]) -> list[Violation]:
    """The violations a planner's proposal must never have (errors and its hard warnings)."""
    return [v for v in violations if v.is_error or v.code in PLANNER_HARD_CODES]
