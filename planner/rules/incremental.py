"""Re-checking one session in context without re-checking the year (for the GUI and planner).

``IncrementalChecker`` indexes the active sessions once: a sorted timeline per
chair and per staff member, a list per patient and per course. Checking one
session then looks only at the sessions it can interact with (those
overlapping it on its chair or staff, and its patient's and course's
sessions), running the very same checks as ``check`` on that small group.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from planner.domain.policy import Policy
from planner.domain.records import Session
from planner.rules.context import Context, Rec, StaffInfo
from planner.rules.data import ClinicData
from planner.rules.engine import check_records, sort_violations
from planner.rules.group_checks import (
    chair_conflicts,
    course_checks,
    patient_conflicts,
    staff_items,
    staff_load,
)
from planner.rules.session_checks import check_session
from planner.rules.violation import Violation


class UnknownRef(KeyError):
    """A session, chair or staff ref the checker has never seen."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown ref"


class _Timeline:
    """Records of one chair or staff member, sorted by start, for overlap look-ups."""

    __slots__ = ("keys", "recs", "longest")

    def __init__(self) -> None:
        self.keys: list[tuple[datetime, str]] = []
        self.recs: dict[str, Rec] = {}
        self.longest = timedelta(0)

    def add(self, rec: Rec) -> None:
        insort(self.keys, (rec.start, rec.ref))
        self.recs[rec.ref] = rec
        self.longest = max(self.longest, rec.end - rec.start)

    def remove(self, rec: Rec) -> None:
        i = bisect_left(self.keys, (rec.start, rec.ref))
        if i < len(self.keys) and self.keys[i] == (rec.start, rec.ref):
            del self.keys[i]
        self.recs.pop(rec.ref, None)

    def overlapping(self, start: datetime, end: datetime, skip: str) -> list[Rec]:
        keys = self.keys
        lo = bisect_left(keys, (start - self.longest, ""))
        hi = bisect_left(keys, (end, ""))
        out = []
        for i in range(lo, hi):
            ref = keys[i][1]
            if ref == skip:
                continue
            rec = self.recs[ref]
            if rec.end > start:
                out.append(rec)
        return out


class IncrementalChecker:
    """Violations of one session, or of a what-if version of it, in well under a millisecond.

    Keep it in step with the data by calling ``update(session)`` after a session
    is saved (new, moved, re-staffed, cancelled) and ``remove(ref)`` after a
    delete; both return the refs whose violations may have changed.
    """

    def __init__(self, data: ClinicData, policy: Policy | None = None) -> None:
        self._ctx = Context(policy or Policy(), data.opening_hours, data.closures)
        for member in getattr(data, "staff", ()) or ():
            self._ctx.staff_info(member)
        for chair in getattr(data, "chairs", ()) or ():
            self._ctx.add_chair(chair)
        self._recs: dict[str, Rec] = {}
        self._chairs: dict[str, _Timeline] = {}
        self._staff: dict[str, _Timeline] = {}
        self._patients: dict[str, dict[str, Rec]] = {}
        self._courses: dict[str, dict[str, Rec]] = {}
        for s in data.sessions:
            rec = self._ctx.rec(s)
            if rec is not None:
                self._index(rec)

    # -- keeping the index current -------------------------------------------------
    def _index(self, rec: Rec) -> None:
        self._recs[rec.ref] = rec
        self._chairs.setdefault(rec.chair, _Timeline()).add(rec)
        for ref in {m.ref for m, _ in rec.assigned}:
            self._staff.setdefault(ref, _Timeline()).add(rec)
        self._patients.setdefault(rec.course.patient_ref, {})[rec.ref] = rec
        self._courses.setdefault(rec.course.ref, {})[rec.ref] = rec

    def _unindex(self, rec: Rec) -> None:
        del self._recs[rec.ref]
        self._chairs[rec.chair].remove(rec)
        for ref in {m.ref for m, _ in rec.assigned}:
            self._staff[ref].remove(rec)
        self._patients[rec.course.patient_ref].pop(rec.ref, None)
        self._courses[rec.course.ref].pop(rec.ref, None)

    def update(self, session: Session) -> set[str]:
        """Index a new or changed session (a cancelled/no-show one leaves the index)."""
        touched = self.remove(session.ref) if session.ref in self._recs else set()
        # Re-read the course/patient: their facts may have changed too.
        self._ctx.courses.pop(session.course.ref, None)
        for a in session.assignments:
            self._ctx.staff.pop(a.staff.ref, None)
        rec = self._ctx.rec(session)
        if rec is not None:
            self._index(rec)
            touched |= self._neighbours(rec)
        return touched | {session.ref}

    def remove(self, ref: str) -> set[str]:
        rec = self._recs.get(ref)
        if rec is None:
            return set()
        touched = self._neighbours(rec)
        self._unindex(rec)
        return touched

    def affected(self, ref: str) -> set[str]:
        """Sessions whose violations may change when ``ref`` changes (itself included)."""
        return self._neighbours(self._get(ref))

    def _neighbours(self, rec: Rec) -> set[str]:
        refs = {rec.ref}
        refs.update(r.ref for r in self._chairs[rec.chair].overlapping(rec.start, rec.end, ""))
        for ref in {m.ref for m, _ in rec.assigned}:
            refs.update(r.ref for r in self._staff[ref].overlapping(rec.start, rec.end, ""))
        refs.update(self._patients.get(rec.course.patient_ref, {}))
        refs.update(self._courses.get(rec.course.ref, {}))
        return refs

    # -- questions -----------------------------------------------------------------
    def __contains__(self, ref: object) -> bool:
        return ref in self._recs

    def _get(self, ref: str) -> Rec:
        try:
            return self._recs[ref]
        except KeyError:
            raise UnknownRef(f"no active session {ref}") from None

    def violations(self, ref: str) -> list[Violation]:
        """The current violations of session ``ref`` (empty for unknown/cancelled sessions)."""
        rec = self._recs.get(ref)
        return [] if rec is None else self._check(rec)

    def what_if(
        self,
        ref: str,
        *,
        start: datetime | None = None,
        chair: str | None = None,
        assignments: Sequence[tuple[Any, str]] | None = None,
    ) -> list[Violation]:
        """The violations ``ref`` would have if moved to ``start``/``chair`` and/or staffed
        with ``assignments`` ((staff ref or object, role) pairs). Nothing is changed."""
        rec = self._get(ref)
        chair_pair = None
        if chair is not None:
            if chair not in self._ctx.chairs:
                raise UnknownRef(f"no chair {chair}")
            chair_pair = (chair, self._ctx.chairs[chair])
        assigned = None
        if assignments is not None:
            assigned = tuple((self._staff_info(who), role) for who, role in assignments)
        return self._check(rec.moved(start, chair_pair, assigned))

    def check_candidate(self, session: Session) -> list[Violation]:
        """Violations of a session that is not saved yet (or an edited copy of one), in context."""
        rec = self._ctx.rec(session)
        return [] if rec is None else self._check(rec)

    def check_all(self, sessions: Iterable[Any] | None = None) -> list[Violation]:
        """A full check of everything indexed (same result as ``check`` on the same data)."""
        from planner.rules.engine import refs_of

        found, index = check_records(self._recs.values(), self._ctx, refs_of(sessions))
        return sort_violations(found, index)

    def _staff_info(self, who: Any) -> StaffInfo:
        if not isinstance(who, str):
            return self._ctx.staff_info(who)
        info = self._ctx.staff.get(who)
        if info is None:
            raise UnknownRef(f"no staff member {who}")
        return info

    def _check(self, rec: Rec) -> list[Violation]:
        ref = rec.ref
        out = check_session(rec, self._ctx)
        found: list[Violation] = []
        timeline = self._chairs.get(rec.chair)
        if timeline is not None:
            near = timeline.overlapping(rec.start, rec.end, ref)
            if near:
                found.extend(chair_conflicts([*near, rec]))
        for member_ref in {m.ref for m, _ in rec.assigned}:
            timeline = self._staff.get(member_ref)
            if timeline is None:
                continue
            near = timeline.overlapping(rec.start, rec.end, ref)
            if near:
                group = [*near, rec]
                items = staff_items(member_ref, group, self._ctx)
                found.extend(staff_load(member_ref, items, {r.ref: r for r in group}, self._ctx))
        same_patient = self._patients.get(rec.course.patient_ref, {})
        found.extend(patient_conflicts([*(r for r in same_patient.values() if r.ref != ref), rec]))
        same_course = self._courses.get(rec.course.ref, {})
        found.extend(course_checks([*(r for r in same_course.values() if r.ref != ref), rec]))
        out.extend(v for v in found if v.session == ref)
        return sort_violations(out, {ref: rec})
