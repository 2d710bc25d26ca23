"""Garbage collection only on the GUI thread.

Python's cyclic garbage collector runs in whichever thread happens to allocate
when a threshold is crossed. When that is a worker thread (paperwork is
rendered off the GUI thread) and the garbage holds Qt objects, Qt would delete
widgets from the wrong thread and crash. So automatic collection is switched
off and the GUI thread collects on a timer, generation by generation, with the
interpreter's own thresholds — the same pattern large PyQt/PySide programs use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    """Collects garbage from a QTimer on the GUI thread; ``stop()`` hands back to Python."""

    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        t0, t1, t2 = self._thresholds
        c0, c1, c2 = gc.get_count()
        if c0 <= t0:
            return
        generation = 0
        if c1 > t1:
            generation = 1
            if c2 > t2:
                generation = 2
        gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
