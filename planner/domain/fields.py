"""The field types of the domain records: each limit of the clinic's data, defined once.

A record field's annotation carries its limits (``Annotated[int, Strict(),
Range(1, 200)]``, markers of ``planner.domain.markers``). Constructing a record does not validate (the rules build millions
of them); everything that takes values from a person or a file validates with
these same types: the document loader, the services, the CSV import, and the
dialogs (which also read their spin-box ranges from here). So all of them accept
and refuse the same values.

Input is type-strict (no ``"5"`` for 5, no ``true`` for 1); dates and times are
written as ISO text (``2026-12-01``, ``09:00``, ``2026-12-01T09:00``).
``Wire`` tells the document writer how a value is written back; ``OMIT_DEFAULT``
marks keys a document leaves out while they hold their default.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated, Any, Final

from planner.domain.markers import (
    NOT_IN_DOCUMENT,
    OMIT_DEFAULT,
    After,
    Before,
    Key,
    Length,
    OneOf,
    Range,
    Strict,
    Wire,
)
from planner.domain.vocabulary import (
    COURSE_STATUSES,
    INDICATIONS,
    PATIENT_FLAGS,
    ROLES,
    SESSION_STATUSES,
    SEXES,
    WEEKDAYS,
)

if TYPE_CHECKING:
    from pydantic import ValidationInfo

__all__ = ["NOT_IN_DOCUMENT", "OMIT_DEFAULT", "Key", "Wire"]

# -- the plausible ranges --------------------------------------------------------------------------

#: The planner's calendar: sessions, leave, closures, consent and credential dates.
FIRST_DAY: Final = date(2000, 1, 1)
LAST_DAY: Final = date(2099, 12, 31)
EARLIEST_BIRTH: Final = date(1900, 1, 1)
#: Plausible adult/adolescent weights for weight-based dosing (kg).
MIN_WEIGHT_KG: Final = 20.0
MAX_WEIGHT_KG: Final = 350.0


def clamp_day(value: date) -> date:
    """``value`` moved into the planner's calendar (for date pickers' ranges)."""
    return min(max(value, FIRST_DAY), LAST_DAY)


# -- validators --------------------------------------------------------------------------------


def _no_control(value: str, *, newlines: bool) -> str:
    for ch in value:
        if ch in "\n\t" and newlines:
            continue
        if ch == "\x00":
            raise ValueError("contains a NUL character (\\0)")
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            raise ValueError(f"contains a control character (U+{ord(ch):04X})")
    return value


def _one_line(value: str) -> str:
    return _no_control(value, newlines=False)


def _many_lines(value: str) -> str:
    return _no_control(value, newlines=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _trimmed(value: str) -> str:
    if value != value.strip():
        raise ValueError("must not start or end with a space")
    return value


def _in_calendar(value: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY:%Y-%m-%d} and {LAST_DAY:%Y-%m-%d}")
    return value


def _born(value: date, info: ValidationInfo) -> date:
    today = (info.context or {}).get("today") or date.today()
    if value > today:
        raise ValueError("is in the future")
    if value < EARLIEST_BIRTH:
        raise ValueError(f"is before {EARLIEST_BIRTH:%Y}")
    return value


def _not_future(value: date, info: ValidationInfo) -> date:
    today = (info.context or {}).get("today") or date.today()
    if value > today:
        raise ValueError("is in the future")
    return value


def _read_date(value: Any) -> Any:
    """ISO ``YYYY-MM-DD`` text or a date (never a number or a date-time)."""
    if isinstance(value, datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date as text (YYYY-MM-DD)")
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _read_time(value: Any) -> Any:
    """``HH:MM`` text (seconds, if written, must be 00) or a time."""
    if isinstance(value, time):
        parsed = value
    elif isinstance(value, str) and 5 <= len(value) <= 15:
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a time of day (HH:MM)") from None
    else:
        raise ValueError("expected a time of day as text (HH:MM)")
    if parsed.tzinfo is not None:
        raise ValueError("times are local to the clinic: leave out the time zone")
    if parsed.second or parsed.microsecond:
        raise ValueError("times are to the minute: leave out the seconds (e.g. 09:00)")
    return parsed


def _read_datetime(value: Any) -> Any:
    """``YYYY-MM-DDTHH:MM`` text or a datetime, local to the clinic, to the minute."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and 16 <= len(value) <= 32:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM)") from None
        if value[10] not in "T ":
            raise ValueError(f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM)")
    else:
        raise ValueError("expected a date and time as text (YYYY-MM-DDTHH:MM)")
    if parsed.tzinfo is not None:
        raise ValueError("times are local to the clinic: leave out the time zone")
    if parsed.second or parsed.microsecond:
        raise ValueError("times are to the minute: leave out the seconds (e.g. 09:00)")
    _in_calendar(parsed.date())
    return parsed


def _read_weekday(value: Any, info: ValidationInfo) -> Any:
    """``"MO"``..``"SU"`` in a document; 0..6 (Monday = 0) from code."""
    if isinstance(value, str):
        if value not in WEEKDAYS:
            raise ValueError(f"expected one of {', '.join(WEEKDAYS)}, not {value!r}")
        return WEEKDAYS.index(value)
    if isinstance(value, int) and not isinstance(value, bool) and info.mode == "python":
        return value
    raise ValueError(f"expected one of {', '.join(WEEKDAYS)}")


#: The largest logo image accepted (bytes) and its largest side (pixels).
MAX_LOGO_BYTES: Final = 1024 * 1024
MAX_LOGO_SIDE: Final = 4000
_DATA_URI = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


def image_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the file's first bytes, else None."""
    return next((kind for kind, magic in _DATA_URI.items() if data.startswith(magic)), None)


def _read_logo(value: Any) -> Any:
    """A PNG or JPEG image: bytes, or in a document a ``data:image/png;base64,...`` text."""
    import base64
    import binascii

    if isinstance(value, str):
        head, sep, body = value.partition(",")
        if not sep or head not in (f"data:{kind};base64" for kind in _DATA_URI):
            raise ValueError(
                "give the logo as a data:image/png;base64,... text (as dump writes it); "
                "a document never names a file: import the image with `clinic logo FILE`"
            )
        if len(body) > MAX_LOGO_BYTES * 4 // 3 + 4:
            raise ValueError(f"the logo is larger than {MAX_LOGO_BYTES // 1024} KiB")
        try:
            value = base64.b64decode(body, validate=True)
        except binascii.Error:
            raise ValueError("the logo's base64 text is damaged") from None
    if not isinstance(value, bytes):
        raise ValueError("expected a PNG or JPEG image")
    return check_image(value)


def check_image(data: bytes) -> bytes:
    """Refuse anything but a small, readable PNG or JPEG image (checked by decoding it)."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValueError(f"the logo is larger than {MAX_LOGO_BYTES // 1024} KiB")
    if image_type(data) is None:
        raise ValueError("the logo must be a PNG or JPEG image")
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if max(image.size) > MAX_LOGO_SIDE:
                    raise ValueError(f"the logo is larger than {MAX_LOGO_SIDE} pixels on a side")
                image.load()
    except ValueError:
        raise
    except Exception:
        raise ValueError("the logo image cannot be read (damaged or not an image)") from None
    return data


def _logo_uri(data: bytes) -> str:
    import base64

    return f"data:{image_type(data)};base64,{base64.b64encode(data).decode('ascii')}"


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _whole(value: float) -> float | int:
    """Whole numbers are written without ``.0`` so hand-written files round-trip unchanged."""
    return int(value) if float(value).is_integer() else value


# -- the types ---------------------------------------------------------------------------------

Text = Annotated[str, Strict()]
Ref = Annotated[
    str, Strict(), Length(1, 40), After(_one_line), After(_trimmed)
]
Name = Annotated[
    str, Strict(), Length(1, 200), After(_one_line), After(_not_blank)
]
ShortText = Annotated[str, Strict(), Length(0, 200), After(_one_line)]
Address = Annotated[str, Strict(), Length(0, 400), After(_many_lines)]
Phone = Annotated[str, Strict(), Length(0, 80), After(_one_line)]
RecordNumber = Annotated[
    str, Strict(), Length(1, 80), After(_one_line), After(_trimmed)
]
Notes = Annotated[str, Strict(), Length(0, 20_000), After(_many_lines)]
Logo = Annotated[bytes, Before(_read_logo), Wire(_logo_uri)]
ConsentWording = Annotated[
    str, Strict(), Length(1, 200_000), After(_many_lines)
]
Pattern = Annotated[str, Strict(), Length(0, 400), After(_one_line)]
Bool = Annotated[bool, Strict()]

Minutes = Annotated[int, Strict(), Range(0, 24 * 60)]
InfusionMinutes = Annotated[int, Strict(), Range(1, 24 * 60)]
Infusions = Annotated[int, Strict(), Range(1, 200)]
PerWeek = Annotated[int, Strict(), Range(1, 50)]
GapDays = Annotated[int, Strict(), Range(1, 3650)]
HoursBetween = Annotated[
    float, Strict(), Range(0, 24 * 365), After(_finite), Wire(_whole)
]
DosePerKg = Annotated[
    float, Strict(), Range(0.01, 20), After(_finite), Wire(_whole)
]
WeightKg = Annotated[
    float,
    Strict(),
    Range(MIN_WEIGHT_KG, MAX_WEIGHT_KG),
    After(_finite),
    Wire(_whole),
]

CalendarDate = Annotated[
    date, Before(_read_date), After(_in_calendar), Wire(date.isoformat)
]
BirthDate = Annotated[date, Before(_read_date), After(_born), Wire(date.isoformat)]
#: A day something was measured: in the calendar, not in the future.
MeasuredDate = Annotated[
    date, Before(_read_date), After(_in_calendar), After(_not_future), Wire(date.isoformat)
]
ClockTime = Annotated[time, Before(_read_time), Wire(lambda t: t.strftime("%H:%M"))]
MinuteDateTime = Annotated[
    datetime, Before(_read_datetime), Wire(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
]
Weekday = Annotated[int, Range(0, 6), Before(_read_weekday), Wire(lambda i: WEEKDAYS[i])]


def _unique(what: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    def check(items: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(set(items)) != len(items):
            raise ValueError(f"{what} is listed twice")
        return items

    return check


RoleName = Annotated[str, OneOf(ROLES)]
SessionStatusName = Annotated[str, OneOf(SESSION_STATUSES)]
CourseStatusName = Annotated[str, OneOf(COURSE_STATUSES)]
FlagName = Annotated[str, OneOf(PATIENT_FLAGS)]
PaperSizeName = Annotated[str, OneOf(("A4", "Letter"))]
#: A staff member's roles: at least one, each once.
Roles = Annotated[tuple[RoleName, ...], Length(1, len(ROLES)), After(_unique("a role"))]
Flags = Annotated[tuple[FlagName, ...], After(_unique("a flag"))]
SexName = Annotated[str, OneOf(SEXES)]
IndicationName = Annotated[str, OneOf(INDICATIONS)]


def _at_most(count: int, what: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    def check(items: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(items) > count:
            raise ValueError(f"at most {count} {what}")
        return items

    return check


#: One line of a list printed on the sheets (an allergy, an as-needed drug).
ListLine = Annotated[
    str, Strict(), Length(1, 120), After(_one_line), After(_not_blank), After(_trimmed)
]
#: Drug allergies; the record keeps None for "not recorded" and () for "no known drug allergies".
Allergies = Annotated[
    tuple[ListLine, ...], After(_unique("an allergy")), After(_at_most(30, "allergies"))
]


# -- amounts of a drug (the controlled-substance log) ---------------------------------------------


def _to_the_microgram(value: float) -> float:
    """Amounts are kept to the microgram (3 decimals of a mg), so sums are exact."""
    if abs(value * 1000 - round(value * 1000)) > 1e-6:
        raise ValueError("give at most 3 decimals (to the microgram)")
    return value


Milligrams = Annotated[
    float,
    Strict(),
    Range(0.001, 100_000),
    After(_finite),
    After(_to_the_microgram),
    Wire(_whole),
]
#: A physical count may find nothing left.
CountedMilligrams = Annotated[
    float, Strict(), Range(0, 1_000_000), After(_finite), After(_to_the_microgram), Wire(_whole)
]
MgPerMl = Annotated[
    float, Strict(), Range(0.001, 1000), After(_finite), After(_to_the_microgram), Wire(_whole)
]
Millilitres = Annotated[
    float, Strict(), Range(0.01, 1000), After(_finite), After(_to_the_microgram), Wire(_whole)
]
Vials = Annotated[int, Strict(), Range(1, 10_000)]
