"""The legend under the week: what the colours, edges, badges and staff codes on the cards mean.

Swatches are painted with the cards' own colours (``status_colors``, the error and
warning colours, the dashed edge of a proposal), so the legend cannot drift from
the cards. Entries flow onto as many lines as the width needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from planner.domain import SESSION_STATUSES
from planner.ui.planner.card_text import WeekLabels
from planner.ui.widgets.palette import (
    ERROR_COLOR,
    NOW_COLOR,
    WARNING_COLOR,
    status_colors,
    status_label,
)

SWATCH_W, SWATCH_H = 22.0, 14.0
GAP = 14.0
PAD = 4.0


@dataclass(frozen=True)
class Entry:
    kind: str  # "status:<status>", "proposal", "error", "warning", "now", "bands", "code:<code>"
    text: str


class LegendBar(QWidget):
    """Statuses, proposal, badges, the now line, the card's bands, then this week's staff codes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plannerLegend")
        self.setAccessibleName(self.tr("Legend"))
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.entries: list[Entry] = []
        self.staff: list[Entry] = []
        self._fixed = [
            *(Entry(f"status:{s}", status_label(s)) for s in SESSION_STATUSES),
            Entry("bands", self.tr("preparation · infusion · recovery")),
            Entry("proposal", self.tr("proposal")),
            Entry("error", self.tr("error")),
            Entry("warning", self.tr("warning")),
            Entry("now", self.tr("now")),
        ]
        self.set_labels(None)

    def set_labels(self, labels: WeekLabels | None) -> None:
        """The staff codes of the shown week ("AS Dr Ana Silva")."""
        self.staff = []
        if labels is not None:
            for ref, code in sorted(labels.staff.items(), key=lambda item: item[1]):
                self.staff.append(Entry(f"code:{code}", labels.staff_names.get(ref, ref)))
        self.entries = [*self._fixed, *self.staff]
        words = [e.text if not e.kind.startswith("code:") else f"{e.kind[5:]} = {e.text}" for e in self.entries]
        self.setAccessibleDescription(", ".join(words))
        self.setToolTip(self.tr("Cards: patient, staff (psychiatrist · monitoring clinician), "
                                "time and infusion number, protocol. Staff codes: ")
                        + ", ".join(f"{e.kind[5:]} {e.text}" for e in self.staff))
        self.updateGeometry()
        self.update()

    # -- layout ------------------------------------------------------------------------------
    def _entry_width(self, entry: Entry, metrics: QFontMetricsF, bold: QFontMetricsF) -> float:
        if entry.kind.startswith("code:"):
            return bold.horizontalAdvance(entry.kind[5:]) + 4 + metrics.horizontalAdvance(entry.text)
        return SWATCH_W + 4 + metrics.horizontalAdvance(entry.text)

    def _places(self, width: float) -> list[tuple[Entry, QPointF]]:
        metrics = QFontMetricsF(self.font())
        bold_font = self.font()
        bold_font.setBold(True)
        bold = QFontMetricsF(bold_font)
        line = max(metrics.height(), SWATCH_H) + 4
        x, y = PAD, PAD
        out = []
        for entry in self.entries:
            w = self._entry_width(entry, metrics, bold)
            if x > PAD and x + w > width - PAD:
                x, y = PAD, y + line
            out.append((entry, QPointF(x, y)))
            x += w + GAP
        return out

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """Room for a line of staff codes even before a week is shown, so the legend does not
        grow (and the week be laid out again) once the codes arrive."""
        places = self._places(float(width))
        metrics = QFontMetricsF(self.font())
        line = max(metrics.height(), SWATCH_H) + 4
        last = places[-1][1].y() if places else PAD
        if not self.staff:
            last += line
        return int(last + line + PAD)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(300, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.heightForWidth(max(200, self.width())))

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        metrics = QFontMetricsF(self.font())
        bold_font = self.font()
        bold_font.setBold(True)
        text_color = self.palette().color(self.foregroundRole())
        for entry, at in self._places(float(self.width())):
            swatch = QRectF(at.x(), at.y() + 1, SWATCH_W, SWATCH_H)
            baseline = at.y() + (SWATCH_H + metrics.ascent() - metrics.descent()) / 2 + 1
            if entry.kind.startswith("code:"):
                code = entry.kind[5:]
                painter.setFont(bold_font)
                painter.setPen(text_color)
                painter.drawText(QPointF(at.x(), baseline), code)
                painter.setFont(self.font())
                painter.drawText(
                    QPointF(at.x() + QFontMetricsF(bold_font).horizontalAdvance(code) + 4, baseline),
                    entry.text,
                )
                continue
            self._paint_swatch(painter, entry.kind, swatch)
            painter.setFont(self.font())
            painter.setPen(text_color)
            painter.drawText(QPointF(swatch.right() + 4, baseline), entry.text)
        painter.end()

    def _paint_swatch(self, painter: QPainter, kind: str, r: QRectF) -> None:
        if kind.startswith("status:"):
            status = kind[7:]
            _prep, infusion, _recovery, border = status_colors(status)
            painter.fillRect(r, infusion)
            painter.setPen(QPen(border, 1))
            painter.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5))
            if status in ("cancelled", "no_show"):
                painter.drawLine(QPointF(r.left() + 2, r.bottom() - 2), QPointF(r.right() - 2, r.top() + 2))
        elif kind == "bands":
            prep, infusion, recovery, border = status_colors("planned")
            third = r.width() / 3
            first = QRectF(r.left(), r.top(), third, r.height())
            painter.fillRect(first, prep)
            hatch = QColor(border)
            hatch.setAlpha(90)
            painter.fillRect(first, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.fillRect(QRectF(r.left() + third, r.top(), third, r.height()), infusion)
            painter.fillRect(QRectF(r.left() + 2 * third, r.top(), third, r.height()), recovery)
            painter.setPen(QPen(border, 1))
            painter.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5))
        elif kind == "proposal":
            _p, infusion, _r, border = status_colors("planned")
            painter.setOpacity(0.55)
            painter.fillRect(r, infusion)
            pen = QPen(border, 1)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5))
            painter.setOpacity(1.0)
        elif kind in ("error", "warning"):
            colour = QColor(ERROR_COLOR if kind == "error" else WARNING_COLOR)
            painter.fillRect(QRectF(r.left(), r.top(), 4, r.height()), colour)
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.setBrush(colour)
            centre = QPointF(r.right() - 7, r.center().y())
            painter.drawEllipse(centre, 6.5, 6.5)
            bold = self.font()
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(QRectF(centre.x() - 6.5, centre.y() - 6.5, 13, 13), Qt.AlignmentFlag.AlignCenter, "!")
            painter.setBrush(Qt.BrushStyle.NoBrush)
        elif kind == "now":
            painter.setPen(QPen(QColor(NOW_COLOR), 2))
            painter.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()))


def staff_legend_text(labels: WeekLabels) -> str:
    """"AS Dr Ana Silva · GO Grace Okafor" (for tests and the accessible description)."""
    return " · ".join(
        f"{code} {labels.staff_names.get(ref, ref)}"
        for ref, code in sorted(labels.staff.items(), key=lambda item: item[1])
    )

