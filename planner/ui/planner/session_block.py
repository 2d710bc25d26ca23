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
from planner.ui.planner.card_text import CardOptions, WeekLabels, short_name
from planner.ui.widgets.palette import (
    ERROR_COLOR,
    WARNING_COLOR,
    role_label,
    status_colors,
    status_label,
)

BADGE_RADIUS = 7.0
#: Width of the coloured edge of a card with an error or a warning.
STRIPE = 4.0
_SELECTED = QColor("#1e3a8a")
_TEXT = QColor("#14202e")
_ERROR = QColor(ERROR_COLOR)
_WARNING = QColor(WARNING_COLOR)
_WHITE = QColor("#ffffff")
_BADGE_PEN = QPen(_WHITE, 1.0)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionBlock", text)


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
        labels: WeekLabels | None = None,
        options: CardOptions | None = None,
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.labels = labels
        self.options = options or CardOptions()
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
    def patient_label(self) -> str:
        s = self.snapshot
        return self.labels.patient(s) if self.labels else short_name(s.patient_name)

    def staff_line(self) -> str:
        s = self.snapshot
        missing = "—"
        if self.labels is not None:
            return self.labels.staff_line(s, missing)
        return " · ".join(p.initials if p else missing for p in (s.psychiatrist, s.monitoring))

    def _text_lines(self) -> list[tuple[str, bool]]:
        """The card's lines: the patient always first and whole, then what the options ask
        for while there is room (staff, then time and infusion number, then protocol)."""
        s = self.snapshot
        left = STRIPE if self.badge else 0.0
        full = self._rect.width() - 8 - left
        metrics = QFontMetricsF(self._font)
        bold_metrics = QFontMetricsF(self._bold)
        room = int((self._rect.height() - 3) // metrics.height())
        if room <= 0:
            return []
        narrow = full < 110
        n = s.number or "–"
        number = f"{n}/{s.planned_infusions}" if narrow else _tr("{n} of {total}").format(
            n=n, total=s.planned_infusions
        )
        wanted: list[tuple[str, bool]] = [(self.patient_label(), True)]
        if self.options.staff:
            wanted.append((self.staff_line(), False))
        if self.options.time:
            wanted.append((f"{s.start:%H:%M} · {number}", False))
        if self.options.protocol:
            protocol = s.protocol_name
            if metrics.horizontalAdvance(protocol) > full and s.protocol_ref:
                protocol = s.protocol_ref
            wanted.append((protocol, False))
        if room == 1 and len(wanted) > 1:  # one line: the staff beside the name when it fits
            both = f"{wanted[0][0]}  {wanted[1][0]}"
            if bold_metrics.horizontalAdvance(both) <= full:
                wanted = [(both, True)]
        shown = wanted[:room]
        # The badge sits in the bottom right corner; it only narrows a line that reaches it.
        badge_top = self._rect.height() - 2 * BADGE_RADIUS - 3
        out = []
        for i, (text, is_bold) in enumerate(shown):
            m = bold_metrics if is_bold else metrics
            bottom = 2 + (i + 1) * metrics.height()
            w = full - (2 * BADGE_RADIUS + 2 if self.badge and bottom > badge_top else 0)
            out.append((m.elidedText(text, Qt.TextElideMode.ElideRight, max(w, 8)), is_bold))
        return out

    def _tooltip(self) -> str:
        s = self.snapshot
        rows = [
            f"<b>{html.escape(s.patient_name)}</b> ("
            + html.escape(s.patient_record or s.patient_ref)
            + ")",
            html.escape(s.protocol_name)
            + " — "
            + _tr("infusion {n} of {total}").format(n=s.number or "–", total=s.planned_infusions),
            f"{s.start:%a %d %b %H:%M}–{s.end:%H:%M} · {html.escape(s.chair_name)} · "
            + html.escape(status_label(s.status)),
            _tr("Preparation {p} min · infusion {i} min · recovery {r} min").format(
                p=s.prep_minutes, i=s.infusion_minutes, r=s.recovery_minutes
            ),
        ]
        codes = self.labels.staff if self.labels else {}
        for person in s.staff:
            code = codes.get(person.ref, person.initials)
            rows.append(
                f"{html.escape(role_label(person.role))}: {html.escape(person.name)} ({html.escape(code)})"
            )
        if self.violations:
            items = "".join(
                f"<li><span style='color:{ERROR_COLOR if v.severity == 'error' else WARNING_COLOR}'>"
                f"■</span> {html.escape(v.message)}</li>"
                for v in self.violations
            )
            rows.append(f"<ul style='margin:0'>{items}</ul>")
        return "<br>".join(rows)

    @property
    def lines(self) -> list[str]:
        """The text on the card, line by line, as painted."""
        return [text for text, _bold in self._lines]

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
        y = 1.0
        x = 4.0 + (STRIPE if self.badge else 0.0)
        # Laid out once (QStaticText): drawing pre-shaped glyphs is what keeps repaints cheap.
        self._texts: list[tuple[QPointF, QStaticText, bool]] = []
        for text, is_bold in self._lines:
            m = bold_metrics if is_bold else metrics
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), self._bold if is_bold else self._font)
            self._texts.append((QPointF(x, y), static, is_bold))
            y += m.height()
        centre = QPointF(w - BADGE_RADIUS - 2, h - BADGE_RADIUS - 2)
        if h < 2 * BADGE_RADIUS + 4:
            centre = QPointF(w - BADGE_RADIUS - 2, h / 2)
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
        if self.badge:  # an edge in the badge's colour: a problem shows even when scrolled past
            painter.fillRect(
                QRectF(0, 0, STRIPE, self._rect.height()), _ERROR if self.badge == "error" else _WARNING
            )
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
