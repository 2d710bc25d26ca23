"""GUI fixtures shared by every tests/gui module: settings in a temp file, an AppContext on a
fresh SQLite database (demo clinic or the small factory clinic), and the real main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from planner.db.engine import Database, open_database
from planner.interchange.validate import parse_document
from planner.services.clinic_io import document_to_json, load_document
from tests.databases import migrated_sqlite
from tests.factories import base_document, load_into

#: "Today" in every GUI test: Monday of the factory clinic's week (its session is Tue 09:00).
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 8, 0)

#: Tests skipped for a missing component, repeated in red at the end of the run.
_loud_skips: list[str] = []


def note_loud_skip(reason: str) -> None:
    """Remember a skip the run's summary must shout about (a component was not tested)."""
    _loud_skips.append(reason)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for reason in dict.fromkeys(_loud_skips):
        terminalreporter.write_sep("!", reason.split(":")[0], red=True, bold=True)
        terminalreporter.write_line(reason)


# The offscreen platform says this on every top-level window it shows; it is not our warning.
_OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_NOISE))


@pytest.fixture
def gui_settings(tmp_path: Path) -> Iterator[QSettings]:
    """QSettings in a per-test INI file (never the user's real settings)."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield settings
    settings.sync()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: NOW


def _context(db: Database, clock: Callable[[], datetime]) -> Any:
    from planner.ui.context import AppContext, ChangeHub

    return AppContext(db=db, hub=ChangeHub(), clock=clock)


@pytest.fixture
def gui_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(migrated_sqlite(tmp_path / "gui.sqlite3"))
    yield database
    database.close()


@pytest.fixture
def app_context(qapp: Any, gui_db: Database, clock: Callable[[], datetime]) -> Any:
    """An AppContext on a fresh SQLite database holding the demo clinic around ``TODAY``."""
    from planner.services.demo import build_demo_document

    doc = build_demo_document(seed=1, weeks=4, today=TODAY)
    load_document(gui_db, parse_document(document_to_json(doc)))
    return _context(gui_db, clock)


@pytest.fixture
def small_context(qapp: Any, gui_db: Database, clock: Callable[[], datetime]) -> Any:
    """An AppContext on the small factory clinic (2 chairs, S1 psychiatrist, S2 nurse, X-1)."""
    load_into(gui_db, base_document())
    return _context(gui_db, clock)


def open_window(qtbot: Any, ctx: Any, settings: QSettings, size: tuple[int, int] = (1400, 900)) -> Any:
    """The real main window on ``ctx``, shown at ``size`` (not maximised on the small test screen)."""
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=ctx, settings=settings)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def context_on(db: Database, clock: Callable[[], datetime] = lambda: NOW) -> Any:
    """An AppContext on ``db`` with a fixed clock."""
    return _context(db, clock)


@pytest.fixture
def main_window(qtbot: Any, app_context: Any, gui_settings: QSettings) -> Any:
    """The real main window on the demo clinic, shown and sized like a desktop."""
    return open_window(qtbot, app_context, gui_settings)


@pytest.fixture
def small_window(qtbot: Any, small_context: Any, gui_settings: QSettings) -> Any:
    """The main window on the small factory clinic (precise, hand-checkable data)."""
    return open_window(qtbot, small_context, gui_settings)


def five_patients_doc() -> dict[str, Any]:
    """The small clinic with a third chair and five patients, one a weekday in two weeks
    (Mon–Fri 08:00, chair 1), sessions X-1a…X-5a and X-1b…X-5b, two hours each."""
    doc = base_document()
    doc["chairs"].append({"ref": "CH-3", "name": "Chair 3", "room": "Room B"})
    doc["patients"] = []
    doc["courses"] = []
    doc["sessions"] = []
    names = ["Ana Rossi", "Bruno Rossi", "Chiara Rossi", "Kofi Tanaka", "Zoë Łukasiewicz"]
    for i, name in enumerate(names, start=1):
        doc["patients"].append(
            {
                "ref": f"P-{i:04d}",
                "name": name,
                "date_of_birth": "1980-01-01",
                "record_number": f"MRN-{1000 + i}",
                "weight_kg": 70,
                "flags": [],
                "escort": {"name": "Escort", "phone": "+1 555 0100"},
                "notes": "",
            }
        )
        doc["courses"].append(
            {
                "ref": f"C-{i:04d}",
                "patient": f"P-{i:04d}",
                "protocol": "KET-DEP",
                "planned_infusions": 6,
                "consent_date": "2026-11-30",
                "status": "active",
            }
        )
        for monday, tag in ((TODAY, "a"), (TODAY + timedelta(days=7), "b")):
            day = monday + timedelta(days=i - 1)  # one patient per weekday
            doc["sessions"].append(
                {
                    "ref": f"X-{i}{tag}",
                    "course": f"C-{i:04d}",
                    "chair": "CH-1",
                    "start": f"{day.isoformat()}T08:00",
                    "status": "planned",
                    "assignments": [
                        {"staff": "S1", "role": "psychiatrist"},
                        {"staff": "S2", "role": "infusion_nurse"},
                    ],
                }
            )
    return doc


@pytest.fixture
def drag_window(qtbot: Any, qapp: Any, tmp_path: Path) -> Iterator[Any]:
    """The main window on ``five_patients_doc`` (a week with room to drag sessions about)."""
    db: Database = open_database(f"sqlite:///{tmp_path / 'drag.sqlite3'}")
    load_into(db, five_patients_doc())
    window = open_window(qtbot, context_on(db), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield window
    window.close()
    db.close()
