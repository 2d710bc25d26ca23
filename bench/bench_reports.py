"""Reports, call list and calendar export on a large clinic: time against the rules check.

    .venv/bin/python bench/bench_reports.py [--weeks 26] [--repeat 3] [--quick]

Loads the demo clinic with ``--weeks`` weeks of sessions into a temporary
SQLite file and times, over the whole period, each report (read + compute;
and its PDF), the whole clinic's calendar file and the busiest day's call
list. The reference is ``check`` over the same period, measured in the same
run: it reads the same sessions and runs every rule, so "report / check" says
what a report costs next to something the clinic already waits for.
Best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.db.engine import open_database  # noqa: E402
from planner.interchange.validate import parse_document  # noqa: E402
from planner.services.calendar_export import export_calendar  # noqa: E402
from planner.services.call_list import render_call_list  # noqa: E402
from planner.services.checking import run_check  # noqa: E402
from planner.services.clinic_io import document_to_json, load_document  # noqa: E402
from planner.services.demo import build_demo_document  # noqa: E402
from planner.services.reports import render_report, run_report  # noqa: E402

TODAY = date(2026, 11, 30)


def best(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="8 weeks, one run each")
    args = parser.parse_args(argv)
    if args.quick:
        args.weeks, args.repeat = 8, 1
    doc = build_demo_document(seed=1, weeks=args.weeks, today=TODAY)
    days = [s["start"][:10] for s in doc["sessions"]]
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    busiest = date.fromisoformat(Counter(days).most_common(1)[0][0])
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        load_document(db, parse_document(document_to_json(doc)))
        print(
            f"{len(doc['sessions'])} sessions, {len(doc['courses'])} courses, "
            f"{first} to {last} ({(last - first).days + 1} days); best of {args.repeat}"
        )
        check = best(args.repeat, lambda: run_check(db, first, last))
        print(f"{'reference: check':<28} {check:>8.3f} s")
        print(f"{'what':<28} {'seconds':>8} {'/ check':>8}")
        for kind in ("utilisation", "staff-hours", "attendance", "courses"):
            seconds = best(args.repeat, lambda k=kind: run_report(db, k, first, last))
            result = run_report(db, kind, first, last)
            pdf = best(args.repeat, lambda r=result: render_report(r))
            print(f"{'report ' + kind:<28} {seconds:>8.3f} {seconds / check:>8.2f}")
            print(f"{'  its PDF':<28} {pdf:>8.3f} {pdf / check:>8.2f}")
        ics = best(args.repeat, lambda: export_calendar(db, first, last))
        print(f"{'calendar, whole clinic':<28} {ics:>8.3f} {ics / check:>8.2f}")
        calls = best(args.repeat, lambda: render_call_list(db, busiest))
        print(f"{'call list PDF, busiest day':<28} {calls:>8.3f} {calls / check:>8.2f}")
        week = best(args.repeat, lambda: run_check(db, busiest, busiest + timedelta(days=6)))
        print(f"{'(check of one week)':<28} {week:>8.3f} {week / check:>8.2f}")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
