"""Keep the window responsive while a worker thread computes in Python.

The GUI thread takes the GIL for every call into Python, and Qt calls into
Python very often (each widget destroyed, each overridden paint or event).
While a worker thread computes, each of those waits for the interpreter's
switch interval (5 ms): destroying a closed window of 1,500 widgets then
took 6 s during an auto-plan. Slices of 0.1 ms while
a worker runs cut that to 0.3 s; the default comes back when the
last worker is done.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The interpreter's switch interval while a worker computes (seconds).
WORKER_SWITCH_INTERVAL = 0.0001

_lock = threading.Lock()
_running = 0
_default = sys.getswitchinterval()


@contextmanager
def short_gil_slices() -> Iterator[None]:
    """Run the body (a worker's computation) with short GIL slices."""
    global _running, _default
    with _lock:
        if _running == 0:
            _default = sys.getswitchinterval()
            sys.setswitchinterval(min(_default, WORKER_SWITCH_INTERVAL))
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                sys.setswitchinterval(_default)
