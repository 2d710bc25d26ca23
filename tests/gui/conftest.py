"""GUI fixtures shared by every tests/gui module: settings in a temp file, an AppContext on a
fresh SQLite database (demo clinic or the small factory clinic), and the real main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from planner.db.engine import Database, open_database
from planner.interchange.validate import parse_document
from planner.services.clinic_io import document_to_json, load_document
from tests.databases import migrated_sqlite
from tests.factories import base_document, load_into

#: "Today" in every GUI test: Monday of the factory clinic's week (its session is Tue 09:00).
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 8, 0)

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


def _window(qtbot: Any, ctx: Any, settings: QSettings) -> Any:
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=ctx, settings=settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def main_window(qtbot: Any, app_context: Any, gui_settings: QSettings) -> Any:
    """The real main window on the demo clinic, shown and sized like a desktop."""
    return _window(qtbot, app_context, gui_settings)


@pytest.fixture
def small_window(qtbot: Any, small_context: Any, gui_settings: QSettings) -> Any:
    """The main window on the small factory clinic (precise, hand-checkable data)."""
    return _window(qtbot, small_context, gui_settings)
