"""Changing the week from the planner: the editor, drag and drop, new sessions, undo/redo."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from planner.services.sessions import SessionDraft, create_session, get_session, set_assignments

TUESDAY = date(2026, 12, 1)


def _block_point(page: Any, ref: str, dy: float = 12.0) -> QPoint:
    block = page.week_view.week_scene.blocks[ref]
    rect = block.sceneBoundingRect()
    return page.week_view.mapFromScene(QPointF(rect.center().x(), rect.top() + dy))


def _slot_point(page: Any, day: date, chair: str, at: time, dy: float = 12.0) -> QPoint:
    g = page.week_view.week_scene.geometry
    x, width = g.chair_x(day, chair)
    y = g.y_of(at) + dy
    return page.week_view.mapFromScene(QPointF(x + width / 2, y))


def _mouse(view: Any, kind: QMouseEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def _drag(page: Any, start: QPoint, end: QPoint, *, release: bool = True) -> None:
    view = page.week_view
    held = Qt.MouseButton.LeftButton
    _mouse(view, QMouseEvent.Type.MouseButtonPress, start, held)
    steps = 6
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        _mouse(view, QMouseEvent.Type.MouseMove, p, held)
    if release:
        _mouse(view, QMouseEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def _double_click(qtbot: Any, page: Any, pos: QPoint) -> None:
    qtbot.mouseDClick(page.week_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _understaffed(window: Any) -> Any:
    """X-1 with its psychiatrist only (the nurse role empty), shown in the planner."""
    set_assignments(window.ctx.db, "X-1", [("S1", "psychiatrist")])
    window.planner.reload()
    return window.planner


def test_missing_role_shows_error_badge_until_the_editor_fills_it(
    qtbot: Any, small_window: Any
) -> None:
    page = _understaffed(small_window)
    block = page.week_view.week_scene.blocks["X-1"]
    assert block.badge == "error"
    assert "monitoring clinician" in block.toolTip()
    _double_click(qtbot, page, _block_point(page, "X-1"))
    editor = page.editor
    assert editor is not None and editor.isVisible()
    # The editor shows the live problem before anything is saved.
    assert any(v.severity == "error" for v in editor.violations)
    assert editor.violation_list.count() >= 1
    # Only people holding the role are offered.
    mon = editor.monitoring_combo
    offered = [mon.itemData(i) for i in range(mon.count()) if mon.itemData(i)]
    assert offered == ["S2|infusion_nurse"]
    psy = editor.psychiatrist_combo
    assert [psy.itemData(i) for i in range(psy.count()) if psy.itemData(i)] == ["S1|psychiatrist"]
    assert psy.currentData() == "S1|psychiatrist"
    mon.setCurrentIndex(mon.findData("S2|infusion_nurse"))
    assert not [v for v in editor.violations if v.severity == "error"]
    assert "No problems" in editor.verdict.text()
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    saved = get_session(small_window.ctx.db, "X-1")
    assert sorted((a.staff.ref, a.role) for a in saved.assignments) == [
        ("S1", "psychiatrist"),
        ("S2", "infusion_nurse"),
    ]
    assert page.week_view.week_scene.blocks["X-1"].badge == ""
    assert "0 errors" in small_window.summary.text()
    # Undo brings the error back; redo clears it again.
    qtbot.keyClick(small_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.week_view.week_scene.blocks["X-1"].badge == "error"
    qtbot.keyClick(
        small_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert page.week_view.week_scene.blocks["X-1"].badge == ""


def test_editor_marks_staff_on_leave_and_outside_their_hours(
    qtbot: Any, small_window: Any
) -> None:
    ctx = small_window.ctx
    with ctx.db.begin() as session:
        from planner.db.models import StaffLeave, StaffMember

        nurse = session.query(StaffMember).filter_by(ref="S2").one()
        nurse.leave.append(StaffLeave(start_date=TUESDAY, end_date=TUESDAY))
    page = small_window.planner
    page.reload()
    page.edit_session("X-1")
    mon = page.editor.monitoring_combo
    label = mon.itemText(mon.findData("S2|infusion_nurse"))
    assert "on leave" in label
    page.editor.time_edit.setTime(page.editor.time_edit.time().fromString("19:00", "HH:mm"))
    page.editor.date_edit.setDate(page.editor.date_edit.date().addDays(1))  # Wednesday, no leave
    label = mon.itemText(mon.findData("S2|infusion_nurse"))
    assert "not working then" in label and "on leave" not in label
    page.editor.reject()


def test_drag_to_new_slot_saves_and_undo_puts_it_back(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    page.week_view.setFocus()
    before = get_session(small_window.ctx.db, "X-1")
    assert (before.start, before.chair.ref) == (datetime(2026, 12, 1, 9, 0), "CH-1")
    _drag(page, _block_point(page, "X-1"), _slot_point(page, TUESDAY, "CH-2", time(11, 0)))
    after = get_session(small_window.ctx.db, "X-1")
    assert after.chair.ref == "CH-2"
    assert after.start == datetime(2026, 12, 1, 11, 0)
    assert after.start.minute % 5 == 0
    assert page.week.session("X-1").chair_ref == "CH-2"
    assert page.undo_stack.count() == 1
    qtbot.keyClick(small_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = get_session(small_window.ctx.db, "X-1")
    assert (back.start, back.chair.ref) == (datetime(2026, 12, 1, 9, 0), "CH-1")
    assert page.week.session("X-1").start == datetime(2026, 12, 1, 9, 0)
    small_window.redo_action.trigger()
    assert get_session(small_window.ctx.db, "X-1").chair.ref == "CH-2"


def test_drop_target_turns_red_over_a_taken_chair_and_nothing_is_saved(
    qtbot: Any, small_window: Any
) -> None:
    ctx = small_window.ctx
    create_session(
        ctx.db,
        SessionDraft(
            course_ref="C-0001",
            chair_ref="CH-2",
            start=datetime(2026, 12, 3, 11, 0),
            assignments=(("S1", "psychiatrist"), ("S2", "infusion_nurse")),
        ),
    )
    page = small_window.planner
    page.reload()
    thursday = date(2026, 12, 3)
    # Over a free slot the target is fine…
    _drag(page, _block_point(page, "X-1"), _slot_point(page, thursday, "CH-1", time(14, 0)), release=False)
    assert page.week_view.drop_verdict in ("ok", "warning")
    # …over the other session's chair time it is an error (chair and patient double-booked).
    _drag_target = _slot_point(page, thursday, "CH-2", time(11, 30))
    _mouse(page.week_view, QMouseEvent.Type.MouseMove, _drag_target, Qt.MouseButton.LeftButton)
    assert page.week_view.drop_verdict == "error"
    indicator = page.week_view.indicator
    assert indicator is not None and indicator.isVisible()
    assert indicator.data(0) == "#d32f2f"
    _mouse(page.week_view, QMouseEvent.Type.MouseButtonRelease, _drag_target, Qt.MouseButton.NoButton)
    # The booking guard refuses; the user is told, nothing moved, nothing to undo.
    assert page.error_box is not None and "Not saved" in page.error_box.text()
    page.error_box.close()
    assert get_session(ctx.db, "X-1").start == datetime(2026, 12, 1, 9, 0)
    assert not page.undo_stack.canUndo()


def test_double_click_empty_slot_books_a_new_session(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    wednesday = date(2026, 12, 2)
    _double_click(qtbot, page, _slot_point(page, wednesday, "CH-2", time(10, 0), dy=2))
    editor = page.editor
    assert editor is not None and editor.session is None
    assert editor.course_combo.currentData() == "C-0001"
    assert editor.chair_combo.currentData() == "CH-2"
    assert editor.start == datetime(2026, 12, 2, 10, 0)
    # Without staff, the live check says so before saving.
    assert any(v.severity == "error" for v in editor.violations)
    editor.psychiatrist_combo.setCurrentIndex(editor.psychiatrist_combo.findData("S1|psychiatrist"))
    editor.monitoring_combo.setCurrentIndex(editor.monitoring_combo.findData("S2|infusion_nurse"))
    editor.accept()
    new = [s for s in page.week.sessions if s.ref != "X-1"]
    assert len(new) == 1
    assert (new[0].start, new[0].chair_ref, new[0].course_ref) == (
        datetime(2026, 12, 2, 10, 0),
        "CH-2",
        "C-0001",
    )
    assert new[0].number == 2
    assert page.selected_ref() == new[0].ref
    page.undo_stack.undo()
    assert [s.ref for s in page.week.sessions] == ["X-1"]


def test_status_shortcut_and_delete_are_undoable(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    page.week_view.setFocus()
    page.go_to_session("X-1")
    assert page.selected_ref() == "X-1"
    qtbot.keyClick(page.week_view, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert get_session(small_window.ctx.db, "X-1").status == "cancelled"
    assert page.week_view.week_scene.blocks["X-1"].snapshot.status == "cancelled"
    page.undo_stack.undo()
    assert get_session(small_window.ctx.db, "X-1").status == "planned"
    page.go_to_session("X-1")
    qtbot.keyClick(page.week_view, Qt.Key.Key_Delete)
    assert page.week.sessions == ()
    page.undo_stack.undo()
    assert len(page.week.sessions) == 1
    restored = page.week.sessions[0]
    assert (restored.start, restored.chair_ref) == (datetime(2026, 12, 1, 9, 0), "CH-1")
    assert [p.ref for p in restored.staff] == ["S1", "S2"]


def test_enter_opens_the_editor_for_the_selected_session(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    page.go_to_session("X-1")
    qtbot.keyClick(page.week_view, Qt.Key.Key_Return)
    assert page.editor is not None and page.editor.session.ref == "X-1"
    page.editor.reject()


def test_context_menu_offers_edit_status_and_delete(small_window: Any) -> None:
    page = small_window.planner
    page.go_to_session("X-1")
    menu = page.build_context_menu("X-1", None)
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Edit session…" in texts and "Delete session" in texts and "Set status" in texts
    empty = page.build_context_menu(None, (datetime(2026, 12, 2, 10, 0), "CH-1"))
    assert [a.text() for a in empty.actions()] == ["New session here…"]


def test_print_actions_open_the_paperwork_of_the_selected_session(
    qtbot: Any, small_window: Any
) -> None:
    from planner.ui.paperwork.preview_dialog import PreviewDialog

    page = small_window.planner
    page.go_to_session("X-1")
    menu = page.build_context_menu("X-1", None)
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Print monitoring sheet…" in texts and "Print consent…" in texts
    for action, expected in (
        (page.planner_actions.print_monitoring, "X-1"),
        (page.planner_actions.print_consent, "C-0001"),
        (page.planner_actions.print_week, "2026"),
    ):
        action.trigger()
        dialogs = [d for d in page.findChildren(PreviewDialog) if d.isVisible()]
        assert len(dialogs) == 1
        dialog = dialogs[0]
        qtbot.waitUntil(lambda d=dialog: not d.busy, timeout=30000)
        assert dialog.error is None
        assert expected in dialog.windowTitle() or expected in dialog.document_text()
        dialog.close()
        qtbot.waitUntil(lambda: not [d for d in page.findChildren(PreviewDialog) if d.isVisible()])
