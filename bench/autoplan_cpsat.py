"""Reference model for the auto-planner benchmark: the same period, the same rules, in CP-SAT.

Bench-only (OR-Tools is never imported by the app). It reads the planner's own
discretisation (``planner.scheduling.search.Solver``: 15-minute start grid,
opening hours, staff availability masks, due infusions, existing bookings) so
both place exactly the same infusions under exactly the same rules:

- a start on the grid, chair time inside one opening range of an open day;
- chairs: each chair holds one session at a time, existing bookings included
  (with no booking on a chair in the period, chairs are identical and a
  cumulative of ``len(chairs)`` is exact; otherwise every session picks a chair);
- each session: one psychiatrist and one monitoring clinician, two different
  people holding the role, each available (weekly hours, leave, credential) for
  the whole chair time, at most ``limit`` patients at once counting existing
  bookings (a person's limit is the strictest of the roles they hold, as in the
  planner);
- a course's infusions: after its consent and its last session, start to start at
  least ``min_hours_between`` apart (also against the patient's other sessions and
  courses), at most ``max_per_7_days`` in any 7 calendar days (its earlier sessions
  counted).
Objective: the number of infusions placed. ``solve_cpsat`` returns the best
placements found, so the benchmark checks them with the rules engine too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.scheduling.grid import erode, iter_bits
from planner.scheduling.search import Solver


@dataclass(frozen=True)
class CpPlacement:
    task: int
    slot: int
    chair: int
    psychiatrist: int
    monitor: int


@dataclass(frozen=True)
class CpResult:
    placed: int
    bound: int
    optimal: bool
    seconds: float
    status: str
    placements: tuple[CpPlacement, ...] = field(default=())


def _runs(mask: int) -> list[tuple[int, int]]:
    """Maximal runs of set bits as (start, length)."""
    out = []
    bits = iter_bits(mask)
    i = 0
    while i < len(bits):
        j = i
        while j + 1 < len(bits) and bits[j + 1] == bits[j] + 1:
            j += 1
        out.append((bits[i], j - i + 1))
        i = j + 1
    return out


@dataclass
class _Infusion:
    task: int
    present: cp_model.IntVar
    start: cp_model.IntVar
    length: int
    psy: dict[int, cp_model.IntVar]
    mon: dict[int, cp_model.IntVar]
    chair: dict[int, cp_model.IntVar]


class _Model:
    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        self.m = cp_model.CpModel()
        board = solver.board
        self.identical_chairs = not any(board.chair_busy)
        self.chair_iv: dict[int, list[cp_model.IntervalVar]] = {i: [] for i in range(len(board.chairs))}
        self.all_chair_iv: list[cp_model.IntervalVar] = []
        self.staff_iv: dict[int, list[cp_model.IntervalVar]] = {s.index: [] for s in board.staff}
        self.infusions: list[_Infusion] = []
        self.days: dict[int, cp_model.IntVar] = {}
        self._fixed()
        by_patient: dict[str, list[list[_Infusion]]] = {}
        for ci in range(len(solver.tasks)):
            chain = self._task(ci)
            by_patient.setdefault(solver.tasks[ci].course.patient, []).append(chain)
        for chains in by_patient.values():
            self._same_patient(chains)
        n_chairs = len(board.chairs)
        self.m.add_cumulative(self.all_chair_iv, [1] * len(self.all_chair_iv), n_chairs)
        if not self.identical_chairs:
            for ivs in self.chair_iv.values():
                self.m.add_no_overlap(ivs)
        for st in board.staff:
            ivs = self.staff_iv[st.index]
            if ivs:
                self.m.add_cumulative(ivs, [1] * len(ivs), st.limit)
        self.m.maximize(sum(inf.present for inf in self.infusions))

    def _fixed(self) -> None:
        """Existing bookings: chair time and staff load already taken in the period."""
        board = self.solver.board
        for i, busy in enumerate(board.chair_busy):
            for a, n in _runs(busy):
                iv = self.m.new_fixed_size_interval_var(a, n, f"busy_chair{i}_{a}")
                self.chair_iv[i].append(iv)
                self.all_chair_iv.append(iv)
        for st in board.staff:
            for k, level in enumerate(st.levels):
                for a, n in _runs(level):
                    self.staff_iv[st.index].append(
                        self.m.new_fixed_size_interval_var(a, n, f"busy_staff{st.index}_{k}_{a}")
                    )

    def _day(self, inf: _Infusion) -> cp_model.IntVar:
        key = id(inf)
        if key not in self.days:
            tl = self.solver.tl
            self.days[key] = self.m.new_int_var(0, tl.days, f"day{len(self.days)}")
            self.m.add_division_equality(self.days[key], inf.start, tl.per_day)
        return self.days[key]

    def _pick(self, inf: _Infusion, group: list, domain: int, prefix: str) -> dict[int, cp_model.IntVar]:
        m = self.m
        picks: dict[int, cp_model.IntVar] = {}
        for st in group:
            values = iter_bits(erode(st.avail, inf.length) & domain)
            if not values:
                continue
            a = m.new_bool_var(f"{prefix}{len(self.infusions)}_{st.index}")
            m.add_linear_expression_in_domain(inf.start, cp_model.Domain.from_values(values)).only_enforce_if(a)
            self.staff_iv[st.index].append(
                m.new_optional_fixed_size_interval_var(inf.start, inf.length, a, f"i{prefix}{id(a)}")
            )
            picks[st.index] = a
        m.add(sum(picks.values()) == inf.present)
        return picks

    def _task(self, ci: int) -> list[_Infusion]:
        solver, m = self.solver, self.m
        board, book, tl = solver.board, solver.book, solver.tl
        task = solver.tasks[ci]
        length = task.length
        domain = board.open_starts(length) & book.allowed(task.progress, length)
        starts = iter_bits(domain)
        if not starts:
            return []
        gap = -(-task.spacing // tl.step)
        chain: list[_Infusion] = []
        for j in range(task.need):
            x = m.new_bool_var(f"x{ci}_{j}")
            s = m.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"s{ci}_{j}")
            inf = _Infusion(ci, x, s, length, {}, {}, {})
            chair_iv = m.new_optional_fixed_size_interval_var(s, length, x, f"c{ci}_{j}")
            self.all_chair_iv.append(chair_iv)
            if not self.identical_chairs:
                for i in range(len(board.chairs)):
                    free = iter_bits(erode(tl.full & ~board.chair_busy[i], length) & domain)
                    if not free:
                        continue
                    a = m.new_bool_var(f"ch{ci}_{j}_{i}")
                    m.add_linear_expression_in_domain(s, cp_model.Domain.from_values(free)).only_enforce_if(a)
                    self.chair_iv[i].append(m.new_optional_fixed_size_interval_var(s, length, a, f"cc{ci}_{j}_{i}"))
                    inf.chair[i] = a
                m.add(sum(inf.chair.values()) == x)
            inf.psy = self._pick(inf, board.psychiatrists, domain, "p")
            inf.mon = self._pick(inf, board.monitors, domain, "m")
            for idx, a in inf.mon.items():
                if idx in inf.psy:
                    m.add(a + inf.psy[idx] <= 1)
            m.add(s == starts[0]).only_enforce_if(x.Not())
            if chain:
                m.add_implication(x, chain[-1].present)
                m.add(s >= chain[-1].start + gap).only_enforce_if(x)
            self.infusions.append(inf)
            chain.append(inf)
        self._week_limit(ci, chain)
        return chain

    def _week_limit(self, ci: int, chain: list[_Infusion]) -> None:
        solver = self.solver
        task = solver.tasks[ci]
        limit = task.course.protocol.max_per_7_days
        if limit <= 0:
            return
        per_day = solver.tl.per_day
        history = sorted(v.day() for v in solver.book.course_visits(task.progress))
        seq: list[int | _Infusion] = [*history, *chain]
        for i in range(len(seq) - limit):
            first, last = seq[i], seq[i + limit]
            if not isinstance(last, _Infusion):
                continue
            if isinstance(first, _Infusion):
                self.m.add(self._day(last) >= self._day(first) + 7).only_enforce_if(last.present)
            else:
                self.m.add(last.start >= (first + 7) * per_day).only_enforce_if(last.present)

    def _same_patient(self, chains: list[list[_Infusion]]) -> None:
        """One patient with several courses: their infusions keep spacing across courses too."""
        if len(chains) < 2:
            return
        tl = self.solver.tl
        tasks = self.solver.tasks
        for a in range(len(chains)):
            for b in range(a + 1, len(chains)):
                for p in chains[a]:
                    for q in chains[b]:
                        gap = -(-max(tasks[p.task].spacing, tasks[q.task].spacing) // tl.step)
                        before = self.m.new_bool_var("order")
                        both = [p.present, q.present]
                        self.m.add(q.start >= p.start + gap).only_enforce_if([*both, before])
                        self.m.add(p.start >= q.start + gap).only_enforce_if([*both, before.Not()])

    def placements(self, cp: cp_model.CpSolver) -> tuple[CpPlacement, ...]:
        out = []
        for inf in self.infusions:
            if not cp.boolean_value(inf.present):
                continue
            psy = next(i for i, a in inf.psy.items() if cp.boolean_value(a))
            mon = next(i for i, a in inf.mon.items() if cp.boolean_value(a))
            chair = next((i for i, a in inf.chair.items() if cp.boolean_value(a)), -1)
            out.append(CpPlacement(inf.task, int(cp.value(inf.start)), chair, psy, mon))
        if self.identical_chairs:
            out = _give_chairs(out, self.solver)
        return tuple(out)


def _give_chairs(placements: list[CpPlacement], solver: Solver) -> list[CpPlacement]:
    """Identical chairs: earliest start first, any chair free by then (exact for intervals)."""
    free_at = [0] * len(solver.board.chairs)
    out = []
    for p in sorted(placements, key=lambda p: (p.slot, p.task)):
        chair = min(range(len(free_at)), key=lambda i: (free_at[i] > p.slot, i))
        if free_at[chair] > p.slot:
            raise AssertionError("more sessions at once than chairs")
        free_at[chair] = p.slot + solver.tasks[p.task].length
        out.append(CpPlacement(p.task, p.slot, chair, p.psychiatrist, p.monitor))
    return out


def solve_cpsat(solver: Solver, *, time_limit: float, workers: int = 2, seed: int = 7) -> CpResult:
    model = _Model(solver)
    cp = cp_model.CpSolver()
    cp.parameters.max_time_in_seconds = time_limit
    cp.parameters.num_workers = workers
    cp.parameters.random_seed = seed
    # Probing alone takes most of 10 s on large weeks; without it the search starts at once.
    cp.parameters.cp_model_probing_level = 0
    t0 = time.perf_counter()
    status = cp.solve(model.m)
    seconds = time.perf_counter() - t0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CpResult(0, int(cp.best_objective_bound), False, seconds, cp.status_name(status))
    return CpResult(
        int(round(cp.objective_value)),
        int(round(cp.best_objective_bound)),
        status == cp_model.OPTIMAL,
        seconds,
        cp.status_name(status),
        model.placements(cp),
    )
