"""Short interpreter slices while any worker computes, the default back after the last.

(The auto-plan dialog's test shows the window responsive during a search that
destroys a closed window meanwhile; bench/bench_worker_slices.py measures it.)"""

from __future__ import annotations

import sys

import pytest

from planner.ui.worker_slices import WORKER_SWITCH_INTERVAL, short_gil_slices


def test_slices_are_short_while_any_worker_runs_and_restored_after() -> None:
    default = sys.getswitchinterval()
    with short_gil_slices():
        assert sys.getswitchinterval() == pytest.approx(WORKER_SWITCH_INTERVAL)
        with short_gil_slices():
            assert sys.getswitchinterval() == pytest.approx(WORKER_SWITCH_INTERVAL)
        assert sys.getswitchinterval() == pytest.approx(WORKER_SWITCH_INTERVAL)  # one worker still runs
    assert sys.getswitchinterval() == default
