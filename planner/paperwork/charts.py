"""A report's charts drawn with reportlab's chart library: bars per day, lines per week.

Takes the same :class:`~planner.reports.view.Chart` the Reports page paints, so
paper and screen show the same numbers. Each chart is a ``Drawing`` flowable.
"""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from planner.paperwork.styles import FONT, GRID, INK, MUTED, register_fonts
from planner.reports.view import Chart, axis_top

#: Series colours, distinguishable in print and for the common colour-vision deficiencies.
SERIES_COLOURS = (
    colors.HexColor("#2f6db5"),
    colors.HexColor("#e08a1e"),
    colors.HexColor("#3a9a5b"),
    colors.HexColor("#8a5aa8"),
)
#: At most this many category labels are written under the axis (the others are skipped).
MAX_LABELS = 26

_LEFT, _BOTTOM_FLAT, _BOTTOM_SLANTED, _TOP = 40.0, 22.0, 52.0, 22.0


def shown_labels(labels: tuple[str, ...]) -> list[str]:
    """Every label, or every n-th one when there are too many to read."""
    every = max(1, math.ceil(len(labels) / MAX_LABELS))
    return [label if i % every == 0 else "" for i, label in enumerate(labels)]


def _value_format(chart: Chart) -> str:
    return {"%": "%d %%", "h": "%g h"}.get(chart.unit, "%g")


def chart_drawing(chart: Chart, width: float, height: float) -> Drawing:
    """``chart`` as a drawing ``width`` × ``height`` points, with a legend for several series."""
    register_fonts()
    drawing = Drawing(width, height)
    if chart.empty:
        drawing.add(
            String(
                width / 2,
                height / 2,
                "No data in this period",
                fontName=FONT,
                fontSize=9,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
        return drawing
    slanted = len(chart.labels) > 8 or max(len(x) for x in chart.labels) > 12
    bottom = _BOTTOM_SLANTED if slanted else _BOTTOM_FLAT
    top_room = _TOP if len(chart.series) > 1 else 8.0
    plot = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    plot.x, plot.y = _LEFT, bottom
    plot.width, plot.height = width - _LEFT - 8, height - bottom - top_room
    plot.data = [tuple(s.values) for s in chart.series]
    top, step = axis_top(chart)
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = top
    plot.valueAxis.valueStep = step
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.labelTextFormat = _value_format(chart)
    plot.valueAxis.visibleGrid = True
    plot.valueAxis.gridStrokeColor = GRID
    plot.valueAxis.gridStrokeWidth = 0.25
    axis = plot.categoryAxis
    axis.categoryNames = shown_labels(chart.labels)
    axis.labels.fontName = FONT
    axis.labels.fontSize = 6.5 if slanted else 7
    axis.labels.fillColor = INK
    if slanted:
        axis.labels.angle = 35
        axis.labels.boxAnchor = "ne"
        axis.labels.dx, axis.labels.dy = 4, -2
    if isinstance(plot, VerticalBarChart):
        plot.barSpacing = 1
        plot.groupSpacing = 4 if len(chart.labels) > 20 else 8
        for i in range(len(chart.series)):
            plot.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            plot.bars[i].strokeColor = None
        if len(chart.series) == 1 and len(chart.labels) <= 16:
            plot.barLabelFormat = _value_format(chart)
            plot.barLabels.fontName = FONT
            plot.barLabels.fontSize = 6.5
            plot.barLabels.nudge = 6
    else:
        plot.joinedLines = 1
        for i in range(len(chart.series)):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            plot.lines[i].strokeColor = colour
            plot.lines[i].strokeWidth = 1.6
            plot.lines[i].symbol = makeMarker("FilledCircle", size=3.5, fillColor=colour)
    drawing.add(plot)
    if len(chart.series) > 1:
        drawing.add(_legend(chart, width, height))
    return drawing


def _legend(chart: Chart, width: float, height: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = _LEFT, height - 4
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.fontName = FONT
    legend.fontSize = 7.5
    legend.boxAnchor = "nw"
    legend.colorNamePairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], s.name) for i, s in enumerate(chart.series)
    ]
    return legend
