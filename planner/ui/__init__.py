"""The desktop app (PySide6). Thin: widgets ask services and show what they return."""

from planner.ui.widgets.pyside_guard import pin_none

# The one place the PySide6 6.12.0 / CPython 3.11 workaround is applied: before any Qt call
# of the app, its tests or its benchmarks (all import planner.ui first).
pin_none()
