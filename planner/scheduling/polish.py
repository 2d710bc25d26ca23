"""Last touches of the auto-planner; none places fewer infusions.

``due_order``: among plans placing as many infusions, the one leaving out the
latest-due ones is fairer (an overdue course is not passed over for one due later).
An infusion left out takes the place of one of a course due later when it fits
there; the course that gave up its place tries again elsewhere.

``left_shift``: the rhythm. The search may park a flexible course on a later day
to keep a busy day free; once everything is placed, each session moves to the
earliest day (never before it is due) where it still fits, earliest-due courses first.

``balance_staff``: the search picks people for best fit and overall load over the
period; once the plan is fixed, each session's psychiatrist and monitoring clinician
are re-chosen among the people free for it, least loaded that day first, so one
person does not take every new session of a day while a colleague is idle.

``stagger``: several sessions starting at the same minute means one nurse setting
up several IV lines at once. A session whose start is shared by more than
``max_same`` sessions moves by up to ``reach`` slots, within its day, to a start
fewer share, when its chair, staff and the patient's spacing allow it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.scheduling.courses import _chain
from planner.scheduling.grid import iter_bits, span

if TYPE_CHECKING:
    from planner.scheduling.search import Solver


def stagger(solver: Solver, *, max_same: int = 2, reach: int = 3) -> int:
    """Spread shared start times; returns how many sessions moved."""
    moved = 0
    starts = solver.board.starts
    per_day = solver.tl.per_day
    items = sorted(
        ((p.slot, solver.tasks[ci].course.ref, ci, p) for ci, ps in enumerate(solver.cur) for p in ps),
        key=lambda x: (x[0], x[1]),
    )
    for slot, _ref, ci, p in items:
        if starts.get(slot, 0) <= max_same:
            continue
        solver.remove(ci, p)
        day = slot - slot % per_day
        window = span(max(day, slot - reach), min(day + per_day, slot + reach + 1))
        candidates = sorted(
            (s for s in iter_bits(solver.options(ci) & window) if s != slot),
            key=lambda s: (starts.get(s, 0), abs(s - slot), s),
        )
        done = False
        for s in candidates:
            if starts.get(s, 0) >= starts.get(slot, 0):
                break
            res = solver.resources_at(s, solver.tasks[ci].length)
            if res is not None:
                solver.place(ci, s, *res)
                moved += 1
                done = True
                break
        if not done:
            solver.place(ci, p.slot, p.chair, p.psychiatrist, p.monitor)
    return moved


def left_shift(solver: Solver) -> int:
    """Move sessions to earlier days where they fit; returns how many moved."""
    moved = 0
    per_day = solver.tl.per_day
    order = sorted(range(len(solver.tasks)), key=lambda i: (solver.tasks[i].due[0], solver.tasks[i].course.ref))
    for ci in order:
        for p in sorted(solver.cur[ci], key=lambda x: x.slot):
            day = p.slot // per_day
            if day == 0:
                continue
            solver.remove(ci, p)
            mask = solver.options(ci) & span(0, day * per_day)
            choice = solver.choose(ci, mask) if mask else None
            if choice is not None:
                solver.place(ci, *choice)
                moved += 1
            else:
                solver.place(ci, p.slot, p.chair, p.psychiatrist, p.monitor)
    return moved


def _day_load(solver: Solver, staff: int, day: int) -> tuple[float, float, str]:
    person = solver.board.staff[staff]
    span_ = solver.tl.day_span(day)
    # Patient-slots that day (every concurrency level), per available slot.
    busy = sum((level & span_).bit_count() for level in person.levels)
    today = busy / max((person.avail & span_).bit_count(), 1)
    return (today, person.used_slots / person.available_slots, person.member.ref)


def balance_staff(solver: Solver) -> int:
    """Give each placed session the least-loaded free people that day; returns how many changed."""
    board = solver.board
    changed = 0
    items = sorted(
        ((p.slot, solver.tasks[ci].course.ref, ci, p) for ci, ps in enumerate(solver.cur) for p in ps),
        key=lambda x: (x[0], x[1]),
    )
    for slot, _ref, ci, p in items:
        length = solver.tasks[ci].length
        day = solver.tl.day_of(slot)
        solver.remove(ci, p)
        psy = board.free_staff(board.psychiatrists, slot, length)
        mon = board.free_staff(board.monitors, slot, length)
        pairs = [(a.index, b.index) for a in psy for b in mon if a.index != b.index]
        best = min(
            pairs,
            key=lambda pair: (
                max(_day_load(solver, pair[0], day)[0], _day_load(solver, pair[1], day)[0]),
                _day_load(solver, pair[0], day),
                _day_load(solver, pair[1], day),
            ),
            default=(p.psychiatrist, p.monitor),
        )
        solver.place(ci, p.slot, p.chair, *best)
        if best != (p.psychiatrist, p.monitor):
            changed += 1
    return changed


def due_order(solver: Solver, tries: int = 40) -> int:
    """Swap places from courses due later to infusions left out; returns how many moved."""
    tasks = solver.tasks
    end = solver.tl.days * 1440

    def earliness(ci: int, k: int) -> int:
        return end - tasks[ci].due[k] + tasks[ci].overdue

    def missing() -> list[int]:
        return [ci for ci in range(len(tasks)) if len(solver.cur[ci]) < tasks[ci].need]

    swaps = 0
    for ci in sorted(missing(), key=lambda c: (-earliness(c, len(solver.cur[c])), tasks[c].course.ref)):
        k = len(solver.cur[ci])
        if k >= tasks[ci].need:
            continue
        mine, length = earliness(ci, k), tasks[ci].length
        allowed = solver.book.allowed(tasks[ci].progress, length)
        places = sorted(
            (earliness(cj, len(ps) - 1), q.slot, tasks[cj].course.ref, cj, q)
            for cj, ps in enumerate(solver.cur) if cj != ci and ps
            for q in ps if allowed >> q.slot & 1 and earliness(cj, len(ps) - 1) < mine
        )
        for _theirs, slot, _ref, cj, q in places[:tries]:
            solver.remove(cj, q)
            res = solver.resources_at(slot, length) if solver.options(ci) >> slot & 1 else None
            if res is not None:
                solver.place(ci, slot, *res)
                _chain(solver, cj, None)
                swaps += 1
                break
            solver.place(cj, q.slot, q.chair, q.psychiatrist, q.monitor)
    for ci in missing():
        _chain(solver, ci, None)
    return swaps
