"""Cards that say who, at 1280×720: an unambiguous patient, both staff, a legend, zoom, settings.

Before, labels shrank with the width ("Ana P.", "Pet…", "P…"), four Rossi patients all read
"Rossi", two Kofi Tanaka read "Kofi T.", a card with a badge got the shortest text and
staff showed as "AS · …".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from planner.db.engine import Database, open_database
from planner.ui.planner.card_text import CardOptions, patient_labels, short_name, staff_codes
from planner.ui.planner.legend import staff_legend_text
from tests.factories import base_document, load_into
from tests.gui.conftest import NOW, TODAY, open_window


def _window(qtbot: Any, ctx: Any, settings: QSettings) -> Any:
    window = open_window(qtbot, ctx, settings, (1280, 720))
    window.activateWindow()
    qtbot.waitActive(window)
    window.planner._relayout()
    return window


def _context(db: Database) -> Any:
    from planner.ui.context import AppContext, ChangeHub

    return AppContext(db=db, hub=ChangeHub(), clock=lambda: NOW.replace(hour=11, minute=20))


def _namesakes_doc() -> dict[str, Any]:
    """Four Rossi patients, two Kofi Tanaka, two staff both "AS", one session each on Tuesday."""
    doc = base_document()
    doc["chairs"] += [{"ref": f"CH-{n}", "name": f"Chair {n}", "room": "B"} for n in (3, 4)]
    doc["staff"].append(dict(doc["staff"][0], ref="S3", name="Dr Alan Smith"))
    names = ["Ana Rossi", "Bruno Rossi", "Carla Rossi", "Dario Rossi", "Kofi Tanaka", "Kofi Tanaka"]
    doc["patients"], doc["courses"], doc["sessions"] = [], [], []
    for i, name in enumerate(names, start=1):
        doc["patients"].append(
            dict(base_document()["patients"][0], ref=f"P-{i}", name=name, record_number=f"MRN-10{i:02d}")
        )
        doc["courses"].append(dict(base_document()["courses"][0], ref=f"C-{i}", patient=f"P-{i}"))
        chair, hour = f"CH-{1 + (i - 1) % 4}", 8 + 2 * ((i - 1) // 4)
        doc["sessions"].append(
            {
                "ref": f"X-{i}",
                "course": f"C-{i}",
                "chair": chair,
                "start": f"2026-12-01T{hour:02d}:00",
                "assignments": [
                    {"staff": "S1" if i % 2 else "S3", "role": "psychiatrist"},
                    {"staff": "S2", "role": "infusion_nurse"},
                ]
                if i != 3
                else [{"staff": "S1", "role": "psychiatrist"}],  # missing its nurse: an error
            }
        )
    return doc


@pytest.fixture
def namesakes(qtbot: Any, qapp: Any, tmp_path: Path) -> Iterator[Any]:
    db = open_database(f"sqlite:///{tmp_path / 'namesakes.sqlite3'}")
    load_into(db, _namesakes_doc())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield _window(qtbot, _context(db), settings)
    db.close()


# -- the rules, without a window ------------------------------------------------------------


def test_short_names_and_record_suffix_only_where_names_collide(namesakes: Any) -> None:
    labels = patient_labels(namesakes.planner.week.sessions)
    assert labels["P-1"] == "Rossi A." and labels["P-4"] == "Rossi D."
    assert len(set(labels.values())) == 6
    assert labels["P-5"] == "Tanaka K. #005" and labels["P-6"] == "Tanaka K. #006"
    assert short_name("Dr Ana Silva") == "Silva A." and short_name("Cher") == "Cher"
    codes = staff_codes({"S1": "Dr Ana Silva", "S3": "Dr Alan Smith", "S2": "Tomás Nuñez"})
    assert codes == {"S1": "ASi", "S3": "ASm", "S2": "TN"}
    assert staff_codes({"A": "Ana Silva", "B": "Ana Silva"}) == {"A": "ASi", "B": "ASi2"}


# -- the cards on screen ---------------------------------------------------------------------


def test_every_card_shows_its_whole_label_and_both_staff_at_1280x720(main_window: Any) -> None:
    window = main_window
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1280, 720)
    window.planner._relayout()
    scene = window.planner.week_view.week_scene
    assert scene.blocks
    for block in scene.blocks.values():
        lines = block.lines
        assert lines[0] == block.patient_label(), (block.ref, lines)
        assert "…" not in lines[0]
        s = block.snapshot
        codes = [scene.labels.staff[p.ref] for p in (s.psychiatrist, s.monitoring) if p]
        assert len(lines) >= 2 and all(code in lines[1] for code in codes), (block.ref, lines)
        assert "…" not in lines[1]


def test_namesakes_read_apart_and_a_badge_never_shortens_the_name(namesakes: Any) -> None:
    scene = namesakes.planner.week_view.week_scene
    firsts = {ref: b.lines[0] for ref, b in scene.blocks.items()}
    assert firsts == {
        "X-1": "Rossi A.", "X-2": "Rossi B.", "X-3": "Rossi C.", "X-4": "Rossi D.",
        "X-5": "Tanaka K. #005", "X-6": "Tanaka K. #006",
    }
    broken = scene.blocks["X-3"]
    assert broken.badge == "error"
    assert broken.lines[:2] == ["Rossi C.", "ASi · —"]  # the missing nurse reads as a dash
    assert scene.blocks["X-2"].lines[1] == "ASm · TN"
    assert "MRN-1005" in scene.blocks["X-5"].toolTip()


def test_legend_explains_colours_badges_and_this_weeks_staff_codes(namesakes: Any) -> None:
    page = namesakes.planner
    assert page.legend.isVisible()
    kinds = [e.kind for e in page.legend.entries]
    for kind in ("status:planned", "status:cancelled", "proposal", "error", "warning", "now"):
        assert kind in kinds
    text = staff_legend_text(page.week_view.week_scene.labels)
    assert "ASi Dr Ana Silva" in text and "ASm Dr Alan Smith" in text and "TN Tomás Nuñez" in text
    assert "ASm = Dr Alan Smith" in page.legend.accessibleDescription()
    namesakes.planner.planner_actions.legend.trigger()
    assert not page.legend.isVisible()


def test_cards_setting_changes_what_cards_show_and_is_kept_per_database(
    qtbot: Any, namesakes: Any, tmp_path: Path
) -> None:
    page = namesakes.planner
    block = page.week_view.week_scene.blocks["X-1"]
    assert any("KET" in line for line in block.lines)
    page.planner_actions.card_parts["protocol"].setChecked(False)
    block = page.week_view.week_scene.blocks["X-1"]
    assert not any("KET" in line for line in block.lines)
    assert page.card_options == CardOptions(staff=True, time=True, protocol=False)
    settings = namesakes.settings
    namesakes.close()
    # The same database again: remembered.
    again = _window(qtbot, namesakes.ctx, settings)
    assert again.planner.card_options.protocol is False
    assert not again.planner.planner_actions.card_parts["protocol"].isChecked()
    # Another database with the same settings file: its own (default) choice.
    other_db = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    load_into(other_db, base_document())
    other = _window(qtbot, _context(other_db), settings)
    assert other.planner.card_options.protocol is True
    other.close()
    other_db.close()


def test_zoom_with_keys_and_ctrl_wheel_is_remembered(qtbot: Any, namesakes: Any) -> None:
    page = namesakes.planner
    view = page.week_view
    fitted = view.week_scene.geometry.px_per_minute * 60
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    taller = view.week_scene.geometry.px_per_minute * 60
    assert taller == pytest.approx(round(fitted * 1.25), abs=1)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.week_scene.geometry.px_per_minute * 60 < taller
    at = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        at, QPointF(view.viewport().mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    before = view.week_scene.geometry.px_per_minute
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.week_scene.geometry.px_per_minute > before
    chosen = page.hour_height
    assert chosen is not None
    settings = namesakes.settings
    namesakes.close()
    again = _window(qtbot, namesakes.ctx, settings)
    assert again.planner.hour_height == chosen
    assert again.planner.week_view.week_scene.geometry.px_per_minute * 60 == pytest.approx(chosen)
    fit = again.planner.planner_actions.zoom_fit
    assert fit.shortcut().toString() == "Ctrl+0"
    fit.trigger()
    assert again.planner.hour_height is None


def test_headers_and_hours_stay_in_sight_when_scrolled(qtbot: Any, namesakes: Any) -> None:
    page = namesakes.planner
    page.set_hour_height(200)
    view = page.week_view
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    hbar = view.horizontalScrollBar()
    hbar.setValue(hbar.maximum())
    image = view.viewport().grab().toImage()
    # The header band (light grey) is still at the top, the hours at the left.
    assert QColor(image.pixel(view.viewport().width() // 2, 5)).name() == "#f6f7f9"
    assert QColor(image.pixel(5, view.viewport().height() // 2)).name() == "#f6f7f9"
    # A click on the header does not pick the card scrolled beneath it.
    assert view.block_at(QPoint(view.viewport().width() // 2, 10)) is None


def test_now_line_crosses_todays_column_and_the_app_opens_on_today(main_window: Any) -> None:
    page = main_window.planner
    assert page.monday == TODAY
    view = page.week_view
    view.now = NOW.replace(hour=12, minute=0)  # on the demo's Monday nothing sits at noon in chair 4
    view.viewport().update()
    g = view.week_scene.geometry
    column = g.column_of(TODAY)
    view.ensureVisible(column.x, g.y_of(view.now), 10, 10)
    point = view.mapFromScene(QPointF(column.x + column.width - 4, g.y_of(view.now)))
    image = view.viewport().grab().toImage()
    # The 2-pixel line may straddle pixel rows: the reddest pixel across it.
    colours = [QColor(image.pixel(point.x(), point.y() + dy)) for dy in (-2, -1, 0, 1, 2)]
    reddest = max(colours, key=lambda c: c.red() - c.green())
    assert reddest.red() > 200 and reddest.green() < 90, [c.name() for c in colours]
    page.step_week(1)
    assert page.week_view.week_scene.geometry.column_of(TODAY) is None
