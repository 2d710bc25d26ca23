"""Argument types shared by the commands, with messages that say what was wrong.

Dates on the command line lie between the domain's ``FIRST_DAY`` and
``LAST_DAY`` (``planner.domain.fields``), the days a session or a record may
have: a range outside them could hold nothing, and a day at the very end of
the calendar (9999-12-31) has no next week to compute.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from planner.domain.fields import FIRST_DAY, LAST_DAY

T = TypeVar("T")

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def _in_range(day: date, value: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{value!r} is outside the dates this planner works with "
            f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


def _read(value: str, parse: Callable[[str], T], what: str) -> T:
    try:
        return parse(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid {what}") from None


def parse_day(value: str) -> date:
    """An ISO date (``2026-12-01``) for ``--from``/``--to``/``--date``."""
    day = _read(value, date.fromisoformat, "date; use YYYY-MM-DD, e.g. 2026-12-01")
    return _in_range(day, value)


def parse_moment(value: str) -> datetime:
    """A local date and time (``2026-12-01T08:00`` or ``2026-12-01 08:00``) for ``--not-before``."""
    moment = _read(
        value, datetime.fromisoformat,
        "date and time; use YYYY-MM-DDTHH:MM, e.g. 2026-12-01T08:00",
    )
    if moment.tzinfo is not None:
        raise argparse.ArgumentTypeError(
            f"{value!r} names a time zone; give the clinic's local time, e.g. 2026-12-01T08:00"
        )
    _in_range(moment.date(), value)
    return moment


def parse_week(value: str) -> date:
    """The Monday of an ISO week (``2026-W49``) or of the week of a date (``2026-12-01``)."""
    match = _ISO_WEEK.match(value.strip())
    if match is None:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a week or a date (use 2026-W49 or 2026-12-01)"
            ) from None
        monday = _in_range(day, value) - timedelta(days=day.weekday())
    else:
        try:
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"there is no week {value} (weeks run 1–52 or 53)"
            ) from None
    return _in_range(monday, value)
