"""Document generation off the GUI thread: a QRunnable that reports progress and the result.

The render function is Qt-free (a service call that opens its own database
session); the runnable only carries its outcome back through queued signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from planner.ui.worker_slices import short_gil_slices

#: render(draft, progress) -> PDF bytes
Render = Callable[[bool, Callable[[int, int], None]], bytes]


class JobSignals(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(bytes)
    failed = Signal(object)  # the exception


class RenderJob(QRunnable):
    """Run ``render(draft, progress)`` in a pool thread; the signals arrive on the GUI thread."""

    def __init__(self, render: Render, *, draft: bool) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = JobSignals()
        self._render = render
        self._draft = draft

    def run(self) -> None:
        try:
            with short_gil_slices():
                data = self._render(self._draft, self.signals.progress.emit)
        except Exception as exc:  # handed to the GUI, which decides what to tell the user
            self.signals.failed.emit(exc)
            return
        self.signals.finished.emit(bytes(data))
