"""On a dark desktop every text stays readable: tinted cells and notes keep their own dark
text, coloured words use the theme's lighter reds and ambers, the week grid stays light.

Before, the auto-plan banner, flag highlights and credential cells showed light theme text
on light tints — unreadable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from planner.ui.pages.courses_page import CoursesPage
from planner.ui.pages.patients_page import PatientsPage
from planner.ui.pages.staff_page import StaffPage
from planner.ui.widgets.palette import contrast, is_dark
from tests.gui.screenshots import dark_palette

READABLE = 4.5


@pytest.fixture
def dark(qapp: Any) -> Iterator[QPalette]:
    before = QApplication.palette()
    palette = dark_palette()
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(before)


def _colour(value: Any) -> QColor | None:
    if isinstance(value, QBrush):
        return value.color()
    if isinstance(value, QColor):
        return value
    return None


def _unreadable(model: QAbstractItemModel, base: QColor) -> list[str]:
    """Cells whose text does not stand out from its background (tinted or the table's own)."""
    bad = []
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            if not index.data(Qt.ItemDataRole.DisplayRole):
                continue
            back = _colour(index.data(Qt.ItemDataRole.BackgroundRole)) or base
            fore = _colour(index.data(Qt.ItemDataRole.ForegroundRole))
            if fore is None:
                fore = QApplication.palette().color(QPalette.ColorRole.Text)
            if contrast(fore, back) < READABLE:
                bad.append(f"{row},{col} {index.data()!r}: {fore.name()} on {back.name()}")
    return bad


def _label_colour(label: QLabel) -> QColor:
    """The colour a label's text is drawn in (its style sheet's, else its palette's)."""
    sheet = label.styleSheet()
    if "color:" in sheet:
        value = sheet.split("color:")[-1].split(";")[0].split("}")[0].strip()
        return QColor(value)
    return label.palette().color(QPalette.ColorRole.WindowText)


def test_tables_and_tinted_cells_read_on_a_dark_desktop(
    qtbot: Any, dark: QPalette, main_window: Any
) -> None:
    assert is_dark(dark)
    window = main_window
    window.load_pages()
    base = dark.color(QPalette.ColorRole.Base)
    for kind in (PatientsPage, StaffPage, CoursesPage):
        page = window.findChild(kind)
        window.side_bar.setCurrentRow(window.stack.indexOf(page))
        page.refresh()
        assert _unreadable(page.model, base) == [], kind.__name__
    planner = window.planner
    window.side_bar.setCurrentRow(0)
    planner.show_staff()
    assert _unreadable(planner.staff_view.staff_model, base) == []
    assert _unreadable(planner.violations_panel.model, base) == []
    # The credential and flag cells are tinted: their text is dark, on purpose.
    staff = window.findChild(StaffPage)
    tinted = [
        staff.model.index(r, c)
        for r in range(staff.model.rowCount())
        for c in range(staff.model.columnCount())
        if staff.model.index(r, c).data(Qt.ItemDataRole.BackgroundRole) is not None
    ]
    assert tinted, "the demo has an expiring credential"


def test_notes_banners_and_coloured_words_read_on_a_dark_desktop(
    qtbot: Any, dark: QPalette, main_window: Any
) -> None:
    from planner.ui.planner.autoplan import start_autoplan

    window = main_window
    page = window.planner
    dialog = start_autoplan(page)
    with qtbot.waitSignal(dialog.proposed, timeout=60_000):
        dialog.plan_button.click()
    bar = page.autoplan_bar
    assert bar is not None
    labels = [w for w in bar.findChildren(QLabel) if w.text()]
    assert labels
    for label in labels:  # the band's own dark text over its light tint
        label.ensurePolished()
        colour = label.palette().color(QPalette.ColorRole.WindowText)
        assert contrast(colour, "#eef4ff") >= READABLE, (label.text(), colour.name())
    bar.discard()
    window_colour = dark.color(QPalette.ColorRole.Window)
    page.edit_session(next(iter(page.week_view.week_scene.blocks)))
    editor = page.editor
    assert contrast(_label_colour(editor.verdict), window_colour) >= READABLE
    for i in range(editor.violation_list.count()):
        colour = editor.violation_list.item(i).foreground().color()
        assert contrast(colour, dark.color(QPalette.ColorRole.Base)) >= READABLE
    editor.reject()
    # A field error and a refused date read on the dark window.
    from planner.ui.pages.patient_dialog import PatientDialog

    dialog = PatientDialog(None, today=page.ctx.today(), save=lambda _d: None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.try_save()
    error = dialog.findChild(QLabel, "error_name")
    assert error.isVisible() and contrast(_label_colour(error), window_colour) >= READABLE
    assert contrast(_label_colour(dialog.summary), window_colour) >= READABLE
    picker = page.navigator.picker
    picker.setText("next week")
    assert contrast(picker.message.palette().color(QPalette.ColorRole.WindowText), window_colour) >= READABLE


def test_the_week_grid_keeps_its_light_palette(qtbot: Any, dark: QPalette, main_window: Any) -> None:
    from planner.ui.planner.geometry import AXIS_WIDTH, HEADER_HEIGHT

    view = main_window.planner.week_view
    image = view.viewport().grab().toImage()
    # Monday's column just under the headers (nothing is booked there), and the headers.
    body = QColor(image.pixel(int(AXIS_WIDTH) + 4, int(HEADER_HEIGHT) + 3))
    header = QColor(image.pixel(int(AXIS_WIDTH) + 3, 1))
    assert body.lightness() > 200 and header.lightness() > 200
