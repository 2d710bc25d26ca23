"""The PySide6 6.12.0 / CPython 3.11 workaround: applied where the leak is, and watched.

A canary, not a speed test: it counts the references to ``None`` that a few
thousand Qt calls returning nothing lose. On the affected versions they lose
one each (``pin_none`` keeps the interpreter alive); elsewhere none. When a
PySide6 release fixes the leak, the first test fails and says the workaround
(``planner/ui/widgets/pyside_guard.py``) can go.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QWidget

from planner.ui.widgets.pyside_guard import LEAKING_PYSIDE, affected, pin_none

CALLS = 3000


def _references_lost(calls: int) -> int:
    widget = QWidget()
    before = sys.getrefcount(None)
    for _ in range(calls):
        widget.resize(10, 10)  # returns nothing
    lost = before - sys.getrefcount(None)
    widget.deleteLater()
    return lost


def test_void_qt_calls_lose_references_to_none_exactly_where_expected(qapp: Any) -> None:
    import PySide6

    lost = _references_lost(CALLS)
    where = f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]}"
    if affected():
        assert lost >= CALLS * 0.9, (
            f"{where} no longer loses a reference to None per void Qt call (lost {lost} in "
            f"{CALLS} calls): the leak is fixed; remove {LEAKING_PYSIDE} from LEAKING_PYSIDE "
            "(and pin_none with it once no supported release leaks)."
        )
    else:
        assert abs(lost) < CALLS * 0.1, (
            f"{where} loses references to None ({lost} in {CALLS} void Qt calls) but is not "
            "listed as affected: add its version to LEAKING_PYSIDE in pyside_guard.py."
        )


def test_none_is_pinned_only_where_it_leaks(qapp: Any) -> None:
    assert pin_none() == affected()
    if affected():  # the pin was applied on importing planner.ui, before any Qt call
        assert sys.getrefcount(None) > 1 << 40
