"""Run the app's commands (and, if built, the GUI) with a socket tripwire; report what fired.

Used by ``test_privacy`` in a fresh interpreter: an audit hook records every
attempt to create or connect a socket or resolve a host name. Usage:
``python -m tests.safety.privacy_runner cli|gui WORKDIR REPORT``.
"""

from __future__ import annotations

import sys

NETWORK_EVENTS = {
    "socket.__new__",
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "urllib.Request",
    "http.client.connect",
}
fired: list[str] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in NETWORK_EVENTS:
        fired.append(f"{event} {args!r}"[:300])


sys.addaudithook(_hook)

import json  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402


def run_cli(work: Path) -> list[dict[str, object]]:
    from planner.cli import run

    url = f"sqlite:///{work / 'clinic.sqlite3'}"
    csv = work / "patients.csv"
    csv.write_text("name,dob,mrn\nAda Lovelace,1985-12-10,IMP-1\n", encoding="utf-8")
    commands = [
        ["demo", "--weeks", "2"],
        ["dump", "--out", str(work / "dump.json")],
        ["check"],
        ["backup", "--out", str(work / "backup.sqlite3")],
        ["import", "patients", "--dry-run", str(csv)],
        ["import", "patients", str(csv)],
        ["restore", str(work / "backup.sqlite3")],
        ["load", "--replace", str(work / "dump.json")],
    ]
    results = []
    for command in commands:
        code = run(["--db", url, *command])
        results.append({"command": command[0], "exit": code})
    return results


def run_gui(work: Path) -> list[dict[str, object]]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from planner.cli import run

    url = f"sqlite:///{work / 'clinic.sqlite3'}"
    run(["--db", url, "demo", "--weeks", "1"])
    app = QApplication.instance() or QApplication([])
    shown: list[str] = []

    def visit_every_page() -> None:
        """Show every tab and stacked page once, so each page loads its data."""
        from PySide6.QtWidgets import QStackedWidget, QTabWidget

        for window in app.topLevelWidgets():
            for pages in [*window.findChildren(QTabWidget), *window.findChildren(QStackedWidget)]:
                for index in range(pages.count()):
                    pages.setCurrentIndex(index)
                    app.processEvents()
                    shown.append(f"page {type(pages.currentWidget()).__name__}")

    def close_everything() -> None:
        for widget in app.topLevelWidgets():
            if widget.isVisible():
                shown.append(type(widget).__name__)
                widget.close()
        app.quit()

    QTimer.singleShot(1500, visit_every_page)
    QTimer.singleShot(4000, close_everything)
    from planner.ui.launch import run_gui as launch

    code = launch(["--db", url])
    return [{"command": "gui", "exit": code, "windows": shown}]


def main() -> int:
    mode, work, report = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = run_cli(work) if mode == "cli" else run_gui(work)
    report.write_text(json.dumps({"results": results, "fired": fired}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
