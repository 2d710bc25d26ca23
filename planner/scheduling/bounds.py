"""Upper bounds on the infusions a period can take, so the search stops once it reaches one.

Two counts no plan can beat, computed on the board before anything is placed:

- per course: the infusions it could get with the clinic to itself (``Solver.alone``);
- per day: the sessions the day's free chair time, psychiatrist time and monitoring
  time can hold at all (each free stretch holds ``length // shortest`` sessions per
  chair or per concurrent-patient place), and no more than the courses that may
  come that day.

A plan reaching the smaller of the two is optimal; searching on would be wasted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.scheduling.grid import StaffState, iter_bits

if TYPE_CHECKING:
    from planner.scheduling.search import Solver


def _stretches(mask: int, shortest: int) -> int:
    """Sessions of ``shortest`` slots that fit one after another in the runs of ``mask``."""
    total = 0
    while mask:
        start = (mask & -mask).bit_length() - 1
        shifted = mask >> start
        length = ((shifted + 1) & ~shifted).bit_length() - 1
        total += length // shortest
        mask &= ~(((1 << length) - 1) << start)
    return total


def _people(group: list[StaffState], within: int, shortest: int) -> int:
    total = 0
    for s in group:
        for level in s.levels[: s.limit]:
            total += _stretches(s.avail & ~level & within, shortest)
    return total


def _union(group: list[StaffState]) -> int:
    m = 0
    for s in group:
        m |= s.free_mask
    return m


def day_bound(solver: Solver) -> int:
    """Sum over days of min(what the day's resources can hold, courses that may come)."""
    board, tl = solver.board, solver.tl
    shortest = solver.shortest
    span = [0] * tl.days
    for d in range(tl.days):
        hours = board.open & tl.day_span(d)
        if hours:
            span[d] = hours.bit_length() - (hours & -hours).bit_length() + 1
    coming = [0] * tl.days
    for ci, task in enumerate(solver.tasks):
        for d in {tl.day_of(s) for s in iter_bits(solver.options(ci))}:
            # Two infusions the same day need their spacing between two starts of that day.
            once = task.spacing > (span[d] - task.length) * tl.step
            coming[d] += 1 if once else task.need
    total = 0
    for d in range(tl.days):
        if not coming[d]:
            continue
        # A session needs all three at once: count each where the other two are there.
        day = tl.day_span(d) & board.open
        psy_any, mon_any = _union(board.psychiatrists) & day, _union(board.monitors) & day
        chair_any = 0
        for busy in board.chair_busy:
            chair_any |= day & ~busy
        chairs = sum(_stretches(day & ~busy & psy_any & mon_any, shortest) for busy in board.chair_busy)
        psy = _people(board.psychiatrists, day & mon_any & chair_any, shortest)
        mon = _people(board.monitors, day & psy_any & chair_any, shortest)
        total += min(coming[d], chairs, psy, mon)
    return total
