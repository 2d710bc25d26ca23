"""What the desktop sees of the app: its name, version, icon and menu entry; and the About
box telling where backups and the log really go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor

from planner import __version__
from planner.settings import APP_ID

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_introduces_itself_to_the_desktop(qapp: Any) -> None:
    from planner.ui.launch import make_app

    app = make_app()
    assert app.applicationVersion() == __version__
    assert app.desktopFileName() == APP_ID
    assert app.organizationDomain() and app.applicationDisplayName() == "Infusion Planner"
    # The menu entry of the Linux bundle carries the same name.
    assert (ROOT / "packaging" / "linux" / f"{APP_ID}.desktop").is_file()


def test_the_icon_is_drawn_at_small_and_large_sizes(qapp: Any) -> None:
    from planner.ui.launch import app_icon

    icon = app_icon()
    assert not icon.isNull()
    for size in (16, 48, 256):
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        corner = image.pixelColor(0, 0)
        assert corner.alpha() == 0  # a rounded tile: transparent corners
        # The tile's teal edge and the white calendar page beside the drop.
        edge = image.pixelColor(size // 2, max(1, size // 20))
        page = image.pixelColor(size // 4, int(size * 0.6))
        assert _near(edge, QColor("#0F766E")), edge.name()
        assert _near(page, QColor("#FFFFFF")), page.name()


def _near(color: QColor, expected: QColor, tolerance: int = 40) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(color.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def test_main_window_carries_the_icon(qtbot: Any, app_context: Any, gui_settings: Any) -> None:
    from planner.ui.launch import make_app
    from planner.ui.main_window import MainWindow

    app = make_app()
    window = MainWindow(ctx=app_context, settings=gui_settings)
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
    assert window.windowIcon().cacheKey() == app.windowIcon().cacheKey()


def test_about_names_the_folders_backups_and_the_log_are_written_to(small_context: Any) -> None:
    from planner.logging_setup import setup_logging, shutdown_logging
    from planner.services.backup import automatic_backup
    from planner.ui.pages.about import about_html

    backup = automatic_backup(small_context.db)
    assert backup is not None and backup.is_file()
    log = setup_logging()
    try:
        html = about_html(small_context)
        assert f"<code>{backup.parent}</code>" in html
        assert f"<code>{log}</code>" in html
    finally:
        shutdown_logging()
