"""The pages inside the real main window: side bar, page menus with shortcuts, Help → About,
and the week planner's Print menu opening the paperwork preview."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from planner.ui.pages.about import AboutDialog
from planner.ui.paperwork.preview_dialog import PreviewDialog


def _loaded(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.stack.count() > 1)


def test_pages_are_in_the_side_bar_with_menus(qtbot: Any, small_window: Any) -> None:
    _loaded(qtbot, small_window)
    titles = [small_window.side_bar.item(i).text() for i in range(small_window.side_bar.count())]
    assert titles[1:] == ["Patients", "Courses", "Staff", "Clinic and chairs", "Audit trail"]
    window_keys = set()
    for menu_action in small_window.menuBar().actions():
        menu = menu_action.menu()
        if menu in small_window.page_menus.values():
            continue
        window_keys |= {
            a.shortcut().toString() for a in menu.actions() if not a.shortcut().isEmpty()
        }
    page_keys = []
    for menu in small_window.page_menus.values():
        for action in menu.actions():
            assert not action.shortcut().isEmpty(), action.text()
            page_keys.append(action.shortcut().toString())
    assert len(page_keys) == len(set(page_keys))
    assert not set(page_keys) & window_keys  # no page shortcut shadows a window one
    small_window.side_bar.setCurrentRow(1)
    visible = [m for i, m in small_window.page_menus.items() if m.menuAction().isVisible()]
    assert [a.text() for a in visible[0].actions()] == [
        "&New patient…",
        "&Import patients from CSV…",
    ]
    assert visible[0].actions()[0].shortcut() == QKeySequence("Ctrl+Shift+N")


def test_help_about_is_ours(qtbot: Any, small_window: Any) -> None:
    small_window.show_about()
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    assert small_window.ctx.db.describe() in dialogs[0].label.text()
    dialogs[0].reject()


def test_planner_print_menu_opens_the_monitoring_preview(qtbot: Any, small_window: Any) -> None:
    planner = small_window.planner
    planner.go_to_session("X-1")
    assert planner.selected_ref() == "X-1"
    planner.planner_actions.print_monitoring.trigger()
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog)]
    assert len(previews) == 1
    preview = previews[0]
    qtbot.waitUntil(lambda: not preview.busy and preview.document.pageCount() > 0, timeout=30000)
    assert "Zoë Łukasiewicz" in preview.document_text()
    preview.close()
