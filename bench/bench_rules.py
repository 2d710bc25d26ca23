"""Rules benchmark: checking costs no more than reading the rows, and scales linearly.

Builds an M-size clinic (8 chairs, 10 staff, 120 sessions a week) for one and
for ten years in SQLite, then prints, in one run on one machine:
- time to read the rows (``load_clinic_data``: what ``check`` reads) and to
  check them, for a week, a year and ten years, and their ratio
  (target: check/read <= 1.0);
- T(10 y)/T(1 y) for the check (target <= 12: near-linear);
- one session's incremental re-check ("what if it moved here?"),
  target < 1 ms.
Times are CPU time of this process (``time.process_time``), each the best of
several runs: the machine is shared, and CPU time is what the code costs
(it is also stricter on the ratio, since a read's I/O waits do not count).

    .venv/bin/python bench/bench_rules.py            # 1 and 10 years
    .venv/bin/python bench/bench_rules.py --quick    # 13 and 130 weeks
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bench.rules_data import FIRST_MONDAY, build_clinic  # noqa: E402
from planner.db.engine import Database, open_database  # noqa: E402
from planner.rules import IncrementalChecker, check  # noqa: E402
from planner.services.checking import load_clinic_data, load_policy  # noqa: E402

T = TypeVar("T")


def best(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Fastest of ``repeat`` runs (seconds) and the last result."""
    times = []
    result: Any = None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return min(times), result


def measure(db: Database, start: date | None, end: date | None, repeat: int) -> dict[str, Any]:
    def read() -> Any:
        with db.begin() as s:
            return load_clinic_data(s, start, end), load_policy(s)

    def raw() -> int:
        """Bare DBAPI fetch of the session and assignment rows of the range (a floor)."""
        where = ""
        if start is not None and end is not None:
            where = f"WHERE s.start >= '{start} 00:00:00' AND s.start < '{end + timedelta(days=1)} 00:00:00'"
        with db.engine.connect() as conn:
            a = conn.execute(text(f"SELECT * FROM infusion_session s {where}")).all()
            b = conn.execute(
                text(
                    f"SELECT a.* FROM assignment a JOIN infusion_session s ON s.id = a.session_id {where}"
                )
            ).all()
        return len(a) + len(b)

    t_read, (data, policy) = best(read, repeat)
    t_raw, _ = best(raw, repeat)
    t_check, found = best(lambda: check(data, policy), repeat)
    focus = data.focus
    n = len(data.sessions) if focus is None else len(focus)
    return {
        "sessions": n,
        "rows_read": len(data.sessions),
        "read": t_read,
        "raw": t_raw,
        "check": t_check,
        "violations": len(found),
        "errors": sum(1 for v in found if v.is_error),
    }


def incremental(db: Database, samples: int) -> dict[str, float]:
    with db.begin() as s:
        data, policy = load_clinic_data(s), load_policy(s)
    t_build, checker = best(lambda: IncrementalChecker(data, policy), 1)
    rng = random.Random(7)
    by_ref = {x.ref: x for x in data.sessions}
    refs = [x.ref for x in data.sessions if x.status not in ("cancelled", "no_show")]
    chairs = [c.ref for c in data.chairs]
    what_if, current = [], []
    for _ in range(samples):
        ref = rng.choice(refs)
        start = by_ref[ref].start + timedelta(
            days=rng.randint(-3, 3), minutes=15 * rng.randint(-8, 8)
        )
        chair = rng.choice(chairs)
        t0 = time.process_time_ns()
        checker.what_if(ref, start=start, chair=chair)
        what_if.append((time.process_time_ns() - t0) / 1e6)
        t0 = time.process_time_ns()
        checker.violations(ref)
        current.append((time.process_time_ns() - t0) / 1e6)
    what_if.sort()
    return {
        "build": t_build,
        "median": statistics.median(what_if),
        "p99": what_if[int(len(what_if) * 0.99) - 1],
        "max": what_if[-1],
        "current_median": statistics.median(current),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="13 and 130 weeks instead of 1 and 10 years"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best is kept)")
    args = parser.parse_args(argv)
    small, large = (13, 130) if args.quick else (52, 520)
    label_small, label_large = ("13 weeks", "130 weeks") if args.quick else ("1 year", "10 years")
    with tempfile.TemporaryDirectory(prefix="bench-rules-") as tmp:
        dbs = {}
        for weeks in (small, large):
            db = open_database(f"sqlite:///{Path(tmp) / f'clinic-{weeks}w.sqlite3'}")
            t0 = time.perf_counter()
            n = build_clinic(db, weeks)
            print(
                f"built {weeks} weeks: {n} sessions in {time.perf_counter() - t0:.1f} s", flush=True
            )
            dbs[weeks] = db
        mid_week = FIRST_MONDAY + timedelta(weeks=small // 2)
        rows = [
            (
                "week (in the large db)",
                measure(dbs[large], mid_week, mid_week + timedelta(days=6), args.repeat * 3),
            ),
            (f"{label_small} (whole db)", measure(dbs[small], None, None, args.repeat)),
            (
                f"{label_small} (range in large db)",
                measure(
                    dbs[large],
                    FIRST_MONDAY,
                    FIRST_MONDAY + timedelta(weeks=small) - timedelta(days=1),
                    args.repeat,
                ),
            ),
            (f"{label_large} (whole db)", measure(dbs[large], None, None, args.repeat)),
        ]
        inc = incremental(dbs[large], 2000)
        for db in dbs.values():
            db.close()

    print()
    print(
        f"{'scope':<32}{'sessions':>9}{'read s':>9}{'raw s':>8}{'check s':>9}{'check/read':>11}{'check/raw':>10}{'found':>8}"
    )
    for name, r in rows:
        print(
            f"{name:<32}{r['sessions']:>9}{r['read']:>9.3f}{r['raw']:>8.3f}{r['check']:>9.3f}"
            f"{r['check'] / r['read']:>11.2f}{r['check'] / r['raw']:>10.2f}{r['violations']:>8}"
        )
    growth = rows[3][1]["check"] / rows[1][1]["check"]
    worst = max(r["check"] / r["read"] for _, r in rows)
    print()
    print(
        "read  = load_clinic_data (the rows check reads, into snapshot records); raw = bare SQL fetch"
    )
    print(
        f"check/read, worst row:            {worst:6.2f}   (target <= 1.0)  {'OK' if worst <= 1.0 else 'MISSED'}"
    )
    print(
        f"T({label_large})/T({label_small}) check:      {growth:6.2f}   (target <= 12)   {'OK' if growth <= 12 else 'MISSED'}"
    )
    print(
        f"incremental what-if, median:      {inc['median']:6.3f} ms (target < 1 ms)  {'OK' if inc['median'] < 1 else 'MISSED'}"
    )
    print(
        f"incremental what-if, p99 / max:   {inc['p99']:6.3f} / {inc['max']:.3f} ms  {'OK' if inc['p99'] < 1 else '(p99 over 1 ms)'}"
    )
    print(f"current violations of one session:{inc['current_median']:6.3f} ms median")
    print(f"building the incremental index ({label_large}): {inc['build']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
