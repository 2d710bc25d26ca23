"""Argument types shared by the commands, with messages that say what was wrong."""

from __future__ import annotations

import argparse
from datetime import date


def parse_day(value: str) -> date:
    """An ISO date (``2026-12-01``) for ``--from``/``--to``/``--date``."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a valid date; use YYYY-MM-DD, e.g. 2026-12-01"
        ) from None
