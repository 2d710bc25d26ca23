"""Typed results of course planning, slot finding and reflow (frozen, GUI-safe)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DateProblem:
    """Something wrong with one planned date; ``error`` blocks saving, ``warning`` informs."""

    code: str
    severity: str  # "error" | "warning"
    message: str


@dataclass(frozen=True)
class PlannedOccurrence:
    """One infusion of a planned course: when, where, who, and what is wrong with it."""

    infusion: int  # 1-based number within the course
    start: datetime
    end: datetime
    chair: str | None
    psychiatrist: str | None
    monitoring_clinician: str | None
    monitoring_role: str | None
    problems: tuple[DateProblem, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class SkippedDate:
    """A date the pattern produced but the plan left out, and why."""

    day: date
    reason: str


@dataclass(frozen=True)
class CoursePlan:
    pattern: str
    occurrences: tuple[PlannedOccurrence, ...]
    skipped: tuple[SkippedDate, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(o.has_errors for o in self.occurrences)


@dataclass(frozen=True)
class SlotProposal:
    """A place for one infusion: start, chair and both staff roles, all free."""

    infusion: int
    start: datetime
    end: datetime
    chair: str
    psychiatrist: str
    monitoring_clinician: str
    monitoring_role: str


@dataclass(frozen=True)
class SlotSuggestions:
    """Earliest feasible place for each remaining infusion, plus ranked alternatives for one."""

    course: str
    proposals: tuple[SlotProposal, ...]
    alternatives: tuple[SlotProposal, ...] = ()
    #: Infusions that found no place in the horizon, with the reason.
    unplaced: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class ReflowMove:
    """Move (or, with ``session`` None, add) one infusion of a course."""

    session: str | None
    infusion: int
    old_start: datetime | None
    new: SlotProposal


@dataclass(frozen=True)
class ReflowProposal:
    course: str
    trigger: str  # the cancelled / no-show session
    moves: tuple[ReflowMove, ...]
    problems: tuple[str, ...] = ()
