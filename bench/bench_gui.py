"""GUI speed, as ratios against a plain-Qt reference measured in the same run.

1. Start-up to the first painted week on a 10-year demo database, against a bare
   PySide6 window with a table view started the same way (target <= 1.3x).
2. Full repaint of a week with 300 sessions, against a plain QGraphicsScene with
   the same number of rect+text items (target <= 2x and < 16 ms).
3. Opening a week on the 10-year database against the same on a 1-year database
   (target <= 1.5x).

Run: ``python bench/bench_gui.py [--workdir DIR] [--runs N]``. The demo databases
are built once into the work folder and reused.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import planner.ui  # noqa: E402,F401  (first: it applies the PySide6 workaround before any Qt call)

#: "Today" of the benchmark databases: both end in the same recent week.
TODAY = date(2026, 11, 23)

_PAINT_WATCH = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def __init__(self, name):
        super().__init__()
        self.name = name
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            parent = obj.parent() if hasattr(obj, "parent") else None
            if parent is not None and parent.objectName() == self.name:
                print("painted", flush=True)
                os._exit(0)
        return False
"""

_BARE_CHILD = _PAINT_WATCH + r"""
app = QApplication(sys.argv[:1])
watch = FirstPaint("referenceTable")
app.installEventFilter(watch)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTableView
window = QMainWindow()
model = QStandardItemModel(40, 8)
for r in range(40):
    for c in range(8):
        model.setItem(r, c, QStandardItem(f"row {r} col {c}"))
table = QTableView()
table.setObjectName("referenceTable")
table.setModel(model)
window.setCentralWidget(table)
window.resize(1400, 900)
window.show()
app.exec()
"""

_DB_TABLE_CHILD = r"""
import os, sys
from sqlalchemy import create_engine, text
""" + _PAINT_WATCH + r"""
engine = create_engine(os.environ["BENCH_DB_URL"])
with engine.connect() as conn:
    rows = conn.execute(text(
        "SELECT s.ref, s.start, s.status, c.name, p.name FROM infusion_session s "
        "JOIN chair c ON c.id = s.chair_id JOIN course co ON co.id = s.course_id "
        "JOIN patient p ON p.id = co.patient_id "
        "WHERE s.start >= :lo AND s.start < :hi ORDER BY s.start"
    ), {"lo": os.environ["BENCH_WEEK"], "hi": os.environ["BENCH_WEEK_END"]}).all()
app = QApplication(sys.argv[:1])
watch = FirstPaint("referenceTable")
app.installEventFilter(watch)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTableView
window = QMainWindow()
model = QStandardItemModel(len(rows), 5)
for r, row in enumerate(rows):
    for c, value in enumerate(row):
        model.setItem(r, c, QStandardItem(str(value)))
table = QTableView()
table.setObjectName("referenceTable")
table.setModel(model)
window.setCentralWidget(table)
window.resize(1400, 900)
window.show()
app.exec()
"""

# As ``python main.py --db URL`` does: the CLI module (light) first, then the GUI.
_APP_CHILD = r"""
import os, sys
import planner.app
from planner.cli import COMMAND_MODULES
""" + _PAINT_WATCH + r"""
app = QApplication(sys.argv[:1])
watch = FirstPaint("weekView")
app.installEventFilter(watch)
planner.app.main(["--db", os.environ["BENCH_DB_URL"]])
"""


def _spawn(code: str, env: dict[str, str]) -> float:
    """Seconds from starting a Python process until it reports its first painted frame."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=str(ROOT),
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    if "painted" not in line:
        raise RuntimeError("the child process never painted")
    return elapsed


def _demo_document(years: int) -> dict[str, Any]:
    """The 10-year demo clinic ending at ``TODAY``; fewer years = its most recent part only,
    so both databases hold the very same recent weeks and differ only in history."""
    from planner.services.demo import build_demo_document

    weeks = 52 * 10 + 2
    doc = build_demo_document(seed=1, weeks=weeks, today=TODAY - timedelta(weeks=weeks - 2))
    if years >= 10:
        return doc
    cutoff = (TODAY - timedelta(weeks=52 * years)).isoformat()
    doc["sessions"] = [s for s in doc["sessions"] if s["start"] >= cutoff]
    courses = {s["course"] for s in doc["sessions"]}
    doc["courses"] = [c for c in doc["courses"] if c["ref"] in courses]
    patients = {c["patient"] for c in doc["courses"]}
    doc["patients"] = [p for p in doc["patients"] if p["ref"] in patients]
    return doc


def build_demo_db(path: Path, years: int) -> str:
    """A demo clinic spanning ``years`` years up to ``TODAY`` (built once, then reused)."""
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    from planner.db.engine import open_database
    from planner.interchange.validate import parse_document
    from planner.services.clinic_io import document_to_json, load_document

    doc = _demo_document(years)
    tmp = path.with_suffix(".building")
    db = open_database(f"sqlite:///{tmp}")
    load_document(db, parse_document(document_to_json(doc)))
    db.close()
    tmp.rename(path)
    print(f"  {path.name}: {len(doc['sessions'])} sessions, {len(doc['patients'])} patients")
    return url


def bench_startup(url: str, runs: int, workdir: Path) -> tuple[float, float, float]:
    """Medians (s): bare Qt table window, Qt table of the week read with SQLAlchemy, the app."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["PLANNER_DATA_DIR"] = str(workdir / "data")
    env["XDG_CONFIG_HOME"] = str(workdir / "config")  # QSettings of the run, not the user's
    env["BENCH_DB_URL"] = url
    env["BENCH_WEEK"] = f"{monday} 00:00:00"
    env["BENCH_WEEK_END"] = f"{monday + timedelta(days=7)} 00:00:00"
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    # Like an installed app: compiled modules are cached (outside the source tree).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    for child in (_BARE_CHILD, _DB_TABLE_CHILD, _APP_CHILD):  # warm the file cache
        _spawn(child, env)
    bare, table, app = [], [], []
    for _ in range(runs):
        bare.append(_spawn(_BARE_CHILD, env))
        table.append(_spawn(_DB_TABLE_CHILD, env))
        app.append(_spawn(_APP_CHILD, env))
    _STARTUP_RUNS.update(bare=bare, table=table, app=app)
    return statistics.median(bare), statistics.median(table), statistics.median(app)


#: Every start-up measurement of the last ``bench_startup`` (s), to show the spread.
_STARTUP_RUNS: dict[str, list[float]] = {}


def _spread(key: str) -> str:
    runs = _STARTUP_RUNS.get(key) or [0.0]
    return f"(runs {min(runs) * 1000:.0f}–{max(runs) * 1000:.0f} ms)"


def _synthetic_week(sessions: int = 300) -> Any:
    """A week of ``sessions`` fully staffed sessions: 10 chairs x 6 days x 5 slots."""
    from planner.domain.policy import Policy
    from planner.services.week import ChairSnapshot, SessionSnapshot, StaffOnSession, WeekSnapshot

    monday = TODAY - timedelta(days=TODAY.weekday())
    chairs = tuple(ChairSnapshot(f"CH-{i:02d}", f"Chair {i}", "Room") for i in range(1, 11))
    out = []
    n = 0
    for day in range(6):
        for slot in range(5):
            for chair in chairs:
                if n >= sessions:
                    break
                n += 1
                start = datetime.combine(monday + timedelta(days=day), dtime(8 + 2 * slot))
                out.append(
                    SessionSnapshot(
                        ref=f"X-{n:05d}", version=1, start=start, status="confirmed",
                        prep_minutes=20, infusion_minutes=40, recovery_minutes=60,
                        overrides=(None, None, None), chair_ref=chair.ref, chair_name=chair.name,
                        course_ref=f"C-{n:04d}", course_status="active", patient_ref=f"P-{n:04d}",
                        patient_name=f"Patient Number{n}", protocol_ref="KET-DEP",
                        protocol_name="Ketamine — depression induction", number=1 + n % 6,
                        planned_infusions=6,
                        staff=(StaffOnSession("S1", "Dr Ana Silva", "psychiatrist"),
                               StaffOnSession("S2", "Tomás Nuñez", "infusion_nurse")),
                    )
                )
    hours = {d: (dtime(8), dtime(18)) for d in range(6)}
    return WeekSnapshot(monday=monday, clinic_name="Bench", policy=Policy(), chairs=chairs,
                        staff=(), sessions=tuple(out), opening_hours=hours, closures={})


def _repaint_ms(view: Any, rounds: int = 60, *, warm: bool = True) -> float:
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    if warm:
        for _ in range(5):
            viewport.repaint()
        QApplication.processEvents()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        viewport.repaint()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def bench_repaint() -> tuple[float, float, float, int]:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import (
        QApplication,
        QGraphicsRectItem,
        QGraphicsScene,
        QGraphicsSimpleTextItem,
        QGraphicsView,
    )

    from planner.ui.planner.geometry import layout
    from planner.ui.planner.week_view import WeekView

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    week = _synthetic_week()
    size = (1900, 1000)
    ours = WeekView()
    ours.resize(*size)
    ours.show()
    geometry = layout(week, viewport_width=ours.viewport().width(),
                      viewport_height=ours.viewport().height())
    ours.week_scene.show_week(week, geometry)
    blocks = len(ours.week_scene.blocks)
    plain_scene = QGraphicsScene()
    for block in ours.week_scene.blocks.values():
        rect = block.sceneBoundingRect()
        item = QGraphicsRectItem(QRectF(0, 0, rect.width(), rect.height()))
        item.setPos(rect.topLeft())
        item.setBrush(app.palette().base())
        text = QGraphicsSimpleTextItem(block.snapshot.patient_name, item)
        text.setPos(3, 2)
        plain_scene.addItem(item)
    plain_scene.setSceneRect(ours.sceneRect())
    plain = QGraphicsView(plain_scene)
    plain.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    plain.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    plain.resize(*size)
    plain.show()
    QApplication.processEvents()
    # Alternate the two views round by round, so both see the same machine load.
    for view in (plain, ours):
        _repaint_ms(view, rounds=5)
    reference_ms, mine_ms = [], []
    for _ in range(80):
        reference_ms.append(_repaint_ms(plain, rounds=1, warm=False))
        mine_ms.append(_repaint_ms(ours, rounds=1, warm=False))
    reference, mine = statistics.median(reference_ms), statistics.median(mine_ms)
    # Cold: the first paint after the blocks were rebuilt (a week change), nothing cached yet.
    cold = []
    for _ in range(15):
        ours.week_scene.show_week(week, geometry)
        started = time.perf_counter()
        ours.viewport().repaint()
        cold.append((time.perf_counter() - started) * 1000)
    ours.close()
    plain.close()
    return reference, mine, statistics.median(cold), blocks


def _open_page(url: str) -> Any:
    from PySide6.QtGui import QUndoStack

    from planner.db.engine import open_database
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.planner.page import WeekPlannerPage

    db = open_database(url)
    ctx = AppContext(db=db, hub=ChangeHub(), clock=lambda: datetime.combine(TODAY, dtime(8)))
    page = WeekPlannerPage(ctx=ctx, undo_stack=QUndoStack())
    page.resize(1400, 800)
    page.show()
    return page


def _time_open(page: Any, monday: date) -> float:
    page.set_week(monday - timedelta(weeks=1))  # switch away and back: a real "open this week"
    started = time.perf_counter()
    page.set_week(monday)
    page.week_view.viewport().repaint()
    return (time.perf_counter() - started) * 1000


def bench_open_week(url_big: str, url_small: str, runs: int) -> tuple[float, float, float]:
    """Median ms to open (load, check, lay out, draw) the same recent week on both databases,
    measured alternately so both see the same machine load; and the median of the ratios."""
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    big, small = _open_page(url_big), _open_page(url_small)
    monday = TODAY - timedelta(days=TODAY.weekday())
    for page in (big, small):  # warm up
        _time_open(page, monday)
    big_ms, small_ms = [], []
    for _ in range(runs):
        big_ms.append(_time_open(big, monday))
        small_ms.append(_time_open(small, monday))
    print(f"    sessions in the week: 10-year DB {len(big.week.sessions)}, "
          f"1-year DB {len(small.week.sessions)}")
    ratios = [b / s for b, s in zip(big_ms, small_ms, strict=True)]
    for page in (big, small):
        page.close()
        page.ctx.db.close()
    return statistics.median(big_ms), statistics.median(small_ms), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "planner-bench-gui")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer runs (3)")
    args = parser.parse_args()
    if args.quick:
        args.runs = min(args.runs, 3)
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["PLANNER_DATA_DIR"] = str(workdir / "data")
    print("building demo databases (first run only)…", flush=True)
    url10 = build_demo_db(workdir / "demo-10y.sqlite3", 10)
    url1 = build_demo_db(workdir / "demo-1y.sqlite3", 1)

    bare, table, app = bench_startup(url10, args.runs, workdir)
    print("start-up to the first painted frame (median of separate processes):")
    print(f"  bare PySide6 table window:                      {bare * 1000:6.0f} ms {_spread('bare')}")
    print(f"  PySide6 table of the week read with SQLAlchemy: {table * 1000:6.0f} ms {_spread('table')}")
    print(f"  week planner on the 10-year DB (main.py path):  {app * 1000:6.0f} ms {_spread('app')}")
    print(f"  -> {app / table:.2f}x the DB-reading table window (target <= 1.3x); "
          f"{app / bare:.2f}x the bare window")

    reference, mine, cold, blocks = bench_repaint()
    print(f"full repaint, {blocks} sessions: plain scene {reference:.2f} ms, week view {mine:.2f} ms "
          f"-> {mine / reference:.2f}x (target <= 2x and < 16 ms)")
    print(f"  first paint after rebuilding the blocks (nothing cached): {cold:.2f} ms "
          f"-> {cold / reference:.2f}x the plain scene")

    print("open a week:")
    ten, one, ratio = bench_open_week(url10, url1, args.runs * 4)
    print(f"open a week: 1-year DB {one:.1f} ms, 10-year DB {ten:.1f} ms -> {ratio:.2f}x "
          "(median of paired runs; target <= 1.5x)")
    sys.stdout.flush()
    # Leave without running Qt's and PySide's teardown (it can crash at interpreter exit).
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
