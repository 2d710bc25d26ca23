"""Keep the interpreter alive under a PySide6 reference-counting bug.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every call
of a Qt method that returns nothing (``painter.setPen(...)``, ``widget.resize(...)``).
``None`` starts with a few thousand references, so after some thousands of
such calls — a few repaints of a busy week — CPython aborts with
"none_dealloc: deallocating None". CPython 3.12 made ``None`` immortal (PEP 683);
``pin_none`` does the same on older interpreters by giving it a reference
count no program can exhaust.
"""

from __future__ import annotations

import ctypes
import sys

_PIN = 1 << 48


def pin_none() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12; True when it was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    if count.value < _PIN:
        count.value += _PIN
    return True
