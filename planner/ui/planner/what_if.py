"""Live "what if" checks for the planner: a drag target, or the session being edited.

Wraps the rules engine's incremental checker over the week's snapshot, so a
check while dragging costs well under a millisecond and never touches the
database. Without the rules engine every answer is "no problems known".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from planner.domain.records import Assignment, Chair, Session
from planner.services.week import Violation, WeekSnapshot, copy_violation

if TYPE_CHECKING:
    from planner.services.sessions import SessionDraft

NEW_REF = "(new)"
CourseLookup = Callable[[str], Any]


class WeekChecker:
    def __init__(self, week: WeekSnapshot, *, course_lookup: CourseLookup | None = None) -> None:
        self.week = week
        self.course_lookup = course_lookup
        self._checker: Any = None
        self._moves: dict[tuple[str, datetime, str], list[Violation]] = {}
        data = week.clinic_data
        if data is not None:
            from planner.rules.incremental import IncrementalChecker

            self._checker = IncrementalChecker(data, week.policy)
            self._courses = {s.course.ref: s.course for s in data.sessions}
            self._staff = {m.ref: m for m in getattr(data, "staff", ())}
            self._chairs = {c.ref: c for c in getattr(data, "chairs", ())}
            for s in data.sessions:
                self._chairs.setdefault(s.chair.ref, s.chair)
                for a in s.assignments:
                    self._staff.setdefault(a.staff.ref, a.staff)

    @property
    def available(self) -> bool:
        return self._checker is not None

    def move(self, ref: str, start: datetime, chair_ref: str) -> list[Violation]:
        """Violations ``ref`` would have at (start, chair); cached per target during a drag."""
        if self._checker is None or ref not in self._checker:
            return []
        key = (ref, start, chair_ref)
        if key not in self._moves:
            found = self._checker.what_if(ref, start=start, chair=chair_ref)
            self._moves[key] = [copy_violation(v) for v in found]
        return self._moves[key]

    def candidate(self, draft: SessionDraft, ref: str | None) -> list[Violation]:
        """Violations of ``draft`` as if saved (as ``ref``, or as a new session)."""
        if self._checker is None:
            return []
        course = self._courses.get(draft.course_ref)
        if course is None and self.course_lookup is not None:
            course = self.course_lookup(draft.course_ref)
            if course is not None:
                self._courses[draft.course_ref] = course
        if course is None:
            return []
        chair = self._chairs.get(draft.chair_ref) or Chair(
            ref=draft.chair_ref, name=draft.chair_ref
        )
        assignments = tuple(
            Assignment(staff=self._staff[staff_ref], role=role)
            for staff_ref, role in draft.assignments
            if staff_ref in self._staff
        )
        record = Session(
            ref=ref or NEW_REF,
            course=course,
            chair=chair,
            start=draft.start,
            status=draft.status,
            assignments=assignments,
            prep_minutes_override=draft.prep_minutes,
            infusion_minutes_override=draft.infusion_minutes,
            recovery_minutes_override=draft.recovery_minutes,
        )
        return [copy_violation(v) for v in self._checker.check_candidate(record)]
