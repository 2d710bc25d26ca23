"""The desktop app (PySide6). Thin: widgets ask services and show what they return."""

from planner.ui.widgets.pyside_guard import pin_none

# PySide6 6.12.0 on CPython 3.11 leaks references to None; make None immortal first.
pin_none()
