"""Entry point: a CLI command when one is given, otherwise the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from planner.cli import COMMAND_MODULES  # noqa: F401  (light import: no Qt)

    if _wants_cli(args):
        from planner.cli import run

        return run(args)
    from planner.ui.launch import run_gui

    return run_gui(args)


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
