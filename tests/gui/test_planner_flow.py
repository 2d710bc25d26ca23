"""Trust and flow in the planner: Delete says what it deleted and offers Undo with the patient's
name; the problems panel opens a session on double-click and stays as the user left it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt

from planner.ui.planner.violations import COL_SESSION


def test_delete_names_the_patient_and_offers_undo(qtbot: Any, small_window: Any) -> None:
    page = small_window.planner
    page.go_to_session("X-1")
    qtbot.keyClick(page.week_view, Qt.Key.Key_Delete)
    assert page.week.sessions == ()
    message = small_window.statusBar().currentMessage()
    assert message == "Deleted Zoë Łukasiewicz's session on Tue 01 Dec 09:00."
    assert "X-1" not in message
    button = small_window.undo_button
    assert button.isVisible()
    assert "Zoë Łukasiewicz" in small_window.undo_action.text()
    assert "X-1" not in small_window.undo_action.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(page.week.sessions) == 1
    assert not button.isVisible()


def test_every_undo_text_names_the_patient_not_a_ref(small_window: Any) -> None:
    from datetime import datetime

    page = small_window.planner
    page.move_session("X-1", datetime(2026, 12, 2, 10, 0), "CH-2")
    page.set_status("X-1", "confirmed")
    texts = [page.undo_stack.text(i) for i in range(page.undo_stack.count())]
    assert texts == [
        "Move Zoë Łukasiewicz's session on Tue 01 Dec 09:00",
        "Mark Zoë Łukasiewicz's session on Wed 02 Dec 10:00 confirmed",
    ]


def test_double_click_on_a_problem_opens_its_session(qtbot: Any, main_window: Any) -> None:
    panel = main_window.planner.violations_panel
    table = panel.table
    index = table.model().index(0, COL_SESSION)
    ref = index.data()
    rect = table.visualRect(index)
    # A real double-click: press and release, then the second press as a double-click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.planner.editor is None  # one click shows the session, opens nothing
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = main_window.planner.editor
    assert editor is not None and editor.isVisible() and editor.session.ref == ref
    assert main_window.planner.selected_ref() == ref
    editor.reject()
    # Enter on a row does the same.
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, COL_SESSION))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert main_window.planner.editor.session.ref == table.model().index(1, COL_SESSION).data()
    main_window.planner.editor.reject()


def _reopen(qtbot: Any, ctx: Any, settings: QSettings) -> Any:
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_problems_panel_visibility_survives_a_restart_from_any_page(
    qtbot: Any, app_context: Any, gui_settings: QSettings
) -> None:
    first = _reopen(qtbot, app_context, gui_settings)
    assert first.dock.isVisible()
    first.side_bar.setCurrentRow(first.page_index("patients_page"))  # the panel hides there
    assert not first.dock.isVisible()
    first.close()
    second = _reopen(qtbot, app_context, gui_settings)
    assert second.dock.isVisible()  # wanted: shown again on the week planner
    second.dock.toggleViewAction().trigger()  # the user closes it…
    assert not second.dock.isVisible()
    second.side_bar.setCurrentRow(second.page_index("staff_page"))
    second.close()
    third = _reopen(qtbot, app_context, gui_settings)
    assert not third.dock.isVisible()  # …and it stays closed
    third.side_bar.setCurrentRow(third.page_index("courses_page"))
    third.side_bar.setCurrentRow(0)
    assert not third.dock.isVisible()
