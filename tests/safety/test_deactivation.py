"""Deactivating a staff member or a chair with sessions still to come: listed, asked, reported.

The issue's example: a deactivated psychiatrist kept their future sessions with
no warning, ``check`` reported nothing and the monitoring sheet still printed
them. Now the service lists those sessions, the app asks, ``check`` reports
``staff-inactive`` / ``chair-inactive`` and the sheet is refused (or a marked draft).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.db.engine import Database
from planner.services import chairs, staff
from planner.services.audit import list_audit
from tests.factories import base_document, load_into

#: Offscreen Qt's note when a dialog opens (not a problem of the app).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
BEFORE = datetime(2026, 11, 30, 8, 0)  # the session X-1 is on 2026-12-01 09:00
AFTER = datetime(2026, 12, 2, 8, 0)


def test_deactivating_lists_the_sessions_still_to_come(db: Database) -> None:
    load_into(db, base_document())
    assert [s.ref for s in staff.future_sessions_of(db, "S1", now=BEFORE)] == ["X-1"]
    assert staff.future_sessions_of(db, "S1", now=AFTER) == []
    still = staff.set_staff_active(db, "S1", False, now=BEFORE)
    assert [s.ref for s in still] == ["X-1"]
    event = list_audit(db, ref="S1")[0]
    assert event.action == "deactivate" and event.after == {
        "active": False, "future_sessions": ["X-1"]
    }
    assert [s.ref for s in chairs.future_sessions_on(db, "CH-1", now=BEFORE)] == ["X-1"]


def test_check_reports_a_deactivated_psychiatrist_and_the_sheet_is_not_printed(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_into(db, base_document())
    assert run(["--db", db.url, "check"]) == 0
    staff.set_staff_active(db, "S1", False)
    assert run(["--db", db.url, "check"]) == 1
    out = capsys.readouterr().out
    assert "staff-inactive" in out and "Dr Ana Silva has been deactivated" in out
    sheet = tmp_path / "sheet.pdf"
    assert run(["--db", db.url, "export", "monitoring", "--session", "X-1", "--out", str(sheet)]) == 1
    assert "staff-inactive" in capsys.readouterr().err and not sheet.exists()
    assert run(["--db", db.url, "export", "monitoring", "--session", "X-1", "--draft",
                "--out", str(sheet)]) == 0
    from tests.paperwork.pdfcheck import all_text

    assert "DRAFT" in all_text(sheet.read_bytes())


def test_check_reports_a_session_on_a_chair_no_longer_in_use(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    load_into(db, base_document())
    row = next(c for c in chairs.list_chairs(db) if c.chair.ref == "CH-1")
    chairs.update_chair(db, replace(row.chair, active=False), expected_version=row.version)
    assert run(["--db", db.url, "check"]) == 1
    out = capsys.readouterr().out
    assert "chair-inactive" in out and "Chair 1 is no longer in use" in out


def _answer(monkeypatch: pytest.MonkeyPatch, yes: bool) -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.mark.parametrize("yes", [False, True])
def test_the_staff_page_asks_before_deactivating_someone_still_booked(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, yes: bool
) -> None:
    from planner.db.engine import open_database
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.pages.staff_page import StaffPage

    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    doc = base_document()
    doc["sessions"][0]["start"] = "2099-12-01T09:00"  # still to come
    load_into(db, doc)
    page = StaffPage(AppContext(db=db, hub=ChangeHub()))
    qtbot.addWidget(page)
    page.refresh()
    asked = _answer(monkeypatch, yes)
    row = next(r for r in range(page.proxy.rowCount()) if "Ana" in str(page.proxy.index(r, 0).data()))
    page.table.selectRow(row)
    page.toggle_active()
    assert len(asked) == 1
    assert "Dr Ana Silva is still booked for 1 session to come" in asked[0] and "X-1" in asked[0]
    assert staff.get_staff(db, "S1").member.active is (not yes)
    db.close()


@pytest.mark.parametrize("yes", [False, True])
def test_the_staff_dialog_asks_too_when_active_is_unticked(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, yes: bool
) -> None:
    """The other way to deactivate someone: untick Active in their dialog and save."""
    from planner.db.engine import open_database
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.pages.staff_page import StaffPage

    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    doc = base_document()
    doc["sessions"][0]["start"] = "2099-12-01T09:00"
    load_into(db, doc)
    page = StaffPage(AppContext(db=db, hub=ChangeHub()))
    qtbot.addWidget(page)
    page.refresh()
    asked = _answer(monkeypatch, yes)
    row = next(r for r in range(page.proxy.rowCount()) if "Ana" in str(page.proxy.index(r, 0).data()))
    page.table.selectRow(row)
    dialog = page.edit_selected()
    assert dialog is not None
    dialog.active.setChecked(False)
    dialog.try_save()
    assert len(asked) == 1 and "Dr Ana Silva is still booked for 1 session to come" in asked[0]
    assert staff.get_staff(db, "S1").member.active is (not yes)
    dialog.close()
    db.close()


@pytest.mark.parametrize("yes", [False, True])
def test_the_chair_dialog_asks_before_taking_a_booked_chair_out_of_use(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, yes: bool
) -> None:
    from planner.db.engine import open_database
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.pages.chairs_panel import ChairsPanel

    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    doc = base_document()
    doc["sessions"][0]["start"] = "2099-12-01T09:00"
    load_into(db, doc)
    panel = ChairsPanel(AppContext(db=db, hub=ChangeHub()))
    qtbot.addWidget(panel)
    panel.refresh()
    asked = _answer(monkeypatch, yes)
    row = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 0).data() == "Chair 1")
    panel.table.selectRow(row)
    dialog = panel.edit_selected()
    assert dialog is not None
    dialog.active.setChecked(False)
    dialog.try_save()
    assert len(asked) == 1 and "Chair 1 is still booked for 1 session to come" in asked[0]
    active = next(c.chair.active for c in chairs.list_chairs(db) if c.chair.ref == "CH-1")
    assert active is (not yes)
    dialog.close()
    db.close()
