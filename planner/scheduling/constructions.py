"""First plans of the auto-planner: whole constructions under different policies.

A construction places the courses one by one, most constrained first, each as a
same-time track where it can (``courses``). Which start times it prefers, in which
order it takes the courses and whether long sessions keep off the busiest days are
*policies*; no single one is best for every clinic (a chair-bound clinic packs best
by stacking short sessions back to back, a clinic short of nurses by fitting
sessions tightly into their half days), so several are built and the best is kept
for the local search (``lns``) to improve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.scheduling.search import Solver

#: (time-of-day, course, order, yield-long) policies tried by the first constructions (see ``Solver``).
POLICIES: tuple[tuple[str, str, str, bool], ...] = (
    ("earliest", "track", "slack", False),
    ("stack", "track", "short-first", False),
    ("stack", "track", "slack", False),
    ("tight", "track", "long-first", True),
    ("earliest", "track", "patterns", False),
    ("earliest", "drift-first", "slack", False),
    ("long-late", "track", "slack", False),
    ("tight", "track", "patterns", True),
    ("earliest", "track", "slack", True),
    ("latest", "track", "slack", False),
    ("tight", "drift-first", "patterns", True),
)


Policy = tuple[str, str, str, bool]


def _set(solver: Solver, policy: Policy) -> None:
    solver.time_policy, solver.course_policy, solver.order_policy, solver.yield_long = policy


def _get(solver: Solver) -> Policy:
    return (solver.time_policy, solver.course_policy, solver.order_policy, solver.yield_long)


def construct(solver: Solver, budget: int | None = None, policies: tuple[Policy, ...] = POLICIES) -> None:
    """The best of several constructions (most infusions, then due order, then lateness).

    Policies are tried in order while the work spent stays within ``budget`` (the first
    is always built); it stops early when one places every due infusion.
    """
    total_need = solver.bound
    best_score = (-1, 0, 0)
    best_policy = policies[0]
    start = solver.work
    cost = 0
    for policy in policies:
        if budget is not None and cost and solver.work - start + cost > budget:
            break
        before = solver.work
        solver.clear()
        _set(solver, policy)
        solver.construct_courses(solver.base_order())
        cost = max(cost, solver.work - before)
        score = solver.score()
        if score > best_score:
            best_score, best_policy = score, policy
        if score[0] >= total_need:
            break
    if _get(solver) != best_policy:
        solver.clear()
        _set(solver, best_policy)
        solver.construct_courses(solver.base_order())
