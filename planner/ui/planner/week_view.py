"""The chair view widget: selection, double-click, and drag with 5-minute snapping and live checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QLineF, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from planner.services.week import Violation
from planner.ui.planner.geometry import AXIS_WIDTH, HEADER_HEIGHT, WeekGeometry
from planner.ui.planner.overlays import DropIndicator
from planner.ui.planner.session_block import SessionBlock
from planner.ui.planner.week_scene import WeekScene
from planner.ui.widgets.palette import ERROR_COLOR, NOW_COLOR, OK_COLOR, WARNING_COLOR

MoveChecker = Callable[[str, datetime, str], list[Violation]]


def _tr(text: str) -> str:
    return QCoreApplication.translate("WeekView", text)


class _Drag:
    """A drag under way. It keeps the session's snapshot, never its block: the scene may be
    rebuilt during a drag (another workstation's change), which deletes every block."""

    def __init__(self, block: SessionBlock, offset: QPointF, origin: QPoint) -> None:
        self.ref = block.ref
        self.snapshot = block.snapshot
        self.offset = offset
        self.origin = origin
        self.active = False
        self.target: tuple[datetime, str] | None = None
        self.verdict = ""


class WeekView(QGraphicsView):
    """Shows a ``WeekScene``; tells the page what the user asked for through signals."""

    sessionActivated = Signal(str)  # double-click or Enter on a block
    slotActivated = Signal(object, str)  # (datetime, chair ref): double-click on empty space
    moveRequested = Signal(str, object, str)  # (ref, new start, chair ref)
    sessionSelected = Signal(object)  # ref or None
    contextRequested = Signal(object, object, object)  # (ref | None, QPoint global, slot | None)
    deleteRequested = Signal(str)
    resized = Signal()
    zoomRequested = Signal(int)  # +1 taller hours, -1 shorter (Ctrl+wheel)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.week_scene = WeekScene()
        super().__init__(self.week_scene, parent)
        self.week_scene.setParent(self)
        self.setObjectName("weekView")
        self.setAccessibleName(_tr("Week: sessions by day and chair"))
        self.setAccessibleDescription(
            _tr("Arrow keys move between sessions across days and chairs; Enter opens one, "
                "Ctrl+M moves it, Delete deletes it.")
        )
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.move_checker: MoveChecker | None = None
        self._drag: _Drag | None = None
        #: The moment the now line marks (the page sets it from the app's clock).
        self.now: datetime | None = None
        self.week_scene.selectionChanged.connect(self._on_selection)

    # -- helpers ------------------------------------------------------------
    def in_frame(self, pos: QPoint) -> bool:
        """True over the day headers or the hours (drawn over the blocks, see ``paint_frame``)."""
        return pos.y() < HEADER_HEIGHT or pos.x() < AXIS_WIDTH

    def block_at(self, pos: QPoint) -> SessionBlock | None:
        if self.in_frame(pos):
            return None
        for item in self.items(pos):
            if isinstance(item, SessionBlock) and not item.ghost:
                return item
        return None

    def slot_at(self, scene_pos: QPointF) -> tuple[datetime, str] | None:
        g = self.week_scene.geometry
        if g is None:
            return None
        hit = g.slot_at(scene_pos.x(), scene_pos.y())
        if hit is None or scene_pos.y() < 0 or scene_pos.y() > g.height:
            return None
        day, chair = hit
        return g.time_at(day, scene_pos.y(), floor=True), chair

    def ensure_visible(self, ref: str) -> None:
        block = self.week_scene.blocks.get(ref)
        if block is not None:
            self.ensureVisible(block, 20, 20)

    def _on_selection(self) -> None:
        if self.hasFocus():  # the focus ring moves with the selection
            self.viewport().update()
        self.sessionSelected.emit(self.week_scene.selected_ref())

    # -- mouse ----------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        block = self.block_at(event.position().toPoint())
        if block is None:
            self.week_scene.clearSelection()
            return
        if not block.isSelected():
            self.week_scene.select(block.ref)
        scene_pos = self.mapToScene(event.position().toPoint())
        self._drag = _Drag(block, scene_pos - block.pos(), event.position().toPoint())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        if not drag.active:
            if (pos - drag.origin).manhattanLength() < QApplication.startDragDistance():
                return
            drag.active = True
            self._dim(drag.ref, True)
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        self._update_drag(self.mapToScene(pos))

    def _update_drag(self, scene_pos: QPointF) -> None:
        drag = self._drag
        g = self.week_scene.geometry
        assert drag is not None and g is not None
        hit = g.slot_at(scene_pos.x(), scene_pos.y())
        if hit is None:
            drag.target = None
            self._hide_indicator()
            return
        day, chair = hit
        start = g.time_at(day, scene_pos.y() - drag.offset.y())
        target = (start, chair)
        if target == drag.target:
            return
        drag.target = target
        moved = replace(drag.snapshot, start=start, chair_ref=chair)
        rect = g.block_rect(moved)
        if rect is None:
            self._hide_indicator()
            return
        found = self.move_checker(drag.ref, start, chair) if self.move_checker else []
        errors = [v for v in found if v.severity == "error"]
        drag.verdict = "error" if errors else ("warning" if found else "ok")
        color = QColor(
            {"error": ERROR_COLOR, "warning": WARNING_COLOR, "ok": OK_COLOR}[drag.verdict]
        )
        self._show_indicator(QRectF(*rect), color, self._indicator_label(start, chair, found))

    def _indicator_label(self, start: datetime, chair: str, found: list[Violation]) -> str:
        week = self.week_scene.week
        names = {c.ref: c.name for c in week.chairs} if week else {}
        label = f"{start:%a %H:%M} · {names.get(chair, chair)}"
        if found:
            first = sorted(found, key=lambda v: v.severity != "error")[0]
            metrics = QFontMetricsF(self.week_scene.block_font)
            label += "\n" + metrics.elidedText(first.message, Qt.TextElideMode.ElideRight, 320)
            if len(found) > 1:
                label += "\n" + _tr("+{n} more").format(n=len(found) - 1)
        else:
            label += "\n" + _tr("no problems")
        return label

    @property
    def indicator(self) -> DropIndicator:
        """The drop target overlay of the scene as it is now (never kept across rebuilds)."""
        return self.week_scene.drop_indicator

    def _show_indicator(self, rect: QRectF, color: QColor, label: str) -> None:
        self.indicator.show_at(rect, color, label, self.week_scene.sceneRect())

    def _hide_indicator(self) -> None:
        self.indicator.hide()

    def _dim(self, ref: str, dimmed: bool) -> None:
        self.week_scene.dragging = ref if dimmed else None
        block = self.week_scene.blocks.get(ref)
        if block is not None:
            block.setOpacity(0.35 if dimmed else 1.0)

    @property
    def drop_verdict(self) -> str:
        """"ok", "warning" or "error" of the current drag target ("" when not dragging)."""
        return self._drag.verdict if self._drag and self._drag.active and self._drag.target else ""

    def _end_drag(self) -> None:
        if self._drag is not None:
            self._dim(self._drag.ref, False)
        self._drag = None
        self._hide_indicator()
        self.viewport().unsetCursor()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is None or not drag.active or event.button() != Qt.MouseButton.LeftButton:
            self._end_drag()
            super().mouseReleaseEvent(event)
            return
        target = drag.target
        snapshot = drag.snapshot
        self._end_drag()
        if target is not None and (target[0] != snapshot.start or target[1] != snapshot.chair_ref):
            self.moveRequested.emit(snapshot.ref, target[0], target[1])

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        block = self.block_at(pos)
        self._end_drag()
        if block is not None:
            self.sessionActivated.emit(block.ref)
            return
        slot = self.slot_at(self.mapToScene(pos))
        if slot is not None:
            self.slotActivated.emit(slot[0], slot[1])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        block = self.block_at(event.pos())
        if block is not None:
            self.week_scene.select(block.ref)
        slot = None if block else self.slot_at(self.mapToScene(event.pos()))
        self.contextRequested.emit(block.ref if block else None, event.globalPos(), slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ref = self.week_scene.selected_ref()
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._end_drag()
            return
        if ref and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sessionActivated.emit(ref)
            return
        if ref and key == Qt.Key.Key_Delete:
            self.deleteRequested.emit(ref)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step_selection(key)
            return
        super().keyPressEvent(event)

    def _step_selection(self, key: int) -> None:
        """Up/Down: the previous/next session in the same chair that day; Left/Right: the
        nearest session in time in the next chair column with one (across days)."""
        g = self.week_scene.geometry
        blocks = [b for b in self.week_scene.blocks.values()]
        if g is None or not blocks:
            return
        columns = [(c.day, chair) for c in g.columns for chair in c.chairs]

        def column_of(block: SessionBlock) -> int:
            place = (block.snapshot.start.date(), block.snapshot.chair_ref)
            return columns.index(place) if place in columns else -1

        current = self.week_scene.blocks.get(self.week_scene.selected_ref() or "")
        if current is None:
            target = min(blocks, key=lambda b: (column_of(b), b.snapshot.start))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            same = sorted(
                (b for b in blocks if column_of(b) == column_of(current)),
                key=lambda b: (b.snapshot.start, b.ref),
            )
            index = same.index(current) + (1 if key == Qt.Key.Key_Down else -1)
            target = same[max(0, min(len(same) - 1, index))]
        else:
            step = 1 if key == Qt.Key.Key_Right else -1
            column = column_of(current) + step
            target = current
            while 0 <= column < len(columns):
                there = [b for b in blocks if column_of(b) == column]
                if there:
                    at = current.snapshot.start.time()
                    target = min(
                        there,
                        key=lambda b: abs(
                            (b.snapshot.start.hour * 60 + b.snapshot.start.minute)
                            - (at.hour * 60 + at.minute)
                        ),
                    )
                    break
                column += step
        self.week_scene.select(target.ref)
        self.ensure_visible(target.ref)

    # -- painting over the blocks: headers, hours, now line, keyboard focus -------------
    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        scene = self.week_scene
        g = scene.geometry
        if g is None:
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        self._paint_now(painter, g)
        if self.hasFocus():
            self._paint_focus(painter, visible)
        scene.paint_frame(painter, visible)
        if self.now is not None and g.column_of(self.now.date()) is not None:
            y = g.y_of(self.now)
            if visible.top() + HEADER_HEIGHT <= y <= g.height:
                left = max(0.0, visible.left())
                painter.setPen(QPen(QColor(NOW_COLOR), 2))
                painter.drawLine(QLineF(left + AXIS_WIDTH - 6, y, left + AXIS_WIDTH, y))
                painter.setBrush(QColor(NOW_COLOR))
                painter.drawEllipse(QPointF(left + AXIS_WIDTH - 3, y), 3, 3)

    def _paint_now(self, painter: QPainter, g: WeekGeometry) -> None:
        """A red line across today's column at the present moment."""
        if self.now is None:
            return
        column = g.column_of(self.now.date())
        if column is None or not g.first_minute <= self.now.hour * 60 + self.now.minute <= g.last_minute:
            return
        y = g.y_of(self.now)
        painter.setPen(QPen(QColor(NOW_COLOR), 2))
        painter.drawLine(QLineF(column.x, y, column.x + column.width, y))

    def _paint_focus(self, painter: QPainter, visible: QRectF) -> None:
        """Keyboard focus shows: a ring around the selected card, or a frame around the grid."""
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        ref = self.week_scene.selected_ref()
        block = self.week_scene.blocks.get(ref) if ref else None
        if block is not None:
            painter.drawRect(block.sceneBoundingRect().adjusted(-2.5, -2.5, 2.5, 2.5))
        else:
            painter.drawRect(visible.adjusted(AXIS_WIDTH + 2, HEADER_HEIGHT + 2, -3, -3))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Scrolling moves pixels; the headers and hours must be drawn again where they stay."""
        super().scrollContentsBy(dx, dy)
        size = self.viewport().size()
        self.viewport().update(QRect(0, 0, size.width(), int(HEADER_HEIGHT) + abs(dy) + 2))
        self.viewport().update(QRect(0, 0, int(AXIS_WIDTH) + abs(dx) + 2, size.height()))
        if self.hasFocus() and not self.week_scene.selected_ref():
            self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoomRequested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def days_shown(self) -> list[date]:
        g = self.week_scene.geometry
        return [c.day for c in g.columns] if g else []
