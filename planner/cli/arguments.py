"""Argument types shared by the commands, with messages that say what was wrong."""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_day(value: str) -> date:
    """An ISO date (``2026-12-01``) for ``--from``/``--to``/``--date``."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a valid date; use YYYY-MM-DD, e.g. 2026-12-01"
        ) from None


def parse_week(value: str) -> date:
    """The Monday of an ISO week (``2026-W49``) or of the week a date (``2026-12-03``) is in."""
    text = value.strip()
    match = _ISO_WEEK.match(text)
    if match:
        try:
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"there is no week {text} (weeks run 1–52 or 53)"
            ) from None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a week or a date (use 2026-W49 or 2026-12-01)"
        ) from None
    return day - timedelta(days=day.weekday())
