"""What every window, page and dialog is given: the database, the change hub, the clock.

Passed by keyword from ``planner.ui.launch``; no globals, no singletons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from PySide6.QtCore import QObject, Signal

from planner.db.engine import Database

#: Words for what changed, so each view decides whether to refresh.
SESSIONS = "sessions"
PATIENTS = "patients"
STAFF = "staff"
CHAIRS = "chairs"
COURSES = "courses"
CLINIC = "clinic"  # settings, opening hours, closures, protocols, policy
EVERYTHING = frozenset({SESSIONS, PATIENTS, STAFF, CHAIRS, COURSES, CLINIC})


class ChangeHub(QObject):
    """One signal after every successful service call: ``changed(kinds)``."""

    changed = Signal(object)  # frozenset[str] of the words above

    def notify(self, kinds: Iterable[str]) -> None:
        self.changed.emit(frozenset(kinds))


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class AppContext:
    db: Database
    hub: ChangeHub
    clock: Callable[[], datetime] = field(default=_now)

    def today(self) -> date:
        return self.clock().date()
