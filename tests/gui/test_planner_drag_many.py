"""Twenty drags in one run: across days and chairs, with week changes, refusals and undo between.

Every drag rebuilds the week's scene; nothing the view keeps may outlive it. Any exception
raised inside a Qt event handler fails the test (pytest-qt), and after the last drag every
session is where the drags and undos put it, in the database and on the canvas.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from planner.services.sessions import get_session
from tests.gui.conftest import TODAY

WEEK1 = TODAY  # Monday 2026-11-30
WEEK2 = TODAY + timedelta(days=7)
#: Every session lasts two hours (20 + 40 + 60 minutes); slots never overlap anywhere in the
#: clinic, so no move is refused for staff load, only the deliberate ones for a taken chair.
HOURS = (8, 10, 12, 14)


def _mouse(view: Any, kind: QMouseEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), button, buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def _drag(page: Any, ref: str, day: date, chair: str, hour: int) -> None:
    """Press on the block's upper part, move in steps, release over the slot's upper part."""
    view = page.week_view
    block = view.week_scene.blocks[ref]
    rect = block.sceneBoundingRect()
    start = view.mapFromScene(QPointF(rect.center().x(), rect.top() + 6))
    g = view.week_scene.geometry
    x, width = g.chair_x(day, chair)
    end = view.mapFromScene(QPointF(x + width / 2, g.y_of(time(hour)) + 6))
    held = Qt.MouseButton.LeftButton
    _mouse(view, QMouseEvent.Type.MouseButtonPress, start, held)
    for i in range(1, 9):
        _mouse(view, QMouseEvent.Type.MouseMove, start + (end - start) * (i / 8), held)
    # Over the target the drop indicator shows its verdict (it is a new item after each rebuild).
    assert view.indicator.isVisible() and view.drop_verdict in ("ok", "warning", "error")
    assert chair.replace("CH-", "Chair ") in view.indicator.text()
    _mouse(view, QMouseEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def _free_slot(taken: set[tuple[date, int]], monday: date, step: int) -> tuple[date, int]:
    """A (day, hour) no session of the clinic uses yet, varied by ``step``."""
    for k in range(5 * len(HOURS)):
        n = (step * 7 + k) % (5 * len(HOURS))
        slot = (monday + timedelta(days=n % 5), HOURS[n // 5])
        if slot not in taken:
            return slot
    raise AssertionError("no free slot left")


def test_twenty_drags_across_days_chairs_weeks_with_undo(qtbot: Any, drag_window: Any) -> None:
    page = drag_window.planner
    chairs = ("CH-1", "CH-2", "CH-3")
    expected: dict[str, tuple[datetime, str]] = {
        s.ref: (s.start, s.chair_ref) for s in page.week.sessions
    }
    page.step_week(1)
    expected.update({s.ref: (s.start, s.chair_ref) for s in page.week.sessions})
    page.step_week(-1)
    assert len(expected) == 10
    moves: list[tuple[str, tuple[datetime, str]]] = []  # undo history: (ref, where it was)
    drags = refused = undos = week_changes = 0

    for step in range(20):
        monday = page.monday
        shown = sorted(r for r, (start, _c) in expected.items() if monday <= start.date() < monday + timedelta(days=7))
        ref = shown[step % len(shown)]
        taken = {(s.date(), s.hour) for r, (s, _c) in expected.items()}
        if step % 7 == 6:
            # Onto another session's chair and time: refused, nothing moves, the user is told.
            other = shown[(step + 1) % len(shown)]
            when, chair = expected[other]
            _drag(page, ref, when.date(), chair, when.hour)
            assert page.error_box is not None and "Not saved" in page.error_box.text()
            page.error_box.close()
            refused += 1
        else:
            day, hour = _free_slot(taken, monday, step)
            chair = chairs[step % 3]
            moves.append((ref, expected[ref]))
            _drag(page, ref, day, chair, hour)
            expected[ref] = (datetime.combine(day, time(hour)), chair)
            drags += 1
        if step % 5 == 4 and moves:  # undo the latest move with the keyboard
            qtbot.keyClick(drag_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            undone, where = moves.pop()
            expected[undone] = where
            undos += 1
        if step % 4 == 3:  # to the other week and on from there
            if page.monday == WEEK1:
                drag_window.planner.planner_actions.next_week.trigger()
            else:
                drag_window.planner.planner_actions.prev_week.trigger()
            week_changes += 1
        # A click on an empty slot and on a block between drags (both failed after the first drag).
        view = page.week_view
        g = view.week_scene.geometry
        x, width = g.chair_x(page.monday + timedelta(days=4), "CH-3")  # Friday 16:30 stays free
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.mapFromScene(QPointF(x + width / 2, g.y_of(time(16, 30)))))
        assert page.selected_ref() is None
        for s in page.week.sessions:
            block = view.week_scene.blocks[s.ref]
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                             pos=view.mapFromScene(block.sceneBoundingRect().center()))
            assert page.selected_ref() == s.ref
            break

    assert drags + refused == 20 and refused >= 2 and undos >= 3 and week_changes >= 4
    for ref, (start, chair) in expected.items():
        saved = get_session(drag_window.ctx.db, ref)
        assert (saved.start, saved.chair.ref) == (start, chair), ref
    for monday in (WEEK1, WEEK2):
        page.set_week(monday)
        for s in page.week.sessions:
            block = page.week_view.week_scene.blocks[s.ref]
            assert (block.snapshot.start, block.snapshot.chair_ref) == expected[s.ref]
            g = page.week_view.week_scene.geometry
            x, _w = g.chair_x(s.start.date(), s.chair_ref)
            assert block.sceneBoundingRect().left() >= x - 2
            assert abs(block.sceneBoundingRect().top() - g.y_of(s.start)) < 3
    # The drop indicator is gone once no drag is under way.
    assert page.week_view.drop_verdict == ""
