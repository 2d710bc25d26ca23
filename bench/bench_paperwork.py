"""Paperwork speed: a 30-session day packet, one monitoring sheet against bare reportlab, start-up.

Run from the repository root:  .venv/bin/python bench/bench_paperwork.py [--rounds N] [--quick]

Prints
- the time to build a day packet of 30 sessions (pure builder, and end to end
  through the service from a SQLite database); target < 1 s;
- one monitoring sheet against a bare reportlab document with the same number
  of table cells, the same two fonts and the same number of pages, built in the
  same run (target ratio <= 1.5);
- whether importing the app / CLI pulls in reportlab (it must not), and what
  importing reportlab costs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.paperwork import build_day_packet, build_monitoring  # noqa: E402
from planner.paperwork.data import RenderOptions  # noqa: E402
from tests.paperwork import samples  # noqa: E402


def timed(
    fn: Callable[[], object], rounds: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    out = []
    for _ in range(rounds):
        start = clock()
        fn()
        out.append(clock() - start)
    return out


def table_shapes(flowables: list[Any]) -> list[tuple[int, int]]:
    """(rows, columns) of every table in a story (looking inside KeepTogether groups)."""
    from reportlab.platypus import KeepTogether, Table

    shapes: list[tuple[int, int]] = []
    for item in flowables:
        if isinstance(item, Table):
            shapes.append((item._nrows, item._ncols))
        elif isinstance(item, KeepTogether):
            shapes += table_shapes(list(item._content))
    return shapes


def table_cells(flowables: list[Any]) -> int:
    return sum(rows * cols for rows, cols in table_shapes(flowables))


def bare_shaped(shapes: list[tuple[int, int]], font: str, bold: str) -> bytes:
    """A second reference: plain reportlab tables of the same shapes, one after another."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    story = []
    for rows, cols in shapes:
        data = [[f"r{r}c{c}" if (r + c) % 2 else "" for c in range(cols)] for r in range(rows)]
        table = Table(data, colWidths=[500 / cols] * cols, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 8.5),
                    ("FONT", (0, 0), (-1, 0), bold, 8.5),
                    ("GRID", (0, 0), (-1, -1), 0.5, "grey"),
                ]
            )
        )
        story.append(table)
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def bare_document(cells: int, font: str, bold: str | None = None, pages: int = 1) -> bytes:
    """The reference: one plain reportlab table with ``cells`` short cells, spread over ``pages``.

    With ``bold``, its header row is in that font (as a table usually has, and as the sheet
    has: the same two fonts get embedded). With ``pages`` > 1 the rows are made tall enough
    that the table runs over that many pages, header row repeated: a multi-page document
    costs a page object, content stream and header redraw per page, so comparing a
    three-page sheet against a one-page table would charge the sheet for its page count.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    columns = 11
    rows = -(-cells // columns)
    data = [
        [str(r * columns + c) if (r + c) % 2 else "" for c in range(columns)] for r in range(rows)
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    heights = None
    if pages > 1:
        per_page = 1 + -(-(rows - 1) // pages)  # the repeated header row + a share of the body
        heights = [(doc.height - 13) / per_page] * rows  # 13: the frame's own padding
    table = Table(data, repeatRows=1, rowHeights=heights)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.5, "grey"),
    ]
    if bold is not None:
        commands.append(("FONT", (0, 0), (-1, 0), bold, 8.5))
    table.setStyle(TableStyle(commands))
    doc.build([table])
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def clinic_with_day(sessions: int) -> dict[str, Any]:
    """A clinic document with ``sessions`` fully staffed sessions on Tue 2026-12-01.

    Each course had its first infusion the Friday before; every fifth course has
    no consent on file, so the packet carries a consent form for those.
    """
    from tests.factories import base_document

    doc = base_document()
    chairs = 6
    doc["chairs"] = [
        {"ref": f"CH-{c}", "name": f"Chair {c}", "room": "Room A"} for c in range(1, chairs + 1)
    ]
    hours = [
        {"weekday": d, "start": "07:00", "end": "19:00"} for d in ("MO", "TU", "WE", "TH", "FR")
    ]
    doc["staff"] = [
        {
            "ref": f"PS{i}",
            "name": f"Dr Psychiatrist {i}",
            "roles": ["psychiatrist"],
            "credential_expires": "2028-01-01",
            "hours": hours,
            "leave": [],
        }
        for i in range(2)
    ] + [
        {
            "ref": f"RN{i}",
            "name": f"Nurse {i}",
            "roles": ["infusion_nurse"],
            "credential_expires": "2028-01-01",
            "hours": hours,
            "leave": [],
        }
        for i in range(3)
    ]
    doc["patients"], doc["courses"], doc["sessions"] = [], [], []
    for i in range(sessions):
        slot, chair = divmod(i, chairs)
        doc["patients"].append(
            {
                "ref": f"P-{i:04d}",
                "name": samples.NAMES[i % len(samples.NAMES)] + f" {i}",
                "date_of_birth": "1980-01-01",
                "record_number": f"MRN-{i:05d}",
                "weight_kg": 60 + i,
                "flags": [],
                "escort": {"name": "Escort", "phone": "+1 555 0000"},
                "notes": "",
            }
        )
        doc["courses"].append(
            {
                "ref": f"C-{i:04d}",
                "patient": f"P-{i:04d}",
                "protocol": "KET-DEP",
                "planned_infusions": 6,
                "consent_date": None if i % 5 == 0 else "2026-11-20",
                "status": "active",
            }
        )
        for prefix, day in (("W", "2026-11-27"), ("X", "2026-12-01")):
            doc["sessions"].append(
                {
                    "ref": f"{prefix}-{i:04d}",
                    "course": f"C-{i:04d}",
                    "chair": f"CH-{chair + 1}",
                    "start": f"{day}T{8 + 2 * slot:02d}:00",
                    "status": "planned",
                    "assignments": [
                        {"staff": f"PS{chair // 4}", "role": "psychiatrist"},
                        {"staff": f"RN{chair // 2}", "role": "infusion_nurse"},
                    ],
                }
            )
    return doc


def import_check() -> tuple[list[str], float]:
    code = (
        "import sys, time\n"
        "import planner.app, planner.cli, planner.paperwork, planner.services.paperwork\n"
        "planner.cli.build_parser()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('reportlab'))\n"
        "t = time.perf_counter(); import reportlab.platypus, reportlab.pdfgen.canvas\n"
        "print(repr(loaded)); print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    lines = out.stdout.strip().splitlines()
    return eval(lines[-2]), float(lines[-1])  # noqa: S307 (our own repr of a list of names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (for make bench)")
    args = parser.parse_args()
    if args.quick:
        args.rounds = min(args.rounds, 2)
    options = RenderOptions(paper="A4", now=samples.NOW)

    first = time.perf_counter()
    build_monitoring(samples.monitoring(), options)  # fonts registered, modules imported
    print(f"first document (imports + font registration): {time.perf_counter() - first:.3f} s")

    packet = samples.day_packet(30)
    pdf = build_day_packet(packet, options)
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    packet_times = timed(lambda: build_day_packet(packet, options), args.rounds)
    packet_cpu = timed(lambda: build_day_packet(packet, options), args.rounds, time.process_time)
    print(
        f"day packet, 30 sessions + {len(packet.consents)} consent forms ({pages} pages): "
        f"median {statistics.median(packet_times):.3f} s wall, {statistics.median(packet_cpu):.3f} s CPU "
        "(target < 1 s)"
    )

    from planner.db.engine import open_database
    from planner.services.paperwork import render_day
    from tests.factories import load_into

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        load_into(db, clinic_with_day(30))
        service_times = timed(lambda: render_day(db, date(2026, 12, 1), now=samples.NOW), args.rounds)
        db.close()
    print(
        "day packet through the service, 30 sessions + 6 consent forms (SQLite read + rules + PDF): "
        f"median {statistics.median(service_times):.3f} s  (target < 1 s)"
    )

    from planner.paperwork.monitoring import monitoring_section
    from planner.paperwork.styles import FONT, FONT_BOLD

    sheet = samples.monitoring()
    shapes = table_shapes(monitoring_section(sheet, options).story)
    cells = sum(rows * cols for rows, cols in shapes)
    pages = page_count(build_monitoring(sheet, options))
    ref_pages = page_count(bare_document(cells, FONT, FONT_BOLD, pages))
    shaped: list[float] = []
    bare_dejavu: list[float] = []
    bare_helvetica: list[float] = []
    ours: list[float] = []
    cpu = time.process_time  # CPU time of this process: steadier than wall time on a shared machine
    for _ in range(args.rounds * 6):  # interleaved, so both see the same machine state
        ours += timed(lambda: build_monitoring(sheet, options), 1, cpu)
        bare_dejavu += timed(lambda: bare_document(cells, FONT, FONT_BOLD, pages), 1, cpu)
        bare_helvetica += timed(lambda: bare_document(cells, "Helvetica"), 1, cpu)
        shaped += timed(lambda: bare_shaped(shapes, FONT, FONT_BOLD), 1, cpu)
    mine, ref, ref_std, ref_shaped = (
        statistics.median(x) for x in (ours, bare_dejavu, bare_helvetica, shaped)
    )
    print(
        f"monitoring sheet ({cells} table cells, {pages} pages): {mine * 1000:.1f} ms CPU; "
        f"bare reportlab table with {cells} cells over {ref_pages} pages: {ref * 1000:.1f} ms in "
        f"DejaVu Sans (bold header row), {ref_std * 1000:.1f} ms in Helvetica (one page)"
    )
    print(f"ratio sheet / bare (same font): {mine / ref:.2f}x  (target <= 1.5x)")
    print(f"ratio sheet / bare (Helvetica, no font embedding): {mine / ref_std:.2f}x")
    print(
        f"ratio sheet / bare tables of the same {len(shapes)} shapes ({ref_shaped * 1000:.1f} ms, "
        f"same fonts, default row heights): {mine / ref_shaped:.2f}x"
    )

    loaded, cost = import_check()
    print(f"reportlab modules loaded by importing the app and the CLI: {len(loaded)} (must be 0)")
    print(f"what importing reportlab costs when a document is first made: {cost * 1000:.0f} ms")
    return 0 if not loaded else 1


if __name__ == "__main__":
    raise SystemExit(main())
