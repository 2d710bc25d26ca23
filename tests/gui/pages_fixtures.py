"""Fixtures and helpers for the page tests, kept apart from the shared GUI conftest.

A test module imports the names it uses (a fixture imported this way is
registered for that module only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from planner.db.engine import Database, open_database
from tests.databases import migrated_sqlite

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def empty_context(qapp: Any, tmp_path: Path, clock: Callable[[], datetime]) -> Iterator[Any]:
    """An AppContext on a brand-new, empty database (a clinic's first day)."""
    from planner.ui.context import AppContext, ChangeHub

    database: Database = open_database(migrated_sqlite(tmp_path / "first-day.sqlite3"))
    yield AppContext(db=database, hub=ChangeHub(), clock=clock)
    database.close()


def show_page(qtbot: Any, page: W, size: tuple[int, int] = (1100, 640)) -> W:
    """``page`` shown at ``size`` (and closed with the test)."""
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    return page


def open_dialogs(kind: type[QDialog]) -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def save_screenshot(widget: QWidget, name: str) -> Path | None:
    """Save a PNG of ``widget`` when PLANNER_SCREENSHOTS names a folder (for looking at pages)."""
    import os

    folder = os.environ.get("PLANNER_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path
