"""Reference model for the auto-planner benchmark: the same week, the same rules, in CP-SAT.

Bench-only (OR-Tools is never imported by the app). It reads the planner's own
discretisation (``planner.scheduling.search.Solver``: 15-minute start grid,
opening hours, staff availability masks, due infusions) so both place exactly
the same infusions under exactly the same rules:

- a start on the grid inside opening hours, chair time inside one range;
- chairs: at most ``len(chairs)`` sessions at once (chairs are identical, so any
  such set can be given chairs);
- each session: one psychiatrist and one monitoring clinician, two people, each
  available for the whole chair time, at most ``limit`` patients at once;
- a course's infusions: start to start at least ``min_hours_between`` apart, at
  most ``max_per_7_days`` in any 7 calendar days (with last week's infusions).
Objective: the number of infusions placed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.scheduling.grid import erode, iter_bits
from planner.scheduling.search import Solver


@dataclass(frozen=True)
class CpResult:
    placed: int
    bound: int
    optimal: bool
    seconds: float
    status: str


def _day(
    model: cp_model.CpModel, days: dict[int, cp_model.IntVar], starts: list[cp_model.IntVar],
    j: int, per_day: int, n_days: int,
) -> cp_model.IntVar:
    """The day of infusion j (made only when a 7-day window needs it)."""
    if j not in days:
        days[j] = model.new_int_var(0, n_days, f"day{len(days)}_{j}")
        model.add_division_equality(days[j], starts[j], per_day)
    return days[j]


def solve_cpsat(solver: Solver, *, time_limit: float, workers: int = 2, seed: int = 7) -> CpResult:
    board, book, tl = solver.board, solver.book, solver.tl
    if any(board.chair_busy) or any(s.levels[0] for s in board.staff):
        raise ValueError("the reference model expects a week without existing sessions")
    model = cp_model.CpModel()
    per_day = tl.per_day
    chair_iv: list[cp_model.IntervalVar] = []
    staff_iv: dict[int, list[cp_model.IntervalVar]] = {s.index: [] for s in board.staff}
    presence: list[cp_model.IntVar] = []
    for ci, task in enumerate(solver.tasks):
        length = task.length
        domain_mask = board.open_starts(length) & book.allowed(task.course, length)
        starts = iter_bits(domain_mask)
        if not starts:
            continue
        staff_dom = {s.index: erode(s.avail, length) & domain_mask for s in board.staff}
        gap = -(-task.spacing // tl.step)
        xs: list[cp_model.IntVar] = []
        ss: list[cp_model.IntVar] = []
        days: dict[int, cp_model.IntVar] = {}

        for j in range(task.need):
            x = model.new_bool_var(f"x{ci}_{j}")
            s = model.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"s{ci}_{j}")
            xs.append(x)
            ss.append(s)
            presence.append(x)
            chair_iv.append(model.new_optional_fixed_size_interval_var(s, length, x, f"c{ci}_{j}"))
            for group in (board.psychiatrists, board.monitors):
                picks: list[tuple[int, cp_model.IntVar]] = []
                for st in group:
                    values = iter_bits(staff_dom[st.index])
                    if not values:
                        continue
                    a = model.new_bool_var(f"a{ci}_{j}_{st.index}_{len(picks)}")
                    model.add_linear_expression_in_domain(
                        s, cp_model.Domain.from_values(values)
                    ).only_enforce_if(a)
                    staff_iv[st.index].append(
                        model.new_optional_fixed_size_interval_var(s, length, a, f"i{ci}_{j}_{st.index}")
                    )
                    picks.append((st.index, a))
                model.add(sum(a for _, a in picks) == x)
                if group is board.psychiatrists:
                    psy_picks = dict(picks)
                else:
                    for idx, a in picks:
                        if idx in psy_picks:
                            model.add(a + psy_picks[idx] <= 1)
            if j > 0:
                model.add_implication(x, xs[j - 1])
                model.add(s >= ss[j - 1] + gap).only_enforce_if(x)
        limit = task.course.protocol.max_per_7_days
        if limit > 0:
            history = sorted(v.day() for v in book.course_visits(task.course))
            seq: list[int | tuple[int]] = [*history, *[(j,) for j in range(task.need)]]
            for i in range(len(seq) - limit):
                first, last = seq[i], seq[i + limit]
                if not isinstance(last, tuple):
                    continue
                j = last[0]
                if isinstance(first, tuple):
                    later = _day(model, days, ss, j, per_day, tl.days)
                    earlier = _day(model, days, ss, first[0], per_day, tl.days)
                    model.add(later >= earlier + 7).only_enforce_if(xs[j])
                else:
                    model.add(ss[j] >= (first + 7) * per_day).only_enforce_if(xs[j])
    model.add_cumulative(chair_iv, [1] * len(chair_iv), len(board.chairs))
    for st in board.staff:
        if staff_iv[st.index]:
            model.add_cumulative(staff_iv[st.index], [1] * len(staff_iv[st.index]), st.limit)
    model.maximize(sum(presence))
    cp = cp_model.CpSolver()
    cp.parameters.max_time_in_seconds = time_limit
    cp.parameters.num_workers = workers
    cp.parameters.random_seed = seed
    # Probing alone takes most of 10 s on L; without it the search starts at once.
    cp.parameters.cp_model_probing_level = 0
    t0 = time.perf_counter()
    status = cp.solve(model)
    seconds = time.perf_counter() - t0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CpResult(0, int(cp.best_objective_bound), False, seconds, cp.status_name(status))
    return CpResult(
        int(round(cp.objective_value)),
        int(round(cp.best_objective_bound)),
        status == cp_model.OPTIMAL,
        seconds,
        cp.status_name(status),
    )
