"""What every window, page and dialog is given: the database, the change hub, the clock.

Passed by keyword from ``planner.ui.launch``; no globals, no singletons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from PySide6.QtCore import QObject, Signal

from planner.services.database import Database

#: Words for what changed, so each view decides whether to refresh.
SESSIONS = "sessions"
PATIENTS = "patients"
STAFF = "staff"
CHAIRS = "chairs"
COURSES = "courses"
CLINIC = "clinic"  # settings, opening hours, closures, protocols, policy
EVERYTHING = frozenset({SESSIONS, PATIENTS, STAFF, CHAIRS, COURSES, CLINIC})


#: Where a page may ask the main window to go: ``hub.go(SESSION_TARGET, "X-00012")``.
SESSION_TARGET = "session"
COURSE_TARGET = "course"
PATIENT_TARGET = "patient"


class ChangeHub(QObject):
    """One signal after every successful service call: ``changed(kinds)``.

    Also ``navigate(target, ref)``: a page asks to show a session in the planner,
    a course or a patient; the main window switches the side bar and selects it.
    """

    changed = Signal(object)  # frozenset[str] of the words above
    navigate = Signal(str, str)

    def notify(self, kinds: Iterable[str]) -> None:
        self.changed.emit(frozenset(kinds))

    def go(self, target: str, ref: str) -> None:
        self.navigate.emit(target, ref)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class AppContext:
    db: Database
    hub: ChangeHub
    clock: Callable[[], datetime] = field(default=_now)

    def today(self) -> date:
        return self.clock().date()
