"""Start-up of the bundle against the source: time to the first painted week, as a ratio.

Both programs open the same demo database (half a year of sessions) in separate
processes, alternately, and report the week's first paint through the app's own
``PLANNER_EXIT_AFTER_FIRST_PAINT`` switch; the source runs as ``python main.py``
with its compiled modules cached, as an installed copy would. Target: the bundle
paints no later than the source (ratio <= 1.1).

Run: ``python bench/bench_bundle_start.py [--bundle DIR] [--runs N] [--quick]`` after
``make dist``; without a bundle it says so and stops.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT / "dist" / "infusion-planner"


def _first_paint(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``argv`` until it reports its first painted week."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, cwd=env["HOME"], text=True)
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("first week painted"):
                return time.perf_counter() - started
        raise RuntimeError(f"{argv[0]} exited without painting a week")
    finally:
        proc.kill()
        proc.wait(timeout=60)


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE, help="the bundle folder")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "planner-bench-bundle")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="fewer runs (3)")
    args = parser.parse_args()
    if args.quick:
        args.runs = min(args.runs, 3)
    program = args.bundle / "infusion-planner"
    if not program.is_file():
        print(f"SKIPPED: no bundle at {args.bundle} (build it with make dist)")
        return 0

    workdir: Path = args.workdir
    (workdir / "home").mkdir(parents=True, exist_ok=True)
    env = {
        "HOME": str(workdir / "home"),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "PLANNER_DATA_DIR": str(workdir / "data"),
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "PLANNER_EXIT_AFTER_FIRST_PAINT": "1",
        "PYTHONPYCACHEPREFIX": str(workdir / "pycache"),
    }
    database = workdir / "demo.sqlite3"
    url = f"sqlite:///{database}"
    if not database.exists():
        print("building the demo database (first run only)…", flush=True)
        subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", url, "demo", "--weeks", "26"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    source = [sys.executable, str(ROOT / "main.py"), "--db", url]
    bundle = [str(program), "--db", url]
    for argv in (source, bundle):  # warm the file cache and the compiled-module cache
        _first_paint(argv, env)
    source_s, bundle_s = [], []
    for _ in range(args.runs):
        source_s.append(_first_paint(source, env))
        bundle_s.append(_first_paint(bundle, env))
    src, bun = statistics.median(source_s), statistics.median(bundle_s)
    print(f"bundle: {args.bundle} ({_size_mb(args.bundle):.0f} MB)")
    print("start-up to the first painted week (median of separate processes):")
    print(f"  source (python main.py): {src * 1000:6.0f} ms "
          f"(runs {min(source_s) * 1000:.0f}–{max(source_s) * 1000:.0f} ms)")
    print(f"  bundle:                  {bun * 1000:6.0f} ms "
          f"(runs {min(bundle_s) * 1000:.0f}–{max(bundle_s) * 1000:.0f} ms)")
    # Each pair ran back to back, under the same machine load: the median of their ratios.
    ratio = statistics.median(b / s for b, s in zip(bundle_s, source_s, strict=True))
    print(f"  -> the bundle takes {ratio:.2f}x the source's time "
          f"(median of paired runs; medians alone {bun / src:.2f}x; target <= 1.1x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
