"""A report as PDF: summary, charts (reportlab's charts), tables, what the numbers mean.

Landscape pages, so a chart of a month's days and a table of several chairs
fit across. The text is the report's view, word for word what the Reports page
shows.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether

from planner.paperwork.blocks import para, spacer, table
from planner.paperwork.charts import chart_drawing
from planner.paperwork.document import build_pdf
from planner.paperwork.fonts import FONT, FONT_BOLD
from planner.paperwork.pages import Section
from planner.paperwork.styles import SHADE, inner_width, styles
from planner.reports.view import ReportView, Table

CHART_HEIGHT = 6.8 * cm
CELL_STYLE = "cell_small"


def build_report(view: ReportView, *, clinic: str, paper: str, now: datetime) -> bytes:
    """The report ``view`` as PDF bytes."""
    width = inner_width(paper, wide=True)
    story: list[Flowable] = [para(line) for line in view.summary]
    for chart in view.charts:
        story += [
            spacer(0.3),
            KeepTogether([para(chart.title, "h3"), chart_drawing(chart, width, CHART_HEIGHT)]),
        ]
    for shown in view.tables:
        story += [spacer(0.2), para(shown.title, "h2"), _table(shown, width)]
    if view.notes:
        story.append(spacer(0.3))
        story += [para(note, "note") for note in view.notes]
    section = Section(
        title=f"{view.title} report",
        story=story,
        lines=(f"{view.period}",),
        reference=view.kind,
        wide=True,
    )
    return build_pdf(
        [section],
        paper=paper,
        now=now,
        clinic=clinic,
        title=f"{view.title} report {view.period}",
    )


def column_widths(shown: Table, width: float) -> list[float]:
    """Widths in proportion to each column's widest text (none wider than a third)."""
    need = []
    for c, title in enumerate(shown.columns):
        texts = [title, *(row[c] for row in shown.rows)]
        size = styles()[CELL_STYLE].fontSize
        widest = max(stringWidth(x, FONT, size) for x in texts) + 10
        need.append(min(widest, width / 3))
    scale = width / sum(need)
    return [w * scale for w in need]


def _table(shown: Table, width: float) -> Flowable:
    if not shown.rows:
        return para("Nothing in this period.", "note")
    widths = column_widths(shown, width)
    extra: list[tuple[object, ...]] = [
        ("ALIGN", (c, 1), (c, -1), "RIGHT") for c in sorted(shown.numeric)
    ]
    if shown.total_row:
        extra += [
            ("BACKGROUND", (0, -1), (-1, -1), SHADE),
            ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
        ]
    return table([shown.columns, *shown.rows], widths, header=True, style=CELL_STYLE, extra=extra)
