"""Reading a file a command is given (a document, a CSV): whole, bounded, never a device.

Standard input (``-``) and pipes (``<(…)``) are read as streams; a device such as
``/dev/zero`` or ``/dev/urandom`` would never end and is refused; every input is
capped, so a mistaken or hostile file cannot exhaust memory.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from planner.cli.context import CliError

MB = 1024 * 1024


def read_input(name: str, *, what: str, limit: int) -> bytes:
    """The bytes of ``name`` (``-`` = standard input); a sentence for anything else."""
    if name == "-":
        try:
            data = sys.stdin.buffer.read(limit + 1)
        except (OSError, ValueError, AttributeError) as exc:  # closed or not readable
            raise CliError(f"cannot read standard input: {getattr(exc, 'strerror', None) or exc}") from None
    else:
        path = Path(name)
        try:
            mode = path.stat().st_mode
            if stat.S_ISDIR(mode):
                raise CliError(f"{name} is a folder, not {what}")
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                raise CliError(f"{name} is a device, not {what}")
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise CliError(f"no such file: {name}") from None
        except OSError as exc:
            raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise CliError(f"{name} is larger than {limit // MB} MB; it cannot be {what}")
    return data
