"""Iterated greedy on the course order: the improvement phase of the auto-planner.

A construction places courses one by one, so a course's placements depend only
on the courses before it. Moving a course that is still missing infusions to
an earlier position and rebuilding from there (the prefix is kept as it is) is
cheap and is the move that lets a squeezed course win capacity back. A rebuild
that places fewer infusions, or as many later in the rhythm, is undone.
The generator has a fixed seed and the number of rounds depends only on the
size of the problem, so the same clinic always gets the same plan.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.scheduling.search import Placement, Plan, Solver

#: (time-of-day, course, order, yield-long) policies tried by the first constructions (see ``Solver``).
POLICIES: tuple[tuple[str, str, str, bool], ...] = (
    ("earliest", "track", "slack", False),
    ("stack", "track", "short-first", False),
    ("stack", "track", "slack", False),
    ("tight", "track", "long-first", True),
    ("earliest", "track", "patterns", False),
    ("tight", "track", "patterns", True),
    ("earliest", "track", "slack", True),
    ("earliest", "track", "long-first", False),
    ("latest", "track", "slack", False),
    ("long-late", "track", "slack", False),
    ("tight", "drift-first", "patterns", True),
    ("earliest", "drift-first", "slack", False),
)
SEED = 20261129


#: Work budget (placements tried, see ``Solver.work``) = WORK / (chairs + staff), at most
#: MAX_WORK: well under a second of search whatever the clinic's size.
WORK = 300_000
MAX_WORK = 10_000


def budget_for(solver: Solver) -> int:
    size = max(1, len(solver.board.chairs) + len(solver.board.staff))
    return min(MAX_WORK, WORK // size)


Policy = tuple[str, str, str, bool]


def _set(solver: Solver, policy: Policy) -> None:
    solver.time_policy, solver.course_policy, solver.order_policy, solver.yield_long = policy


def _get(solver: Solver) -> Policy:
    return (solver.time_policy, solver.course_policy, solver.order_policy, solver.yield_long)


def _score(solver: Solver) -> tuple[int, int, int]:
    """Most infusions placed; then the ones left out are the latest due; then least lateness."""
    return (sum(len(p) for p in solver.cur), -solver.unplaced_earliness(), -solver.total_late())


def _rebuild(solver: Solver, old: list[int], new: list[int], start: int) -> None:
    for ci in old[start:]:
        for p in list(solver.cur[ci]):
            solver.remove(ci, p)
    for ci in new[start:]:
        solver.place_course(ci)


def _restore_tail(
    solver: Solver, tried: list[int], best: list[int], start: int, saved: dict[int, list[Placement]]
) -> None:
    for ci in tried[start:]:
        for p in list(solver.cur[ci]):
            solver.remove(ci, p)
    for ci in best[start:]:
        for p in saved[ci]:
            solver.place(ci, p.slot, p.chair, p.psychiatrist, p.monitor)


def improve(solver: Solver, budget: int | None = None) -> Plan:
    """Best construction over ``POLICIES``, then order moves until the work budget is spent."""
    total_need = sum(t.need for t in solver.tasks)
    limit = solver.work + (budget_for(solver) if budget is None else budget)
    best_score = (-1, 0, 0)
    best_policy = POLICIES[0]
    cost = 0
    for policy in POLICIES:
        if cost and solver.work + cost > limit - cost:
            break
        before = solver.work
        solver.clear()
        _set(solver, policy)
        solver.construct_courses(solver.base_order())
        cost = max(cost, solver.work - before)
        score = _score(solver)
        if score > best_score:
            best_score, best_policy = score, policy
        if score[0] >= total_need:
            break
    if _get(solver) != best_policy:
        solver.clear()
        _set(solver, best_policy)
        solver.construct_courses(solver.base_order())
    order = solver.base_order()
    best_plan = solver.snapshot()
    current = best_score[0]
    rng = random.Random(SEED)
    n = len(order)
    while solver.work < limit and best_score[0] < total_need and n >= 2:
        position = {ci: i for i, ci in enumerate(order)}
        missing = [ci for ci in order if len(solver.cur[ci]) < solver.tasks[ci].need]
        tried = list(order)
        if missing and rng.random() < 0.8:
            ci = missing[rng.randrange(len(missing))]
            j = position[ci]
            if j == 0:
                solver.work += 1
                continue
            i = rng.randrange(j)
            tried.pop(j)
            tried.insert(i, ci)
        else:
            i = rng.randrange(n - 1)
            k = min(n - 1, i + rng.randint(1, 4))
            tried[i], tried[k] = tried[k], tried[i]
        saved = {ci: list(solver.cur[ci]) for ci in order[i:]}
        _rebuild(solver, order, tried, i)
        count = sum(len(p) for p in solver.cur)
        if count >= current:
            current, order = count, tried
            score = _score(solver)
            if score > best_score:
                best_score, best_plan = score, solver.snapshot()
        else:
            _restore_tail(solver, tried, order, i, saved)
    solver.restore(best_plan)
    return best_plan
