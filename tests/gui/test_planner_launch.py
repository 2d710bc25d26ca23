"""Starting the app: first start on an empty database, a database that cannot be opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.db.engine import open_database
from planner.services.week import is_empty
from planner.ui.context import AppContext, ChangeHub
from tests.databases import migrated_sqlite
from tests.gui.conftest import NOW


def _answer_dialog(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` on the modal message box once it is up (and note its text)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        box.close()

    QTimer.singleShot(0, click)


@pytest.fixture
def empty_context(qapp: Any, tmp_path: Path) -> Iterator[AppContext]:
    db = open_database(migrated_sqlite(tmp_path / "empty.sqlite3"))
    yield AppContext(db=db, hub=ChangeHub(), clock=lambda: NOW)
    db.close()


def test_first_start_offers_the_demo_clinic_and_remembers(
    empty_context: AppContext, gui_settings: QSettings
) -> None:
    from planner.ui.launch import DEMO, first_start_choice

    seen: list[str] = []
    _answer_dialog("Load demo clinic", seen)
    assert first_start_choice(empty_context, gui_settings) == DEMO
    assert "empty" in seen[0]
    assert not is_empty(empty_context.db)
    # Not asked again: the database is no longer empty.
    assert first_start_choice(empty_context, gui_settings) is None


def test_start_empty_is_remembered_without_asking_again(
    empty_context: AppContext, gui_settings: QSettings
) -> None:
    from planner.ui.launch import EMPTY, first_start_choice

    seen: list[str] = []
    _answer_dialog("Start empty", seen)
    assert first_start_choice(empty_context, gui_settings) == EMPTY
    assert is_empty(empty_context.db)
    assert len(seen) == 1
    assert first_start_choice(empty_context, gui_settings) == EMPTY  # no dialog this time
    assert len(seen) == 1


def test_a_file_that_is_not_a_database_gets_a_clear_message(qapp: Any, tmp_path: Path) -> None:
    from planner.ui.launch import open_or_explain

    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"this is a shopping list, not a database\n" * 200)
    seen: list[str] = []
    _answer_dialog("OK", seen)
    assert open_or_explain(f"sqlite:///{bogus}") is None
    assert str(bogus) in seen[0]
    assert "Traceback" not in seen[0]


def test_main_window_on_an_empty_database_says_so(
    qtbot: Any, empty_context: AppContext, gui_settings: QSettings
) -> None:
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=empty_context, settings=gui_settings)
    qtbot.addWidget(window)
    window.show()
    assert "New clinic" in window.windowTitle()
    assert window.planner.week is not None and window.planner.week.sessions == ()
    assert "0 sessions" in window.summary.text()
    assert window.planner.violations_panel.counts.text() == "No problems this week"
    hint = window.planner.hint
    assert hint.isVisible() and "no chairs" in hint.text() and "no opening hours" in hint.text()


def test_start_up_paints_first_then_adds_the_violations(
    qtbot: Any, app_context: Any, gui_settings: Any
) -> None:
    """The launch path paints the week before the rules engine runs; the violations (badges,
    dock, status bar) follow right after the first paint and equal a checked read."""
    from planner.services.week import check_week, load_week
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=app_context, settings=gui_settings, defer_checks=True)
    qtbot.addWidget(window)
    page = window.planner
    assert page.week is not None and page.week.violations == ()  # not checked yet
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: page.week is not None and page.week.violations != ())
    expected = load_week(app_context.db, page.monday).violations
    assert page.week.violations == expected
    assert check_week(app_context.db, load_week(app_context.db, page.monday, check=False)).violations == expected
    flagged = {v.session for v in expected}
    badges = {ref for ref, block in page.week_view.week_scene.blocks.items() if block.badge}
    assert flagged <= badges
    assert str(len([v for v in expected if v.severity == "error"])) in window.summary.text()
