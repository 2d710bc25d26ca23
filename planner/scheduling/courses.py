"""Placing one course: a same-time *track* over a day pattern, else infusion by infusion.

A clinic's courses run on a rhythm (Mon/Wed/Fri at 10:00), and chains that keep
one time of day never drift later each time. Day patterns are picked to keep the
busiest days (expected use / capacity, see ``analyse``) for the courses that
cannot go elsewhere. These functions work on a ``Solver``'s state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.scheduling.grid import iter_bits, lowest_bit, span
from planner.scheduling.visits import _week_ok

if TYPE_CHECKING:
    from planner.scheduling.search import Placement, Solver, Task


def _chain(solver: Solver, ci: int, first: int | None) -> list[Placement]:
    """Place the course's missing infusions: ``first`` (a slot) then earliest feasible."""
    task = solver.tasks[ci]
    out: list[Placement] = []
    while len(solver.cur[ci]) < task.need:
        mask = solver.options(ci)
        if first is not None and not out:
            mask &= 1 << first
        choice = solver.choose(ci, mask) if mask else None
        if choice is None:
            break
        out.append(solver.place(ci, *choice))
    return out

def lateness(solver: Solver, ci: int) -> int:
    task = solver.tasks[ci]
    total = 0
    for k, p in enumerate(sorted(solver.cur[ci], key=lambda x: x.slot)):
        total += max(0, p.slot * solver.tl.step - task.due[min(k, task.need - 1)])
    return total

def place_course(solver: Solver, ci: int) -> int:
    """Place as many missing infusions of one course as fit.

    First choice: a *track*, the same time of day on each day of the earliest day
    pattern that keeps spacing and the 7-day limit (a clinic's natural rhythm, and
    chains that do not drift later each time). Otherwise infusion by infusion,
    trying several first starts. With ``solver.yield_long``, a course with sessions
    longer than the shortest stays off over-demanded days (more infusions fit there
    in its place).
    """
    task = solver.tasks[ci]
    solver.banned = 0
    if solver.yield_long and task.length > solver.shortest:
        for d in range(solver.tl.days):
            if solver.used[d] + solver.waiting[d] > solver.capacity[d]:
                solver.banned |= solver.tl.day_span(d)
    try:
        return _place_course(solver, ci, task)
    finally:
        solver.banned = 0


def track(solver: Solver, ci: int) -> int:
    """A same-time track for a course with nothing placed yet (as many infusions as fit)."""
    return _track(solver, ci, solver.tasks[ci].need - len(solver.cur[ci]))


def _place_course(solver: Solver, ci: int, task: Task) -> int:
    missing = task.need - len(solver.cur[ci])
    if missing <= 0:
        return 0
    if not solver.cur[ci] and solver.course_policy == "drift-first":
        got = len(_chain(solver, ci, None))
        if got >= missing:
            return got
        for p in list(solver.cur[ci]):
            solver.remove(ci, p)
    if not solver.cur[ci]:
        got = _track(solver, ci, missing)
        if got >= missing:
            return got
        for p in list(solver.cur[ci]):
            solver.remove(ci, p)
        track_n = got
    else:
        track_n = 0
    got_list = _chain(solver, ci, None)
    if len(got_list) >= missing or (not got_list and not track_n):
        return len(got_list)
    best_n, best_late, best_first = len(got_list), lateness(solver, ci), None
    for p in got_list:
        solver.remove(ci, p)
    for first in _first_starts(solver, ci):
        trial = _chain(solver, ci, first)
        n, late = len(trial), lateness(solver, ci)
        for p in trial:
            solver.remove(ci, p)
        if (n, -late) > (best_n, -best_late):
            best_n, best_late, best_first = n, late, first
            if n >= missing:
                break
    if track_n >= best_n:
        return _track(solver, ci, missing)
    return len(_chain(solver, ci, best_first))

def _patterns(solver: Solver, ci: int, opts: int, k: int, limit: int = 60) -> list[tuple[int, ...]]:
    """Day patterns of ``k`` days (earliest first) with room for a same-time track."""
    task = solver.tasks[ci]
    tl = solver.tl
    gap = max(1, -(-task.spacing // 1440))
    days = [d for d in range(tl.days) if opts & tl.day_span(d)]
    history = [v.day() for v in solver.book.course_visits(task.progress)]
    cap = task.course.protocol.max_per_7_days
    out: list[tuple[int, ...]] = []

    def grow(prefix: list[int], start: int) -> None:
        if len(out) >= limit:
            return
        if len(prefix) == k:
            out.append(tuple(prefix))
            return
        for d in days:
            if d < start:
                continue
            if cap > 0 and not _week_ok(history + prefix, d, cap):
                continue
            prefix.append(d)
            grow(prefix, d + gap)
            prefix.pop()

    grow([], 0)
    return out


def _pick_time(solver: Solver, ci: int, track: int, pattern: tuple[int, ...]) -> int:
    policy = solver.time_policy
    if policy == "latest" or (policy == "long-late" and solver.tasks[ci].length > solver.shortest):
        return track.bit_length() - 1
    if policy == "tight":
        return _tightest(solver, ci, track, pattern)
    if policy in ("stack", "stack-staff"):
        return _stacked(solver, ci, track, pattern, staff=policy == "stack-staff")
    return lowest_bit(track)


def _stacked(solver: Solver, ci: int, track: int, pattern: tuple[int, ...], *, staff: bool) -> int:
    """The time of day that most often continues a chair's (or a person's) run of sessions."""
    length = solver.tasks[ci].length
    board = solver.board
    both, follows, one = board.snug_staff_starts(length) if staff else board.snug_chair_starts(length)
    per_day = solver.tl.per_day
    best, best_t = -1, lowest_bit(track)
    for t in iter_bits(track):
        value = 0
        for d in pattern:
            slot = d * per_day + t
            value += 3 * (both >> slot & 1) + 2 * (follows >> slot & 1) + (one >> slot & 1)
        if value > best:
            best, best_t = value, t
    return best_t

def _tightest(solver: Solver, ci: int, track: int, pattern: tuple[int, ...], cap: int = 24) -> int:
    """The time of day whose sessions leave the least unusable idle time, then earliest."""
    length = solver.tasks[ci].length
    board = solver.board
    per_day = solver.tl.per_day
    best = (1 << 30, -1)
    for t in iter_bits(track)[:cap]:
        waste = 0
        for d in pattern:
            slot = d * per_day + t
            chair = board.best_chair(slot, length)
            pair = board.staff_pair(slot, length)
            if chair is None or pair is None:
                waste += 1 << 20
                continue
            waste += board._waste(board.tl.full & ~board.chair_busy[chair] & board.open, slot, length)
            waste += board._waste(pair[0].free() & board.open, slot, length)
            waste += board._waste(pair[1].free() & board.open, slot, length)
        if waste < best[0]:
            best = (waste, t)
            if waste == 0:
                break
    return best[1] if best[1] >= 0 else lowest_bit(track)

def _track(solver: Solver, ci: int, missing: int) -> int:
    """Place ``missing`` (or fewer) infusions at one time of day on a day pattern."""
    task = solver.tasks[ci]
    tl = solver.tl
    per_day = tl.per_day
    opts = solver.options(ci)
    if not opts:
        return 0
    day_bits = span(0, per_day)
    for k in range(missing, 0, -1):
        choices = []
        for pattern in _patterns(solver, ci, opts, k):
            track = day_bits
            for d in pattern:
                track &= opts >> (d * per_day)
                if not track:
                    break
            if track:
                load = sum((solver.used[d] + solver.waiting[d]) / solver.capacity[d] for d in pattern)
                choices.append((load, pattern, track))
        choices.sort(key=lambda c: (round(c[0], 6), c[1]))
        for _p, pattern, track in choices:
            while track:
                t = _pick_time(solver, ci, track, pattern)
                placed: list[Placement] = []
                for d in pattern:
                    res = solver.resources_at(d * per_day + t, task.length)
                    if res is None:
                        break
                    placed.append(solver.place(ci, d * per_day + t, *res))
                if len(placed) == k:
                    return k
                for p in placed:
                    solver.remove(ci, p)
                track &= ~(1 << t)
    return 0

def _first_starts(solver: Solver, ci: int) -> list[int]:
    """The first feasible start of each half day (candidates for a course's next infusion)."""
    mask = solver.options(ci)
    half = 12 * 60 // solver.tl.step
    out: list[int] = []
    while mask and len(out) < 12:
        slot = lowest_bit(mask)
        out.append(slot)
        day = solver.tl.day_of(slot)
        cut = day * solver.tl.per_day + (half if slot % solver.tl.per_day < half else solver.tl.per_day)
        mask &= ~span(0, cut)
    return out

def analyse(solver: Solver) -> None:
    """Day patterns per course, each course's expected use of each day, day capacities.

    A course not placed yet is expected to use each day in proportion to the share of
    its patterns that contain the day; placed sessions count as they are. Day patterns
    are chosen to keep the busiest days (use / capacity) free for courses that need them.
    """
    tl = solver.tl
    solver._rigidity = []
    for ci, task in enumerate(solver.tasks):
        opts = solver.board.resource_starts(task.length) & solver.book.allowed(task.progress, task.length)
        patterns: list[tuple[int, ...]] = []
        for k in range(task.need, 0, -1):  # the most infusions any pattern can hold
            patterns = _patterns(solver, ci, opts, k, limit=99)
            if patterns:
                break
        solver._rigidity.append(len(patterns))
        expect = [0.0] * tl.days
        for pattern in patterns:
            for d in pattern:
                expect[d] += task.length / len(patterns)
        solver.expect.append(expect)
        for d in range(tl.days):
            solver.waiting[d] += expect[d]
    for d in range(tl.days):
        day = tl.day_span(d)
        chairs = (solver.board.open & day).bit_count() * len(solver.board.chairs)
        psy = sum((s.avail & day).bit_count() * s.limit for s in solver.board.psychiatrists)
        mon = sum((s.avail & day).bit_count() * s.limit for s in solver.board.monitors)
        solver.capacity[d] = max(1, min(chairs, psy, mon))

