"""Keep the interpreter alive under a PySide6 reference-counting bug.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every call
of a Qt method that returns nothing (``painter.setPen(...)``, ``widget.resize(...)``).
``None`` starts with a few thousand references, so after some thousands of
such calls — a few repaints of a busy week — CPython aborts with
"none_dealloc: deallocating None". CPython 3.12 made ``None`` immortal (PEP 683);
``pin_none`` does the same on the affected versions by giving it a reference
count no program can exhaust. It is applied once, when ``planner.ui`` is first
imported; ``tests/gui/test_pyside_guard.py`` watches the leak so we know when
the workaround can go.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6

#: The PySide6 releases known to leak ``None`` (on CPython before 3.12).
LEAKING_PYSIDE = ("6.12.0",)
_PIN = 1 << 48


def affected() -> bool:
    """True on the versions with the leak: PySide6 6.12.0 on CPython before 3.12."""
    return (
        PySide6.__version__ in LEAKING_PYSIDE
        and sys.version_info < (3, 12)
        and sys.implementation.name == "cpython"
    )


def pin_none() -> bool:
    """Make ``None`` effectively immortal on the affected versions; True when it was needed."""
    if not affected():
        return False
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    if count.value < _PIN:
        count.value += _PIN
    return True
