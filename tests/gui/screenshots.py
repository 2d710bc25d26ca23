"""The README's pictures, made from the real widgets on the demo clinic.

    python -m tests.gui.screenshots --out docs [--size 1280x720] [--dark] [--only week]

Offscreen by default (``QT_QPA_PLATFORM`` decides); the window is the given size, the
demo clinic is built around the same "today" as the GUI tests, so pictures are stable.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

_SCREEN = Path(tempfile.gettempdir()) / "planner-screenshot-screen.json"
if "QT_QPA_PLATFORM" not in os.environ:  # an offscreen full-HD screen, so any size fits on it
    _SCREEN.write_text(
        '{"screens": [{"name": "Screen", "x": 0, "y": 0, "width": 1920, "height": 1080,'
        ' "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}'
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"

#: A grey-blue dark palette like a dark desktop theme's (Fusion style).
DARK = {
    "Window": "#2b2d31",
    "WindowText": "#e6e6e6",
    "Base": "#1f2023",
    "AlternateBase": "#2a2b2f",
    "ToolTipBase": "#3a3c42",
    "ToolTipText": "#f0f0f0",
    "PlaceholderText": "#8a8d93",
    "Text": "#e6e6e6",
    "Button": "#34363b",
    "ButtonText": "#e6e6e6",
    "BrightText": "#ff6b6b",
    "Highlight": "#3d7be0",
    "HighlightedText": "#ffffff",
    "Link": "#7fb0ff",
}


def dark_palette() -> Any:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in ("Text", "WindowText", "ButtonText"):
        palette.setColor(
            QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor("#7d8087")
        )
    return palette


def build(tmp: Path, size: tuple[int, int]) -> Any:
    from PySide6.QtCore import QSettings, Qt

    from planner.db.engine import open_database
    from planner.interchange.validate import parse_document
    from planner.services.clinic_io import document_to_json, load_document
    from planner.services.demo import build_demo_document
    from planner.ui.context import AppContext, ChangeHub
    from planner.ui.main_window import MainWindow
    from tests.gui.conftest import NOW, TODAY

    db = open_database(f"sqlite:///{tmp / 'demo.sqlite3'}")
    load_document(db, parse_document(document_to_json(build_demo_document(seed=1, weeks=4, today=TODAY))))
    ctx = AppContext(db=db, hub=ChangeHub(), clock=lambda: NOW.replace(hour=11, minute=20))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx=ctx, settings=settings)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*size)
    window.show()
    return window


def settle(app: Any, rounds: int = 10) -> None:
    for _ in range(rounds):
        app.processEvents()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--suffix", default="")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

    from PySide6.QtWidgets import QApplication, QWidget

    from planner.ui.widgets.pyside_guard import pin_none

    pin_none()
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    if args.dark:
        app.setPalette(dark_palette())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = args.suffix or ("-dark" if args.dark else "")

    with tempfile.TemporaryDirectory() as folder:
        window = build(Path(folder), (width, height))
        settle(app)
        window._after_first_paint()
        settle(app)

        def save(widget: QWidget, name: str) -> None:
            settle(app)
            path = out / f"{name}{suffix}.png"
            widget.grab().save(str(path))
            print(path)

        planner = window.planner

        def editor() -> None:
            ref = next(
                (b.ref for b in planner.week_view.week_scene.blocks.values() if b.badge == "error"),
                next(iter(planner.week_view.week_scene.blocks)),
            )
            planner.edit_session(ref)
            settle(app)
            save(planner.editor, "screenshot-session-editor")
            planner.editor.reject()

        def new_course() -> None:
            from planner.ui.pages.new_course_dialog import NewCourseDialog

            dialog = NewCourseDialog(
                window.ctx, patient_ref="P-0001", patient_name="a patient", parent=window
            )
            dialog.show()
            dialog.refresh_preview()
            save(dialog, "new-course")
            dialog.reject()

        def patient_dialog() -> None:
            from planner.ui.pages.patient_dialog import PatientDialog

            dialog = PatientDialog(window, today=window.ctx.today(), save=lambda _d: None)
            dialog.show()
            dialog.name.setText("Olga Petrenko")
            dialog.dob.setText("2031-05-01")
            dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
            dialog.phone.setText("+380 44 123 4567")
            dialog.weight.setText("64")
            dialog.weighed_on.setText(window.ctx.today().isoformat())
            dialog.allergies.set_value(("Penicillin",))
            dialog.escort_name.setText("Ivan Petrenko")
            dialog.try_save()
            save(dialog, "patient-dialog")
            dialog.reject()

        def print_preview() -> None:
            import time

            from planner.ui.paperwork import preview_monitoring

            ref = next(
                b.ref for b in planner.week_view.week_scene.blocks.values() if b.badge != "error"
            )
            dialog = preview_monitoring(window, window.ctx, ref)
            dialog.resize(620, 734)
            for _ in range(300):
                settle(app, 2)
                if not dialog.busy:
                    break
                time.sleep(0.05)
            save(dialog, "print-preview")
            dialog.close()

        def refusal() -> None:
            import time

            from planner.ui.paperwork import preview_day

            dialog = preview_day(window, window.ctx, window.ctx.today() + timedelta(days=1))
            for _ in range(300):
                settle(app, 2)
                if not dialog.busy:
                    break
                time.sleep(0.05)
            box = getattr(dialog, "refusal_box", None)
            if box is not None:
                save(box, "print-refusal")
                box.reject()
            dialog.close()

        shots: dict[str, Callable[[], None]] = {
            "screenshot-week": lambda: save(window, "screenshot-week"),
            "screenshot-session-editor": editor,
            "new-course": new_course,
            "patient-dialog": patient_dialog,
            "print-preview": print_preview,
            "print-refusal": refusal,
        }
        for name, shot in shots.items():
            if not args.only or name in args.only:
                shot()
        window.close()
        window.ctx.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
