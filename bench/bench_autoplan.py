"""Auto-planner benchmark: placed infusions and time against a CP-SAT reference model.

    .venv/bin/python bench/bench_autoplan.py [--sizes S,M,L] [--cp-seconds S=60,M=60,L=10]
                                             [--workers 2] [--no-cpsat]

For each generated clinic week (``bench/autoplan_instances.py``, fixed seeds) it
prints the infusions due, what a plain earliest-fit greedy places, what the
auto-planner places and how long it takes, what CP-SAT places within its time
limit (and whether that is a proven optimum), and the ratios
placed / CP-SAT-placed and planner time / CP-SAT time. Every plan of the
planner is re-verified by ``verify_placements`` before it is counted.
Targets: S and M >= 0.99 of CP-SAT's optimum; L >= CP-SAT's 10 s count in
<= 0.1x its time (under 1 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.autoplan_instances import SIZES, WEEK_END, WEEK_START, build  # noqa: E402
from planner.scheduling.autoplan import autoplan, greedy_autoplan, verify_placements  # noqa: E402
from planner.scheduling.search import Solver  # noqa: E402


def _limits(text: str) -> dict[str, float]:
    out = {"S": 60.0, "M": 60.0, "L": 10.0}
    for part in filter(None, text.split(",")):
        key, _, value = part.partition("=")
        out[key.strip().upper()] = float(value)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--cp-seconds", default="", help="time limit per size, e.g. S=60,M=60,L=10")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (the machine is shared)")
    parser.add_argument("--no-cpsat", action="store_true", help="skip the reference model")
    parser.add_argument("--quick", action="store_true", help="S and M only (L takes longer)")
    args = parser.parse_args(argv)
    if args.quick and args.sizes == "S,M,L":
        args.sizes = "S,M"
    limits = _limits(args.cp_seconds)
    header = (f"{'size':<4} {'chairs':>6} {'due':>4} {'greedy':>6} {'planner':>7} {'time s':>7} "
              f"{'cp-sat':>6} {'bound':>5} {'status':>9} {'cp s':>6} {'placed/cp':>9} {'time/cp':>8} "
              f"{'greedy/cp':>9}")
    print(header)
    for name in [s.strip().upper() for s in args.sizes.split(",") if s.strip()]:
        size = SIZES[name]
        clinic = build(size)
        greedy = greedy_autoplan(clinic, WEEK_START, WEEK_END)
        t0 = time.perf_counter()
        result = autoplan(clinic, WEEK_START, WEEK_END)
        seconds = time.perf_counter() - t0
        problems = verify_placements(clinic, result)
        if problems:
            print(f"{name}: the planner's proposal does not verify: {problems[0]}")
            return 1
        placed = len(result.placed)
        if args.no_cpsat:
            print(f"{name:<4} {size.chairs:>6} {result.due:>4} {len(greedy.placed):>6} {placed:>7} {seconds:>7.2f}")
            continue
        from bench.autoplan_cpsat import solve_cpsat

        cp = solve_cpsat(Solver(clinic, WEEK_START, WEEK_END), time_limit=limits[name], workers=args.workers)
        ratio = placed / cp.placed if cp.placed else float("inf")
        g_ratio = len(greedy.placed) / cp.placed if cp.placed else float("inf")
        status = "optimal" if cp.optimal else cp.status.lower()
        print(f"{name:<4} {size.chairs:>6} {result.due:>4} {len(greedy.placed):>6} {placed:>7} {seconds:>7.2f} "
              f"{cp.placed:>6} {cp.bound:>5} {status:>9} {cp.seconds:>6.1f} {ratio:>9.3f} "
              f"{seconds / cp.seconds:>8.3f} {g_ratio:>9.3f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
