"""Writing command output: stdout or a file written atomically (temp file + rename)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from planner.cli.context import CliError


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` so a reader never sees a half-written file."""
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def emit_text(text: str, out: str | None, *, private: bool = False) -> None:
    """Print ``text`` or write it to the file ``out``."""
    if out is None or out == "-":
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    path = Path(out)
    if path.is_dir():
        raise CliError(f"cannot write {out}: it is a folder; give a file name")
    try:
        write_atomic(path, text.encode("utf-8"), private=private)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
