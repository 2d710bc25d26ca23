"""The app on Qt's real X11 (xcb) platform: start, paint the week, open a dialog, quit.

Run by ``test_xcb_smoke`` in a process of its own under Xvfb (a process has one Qt
platform, and the test process is offscreen):

    xvfb-run -a python -m tests.gui.xcb_smoke --db sqlite:///clinic.sqlite3 --settings s.ini --out r.json

It goes through the app's own start-up (``build_window``), so a missing xcb library
fails here as it would on a user's desktop. The result is a small JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

#: Long enough for a slow machine, short enough that a hung start-up fails the test.
GIVE_UP_MS = 90_000


def _distinct_colours(image: Any) -> int:
    """How many different colours a coarse sample of ``image`` holds (a painted week has many)."""
    seen = set()
    for y in range(0, image.height(), max(1, image.height() // 40)):
        for x in range(0, image.width(), max(1, image.width() // 60)):
            seen.add(image.pixel(x, y))
    return len(seen)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--settings", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--screenshot")
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # the real platform, never offscreen

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QGuiApplication

    from planner.ui.launch import build_window

    settings = QSettings(args.settings, QSettings.Format.IniFormat)
    built = build_window(["--db", args.db], settings=settings)
    if isinstance(built, int):
        Path(args.out).write_text(json.dumps({"error": f"start-up returned {built}"}))
        return 1
    app, window = built
    result: dict[str, Any] = {"platform": QGuiApplication.platformName()}
    planner = window.planner  # type: ignore[attr-defined]

    def fail(text: str) -> None:
        result["error"] = text
        app.exit(1)

    def painted() -> None:
        """The week is on the X server: blocks in the scene, many colours in the window."""
        first_paint_done = not getattr(window, "_pages_pending", False)
        if not window.isVisible() or not planner.week_view.week_scene.blocks or not first_paint_done:
            QTimer.singleShot(100, painted)
            return
        QTimer.singleShot(300, grab)

    def grab() -> None:
        screen = window.screen()
        image = screen.grabWindow(window.winId()).toImage()
        result["window"] = [window.width(), window.height()]
        result["blocks"] = len(planner.week_view.week_scene.blocks)
        result["colours"] = _distinct_colours(image)
        if args.screenshot:
            image.save(args.screenshot)
        ref = sorted(planner.week_view.week_scene.blocks)[0]
        planner.edit_session(ref)
        QTimer.singleShot(300, lambda: dialog_open(ref))

    def dialog_open(ref: str) -> None:
        editor = planner.editor
        if editor is None or not editor.isVisible():
            fail(f"the session editor for {ref} did not open")
            return
        result["dialog"] = editor.windowTitle()
        result["dialog_exposed"] = bool(editor.windowHandle() and editor.windowHandle().isExposed())
        editor.reject()
        QTimer.singleShot(100, quit_app)

    def quit_app() -> None:
        window.close()
        app.quit()

    QTimer.singleShot(0, painted)
    QTimer.singleShot(GIVE_UP_MS, lambda: fail("gave up waiting for the window"))
    code = app.exec()
    result["exit_code"] = code
    Path(args.out).write_text(json.dumps(result))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
