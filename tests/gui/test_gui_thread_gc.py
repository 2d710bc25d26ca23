"""Garbage is collected on the GUI thread, never by a worker thread that happens to allocate."""

from __future__ import annotations

import gc
import threading
from typing import Any

from planner.ui.gui_thread_gc import GuiThreadCollector


class _Cycle:
    def __init__(self, record: list[str]) -> None:
        self.me = self
        self.record = record

    def __del__(self) -> None:
        self.record.append(threading.current_thread().name)


def test_cycles_made_anywhere_are_freed_on_the_gui_thread(qtbot: Any) -> None:
    assert not gc.isenabled()  # the test fixture runs the collector, as the app does
    freed_in: list[str] = []

    def worker() -> None:
        for _ in range(5_000):  # cyclic garbage: enough to trigger a collection in this thread
            _Cycle(freed_in)

    thread = threading.Thread(target=worker, name="worker")
    thread.start()
    thread.join()
    assert freed_in == []  # the worker thread never collected
    collector = GuiThreadCollector(interval_ms=10)
    try:
        qtbot.waitUntil(lambda: len(freed_in) == 5_000, timeout=5000)
    finally:
        collector.stop()
    assert set(freed_in) == {threading.main_thread().name}


def test_stop_gives_automatic_collection_back(qapp: Any) -> None:
    gc.enable()  # as outside Qt tests
    try:
        collector = GuiThreadCollector()
        assert not gc.isenabled()
        collector.stop()
        assert gc.isenabled()
    finally:
        gc.disable()  # the fixture's collector owns collection for the rest of this test
