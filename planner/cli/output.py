"""Writing command output: stdout (terminal-safe) or a file through ``planner.safe_output``."""

from __future__ import annotations

import re
import sys

from planner.cli.context import CliError
from planner.safe_output import OutputError, write_file

#: Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts colour,
#: cursor and title sequences), DEL, and the bidirectional overrides that reorder text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), never acted on."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def json_terminal_safe(text: str) -> str:
    """JSON text with control characters written as ``\\u`` escapes (still valid JSON)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def check_output(out: str) -> None:
    """Refuse a bad place for ``out`` before the work of making what goes there (exit 2)."""
    from planner.safe_output import check_target

    try:
        check_target(out)
    except OutputError as exc:
        raise CliError(str(exc)) from None


def write_output(out: str, data: bytes) -> None:
    """Write ``data`` to the user-named file ``out``, or fail with a sentence (exit 2)."""
    try:
        write_file(out, data)
    except OutputError as exc:
        raise CliError(str(exc)) from None


def emit_text(text: str, out: str | None, *, json_text: bool = False) -> None:
    """Print ``text`` (control characters escaped) or write it to the file ``out``."""
    if out is None or out == "-":
        safe = json_terminal_safe(text) if json_text else terminal_safe(text)
        sys.stdout.write(safe)
        if not safe.endswith("\n"):
            sys.stdout.write("\n")
        return
    write_output(out, text.encode("utf-8"))
