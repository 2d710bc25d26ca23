"""Entry point: a CLI command when one is given, otherwise the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from planner.logging_setup import enable_crash_traces

    enable_crash_traces()  # first: a native crash anywhere later leaves a trace in the log
    from planner.cli import COMMAND_MODULES  # noqa: F401  (light import: no Qt)

    if _wants_cli(args):
        from planner.cli import run

        return run(args)
    problem = _no_display()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from planner.ui.launch import run_gui

    return run_gui(args)


def _no_display() -> str | None:
    """Why the window cannot open here (a Linux session without a screen), else None.

    Qt would abort the process with a core dump; a sentence is kinder.
    """
    import os

    if not sys.platform.startswith("linux"):
        return None
    if (
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
    ):
        return None
    return (
        "no screen to open the window on (DISPLAY is not set). Run the app in a desktop "
        "session, or use a command: python main.py --help"
    )


def _wants_cli(args: list[str]) -> bool:
    """A command word, --help or --version means the CLI; ``--db URL`` alone opens the GUI."""
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word == "--db":
            if rest:
                rest.pop(0)
            continue
        if word.startswith("--db=") or word == "--key-prompt":  # the app asks for keys itself
            continue
        return True
    return False
