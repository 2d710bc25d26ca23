"""A report's chart on screen: bars or lines painted with QPainter from the PDF's own data.

The same :class:`~planner.reports.view.Chart` the PDF draws with reportlab;
the accessible description reads the values out for a screen reader.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from planner.reports.view import Chart, axis_top

SERIES_COLOURS = ("#2f6db5", "#e08a1e", "#3a9a5b", "#8a5aa8")
GRID_COLOUR = "#d0d4da"
SLANT_DEGREES = 35
SLANT_SIN = math.sin(math.radians(SLANT_DEGREES))
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#5f6b7a"


def value_text(chart: Chart, value: float | None) -> str:
    if value is None:
        return "—"
    number = f"{value:g}"
    return {"%": f"{number} %", "h": f"{number} h"}.get(chart.unit, number)


class ChartWidget(QWidget):
    """Paints one chart; ``set_chart(None)`` leaves it empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_chart")
        self.chart: Chart | None = None
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Chart"))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 260)

    def set_chart(self, chart: Chart | None) -> None:
        self.chart = chart
        if chart is None:
            self.setAccessibleName(self.tr("Chart"))
            self.setAccessibleDescription("")
        else:
            self.setAccessibleName(chart.title)
            self.setAccessibleDescription(
                "; ".join(
                    f"{s.name}: "
                    + ", ".join(
                        f"{label} {value_text(chart, v)}"
                        for label, v in zip(chart.labels, s.values, strict=True)
                    )
                    for s in chart.series
                )
            )
        self.update()

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        chart = self.chart
        metrics = QFontMetricsF(self.font())
        if chart is None or chart.empty:
            painter.setPen(QColor(MUTED_COLOUR))
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("No data in this period"),
            )
            painter.end()
            return
        line = metrics.height()
        painter.setPen(QColor(TEXT_COLOUR))
        painter.drawText(QPointF(8, 4 + metrics.ascent()), chart.title)
        top_y = 8 + line * (2.9 if len(chart.series) > 1 else 1.6)
        if len(chart.series) > 1:
            self._legend(painter, chart, 8 + line * 1.1, metrics)
        top, step = axis_top(chart)
        label_w = max(metrics.horizontalAdvance(value_text(chart, top)), 30.0) + 8
        slanted = self._slanted(chart, metrics)
        widest = max(metrics.horizontalAdvance(x) for x in chart.labels)
        bottom_room = (widest * SLANT_SIN + line * 1.2) if slanted else (line * 1.6)
        plot = QRectF(
            label_w + 6, top_y, self.width() - label_w - 16, self.height() - top_y - bottom_room
        )
        if plot.width() < 40 or plot.height() < 30:
            painter.end()
            return
        self._grid(painter, chart, plot, top, step, metrics)
        self._labels(painter, chart, plot, metrics, slanted)
        if chart.kind == "bar":
            self._bars(painter, chart, plot, top, metrics)
        else:
            self._lines(painter, chart, plot, top)
        painter.end()

    def _slanted(self, chart: Chart, metrics: QFontMetricsF) -> bool:
        slot = (self.width() - 80) / max(1, len(chart.labels))
        return max(metrics.horizontalAdvance(x) for x in chart.labels) > slot - 4

    def _legend(self, painter: QPainter, chart: Chart, y: float, metrics: QFontMetricsF) -> None:
        x = 8.0
        for i, s in enumerate(chart.series):
            painter.fillRect(QRectF(x, y + 2, 10, 10), QColor(SERIES_COLOURS[i % 4]))
            painter.setPen(QColor(TEXT_COLOUR))
            painter.drawText(QPointF(x + 14, y + metrics.ascent()), s.name)
            x += 28 + metrics.horizontalAdvance(s.name)

    def _grid(
        self,
        painter: QPainter,
        chart: Chart,
        plot: QRectF,
        top: float,
        step: float,
        metrics: QFontMetricsF,
    ) -> None:
        ticks = int(round(top / step))
        for i in range(ticks + 1):
            value = i * step
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(QColor(GRID_COLOUR), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(MUTED_COLOUR))
            text = value_text(chart, round(value, 2))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def _labels(
        self, painter: QPainter, chart: Chart, plot: QRectF, metrics: QFontMetricsF, slanted: bool
    ) -> None:
        count = len(chart.labels)
        slot = plot.width() / count
        every = max(1, math.ceil(count / max(1, plot.width() / (metrics.height() * 1.3))))
        painter.setPen(QColor(TEXT_COLOUR))
        for i, label in enumerate(chart.labels):
            if i % every:
                continue
            x = plot.left() + slot * (i + 0.5)
            if slanted:
                painter.save()
                painter.translate(x, plot.bottom() + 4)
                painter.rotate(-SLANT_DEGREES)
                width = metrics.horizontalAdvance(label)
                painter.drawText(QPointF(-width, metrics.ascent()), label)
                painter.restore()
            else:
                painter.drawText(
                    QRectF(x - slot / 2, plot.bottom() + 3, slot, metrics.height()),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )

    def _bars(
        self, painter: QPainter, chart: Chart, plot: QRectF, top: float, metrics: QFontMetricsF
    ) -> None:
        count, series = len(chart.labels), len(chart.series)
        slot = plot.width() / count
        gap = min(8.0, slot * 0.2)
        bar = (slot - gap) / series
        show_values = series == 1 and bar > metrics.horizontalAdvance("100 %")
        for si, s in enumerate(chart.series):
            colour = QColor(SERIES_COLOURS[si % 4])
            for i, value in enumerate(s.values):
                if value is None:
                    continue
                height = plot.height() * min(value, top) / top
                x = plot.left() + slot * i + gap / 2 + bar * si
                rect = QRectF(x, plot.bottom() - height, max(bar - 1, 1), height)
                painter.fillRect(rect, colour)
                if show_values:
                    painter.setPen(QColor(TEXT_COLOUR))
                    painter.drawText(
                        QRectF(x, rect.top() - metrics.height(), bar, metrics.height()),
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                        value_text(chart, value),
                    )

    def _lines(self, painter: QPainter, chart: Chart, plot: QRectF, top: float) -> None:
        slot = plot.width() / len(chart.labels)
        for si, s in enumerate(chart.series):
            colour = QColor(SERIES_COLOURS[si % 4])
            painter.setPen(QPen(colour, 2))
            path = QPainterPath()
            drawing = False
            points = []
            for i, value in enumerate(s.values):
                if value is None:
                    drawing = False
                    continue
                point = QPointF(
                    plot.left() + slot * (i + 0.5),
                    plot.bottom() - plot.height() * min(value, top) / top,
                )
                points.append(point)
                if drawing:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    drawing = True
            painter.drawPath(path)
            painter.setBrush(colour)
            for point in points:
                painter.drawEllipse(point, 3, 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
