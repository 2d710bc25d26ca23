"""Walk a window's controls and name the ones a screen reader could not name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

CONTROLS = (
    QAbstractScrollArea,
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
)


def accessible_name(widget: QWidget) -> str:
    """What assistive technology reads for ``widget`` (its own name, its label's, its text)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def unnamed_controls(top: QWidget) -> list[str]:
    """Every control of ``top`` that a user can reach and that has no accessible name."""
    out = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(top):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        parent = widget.parentWidget()
        # Parts of a composite (a spin box's or combo box's own line edit) speak for it.
        if isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
            continue
        if not accessible_name(widget):
            label = getattr(widget, "text", lambda: "")()
            out.append(
                f"{type(widget).__name__} {widget.objectName() or '(no object name)'}"
                f" in {type(top).__name__} {label!r}"
            )
    return out
