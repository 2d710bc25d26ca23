"""Two workstations on one database (SQLite file and PostgreSQL): refresh, poll, stale edits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from planner.db.engine import Database, open_database
from planner.services.sessions import SessionDraft, create_session, get_session, set_status
from planner.ui.context import AppContext, ChangeHub
from tests.factories import base_document, load_into
from tests.gui.conftest import NOW


@pytest.fixture
def two_workstations(qapp: Any, db_url: str) -> Iterator[tuple[AppContext, Database]]:
    """This workstation's context, and a second connection playing the other workstation."""
    here = open_database(db_url)
    load_into(here, base_document())
    other = open_database(db_url)
    yield AppContext(db=here, hub=ChangeHub(), clock=lambda: NOW), other
    other.close()
    here.close()


def test_other_workstations_booking_appears_on_poll(
    qtbot: Any, two_workstations: tuple[AppContext, Database], gui_settings: QSettings
) -> None:
    from planner.ui.main_window import MainWindow

    ctx, other = two_workstations
    window = MainWindow(ctx=ctx, settings=gui_settings, load_pages=False)
    qtbot.addWidget(window)
    window.show()
    page: Any = window.planner
    assert page.poll_timer.isActive() == ctx.db.is_postgres
    page.poll()  # first look: remembers where the audit trail stands
    ref = create_session(
        other, SessionDraft(course_ref="C-0001", chair_ref="CH-2", start=datetime(2026, 12, 3, 9, 0))
    )
    assert ref not in page.week_view.week_scene.blocks
    page.poll()
    assert ref in page.week_view.week_scene.blocks
    assert page.week.session(ref).number == 2


def test_editing_a_session_changed_elsewhere_is_refused_without_overwriting(
    qtbot: Any, two_workstations: tuple[AppContext, Database], gui_settings: QSettings
) -> None:
    from planner.ui.main_window import MainWindow

    ctx, other = two_workstations
    window = MainWindow(ctx=ctx, settings=gui_settings, load_pages=False)
    qtbot.addWidget(window)
    window.show()
    page: Any = window.planner
    page.edit_session("X-1")
    editor = page.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("done"))
    # Meanwhile the other workstation confirms the same session.
    set_status(other, "X-1", "confirmed")
    editor.accept()
    assert page.error_box is not None
    assert "changed" in page.error_box.text() and "reload" in page.error_box.text()
    page.error_box.close()
    assert get_session(other, "X-1").status == "confirmed"
    assert not page.undo_stack.canUndo()
    assert page.week.session("X-1").status == "confirmed"  # the view shows what is saved
