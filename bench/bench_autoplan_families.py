"""Auto-planner on families of clinics: placed infusions against CP-SAT and the greedy.

    .venv/bin/python bench/bench_autoplan_families.py [--families a,b] [--seeds 0,1]
        [--cp-seconds 60] [--workers 2] [--runs 3] [--no-cpsat] [--quick]

For each family (``bench/autoplan_families.py``) and seed it prints the
infusions due, the planner's own upper bound (``ub``: what each course could get
alone, and what each day's chairs and staff could hold at all), what a plain
earliest-fit greedy places, what the auto-planner places and how long it takes
(min-max over ``--runs`` runs, each giving the same plan or the script fails),
what CP-SAT places within its time limit with its bound and status, and the
ratios planner / CP-SAT and greedy / CP-SAT.

Every counted placement (planner, greedy and CP-SAT alike) is checked by the
rules engine (``planner.rules.check`` through ``planner.scheduling.rules_bridge``):
a placement with an error or a broken protocol limit makes the script fail.
Targets: planner >= CP-SAT's count in 60 s on every family, equal to CP-SAT's
proven optimum where it has one; under 1 s for a 12-chair week and 5 s for a
12-chair month. ``--quick`` (as ``make bench`` runs it): CP-SAT 10 s, one run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.autoplan_families import FAMILIES, Instance, build  # noqa: E402
from planner.scheduling.autoplan import (  # noqa: E402
    AutoplanResult,
    autoplan,
    greedy_autoplan,
    verify_placements,
)
from planner.scheduling.model import monitoring_role  # noqa: E402
from planner.scheduling.rules_bridge import NewSession, check_sessions, planner_breaks  # noqa: E402
from planner.scheduling.search import Solver  # noqa: E402


def _result_sessions(result: AutoplanResult) -> list[NewSession]:
    return [
        NewSession(f"NEW-{i}", p.course, p.chair, p.start,
                   ((p.psychiatrist, "psychiatrist"), (p.monitoring_clinician, p.monitoring_role)))
        for i, p in enumerate(result.placed)
    ]


def _cp_sessions(solver: Solver, placements: tuple) -> list[NewSession]:
    board, tl = solver.board, solver.tl
    out = []
    for i, p in enumerate(placements):
        mon = board.staff[p.monitor].member
        out.append(NewSession(
            f"CP-{i}", solver.tasks[p.task].course.ref, board.chairs[p.chair], tl.at(p.slot),
            ((board.staff[p.psychiatrist].member.ref, "psychiatrist"), (mon.ref, monitoring_role(mon.roles))),
        ))
    return out


def _breaks(inst: Instance, sessions: list[NewSession], who: str) -> str | None:
    bad = planner_breaks(check_sessions(inst.clinic, sessions))
    if bad:
        return f"{inst.family} seed {inst.seed}: {who} breaks a rule: {bad[0].code} {bad[0].message}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", default="", help="comma-separated names (default: all)")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds per family")
    parser.add_argument("--cp-seconds", type=float, default=None, help="CP-SAT time limit (60; --quick: 10)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (the machine is shared)")
    parser.add_argument("--runs", type=int, default=None, help="planner runs for the time range (3; --quick: 1)")
    parser.add_argument("--no-cpsat", action="store_true", help="skip the reference model")
    parser.add_argument("--quick", action="store_true", help="CP-SAT 10 s and one planner run per family")
    args = parser.parse_args(argv)
    cp_seconds = args.cp_seconds if args.cp_seconds is not None else (10.0 if args.quick else 60.0)
    runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    wanted = [n.strip() for n in args.families.split(",") if n.strip()]
    families = [f for f in FAMILIES if not wanted or f.name in wanted]
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    print(f"CP-SAT: {cp_seconds:g} s, {args.workers} workers; planner time over {runs} run(s)")
    print(f"{'family':<17} {'seed':>4} {'ch':>3} {'days':>4} {'due':>4} {'ub':>4} {'greedy':>6} {'planner':>7} "
          f"{'time s':>11} {'cp-sat':>6} {'bound':>5} {'status':>8} {'pl/cp':>6} {'gr/cp':>6}")
    worst = float("inf")
    failures: list[str] = []
    for fam in families:
        for seed in seeds:
            inst = build(fam, seed)
            clinic, first, last = inst.clinic, inst.first, inst.last
            greedy = greedy_autoplan(clinic, first, last)
            times, results = [], []
            for _ in range(runs):
                t0 = time.perf_counter()
                results.append(autoplan(clinic, first, last))
                times.append(time.perf_counter() - t0)
            result = results[0]
            if any(r != result for r in results):
                failures.append(f"{fam.name} seed {seed}: two runs gave different plans")
            if verify_placements(clinic, result):
                failures.append(f"{fam.name} seed {seed}: the proposal does not verify")
            for who, sessions in (("the planner", _result_sessions(result)),
                                  ("the greedy", _result_sessions(greedy))):
                problem = _breaks(inst, sessions, who)
                if problem:
                    failures.append(problem)
            placed = len(result.placed)
            span = f"{min(times):.2f}-{max(times):.2f}" if runs > 1 else f"{times[0]:.2f}"
            bound = Solver(clinic, first, last).bound
            row = (f"{fam.name:<17} {seed:>4} {inst.chairs:>3} {(last - first).days + 1:>4} {result.due:>4} "
                   f"{bound:>4} {len(greedy.placed):>6} {placed:>7} {span:>11}")
            if args.no_cpsat:
                print(row, flush=True)
                continue
            from bench.autoplan_cpsat import solve_cpsat

            solver = Solver(clinic, first, last)
            cp = solve_cpsat(solver, time_limit=cp_seconds, workers=args.workers)
            problem = _breaks(inst, _cp_sessions(solver, cp.placements), "CP-SAT")
            if problem:
                failures.append(problem)
            if len(cp.placements) != cp.placed:
                failures.append(f"{fam.name} seed {seed}: CP-SAT's count and placements differ")
            ratio = placed / cp.placed if cp.placed else float("inf")
            worst = min(worst, ratio)
            if cp.optimal and placed != cp.placed:
                failures.append(f"{fam.name} seed {seed}: {placed} placed, CP-SAT's optimum is {cp.placed}")
            status = "optimal" if cp.optimal else cp.status.lower()
            g_ratio = len(greedy.placed) / cp.placed if cp.placed else float("inf")
            print(f"{row} {cp.placed:>6} {cp.bound:>5} {status:>8} {ratio:>6.3f} {g_ratio:>6.3f}", flush=True)
    if not args.no_cpsat and worst != float("inf"):
        print(f"lowest planner / CP-SAT: {worst:.3f} (target >= 1.000)")
    for line in failures:
        print(f"FAIL: {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
