"""A patient's own limits as start masks: no overlap, spacing, and infusions per 7 days.

Spacing is measured start to start and holds between any two active
infusions of the same patient (the larger of the two protocols' minimum when
they differ). The per-week limit counts a course's infusions in any window of
seven calendar days, which is at least as strict as any rolling 168-hour window.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.scheduling.grid import Timeline, span
from planner.scheduling.model import ClinicSpec, CourseProgress, spacing_minutes


@dataclass(frozen=True)
class Visit:
    """An active infusion of a patient, in minutes from the start of the period."""

    start: int
    end: int
    course: str
    spacing: int  # minimum minutes to the next/previous infusion

    def day(self) -> int:
        return self.start // 1440


class PatientBook:
    def __init__(self, clinic: ClinicSpec, timeline: Timeline) -> None:
        self.tl = timeline
        self.visits: dict[str, list[Visit]] = {}
        # A booking of a course the planner is not given (not active) keeps no spacing of its own.
        spacing = {c.course.ref: spacing_minutes(c.course.protocol) for c in clinic.courses}
        for b in clinic.bookings:
            course = b.course.ref
            v = Visit(timeline.minutes(b.start), timeline.minutes(b.end), course, spacing.get(course, 0))
            self.visits.setdefault(b.course.patient.ref, []).append(v)

        #: ``allowed`` per patient, (course, length): valid until the patient's visits change.
        self._allowed: dict[str, dict[tuple[str, int], int]] = {}
        self._floors: dict[str, int] = {}

    def add(self, patient: str, visit: Visit) -> None:
        self.visits.setdefault(patient, []).append(visit)
        self._allowed.pop(patient, None)

    def remove(self, patient: str, visit: Visit) -> None:
        self.visits[patient].remove(visit)
        self._allowed.pop(patient, None)

    def course_visits(self, progress: CourseProgress) -> list[Visit]:
        course = progress.course
        return sorted(
            (v for v in self.visits.get(course.patient.ref, []) if v.course == course.ref),
            key=lambda v: v.start,
        )

    def allowed(self, progress: CourseProgress, length: int) -> int:
        """Start slots this course's next infusion may take as far as the patient is concerned."""
        course = progress.course
        cache = self._allowed.setdefault(course.patient.ref, {})
        key = (course.ref, length)
        mask = cache.get(key)
        if mask is None:
            mask = cache[key] = self._allowed_now(progress, length)
        return mask

    def _allowed_now(self, progress: CourseProgress, length: int) -> int:
        course = progress.course
        tl = self.tl
        step, size = tl.step, tl.size
        mask = tl.full
        own = spacing_minutes(course.protocol)
        dur = length * step
        floor = self.floor(progress)
        if floor > 0:
            mask &= ~span(0, min(-(-floor // step), size))
        visits = self.visits.get(course.patient.ref, [])
        for v in visits:
            gap = own if own > v.spacing else v.spacing
            # forbidden starts t (minutes): v.start - gap < t < v.start + gap, or overlap.
            lo = v.start - (gap if gap > dur else dur)
            hi = v.start + gap if v.start + gap > v.end else v.end
            a = lo // step + 1
            b = -((-hi) // step)
            if b > 0 and a < size:
                mask &= ~span(a, b if b < size else size)
        limit = course.protocol.max_per_7_days
        if limit > 0:
            days = sorted(v.start // 1440 for v in visits if v.course == course.ref)
            # A day is full when ``limit`` infusions (consecutive in date order) and it fit in 7 days.
            per_day = tl.per_day
            for i in range(len(days) - limit + 1):
                first, last = max(days[i + limit - 1] - 6, 0), min(days[i] + 6, tl.days - 1)
                if first <= last:
                    mask &= ~span(first * per_day, (last + 1) * per_day)
        return mask

    def floor(self, progress: CourseProgress) -> int:
        """Minute before which the course's next infusion may not start (consent, last session)."""
        ref = progress.course.ref
        floor = self._floors.get(ref)
        if floor is None:
            bound = progress.not_before()
            floor = self._floors[ref] = self.tl.minutes(bound) if bound is not None else 0
        return floor


def _week_ok(days: list[int], day: int, limit: int) -> bool:
    """True when one more infusion on ``day`` keeps every 7-day window within ``limit``."""
    near = [d for d in days if day - 6 <= d <= day + 6]
    if len(near) < limit:
        return True
    for first in range(day - 6, day + 1):
        n = sum(1 for d in near if first <= d <= first + 6)
        if n + 1 > limit:
            return False
    return True
