"""Items drawn over the week's blocks: the drop target of a drag and its verdict.

They belong to the scene and are made again each time the scene is rebuilt
(``WeekScene.show_week`` clears every item): the view asks the scene for them
on each use and never keeps one, so no pointer outlives its C++ object.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem


class DropIndicator(QGraphicsRectItem):
    """The target rectangle of a drag, coloured by verdict, with a label box beside it."""

    def __init__(self, font: QFont, label_background: QColor, label_text: QColor) -> None:
        super().__init__()
        self.setZValue(10)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.label_box = QGraphicsRectItem(self)
        self.label_box.setBrush(QBrush(label_background))
        self.label = QGraphicsSimpleTextItem(self.label_box)
        self.label.setFont(font)
        self.label.setBrush(QBrush(label_text))
        self.hide()

    def show_at(self, rect: QRectF, color: QColor, text: str, bounds: QRectF) -> None:
        """Cover ``rect`` in ``color``; the verdict sits beside it, inside ``bounds``."""
        fill = QColor(color)
        fill.setAlpha(70)
        self.setRect(rect)
        self.setBrush(QBrush(fill))
        self.setPen(QPen(color, 2.0))
        self.setData(0, color.name())
        self.label.setText(text)
        # Beside the target, never on top of other blocks' text.
        text_rect = self.label.boundingRect()
        box = QRectF(0, 0, text_rect.width() + 8, text_rect.height() + 6)
        x = rect.right() + 4
        if x + box.width() > bounds.right():
            x = rect.left() - box.width() - 4
        y = min(rect.top(), bounds.bottom() - box.height())
        self.label_box.setRect(box)
        self.label_box.setPos(x, y)
        self.label_box.setPen(QPen(color, 1.5))
        self.label.setPos(4, 3)
        self.show()

    def text(self) -> str:
        return self.label.text()
