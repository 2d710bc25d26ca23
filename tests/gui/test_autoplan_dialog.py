"""Auto-plan from the week planner: period choice, progress, Cancel, ghosts, accept and undo."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from planner.db.engine import Database
from planner.services.clinic_io import dump_document
from planner.ui.planner.autoplan import AutoplanDialog
from tests.factories import load_into
from tests.gui.conftest import TODAY, context_on, open_window


@pytest.fixture
def busy_window(qtbot: Any, gui_db: Database, clock: Any, gui_settings: Any) -> Any:
    """The demo clinic with 60 more courses starting now: more is due than fits in a month,
    so the planner searches its whole budget (a second or more)."""
    from planner.services.demo import build_demo_document

    doc = build_demo_document(seed=1, weeks=4, today=TODAY)
    for i, patient in enumerate(p["ref"] for p in doc["patients"] * 2):
        doc["courses"].append({"ref": f"C-NEW-{i:03d}", "patient": patient, "protocol": "KET-DEP",
                               "planned_infusions": 6, "consent_date": TODAY.isoformat(),
                               "status": "active"})
    load_into(gui_db, doc)
    return open_window(qtbot, context_on(gui_db, clock), gui_settings)


def _open(page: Any) -> AutoplanDialog:
    page.planner_actions.autoplan.trigger()
    # A dialog closed just before may not be deleted yet: the one open is the new one.
    shown = [d for d in page.findChildren(AutoplanDialog, "autoplanDialog") if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def _plan(qtbot: Any, page: Any, *, month: bool = False) -> tuple[Any, list[int]]:
    """Plan through the dialog; returns the proposal and the values the progress bar showed."""
    dialog = _open(page)
    if month:
        dialog.month_choice.setChecked(True)
    shown: list[int] = []
    dialog.progress.valueChanged.connect(shown.append)
    with qtbot.waitSignal(dialog.proposed, timeout=60_000) as done:
        dialog.plan_button.click()
        assert dialog.progress.isVisible() and not dialog.plan_button.isEnabled()
    return done.args[0], shown


def test_autoplan_shows_ghosts_then_books_them_undoably(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    before = {s.ref for s in page.week.sessions}
    result, shown = _plan(qtbot, page)
    assert shown and shown[-1] > 0, "the progress bar moved"
    bar = page.autoplan_bar
    assert bar is not None and bar.isVisible() and bar.result is result
    ghosts = page.week_view.week_scene.ghosts
    assert ghosts, "the factory course has five infusions left to place"
    assert all(g.ghost and g.snapshot.patient_name == "Zoë Łukasiewicz" for g in ghosts)
    proposed = {(g.snapshot.start, g.snapshot.chair_ref) for g in ghosts}
    bar.accept_button.click()
    assert page.autoplan_bar is None
    assert page.week_view.week_scene.ghosts == []
    booked = [s for s in page.week.sessions if s.ref not in before]
    assert {(s.start, s.chair_ref) for s in booked} >= proposed
    assert all(len(s.staff) == 2 for s in booked)
    page.undo_stack.undo()
    assert {s.ref for s in page.week.sessions} == before


def test_autoplan_discard_books_nothing(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    before = {s.ref for s in page.week.sessions}
    _plan(qtbot, page)
    assert page.week_view.week_scene.ghosts
    page.autoplan_bar.discard_button.click()
    assert page.week_view.week_scene.ghosts == []
    page.reload()
    assert {s.ref for s in page.week.sessions} == before


def test_cancel_stops_the_planner_shows_nothing_and_saves_nothing(qtbot: Any, main_window: Any) -> None:
    page = main_window.planner
    before = dump_document(page.ctx.db)
    dialog = _open(page)
    dialog.month_choice.setChecked(True)
    proposals: list[Any] = []
    dialog.proposed.connect(proposals.append)
    with qtbot.waitSignal(dialog.finished, timeout=60_000):
        dialog.plan_button.click()
        dialog.cancel_button.click()
        assert dialog.status.text() == "Stopping…"
    assert proposals == [], "a cancelled run proposes nothing"
    assert all(done < total for done, total in dialog.reports), "it stopped before the end"
    assert page.autoplan_bar is None and page.week_view.week_scene.ghosts == []
    assert dump_document(page.ctx.db) == before
    # The window still works: the next run goes through.
    result, _shown = _plan(qtbot, page)
    assert page.autoplan_bar is not None and page.autoplan_bar.result is result


class _Label(QLabel):
    """A Python subclass: Qt asks Python about each one as it is destroyed."""


def test_the_window_stays_responsive_and_cancel_stops_a_running_search(
    qtbot: Any, busy_window: Any
) -> None:
    page = busy_window.planner
    before = dump_document(page.ctx.db)
    dialog = _open(page)
    dialog.month_choice.setChecked(True)
    # The GUI thread's timer notes whether the planner was running at each tick.
    ticks: list[bool] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(dialog.busy))
    timer.start()
    # A closed window of many widgets is destroyed while the planner searches: Qt calls
    # into Python for each of them, and the window must not stall meanwhile.
    closed = QWidget()
    layout = QVBoxLayout(closed)
    for i in range(1500):
        layout.addWidget(_Label(str(i)))
    with qtbot.waitSignal(dialog.finished, timeout=120_000):
        dialog.plan_button.click()
        closed.deleteLater()
        qtbot.waitUntil(lambda: sum(ticks) >= 3 and len(dialog.reports) >= 3 and dialog.reports[-1][0] > 0,
                        timeout=60_000)
        assert dialog.busy, "the GUI thread ran its timer while the planner was still working"
        dialog.cancel_button.click()
    timer.stop()
    done, total = dialog.reports[-1]
    assert 0 < done < total, "the search stopped part-way"
    assert page.autoplan_bar is None and page.week_view.week_scene.ghosts == []
    assert dump_document(page.ctx.db) == before


def test_closing_the_dialog_before_planning_does_nothing(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    dialog = _open(page)
    with qtbot.waitSignal(dialog.finished):
        dialog.cancel_button.click()
    assert page.autoplan_bar is None and dialog.reports == []


@pytest.mark.parametrize("month", [False, True], ids=["week", "month"])
def test_the_dialog_proposes_what_the_command_proposes(
    qtbot: Any, main_window: Any, capsys: pytest.CaptureFixture[str], month: bool
) -> None:
    from datetime import timedelta

    from planner.cli import run

    page = main_window.planner
    assert page.monday == TODAY
    result, shown = _plan(qtbot, page, month=month)
    last = TODAY + timedelta(days=27 if month else 6)
    assert (result.first, result.last) == (TODAY, last)
    assert shown, "progress was shown"
    now = page.ctx.clock()  # the command plans from the same moment as the window
    assert run(["--db", page.ctx.db.url, "autoplan", "--from", TODAY.isoformat(),
                "--to", last.isoformat(), "--not-before", now.isoformat(), "--json"]) == 0
    command = json.loads(capsys.readouterr().out)
    gui = result.to_json()
    assert gui["placed"] == command["placed"]
    assert gui["unplaced"] == command["unplaced"]
    assert gui["summary"] == command["summary"]
    if month:
        assert "Go week by week" in page.autoplan_bar.label.text()
