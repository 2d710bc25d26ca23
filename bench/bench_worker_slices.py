"""How long the GUI thread takes to destroy a closed window of 1,500 Python widgets
while a worker thread computes in Python: with the interpreter's default slices
(the reference, measured in the same run) and with ``short_gil_slices``.

Prints the ratio short / default (lower is better; target <= 0.3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget  # noqa: E402

from planner.ui.worker_slices import short_gil_slices  # noqa: E402


class _Label(QLabel):
    """A Python subclass: Qt calls into Python when it is destroyed."""


def _destroy_while_computing(short: bool) -> float:
    window = QWidget()
    layout = QVBoxLayout(window)
    for i in range(1500):
        layout.addWidget(_Label(str(i)))
    stop = threading.Event()

    def compute() -> None:
        with short_gil_slices() if short else nullcontext():
            while not stop.is_set():
                sum(i * i for i in range(2000))

    worker = threading.Thread(target=compute)
    worker.start()
    try:
        time.sleep(0.05)
        start = time.perf_counter()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return time.perf_counter() - start
    finally:
        stop.set()
        worker.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 7")
    rounds = 3 if parser.parse_args().quick else 7
    app = QApplication.instance() or QApplication([])
    default = statistics.median(_destroy_while_computing(False) for _ in range(rounds))
    short = statistics.median(_destroy_while_computing(True) for _ in range(rounds))
    print(f"destroy 1,500 widgets while a worker computes: default slices {default * 1000:.0f} ms, "
          f"short slices {short * 1000:.0f} ms")
    print(f"ratio short/default: {short / default:.2f} (target <= 0.3)")
    del app


if __name__ == "__main__":
    main()
