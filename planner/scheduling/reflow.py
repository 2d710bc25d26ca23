"""Reflow a course after a cancelled or no-show session (a proposal, never applied silently).

The missed infusion is made up on the first feasible day after the missed one;
each later session of the course keeps its time when the spacing and the
per-7-days limit still hold after the make-up, otherwise it moves to the
earliest feasible start after its old time. Later sessions never move earlier.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

from planner.domain.records import Session
from planner.scheduling.model import ClinicSpec, CourseProgress, monitoring_role
from planner.scheduling.results import ReflowMove, ReflowProposal, SlotProposal
from planner.scheduling.slots import CourseSlots

HORIZON_DAYS = 60


def reflow_course(
    clinic: ClinicSpec, progress: CourseProgress, *, trigger: str, after: datetime, step: int = 5
) -> ReflowProposal:
    """Proposal for the course after session ``trigger`` (inactive) that ended at ``after``."""
    # The make-up infusion goes before the later sessions it moves: only consent bounds it.
    progress = dataclasses.replace(progress, last_start=None)
    course = progress.course
    mine = clinic.course_bookings(course.ref)
    later = [b for b in mine if b.start >= after]
    done_before = course.planned_infusions - progress.remaining - len(later)
    moving = {b.ref for b in later}
    others = tuple(b for b in clinic.bookings if b.ref not in moving)
    base = dataclasses.replace(clinic, bookings=others)
    first = after.date()
    finder = CourseSlots(base, progress, first, first + timedelta(days=HORIZON_DAYS), step)
    items: list[Session | None] = [None] * progress.remaining + later
    moves: list[ReflowMove] = []
    problems: list[str] = []
    bound = datetime.combine(first + timedelta(days=1), time())
    for n, item in enumerate(items, start=done_before + 1):
        if item is not None:
            kept = _keep(finder, item, n)
            if kept is not None:
                finder.take(kept)
                bound = item.start
                continue
            bound = max(bound, item.start)
        usual = item.start if item else after - timedelta(minutes=course.protocol.chair_minutes)
        found = _earliest(finder, bound, usual.time(), n)
        if not found:
            what = "the make-up infusion" if item is None else f"session {item.ref}"
            problems.append(f"no place found for {what} within {HORIZON_DAYS} days")
            continue
        prop = found[0]
        finder.take(prop)
        moves.append(ReflowMove(None if item is None else item.ref, n,
                                None if item is None else item.start, prop))
        bound = prop.start
    return ReflowProposal(course.ref, trigger, tuple(moves), tuple(problems))


def _earliest(finder: CourseSlots, bound: datetime, at: time, number: int) -> list[SlotProposal]:
    """The earliest feasible place, at the session's usual time of day when a day allows it."""
    mask = finder.options(bound)
    tl = finder.tl
    offset = (at.hour * 60 + at.minute) // tl.step
    same = 0
    for d in range(tl.days):
        same |= 1 << (d * tl.per_day + offset)
    found = finder.ranked(mask & same, number, 1)
    if found and found[0].start.date() <= bound.date() + timedelta(days=3):
        return found
    return finder.ranked(mask, number, 1) or found


def _keep(finder: CourseSlots, item: Session, number: int) -> SlotProposal | None:
    """The session where it is, if its slot, chair and staff are all still fine."""
    tl = finder.tl
    minutes = tl.minutes(item.start)
    if minutes % tl.step:
        return None
    slot = minutes // tl.step
    if not finder.options(item.start) >> slot & 1:
        return None
    psy = item.psychiatrist.staff.ref if item.psychiatrist else None
    mon = item.monitoring.staff.ref if item.monitoring else None
    board = finder.board
    chair = board.chair_index.get(item.chair.ref)
    if psy is None or mon is None or chair is None or psy not in board.staff_index or mon not in board.staff_index:
        return None
    length = finder.length
    bit = 1 << slot
    if not (
        board.chair_starts(chair, length) & bit
        and board.staff_starts(board.staff_index[psy], length) & bit
        and board.staff_starts(board.staff_index[mon], length) & bit
    ):
        return None
    return SlotProposal(
        number, item.start, item.end, item.chair.ref, psy, mon,
        monitoring_role(board.staff[board.staff_index[mon]].member.roles),
    )
