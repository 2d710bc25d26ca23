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
    assert titles[1:] == [
        "Patients",
        "Courses",
        "Staff",
        "Clinic and chairs",
        "Audit trail",
        "Reports",
        "Session records",
        "Ketamine log",
    ]
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
            # reachable by keyboard: its own shortcut, or Alt+menu then its mnemonic
            assert not action.shortcut().isEmpty() or "&" in action.text(), action.text()
            if not action.shortcut().isEmpty():
                page_keys.append(action.shortcut().toString())
    assert len(page_keys) == len(set(page_keys))
    assert not set(page_keys) & window_keys  # no page shortcut shadows a window one
    small_window.side_bar.setCurrentRow(1)
    visible = [m for i, m in small_window.page_menus.items() if m.menuAction().isVisible()]
    assert visible[0].title() == "Pa&tients"
    assert [a.text() for a in visible[0].actions()] == [
        "&New patient…",
        "&Edit patient…",
        "New &course…",
        "&Archive or restore",
        "Show next session in &planner",
        "&Open active course",
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


def test_patients_page_jumps_to_the_planner_and_the_course(qtbot: Any, small_window: Any) -> None:
    """From a patient: "Show in planner" selects their next session in the week planner;
    "Open course" shows their course on the Courses page; and back to the patient."""
    _loaded(qtbot, small_window)
    window = small_window
    patients_row = window.page_index("patients_page")
    window.side_bar.setCurrentRow(patients_row)
    patients = window.stack.widget(patients_row)
    assert patients.select("P-0001")
    assert patients.act_planner.isEnabled()

    patients.act_planner.trigger()
    assert window.side_bar.currentRow() == 0
    assert window.stack.currentWidget() is window.planner
    assert window.planner.selected_ref() == "X-1"

    window.side_bar.setCurrentRow(patients_row)
    patients.btn_open_course.click()
    courses = window.stack.currentWidget()
    assert courses.objectName() == "courses_page"
    assert courses.selected().course.ref == "C-0001"

    courses.act_patient.trigger()
    assert window.stack.currentWidget() is patients
    assert patients.selected().patient.ref == "P-0001"


def test_courses_page_shows_a_session_in_the_planner(qtbot: Any, small_window: Any) -> None:
    _loaded(qtbot, small_window)
    window = small_window
    window.ctx.hub.go("course", "C-0001")
    courses = window.stack.currentWidget()
    assert courses.selected().course.ref == "C-0001"
    courses.sessions.selectRow(0)
    courses.btn_planner.click()
    assert window.stack.currentWidget() is window.planner
    assert window.planner.selected_ref() == "X-1"


def test_dialogs_never_open_larger_than_the_screen(qtbot: Any, small_window: Any) -> None:
    from planner.ui.widgets.screen_fit import FRAME_ALLOWANCE, fit_size

    assert fit_size(820, 940, 1440, 876) == (820, 876 - FRAME_ALLOWANCE)
    assert fit_size(820, 940, 1920, 1080) == (820, 940)
    planner = small_window.planner
    planner.go_to_session("X-1")
    planner.planner_actions.print_monitoring.trigger()
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog))
    area = preview.screen().availableGeometry()
    assert preview.height() <= area.height() - FRAME_ALLOWANCE
    qtbot.waitUntil(lambda: not preview.busy, timeout=30000)
    preview.close()
