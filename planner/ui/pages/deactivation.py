"""The question asked before a staff member or a chair is taken out of use while still booked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from planner.services.future_sessions import FutureSession
from planner.ui.pages.common import tr
from planner.ui.widgets.plural import plural

#: How many of the sessions the question lists by name.
SHOWN = 10


def confirm_deactivation(
    parent: QWidget | None, what: str, sessions: Sequence[FutureSession]
) -> bool:
    """Ask before taking a staff member or chair out of use while sessions still need them.

    ``what``: e.g. "Dr Ana Silva" or "Chair 2". True to go ahead (also when none).
    """
    if not sessions:
        return True
    shown = "\n".join(f"  {s.line()}" for s in sessions[:SHOWN])
    if len(sessions) > SHOWN:
        shown += "\n  " + tr("… and {0} more").format(len(sessions) - SHOWN)
    text = (
        plural(
            len(sessions),
            tr("{0} is still booked for 1 session to come:"),
            tr("{0} is still booked for {n} sessions to come:"),
        ).format(what)
        + "\n"
        + shown
        + "\n\n"
        + tr(
            "Take {0} out of use anyway? These sessions keep {0} and are marked as a problem "
            "in the planner and by 'check' until they are moved or someone else is assigned."
        ).format(what)
    )
    answer = QMessageBox.question(
        parent,
        tr("Sessions still booked"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
