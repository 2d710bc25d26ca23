"""The chair view of a week: a column per chair within each day, a time axis, session blocks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QWidget

from planner.services.week import SessionSnapshot, WeekSnapshot
from planner.ui.planner.card_text import CardOptions, WeekLabels, week_labels
from planner.ui.planner.geometry import AXIS_WIDTH, HEADER_HEIGHT, DayColumn, WeekGeometry
from planner.ui.planner.overlays import DropIndicator
from planner.ui.planner.session_block import STRIPE, SessionBlock

_GRID = QColor("#e3e6ea")
_GRID_HOUR = QColor("#c9ced6")
_CLOSED = QColor("#eceef1")
_CLOSED_HATCH = QColor("#d5d9df")
_HEADER = QColor("#f6f7f9")
_TODAY = QColor("#fff8e1")
_AXIS_TEXT = QColor("#5f6b7a")
_DAY_SEPARATOR = QColor("#98a2b3")


def _tr(text: str) -> str:
    return QCoreApplication.translate("WeekScene", text)


class WeekScene(QGraphicsScene):
    """Holds the blocks of one week; the grid and headers are painted in ``drawBackground``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.week: WeekSnapshot | None = None
        self.geometry: WeekGeometry | None = None
        self.today: date | None = None
        self.blocks: dict[str, SessionBlock] = {}
        self.ghosts: list[SessionBlock] = []
        self.block_font = QFont()
        self.block_font.setPointSizeF(8.0)
        self.bold = QFont(self.block_font)
        self.bold.setBold(True)
        self._header_font = QFont()
        self._header_font.setPointSizeF(9.0)
        self._header_bold = QFont(self._header_font)
        self._header_bold.setBold(True)
        self.card_options = CardOptions()
        self.labels: WeekLabels | None = None
        #: The session being dragged (dimmed again after a rebuild in the middle of a drag).
        self.dragging: str | None = None
        self.drop_indicator = self._make_drop_indicator()

    def show_week(
        self,
        week: WeekSnapshot,
        geometry: WeekGeometry,
        *,
        today: date | None = None,
        ghosts: list[SessionSnapshot] | None = None,
    ) -> None:
        """Replace every block (keeps the selected session selected)."""
        selected = self.selected_ref()
        self.week, self.geometry, self.today = week, geometry, today
        # clear() deletes every item, overlays included: they are made anew below, and
        # nobody outside the scene keeps one (the view asks for them on each use).
        self.clear()
        self.blocks = {}
        self.ghosts = []
        self.drop_indicator = self._make_drop_indicator()
        self.setSceneRect(QRectF(0, 0, geometry.width, geometry.height))
        by_ref: dict[str, list] = {}
        for v in week.violations:
            by_ref.setdefault(v.session, []).append(v)
        self.labels = labels = week_labels(week, ghosts or ())
        options = self.card_options
        for snapshot, rect in self._rects(list(week.sessions)):
            block = SessionBlock(
                snapshot, rect, by_ref.get(snapshot.ref, []), font=self.block_font, bold=self.bold,
                labels=labels, options=options,
            )
            self.addItem(block)
            self.blocks[snapshot.ref] = block
        for snapshot, rect in self._rects(list(ghosts or [])):
            ghost = SessionBlock(
                snapshot, rect, [], font=self.block_font, bold=self.bold, ghost=True,
                labels=labels, options=options,
            )
            self.addItem(ghost)
            self.ghosts.append(ghost)
        if selected and selected in self.blocks:
            self.blocks[selected].setSelected(True)
        if self.dragging in self.blocks:
            self.blocks[self.dragging].setOpacity(0.35)
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)

    def card_width(self, week: WeekSnapshot, ghosts: list[SessionSnapshot] | None = None) -> float:
        """The chair width at which every card of ``week`` shows its patient and staff whole."""
        labels = week_labels(week, ghosts or ())
        bold, plain = QFontMetricsF(self.bold), QFontMetricsF(self.block_font)
        widest = 0.0
        for s in (*week.sessions, *(ghosts or ())):
            widest = max(widest, bold.horizontalAdvance(labels.patient(s)))
            if self.card_options.staff:
                widest = max(widest, plain.horizontalAdvance(labels.staff_line(s, "—")))
        # Text inset and the problem edge on the left, lane gaps and a little air on the right.
        return widest + 4 + STRIPE + 4 + 6

    def _make_drop_indicator(self) -> DropIndicator:
        indicator = DropIndicator(self.block_font, QColor(255, 255, 255, 235), QColor("#14202e"))
        self.addItem(indicator)
        return indicator

    def _rects(self, sessions: list[SessionSnapshot]) -> list[tuple[SessionSnapshot, QRectF]]:
        """Block rectangles; sessions overlapping in one chair share its width side by side."""
        assert self.geometry is not None
        placed: list[tuple[SessionSnapshot, tuple[float, float, float, float]]] = []
        for s in sessions:
            rect = self.geometry.block_rect(s)
            if rect is not None:
                placed.append((s, rect))
        groups: dict[tuple[float, float], list[tuple[SessionSnapshot, tuple]]] = {}
        for s, rect in placed:
            groups.setdefault((rect[0], rect[2]), []).append((s, rect))
        out = []
        for (x, width), items in groups.items():
            items.sort(key=lambda item: (item[0].start, item[0].ref))
            lanes: list[float] = []  # bottom y of the last block in each lane
            assigned = []
            for s, (_x, y, _w, h) in items:
                lane = next((i for i, bottom in enumerate(lanes) if bottom <= y + 0.01), None)
                if lane is None:
                    lanes.append(y + h)
                    lane = len(lanes) - 1
                else:
                    lanes[lane] = y + h
                assigned.append((s, lane, y, h))
            count = len(lanes)
            lane_w = (width - 4) / count
            for s, lane, y, h in assigned:
                out.append((s, QRectF(x + 2 + lane * lane_w, y, lane_w - 1, h)))
        return out

    def selected_ref(self) -> str | None:
        for item in self.selectedItems():
            if isinstance(item, SessionBlock) and not item.ghost:
                return item.ref
        return None

    def select(self, ref: str | None) -> SessionBlock | None:
        self.clearSelection()
        block = self.blocks.get(ref) if ref else None
        if block is not None:
            block.setSelected(True)
        return block

    # -- background: grid, closed days, headers, time axis --------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        g, week = self.geometry, self.week
        painter.fillRect(rect, QColor("#ffffff"))
        if g is None or week is None:
            return
        top, bottom = HEADER_HEIGHT, g.height
        for column in g.columns:
            body = QRectF(column.x, top, column.width, bottom - top)
            if not column.open:
                painter.fillRect(body, _CLOSED)
                painter.fillRect(body, QBrush(_CLOSED_HATCH, Qt.BrushStyle.BDiagPattern))
            else:
                if column.day == self.today:
                    painter.fillRect(body, _TODAY)
                hours = week.opening_hours.get(column.day.weekday())
                if hours is not None:  # outside opening hours on an open day: light grey
                    y_open, y_close = g.y_of(hours[0]), g.y_of(hours[1])
                    if y_open > top:
                        painter.fillRect(QRectF(column.x, top, column.width, y_open - top), _CLOSED)
                    if (hours[1].hour or hours[1].minute) and y_close < bottom:
                        painter.fillRect(
                            QRectF(column.x, y_close, column.width, bottom - y_close), _CLOSED
                        )
        # Hour and half-hour lines.
        left, right = AXIS_WIDTH, g.width
        for minute in range(g.first_minute, g.last_minute + 1, 30):
            y = HEADER_HEIGHT + (minute - g.first_minute) * g.px_per_minute
            painter.setPen(QPen(_GRID_HOUR if minute % 60 == 0 else _GRID, 1))
            painter.drawLine(QLineF(left, y, right, y))
        # Chair and day separators; a collapsed closed day says why down its column.
        for column in g.columns:
            painter.setPen(QPen(_GRID, 1))
            for i in range(1, len(column.chairs)):
                x = column.x + i * column.chair_width
                painter.drawLine(QLineF(x, HEADER_HEIGHT, x, bottom))
            painter.setPen(QPen(_DAY_SEPARATOR, 1.2))
            painter.drawLine(QLineF(column.x, HEADER_HEIGHT, column.x, bottom))
            if not column.chairs:
                painter.setPen(_AXIS_TEXT)
                painter.setFont(self.block_font)
                reason = week.closures.get(column.day) or _tr("Closed")
                painter.save()
                painter.translate(QPointF(column.x + column.width / 2 + 4, HEADER_HEIGHT + 8))
                painter.rotate(90)
                painter.drawText(QPointF(0, 0), reason)
                painter.restore()
        painter.setPen(QPen(_DAY_SEPARATOR, 1))
        painter.drawLine(QLineF(g.width - 0.5, HEADER_HEIGHT, g.width - 0.5, bottom))

    def paint_frame(self, painter: QPainter, visible: QRectF) -> None:
        """The day headers along the top of ``visible`` and the hours down its left side:
        drawn by the view over the blocks, so they stay in sight however far it scrolls."""
        g, week = self.geometry, self.week
        if g is None or week is None:
            return
        top = max(0.0, visible.top())
        left = max(0.0, visible.left())
        bottom = min(g.height, visible.bottom())
        # The time axis.
        painter.fillRect(QRectF(left, top, AXIS_WIDTH, bottom - top), _HEADER)
        painter.setFont(self.block_font)
        painter.setPen(_AXIS_TEXT)
        for minute in range(g.first_minute, g.last_minute, 60):
            y = HEADER_HEIGHT + (minute - g.first_minute) * g.px_per_minute
            if y < top + HEADER_HEIGHT - 2:
                continue
            painter.drawText(
                QRectF(left, y - 1, AXIS_WIDTH - 6, 14),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"{minute // 60:02d}:00",
            )
        painter.setPen(QPen(_DAY_SEPARATOR, 1))
        painter.drawLine(QLineF(left + AXIS_WIDTH, top, left + AXIS_WIDTH, bottom))
        # The day and chair headers.
        painter.fillRect(QRectF(left, top, max(g.width, visible.right()) - left, HEADER_HEIGHT), _HEADER)
        painter.save()
        painter.setClipRect(QRectF(left + AXIS_WIDTH, top, visible.width(), HEADER_HEIGHT))
        for column in g.columns:
            if column.x > visible.right() or column.x + column.width < left:
                continue
            painter.setPen(QPen(_GRID, 1))
            for i in range(1, len(column.chairs)):
                x = column.x + i * column.chair_width
                painter.drawLine(QLineF(x, top + HEADER_HEIGHT - 18, x, top + HEADER_HEIGHT))
            painter.setPen(QPen(_DAY_SEPARATOR, 1.2))
            painter.drawLine(QLineF(column.x, top, column.x, top + HEADER_HEIGHT))
            self._paint_day_header(painter, column, top)
        painter.restore()
        painter.setPen(QPen(_DAY_SEPARATOR, 1))
        painter.drawLine(QLineF(left, top + HEADER_HEIGHT, g.width, top + HEADER_HEIGHT))

    def _paint_day_header(self, painter: QPainter, column: DayColumn, top: float) -> None:
        week = self.week
        assert week is not None
        day = column.day
        painter.setPen(QColor("#1f2937") if column.open else _AXIS_TEXT)
        painter.setFont(self._header_bold)
        wide = column.width >= 90
        label = day.strftime("%a %d %b") if wide else day.strftime("%a\n%d")
        if not column.chairs:  # collapsed closed day
            painter.drawText(
                QRectF(column.x, top + 2, column.width, HEADER_HEIGHT - 4),
                Qt.AlignmentFlag.AlignCenter,
                day.strftime("%a\n%d"),
            )
            return
        title = label
        if not column.open:
            title = f"{label} — {week.closures.get(day) or _tr('closed')}"
        painter.drawText(
            QRectF(column.x + 4, top + 2, column.width - 8, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        painter.setFont(self.block_font)
        painter.setPen(_AXIS_TEXT)
        names = {c.ref: c.name for c in week.chairs}
        metrics = painter.fontMetrics()
        for i, ref in enumerate(column.chairs):
            x = column.x + i * column.chair_width
            text = metrics.elidedText(
                names.get(ref, ref), Qt.TextElideMode.ElideRight, int(column.chair_width - 6)
            )
            painter.drawText(
                QRectF(x + 3, top + HEADER_HEIGHT - 20, column.chair_width - 6, 18),
                Qt.AlignmentFlag.AlignCenter,
                text,
            )
