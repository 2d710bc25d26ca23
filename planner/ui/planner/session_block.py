"""One session on the week canvas: preparation, infusion and recovery bands, text, badge.

Painted by hand (a few rectangles and pre-elided text) so a week with hundreds
of sessions repaints within a frame.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.services.week import SessionSnapshot, Violation
from planner.ui.widgets.palette import (
    ERROR_COLOR,
    WARNING_COLOR,
    role_label,
    status_colors,
    status_label,
)

BADGE_RADIUS = 7.0
_SELECTED = QColor("#1e3a8a")
_TEXT = QColor("#14202e")
_ERROR = QColor(ERROR_COLOR)
_WARNING = QColor(WARNING_COLOR)
_WHITE = QColor("#ffffff")
_BADGE_PEN = QPen(_WHITE, 1.0)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionBlock", text)


def _fit_name(name: str, metrics: QFontMetricsF, width: float) -> str:
    """The full name if it fits, else "First L.", else the surname alone (then elided)."""
    if metrics.horizontalAdvance(name) <= width:
        return name
    words = name.split()
    if len(words) > 1:
        short = f"{words[0]} {words[-1][0]}."
        if metrics.horizontalAdvance(short) <= width:
            return short
        return words[-1]
    return name


class SessionBlock(QGraphicsItem):
    """A session block; ``ref`` identifies it, ``badge`` is "error", "warning" or ""."""

    def __init__(
        self,
        snapshot: SessionSnapshot,
        rect: QRectF,
        violations: list[Violation],
        *,
        font: QFont,
        bold: QFont,
        ghost: bool = False,
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.ref = snapshot.ref
        self.violations = violations
        self.ghost = ghost
        self._rect = QRectF(0, 0, rect.width(), rect.height())
        self._font = font
        self._bold = bold
        self.setPos(rect.topLeft())
        if not ghost:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(False)
        self.setZValue(2 if not ghost else 3)
        errors = [v for v in violations if v.severity == "error"]
        self.badge = "error" if errors else ("warning" if violations else "")
        self._lines = self._text_lines()
        self._prepare()
        self.setToolTip(self._tooltip())

    # -- content ---------------------------------------------------------
    def _text_lines(self) -> list[tuple[str, bool]]:
        s = self.snapshot
        full = self._rect.width() - 8
        width = full - (2 * BADGE_RADIUS + 2 if self.badge else 0)
        metrics = QFontMetricsF(self._font)
        bold_metrics = QFontMetricsF(self._bold)
        room = int((self._rect.height() - 4) // metrics.height())
        if room <= 0:
            return []
        narrow = full < 110
        staff = " · ".join(p.initials for p in s.staff) or _tr("no staff")
        n = s.number or "–"
        number = f"{n}/{s.planned_infusions}" if narrow else _tr("{n} of {total}").format(
            n=n, total=s.planned_infusions
        )
        name = _fit_name(s.patient_name, bold_metrics, width)
        protocol = s.protocol_name
        if metrics.horizontalAdvance(protocol) > full and s.protocol_ref:
            protocol = s.protocol_ref
        wanted = [
            (name, True),
            (protocol, False),
            (number if narrow else f"{s.start:%H:%M} · {number}", False),
            (staff, False),
        ]
        if room < 4:  # short block: the most useful lines first
            wanted = [wanted[0], (f"{number} · {staff}", False), wanted[1]][:room]
        out = []
        for i, (text, is_bold) in enumerate(wanted[:room]):
            m = bold_metrics if is_bold else metrics
            w = width if i == 0 else full
            out.append((m.elidedText(text, Qt.TextElideMode.ElideRight, max(w, 8)), is_bold))
        return out

    def _tooltip(self) -> str:
        s = self.snapshot
        rows = [
            f"<b>{html.escape(s.patient_name)}</b> ({html.escape(s.patient_ref)})",
            html.escape(s.protocol_name)
            + " — "
            + _tr("infusion {n} of {total}").format(n=s.number or "–", total=s.planned_infusions),
            f"{s.start:%a %d %b %H:%M}–{s.end:%H:%M} · {html.escape(s.chair_name)} · "
            + html.escape(status_label(s.status)),
            _tr("Preparation {p} min · infusion {i} min · recovery {r} min").format(
                p=s.prep_minutes, i=s.infusion_minutes, r=s.recovery_minutes
            ),
        ]
        for person in s.staff:
            rows.append(f"{html.escape(role_label(person.role))}: {html.escape(person.name)}")
        if self.violations:
            items = "".join(
                f"<li><span style='color:{ERROR_COLOR if v.severity == 'error' else WARNING_COLOR}'>"
                f"■</span> {html.escape(v.message)}</li>"
                for v in self.violations
            )
            rows.append(f"<ul style='margin:0'>{items}</ul>")
        return "<br>".join(rows)

    # -- QGraphicsItem -----------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1.5, -1.5, 1.5, 1.5)

    def _prepare(self) -> None:
        """Everything ``paint`` needs, computed once (paint only draws)."""
        s = self.snapshot
        rect = self._rect
        prep, infusion, recovery, border = status_colors(s.status)
        total = max(1, s.chair_minutes)
        w, h = rect.width(), rect.height()
        y1 = h * s.prep_minutes / total
        y2 = y1 + h * s.infusion_minutes / total
        self._bands = [
            (QRectF(0, 0, w, y1), prep),
            (QRectF(0, y1, w, y2 - y1), infusion),
            (QRectF(0, y2, w, h - y2), recovery),
        ]
        # Preparation hatched, so the three phases read apart in greyscale too.
        hatch = QColor(border)
        hatch.setAlpha(90)  # light enough that the patient's name on top stays readable
        self._hatch = (
            (QRectF(0, 0, w, y1), QBrush(hatch, Qt.BrushStyle.BDiagPattern)) if y1 > 2 else None
        )
        self._frame = rect.adjusted(0.5, 0.5, -0.5, -0.5)
        self._pen = QPen(border, 1.0)
        self._selected_pen = QPen(_SELECTED, 2.5)
        if self.ghost:
            self._pen.setStyle(Qt.PenStyle.DashLine)
        self._strike = (
            (QPen(border, 1.2), QPointF(2, h - 2), QPointF(w - 2, 2))
            if s.status in ("cancelled", "no_show")
            else None
        )
        metrics = QFontMetricsF(self._font)
        bold_metrics = QFontMetricsF(self._bold)
        y = 2.0
        # Laid out once (QStaticText): drawing pre-shaped glyphs is what keeps repaints cheap.
        self._texts: list[tuple[QPointF, QStaticText, bool]] = []
        for text, is_bold in self._lines:
            m = bold_metrics if is_bold else metrics
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), self._bold if is_bold else self._font)
            self._texts.append((QPointF(4, y), static, is_bold))
            y += m.height()
        centre = QPointF(w - BADGE_RADIUS - 2, BADGE_RADIUS + 2)
        self._badge_centre = centre
        self._badge_rect = QRectF(
            centre.x() - BADGE_RADIUS, centre.y() - BADGE_RADIUS, 2 * BADGE_RADIUS, 2 * BADGE_RADIUS
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self.ghost:
            painter.setOpacity(0.55)
        antialiased = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # axis-aligned: crisp, cheap
        for band, color in self._bands:
            painter.fillRect(band, color)
        if self._hatch is not None:
            painter.fillRect(*self._hatch)
        selected = self.isSelected()  # what the scene puts in option.state, without QStyle's enums
        painter.setPen(self._selected_pen if selected else self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self._frame)
        painter.setPen(_TEXT)
        current = None
        for point, static, is_bold in self._texts:
            if is_bold is not current:
                painter.setFont(self._bold if is_bold else self._font)
                current = is_bold
            painter.drawStaticText(point, static)
        if self._strike is not None:
            pen, a, b = self._strike
            painter.setPen(pen)
            painter.drawLine(a, b)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
        if self.badge:
            painter.setPen(_BADGE_PEN)
            painter.setBrush(_ERROR if self.badge == "error" else _WARNING)
            painter.drawEllipse(self._badge_centre, BADGE_RADIUS, BADGE_RADIUS)
            painter.setFont(self._bold)
            painter.drawText(self._badge_rect, Qt.AlignmentFlag.AlignCenter, "!")
